// The fault matrix through the window: each fault the sandbox can inject, against the window's load (a refresh with
// an unsaved edit on screen) and save. Each cell either succeeds after retrying or fails with its message in the
// window; whatever happens the user's edit is still on screen and in the journal until the server holds it, the
// server holds what the window reports (read over HTTP by another client), the audit log agrees, and where the
// fault was passing the window's Retry / Try Again then succeeds. The table of outcomes is printed at the end.
#include "GuiTestSupport.h"
#include "WindowTestServer.h"
#include "app/journal/EditJournal.h"
#include "app/snapshot/AuditLog.h"
#include "models/ConfigTableModel.h"
#include "ui/ConflictDialog.h"
#include "ui/MainWindow.h"
#include "ui/SaveConfirmDialog.h"

#include <QApplication>
#include <QFrame>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using GuiTestSupport::buttonNamed;
using GuiTestSupport::rowOf;
using GuiTestSupport::typeValue;

namespace {
enum class Op { Load, Save };
QStringList g_table; // "fault | operation | what happened", one line per cell

QString bannerText(MainWindow &window)
{
    return GuiTestSupport::bannerText(&window, u"errorBanner"_s);
}
} // namespace
Q_DECLARE_METATYPE(Op)

class TestWindowFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase()
    {
        qInfo().noquote() << "\nFault matrix (the window against the sandbox's faults; an unsaved edit on screen):\n"
                          << u"fault         | operation | what happened\n"_s + g_table.join(u'\n');
    }

    void cell_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<Op>("op");
        QTest::addColumn<bool>("succeeds");
        QTest::addColumn<QString>("message"); // in the error banner when it fails
        QTest::addColumn<bool>("retryHelps"); // the fault has passed: Retry / Try Again succeeds
        // The window's first load passes (after=1); the refresh that follows meets the fault. A save meets it on
        // its $batch.
        const QString load = u"method=GET:query=$expand:after=1"_s;
        const QString save = u"method=POST:path=$batch"_s;
        struct Row
        {
            QString name;
            QString spec; // %1: the target
            bool loadSucceeds;
            bool saveSucceeds;
            QString loadMessage;
            QString saveMessage;
        };
        const QList<Row> rows = {
            {u"429"_s, u"429:%1:times=1:retry-after=1"_s, true, true, {}, {}},
            {u"503 once"_s, u"503:%1:times=1"_s, true, true, {}, {}},
            // Four times: the first attempt and its three retries.
            {u"500 ×4"_s, u"500:%1:times=4"_s, false, false, u"HTTP 500"_s, u"HTTP 500"_s},
            {u"reset"_s, u"reset:%1:times=1"_s, true, true, {}, {}},
            {u"truncated"_s, u"truncate:%1:times=1"_s, false, true, u"not valid JSON"_s, {}},
            {u"slow"_s, u"slow:%1:times=1:ms=4000"_s, false, true, u"did not answer in time"_s, {}},
            {u"401 expired"_s, u"expired:%1:times=1"_s, false, false, u"did not accept the sign-in"_s,
             u"did not accept the sign-in"_s},
            // A claims challenge to a window without a sign-in to answer it (a fixed token): it says what to do.
            {u"401 claims"_s, u"claims:%1:times=1"_s, false, false, u"access policy asks you to sign in again"_s,
             u"access policy asks you to sign in again"_s},
        };
        for (const Row &r : rows) {
            const bool passing = r.spec.contains(u":times="_s);
            QTest::addRow("%s × load", qPrintable(r.name))
                << r.spec.arg(load) << Op::Load << r.loadSucceeds << r.loadMessage << passing;
            QTest::addRow("%s × save", qPrintable(r.name))
                << r.spec.arg(save) << Op::Save << r.saveSucceeds << r.saveMessage << passing;
        }
        // 412: a colleague saves between the window's load and its save; the user decides later. (A read sends no
        // version, so there is nothing for a load to conflict with.)
        QTest::addRow("412 × save") << u"412"_s << Op::Save << false << QString() << false;
    }
    void cell()
    {
        QFETCH(QString, fault);
        QFETCH(Op, op);
        QFETCH(bool, succeeds);
        QFETCH(QString, message);
        QFETCH(bool, retryHelps);
        const bool colleague = fault == u"412"_s;
        LocalSandbox::Options options;
        if (!colleague)
            options.faults = fault;
        auto server = SandboxFixture::start(options);
        QVERIFY(server);
        // A short timeout for the slow cell, and short pauses between retries; the retries themselves are real.
        server->client->setTransferTimeout(std::chrono::milliseconds(1500));
        WebApiTransport::RetryPolicy policy;
        policy.baseDelay = std::chrono::milliseconds(100);
        server->client->transport()->setRetryPolicy(policy);
        QSignalSpy retried(server->client->transport(), &WebApiTransport::retrying);
        QSignalSpy throttled(server->client->transport(), &WebApiTransport::throttled);
        QObject watchers;

        const QString journalDir = server->dir.path() + u"/journal"_s;
        MainWindow window(server->client.get(), environment(journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        const QString id = view->model()->index(row, 0).data(ConfigTableModel::IdRole).toString();
        typeValue(view, row, u"2h"_s);
        QVERIFY(window.model()->pending(id));
        if (colleague) {
            QVERIFY(server->colleagueSaves(u"Live chat"_s, u"Open"_s, 99));
            GuiTestSupport::whenDialog<ConflictDialog>(
                &watchers, [](ConflictDialog *dialog) { dialog->findChild<QPushButton *>(u"later"_s)->click(); });
        }

        const auto act = [&]() -> std::optional<bool> {
            if (op == Op::Load) {
                QSignalSpy loaded(&window, &MainWindow::loadFinished);
                window.refresh();
                if (!loaded.wait(30000))
                    return std::nullopt;
                return loaded.last().first().toBool();
            }
            QSignalSpy saved(&window, &MainWindow::saveFinished);
            GuiTestSupport::whenDialog<SaveConfirmDialog>(
                &watchers, [](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
            window.save();
            if (!saved.wait(30000))
                return std::nullopt;
            return saved.last().first().toBool();
        };
        const std::optional<bool> ok = act();
        QVERIFY2(ok.has_value(), "the window did not finish");
        QCOMPARE(*ok, succeeds);
        const QString banner = bannerText(window);
        if (!succeeds && !colleague)
            QVERIFY2(banner.contains(message), qPrintable(banner));
        if (succeeds)
            QVERIFY2(banner.isEmpty(), qPrintable(banner));

        // The edit is on screen whatever happened, and is an edit (on screen and in the journal) until saved.
        const bool saved = op == Op::Save && succeeds;
        QCOMPARE(view->model()->index(row, ConfigTableModel::AutoClose).data().toString(), u"2 h"_s);
        QCOMPARE(window.model()->pending(id).has_value(), !saved);
        const auto journal = EditJournal(u"test"_s, journalDir).read();
        QVERIFY(journal.ok());
        QCOMPARE(journal.value().size(), saved ? 0 : 1);
        if (!saved)
            QCOMPARE(journal.value().first().minutes, std::optional<int>(120));
        if (op == Op::Save && !saved)
            QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data(ConfigTableModel::StatusRole).toInt(),
                     int(colleague ? ConfigTableModel::RowStatus::Conflict : ConfigTableModel::RowStatus::Failed));

        // The server holds what the window reports, and the audit log says the same.
        QCOMPARE(server->read(u"Live chat"_s, u"Open"_s)->minutes,
                 std::optional<int>(saved ? 120 : (colleague ? 99 : 20)));
        if (op == Op::Save) {
            const auto log = AuditLog(server->dataDir() + u"/audit.jsonl"_s).read();
            QVERIFY(log.ok());
            QCOMPARE(log.value().size(), 1);
            QCOMPARE(log.value().first().result == u"saved"_s, saved);
        }

        // A fault that has passed is behind the banner's button: it now succeeds, with nothing typed again.
        bool recovered = false;
        if (!succeeds && retryHelps) {
            auto *button = window.findChild<QFrame *>(u"errorBanner"_s)->findChild<QPushButton *>();
            QVERIFY(button && button->isVisible());
            if (op == Op::Load) {
                QSignalSpy loaded(&window, &MainWindow::loadFinished);
                button->click();
                QVERIFY(loaded.wait(30000));
                QVERIFY(loaded.last().first().toBool());
                QVERIFY(window.model()->pending(id));
            } else {
                QSignalSpy again(&window, &MainWindow::saveFinished);
                GuiTestSupport::whenDialog<SaveConfirmDialog>(
                    &watchers, [](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
                button->click();
                QVERIFY(again.wait(30000));
                QVERIFY(again.last().first().toBool());
                QCOMPARE(server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(120));
                QVERIFY(!window.model()->pending(id));
            }
            QVERIFY(bannerText(window).isEmpty());
            recovered = true;
        }

        const QString what = colleague ? u"conflict shown, the user decides later: the colleague's value kept on "
                                         u"the server, the edit kept"_s
            : !succeeds ? u"failed: \"%1\" shown, the edit kept%2"_s.arg(
                              message, recovered ? u"; Retry then succeeded"_s : QString())
            : !throttled.isEmpty() ? u"succeeded after waiting out the throttle"_s
            : !retried.isEmpty()   ? u"succeeded after retrying"_s
            : saved                ? u"saved; its lost reply confirmed by reading back"_s
                                   : u"succeeded"_s;
        g_table << u"%1 | %2 | %3"_s.arg(
            QString::fromUtf8(QTest::currentDataTag()).section(u" × "_s, 0, 0).leftJustified(13),
            op == Op::Load ? u"load     "_s : u"save     "_s, what);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    TestWindowFaults test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowfaults.moc"
