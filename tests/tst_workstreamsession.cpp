// The edit session with the workstreams' table beside the channel-state one, as the window holds them, against the
// real sandbox over HTTP: both timers of a workstream and a channel-state value saved in one all-or-nothing batch (a
// workstream's two timers in one PATCH), a colleague's change between the read and the save decided through the
// resolver, undo last save across both tables, the journal across a process killed mid-edit and mid-save, and a
// journal of the previous version (without settings) read as channel-state edits. What the server holds is always read
// over HTTP, not through the code under test.
#include "KilledChild.h"
#include "SandboxFixture.h"
#include "ServerState.h"
#include "app/session/EditSession.h"
#include "app/snapshot/AuditLog.h"
#include "models/ConfigTableModel.h"
#include "models/WorkstreamTableModel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
constexpr TimerSetting Inactivity = TimerSetting::Inactivity;
constexpr TimerSetting WrapUpBlock = TimerSetting::WrapUpBlock;
constexpr TimerSetting ChannelState = TimerSetting::ChannelState;
const QString Sms = u"SMS support"_s; // the demo data's: 2 days of inactivity, no wrap-up block
const QString JournalKey = u"test"_s;

// The window's part without widgets: both tables loaded from the environment, and a session on them with its
// journal; the workstreams' table read again by the session after a conflict, as the window's will be.
struct Editor
{
    ConfigTableModel configs;
    WorkstreamTableModel workstreams;
    EditSession session;

    Editor(DataverseClient *client, const QString &journalDir)
        : session(client, {u"admin@contoso.com"_s, {}})
    {
        session.attach(&configs, EditJournal(JournalKey, journalDir));
        session.addTable(&workstreams, [this](QObject *context, std::function<void(std::optional<Error>)> done) {
            session.client()->fetchWorkstreams(context, [this, done](Result<QList<Workstream>> read) {
                if (!read) {
                    done(read.error());
                    return;
                }
                workstreams.reset(std::move(read).value());
                done(std::nullopt);
            });
        });
    }

    // The first load of both tables, then the journal's edits brought back, as the window does.
    std::optional<EditSession::Recovery> load()
    {
        std::optional<Result<QList<ChannelStateConfig>>> readConfigs;
        std::optional<Result<QList<Workstream>>> readWorkstreams;
        session.client()->fetchConfigurations(&configs, [&readConfigs](auto r) { readConfigs = std::move(r); });
        session.client()->fetchWorkstreams(&workstreams,
                                           [&readWorkstreams](auto r) { readWorkstreams = std::move(r); });
        if (!QTest::qWaitFor([&] { return readConfigs.has_value() && readWorkstreams.has_value(); }, 20000) ||
            !readConfigs->ok() || !readWorkstreams->ok())
            return std::nullopt;
        configs.reset(readConfigs->value());
        workstreams.reset(readWorkstreams->value());
        return session.recoverJournal();
    }

    QString configId(const QString &channel, const QString &state) const
    {
        for (const ChannelStateConfig &c : configs.configs()) {
            if (c.channelLabel() == channel && conversationStateLabel(c.state) == state)
                return c.id;
        }
        return {};
    }
    QString workstreamId(const QString &name) const
    {
        for (const Workstream &w : workstreams.workstreams()) {
            if (w.name == name)
                return w.id;
        }
        return {};
    }

    // Both timers of the SMS workstream and Live chat · Open, edited.
    void editThree(int inactivity, int wrapUp, int open)
    {
        workstreams.setPendingValue({workstreamId(Sms), Inactivity}, inactivity);
        workstreams.setPendingValue({workstreamId(Sms), WrapUpBlock}, wrapUp);
        configs.setPending(configId(u"Live chat"_s, u"Open"_s), open);
    }

    QList<PendingEdit> allEdits() const { return configs.pendingEdits() + workstreams.pendingEdits(); }

    // Saves every pending edit of both tables, as the window's Save does, and waits for the outcome.
    std::optional<bool> saveAll()
    {
        QSignalSpy finished(&session, &EditSession::saveFinished);
        session.saveEdits(allEdits());
        if (!finished.wait(20000))
            return std::nullopt;
        return finished.last().first().toBool();
    }
};

