// Snapshots in the window, driven as a user would, offscreen against a sandbox on 127.0.0.1: export, the compare
// window (colours, the kind and text filters), the apply wizard (plan, what it would close, the production name,
// the result per record) with the server checked afterwards, a plan refused for a table the user may not write, a
// broken file refused, and the history of changes including the editor's own saves.
#include "GuiTestSupport.h"
#include "ServerState.h"
#include "TestFiles.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"
#include "models/SnapshotDiffModel.h"
#include "models/WorkstreamTableModel.h"
#include "ui/ApplyWizard.h"
#include "ui/CompareWindow.h"
#include "ui/HistoryDialog.h"
#include "ui/SaveConfirmDialog.h"

#include <QAbstractButton>
#include <QApplication>
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
        QCOMPARE(snapshot.value().schemaVersion, 2);
        QCOMPARE(snapshot.value().workstreams.size(), 6); // the workstreams too
        QCOMPARE(snapshot.value().environmentUrl, m_server->sandbox->url().toString());
        QVERIFY(!snapshot.value().organizationId.isEmpty());

        QVERIFY(exportTo(path(u"a.csv"_s)));
        const QByteArray csv = readFile(path(u"a.csv"_s));
        QVERIFY(csv.startsWith("id,name,channel,"));
        QCOMPARE(csv.count('\n'), 1 + 24 + 12);
    }

    void compareWindowColoursAndFilters()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 45));

        CompareWindow *compare = m_window->snapshots()->compareWithSnapshot(path(u"a.json"_s));
        QVERIFY(compare);
        QVERIFY(QTest::qWaitFor([compare] { return compare->model()->rowCount() == 24 + 12; }, 20000));
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
        QVERIFY(compare->summary()->text().contains(u"Channel-state records: <b>1 changed</b>, 0 only left, 0 only "
                                                    u"right, 0 ambiguous; 23 the same."_s));
        QVERIFY(compare->summary()->text().contains(u"Workstream values: <b>0 changed</b>, 0 only left, 0 only "
                                                    u"right, 0 ambiguous; 12 the same."_s));

        compare->setShown(CompareWindow::Show::Everything);
        QCOMPARE(rows->rowCount(), 24 + 12);
        QCOMPARE(cell(24, SnapshotDiffModel::Table).toString(), u"Workstream"_s); // after the records
        QCOMPARE(cell(24, SnapshotDiffModel::State).toString(), u"Auto-close after inactivity"_s);
        QCOMPARE(cell(25, SnapshotDiffModel::State).toString(), u"Block capacity for wrap-up"_s);
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
        QCOMPARE(wizard->planTable()->item(0, ApplyWizard::Now)->text(), u"45 min"_s);
        QCOMPARE(wizard->planTable()->item(0, ApplyWizard::After)->text(), u"20 min"_s);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->impactCounted(); }, 20000));
        bool counted = false;
        // Conversations the new value would close now.
        wizard->planTable()->item(0, ApplyWizard::NewlyCloses)->text().toInt(&counted);
        QVERIFY2(counted, qPrintable(wizard->planTable()->item(0, ApplyWizard::NewlyCloses)->text()));
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
        QVERIFY(compare->summary()->text().contains(u"Workstream values: <b>0 changed</b>"_s));
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

    void theApplyWizardListsBothTables()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        const QByteArray changed =
            withWorkstream(withMinutes(readFile(path(u"a.json"_s)), {{u"Live Chat - Open"_s, 45}}), u"SMS support"_s,
                           {{u"autoCloseAfterInactivity"_s, 90}, {u"blockCapacityForWrapUp"_s, 20}});
        QVERIFY(writeFile(path(u"both.json"_s), changed));
        const WorkstreamState before = workstreamState(m_server->sandbox->url(), m_server->token);
        const QString sms = idOf(before, u"SMS support"_s);

        ApplyWizard *wizard = m_window->snapshots()->applySnapshot(path(u"both.json"_s));
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QTableWidget *plan = wizard->planTable();
        QCOMPARE(plan->rowCount(), 3);
        const auto row = [plan](int r) {
            QStringList cells;
            for (int column = 0; column < plan->columnCount(); ++column)
                if (column != ApplyWizard::NewlyCloses && column != ApplyWizard::NoLongerCloses)
                    cells << plan->item(r, column)->text();
            return cells.join(u" | "_s);
        };
        QCOMPARE(row(0), u"Channel state | Live chat | Open | 20 min | 45 min | Live Chat - Open"_s);
        QCOMPARE(row(1), u"Workstream | SMS | Auto-close after inactivity | 2 days | 1 h 30 min | SMS support"_s);
        QCOMPARE(row(2), u"Workstream | SMS | Block capacity for wrap-up | Always block | 20 min | SMS support"_s);
        QCOMPARE(plan->item(1, ApplyWizard::NewlyCloses)->text(), u"not counted"_s);
        QVERIFY2(wizard->planSummary()->text().startsWith(u"3 values would change."_s),
                 qPrintable(wizard->planSummary()->text()));
        QVERIFY(wizard->planSummary()->text().contains(u"Workstream values are taken to be minutes, and an empty "
                                                       u"wrap-up block to be the admin center's"_s));
        QVERIFY(wizard->planWarnings()->isHidden());
        QVERIFY(wizard->button(QWizard::CommitButton)->isEnabled());

        QSignalSpy finished(wizard, &ApplyWizard::applyFinished);
        wizard->next();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(wizard->resultTable()->rowCount(), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(wizard->resultTable()->item(r, 0)->text(), u"Saved"_s);
        QCOMPARE(wizard->resultTable()->item(1, 1)->text(), u"Workstream"_s);
        QCOMPARE(wizard->resultTable()->item(2, 4)->text(), u"Always block → 20 min"_s);
        // On the server, over HTTP.
        const WorkstreamState after = workstreamState(m_server->sandbox->url(), m_server->token);
        QCOMPARE(after.value(sms).inactivity, 90);
        QCOMPARE(after.value(sms).wrapUpBlock, 20);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(45));
        QCOMPARE(auditEntries().size(), 3);
        wizard->close();
    }

    void theApplyWizardRefusesAnUnknownWorkstream()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QVERIFY(writeFile(path(u"unknown.json"_s),
                          withWorkstream(withMinutes(readFile(path(u"a.json"_s)), {{u"Live Chat - Open"_s, 45}}),
                                         u"SMS support"_s,
                                         {{u"id"_s, QJsonValue(QJsonValue::Null)}, {u"name"_s, u"Texts"_s}})));
        const WorkstreamState before = workstreamState(m_server->sandbox->url(), m_server->token);
        ApplyWizard *wizard = m_window->snapshots()->applySnapshot(path(u"unknown.json"_s));
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QVERIFY(wizard->planWarnings()->isVisible());
        const QString warnings = wizard->planWarnings()->text();
        QVERIFY2(warnings.startsWith(u"Nothing can be applied:"_s), qPrintable(warnings));
        QVERIFY2(warnings.contains(u"The snapshot's workstream &quot;Texts&quot; matches no workstream"_s),
                 qPrintable(warnings));
        QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());
        wizard->close();
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(workstreamState(m_server->sandbox->url(), m_server->token), before);
        QVERIFY(auditEntries().isEmpty());
    }

    // A user who may write the channel-state values but not the workstreams: a snapshot that changes a workstream is
    // refused before anything is sent, naming the table; one that changes only channel states is applied.
    void theApplyWizardRefusesATableTheUserMayNotWrite()
    {
        cleanup();
        g_watchers = new QObject(this);
        LocalSandbox::Options options;
        options.withoutPrivileges = {u"prvWritemsdyn_liveworkstream"_s};
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        m_window =
            std::make_unique<MainWindow>(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        QSignalSpy known(m_window.get(), &MainWindow::permissionsKnown);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()) && load(*m_window));
        QVERIFY(known.count() > 0 || known.wait(20000));
        QVERIFY(m_window->workstreamModel()->isReadOnly());

        QVERIFY(exportTo(path(u"a.json"_s)));
        const QByteArray exported = readFile(path(u"a.json"_s));
        QVERIFY(writeFile(path(u"both.json"_s),
                          withWorkstream(withMinutes(exported, {{u"Live Chat - Open"_s, 45}}), u"SMS support"_s,
                                         {{u"autoCloseAfterInactivity"_s, 90}})));
        const WorkstreamState before = workstreamState(m_server->sandbox->url(), m_server->token);
        ApplyWizard *wizard = m_window->snapshots()->applySnapshot(path(u"both.json"_s));
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QCOMPARE(wizard->planTable()->rowCount(), 2);
        QVERIFY(wizard->planWarnings()->isVisible());
        const QString warnings = wizard->planWarnings()->text();
        QVERIFY2(warnings.startsWith(u"Nothing can be applied:"_s), qPrintable(warnings));
        QVERIFY2(warnings.contains(u"You can view the workstreams' timers of "_s), qPrintable(warnings));
        QVERIFY2(warnings.contains(u"lacks the Write privilege on Work Stream records"_s), qPrintable(warnings));
        QVERIFY(!warnings.contains(u"Channel State Configuration"_s));
        QVERIFY(!wizard->button(QWizard::CommitButton)->isEnabled());
        wizard->close();
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(workstreamState(m_server->sandbox->url(), m_server->token), before);
        QVERIFY(auditEntries().isEmpty());

        // The channel-state values alone may be applied.
        QVERIFY(writeFile(path(u"states.json"_s), withMinutes(exported, {{u"Live Chat - Open"_s, 45}})));
        wizard = m_window->snapshots()->applySnapshot(path(u"states.json"_s));
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitFor([wizard] { return wizard->planReady(); }, 20000));
        QCOMPARE(wizard->planTable()->rowCount(), 1);
        QVERIFY(wizard->planWarnings()->isHidden());
        QVERIFY(wizard->button(QWizard::CommitButton)->isEnabled());
        QSignalSpy finished(wizard, &ApplyWizard::applyFinished);
        wizard->next();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(45));
        wizard->close();
    }

    void aVersionOneFileIsComparedWithoutWorkstreams()
    {
        QVERIFY(exportTo(path(u"a.json"_s)));
        QJsonObject root = QJsonDocument::fromJson(readFile(path(u"a.json"_s))).object();
        root.insert(u"schemaVersion"_s, 1);
        root.remove(u"workstreams"_s);
        QVERIFY(writeFile(path(u"v1.json"_s), QJsonDocument(root).toJson()));
        CompareWindow *compare = m_window->snapshots()->compareWithSnapshot(path(u"v1.json"_s));
        QVERIFY(compare);
        QVERIFY(QTest::qWaitFor([compare] { return compare->model()->rowCount() > 0; }, 20000));
        QCOMPARE(compare->model()->rowCount(), 24); // no workstream rows, none "only right"
        QVERIFY2(compare->summary()->text().contains(u"Workstreams were not compared: v1.json is a version 1 "
                                                     u"snapshot, which says nothing about workstreams."_s),
                 qPrintable(compare->summary()->text()));
        compare->close();
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

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app); // as the editor does: "1 value", "3 values"
    TestSnapshotUi test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_snapshotui.moc"
