// The workstreams through the real autoclose-cli against real autoclose-sandbox processes: list --workstreams, set of
// either timer by name or id, a dry run, a colleague's change between the read and the save (exit 5, nothing
// overwritten), and bad input refused with a sentence and exit 2 before anything is written. What a command changed,
// or did not, is always read from the server over HTTP, never through the CLI, and from the local audit log.
#include "CliProcess.h"
#include "SandboxProcess.h"
#include "ServerState.h"
#include "app/snapshot/AuditLog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"workstream-cli-token"_s;
const QString TokenVar = u"AUTOCLOSE_WORKSTREAM_TOKEN"_s;
const QString Sms = u"SMS support"_s; // the demo data's: 2 days of inactivity, no wrap-up block
} // namespace

class TestCliWorkstreams : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<SandboxProcess> m_sandbox;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(TokenVar, Token);
        e.insert(u"AUTOCLOSE_DATA_DIR"_s, m_home->filePath(u"data"_s));
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_home->filePath(u"config"_s));
        return e;
    }
    QStringList on() const { return {u"--url"_s, m_sandbox->url().toString(), u"--access-token-env"_s, TokenVar}; }
    CliRun cli(const QStringList &args) const { return runCli(on() + args, env()); }
    QString auditPath() const { return m_home->filePath(u"data/audit.jsonl"_s); }
    QList<AuditLog::Entry> audit() const
    {
        const auto entries = AuditLog(auditPath()).read();
        return entries ? entries.value() : QList<AuditLog::Entry> {};
    }
    WorkstreamState workstreams() const { return workstreamState(m_sandbox->url(), Token); }
    ServerWorkstream sms() const
    {
        const WorkstreamState state = workstreams();
        return state.value(idOf(state, Sms));
    }
    static QByteArray both(const CliRun &run) { return run.out + run.err; }