QList<AuditLog::Entry> auditEntries(const SandboxFixture &server)
{
    const auto log = AuditLog(server.dataDir() + u"/audit.jsonl"_s).read();
    return log ? log.value() : QList<AuditLog::Entry> {};
}

// The child process of the kill tests: loads both tables, edits both timers of the SMS workstream and Live chat ·
// Open ("edit"), or also saves them with the save held up by a sandbox fault that acts on it and holds the reply
// ("save:slow"); says so, and waits to be killed. The sandbox runs in this process: the kill takes it down too.
int runChild(const QString &dir, const QString &mode)
{
    auto server = SandboxFixture::start(KilledChild::sandboxOptions(dir, mode));
    if (!server)
        return 3;
    Editor editor(server->client.get(), dir + u"/journal"_s);
    if (!editor.load())
        return 4;
    editor.editThree(1440, 30, 120);
    if (mode == u"edit"_s) {
        std::printf("edited\n");
        std::fflush(stdout);
        return QCoreApplication::exec(); // until killed
    }
    editor.session.saveEdits(editor.allEdits());
    const QString sms = editor.workstreamId(Sms);
    if (editor.workstreams.valueStatus({sms, WrapUpBlock}) != EditableTableModel::RowStatus::Saving)
        return 6;
    const QUrl url = server->sandbox->url();
    if (!QTest::qWaitFor([&] { return workstreamState(url, server->token).value(sms).wrapUpBlock == 30; }, 20000))
        return 7;
    if (editor.workstreams.valueStatus({sms, WrapUpBlock}) != EditableTableModel::RowStatus::Saving)
        return 8;
    std::printf("saving\n");
    std::fflush(stdout);
    return QCoreApplication::exec(); // until killed
}
} // namespace

class TestWorkstreamSession : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<SandboxFixture> m_server;
    QString m_journalDir;

    QUrl url() const { return m_server->sandbox->url(); }
    ServerState configsOnServer() const { return serverState(url(), m_server->token); }
    WorkstreamState workstreamsOnServer() const { return workstreamState(url(), m_server->token); }
    ServerWorkstream smsOnServer() const
    {
        const WorkstreamState state = workstreamsOnServer();
        return state.value(idOf(state, Sms));
    }
    std::optional<int> chatOpenOnServer() const
    {
        const ServerState state = configsOnServer();
        return state.value(idOf(state, u"Live Chat - Open"_s)).minutes;
    }
    // The sandbox numbers every write from one counter: a record written once more than another in the same save
    // would be two numbers past it, not one.
    qint64 chatOpenVersion() const
    {
        const ServerState state = configsOnServer();
        return state.value(idOf(state, u"Live Chat - Open"_s)).version;
    }
    // A colleague sets the SMS workstream's columns, over HTTP.
    bool colleagueSetsSms(const QJsonObject &columns) const
    {
        const WorkstreamState state = workstreamsOnServer();
        return colleaguePatch(url(), m_server->token, u"msdyn_liveworkstreams"_s, idOf(state, Sms), columns).status ==
            204;
    }

    // The next start after a kill, on the killed run's data: its sandbox again, and both tables loaded with the
    // journal it left.
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

