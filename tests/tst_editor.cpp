// The editor as a user drives it: the real main window, offscreen, against a sandbox on 127.0.0.1 — typing values,
// undo and redo, saving with its confirmation, a conflict made underneath, refresh with pending edits, a read-only
// user, a production environment, and the journal surviving a process killed with SIGKILL.
#include "GuiTestSupport.h"
#include "KilledChild.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/snapshot/AuditLog.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "models/WorkstreamTableModel.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/MainWindow.h"
#include "ui/PreviewPanel.h"
#include "ui/SaveConfirmDialog.h"
#include "ui/WorkstreamsView.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using GuiTestSupport::buttonNamed;
using GuiTestSupport::openEditor;
using GuiTestSupport::rowOf;
using GuiTestSupport::typeValue;

namespace {
// Owns the dialog watchers of the running test, so that none outlives it.
QPointer<QObject> g_watchers;

template<typename T>
void whenDialog(std::function<void(T *)> action)
{
    GuiTestSupport::whenDialog<T>(g_watchers.data(), std::move(action));
}

QString valueAt(QTableView *view, int row)
{
    return view->model()->index(row, ConfigTableModel::AutoClose).data().toString();
}

// The child process of the kill tests. Edits one value through the keyboard (mode "edit") or two values and saves
// them, the save held up by a sandbox fault (mode "save:FAULT"), says so, and waits to be killed. The sandbox runs in
// this process: the kill takes it down too, with whatever it had not acted on yet.
int runChild(const QString &dir, const QString &mode)
{
    auto server = SandboxFixture::start(KilledChild::sandboxOptions(dir, mode));
    if (!server)
        return 3;
    MainWindow window(server->client.get(), environment(dir + u"/journal"_s));
    window.setView(MainWindow::View::Details); // the details list, as these tests drive it
    window.show();
    if (!load(window))
        return 4;
    if (mode == u"edit-workstream"_s) {
        // A workstream's timer, typed in the Workstreams view: the journal keeps it as it keeps the others.
        window.setView(MainWindow::View::Workstreams);
        QTableView *streams = window.workstreamsView()->table();
        int row = -1;
        for (int r = 0; r < streams->model()->rowCount(); ++r) {
            if (streams->model()->index(r, WorkstreamTableModel::Name).data().toString() == u"SMS support"_s)
                row = r;
        }
        streams->setFocus();
        streams->setCurrentIndex(streams->model()->index(row, WorkstreamTableModel::Inactivity));
        QTest::keyClick(streams, Qt::Key_F2);
        DurationLineEdit *editor = openEditor(streams);
        if (!editor)
            return 5;
        editor->selectAll();
        QTest::keyClicks(editor, u"90m"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        if (!QTest::qWaitFor([&window] { return window.workstreamModel()->hasPendingEdits(); }, 5000))
            return 5;
        std::printf("edited\n");
        std::fflush(stdout);
        return QApplication::exec(); // until killed
    }
    QTableView *view = window.detailsView();
    typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"2h"_s);
    if (valueAt(view, rowOf(view, u"Live chat"_s, u"Open"_s)) != u"2 h"_s)
        return 5;
    if (mode == u"edit"_s) {
        std::printf("edited\n");
        std::fflush(stdout);
        return QApplication::exec(); // until killed
    }
    typeValue(view, rowOf(view, u"Live chat"_s, u"Waiting"_s), u"45m"_s);
    QObject watchers;
    GuiTestSupport::whenDialog<SaveConfirmDialog>(
        &watchers, [](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
    QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
    const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
    const auto saving = [view, row] {
        return view->model()->index(row, ConfigTableModel::Status).data(ConfigTableModel::StatusRole).toInt() ==
            int(ConfigTableModel::RowStatus::Saving);
    };
    if (!QTest::qWaitFor(saving, 20000))
        return 6;
    // "slow" acts on the save at once and holds the reply back: wait until the server holds the values. "hold" holds
    // the request itself back: give it time to arrive, then be killed before the server acts on it.
    if (mode == u"save:slow"_s) {
        if (!QTest::qWaitFor([&server] { return server->read(u"Live chat"_s, u"Open"_s)->minutes == 120; }, 20000))
            return 7;
    } else {
        QTest::qWait(500);
    }
    if (!saving())
        return 8;
    std::printf("saving\n");
    std::fflush(stdout);
    return QApplication::exec(); // until killed
}

QString bannerText(MainWindow &window)
{
    return GuiTestSupport::bannerText(&window, u"restoredBanner"_s);
}
} // namespace

class TestEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        g_watchers = new QObject(this);
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        m_journalDir = m_server->dir.path() + u"/journal"_s;
    }
    void cleanup()
    {
        delete g_watchers.data();
        m_server.reset();
    }

