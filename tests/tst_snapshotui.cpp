// Snapshots in the window, driven as a user would, offscreen against a sandbox on 127.0.0.1: export, the compare
// window (colours, the kind and text filters), the apply wizard (plan, what it would close, the production name,
// the result per record) with the server checked afterwards, a broken file refused, and the history of changes
// including the editor's own saves.
#include "GuiTestSupport.h"
#include "TestFiles.h"
#include "WindowTestServer.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"
#include "models/SnapshotDiffModel.h"
#include "ui/ApplyWizard.h"
#include "ui/CompareWindow.h"
#include "ui/HistoryDialog.h"
#include "ui/SaveConfirmDialog.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QPointer<QObject> g_watchers;

template<typename T>
void whenDialog(std::function<void(T *)> action)
{
    GuiTestSupport::whenDialog<T>(g_watchers.data(), std::move(action));
}

QList<AuditLog::Entry> auditEntries()
{
    const auto read = AuditLog().read();
    return read ? read.value() : QList<AuditLog::Entry> {};
}
} // namespace

class TestSnapshotUi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<SandboxFixture> m_server;
    std::unique_ptr<MainWindow> m_window;

    QString path(const QString &name) const { return m_server->dir.filePath(name); }

    bool openWindow(bool production = false)
    {
        m_window = std::make_unique<MainWindow>(m_server->client.get(),
                                                environment(m_server->dir.path() + u"/journal"_s, production));
        m_window->setView(MainWindow::View::Details); // the details list, as these tests drive it
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get()) && load(*m_window);
    }

    bool exportTo(const QString &file)
    {
        QSignalSpy exported(m_window->snapshots(), &SnapshotActions::exported);
        m_window->snapshots()->exportSnapshot(file);
        return exported.wait(20000) && exported.last().first().toBool();
    }

