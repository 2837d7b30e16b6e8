// The workstreams' timers in the real window, offscreen, against a sandbox on 127.0.0.1: the Workstreams view
// (Ctrl+3), typing a timer with the same editor and undo as the channel-state values, "never" refused where the column
// is required, one save for both tables, a colleague's change met as a conflict, undo last save, an edit flagged with
// what it would close at the closing job's next run, and a user who may not write workstreams.
#include "GuiTestSupport.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "app/journal/EditJournal.h"
#include "models/ConfigTableModel.h"
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
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>
#include <QUuid>

using namespace Qt::StringLiterals;
using GuiTestSupport::buttonNamed;
using GuiTestSupport::openEditor;

namespace {
QPointer<QObject> g_watchers;

template<typename T>
void whenDialog(std::function<void(T *)> action)
{
    GuiTestSupport::whenDialog<T>(g_watchers.data(), std::move(action));
}

int rowOfWorkstream(QTableView *view, const QString &name)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, WorkstreamTableModel::Name).data().toString() == name)
            return row;
    }
    return -1;
}

QString cell(QTableView *view, const QString &name, int column)
{
    return view->model()->index(rowOfWorkstream(view, name), column).data().toString();
}

// Types text into a workstream's timer cell through the keyboard; returns the editor when it stayed open (refused).
DurationLineEdit *typeTimer(QTableView *view, const QString &name, int column, const QString &text)
{
    QApplication::setActiveWindow(view->window());
    (void)QTest::qWaitForWindowActive(view->window());
    view->setFocus();
    view->setCurrentIndex(view->model()->index(rowOfWorkstream(view, name), column));
    QTest::keyClick(view, Qt::Key_F2);
    DurationLineEdit *editor = openEditor(view);
    if (!editor)
        return nullptr;
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    (void)QTest::qWaitFor([view] { return !openEditor(view); }, 2000);
    return openEditor(view);
}
} // namespace

class TestWorkstreamsWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(u"AutoCloseEditorTests"_s); }
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

    void editingSavingAndUndoingTimers()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.show();
        QVERIFY(load(window));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.view(), MainWindow::View::Workstreams);
        QTableView *view = window.workstreamsView()->table();
        QVERIFY(view->isVisible());
        QCOMPARE(view->model()->rowCount(), m_server->readWorkstreams().size());
        const auto before = m_server->readWorkstream(u"SMS support"_s);
        QVERIFY(before && before->inactivityMinutes);
        QCOMPARE(cell(view, u"SMS support"_s, WorkstreamTableModel::Inactivity),
                 Duration::format(before->inactivityMinutes));

        // Inactivity is required: "never" is refused in the editor, which stays open with the text.
        DurationLineEdit *refused = typeTimer(view, u"SMS support"_s, WorkstreamTableModel::Inactivity, u"never"_s);
        QVERIFY(refused);
        QVERIFY2(refused->hint()->text().contains(u"required"_s), qPrintable(refused->hint()->text()));
        QTest::keyClick(refused, Qt::Key_Escape);
        QTRY_VERIFY(!openEditor(view));
        QVERIFY(!window.workstreamModel()->hasPendingEdits());

        // Both timers of one workstream, a risky one flagged, each an undoable step.
        QVERIFY(!typeTimer(view, u"SMS support"_s, WorkstreamTableModel::Inactivity, u"3m"_s));
        QVERIFY(!typeTimer(view, u"SMS support"_s, WorkstreamTableModel::WrapUpBlock, u"20m"_s));
        QCOMPARE(cell(view, u"SMS support"_s, WorkstreamTableModel::Inactivity), u"3 min"_s);
        QCOMPARE(cell(view, u"SMS support"_s, WorkstreamTableModel::WrapUpBlock), u"20 min"_s);
        const QModelIndex inactivity =
            view->model()->index(rowOfWorkstream(view, u"SMS support"_s), WorkstreamTableModel::Inactivity);
        QVERIFY(inactivity.data(WorkstreamTableModel::RisksRole).toString().contains(u"Under 5 minutes"_s));
        QCOMPARE(window.undoStack()->count(), 2);
        QCOMPARE(window.undoStack()->undoText(), u"Set SMS support · Block capacity for wrap-up to 20 min"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(cell(view, u"SMS support"_s, WorkstreamTableModel::WrapUpBlock),
                 before->wrapUpBlockMinutes ? Duration::format(before->wrapUpBlockMinutes) : u"Always block"_s);
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window.workstreamModel()->pendingEdits().size(), 2);

        // And a channel-state value: one save sends both tables, confirmed first with every value listed.
        window.setView(MainWindow::View::Details);
        GuiTestSupport::typeValue(window.detailsView(),
                                  GuiTestSupport::rowOf(window.detailsView(), u"SMS"_s, u"Open"_s), u"2d"_s);
        window.setView(MainWindow::View::Workstreams);
        QSignalSpy saved(&window, &MainWindow::saveFinished);
        QList<QStringList> shown;
        whenDialog<SaveConfirmDialog>([&shown](SaveConfirmDialog *dialog) {
            auto *tree = dialog->findChild<QTreeWidget *>();
            for (int i = 0; i < tree->topLevelItemCount(); ++i)
                shown << QStringList {tree->topLevelItem(i)->text(0), tree->topLevelItem(i)->text(1),
                                      tree->topLevelItem(i)->text(3)};
            buttonNamed(dialog, u"Save"_s)->click();
        });
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(shown.size(), 3);
        QVERIFY(shown.contains(QStringList {u"SMS support"_s, u"Auto-close after inactivity"_s, u"3 min"_s}));
        QVERIFY(shown.contains(QStringList {u"SMS support"_s, u"Block capacity for wrap-up"_s, u"20 min"_s}));
        const auto after = m_server->readWorkstream(u"SMS support"_s);
        QCOMPARE(after->inactivityMinutes, std::optional<int>(3));
        QCOMPARE(after->wrapUpBlockMinutes, std::optional<int>(20));
        QCOMPARE(m_server->read(u"SMS"_s, u"Open"_s)->minutes, std::optional<int>(2880));
        QVERIFY(!window.workstreamModel()->hasPendingEdits());
        QCOMPARE(cell(view, u"SMS support"_s, WorkstreamTableModel::Status), u"Saved"_s);

        // Undo last save puts back all three values.
        QVERIFY(window.undoLastSaveAction()->isEnabled());
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Put Back"_s)->click(); });
        window.undoLastSaveAction()->trigger();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        const auto undone = m_server->readWorkstream(u"SMS support"_s);
        QCOMPARE(undone->inactivityMinutes, before->inactivityMinutes);
        QCOMPARE(undone->wrapUpBlockMinutes, before->wrapUpBlockMinutes);
        QCOMPARE(m_server->read(u"SMS"_s, u"Open"_s)->minutes, std::optional<int>(43200));
    }

    // Previewing now, a workstream timer edit that would close conversations at the closing job's next run is flagged
    // beside that timer, as a channel-state value's is, with the count the preview gives its conversations.
    void aTimerEditThatClosesConversationsIsFlagged()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        QSignalSpy updated(panel, &PreviewPanel::updated);
        panel->timeChoice()->setCurrentIndex(0); // "Now"
        QVERIFY(QTest::qWaitFor([panel] { return panel->isCurrent() && panel->isNow(); }, 20000));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QTableView *view = window.workstreamsView()->table();
        updated.clear();
        QVERIFY(!typeTimer(view, u"SMS support"_s, WorkstreamTableModel::Inactivity, u"1m"_s));
        QVERIFY(updated.wait(20000));
        QCOMPARE(updated.last().first().toBool(), true);

        // What the preview counts for the workstream's Waiting conversations: the truth the note must give.
        const QString sms = window.workstreamModel()->workstreams().at(rowOfWorkstream(view, u"SMS support"_s)).id;
        qint64 newly = 0;
        for (const ClosurePreview::Impact &impact : panel->impacts())
            for (const ClosurePreview::Impact::PartCount &part : impact.parts)
                if (part.part.workstreamEdited &&
                    part.part.workstreamIds.contains(QUuid(sms).toString(QUuid::WithoutBraces)))
                    newly += part.newlyCloses;
        QVERIFY2(newly > 0, "the demo has SMS conversations waiting for more than a minute");
        const QModelIndex inactivity =
            view->model()->index(rowOfWorkstream(view, u"SMS support"_s), WorkstreamTableModel::Inactivity);
        const QString expected = newly == 1
            ? u"1 conversation would close at the next run of the closing job"_s
            : u"%1 conversations would close at the next run of the closing job"_s.arg(newly);
        QTRY_VERIFY2(inactivity.data(WorkstreamTableModel::RisksRole).toString().contains(expected),
                     qPrintable(inactivity.data(WorkstreamTableModel::RisksRole).toString()));
        QVERIFY(inactivity.data(Qt::ToolTipRole).toString().contains(expected));
        // Its other timer, and another workstream's, carry no such note.
        const QModelIndex block =
            view->model()->index(rowOfWorkstream(view, u"SMS support"_s), WorkstreamTableModel::WrapUpBlock);
        QVERIFY(!block.data(WorkstreamTableModel::RisksRole).toString().contains(u"next run"_s));
        const QModelIndex other =
            view->model()->index(rowOfWorkstream(view, u"Social care"_s), WorkstreamTableModel::Inactivity);
        QVERIFY(other.isValid());
        QVERIFY(!other.data(WorkstreamTableModel::RisksRole).toString().contains(u"next run"_s));

        // Undone, the note goes with the edit.
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!inactivity.data(WorkstreamTableModel::RisksRole).toString().contains(u"next run"_s));
        QVERIFY(updated.wait(20000));
        QVERIFY(!inactivity.data(WorkstreamTableModel::RisksRole).toString().contains(u"next run"_s));
    }

    // A colleague's change to the same timer is a conflict, asked about, never overwritten; a change to the
    // workstream's other timer moves the record's version only: the edit goes on over it and theirs is kept.
    void aColleaguesChangeIsNeverOverwritten()
    {
        MainWindow window(m_server->client.get(), environment(m_journalDir));
        window.show();
        QVERIFY(load(window));
        window.setView(MainWindow::View::Workstreams);
        QTableView *view = window.workstreamsView()->table();
        const auto before = m_server->readWorkstream(u"Social care"_s);
        QVERIFY(before);
        QVERIFY(!typeTimer(view, u"Social care"_s, WorkstreamTableModel::Inactivity, u"1d"_s));
        QVERIFY(m_server->colleagueSavesWorkstream(u"Social care"_s, TimerSetting::Inactivity, 600));

        QSignalSpy saved(&window, &MainWindow::saveFinished);
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        QString theirs;
        whenDialog<ConflictDialog>([&theirs](ConflictDialog *dialog) {
            theirs = dialog->findChild<QLabel *>(u"theirs"_s)->text();
            dialog->findChild<QPushButton *>(u"later"_s)->click();
        });
        window.save();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), false);
        QVERIFY2(theirs.contains(u"10 h"_s), qPrintable(theirs));
        QCOMPARE(m_server->readWorkstream(u"Social care"_s)->inactivityMinutes, std::optional<int>(600));
        QVERIFY(window.workstreamModel()->hasPendingEdits());
        QCOMPARE(view->model()
                     ->index(rowOfWorkstream(view, u"Social care"_s), WorkstreamTableModel::Status)
                     .data(WorkstreamTableModel::StatusRole)
                     .toInt(),
                 int(EditableTableModel::RowStatus::Conflict));
        window.discardAll();
        QVERIFY(!window.workstreamModel()->hasPendingEdits());

        // The other timer: no question, the user's value saved, the colleague's kept.
        QVERIFY(!typeTimer(view, u"Social care"_s, WorkstreamTableModel::Inactivity, u"1d"_s));
        QVERIFY(m_server->colleagueSavesWorkstream(u"Social care"_s, TimerSetting::WrapUpBlock, 30));
        whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) { buttonNamed(dialog, u"Save"_s)->click(); });
        bool asked = false;
        whenDialog<ConflictDialog>([&asked](ConflictDialog *dialog) {
            asked = true;
            dialog->findChild<QPushButton *>(u"later"_s)->click();
        });
        window.save();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QVERIFY(!asked);
        const auto after = m_server->readWorkstream(u"Social care"_s);
        QCOMPARE(after->inactivityMinutes, std::optional<int>(1440));
        QCOMPARE(after->wrapUpBlockMinutes, std::optional<int>(30));
        QVERIFY(!window.workstreamModel()->hasPendingEdits());
    }

    void aUserWhoMayNotWriteWorkstreamsCannotEditThem()
    {
        cleanup();
        g_watchers = new QObject(this);
        LocalSandbox::Options options;
        options.readOnlyUser = true;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        QSignalSpy known(&window, &MainWindow::permissionsKnown);
        window.show();
        QVERIFY(load(window));
        QVERIFY(known.count() > 0 || known.wait(20000));
        window.setView(MainWindow::View::Workstreams);
        QTableView *view = window.workstreamsView()->table();
        QVERIFY(window.workstreamModel()->isReadOnly());
        const QModelIndex timer =
            view->model()->index(rowOfWorkstream(view, u"SMS support"_s), WorkstreamTableModel::Inactivity);
        QVERIFY(!(timer.flags() & Qt::ItemIsEditable));
        view->setCurrentIndex(timer);
        QTest::keyClick(view, Qt::Key_F2);
        QVERIFY(!openEditor(view));
        QVERIFY(GuiTestSupport::bannerText(&window, u"readOnlyBanner"_s).contains(u"Work Stream"_s));
    }

    // A user who may write the channel-state values but not the workstreams, with a workstream edit the journal
    // kept: it is shown, kept, and counted, but Save (which sends only what may be written) stays off.
    void editsOfAReadOnlyTableAreKeptButNotSaved()
    {
        cleanup();
        g_watchers = new QObject(this);
        LocalSandbox::Options options;
        options.withoutPrivileges = {u"prvWritemsdyn_liveworkstream"_s};
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        const QString journalDir = m_server->dir.path() + u"/journal"_s;
        const auto sms = m_server->readWorkstream(u"SMS support"_s);
        QVERIFY(sms);
        QVERIFY(EditJournal(u"test"_s, journalDir)
                    .write({PendingEdit {sms->id, 90, sms->etag, sms->inactivityMinutes, TimerSetting::Inactivity}}));
        MainWindow window(m_server->client.get(), environment(journalDir));
        QSignalSpy known(&window, &MainWindow::permissionsKnown);
        window.show();
        QVERIFY(load(window));
        QVERIFY(known.count() > 0 || known.wait(20000));
        QVERIFY(window.workstreamModel()->isReadOnly());
        QVERIFY(!window.model()->isReadOnly());
        QCOMPARE(window.workstreamModel()->pendingEdits().size(), 1);
        QVERIFY(!window.saveAction()->isEnabled());
        // An edit of the writable table turns Save on, and the save sends that edit alone.
        window.setView(MainWindow::View::Details);
        GuiTestSupport::typeValue(window.detailsView(),
                                  GuiTestSupport::rowOf(window.detailsView(), u"SMS"_s, u"Open"_s), u"2d"_s);
        QVERIFY(window.saveAction()->isEnabled());
        QSignalSpy saved(&window, &MainWindow::saveFinished);
        int rows = 0;
        whenDialog<SaveConfirmDialog>([&rows](SaveConfirmDialog *dialog) {
            rows = dialog->findChild<QTreeWidget *>()->topLevelItemCount();
            buttonNamed(dialog, u"Save"_s)->click();
        });
        window.save();
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().first().toBool(), true);
        QCOMPARE(rows, 1);
        QCOMPARE(m_server->read(u"SMS"_s, u"Open"_s)->minutes, std::optional<int>(2880));
        QCOMPARE(m_server->readWorkstream(u"SMS support"_s)->inactivityMinutes, sms->inactivityMinutes);
        QCOMPARE(window.workstreamModel()->pendingEdits().size(), 1);
        QVERIFY(!window.saveAction()->isEnabled());
    }

private:
    std::unique_ptr<SandboxFixture> m_server;
    QString m_journalDir;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app); // as the editor does: "1 conversation", "6 conversations"
    TestWorkstreamsWindow test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workstreamswindow.moc"