    void typingValidatesUndoesAndRedoes()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        QVERIFY(row >= 0);
        QCOMPARE(valueAt(view, row), u"20 min"_s);

        // F2 on any cell of the row opens the value's editor; a bad value is refused inline and the editor stays.
        view->setFocus();
        view->setCurrentIndex(view->model()->index(row, ConfigTableModel::State));
        QTest::keyClick(view, Qt::Key_F2);
        auto *editor = openEditor(view);
        QVERIFY(editor);
        QCOMPARE(editor->text(), u"20 min"_s);
        editor->selectAll();
        QTest::keyClicks(editor, u"soon"_s);
        QVERIFY(editor->hint()->isVisible());
        QVERIFY2(editor->hint()->text().contains(u"not a duration"_s), qPrintable(editor->hint()->text()));
        QVERIFY(editor->hint()->text().contains(u"Type minutes (45), hours (2h), days (1d 12h)"_s));
        QTest::keyClick(editor, Qt::Key_Return);
        QVERIFY(openEditor(view) == editor); // still open, text kept
        QCOMPARE(editor->text(), u"soon"_s);
        QVERIFY(!window.model()->hasPendingEdits());

        // While typing, the minutes it means; a risky value is flagged, not blocked.
        editor->selectAll();
        QTest::keyClicks(editor, u"1d 12h"_s);
        QVERIFY2(editor->hint()->text().contains(u"minutes (1 day 12 h)"_s), qPrintable(editor->hint()->text()));
        QVERIFY2(editor->hint()->text().contains(u"Far from Microsoft"_s), qPrintable(editor->hint()->text()));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!openEditor(view));
        QCOMPARE(valueAt(view, row), u"1 day 12 h"_s);
        QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Edited (was 20 min)"_s);
        QVERIFY(!view->model()->index(row, ConfigTableModel::AutoClose).data(Qt::DecorationRole).isNull());
        QCOMPARE(window.undoStack()->count(), 1);
        QCOMPARE(window.undoStack()->undoText(), u"Set Live chat · Open to 1 day 12 h"_s);
        QVERIFY(window.isWindowModified());

        // Typing starts an edit too; then Ctrl+Z and Ctrl+Shift+Z walk the history.
        const int wrapUp = rowOf(view, u"Live chat"_s, u"Wrap-up"_s);
        view->setCurrentIndex(view->model()->index(wrapUp, ConfigTableModel::AutoClose));
        QTest::keyClick(view, Qt::Key_N);
        auto *second = openEditor(view);
        QVERIFY(second);
        QTest::keyClicks(second, u"ever"_s);
        QTest::keyClick(second, Qt::Key_Return);
        QTRY_COMPARE(valueAt(view, wrapUp), u"Never"_s);
        QCOMPARE(window.undoStack()->count(), 2);

        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueAt(view, wrapUp), u"15 min"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueAt(view, row), u"20 min"_s);
        QVERIFY(!window.model()->hasPendingEdits());
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(valueAt(view, row), u"1 day 12 h"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(valueAt(view, wrapUp), u"Never"_s);

        // Reset to default and revert, each one undoable step.
        const auto selectOnly = [view](int r) {
            view->setCurrentIndex(view->model()->index(r, ConfigTableModel::Channel));
            view->selectionModel()->select(view->model()->index(r, 0),
                                           QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        };
        selectOnly(row);
        QTest::keyClick(view, Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(valueAt(view, row), u"20 min"_s);
        QCOMPARE(window.undoStack()->undoText(), u"Reset Live chat · Open to default (20 min)"_s);
        selectOnly(wrapUp);
        QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(valueAt(view, wrapUp), u"15 min"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueAt(view, wrapUp), u"Never"_s);
        QCOMPARE(window.model()->pendingEdits().size(), 1);

        // Nothing was sent: the server still has its values.
        QCOMPARE(m_server->read(u"Live chat"_s, u"Wrap-up"_s)->minutes, std::optional<int>(15));
    }

    // What a user can type wrong, each refused in the editor with its sentence; Enter keeps the editor open with the
    // text, Escape leaves the value as it was, and nothing becomes an edit.
    void typedValuesAreRefusedInline_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("message");
        QTest::newRow("a word") << u"soon"_s << u"“soon” is not a duration"_s;
        QTest::newRow("negative") << u"-5"_s << u"cannot be negative"_s;
        QTest::newRow("part of a minute") << u"0.5"_s << u"whole number of minutes"_s;
        QTest::newRow("unknown unit") << u"5 fortnights"_s << u"“fortnights” is not a unit"_s;
        QTest::newRow("past the column's maximum") << u"2147483648"_s << u"at most 2147483647 minutes"_s;
        QTest::newRow("a unit without a number") << u"h"_s << u"not a duration"_s;
    }
    void typedValuesAreRefusedInline()
    {
        QFETCH(QString, typed);
        QFETCH(QString, message);
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        view->setFocus();
        view->setCurrentIndex(view->model()->index(row, ConfigTableModel::Channel));
        QTest::keyClick(view, Qt::Key_F2);
        auto *editor = openEditor(view);
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, typed);
        QVERIFY(editor->hint()->isVisible());
        QVERIFY2(editor->hint()->text().contains(message), qPrintable(editor->hint()->text()));
        QTest::keyClick(editor, Qt::Key_Return);
        QVERIFY(openEditor(view) == editor);
        QCOMPARE(editor->text(), typed);
        QVERIFY(!window.model()->hasPendingEdits());
        QTest::keyClick(editor, Qt::Key_Escape);
        QTRY_VERIFY(!openEditor(view));
        QCOMPARE(valueAt(view, row), u"20 min"_s);
        QVERIFY(!window.model()->hasPendingEdits());
    }

    void saveConfirmsThenWritesAndCanBeUndone()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        typeValue(view, row, u"45m"_s);
        QCOMPARE(valueAt(view, row), u"45 min"_s);

        // Cancel sends nothing.
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { dialog->reject(); });
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QVERIFY(window.model()->hasPendingEdits());
        QApplication::setActiveWindow(&window); // back from the dialog
        QVERIFY(QTest::qWaitForWindowActive(&window));

        QSignalSpy saved(&window, &MainWindow::saveFinished);
        QStringList shown;
        whenDialog<SaveConfirmDialog>([&shown](SaveConfirmDialog *dialog) {
            QTreeWidgetItem *item = dialog->findChild<QTreeWidget *>()->topLevelItem(0);
            for (int c = 0; c < 4; ++c)
                shown << item->text(c);
            QVERIFY(!dialog->confirmationEdit()); // not a production environment
            buttonNamed(dialog, u"Save"_s)->click();
        });
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(shown, (QStringList {u"Live chat"_s, u"Open"_s, u"20 min"_s, u"45 min"_s}));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(45));
        QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Saved"_s);
        QVERIFY(!window.model()->hasPendingEdits());
        QVERIFY(!QFile::exists(EditJournal(u"test"_s, m_journalDir).path()));

        // Undo last save puts the old value back, checked against the version the save produced.
        QVERIFY(window.undoLastSaveAction()->isEnabled());
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Put Back"_s)->click(); });
        window.undoLastSaveAction()->trigger();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(valueAt(view, row), u"20 min"_s);
        QVERIFY(!window.undoLastSaveAction()->isEnabled());
    }

    void undoLastSaveNeverOverwritesALaterChange()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        typeValue(view, rowOf(view, u"SMS"_s, u"Open"_s), u"2d"_s);
        QSignalSpy saved(&window, &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        window.save();
        QVERIFY(saved.wait(20000));
        QVERIFY(m_server->colleagueSaves(u"SMS"_s, u"Open"_s, 90));

        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Put Back"_s)->click(); });
        window.undoLastSaveAction()->trigger();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), false);
        QCOMPARE(m_server->read(u"SMS"_s, u"Open"_s)->minutes, std::optional<int>(90));
        QVERIFY(window.findChild<QFrame *>(u"errorBanner"_s)->isVisible());
    }

    // Two edits; a colleague saves one of the records underneath; the user's choice in the conflict dialog decides.
    void conflict_data()
    {
        QTest::addColumn<QString>("choice"); // the dialog's button
        QTest::addColumn<int>("serverChat"); // Live chat · Open on the server afterwards
        QTest::addColumn<QString>("shownChat");
        QTest::addColumn<bool>("allSaved");
        QTest::addColumn<int>("serverVoice"); // Voice · Open, whose edit did not conflict
        QTest::newRow("overwrite with mine") << u"overwrite"_s << 45 << u"45 min"_s << true << 14400;
        QTest::newRow("keep theirs") << u"keepTheirs"_s << 30 << u"30 min"_s << true << 14400;
        QTest::newRow("decide later") << u"later"_s << 30 << u"45 min"_s << false << 43200;
    }
    void conflict()
    {
        QFETCH(QString, choice);
        QFETCH(int, serverChat);
        QFETCH(QString, shownChat);
        QFETCH(bool, allSaved);
        QFETCH(int, serverVoice);
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        typeValue(view, row, u"45"_s);
        typeValue(view, rowOf(view, u"Voice"_s, u"Open"_s), u"10d"_s);
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 30));

        QSignalSpy saved(&window, &MainWindow::saveFinished);
        QString theirs;
        QString yours;
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        whenDialog<ConflictDialog>([&theirs, &yours, choice](ConflictDialog *dialog) {
            theirs = dialog->findChild<QLabel *>(u"theirs"_s)->text();
            yours = dialog->findChild<QLabel *>(u"yours"_s)->text();
            dialog->findChild<QPushButton *>(choice)->click();
        });
        window.save();
        QVERIFY(saved.wait(20000));
        QVERIFY2(theirs.contains(u"30 min"_s), qPrintable(theirs));
        QVERIFY2(yours.contains(u"45 min"_s), qPrintable(yours));
        QCOMPARE(saved.last().first().toBool(), allSaved);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(serverChat));
        QCOMPARE(m_server->read(u"Voice"_s, u"Open"_s)->minutes, std::optional<int>(serverVoice));
        QCOMPARE(valueAt(view, row), shownChat);
        QCOMPARE(window.model()->hasPendingEdits(), !allSaved);
        if (choice == u"later"_s)
            QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data(ConfigTableModel::StatusRole).toInt(),
                     int(ConfigTableModel::RowStatus::Conflict));
    }

    void refreshKeepsPendingEditsAndFlagsServerChanges()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"45"_s);
        typeValue(view, rowOf(view, u"SMS"_s, u"Active"_s), u"3d"_s);
        QVERIFY(m_server->colleagueSaves(u"SMS"_s, u"Active"_s, 60));

        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        QTest::keyClick(view, Qt::Key_F5);
        QVERIFY(loaded.wait(20000));
        const int chat = rowOf(view, u"Live chat"_s, u"Open"_s);
        const int sms = rowOf(view, u"SMS"_s, u"Active"_s);
        QCOMPARE(valueAt(view, chat), u"45 min"_s);
        QCOMPARE(valueAt(view, sms), u"3 days"_s);
        QCOMPARE(view->model()->index(chat, ConfigTableModel::Status).data().toString(), u"Edited (was 20 min)"_s);
        QCOMPARE(view->model()->index(sms, ConfigTableModel::Status).data().toString(),
                 u"Edited; changed on the server meanwhile"_s);
        QVERIFY(
            view->model()->index(sms, ConfigTableModel::Status).data(Qt::ToolTipRole).toString().contains(u"1 h"_s));
    }

    void networkFailureLosesNothing()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        typeValue(view, row, u"45"_s);
        const QUrl url = m_server->sandbox->url();
        m_server->sandbox.reset(); // the environment goes away
        m_server->client->transport()->setRetryPolicy(WebApiTransport::RetryPolicy {1, std::chrono::milliseconds(10)});

        QSignalSpy saved(&window, &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        window.save();
        QVERIFY(saved.wait(30000));
        QCOMPARE(saved.last().first().toBool(), false);
        QCOMPARE(valueAt(view, row), u"45 min"_s);
        QVERIFY(window.model()->hasPendingEdits());
        auto *banner = window.findChild<QFrame *>(u"errorBanner"_s);
        QVERIFY(banner->isVisible());
        const QList<QLabel *> labels = banner->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel *l) { return l->text().contains(u"Your edits are kept"_s); }));
        QVERIFY(buttonNamed(banner, u"Try Again"_s));
        QCOMPARE(EditJournal(u"test"_s, m_journalDir).read().value().size(), 1);
        Q_UNUSED(url);
    }

    void productionAsksForTheEnvironmentName()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir, true));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QVERIFY(window.findChild<QFrame *>(u"productionBanner"_s)->isVisible());
        QTableView *view = window.detailsView();
        typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"25"_s);
        QSignalSpy saved(&window, &MainWindow::saveFinished);
        bool disabledBeforeTyping = false;
        bool disabledWithWrongName = true;
        whenDialog<SaveConfirmDialog>([&](SaveConfirmDialog *dialog) {
            QPushButton *save = buttonNamed(dialog, u"Save"_s);
            disabledBeforeTyping = !save->isEnabled();
            QTest::keyClicks(dialog->confirmationEdit(), u"Contoso"_s);
            disabledWithWrongName = !save->isEnabled();
            QTest::keyClicks(dialog->confirmationEdit(), u" Production"_s);
            save->click();
        });
        window.save();
        QVERIFY(saved.wait(20000));
        QVERIFY(disabledBeforeTyping);
        QVERIFY(disabledWithWrongName);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(25));
    }

    void readOnlyUserCannotEdit()
    {
        LocalSandbox::Options options;
        options.readOnlyUser = true;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QSignalSpy permissions(&window, &MainWindow::permissionsKnown);
        QVERIFY(load(window));
        QVERIFY(permissions.count() == 1 || permissions.wait(20000));
        QCOMPARE(permissions.first().first().toBool(), false);
        QVERIFY(window.findChild<QFrame *>(u"readOnlyBanner"_s)->isVisible());
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        view->setCurrentIndex(view->model()->index(row, ConfigTableModel::AutoClose));
        QTest::keyClick(view, Qt::Key_F2);
        QTest::keyClicks(view, u"45"_s);
        QVERIFY(!openEditor(view));
        QVERIFY(!window.saveAction()->isEnabled());
        QCOMPARE(valueAt(view, row), u"20 min"_s);
    }

    // The closure preview under the table, on known conversations at a fixed time: it follows the edits.
    void previewPanelFollowsEdits()
    {
        LocalSandbox::Options options;
        options.seed.file = QFINDTESTDATA("data/seeds/preview.json");
        options.seed.required = true;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QSignalSpy updated(panel, &PreviewPanel::updated);
        panel->customTime()->setDateTime(QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC));
        panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1)); // "At…"
        QVERIFY(updated.wait(20000));
        QCOMPARE(updated.last().first().toBool(), true);
        QVERIFY2(panel->summary()->text().contains(u"<b>7</b> conversations close either way"_s),
                 qPrintable(panel->summary()->text()));
        // The list loads as it is scrolled: scroll to its end until nothing more comes.
        const auto scrollToTheEnd = [panel] {
            return QTest::qWaitFor(
                [panel] {
                    panel->listView()->scrollToBottom();
                    return !panel->listModel()->canFetchMore({}) && !panel->listModel()->isFetching();
                },
                20000);
        };
        QVERIFY(scrollToTheEnd());
        QCOMPARE(panel->listModel()->rowCount(), 7);
        // The Waiting text closes through its workstream's minute of inactivity: counted under SMS · Waiting, on a row
        // of its own for the workstream.
        QTableWidget *counts = panel->countsTable();
        int waitingRow = -1;
        for (int row = 0; row < counts->rowCount(); ++row) {
            if (counts->item(row, 0)->text() == u"SMS · Waiting"_s)
                waitingRow = row;
        }
        QVERIFY(waitingRow >= 0 && waitingRow + 1 < counts->rowCount());
        QCOMPARE(counts->item(waitingRow, 3)->text(), u"1"_s);
        QCOMPARE(counts->item(waitingRow + 1, 0)->text().trimmed(), u"↳ Text care"_s);
        QCOMPARE(counts->item(waitingRow + 1, 1)->text(), u"1 min"_s);
        QCOMPARE(counts->item(waitingRow + 1, 3)->text(), u"1"_s);

        // An edit recounts by itself (debounced) and lists what it changes.
        QTableView *view = window.detailsView();
        typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"10"_s);
        QVERIFY(updated.wait(20000));
        QVERIFY2(panel->summary()->text().contains(u"<b>1 more</b> because of your edits"_s),
                 qPrintable(panel->summary()->text()));
        QCOMPARE(panel->countsTable()->item(0, 0)->text(), u"Live chat · Open"_s); // edited rows first
        QCOMPARE(panel->countsTable()->item(0, 4)->text(), u"+1"_s);
        QVERIFY(scrollToTheEnd());
        QCOMPARE(panel->listModel()->rowCount(), 8);
        QList<PreviewRow> rows;
        for (int row = 0; row < panel->listModel()->rowCount(); ++row) {
            QVERIFY(panel->listModel()->rowAt(row)); // one page: in memory
            rows << *panel->listModel()->rowAt(row);
        }
        const auto newly = std::find_if(rows.begin(), rows.end(), [](const PreviewRow &r) {
            return r.category == PreviewRow::Category::NewlyCloses;
        });
        QVERIFY(newly != rows.end());
        QCOMPARE(newly->conversation.id, u"c0000000-0000-0000-0000-000000000002"_s);
        QCOMPARE(
            panel->recordUrl(newly->conversation.id).toString(),
            m_server->sandbox->url().toString() +
                u"/main.aspx?pagetype=entityrecord&etn=msdyn_ocliveworkitem&id=c0000000-0000-0000-0000-000000000002"_s);

        // The save confirmation carries the preview's impact.
        QString intro;
        whenDialog<SaveConfirmDialog>([&intro](SaveConfirmDialog *dialog) {
            for (QLabel *label : dialog->findChildren<QLabel *>())
                intro += label->text();
            dialog->reject();
        });
        window.save();
        QVERIFY2(intro.contains(u"<b>1</b> more conversation would close,"_s), qPrintable(intro));

        // Previewing now, an edit that closes conversations at the next run is flagged beside its value.
        panel->timeChoice()->setCurrentIndex(0); // "Now"
        QVERIFY(updated.wait(20000));
        const int active = rowOf(view, u"Live chat"_s, u"Active"_s);
        typeValue(view, active, u"1h"_s);
        QVERIFY(updated.wait(20000));
        QTRY_VERIFY2(view->model()
                         ->index(active, ConfigTableModel::AutoClose)
                         .data(ConfigTableModel::RisksRole)
                         .toString()
                         .contains(u"1 conversation would close at the next run of the closing job"_s),
                     qPrintable(view->model()
                                    ->index(active, ConfigTableModel::AutoClose)
                                    .data(ConfigTableModel::RisksRole)
                                    .toString()));

        // The other timer basis is one switch away, and what the preview assumes says so.
        panel->basisChoice()->setCurrentIndex(1);
        QVERIFY(updated.wait(20000));
        QString assumptions;
        whenDialog<QMessageBox>([&assumptions](QMessageBox *box) {
            assumptions = box->text();
            box->accept();
        });
        window.findChild<QPushButton *>(u"previewAssumptionsButton"_s)->click();
        QVERIFY2(assumptions.contains(u"counts from <b>the last modification</b>"_s), qPrintable(assumptions));
    }

    void journalSurvivesAKill()
    {
        QTemporaryDir killed; // outlives the servers of this test
        QVERIFY(KilledChild::run(killed.path(), u"edit"_s, "edited"));

        // The next start, on the same data: the edit is back, and the window says so.
        const auto window = restartOn(killed.path());
        QVERIFY(window);
        QTableView *view = window->detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        QCOMPARE(valueAt(view, row), u"2 h"_s);
        QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Edited (was 20 min)"_s);
        auto *banner = window->findChild<QFrame *>(u"restoredBanner"_s);
        QVERIFY(banner->isVisible());
        const QList<QLabel *> labels = banner->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](QLabel *l) {
            return l->text().contains(u"1 unsaved edit"_s) && l->text().contains(u"from your last session"_s);
        }));
        // Discarding them is one undoable step.
        buttonNamed(banner, u"Discard them"_s)->click();
        QCOMPARE(valueAt(view, row), u"20 min"_s);
        QVERIFY(!banner->isVisible());
        window->undoStack()->undo();
        QCOMPARE(valueAt(view, row), u"2 h"_s);
    }

    void journalKeepsWorkstreamEditsThroughAKill()
    {
        QTemporaryDir killed;
        QVERIFY(KilledChild::run(killed.path(), u"edit-workstream"_s, "edited"));

        const auto window = restartOn(killed.path());
        QVERIFY(window);
        const auto edit = window->workstreamModel()->pendingEdits();
        QCOMPARE(edit.size(), 1);
        QCOMPARE(edit.first().setting, TimerSetting::Inactivity);
        QCOMPARE(edit.first().minutes, std::optional<int>(90));
        QCOMPARE(window->workstreamModel()->workstream(edit.first().id)->name, u"SMS support"_s);
        QVERIFY(!window->model()->hasPendingEdits());
        QVERIFY2(bannerText(*window).contains(u"1 unsaved edit"_s), qPrintable(bannerText(*window)));
        // Saved from the restarted window, it reaches the server.
        QSignalSpy saved(window.get(), &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        window->save();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(m_server->readWorkstream(u"SMS support"_s)->inactivityMinutes, std::optional<int>(90));
    }

    // Killed mid-save, after the server acted on the save but before its reply arrived: on restart the values are
    // shown as saved (the server holds them), nothing is left as an edit to be refused as a conflict with itself.
    void killedAfterTheServerSaved()
    {
        QTemporaryDir killed;
        const QString dir = killed.path();
        QVERIFY(KilledChild::run(dir, u"save:slow"_s, "saving"));

        const auto restarted = restartOn(dir);
        QVERIFY(restarted);
        MainWindow &window = *restarted;
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(120));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes, std::optional<int>(45));
        QTableView *view = window.detailsView();
        for (const auto &[state, value] : {std::pair {u"Open"_s, u"2 h"_s}, std::pair {u"Waiting"_s, u"45 min"_s}}) {
            const int row = rowOf(view, u"Live chat"_s, state);
            QCOMPARE(valueAt(view, row), value);
            QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Saved"_s);
        }
        QVERIFY(!window.model()->hasPendingEdits());
        QVERIFY2(bannerText(window).contains(u"2 edits you were saving when the app closed reached the server"_s),
                 qPrintable(bannerText(window)));
        QVERIFY(bannerText(window).contains(u"Live chat · Open"_s));
        // The audit log, which the interrupted save never reached, now has both.
        const auto log = AuditLog(m_server->dataDir() + u"/audit.jsonl"_s).read();
        QVERIFY(log.ok());
        QCOMPARE(log.value().size(), 2);
        for (const AuditLog::Entry &entry : log.value()) {
            QCOMPARE(entry.result, u"saved"_s);
            QCOMPARE(entry.source, u"editor (found saved at the next start)"_s);
        }
        // The journal now holds nothing: the next start restores nothing.
        MainWindow again(m_server->client.get(), environment(dir + u"/journal"_s));
        again.setView(MainWindow::View::Details); // the details list, as these tests drive it
        again.show();
        QVERIFY(load(again));
        QVERIFY(!again.findChild<QFrame *>(u"restoredBanner"_s)->isVisible());
    }

    // Killed mid-save before the server acted on it: on restart the typed values are back as edits, the server
    // still holds the old ones, and saving them then works.
    void killedBeforeTheServerSaved()
    {
        QTemporaryDir killed;
        QVERIFY(KilledChild::run(killed.path(), u"save:hold"_s, "saving"));

        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        MainWindow &window = *restarted;
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QVERIFY(m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes != std::optional<int>(45));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        QCOMPARE(valueAt(view, row), u"2 h"_s);
        QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Edited (was 20 min)"_s);
        QCOMPARE(valueAt(view, rowOf(view, u"Live chat"_s, u"Waiting"_s)), u"45 min"_s);
        QVERIFY2(bannerText(window).contains(u"2 unsaved edits from your last session were restored"_s),
                 qPrintable(bannerText(window)));
        QVERIFY2(bannerText(window).contains(
                     u"2 of them were being saved when the app closed; that save did not reach the server"_s),
                 qPrintable(bannerText(window)));

        QSignalSpy saved(&window, &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(120));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes, std::optional<int>(45));
        // Restored edits are on no undo stack: what the save replaced can still be put back, and the action says so.
        QVERIFY(window.undoLastSaveAction()->isEnabled());
        QCOMPARE(window.undoLastSaveAction()->text(), u"Undo &Last Save (2 changes)…"_s);
    }

    // An edit left unsaved (never sent) whose value a colleague then set: at the next start it needs no saving, and
    // the window says who did it — not the user's save, and not in the audit log as theirs.
    void sameValueSetMeanwhileNeedsNoSaving()
    {
        {
            MainWindow first(m_server->client.get(), environment(m_journalDir));
            first.setView(MainWindow::View::Details); // the details list, as these tests drive it
            first.show();
            QVERIFY(load(first));
            typeValue(first.detailsView(), rowOf(first.detailsView(), u"Live chat"_s, u"Open"_s), u"45"_s);
            QVERIFY(first.model()->hasPendingEdits());
        }
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 45));
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(load(window));
        QTableView *view = window.detailsView();
        const int row = rowOf(view, u"Live chat"_s, u"Open"_s);
        QCOMPARE(valueAt(view, row), u"45 min"_s);
        QCOMPARE(view->model()->index(row, ConfigTableModel::Status).data().toString(), u"Saved"_s);
        QVERIFY(!window.model()->hasPendingEdits());
        QVERIFY2(bannerText(window).contains(u"1 edit from your last session needs no saving: someone set the same "
                                             u"value meanwhile: Live chat · Open"_s),
                 qPrintable(bannerText(window)));
        QVERIFY(!QFile::exists(m_server->dataDir() + u"/audit.jsonl"_s));
    }

private:
    // The next start after a kill, on the killed run's data: its sandbox again, and a window loaded from it with the
    // journal it left. Null if either does not start.
    std::unique_ptr<MainWindow> restartOn(const QString &dir)
    {
        m_server.reset();
        LocalSandbox::Options options;
        options.dataDir = dir + u"/sandbox"_s; // the killed run's
        m_server = SandboxFixture::start(options);
        if (!m_server)
            return nullptr;
        auto window = std::make_unique<MainWindow>(m_server->client.get(), environment(dir + u"/journal"_s));
        window->setView(MainWindow::View::Details); // the details list, as these tests drive it
        window->show();
        return load(*window) ? std::move(window) : nullptr;
    }

    std::unique_ptr<SandboxFixture> m_server;
    QString m_journalDir;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app); // as the editor does: "1 edit", "2 edits"
    if (const QString child = KilledChild::directory(); !child.isEmpty())
        return runChild(child, KilledChild::mode(u"edit"_s));
    TestEditor test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_editor.moc"