private Q_SLOTS:
    void init()
    {
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        m_journalDir = m_server->dir.path() + u"/journal"_s;
    }
    void cleanup() { m_server.reset(); }

    void theDemoDataIsAsTheseTestsAssume()
    {
        const ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(2880));
        QCOMPARE(sms.wrapUpBlock, std::nullopt);
        QCOMPARE(chatOpenOnServer(), std::optional<int>(20));
    }

    // One all-or-nothing batch for both tables, a workstream's two timers in one PATCH: the sandbox numbers every
    // write from one counter, so two records written take two numbers (two timers sent apart would also refuse each
    // other, both carrying the version read). Each value is then saved, undoable, and in the audit log with its
    // setting.
    void bothTablesSaveInOneBatch()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        editor.editThree(1440, 30, 45);
        QSignalSpy saved(&editor.session, &EditSession::changesSaved);
        QCOMPARE(editor.saveAll(), std::optional<bool>(true));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().first().toInt(), 3);

        const ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(1440));
        QCOMPARE(sms.wrapUpBlock, std::optional<int>(30));
        QCOMPARE(chatOpenOnServer(), std::optional<int>(45));
        QCOMPARE(sms.version, chatOpenVersion() + 1); // Live chat · Open's PATCH, then the workstream's one

        const QString id = editor.workstreamId(Sms);
        QVERIFY(!editor.workstreams.hasPendingEdits() && !editor.configs.hasPendingEdits());
        QCOMPARE(editor.workstreams.valueStatus({id, Inactivity}), EditableTableModel::RowStatus::Saved);
        QCOMPARE(editor.workstreams.valueStatus({id, WrapUpBlock}), EditableTableModel::RowStatus::Saved);
        QCOMPARE(editor.workstreams.workstream(id)->etag, u"W/\"%1\""_s.arg(sms.version));
        QCOMPARE(editor.workstreams.workstream(id)->wrapUpBlockMinutes, std::optional<int>(30));

        const QList<EditSession::SavedValue> last = editor.session.lastSave();
        QCOMPARE(last.size(), 3);
        QCOMPARE(last.at(1).setting, Inactivity);
        QCOMPARE(last.at(1).before, std::optional<int>(2880));
        QCOMPARE(last.at(2).setting, WrapUpBlock);
        QCOMPARE(last.at(2).before, std::nullopt);
        QCOMPARE(last.at(2).label, u"SMS support · Block capacity for wrap-up"_s);

        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 3);
        QCOMPARE(log.at(0).setting, ChannelState);
        QCOMPARE(log.at(1).recordId, id);
        QCOMPARE(log.at(1).recordName, Sms);
        QCOMPARE(log.at(1).setting, Inactivity);
        QCOMPARE(log.at(1).oldMinutes, std::optional<int>(2880));
        QCOMPARE(log.at(1).newMinutes, std::optional<int>(1440));
        QCOMPARE(log.at(2).setting, WrapUpBlock);
        QCOMPARE(log.at(2).oldMinutes, std::nullopt);
        QCOMPARE(log.at(2).newMinutes, std::optional<int>(30));
        for (const AuditLog::Entry &e : log) {
            QCOMPARE(e.result, u"saved"_s);
            QCOMPARE(e.source, u"editor"_s);
        }
        // Nothing is left in the journal.
        Editor next(m_server->client.get(), m_journalDir);
        const auto recovery = next.load();
        QVERIFY(recovery && !recovery->any());
    }

    // A workstream value the environment refuses (a block over its 43,200-minute maximum) sinks the whole save: the
    // channel-state value of the same batch is not written either, and every edit is kept.
    void aRefusedWorkstreamValueSinksTheBatch()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const qint64 before = lastVersion(configsOnServer(), workstreamsOnServer());
        editor.editThree(1440, 43201, 45);
        QSignalSpy failed(&editor.session, &EditSession::saveFailed);
        QCOMPARE(editor.saveAll(), std::optional<bool>(false));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(lastVersion(configsOnServer(), workstreamsOnServer()), before);
        QCOMPARE(smsOnServer().inactivity, std::optional<int>(2880));
        QCOMPARE(chatOpenOnServer(), std::optional<int>(20));
        QCOMPARE(editor.allEdits().size(), 3);
        const QString id = editor.workstreamId(Sms);
        QCOMPARE(editor.workstreams.valueStatus({id, WrapUpBlock}), EditableTableModel::RowStatus::Failed);
        QCOMPARE(editor.configs.status(editor.configId(u"Live chat"_s, u"Open"_s)),
                 EditableTableModel::RowStatus::Failed);
        QVERIFY(editor.session.lastSave().isEmpty());
    }

    // A colleague changes the SMS workstream's inactivity between the read and the save: the save is refused whole,
    // the resolver decides that value, and the rest goes through once it is decided. The wrap-up block, which the
    // colleague did not change, is no conflict: its edit moves onto the colleague's version and is never asked about.
    void conflictsAreDecidedByTheResolver_data()
    {
        QTest::addColumn<EditSession::Decision>("decision");
        QTest::addColumn<std::optional<int>>("inactivityAfter"); // on the server
        QTest::addColumn<bool>("restSaved"); // the wrap-up block and Live chat · Open
        QTest::addColumn<bool>("inactivityPending"); // still an edit afterwards
        QTest::addRow("keep theirs") << EditSession::Decision::KeepTheirs << std::optional<int>(999) << true << false;
        QTest::addRow("overwrite") << EditSession::Decision::Overwrite << std::optional<int>(1440) << true << false;
        QTest::addRow("later") << EditSession::Decision::Later << std::optional<int>(999) << false << true;
        QTest::addRow("edit") << EditSession::Decision::Edit << std::optional<int>(999) << false << true;
    }
    void conflictsAreDecidedByTheResolver()
    {
        QFETCH(EditSession::Decision, decision);
        QFETCH(std::optional<int>, inactivityAfter);
        QFETCH(bool, restSaved);
        QFETCH(bool, inactivityPending);
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const QString id = editor.workstreamId(Sms);
        editor.editThree(1440, 30, 45);
        QVERIFY(colleagueSetsSms({{u"msdyn_autocloseafterinactivity"_s, 999}}));
        QList<EditSession::Conflict> asked;
        editor.session.setResolver([&asked, decision](const EditSession::Conflict &conflict) {
            asked << conflict;
            return decision;
        });
        QSignalSpy editRequested(&editor.session, &EditSession::editRequested);
        QSignalSpy finished(&editor.session, &EditSession::saveFinished);
        editor.session.saveEdits(editor.allEdits());
        // Overwriting and keeping theirs send the rest again: a second save ends it.
        QVERIFY(finished.wait(20000));
        if (restSaved && !finished.last().first().toBool())
            QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), restSaved);

        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().id, id);
        QCOMPARE(asked.first().setting, Inactivity);
        QCOMPARE(asked.first().label, u"SMS support · Auto-close after inactivity"_s);
        QCOMPARE(asked.first().theirs, std::optional<int>(999));
        QCOMPARE(asked.first().yours, std::optional<int>(1440));
        QCOMPARE(asked.first().base, std::optional<int>(2880));

        const ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, inactivityAfter);
        QCOMPARE(sms.wrapUpBlock, restSaved ? std::optional<int>(30) : std::nullopt);
        QCOMPARE(chatOpenOnServer(), restSaved ? std::optional<int>(45) : std::optional<int>(20));
        QCOMPARE(editor.workstreams.pendingEdit({id, Inactivity}).has_value(), inactivityPending);
        QCOMPARE(editor.workstreams.pendingEdit({id, WrapUpBlock}).has_value(), !restSaved);
        if (!restSaved) {
            // Left for later, the wrap-up edit is now made over the colleague's version: no conflict of its own; nor
            // is Live chat · Open, only rolled back with the rest of the batch.
            QCOMPARE(editor.workstreams.valueStatus({id, WrapUpBlock}), EditableTableModel::RowStatus::Pending);
            // Later leaves the conflict to decide; Edit moves the edit onto their version, for the editor.
            QCOMPARE(editor.workstreams.valueStatus({id, Inactivity}),
                     decision == EditSession::Decision::Later ? EditableTableModel::RowStatus::Conflict
                                                              : EditableTableModel::RowStatus::Pending);
            QCOMPARE(editor.configs.status(editor.configId(u"Live chat"_s, u"Open"_s)),
                     EditableTableModel::RowStatus::Failed);
        }
        QCOMPARE(editRequested.size(), decision == EditSession::Decision::Edit ? 1 : 0);
        if (!editRequested.isEmpty()) {
            QCOMPARE(editRequested.first().at(0).toString(), id);
            QCOMPARE(editRequested.first().at(1).value<TimerSetting>(), Inactivity);
        }
        // Whatever was decided, the refused save is in the audit log as not saved, setting and all.
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QVERIFY(std::any_of(log.cbegin(), log.cend(), [&id](const AuditLog::Entry &e) {
            return e.recordId == id && e.setting == Inactivity && e.result == u"failed"_s &&
                e.newMinutes == std::optional<int>(1440);
        }));
    }

    // When the values cannot be read again after a conflict, the message names the record that was refused, not
    // one rolled back with it (Live chat · Open comes first in the batch).
    void aConflictWhoseReloadFailsNamesTheRefusedRecord()
    {
        m_server.reset();
        LocalSandbox::Options options;
        // The client's reads of the workstreams (in name order, unlike the test's): the first one only goes through.
        options.faults = u"400:method=GET:query=$orderby:after=1"_s;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        m_journalDir = m_server->dir.path() + u"/journal"_s;
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        editor.editThree(1440, 30, 45);
        QVERIFY(colleagueSetsSms({{u"msdyn_autocloseafterinactivity"_s, 999}}));
        QSignalSpy failed(&editor.session, &EditSession::saveFailed);
        QCOMPARE(editor.saveAll(), std::optional<bool>(false));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().startsWith(
                     u"A colleague changed SMS support · Auto-close after inactivity meanwhile, and the current values "
                     u"could not be read"_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(editor.allEdits().size(), 3);
        QCOMPARE(smsOnServer().inactivity, std::optional<int>(999));
        QCOMPARE(chatOpenOnServer(), std::optional<int>(20));
    }

    // A colleague who changed only the other timer of the record is no conflict at all: nothing is asked, and the
    // save goes through over their version, their value kept.
    void aChangeOfTheOtherTimerIsNoConflict()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const QString id = editor.workstreamId(Sms);
        editor.workstreams.setPendingValue({id, WrapUpBlock}, 30);
        QVERIFY(colleagueSetsSms({{u"msdyn_autocloseafterinactivity"_s, 999}}));
        int asked = 0;
        editor.session.setResolver([&asked](const EditSession::Conflict &) {
            ++asked;
            return EditSession::Decision::Later;
        });
        QSignalSpy finished(&editor.session, &EditSession::saveFinished);
        editor.session.saveEdits(editor.allEdits());
        QVERIFY(finished.wait(20000));
        if (!finished.last().first().toBool())
            QVERIFY(finished.wait(20000)); // the resend after reading the colleague's version
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(asked, 0);
        const ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(999));
        QCOMPARE(sms.wrapUpBlock, std::optional<int>(30));
        QVERIFY(!editor.workstreams.hasPendingEdits());
    }

    // Both timers edited; a colleague meanwhile sets the inactivity to the very value typed and changes the wrap-up
    // block. The inactivity is confirmed by reading (the server holds what was asked for), which moves the wrap-up
    // edit onto the colleague's version: the colleague's wrap-up block is still theirs to keep, and asked about.
    void aColleaguesOtherTimerIsAskedAboutAfterAConfirmedOne()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        const QString id = editor.workstreamId(Sms);
        editor.workstreams.setPendingValue({id, Inactivity}, 1440);
        editor.workstreams.setPendingValue({id, WrapUpBlock}, 30);
        QVERIFY(
            colleagueSetsSms({{u"msdyn_autocloseafterinactivity"_s, 1440}, {u"msdyn_blockcapacityforwrapup"_s, 45}}));
        QList<EditSession::Conflict> asked;
        editor.session.setResolver([&asked](const EditSession::Conflict &conflict) {
            asked << conflict;
            return EditSession::Decision::Later;
        });
        QCOMPARE(editor.saveAll(), std::optional<bool>(false));
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().setting, WrapUpBlock);
        QCOMPARE(asked.first().theirs, std::optional<int>(45));
        QCOMPARE(asked.first().yours, std::optional<int>(30));
        const ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(1440));
        QCOMPARE(sms.wrapUpBlock, std::optional<int>(45)); // the colleague's, not overwritten
        QVERIFY(editor.workstreams.pendingEdit({id, WrapUpBlock}).has_value());
    }

    // Undo last save puts back what the save replaced in both tables, each record checked against the version the
    // save produced; a record a colleague changed since is left as it is, both its timers, and reported.
    void undoLastSavePutsBackBothTables()
    {
        Editor editor(m_server->client.get(), m_journalDir);
        QVERIFY(editor.load());
        editor.editThree(1440, 30, 45);
        QCOMPARE(editor.saveAll(), std::optional<bool>(true));
        const qint64 saved = smsOnServer().version;
        QSignalSpy finished(&editor.session, &EditSession::saveFinished);
        editor.session.undoLastSave();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), true);
        ServerWorkstream sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(2880));
        QCOMPARE(sms.wrapUpBlock, std::nullopt);
        QCOMPARE(chatOpenOnServer(), std::optional<int>(20));
        QCOMPARE(chatOpenVersion(), saved + 1); // one PATCH per record, one after the other
        QCOMPARE(sms.version, saved + 2);
        QVERIFY(editor.session.lastSave().isEmpty());
        const QString id = editor.workstreamId(Sms);
        QCOMPARE(editor.workstreams.workstream(id)->inactivityMinutes, std::optional<int>(2880));
        QCOMPARE(editor.workstreams.workstream(id)->etag, u"W/\"%1\""_s.arg(sms.version));
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 6);
        QCOMPARE(log.at(5).source, u"editor: undo last save"_s);
        QCOMPARE(log.at(5).setting, WrapUpBlock);
        QCOMPARE(log.at(5).oldMinutes, std::optional<int>(30));
        QCOMPARE(log.at(5).newMinutes, std::nullopt);

        // Saved again, then a colleague changes the workstream's block: the undo puts back Live chat · Open only.
        editor.editThree(1440, 30, 45);
        QCOMPARE(editor.saveAll(), std::optional<bool>(true));
        QVERIFY(colleagueSetsSms({{u"msdyn_blockcapacityforwrapup"_s, 99}}));
        QSignalSpy failed(&editor.session, &EditSession::saveFailed);
        editor.session.undoLastSave();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.last().first().toBool(), false);
        sms = smsOnServer();
        QCOMPARE(sms.inactivity, std::optional<int>(1440));
        QCOMPARE(sms.wrapUpBlock, std::optional<int>(99));
        QCOMPARE(chatOpenOnServer(), std::optional<int>(20));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(u"SMS support · Block capacity for wrap-up: "_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(editor.session.lastSave().size(), 2); // the workstream's two values are left to undo
    }

    // Killed mid-edit: the next start brings each edit back into its own table, versions included.
    void journalSurvivesAKill()
    {
        QTemporaryDir killed; // outlives the servers of this test
        QVERIFY(KilledChild::run(killed.path(), u"edit"_s, "edited"));
        QFile journal(EditJournal(JournalKey, killed.path() + u"/journal"_s).path());
        QVERIFY(journal.open(QIODevice::ReadOnly));
        const QJsonArray written = QJsonDocument::fromJson(journal.readAll())[u"edits"_s].toArray();
        QCOMPARE(written.size(), 3);
        QCOMPARE(written.at(1)[u"setting"_s].toString(), u"inactivity"_s);
        QCOMPARE(written.at(2)[u"setting"_s].toString(), u"wrap-up-block"_s);

        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        const auto &[editor, recovery] = *restarted;
        QCOMPARE(recovery.restored, 3);
        QCOMPARE(recovery.notArrived, 0);
        const QString id = editor->workstreamId(Sms);
        QCOMPARE(editor->workstreams.pendingEdits().size(), 2);
        QCOMPARE(editor->workstreams.pendingEdit({id, Inactivity})->minutes, std::optional<int>(1440));
        QCOMPARE(editor->workstreams.pendingEdit({id, WrapUpBlock})->minutes, std::optional<int>(30));
        QCOMPARE(editor->workstreams.pendingEdit({id, WrapUpBlock})->baseEtag,
                 editor->workstreams.workstream(id)->etag);
        QCOMPARE(editor->workstreams.valueStatus({id, Inactivity}), EditableTableModel::RowStatus::Pending);
        QCOMPARE(editor->configs.pendingEdits().size(), 1);
        QCOMPARE(editor->configs.pending(editor->configId(u"Live chat"_s, u"Open"_s))->minutes,
                 std::optional<int>(120));
        // And they save.
        QCOMPARE(editor->saveAll(), std::optional<bool>(true));
        QCOMPARE(smsOnServer().wrapUpBlock, std::optional<int>(30));
        QCOMPARE(smsOnServer().inactivity, std::optional<int>(1440));
    }

    // Killed mid-save after the server acted on it: the values are saved, nothing is left as an edit, and the audit
    // log, which the interrupted save never reached, gets each value with its setting.
    void killedAfterTheServerSaved()
    {
        QTemporaryDir killed;
        QVERIFY(KilledChild::run(killed.path(), u"save:slow"_s, "saving"));
        const auto restarted = restartOn(killed.path());
        QVERIFY(restarted);
        const auto &[editor, recovery] = *restarted;
        QCOMPARE(recovery.restored, 0);
        QCOMPARE(recovery.savedByInterruptedSave,
                 (QStringList {u"Live chat · Open"_s, u"SMS support · Auto-close after inactivity"_s,
                               u"SMS support · Block capacity for wrap-up"_s}));
        QVERIFY(!editor->workstreams.hasPendingEdits() && !editor->configs.hasPendingEdits());
        const QString id = editor->workstreamId(Sms);
        QCOMPARE(editor->workstreams.valueStatus({id, WrapUpBlock}), EditableTableModel::RowStatus::Saved);
        const QList<AuditLog::Entry> log = auditEntries(*m_server);
        QCOMPARE(log.size(), 3);
        QCOMPARE(log.at(1).setting, Inactivity);
        QCOMPARE(log.at(2).setting, WrapUpBlock);
        QCOMPARE(log.at(2).newMinutes, std::optional<int>(30));
        for (const AuditLog::Entry &entry : log) {
            QCOMPARE(entry.result, u"saved"_s);
            QCOMPARE(entry.source, u"editor (found saved at the next start)"_s);
        }
    }

    // A journal the previous version wrote (no "setting" field: every edit was a channel-state value) comes back into
    // the channel-state table, not the workstreams'.
    void aJournalOfThePreviousVersionIsReadAsChannelStateEdits()
    {
        QString open;
        QString etag;
        {
            Editor reader(m_server->client.get(), m_journalDir);
            QVERIFY(reader.load());
            open = reader.configId(u"Live chat"_s, u"Open"_s);
            etag = reader.configs.config(open)->etag;
        }
        QVERIFY(QDir().mkpath(m_journalDir));
        QFile file(EditJournal(JournalKey, m_journalDir).path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            u"{\n    \"edits\": [\n        {\n            \"baseEtag\": \"%1\",\n            \"baseMinutes\": 20,\n"
            u"            \"id\": \"%2\",\n            \"minutes\": 45\n        }\n    ],\n"
            u"    \"environment\": \"%3\",\n    \"version\": 1\n}\n"_s
                .arg(QString(etag).replace(u"\""_s, u"\\\""_s), open, JournalKey)
                .toUtf8());
        file.close();
        Editor editor(m_server->client.get(), m_journalDir);
        const auto recovery = editor.load();
        QVERIFY(recovery);
        QVERIFY(!recovery->unreadable);
        QCOMPARE(recovery->restored, 1);
        QCOMPARE(recovery->gone, 0);
        QCOMPARE(editor.configs.pending(open)->minutes, std::optional<int>(45));
        QCOMPARE(editor.configs.pending(open)->baseEtag, etag);
        QCOMPARE(editor.configs.status(open), EditableTableModel::RowStatus::Pending);
        QVERIFY(!editor.workstreams.hasPendingEdits());
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (const QString child = KilledChild::directory(); !child.isEmpty())
        return runChild(child, KilledChild::mode(u"edit"_s));
    TestWorkstreamSession test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_workstreamsession.moc"