private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>();
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {Token});
        QVERIFY2(m_sandbox->waitUntilListening(), m_sandbox->process().readAllStandardError().constData());
        QCOMPARE(sms().inactivity, std::optional<int>(2880));
        QCOMPARE(sms().wrapUpBlock, std::nullopt);
    }
    void cleanup()
    {
        m_sandbox.reset();
        m_home.reset();
    }

    void listWorkstreams()
    {
        const WorkstreamState state = workstreams();
        const CliRun table = cli({u"list"_s, u"--workstreams"_s});
        QVERIFY2(table.exitCode == 0, both(table).constData());
        const QStringList lines = QString::fromUtf8(table.out).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), state.size() + 1);
        QVERIFY2(lines.first().contains(
                     QRegularExpression(u"^WORKSTREAM +CHANNEL +INACTIVITY +WRAP-UP BLOCK +MODIFIED +ID$"_s)),
                 qPrintable(lines.first()));
        const QString id = idOf(state, Sms);
        const auto row = std::find_if(lines.cbegin(), lines.cend(), [&id](const QString &l) { return l.contains(id); });
        QVERIFY(row != lines.cend());
        QVERIFY2(row->contains(QRegularExpression(u"^SMS support +SMS +2 days +always block +\\d{4}-\\d\\d-\\d\\d "
                                                  u"\\d\\d:\\d\\d UTC +"_s +
                                                  id + u"$"_s)),
                 qPrintable(*row));

        const CliRun json = cli({u"list"_s, u"--workstreams"_s, u"--format"_s, u"json"_s});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject root = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(root.keys(), QStringList {u"workstreams"_s});
        const QJsonArray array = root.value(u"workstreams"_s).toArray();
        QCOMPARE(array.size(), state.size());
        for (const QJsonValue &v : array) {
            const QJsonObject w = v.toObject();
            QCOMPARE(w.keys(),
                     (QStringList {u"channel"_s, u"etag"_s, u"id"_s, u"inactivityMinutes"_s, u"modifiedOn"_s, u"name"_s,
                                   u"wrapUpBlockMinutes"_s}));
            const ServerWorkstream &server = state.value(w.value(u"id"_s).toString());
            QCOMPARE(w.value(u"name"_s).toString(), server.name);
            QCOMPARE(w.value(u"etag"_s).toString(), u"W/\"%1\""_s.arg(server.version));
            QCOMPARE(w.value(u"inactivityMinutes"_s).isNull(), !server.inactivity);
            if (server.inactivity)
                QCOMPARE(w.value(u"inactivityMinutes"_s).toInt(), *server.inactivity);
            QCOMPARE(w.value(u"wrapUpBlockMinutes"_s).isNull(), !server.wrapUpBlock);
            QVERIFY(QDateTime::fromString(w.value(u"modifiedOn"_s).toString(), Qt::ISODate).isValid());
        }

        // The configurations' table says where the workstreams' timers are, on its last line.
        const CliRun configs = cli({u"list"_s});
        QCOMPARE(configs.exitCode, 0);
        const QStringList configLines = QString::fromUtf8(configs.out).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(configLines.size(), 26);
        QCOMPARE(configLines.last(),
                 u"The workstreams' timers (inactivity, wrap-up block): 'autoclose-cli list --workstreams'."_s);
        // The JSON has no such line.
        const CliRun configsJson = cli({u"list"_s, u"--format"_s, u"json"_s});
        QCOMPARE(QJsonDocument::fromJson(configsJson.out)[u"configurations"_s].toArray().size(), 24);
    }

    // A workstream by name sets its inactivity; --setting wrap-up-block its block, by id too. Each write goes through
    // the edit session: one audit entry with its setting, the value on the server.
    void setEitherTimer()
    {
        const ServerWorkstream before = sms();
        const CliRun inactivity = cli({u"set"_s, Sms, u"1d"_s, u"--yes"_s});
        QVERIFY2(inactivity.exitCode == 0, both(inactivity).constData());
        const QString out = QString::fromUtf8(inactivity.out);
        QVERIFY2(out.contains(QRegularExpression(u"SMS support +Auto-close after inactivity +2 days → 1 day"_s)),
                 qPrintable(out));
        QVERIFY2(out.contains(u"saved      SMS support · Auto-close after inactivity  2 days → 1 day\n"_s),
                 qPrintable(out));
        QVERIFY(out.contains(u"1 change applied."_s));
        QCOMPARE(sms().inactivity, std::optional<int>(1440));
        QCOMPARE(sms().wrapUpBlock, std::nullopt);
        QVERIFY(sms().version > before.version);

        const QString id = idOf(workstreams(), Sms);
        const CliRun block = cli({u"set"_s, id.toUpper(), u"2h"_s, u"--setting"_s, u"wrap-up-block"_s, u"--yes"_s});
        QVERIFY2(block.exitCode == 0, both(block).constData());
        QCOMPARE(sms().wrapUpBlock, std::optional<int>(120));
        QCOMPARE(sms().inactivity, std::optional<int>(1440));

        const QList<AuditLog::Entry> log = audit();
        QCOMPARE(log.size(), 2);
        QCOMPARE(log.at(0).recordId, id);
        QCOMPARE(log.at(0).recordName, Sms);
        QCOMPARE(log.at(0).setting, TimerSetting::Inactivity);
        QCOMPARE(log.at(0).oldMinutes, std::optional<int>(2880));
        QCOMPARE(log.at(0).newMinutes, std::optional<int>(1440));
        QCOMPARE(log.at(0).source, u"set"_s);
        QCOMPARE(log.at(0).result, u"saved"_s);
        QCOMPARE(log.at(0).environmentUrl, m_sandbox->url().toString());
        QVERIFY(!log.at(0).organizationId.isEmpty());
        QCOMPARE(log.at(1).setting, TimerSetting::WrapUpBlock);
        QCOMPARE(log.at(1).oldMinutes, std::nullopt);
        QCOMPARE(log.at(1).newMinutes, std::optional<int>(120));

        // No block again: empty is allowed for the block.
        const CliRun none = cli({u"set"_s, Sms, u"never"_s, u"--setting"_s, u"wrap-up-block"_s, u"--yes"_s});
        QVERIFY2(none.exitCode == 0, both(none).constData());
        QVERIFY2(none.out.contains("2 h → always block"), none.out.constData());
        QCOMPARE(sms().wrapUpBlock, std::nullopt);
    }

    // A dry run shows the plan, with a risky value flagged, and writes nothing; a value the record already holds is
    // nothing to apply.
    void aDryRunChangesNothing()
    {
        const WorkstreamState before = workstreams();
        const CliRun dry = cli({u"set"_s, Sms, u"0"_s, u"--dry-run"_s});
        QVERIFY2(dry.exitCode == 0, both(dry).constData());
        const QString out = QString::fromUtf8(dry.out);
        QVERIFY2(out.contains(QRegularExpression(u"Plan for http://127\\.0\\.0\\.1:\\d+:\n"_s)), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(u"SMS support +Auto-close after inactivity +2 days → 0 min"_s)),
                 qPrintable(out));
        QVERIFY2(
            out.contains(u"Risky: 0 minutes: Waiting conversations of this workstream may close at the next run"_s),
            qPrintable(out));
        QVERIFY(out.contains(u"Dry run: 1 change planned, nothing was changed."_s));
        QCOMPARE(workstreams(), before);
        QVERIFY(!QFile::exists(auditPath()));

        const CliRun same = cli({u"set"_s, Sms, u"48h"_s, u"--yes"_s});
        QCOMPARE(same.exitCode, 0);
        QVERIFY2(same.out.contains("Nothing to apply: SMS support · Auto-close after inactivity already holds 2 days."),
                 same.out.constData());
        QCOMPARE(workstreams(), before);

        const CliRun unconfirmed = cli({u"set"_s, Sms, u"1d"_s});
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY2(unconfirmed.err.contains("confirm with --yes"), unconfirmed.err.constData());
        QCOMPARE(workstreams(), before);
        QVERIFY(!QFile::exists(auditPath()));
    }

    // Bad input gets a sentence and exit 2, and nothing is written: both tables hold what they held, at the same
    // versions, and the local audit log has no entry.
    void badInputIsRefusedAndNothingWritten_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown workstream")
            << QStringList {u"set"_s, u"Nowhere support"_s, u"1d"_s, u"--setting"_s, u"inactivity"_s, u"--yes"_s}
            << u"autoclose-cli: Nowhere support: no workstream has that id or name; "
               u"'autoclose-cli list --workstreams' shows them.\n"_s;
        QTest::newRow("unknown name") << QStringList {u"set"_s, u"Nowhere"_s, u"1d"_s, u"--yes"_s}
                                      << u"Nowhere: no configuration has that id or name, and no workstream either; "
                                         u"'autoclose-cli list' shows the configurations, 'autoclose-cli list "
                                         u"--workstreams' the workstreams."_s;
        QTest::newRow("a workstream's near miss")
            << QStringList {u"set"_s, u"sms"_s, u"1d"_s, u"--setting"_s, u"inactivity"_s, u"--yes"_s}
            << u"sms: no workstream has exactly that id or name. Did you mean:\n  "_s;
        QTest::newRow("block over its maximum")
            << QStringList {u"set"_s, Sms, u"31d"_s, u"--setting"_s, u"wrap-up-block"_s, u"--yes"_s}
            << u"set 31d: Too long: at most 43200 minutes (30 days). SMS support · Block capacity for wrap-up takes "
               u"0 min to 30 days (the column's range in the environment's metadata)."_s;
        QTest::newRow("never for inactivity")
            << QStringList {u"set"_s, Sms, u"never"_s, u"--yes"_s}
            << u"set never: SMS support · Auto-close after inactivity is required, so it cannot be never; give a "
               u"time (45, 2h, 1d 12h). It is 2 days now."_s;
        QTest::newRow("never with --setting inactivity")
            << QStringList {u"set"_s, Sms, u"never"_s, u"--setting"_s, u"inactivity"_s, u"--yes"_s}
            << u"set never: a workstream's auto-close after inactivity is required"_s;
        QTest::newRow("--setting channel-state for a workstream")
            << QStringList {u"set"_s, Sms, u"1d"_s, u"--setting"_s, u"channel-state"_s, u"--yes"_s}
            << u"SMS support is a workstream: --setting must be inactivity or wrap-up-block"_s;
        QTest::newRow("--setting inactivity for a configuration")
            << QStringList {u"set"_s, u"Live Chat - Open"_s, u"1d"_s, u"--setting"_s, u"inactivity"_s, u"--yes"_s}
            << u"Live Chat - Open is a channel-state configuration: --setting inactivity is for workstreams"_s;
        QTest::newRow("--setting of another kind")
            << QStringList {u"set"_s, Sms, u"1d"_s, u"--setting"_s, u"timeout"_s, u"--yes"_s}
            << u"--setting must be channel-state, inactivity or wrap-up-block, not 'timeout'."_s;
        QTest::newRow("a value that is no duration")
            << QStringList {u"set"_s, Sms, u"soon"_s, u"--yes"_s} << u"set soon: “soon” is not a duration."_s;
        QTest::newRow("--setting with list")
            << QStringList {u"list"_s, u"--setting"_s, u"inactivity"_s} << u"--setting goes with set and history."_s;
        QTest::newRow("--workstreams with set")
            << QStringList {u"set"_s, Sms, u"1d"_s, u"--workstreams"_s} << u"--workstreams goes with list."_s;
    }
    void badInputIsRefusedAndNothingWritten()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const ServerState configs = serverState(m_sandbox->url(), Token);
        const WorkstreamState before = workstreams();
        const CliRun run = cli(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY2(!run.out.contains("saved"), run.out.constData());
        QCOMPARE(workstreams(), before);
        QCOMPARE(serverState(m_sandbox->url(), Token), configs);
        QVERIFY(!QFile::exists(auditPath()));
    }

    // A colleague changes the workstream between the CLI's read and its save: the save is refused (If-Match), exit 5,
    // the colleague's value stands, the audit log says it failed, and the command that sets it anyway is printed.
    void aConflictOverwritesNothing()
    {
        // A sandbox that holds back its answer to the CLI's read of the workstreams (the one in name order) for 3 s,
        // so the colleague's change lands between that read and the save.
        QProcessEnvironment logging = QProcessEnvironment::systemEnvironment();
        logging.insert(u"QT_LOGGING_RULES"_s, u"autoclose.sandbox.debug=true"_s);
        m_sandbox = std::make_unique<SandboxProcess>(
            QStringList {Token}, QStringList {u"--faults"_s, u"slow:method=GET:query=$orderby:times=1:ms=3000"_s},
            logging);
        QVERIFY(m_sandbox->waitUntilListening());
        const QString id = idOf(workstreams(), Sms);

        QProcess set;
        set.setProcessEnvironment(env());
        set.start(QStringLiteral(AUTOCLOSE_CLI_BIN), on() + QStringList {u"set"_s, Sms, u"1d"_s, u"--yes"_s});
        QByteArray sandboxLog;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         sandboxLog += m_sandbox->process().readAllStandardError();
                         return sandboxLog.contains("(fault injected)");
                     },
                     20000),
                 sandboxLog.constData());
        QCOMPARE(colleaguePatch(m_sandbox->url(), Token, u"msdyn_liveworkstreams"_s, id,
                                {{u"msdyn_autocloseafterinactivity"_s, 99}})
                     .status,
                 204);
        const ServerWorkstream colleagues = sms();

        QVERIFY(set.waitForFinished(30000));
        const QString out = QString::fromUtf8(set.readAllStandardOutput());
        const QString err = QString::fromUtf8(set.readAllStandardError());
        QVERIFY2(set.exitCode() == 5, qPrintable(out + err));
        QVERIFY2(out.contains(u"FAILED     SMS support · Auto-close after inactivity  2 days → 1 day: Someone changed "
                              u"this record"_s),
                 qPrintable(out));
        const QString retry = u"autoclose-cli --url %1 --access-token-env %2 set \"SMS support\" \"1d\" --setting "
                              u"inactivity --yes"_s.arg(m_sandbox->url().toString(), TokenVar);
        QVERIFY2(err.contains(retry), qPrintable(err));
        QCOMPARE(sms(), colleagues);
        QCOMPARE(sms().inactivity, std::optional<int>(99));
        const QList<AuditLog::Entry> log = audit();
        QCOMPARE(log.size(), 1);
        QCOMPARE(log.first().result, u"failed"_s);
        QCOMPARE(log.first().setting, TimerSetting::Inactivity);
        QCOMPARE(log.first().newMinutes, std::optional<int>(1440));

        // The printed command sets it once the user has looked.
        const CliRun again = runCli(QProcess::splitCommand(retry).mid(1), env());
        QVERIFY2(again.exitCode == 0, both(again).constData());
        QCOMPARE(sms().inactivity, std::optional<int>(1440));
    }

    void helpNamesTheNewOptions()
    {
        const CliRun run = runCli({u"--help"_s});
        QCOMPARE(run.exitCode, 0);
        const QString help = QString::fromUtf8(run.out);
        QVERIFY2(help.contains(u"list [--workstreams] [--format table|json]"_s), qPrintable(help));
        QVERIFY2(help.contains(u"set NAME_OR_ID VALUE [--setting inactivity|wrap-up-block|channel-state]"_s),
                 qPrintable(help));
        QVERIFY(help.contains(u"--setting <SETTING>"_s));
        QVERIFY(help.contains(u"--workstreams"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliWorkstreams)
#include "tst_cliworkstreams.moc"