private Q_SLOTS:
    void init()
    {
        g_watchers = new QObject(this);
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        QVERIFY(openWindow());
    }
    void cleanup()
    {
        delete g_watchers.data();
        m_window.reset();
        m_server.reset();
    }

    void exportFromTheWindow()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        const auto snapshot = SnapshotFiles::read(path(u"a.json"_s));
        QVERIFY(snapshot.ok());
        QCOMPARE(snapshot.value().records.size(), 24);
        QCOMPARE(snapshot.value().environmentUrl, m_server->sandbox->url().toString());
        QVERIFY(!snapshot.value().organizationId.isEmpty());

        QVERIFY(exportTo(path(u"a.csv"_s)));
        const QByteArray csv = readFile(path(u"a.csv"_s));
        QVERIFY(csv.startsWith("id,name,channel,"));
        QCOMPARE(csv.count('\n'), 25);
    }

    void compareWindowColoursAndFilters()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 45));

        CompareWindow *compare = m_window->snapshots()->compareWithSnapshot(path(u"a.json"_s));
        QVERIFY(compare);
        QVERIFY(QTest::qWaitFor([compare] { return compare->model()->rowCount() == 24; }, 20000));
        QSortFilterProxyModel *rows = compare->proxy();
        QCOMPARE(rows->rowCount(), 1); // differences only, by default
        const auto cell = [rows](int row, int column, int role = Qt::DisplayRole) {
            return rows->index(row, column).data(role);
        };
        QCOMPARE(cell(0, SnapshotDiffModel::Difference).toString(), u"Changed"_s);
        QCOMPARE(cell(0, SnapshotDiffModel::Channel).toString(), u"Live chat"_s);
        QCOMPARE(cell(0, SnapshotDiffModel::Left).toString(), u"20 min"_s);
        QCOMPARE(cell(0, SnapshotDiffModel::Right).toString(), u"45 min"_s);
        QVERIFY(cell(0, SnapshotDiffModel::Difference, Qt::ForegroundRole).value<QColor>().isValid());
        QVERIFY(cell(0, SnapshotDiffModel::Name, Qt::BackgroundRole).value<QColor>().isValid());
        QCOMPARE(rows->headerData(SnapshotDiffModel::Left, Qt::Horizontal).toString(), u"a.json"_s);
        QVERIFY(compare->summary()->text().contains(u"<b>1 changed</b>, 0 only left, 0 only right, 0 ambiguous; 23 "
                                                    u"the same."_s));

        compare->setShown(CompareWindow::Show::Everything);
        QCOMPARE(rows->rowCount(), 24);
        QVERIFY(!cell(1, SnapshotDiffModel::Difference, Qt::ForegroundRole).value<QColor>().isValid()); // "Same"
        QTest::keyClicks(compare->textFilter(), u"sms"_s);
        QVERIFY(rows->rowCount() > 0 && rows->rowCount() < 24);
        for (int row = 0; row < rows->rowCount(); ++row)
            QCOMPARE(cell(row, SnapshotDiffModel::Channel).toString(), u"SMS"_s);
        compare->setShown(CompareWindow::Show::Changed);
        QCOMPARE(rows->rowCount(), 0);

        QVERIFY(compare->applyButton()->isVisible());
        QVERIFY(compare->applyButton()->isEnabled());
        QVERIFY(compare->applyButton()->text().contains(u"a.json"_s));
        compare->close();
    }

    void applyFromTheCompareWindow()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 45));
        CompareWindow *compare = m_window->snapshots()->compareWithSnapshot(path(u"a.json"_s));
        QVERIFY(compare);
        QVERIFY(QTest::qWaitFor([compare] { return compare->applyButton()->isEnabled(); }, 20000));
        compare->applyButton()->click();
        ApplyWizard *wizard = m_window->findChild<ApplyWizard *>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QCOMPARE(wizard->planTable()->rowCount(), 1);
        QCOMPARE(wizard->planTable()->item(0, 2)->text(), u"45 min"_s); // now
        QCOMPARE(wizard->planTable()->item(0, 3)->text(), u"20 min"_s); // after
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->impactCounted(); }, 20000));
        bool counted = false;
        wizard->planTable()->item(0, 4)->text().toInt(&counted); // conversations the new value would close now
        QVERIFY2(counted, qPrintable(wizard->planTable()->item(0, 4)->text()));
        QVERIFY(wizard->button(QWizard::CommitButton)->isEnabled()); // not production: no name to type

        QSignalSpy finished(wizard, &ApplyWizard::applyFinished);
        QSignalSpy reloaded(m_window.get(), &MainWindow::loadFinished);
        wizard->next();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(wizard->resultTable()->rowCount(), 1);
        QCOMPARE(wizard->resultTable()->item(0, 0)->text(), u"Saved"_s);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));

        // The environment as it was is kept, the change is in the history, and the window shows the new value.
        const QString before = wizard->outcome()->beforeSnapshot;
        const auto kept = SnapshotFiles::read(before);
        QVERIFY2(kept.ok(), qPrintable(before));
        QVERIFY(before.startsWith(m_server->dataDir()));
        const QList<AuditLog::Entry> log = auditEntries();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().source, u"apply "_s + path(u"a.json"_s));
        QCOMPARE(log.first().oldMinutes, 45);
        QCOMPARE(log.first().newMinutes, 20);
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), 20000); // it may have come while the apply was waited for
        const int row = GuiTestSupport::rowOf(m_window->detailsView(), u"Live chat"_s, u"Open"_s);
        QCOMPARE(m_window->detailsView()->model()->index(row, ConfigTableModel::AutoClose).data().toString(),
                 u"20 min"_s);
        wizard->close();
        compare->close();
    }

    void compareWithAnotherEnvironment()
    {
        // A second environment, with one value changed there.
        auto other = SandboxFixture::start();
        QVERIFY(other);
        DataverseClient &otherClient = *other->client;
        std::optional<Result<Snapshot>> otherNow;
        SnapshotOps::capture(&otherClient, this, [&otherNow](Result<Snapshot> r) { otherNow = std::move(r); });
        QVERIFY(QTest::qWaitFor([&otherNow] { return otherNow.has_value(); }, 20000) && otherNow->ok());
        std::optional<QList<WriteResult>> written;
        for (const ChannelStateConfig &c : otherNow->value().records)
            if (c.name == u"Live Chat - Open"_s)
                otherClient.saveMinutes({MinutesChange {c.id, c.name, c.etag, 90}},
                                        DataverseClient::WriteMode::OneByOne, this,
                                        [&written](QList<WriteResult> r) { written = std::move(r); });
        QVERIFY(QTest::qWaitFor([&written] { return written.has_value(); }, 20000));

        QStringList asked;
        m_window->snapshots()->setOtherEnvironments(
            {[] { return QStringList {u"Test"_s}; },
             [&](const QString &name, QObject *context, std::function<void(Result<Snapshot>)> done) {
                 asked << name;
                 SnapshotOps::capture(&otherClient, context, std::move(done));
             }});
        CompareWindow *compare = m_window->snapshots()->compareWithEnvironment(u"Test"_s);
        QVERIFY(compare);
        QVERIFY(QTest::qWaitFor([compare] { return compare->applyButton()->isEnabled(); }, 20000));
        QCOMPARE(asked, QStringList {u"Test"_s});
        QSortFilterProxyModel *rows = compare->proxy();
        QCOMPARE(rows->rowCount(), 1);
        QCOMPARE(rows->headerData(SnapshotDiffModel::Left, Qt::Horizontal).toString(), u"Test (live)"_s);
        QCOMPARE(rows->index(0, SnapshotDiffModel::Left).data().toString(), u"1 h 30 min"_s);
        QCOMPARE(rows->index(0, SnapshotDiffModel::Right).data().toString(), u"20 min"_s);
        QCOMPARE(compare->applyButton()->text().remove(u'&'), u"Apply Test (live) to Demo environment…"_s);
        compare->close();
    }

    void productionAsksForTheName()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QJsonObject root = QJsonDocument::fromJson(readFile(path(u"a.json"_s))).object();
        QJsonArray records = root.value(u"records"_s).toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            QJsonObject r = records.at(i).toObject();
            if (r.value(u"name"_s).toString() == u"Live Chat - Open"_s)
                r.insert(u"minutes"_s, 5);
            records.replace(i, r);
        }
        root.insert(u"records"_s, records);
        QVERIFY(writeFile(path(u"change.json"_s), QJsonDocument(root).toJson()));

        m_window.reset();
        QVERIFY(openWindow(true));
        ApplyWizard *wizard = m_window->snapshots()->applySnapshot(path(u"change.json"_s));
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QCOMPARE(wizard->planTable()->rowCount(), 1);
        QAbstractButton *apply = wizard->button(QWizard::CommitButton);
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(wizard->confirmation(), u"Contoso"_s);
        QVERIFY(!apply->isEnabled());
        QTest::keyClicks(wizard->confirmation(), u" Production"_s);
        QVERIFY(apply->isEnabled());
        wizard->close();
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
    }

    void aBrokenFileIsRefused()
    {
        QVERIFY(writeFile(path(u"broken.json"_s), "{\"schemaVersion\": 1, \"records\": [{\"name\": \"x\"}]"));
        QString shown;
        whenDialog<QMessageBox>([&shown](QMessageBox *box) {
            shown = box->text() + u'\n' + box->informativeText();
            box->accept();
        });
        QVERIFY(!m_window->snapshots()->applySnapshot(path(u"broken.json"_s)));
        QVERIFY2(shown.contains(u"is not valid JSON"_s), qPrintable(shown));
        QVERIFY(shown.contains(u"Nothing was changed."_s));
        QVERIFY(!m_window->findChild<ApplyWizard *>());
        QVERIFY(auditEntries().isEmpty());
    }

    void editorSavesAreInTheHistory()
    {
        QTableView *view = m_window->detailsView();
        const int row = GuiTestSupport::rowOf(view, u"Live chat"_s, u"Open"_s);
        GuiTestSupport::typeValue(view, row, u"2h"_s);
        QSignalSpy saved(m_window.get(), &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { dialog->accept(); });
        m_window->save();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);

        const QList<AuditLog::Entry> log = auditEntries();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().source, u"editor"_s);
        QCOMPARE(log.first().recordName, u"Live Chat - Open"_s);
        QCOMPARE(log.first().oldMinutes, 20);
        QCOMPARE(log.first().newMinutes, 120);
        QCOMPARE(log.first().result, u"saved"_s);
        QCOMPARE(log.first().environmentUrl, m_server->sandbox->url().toString());

        // Another environment's entry is hidden until asked for.
        AuditLog::Entry elsewhere = log.first();
        elsewhere.environmentUrl = u"https://contoso.crm.dynamics.com"_s;
        QVERIFY(AuditLog().append({elsewhere}).ok());
        HistoryDialog *history = m_window->snapshots()->showHistory();
        QCOMPARE(history->table()->rowCount(), 1);
        QCOMPARE(history->table()->item(0, 1)->text(), u"Live Chat - Open"_s);
        QCOMPARE(history->table()->item(0, 2)->text(), u"20 min → 2 h"_s);
        QCOMPARE(history->table()->item(0, 3)->text(), u"Saved"_s);
        history->onlyThisEnvironment()->setChecked(false);
        QCOMPARE(history->table()->rowCount(), 2);
        QCOMPARE(history->table()->item(0, 6)->text(), u"https://contoso.crm.dynamics.com"_s); // newest first
        history->close();
    }
};

QTEST_MAIN(TestSnapshotUi)
#include "tst_snapshotui.moc"
