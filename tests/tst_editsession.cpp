// The edit session without a window: saving pending edits with If-Match, conflicts decided through the resolver,
// undoing the last save, applying a plan, the audit log, and the journal across a process killed with SIGKILL
// mid-edit and mid-save (the kill-and-restart cases the window's tests also drive through the widgets).
#include "KilledChild.h"
#include "SandboxFixture.h"
#include "app/session/EditSession.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

// The window's part without widgets: a model loaded from the environment, and a session on it with its journal.
struct Editor
{
    ConfigTableModel model;
    EditSession session;

    Editor(DataverseClient *client, const QString &journalDir)
        : session(client, {u"admin@contoso.com"_s, {}})
    {
        session.attach(&model, EditJournal(u"test"_s, journalDir));
    }

    // The first load, then the journal's edits brought back, as the window does.
    std::optional<EditSession::Recovery> load()
    {
        std::optional<Result<QList<ChannelStateConfig>>> configs;
        session.client()->fetchConfigurations(&model, [&configs](auto r) { configs = std::move(r); });
        if (!QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000) || !configs->ok())
            return std::nullopt;
        model.reset(configs->value());
        return session.recoverJournal();
    }

    QString id(const QString &channel, const QString &state) const
    {
        for (const ChannelStateConfig &c : model.configs()) {
            if (c.channelLabel() == channel && conversationStateLabel(c.state) == state)
                return c.id;
        }
        return {};
    }

    // Saves every pending edit and waits for the outcome; ok as the session reports it.
    std::optional<bool> saveAll()
    {
        QSignalSpy finished(&session, &EditSession::saveFinished);
        session.saveEdits(model.pendingEdits());
        if (!finished.wait(20000))
            return std::nullopt;
        return finished.last().first().toBool();
    }
};

// The child process of the kill tests: edits one value (mode "edit"), or two and saves them with the save held up by
// a sandbox fault (mode "save:FAULT"), says so, and waits to be killed. The sandbox runs in this process: the kill
// takes it down too, with whatever it had not acted on yet.
int runChild(const QString &dir, const QString &mode)
{
    auto server = SandboxFixture::start(KilledChild::sandboxOptions(dir, mode));
    if (!server)
        return 3;
    Editor editor(server->client.get(), dir + u"/journal"_s);
    if (!editor.load())
        return 4;
    const QString open = editor.id(u"Live chat"_s, u"Open"_s);
    editor.model.setPending(open, 120);
    if (mode == u"edit"_s) {
        std::printf("edited\n");
        std::fflush(stdout);
        return QCoreApplication::exec(); // until killed
    }
    editor.model.setPending(editor.id(u"Live chat"_s, u"Waiting"_s), 45);
    editor.session.saveEdits(editor.model.pendingEdits());
    if (editor.model.status(open) != ConfigTableModel::RowStatus::Saving)
        return 6;
    // "slow" acts on the save at once and holds the reply back: wait until the server holds the values. "hold" holds
    // the request itself back: give it time to arrive, then be killed before the server acts on it.
    if (mode == u"save:slow"_s) {
        if (!QTest::qWaitFor([&server] { return server->read(u"Live chat"_s, u"Open"_s)->minutes == 120; }, 20000))
            return 7;
    } else {
        QTest::qWait(500);
    }
    if (editor.model.status(open) != ConfigTableModel::RowStatus::Saving)
        return 8;
    std::printf("saving\n");
    std::fflush(stdout);
    return QCoreApplication::exec(); // until killed
}

QList<AuditLog::Entry> auditEntries(const SandboxFixture &server)
{
    const auto log = AuditLog(server.dataDir() + u"/audit.jsonl"_s).read();
    return log ? log.value() : QList<AuditLog::Entry> {};
}

} // namespace

class TestEditSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        m_journalDir = m_server->dir.path() + u"/journal"_s;
    }

    void cleanup() { m_server.reset(); }

    // A save writes every edit with If-Match, marks them saved, remembers what it replaced, and logs each record.
    void savesEditsAndLogsThem()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const QString open = editor.id(u"Live chat"_s, u"Open"_s);
        editor.model.setPending(open, 45);
        QSignalSpy saved(&editor.session, &EditSession::changesSaved);
        QCOMPARE(editor.saveAll(), std::optional<bool>(true));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().first().toInt(), 1);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(45));
        QCOMPARE(editor.model.status(open), ConfigTableModel::RowStatus::Saved);
        QVERIFY(!editor.model.hasPendingEdits());
        QCOMPARE(editor.session.lastSave().size(), 1);
        QCOMPARE(editor.session.lastSave().first().before, std::optional<int>(20));
        QCOMPARE(editor.session.lastSave().first().after, std::optional<int>(45));
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().recordId, open);
        QCOMPARE(log.first().oldMinutes, std::optional<int>(20));
        QCOMPARE(log.first().newMinutes, std::optional<int>(45));
        QCOMPARE(log.first().result, u"saved"_s);
        QCOMPARE(log.first().source, u"editor"_s);
        QCOMPARE(log.first().user, u"admin@contoso.com"_s);
        // Nothing is left in the journal: the next start restores nothing.
        Editor next(m_server->client.get(), m_journalDir);
        const auto recovery = next.load();
        QVERIFY(recovery && !recovery->any());
    }

    // A colleague's change made meanwhile is a conflict the resolver decides, never overwritten unasked; the rest of
    // the all-or-nothing save goes through once it is decided.
    void conflictsAreDecidedByTheResolver_data()
    {
        QTest::addColumn<EditSession::Decision>("decision");
        QTest::addColumn<std::optional<int>>("openAfter"); // on the server
        QTest::addColumn<bool>("waitingSaved"); // the other edit of the save
        QTest::addColumn<bool>("openPending"); // still an edit afterwards
        QTest::addRow("keep theirs") << EditSession::Decision::KeepTheirs << std::optional<int>(99) << true << false;
        QTest::addRow("overwrite") << EditSession::Decision::Overwrite << std::optional<int>(45) << true << false;
        QTest::addRow("later") << EditSession::Decision::Later << std::optional<int>(99) << false << true;
        QTest::addRow("edit") << EditSession::Decision::Edit << std::optional<int>(99) << false << true;
    }

    void conflictsAreDecidedByTheResolver()
    {
        QFETCH(EditSession::Decision, decision);
        QFETCH(std::optional<int>, openAfter);
        QFETCH(bool, waitingSaved);
        QFETCH(bool, openPending);
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const QString open = editor.id(u"Live chat"_s, u"Open"_s);
        const std::optional<int> waitingBefore = m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes;
        editor.model.setPending(open, 45);
        editor.model.setPending(editor.id(u"Live chat"_s, u"Waiting"_s), 7);
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 99));
        QList<EditSession::Conflict> asked;
        editor.session.setResolver([&asked, decision](const EditSession::Conflict &conflict) {
            asked << conflict;
            return decision;
        });
        QSignalSpy editRequested(&editor.session, &EditSession::editRequested);
        QSignalSpy finished(&editor.session, &EditSession::saveFinished);
        editor.session.saveEdits(editor.model.pendingEdits());
        // Overwriting and keeping theirs send the rest again: a second save ends it.
        QVERIFY(finished.wait(20000));
        if (waitingSaved && finished.last().first().toBool() == false)
            QVERIFY(finished.wait(20000));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().id, open);
        QCOMPARE(asked.first().label, u"Live chat · Open"_s);
        QCOMPARE(asked.first().theirs, std::optional<int>(99));
        QCOMPARE(asked.first().yours, std::optional<int>(45));
        QCOMPARE(asked.first().base, std::optional<int>(20));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, openAfter);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes,
                 waitingSaved ? std::optional<int>(7) : waitingBefore);
        QCOMPARE(editor.model.pending(open).has_value(), openPending);
        QCOMPARE(editRequested.size(), decision == EditSession::Decision::Edit ? 1 : 0);
        // Whatever was decided, the refused save is in the audit log as not saved.
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QVERIFY(std::any_of(log.cbegin(), log.cend(), [&open](const AuditLog::Entry &e) {
            return e.recordId == open && e.result == u"failed"_s && e.newMinutes == std::optional<int>(45);
        }));
    }

    // Undo last save puts back what the save replaced, each value checked against the version the save produced.
    void undoLastSavePutsBackTheValues()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        editor.model.setPending(editor.id(u"Live chat"_s, u"Open"_s), 45);
        editor.model.setPending(editor.id(u"Live chat"_s, u"Wrap-up"_s), 60);
        QCOMPARE(editor.saveAll(), std::optional<bool>(true));
        // A colleague changes one of them after the save: that one is left as it is and reported.
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Wrap-up"_s, 99));
        QSignalSpy failed(&editor.session, &EditSession::saveFailed);
        QSignalSpy finished(&editor.session, &EditSession::saveFinished);
        editor.session.undoLastSave();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), false);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Wrap-up"_s)->minutes, std::optional<int>(99));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().startsWith(u"Not every value was put back. Live chat · Wrap-up: "_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(editor.session.lastSave().size(), 1); // what is left to undo
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 4);
        QCOMPARE(log.at(2).source, u"editor: undo last save"_s);
        QCOMPARE(log.at(2).oldMinutes, std::optional<int>(45));
        QCOMPARE(log.at(2).newMinutes, std::optional<int>(20));
    }

    // The CLI's and the wizard's path: a plan applied after a "before apply" snapshot, one audit entry per record
    // naming that snapshot; a record changed since the plan was made is refused and nothing is overwritten.
    void appliesAPlan()
    {
        EditSession session(m_server->client.get(), {u"ci@contoso.com"_s, m_server->dir.path() + u"/before"_s});
        std::optional<Result<Snapshot>> before;
        SnapshotOps::capture(m_server->client.get(), &session, [&before](auto r) { before = std::move(r); });
        QVERIFY(QTest::qWaitFor([&before] { return before.has_value(); }, 20000) && before->ok());
        ApplyPlan plan;
        for (const ChannelStateConfig &c : before->value().records) {
            if (c.channelLabel() == u"SMS"_s && c.state == 0)
                plan.changes << ApplyPlan::Change {c, 60};
        }
        QCOMPARE(plan.changes.size(), 1);
        QVERIFY(m_server->colleagueSaves(u"SMS"_s, u"Open"_s, 99));
        std::optional<Result<EditSession::Outcome>> outcome;
        session.apply(plan, before->value(), u"set"_s, &session, [&outcome](auto r) { outcome = std::move(r); });
        QVERIFY(QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 20000));
        QVERIFY(outcome->ok());
        const EditSession::Outcome &o = outcome->value();
        QVERIFY(QFile::exists(o.beforeSnapshot));
        QCOMPARE(QFileInfo(o.beforeSnapshot).absolutePath(), m_server->dir.path() + u"/before"_s);
        QCOMPARE(o.results.size(), 1);
        QCOMPARE(o.results.first().outcome, WriteResult::Outcome::Failed);
        // The one record of the save is the one refused, and says so.
        QVERIFY2(o.results.first().error.userMessage.startsWith(u"Someone changed this record"_s),
                 qPrintable(o.results.first().error.userMessage));
        QCOMPARE(o.firstError()->kind, Error::Kind::Conflict);
        QCOMPARE(m_server->read(u"SMS"_s, u"Open"_s)->minutes, std::optional<int>(99));
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().user, u"ci@contoso.com"_s);
        QCOMPARE(log.first().source, u"set"_s);
        QCOMPARE(log.first().result, u"failed"_s);
        QCOMPARE(log.first().beforeSnapshot, o.beforeSnapshot);
        QCOMPARE(log.first().organizationId, before->value().organizationId);
    }

    // Killed mid-edit: the next start brings the edit back.
    void journalSurvivesAKill()
    {
        QTemporaryDir killed; // outlives the servers of this test
        QVERIFY(KilledChild::run(killed.path(), u"edit"_s, "edited"));
        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        const auto &[editor, recovery] = *restarted;
        QCOMPARE(recovery.restored, 1);
        QCOMPARE(recovery.notArrived, 0);
        const QString open = editor->id(u"Live chat"_s, u"Open"_s);
        QCOMPARE(editor->model.pending(open)->minutes, std::optional<int>(120));
        QCOMPARE(editor->model.status(open), ConfigTableModel::RowStatus::Pending);
    }

    // Killed mid-save after the server acted on it: the values are saved, nothing is left as an edit, and the audit
    // log, which the interrupted save never reached, gets both.
    void killedAfterTheServerSaved()
    {
        QTemporaryDir killed;
        QVERIFY(KilledChild::run(killed.path(), u"save:slow"_s, "saving"));
        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        const auto &[editor, recovery] = *restarted;
        QCOMPARE(recovery.restored, 0);
        QCOMPARE(recovery.savedByInterruptedSave, (QStringList {u"Live chat · Open"_s, u"Live chat · Waiting"_s}));
        QVERIFY(recovery.sameValueSetMeanwhile.isEmpty());
        QVERIFY(!editor->model.hasPendingEdits());
        QCOMPARE(editor->model.status(editor->id(u"Live chat"_s, u"Open"_s)), ConfigTableModel::RowStatus::Saved);
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 2);
        for (const AuditLog::Entry &entry : log) {
            QCOMPARE(entry.result, u"saved"_s);
            QCOMPARE(entry.source, u"editor (found saved at the next start)"_s);
        }
        // The journal now holds nothing.
        Editor again(m_server->client.get(), killed.path() + u"/journal"_s);
        const auto second = again.load();
        QVERIFY(second && !second->any());
    }

    // Killed mid-save before the server acted on it: the typed values come back as edits, and saving them works.
    void killedBeforeTheServerSaved()
    {
        QTemporaryDir killed;
        QVERIFY(KilledChild::run(killed.path(), u"save:hold"_s, "saving"));
        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        const auto &[editor, recovery] = *restarted;
        QCOMPARE(recovery.restored, 2);
        QCOMPARE(recovery.notArrived, 2);
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(editor->saveAll(), std::optional<bool>(true));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Open"_s)->minutes, std::optional<int>(120));
        QCOMPARE(m_server->read(u"Live chat"_s, u"Waiting"_s)->minutes, std::optional<int>(45));
    }

    // An edit never sent whose value a colleague then set needs no saving, and is not logged as the user's.
    void sameValueSetMeanwhileNeedsNoSaving()
    {
        {
            Editor first(m_server->client.get(), m_journalDir);
            QVERIFY(first.load());
            first.model.setPending(first.id(u"Live chat"_s, u"Open"_s), 45);
        }
        QVERIFY(m_server->colleagueSaves(u"Live chat"_s, u"Open"_s, 45));
        Editor editor(m_server->client.get(), m_journalDir);
        const auto recovery = editor.load();
        QVERIFY(recovery);
        QCOMPARE(recovery->sameValueSetMeanwhile, QStringList {u"Live chat · Open"_s});
        QVERIFY(recovery->savedByInterruptedSave.isEmpty());
        QVERIFY(!editor.model.hasPendingEdits());
        QVERIFY(!QFile::exists(m_server->dataDir() + u"/audit.jsonl"_s));
    }

    // A journal that cannot be read is reported and left in place; nothing is restored from it.
    void anUnreadableJournalIsKept()
    {
        QVERIFY(QDir().mkpath(m_journalDir));
        const QString path = EditJournal(u"test"_s, m_journalDir).path();
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not a journal");
        file.close();
        Editor editor(m_server->client.get(), m_journalDir);
        const auto recovery = editor.load();
        QVERIFY(recovery && recovery->unreadable);
        QVERIFY(recovery->any());
        QVERIFY(!editor.model.hasPendingEdits());
        QFile kept(path);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("{ not a journal"));
    }

private:
    // The next start after a kill, on the killed run's data: its sandbox again, and the edits loaded with the journal
    // it left.
    std::optional<std::pair<std::unique_ptr<Editor>, EditSession::Recovery>> restartOn(const QString &dir)
    {
        m_server.reset();
        LocalSandbox::Options options;
        options.dataDir = dir + u"/sandbox"_s; // the killed run's
        m_server = SandboxFixture::start(options);
        if (!m_server)
            return std::nullopt;
        auto editor = std::make_unique<Editor>(m_server->client.get(), dir + u"/journal"_s);
        auto recovery = editor->load();
        if (!recovery)
            return std::nullopt;
        return std::pair {std::move(editor), *recovery};
    }

    std::unique_ptr<SandboxFixture> m_server;
    QString m_journalDir;
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const QString child = KilledChild::directory(); !child.isEmpty())
        return runChild(child, KilledChild::mode(u"edit"_s));
    TestEditSession test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_editsession.moc"
