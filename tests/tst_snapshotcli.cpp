// Snapshots through the real autoclose-cli against real autoclose-sandbox processes: export, diff (files, live,
// two environments), set, apply with its dry run, a conflict, broken files, the audit log and the exit codes.
// What a command changed is always checked on the server, over HTTP, not through the CLI.
#include "CliProcess.h"
#include "SandboxProcess.h"
#include "ServerState.h"
#include "TestFiles.h"
#include "TestHttp.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"snapshot-test-token"_s;
const QString TokenVar = u"AUTOCLOSE_SNAPSHOT_TOKEN"_s;

} // namespace

class TestSnapshotCli : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<SandboxProcess> m_sandbox;

    QProcessEnvironment env(const QString &token = Token) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(TokenVar, token);
        e.insert(u"AUTOCLOSE_DATA_DIR"_s, dataDir());
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_home->filePath(u"config"_s));
        return e;
    }
    QString dataDir() const { return m_home->filePath(u"data"_s); }
    QString path(const QString &name) const { return m_home->filePath(name); }
    QStringList on(const SandboxProcess &sandbox) const
    {
        return {u"--url"_s, sandbox.url().toString(), u"--access-token-env"_s, TokenVar};
    }
    CliRun cli(const QStringList &args, const QString &token = Token) const
    {
        return runCli(on(*m_sandbox) + args, env(token));
    }
    QList<AuditLog::Entry> audit() const
    {
        const auto entries = AuditLog(dataDir() + u"/audit.jsonl"_s).read();
        return entries ? entries.value() : QList<AuditLog::Entry> {};
    }
    QStringList beforeApplySnapshots() const { return QDir(dataDir() + u"/snapshots"_s).entryList(QDir::Files); }
    // A colleague changes a workstream's values on the server, over HTTP.
    bool colleagueSetsWorkstream(const SandboxProcess &sandbox, const QString &name, const QJsonObject &values) const
    {
        const QString id = idOf(workstreamState(sandbox.url(), Token), name);
        return colleaguePatch(sandbox.url(), Token, u"msdyn_liveworkstreams"_s, id, values).status == 204;
    }
    // Nothing was sent: both tables as they were, no audit entry, no "before apply" snapshot.
    void checkNothingWasSent(const ServerState &records, const WorkstreamState &workstreams) const
    {
        QCOMPARE(serverState(m_sandbox->url(), Token), records);
        QCOMPARE(workstreamState(m_sandbox->url(), Token), workstreams);
        QVERIFY(audit().isEmpty());
        QVERIFY(beforeApplySnapshots().isEmpty());
    }
    // An export of the sandbox, as a file.
    QByteArray exported()
    {
        const CliRun run = cli({u"export"_s});
        if (run.exitCode != 0)
            qWarning() << run.err;
        return run.out;
    }

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {Token});
        QVERIFY2(m_sandbox->waitUntilListening(), m_sandbox->process().readAllStandardError().constData());
    }
    void cleanup()
    {
        m_sandbox.reset();
        m_home.reset();
    }

    void exportThenCompareWithLiveIsEmpty()
    {
        const CliRun run = cli({u"export"_s, u"-o"_s, path(u"a.json"_s)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("24 records and 6 workstreams written to"), run.err.constData());
        QVERIFY(run.out.isEmpty());

        // The export holds the workstreams and their values, as the server does.
        const auto exported = SnapshotFiles::read(path(u"a.json"_s));
        QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().userMessage));
        QCOMPARE(exported.value().schemaVersion, 2);
        const WorkstreamState server = workstreamState(m_sandbox->url(), Token);
        QCOMPARE(exported.value().workstreams.size(), server.size());
        QCOMPARE(server.size(), 6);
        for (const Workstream &w : exported.value().workstreams) {
            QCOMPARE(w.name, server.value(w.id).name);
            QCOMPARE(w.inactivityMinutes, server.value(w.id).inactivity);
            QCOMPARE(w.wrapUpBlockMinutes, server.value(w.id).wrapUpBlock);
            QCOMPARE(Snapshot::versionNumber(w.etag), server.value(w.id).version);
        }

        const CliRun diff = cli({u"diff"_s, path(u"a.json"_s), u"live"_s});
        QVERIFY2(diff.exitCode == 0, QByteArray(diff.out + diff.err).constData());
        QVERIFY2(diff.out.contains("Channel-state records: 0 changed, 0 only left, 0 only right, 0 ambiguous; 24 the "
                                   "same.\nWorkstream values: 0 changed, 0 only left, 0 only right, 0 ambiguous; 12 "
                                   "the same."),
                 diff.out.constData());

        const CliRun json = cli({u"diff"_s, u"live"_s, path(u"a.json"_s), u"--format"_s, u"json"_s});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(root.value(u"counts"_s).toObject().value(u"same"_s).toInt(), 24);
        QVERIFY(root.value(u"differences"_s).toArray().isEmpty());
        const QJsonObject workstreams = root.value(u"workstreams"_s).toObject();
        QCOMPARE(workstreams.value(u"compared"_s).toBool(), true);
        QCOMPARE(workstreams.value(u"counts"_s).toObject().value(u"same"_s).toInt(), 12);
        QVERIFY(workstreams.value(u"differences"_s).toArray().isEmpty());

        // CSV: a line per value, the records' then two per workstream.
        const CliRun csv = cli({u"export"_s, u"--format"_s, u"csv"_s});
        QCOMPARE(csv.exitCode, 0);
        QVERIFY(csv.out.startsWith("id,name,channel,channel_label,channel_configuration,state,state_label,minutes,"
                                   "versionnumber,setting\r\n"));
        QCOMPARE(csv.out.count('\n'), 1 + 24 + 12);
        QCOMPARE(csv.out.count(",channel-state\r\n"), 24);
        QCOMPARE(csv.out.count(",inactivity\r\n"), 6);
        QCOMPARE(csv.out.count(",wrap-up-block\r\n"), 6);
        QVERIFY2(csv.out.contains(",SMS support,192340000,SMS,,,,2880,"), csv.out.constData());
    }

    void twoExportsDifferOnlyInTheExportTimeLine()
    {
        const QList<QByteArray> first = exported().split('\n');
        QTest::qWait(1100); // exportedAt has whole seconds
        const QList<QByteArray> second = exported().split('\n');
        QCOMPARE(first.size(), second.size());
        QVERIFY(first.size() > 24 * 10);
        QList<qsizetype> differing;
        for (qsizetype i = 0; i < first.size(); ++i)
            if (first.at(i) != second.at(i))
                differing << i;
        QCOMPARE(differing, QList<qsizetype> {5});
        QVERIFY(first.at(5).startsWith("  \"exportedAt\": "));
    }

    void aFailedExportLeavesTheEarlierFileIntact()
    {
        QVERIFY(writeFile(path(u"kept.json"_s), "the earlier export\n"));
        const CliRun run = cli({u"export"_s, u"-o"_s, path(u"kept.json"_s)}, u"wrong-token"_s);
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(readFile(path(u"kept.json"_s)), QByteArray("the earlier export\n"));
        const QStringList left = QDir(m_home->path()).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(left, QStringList {u"kept.json"_s});
    }

    void compareTwoEnvironments()
    {
        SandboxProcess other({Token});
        QVERIFY(other.waitUntilListening());
        for (const auto &[name, sandbox] : {std::pair {u"Dev"_s, m_sandbox.get()}, std::pair {u"Prod"_s, &other}}) {
            const CliRun added = runCli({u"profiles"_s, u"add"_s, name, u"--url"_s, sandbox->url().toString(),
                                         u"--auth"_s, u"env-token"_s, u"--token-env"_s, TokenVar},
                                        env());
            QVERIFY2(added.exitCode == 0, added.err.constData());
        }
        const CliRun set =
            runCli({u"--profile"_s, u"Prod"_s, u"set"_s, u"Live Chat - Open"_s, u"2h"_s, u"--yes"_s}, env());
        QVERIFY2(set.exitCode == 0, QByteArray(set.out + set.err).constData());
        QCOMPARE(
            serverState(other.url(), Token).value(idOf(serverState(other.url(), Token), u"Live Chat - Open"_s)).minutes,
            120);

        const CliRun diff = runCli({u"diff"_s, u"profile:Dev"_s, u"profile:Prod"_s}, env());
        QVERIFY2(diff.exitCode == 1, QByteArray(diff.out + diff.err).constData());
        const QString table = QString::fromUtf8(diff.out);
        QVERIFY2(table.contains(u"Left:  Dev (live)"_s) && table.contains(u"Right: Prod (live)"_s), qPrintable(table));
        QVERIFY2(table.contains(QRegularExpression(u"Changed +Live chat +Open +20 min +2 h +Live Chat - Open"_s)),
                 qPrintable(table));
        QVERIFY(table.contains(u"Channel-state records: 1 changed, 0 only left, 0 only right, 0 ambiguous; 23 the "
                               u"same."_s));
        QVERIFY(
            table.contains(u"Workstream values: 0 changed, 0 only left, 0 only right, 0 ambiguous; 12 the same."_s));

        // A workstream's two timers changed in Prod: a line each.
        QVERIFY(colleagueSetsWorkstream(
            other, u"SMS support"_s,
            {{u"msdyn_autocloseafterinactivity"_s, 60}, {u"msdyn_blockcapacityforwrapup"_s, 15}}));
        const CliRun withWorkstreams = runCli({u"diff"_s, u"profile:Dev"_s, u"profile:Prod"_s}, env());
        QCOMPARE(withWorkstreams.exitCode, 1);
        const QString both = QString::fromUtf8(withWorkstreams.out);
        QVERIFY2(
            both.contains(QRegularExpression(u"Changed +SMS +Auto-close after inactivity +2 days +1 h +SMS support"_s)),
            qPrintable(both));
        QVERIFY2(
            both.contains(QRegularExpression(u"Changed +SMS +Block capacity for wrap-up +Always block +15 min +SMS "
                                             u"support"_s)),
            qPrintable(both));
        QVERIFY(both.contains(u"Workstream values: 2 changed, 0 only left, 0 only right, 0 ambiguous; 10 the same."_s));

        const CliRun json = runCli({u"diff"_s, u"profile:Dev"_s, u"profile:Prod"_s, u"--format"_s, u"json"_s}, env());
        QCOMPARE(json.exitCode, 1);
        const QJsonArray differences = QJsonDocument::fromJson(json.out).object().value(u"differences"_s).toArray();
        QCOMPARE(differences.size(), 1);
        QCOMPARE(differences.at(0).toObject().value(u"matchedBy"_s).toString(), u"id"_s);
        QCOMPARE(differences.at(0).toObject().value(u"left"_s).toObject().value(u"minutes"_s).toInt(), 20);
        QCOMPARE(differences.at(0).toObject().value(u"right"_s).toObject().value(u"minutes"_s).toInt(), 120);
        const QJsonObject workstreams = QJsonDocument::fromJson(json.out).object().value(u"workstreams"_s).toObject();
        QCOMPARE(workstreams.value(u"counts"_s).toObject().value(u"changed"_s).toInt(), 2);
        const QJsonArray changedValues = workstreams.value(u"differences"_s).toArray();
        QCOMPARE(changedValues.size(), 2);
        const QJsonObject inactivity = changedValues.at(0).toObject();
        QCOMPARE(inactivity.value(u"setting"_s).toString(), u"inactivity"_s);
        QCOMPARE(inactivity.value(u"workstream"_s).toString(), u"SMS support"_s);
        QCOMPARE(inactivity.value(u"matchedBy"_s).toString(), u"id"_s);
        QCOMPARE(inactivity.value(u"left"_s).toObject().value(u"minutes"_s).toInt(), 2880);
        QCOMPARE(inactivity.value(u"right"_s).toObject().value(u"minutes"_s).toInt(), 60);
        QCOMPARE(changedValues.at(1).toObject().value(u"setting"_s).toString(), u"wrap-up-block"_s);
        QVERIFY(changedValues.at(1).toObject().value(u"left"_s).toObject().value(u"minutes"_s).isNull());

        // Records without ids (a hand-made file) are matched by channel configuration, channel and state.
        QJsonObject root = QJsonDocument::fromJson(exported()).object();
        QJsonArray records = root.value(u"records"_s).toArray();
        for (qsizetype i = 0; i < records.size(); ++i) {
            QJsonObject r = records.at(i).toObject();
            r.remove(u"id"_s);
            records.replace(i, r);
        }
        root.insert(u"records"_s, records);
        QVERIFY(writeFile(path(u"no-ids.json"_s), QJsonDocument(root).toJson()));
        const CliRun byKey =
            runCli({u"diff"_s, path(u"no-ids.json"_s), u"profile:Prod"_s, u"--format"_s, u"json"_s}, env());
        QCOMPARE(byKey.exitCode, 1);
        const QJsonObject counts = QJsonDocument::fromJson(byKey.out).object().value(u"counts"_s).toObject();
        QCOMPARE(counts.value(u"changed"_s).toInt(), 1);
        QCOMPARE(counts.value(u"same"_s).toInt(), 23);
        const QJsonArray keyed = QJsonDocument::fromJson(byKey.out).object().value(u"differences"_s).toArray();
        QCOMPARE(keyed.at(0).toObject().value(u"matchedBy"_s).toString(), u"channel-state"_s);
        // (Its workstreams kept their ids: matched by id.)

        // A version 1 file on one side: workstreams are not compared, rather than all reported as only on the right.
        root.insert(u"schemaVersion"_s, 1);
        root.remove(u"workstreams"_s);
        QVERIFY(writeFile(path(u"v1.json"_s), QJsonDocument(root).toJson()));
        const CliRun v1 = runCli({u"diff"_s, path(u"v1.json"_s), u"profile:Prod"_s}, env());
        QCOMPARE(v1.exitCode, 1); // the record still differs
        const QByteArray notComparedLine = "Workstreams were not compared: " + path(u"v1.json"_s).toUtf8() +
            " is a version 1 snapshot, which says nothing about workstreams.";
        QVERIFY2(v1.out.contains(notComparedLine), v1.out.constData());
        QVERIFY(!v1.out.contains("Only right"));
        const CliRun v1Json =
            runCli({u"diff"_s, path(u"v1.json"_s), u"profile:Prod"_s, u"--format"_s, u"json"_s}, env());
        const QJsonObject notCompared = QJsonDocument::fromJson(v1Json.out).object().value(u"workstreams"_s).toObject();
        QCOMPARE(notCompared.value(u"compared"_s).toBool(true), false);
        QVERIFY(notCompared.value(u"reason"_s).toString().contains(u"version 1"_s));
    }

    void aDryRunChangesNothing()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        QVERIFY(writeFile(path(u"plan.json"_s),
                          withMinutes(exported(), {{u"Live Chat - Open"_s, 45}, {u"SMS - Wrap-up"_s, std::nullopt}})));
        const CliRun run = cli({u"apply"_s, path(u"plan.json"_s), u"--dry-run"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(QRegularExpression(u"Live chat +Open +20 min → 45 min +Live Chat - Open"_s)),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(u"SMS +Wrap-up +1 day → Never +SMS - Wrap-up"_s)), qPrintable(out));
        QVERIFY(out.contains(u"Dry run: 2 changes planned, nothing was changed."_s));
        QCOMPARE(serverState(m_sandbox->url(), Token), before);
        QVERIFY(audit().isEmpty());
        QVERIFY(beforeApplySnapshots().isEmpty());
    }

    void aDryRunShowsBothTables()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        const WorkstreamState workstreamsBefore = workstreamState(m_sandbox->url(), Token);
        QVERIFY(writeFile(path(u"plan.json"_s),
                          withWorkstream(withMinutes(exported(), {{u"Live Chat - Open"_s, 45}}), u"SMS support"_s,
                                         {{u"autoCloseAfterInactivity"_s, 60}, {u"blockCapacityForWrapUp"_s, 30}})));
        const CliRun run = cli({u"apply"_s, path(u"plan.json"_s), u"--dry-run"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(QRegularExpression(u"TABLE +CHANNEL +STATE OR SETTING +CHANGE +NAME"_s)),
                 qPrintable(out));
        QVERIFY2(
            out.contains(QRegularExpression(u"Channel state +Live chat +Open +20 min → 45 min +Live Chat - Open"_s)),
            qPrintable(out));
        QVERIFY2(out.contains(
                     QRegularExpression(u"Workstream +SMS +Auto-close after inactivity +2 days → 1 h +SMS support"_s)),
                 qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(
                     u"Workstream +SMS +Block capacity for wrap-up +Always block → 30 min +SMS support"_s)),
                 qPrintable(out));
        QVERIFY(out.contains(u"Dry run: 3 changes planned, nothing was changed."_s));
        QVERIFY(out.contains(
            u"Workstream values are taken to be minutes, and an empty wrap-up block to be the admin center's "
            u"\"Always block\": assumptions (UNCONFIRMED)"_s));
        checkNothingWasSent(before, workstreamsBefore);
    }

    void applyChangesBothTablesInOneBatch()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        const WorkstreamState workstreamsBefore = workstreamState(m_sandbox->url(), Token);
        const QString sms = idOf(workstreamsBefore, u"SMS support"_s);
        const QString social = idOf(workstreamsBefore, u"Social care"_s);
        QVERIFY(!sms.isEmpty() && !social.isEmpty());
        QVERIFY(writeFile(
            path(u"plan.json"_s),
            withWorkstream(withWorkstream(withMinutes(exported(), {{u"Live Chat - Open"_s, 45}}), u"SMS support"_s,
                                          {{u"autoCloseAfterInactivity"_s, 60}, {u"blockCapacityForWrapUp"_s, 30}}),
                           u"Social care"_s, {{u"blockCapacityForWrapUp"_s, 43200}})));
        const CliRun run = cli({u"apply"_s, path(u"plan.json"_s), u"--yes"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(QRegularExpression(
                     u"saved +SMS support · Auto-close after inactivity +2 days → 1 h +SMS support"_s)),
                 qPrintable(out));
        QVERIFY2(out.contains(u"4 changes applied."_s), qPrintable(out));

        // On the server, read over HTTP: both tables changed, nothing else.
        const WorkstreamState workstreamsAfter = workstreamState(m_sandbox->url(), Token);
        QCOMPARE(workstreamsAfter.value(sms).inactivity, 60);
        QCOMPARE(workstreamsAfter.value(sms).wrapUpBlock, 30);
        QCOMPARE(workstreamsAfter.value(social).wrapUpBlock, 43200);
        QCOMPARE(workstreamsAfter.value(social).inactivity, workstreamsBefore.value(social).inactivity);
        QVERIFY(workstreamsAfter.value(sms).version > workstreamsBefore.value(sms).version);
        for (auto it = workstreamsAfter.cbegin(); it != workstreamsAfter.cend(); ++it)
            if (it.key() != sms && it.key() != social)
                QCOMPARE(*it, workstreamsBefore.value(it.key()));
        const ServerState after = serverState(m_sandbox->url(), Token);
        const QString chatOpen = idOf(after, u"Live Chat - Open"_s);
        QCOMPARE(after.value(chatOpen).minutes, 45);
        for (auto it = after.cbegin(); it != after.cend(); ++it)
            if (it.key() != chatOpen)
                QCOMPARE(*it, before.value(it.key()));

        // The environment as it was, both tables, kept before anything was sent.
        const QStringList kept = beforeApplySnapshots();
        QCOMPARE(kept.size(), 1);
        const auto snapshot = SnapshotFiles::read(dataDir() + u"/snapshots/"_s + kept.first());
        QVERIFY(snapshot.ok());
        QCOMPARE(snapshot.value().workstreams.size(), 6);
        for (const Workstream &w : snapshot.value().workstreams) {
            QCOMPARE(w.inactivityMinutes, workstreamsBefore.value(w.id).inactivity);
            QCOMPARE(w.wrapUpBlockMinutes, workstreamsBefore.value(w.id).wrapUpBlock);
        }

        // An audit entry per value, with its setting.
        QStringList logged;
        for (const AuditLog::Entry &e : audit()) {
            QCOMPARE(e.result, u"saved"_s);
            QVERIFY(e.beforeSnapshot.endsWith(kept.first()));
            logged << u"%1 %2: %3 → %4"_s.arg(e.recordName, TimerSettings::name(e.setting),
                                              e.oldMinutes ? QString::number(*e.oldMinutes) : u"-"_s,
                                              e.newMinutes ? QString::number(*e.newMinutes) : u"-"_s);
        }
        logged.sort();
        QCOMPARE(logged,
                 (QStringList {u"Live Chat - Open channel-state: 20 → 45"_s, u"SMS support inactivity: 2880 → 60"_s,
                               u"SMS support wrap-up-block: - → 30"_s, u"Social care wrap-up-block: - → 43200"_s}));

        const CliRun again = cli({u"diff"_s, path(u"plan.json"_s), u"live"_s});
        QVERIFY2(again.exitCode == 0, again.out.constData());
    }

    void aVersionOneFileLeavesWorkstreamsAlone()
    {
        // A version 1 file, as exports wrote it before workstreams, with a record changed; meanwhile the
        // environment's workstreams hold other values than at the export. The file says nothing about them.
        QJsonObject root = QJsonDocument::fromJson(withMinutes(exported(), {{u"Live Chat - Open"_s, 45}})).object();
        root.insert(u"schemaVersion"_s, 1);
        root.remove(u"workstreams"_s);
        QVERIFY(writeFile(path(u"v1.json"_s), QJsonDocument(root).toJson()));
        QVERIFY(colleagueSetsWorkstream(*m_sandbox, u"SMS support"_s, {{u"msdyn_autocloseafterinactivity"_s, 5}}));
        const ServerState before = serverState(m_sandbox->url(), Token);
        const WorkstreamState workstreamsBefore = workstreamState(m_sandbox->url(), Token);

        const CliRun run = cli({u"apply"_s, path(u"v1.json"_s), u"--yes"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("The snapshot is a version 1 file: it says nothing about workstreams, so those of"),
                 run.out.constData());
        QVERIFY2(run.out.contains("1 change applied."), run.out.constData());
        const ServerState after = serverState(m_sandbox->url(), Token);
        const QString chatOpen = idOf(after, u"Live Chat - Open"_s);
        QCOMPARE(after.value(chatOpen).minutes, 45);
        for (auto it = after.cbegin(); it != after.cend(); ++it)
            if (it.key() != chatOpen)
                QCOMPARE(*it, before.value(it.key()));
        QCOMPARE(workstreamState(m_sandbox->url(), Token), workstreamsBefore); // untouched, versions included
        QCOMPARE(workstreamsBefore.value(idOf(workstreamsBefore, u"SMS support"_s)).inactivity, 5);
        const QList<AuditLog::Entry> log = audit();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().setting, TimerSetting::ChannelState);
    }

    void aRangeThatCannotBeReadSendsNothing()
    {
        // Each value is checked against its column's range from the environment's metadata before anything is sent;
        // a sandbox refusing that read stops the apply.
        QVERIFY(writeFile(path(u"plan.json"_s),
                          withWorkstream(exported(), u"SMS support"_s, {{u"blockCapacityForWrapUp"_s, 30}})));
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {Token},
                                                     QStringList {u"--faults"_s, u"400:path=EntityDefinitions"_s});
        QVERIFY(m_sandbox->waitUntilListening());
        const ServerState before = serverState(m_sandbox->url(), Token);
        const WorkstreamState workstreamsBefore = workstreamState(m_sandbox->url(), Token);
        for (const QString &mode : {u"--dry-run"_s, u"--yes"_s}) {
            const CliRun run = cli({u"apply"_s, path(u"plan.json"_s), mode});
            QVERIFY2(run.exitCode == 4, run.out.constData()); // the service failed
            QVERIFY2(run.err.contains("Nothing was applied: the values could not be checked, because the range of "
                                      "\"Block capacity for wrap-up\" could not be read from the environment's "
                                      "metadata."),
                     run.err.constData());
            QVERIFY2(!run.out.contains("Plan for"), run.out.constData());
            checkNothingWasSent(before, workstreamsBefore);
        }
    }

    void badWorkstreamInputSendsNothing_data()
    {
        QTest::addColumn<QString>("name"); // the workstream edited
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("message");
        QTest::newRow("over its maximum")
            << u"SMS support"_s << QJsonObject {{u"blockCapacityForWrapUp"_s, 50000}}
            << u"(\"SMS support\"), field \"blockCapacityForWrapUp\": must be a whole number of minutes from 0 to "
               u"43200, or null for an empty block, not 50000"_s;
        QTest::newRow("an unknown name")
            << u"SMS support"_s
            << QJsonObject {{u"id"_s, QJsonValue(QJsonValue::Null)},
                            {u"name"_s, u"SMS support (old)"_s},
                            {u"autoCloseAfterInactivity"_s, 60}}
            << u"The snapshot's workstream \"SMS support (old)\" matches no workstream of the environment, by id or "
               u"by name, and workstreams are never created: correct its name or id in the file, or remove it."_s;
        QTest::newRow("an unknown id")
            << u"Social care"_s
            << QJsonObject {{u"id"_s, u"0e0e0e0e-0000-4000-8000-00000000dead"_s}, {u"name"_s, u"Social"_s}}
            << u"The snapshot's workstream \"Social\" (id 0e0e0e0e-0000-4000-8000-00000000dead) matches no workstream"_s;
        QTest::newRow("a required value emptied")
            << u"SMS support"_s << QJsonObject {{u"autoCloseAfterInactivity"_s, QJsonValue(QJsonValue::Null)}}
            << u"The snapshot empties \"Auto-close after inactivity\" of the workstream \"SMS support\" (now 2 days), "
               u"but that value is required"_s;
    }
    void badWorkstreamInputSendsNothing()
    {
        QFETCH(QString, name);
        QFETCH(QJsonObject, fields);
        QFETCH(QString, message);
        // With a valid record change beside it: nothing of it is sent either.
        QVERIFY(writeFile(path(u"bad.json"_s),
                          withWorkstream(withMinutes(exported(), {{u"Live Chat - Open"_s, 45}}), name, fields)));
        const ServerState before = serverState(m_sandbox->url(), Token);
        const WorkstreamState workstreamsBefore = workstreamState(m_sandbox->url(), Token);
        for (const QString &mode : {u"--dry-run"_s, u"--yes"_s}) {
            const CliRun run = cli({u"apply"_s, path(u"bad.json"_s), mode});
            QCOMPARE(run.exitCode, 2);
            QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
            QVERIFY2(run.err.contains("Nothing was applied") || run.err.contains("is not a snapshot"),
                     run.err.constData());
            QVERIFY2(!run.out.contains("Plan for"), run.out.constData()); // no plan was shown
            checkNothingWasSent(before, workstreamsBefore);
        }
    }

    void applyNeedsYesWithoutATerminal()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        QVERIFY(writeFile(path(u"plan.json"_s), withMinutes(exported(), {{u"Live Chat - Open"_s, 45}})));
        const CliRun run = cli({u"apply"_s, path(u"plan.json"_s)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("confirm with --yes"), run.err.constData());
        QCOMPARE(serverState(m_sandbox->url(), Token), before);
    }

    void applyKeepsTheEnvironmentAsItWasAndLogs()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        QVERIFY(writeFile(path(u"plan.json"_s),
                          withMinutes(exported(), {{u"Live Chat - Open"_s, 45}, {u"SMS - Wrap-up"_s, std::nullopt}})));
        const CliRun run = cli({u"apply"_s, path(u"plan.json"_s), u"--yes"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QVERIFY2(run.out.contains("2 changes applied."), run.out.constData());

        const ServerState after = serverState(m_sandbox->url(), Token);
        const QString chatOpen = idOf(after, u"Live Chat - Open"_s);
        const QString smsWrapUp = idOf(after, u"SMS - Wrap-up"_s);
        QCOMPARE(after.value(chatOpen).minutes, 45);
        QCOMPARE(after.value(smsWrapUp).minutes, std::nullopt);
        QVERIFY(after.value(chatOpen).version > before.value(chatOpen).version);
        for (auto it = after.cbegin(); it != after.cend(); ++it)
            if (it.key() != chatOpen && it.key() != smsWrapUp)
                QCOMPARE(*it, before.value(it.key()));

        // The environment as it was, kept before anything was sent.
        const QStringList kept = beforeApplySnapshots();
        QCOMPARE(kept.size(), 1);
        QVERIFY(kept.first().startsWith(u"before-apply-127.0.0.1-"_s));
        const auto snapshot = SnapshotFiles::read(dataDir() + u"/snapshots/"_s + kept.first());
        QVERIFY(snapshot.ok());
        for (const ChannelStateConfig &c : snapshot.value().records)
            QCOMPARE(c.minutes, before.value(c.id).minutes);

        const QList<AuditLog::Entry> log = audit();
        QCOMPARE(log.size(), 2);
        for (const AuditLog::Entry &e : log) {
            QCOMPARE(e.result, u"saved"_s);
            QCOMPARE(e.environmentUrl, m_sandbox->url().toString());
            QCOMPARE(e.source, u"apply "_s + path(u"plan.json"_s));
            QVERIFY(e.beforeSnapshot.endsWith(kept.first()));
            QCOMPARE(e.oldMinutes, before.value(e.recordId).minutes);
            QCOMPARE(e.newMinutes, after.value(e.recordId).minutes);
        }

        const CliRun again = cli({u"diff"_s, path(u"plan.json"_s), u"live"_s});
        QVERIFY2(again.exitCode == 0, again.out.constData());
        const CliRun nothing = cli({u"apply"_s, path(u"plan.json"_s), u"--yes"_s});
        QCOMPARE(nothing.exitCode, 0);
        QVERIFY(nothing.out.contains("Nothing to apply"));
    }

    void applyWithAConflictOverwritesNothing()
    {
        QVERIFY(writeFile(path(u"plan.json"_s),
                          withMinutes(exported(), {{u"Live Chat - Open"_s, 45}, {u"Live Chat - Wrap-up"_s, 30}})));
        // A sandbox with the same demo data that holds back its answer to the CLI's configurations read (the one
        // with $expand) for 3 s, so a colleague's change lands between that read and the save.
        QProcessEnvironment logging = QProcessEnvironment::systemEnvironment();
        logging.insert(u"QT_LOGGING_RULES"_s, u"autoclose.sandbox.debug=true"_s);
        m_sandbox = std::make_unique<SandboxProcess>(
            QStringList {Token}, QStringList {u"--faults"_s, u"slow:method=GET:query=$expand:times=1:ms=3000"_s},
            logging);
        QVERIFY(m_sandbox->waitUntilListening());
        const ServerState before = serverState(m_sandbox->url(), Token);
        const QString chatOpen = idOf(before, u"Live Chat - Open"_s);
        const QString chatWrapUp = idOf(before, u"Live Chat - Wrap-up"_s);

        QProcess apply;
        apply.setProcessEnvironment(env());
        apply.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                    on(*m_sandbox) + QStringList {u"apply"_s, path(u"plan.json"_s), u"--yes"_s});
        QByteArray sandboxLog;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         sandboxLog += m_sandbox->process().readAllStandardError();
                         return sandboxLog.contains("(fault injected)");
                     },
                     20000),
                 sandboxLog.constData());
        QUrl record = m_sandbox->url();
        record.setPath(u"/api/data/v9.2/msdyn_occhannelstateconfigurations(%1)"_s.arg(chatWrapUp));
        const TestReply colleague = testRequest(
            "PATCH", record,
            {{"Authorization", "Bearer " + Token.toUtf8()}, {"Content-Type", "application/json"}, {"If-Match", "*"}},
            "{\"msdyn_autocloseliveworkitemafter\": 99}");
        QCOMPARE(colleague.status, 204);

        QVERIFY(apply.waitForFinished(30000));
        const QString out = QString::fromUtf8(apply.readAllStandardOutput());
        const QString err = QString::fromUtf8(apply.readAllStandardError());
        QVERIFY2(apply.exitCode() == 5, qPrintable(out + err));
        QVERIFY2(out.contains(QRegularExpression(u"FAILED .*Live Chat - Wrap-up: .*changed"_s)), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(u"not saved .*Live Chat - Open"_s)), qPrintable(out));
        QVERIFY2(err.contains(u"Applied: 0; not applied: 2."_s), qPrintable(err));
        const QString retry = u"autoclose-cli --url %1 --access-token-env %2 apply %3 --yes"_s.arg(
            m_sandbox->url().toString(), TokenVar, path(u"plan.json"_s));
        QVERIFY2(err.contains(retry), qPrintable(err));

        // Nothing was overwritten: the colleague's value stands, and the batch saved nothing else either.
        const ServerState after = serverState(m_sandbox->url(), Token);
        QCOMPARE(after.value(chatWrapUp).minutes, 99);
        QCOMPARE(after.value(chatOpen), before.value(chatOpen));
        QStringList results;
        for (const AuditLog::Entry &e : audit())
            results << e.recordName + u": "_s + e.result;
        results.sort();
        QCOMPARE(results, (QStringList {u"Live Chat - Open: not-saved"_s, u"Live Chat - Wrap-up: failed"_s}));

        // The printed command applies what is left once the user has looked.
        const CliRun again = runCli(QProcess::splitCommand(retry).mid(1), env());
        QVERIFY2(again.exitCode == 0, QByteArray(again.out + again.err).constData());
        QCOMPARE(serverState(m_sandbox->url(), Token).value(chatOpen).minutes, 45);
        QCOMPARE(serverState(m_sandbox->url(), Token).value(chatWrapUp).minutes, 30);
    }

    void brokenFilesApplyNothing_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << u"truncated"_s << u"is not valid JSON"_s;
        QTest::newRow("wrong types") << u"wrong-types"_s
                                     << u"field \"minutes\": must be a whole number of minutes from 0 to 2147483647, "
                                        u"or null for never, not \"45 min\""_s;
        QTest::newRow("unknown version") << u"unknown-version"_s << u"its schema version is 3"_s;
        QTest::newRow("duplicate records") << u"duplicate"_s << u"has the same id as"_s;
        QTest::newRow("missing fields") << u"missing-fields"_s << u"field \"state\": is missing"_s;
        QTest::newRow("50 MB") << u"huge"_s << u"it is 50 MB; a snapshot is at most 8 MB"_s;
        QTest::newRow("no such file") << u"absent"_s << u"no such file"_s;
    }
    void brokenFilesApplyNothing()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const QByteArray good = withMinutes(exported(), {{u"Live Chat - Open"_s, 45}});
        QJsonObject root = QJsonDocument::fromJson(good).object();
        QJsonArray records = root.value(u"records"_s).toArray();
        QByteArray bytes;
        if (file == u"truncated"_s) {
            bytes = good.left(good.size() * 2 / 3);
        } else if (file == u"wrong-types"_s) {
            QJsonObject r = records.at(3).toObject();
            r.insert(u"minutes"_s, u"45 min"_s);
            records.replace(3, r);
        } else if (file == u"unknown-version"_s) {
            root.insert(u"schemaVersion"_s, 3);
        } else if (file == u"duplicate"_s) {
            records.append(records.at(0));
        } else if (file == u"missing-fields"_s) {
            QJsonObject r = records.at(5).toObject();
            r.remove(u"state"_s);
            records.replace(5, r);
        } else if (file == u"huge"_s) {
            bytes = good;
            bytes.append(QByteArray(50 * 1024 * 1024 - good.size(), ' '));
        }
        if (bytes.isEmpty()) {
            root.insert(u"records"_s, records);
            bytes = QJsonDocument(root).toJson();
        }
        if (file != u"absent"_s)
            QVERIFY(writeFile(path(u"broken.json"_s), bytes));

        const ServerState before = serverState(m_sandbox->url(), Token);
        const CliRun run = cli({u"apply"_s, path(u"broken.json"_s), u"--yes"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty()); // no plan was even shown
        QCOMPARE(serverState(m_sandbox->url(), Token), before);
        QVERIFY(audit().isEmpty());
        QVERIFY(beforeApplySnapshots().isEmpty());
    }

    void setOneValue()
    {
        const ServerState before = serverState(m_sandbox->url(), Token);
        const QString id = idOf(before, u"Live Chat - Open"_s);
        const CliRun run = cli({u"set"_s, u"Live Chat - Open"_s, u"never"_s, u"--yes"_s});
        QVERIFY2(run.exitCode == 0, QByteArray(run.out + run.err).constData());
        QCOMPARE(serverState(m_sandbox->url(), Token).value(id).minutes, std::nullopt);
        const QList<AuditLog::Entry> log = audit();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().recordId, id);
        QCOMPARE(log.first().oldMinutes, 20);
        QCOMPARE(log.first().newMinutes, std::nullopt);
        QCOMPARE(log.first().source, u"set"_s);

        const CliRun same = cli({u"set"_s, id, u"never"_s, u"--yes"_s});
        QCOMPARE(same.exitCode, 0);
        QVERIFY(same.out.contains("Nothing to apply"));

        const CliRun dry = cli({u"set"_s, id, u"1h"_s, u"--dry-run"_s});
        QCOMPARE(dry.exitCode, 0);
        QCOMPARE(serverState(m_sandbox->url(), Token).value(id).minutes, std::nullopt);
        QCOMPARE(audit().size(), 1);
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown name") << QStringList {u"set"_s, u"Chat - Sometime"_s, u"5"_s, u"--yes"_s} << Token << 2
                                      << u"no configuration has that id or name"_s;
        QTest::newRow("bad value") << QStringList {u"set"_s, u"Live Chat - Open"_s, u"soon"_s} << Token << 2
                                   << u"set soon:"_s;
        QTest::newRow("diff with one side")
            << QStringList {u"diff"_s, u"live"_s} << Token << 2 << u"diff takes two operands"_s;
        QTest::newRow("diff of a missing file")
            << QStringList {u"diff"_s, u"missing.json"_s, u"live"_s} << Token << 2 << u"missing.json: no such file."_s;
        QTest::newRow("diff with an unknown profile")
            << QStringList {u"diff"_s, u"live"_s, u"profile:Nowhere"_s} << Token << 2 << u"Nowhere"_s;
        QTest::newRow("export as xml") << QStringList {u"export"_s, u"--format"_s, u"xml"_s} << Token << 2
                                       << u"--format must be json or csv for export"_s;
        QTest::newRow("-o with diff") << QStringList {u"diff"_s, u"live"_s, u"live"_s, u"-o"_s, u"x.json"_s} << Token
                                      << 2 << u"-o goes with preview and export"_s;
        QTest::newRow("--yes with export")
            << QStringList {u"export"_s, u"--yes"_s} << Token << 2 << u"--dry-run and --yes go with set and apply"_s;
        QTest::newRow("refused sign-in") << QStringList {u"export"_s} << u"wrong"_s << 3
                                         << u"did not accept the sign-in"_s;
        QTest::newRow("diff: refused sign-in")
            << QStringList {u"diff"_s, u"live"_s, u"live"_s} << u"wrong"_s << 3 << u"did not accept the sign-in"_s;
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, token);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const ServerState before = serverState(m_sandbox->url(), Token);
        const CliRun run = cli(args, token);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QCOMPARE(serverState(m_sandbox->url(), Token), before);
    }

    void nobodyListeningIsAServiceFailure()
    {
        const CliRun run = runCli({u"--url"_s, u"http://127.0.0.1:1"_s, u"--access-token-env"_s, TokenVar, u"export"_s,
                                   u"-o"_s, path(u"x.json"_s)},
                                  env());
        QCOMPARE(run.exitCode, 4);
        QVERIFY(!QFile::exists(path(u"x.json"_s)));
    }
};

QTEST_GUILESS_MAIN(TestSnapshotCli)
#include "tst_snapshotcli.moc"
