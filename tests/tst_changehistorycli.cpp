// autoclose-cli history through the real programs: a value changed twice with set, then its history read back from
// an autoclose-sandbox process (newest first, the signed-in user's name, paging with the command it suggests), and
// each reason there is no history (auditing off for the environment, a table or a column; the privilege missing, or
// refused by the service) with its sentence and exit code; a reply of the wrong shape refused with nothing printed as
// history; a name that names nothing refused before anything but the reads is sent.
#include "CliProcess.h"
#include "SandboxProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"history-test-token"_s;
const QString TokenVar = u"AUTOCLOSE_HISTORY_TOKEN"_s;
const QString Config = u"Voice - Active"_s; // a channel-state configuration of the demo data
const QString Workstream = u"SMS support"_s; // a workstream of the demo data
const QString HistoryConfig = u"Live Chat - Wrap-up"_s; // changed twice in the demo's audit history
const QString SignedInUser = u"Demo Administrator"_s; // the sandbox's signed-in user (docs/change-history.md)
} // namespace

class TestChangeHistoryCli : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_home;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(TokenVar, Token);
        e.insert(u"AUTOCLOSE_DATA_DIR"_s, m_home->filePath(u"data"_s));
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_home->filePath(u"config"_s));
        e.insert(u"TZ"_s, u"UTC"_s); // the table's times are local
        return e;
    }
    CliRun cli(const SandboxProcess &sandbox, const QStringList &args) const
    {
        return runCli(QStringList {u"--url"_s, sandbox.url().toString(), u"--access-token-env"_s, TokenVar} + args,
                      env());
    }
    static std::unique_ptr<SandboxProcess> sandbox(const QStringList &options = {})
    {
        auto process = std::make_unique<SandboxProcess>(QStringList {Token}, options);
        if (!process->waitUntilListening()) {
            qWarning() << process->process().readAllStandardError();
            return nullptr;
        }
        return process;
    }
    static QJsonObject json(const CliRun &run) { return QJsonDocument::fromJson(run.out).object(); }
    static QString all(const CliRun &run) { return QString::fromUtf8(run.out + run.err); }

private Q_SLOTS:
    void init() { m_home = std::make_unique<QTemporaryDir>(); }
    void cleanup() { m_home.reset(); }

    void aValueChangedTwiceShowsBothNewestFirst()
    {
        const auto server = sandbox();
        QVERIFY(server);
        const CliRun first = cli(*server, {u"set"_s, Config, u"45"_s, u"--yes"_s});
        QVERIFY2(first.exitCode == 0, qPrintable(all(first)));
        const CliRun second = cli(*server, {u"set"_s, Config, u"2h"_s, u"--yes"_s});
        QVERIFY2(second.exitCode == 0, qPrintable(all(second)));

        const CliRun table = cli(*server, {u"history"_s, Config});
        QVERIFY2(table.exitCode == 0, qPrintable(all(table)));
        const QStringList lines = QString::fromUtf8(table.out).split(u'\n');
        QVERIFY2(lines.at(0).startsWith(u"Changes to \"Auto-close after\" of Voice - Active ("_s),
                 qPrintable(lines.at(0)));
        QVERIFY(lines.at(0).endsWith(u"newest first:"_s));
        QVERIFY2(lines.at(1).startsWith(u"WHEN"_s) && lines.at(1).contains(u"WHO"_s) &&
                     lines.at(1).contains(u"CHANGE"_s),
                 qPrintable(lines.at(1)));
        // The newest first: 45 min → 2 h, then the value before → 45 min; both by the signed-in user, at local times
        // with their offset.
        QVERIFY2(lines.at(2).contains(SignedInUser) && lines.at(2).endsWith(u"45 min → 2 h"_s),
                 qPrintable(lines.at(2)));
        QVERIFY2(lines.at(3).contains(SignedInUser) && lines.at(3).endsWith(u" → 45 min"_s), qPrintable(lines.at(3)));
        static const QRegularExpression localTime(
            u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d) "_s);
        QVERIFY2(localTime.match(lines.at(2)).hasMatch(), qPrintable(lines.at(2)));
        QVERIFY(table.err.isEmpty());

        const CliRun asJson = cli(*server, {u"history"_s, Config, u"--format"_s, u"json"_s});
        QCOMPARE(asJson.exitCode, 0);
        const QJsonObject root = json(asJson);
        QCOMPARE(root[u"value"_s][u"name"_s].toString(), Config);
        QCOMPARE(root[u"value"_s][u"setting"_s].toString(), u"channel-state"_s);
        QCOMPARE(root[u"value"_s][u"column"_s].toString(), u"msdyn_autocloseliveworkitemafter"_s);
        QCOMPARE(root[u"page"_s].toInt(), 1);
        QCOMPARE(root[u"pageSize"_s].toInt(), 50);
        QVERIFY(!root.contains(u"historyUnavailable"_s));
        const QJsonArray changes = root[u"changes"_s].toArray();
        QVERIFY(changes.size() >= 2);
        QCOMPARE(root[u"totalRecordCount"_s].toInt(), changes.size());
        QCOMPARE(changes.at(0)[u"oldMinutes"_s].toInt(), 45);
        QCOMPARE(changes.at(0)[u"newMinutes"_s].toInt(), 120);
        QCOMPARE(changes.at(1)[u"newMinutes"_s].toInt(), 45);
        QCOMPARE(changes.at(0)[u"userName"_s].toString(), SignedInUser);
        QVERIFY(!changes.at(0)[u"userId"_s].toString().isEmpty());
        QCOMPARE(changes.at(0)[u"operation"_s].toString(), u"update"_s);
        const QDateTime newest = QDateTime::fromString(changes.at(0)[u"when"_s].toString(), Qt::ISODate);
        const QDateTime older = QDateTime::fromString(changes.at(1)[u"when"_s].toString(), Qt::ISODate);
        QVERIFY(newest.isValid() && older.isValid());
        QCOMPARE(newest.timeSpec(), Qt::UTC);
        QVERIFY(newest >= older);
        QVERIFY(qAbs(newest.secsTo(QDateTime::currentDateTimeUtc())) < 600);
    }

    void pagesAndTheCommandForTheNext()
    {
        const auto server = sandbox();
        QVERIFY(server);
        for (const QString &value : {u"45"_s, u"2h"_s, u"3h"_s})
            QCOMPARE(cli(*server, {u"set"_s, Config, value, u"--yes"_s}).exitCode, 0);
        const QString id =
            json(cli(*server, {u"history"_s, Config, u"--format"_s, u"json"_s}))[u"value"_s][u"id"_s].toString();
        QVERIFY(!id.isEmpty());

        const CliRun page1 = cli(*server, {u"history"_s, id, u"--page-size"_s, u"1"_s});
        QVERIFY2(page1.exitCode == 0, qPrintable(all(page1)));
        QVERIFY2(page1.out.contains("2 h → 3 h"), page1.out.constData());
        QVERIFY(!page1.out.contains("45 min → 2 h"));
        // It says which changes these are and how to read the next page; the command it gives works as given.
        static const QRegularExpression next(u"Changes 1 to 1 of (\\d+)\\. Older changes follow: (autoclose-cli .*)$"_s,
                                             QRegularExpression::MultilineOption);
        const auto match = next.match(QString::fromUtf8(page1.out));
        QVERIFY2(match.hasMatch(), page1.out.constData());
        QVERIFY(match.captured(1).toInt() >= 3);
        QStringList command = match.captured(2).split(u' ');
        QCOMPARE(command.takeFirst(), u"autoclose-cli"_s);
        QVERIFY2(match.captured(2).endsWith(u" history "_s + id + u" --page 2 --page-size 1"_s),
                 qPrintable(match.captured(2)));
        const CliRun page2 = runCli(command, env());
        QVERIFY2(page2.exitCode == 0, qPrintable(all(page2)));
        QVERIFY2(page2.out.contains("45 min → 2 h"), page2.out.constData());
        QVERIFY(page2.out.contains("Changes 2 to 2 of"));

        const CliRun json2 =
            cli(*server, {u"history"_s, id, u"--page"_s, u"2"_s, u"--page-size"_s, u"1"_s, u"--format"_s, u"json"_s});
        QCOMPARE(json2.exitCode, 0);
        QCOMPARE(json(json2)[u"page"_s].toInt(), 2);
        QVERIFY(json(json2)[u"moreRecords"_s].toBool());
        QCOMPARE(json(json2)[u"changes"_s].toArray().at(0)[u"newMinutes"_s].toInt(), 120);

        // Past the end: no changes, and it says so.
        const CliRun past = cli(*server, {u"history"_s, id, u"--page"_s, u"999"_s, u"--page-size"_s, u"1"_s});
        QCOMPARE(past.exitCode, 0);
        QVERIFY2(past.out.contains("Page 999 holds no changes"), past.out.constData());
    }

    void aWorkstreamsTimers()
    {
        // The workstream's inactivity column not audited, its wrap-up block column audited: per column.
        const auto server = sandbox({u"--audit-off"_s, u"msdyn_liveworkstream.msdyn_autocloseafterinactivity"_s});
        QVERIFY(server);
        const CliRun inactivity = cli(*server, {u"history"_s, Workstream});
        QCOMPARE(inactivity.exitCode, 6);
        QVERIFY(inactivity.out.isEmpty());
        QVERIFY2(inactivity.err.contains("auditing is off for the column msdyn_autocloseafterinactivity"),
                 inactivity.err.constData());
        const CliRun wrapUp = cli(*server, {u"history"_s, Workstream, u"--setting"_s, u"wrap-up-block"_s});
        QVERIFY2(wrapUp.exitCode == 0, qPrintable(all(wrapUp)));
        QVERIFY2(wrapUp.out.startsWith("Changes to \"Block capacity for wrap-up\" of SMS support ("),
                 wrapUp.out.constData());
        const CliRun wrong = cli(*server, {u"history"_s, Workstream, u"--setting"_s, u"channel-state"_s});
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.contains("is a workstream"), wrong.err.constData());
    }

    void auditingOffSaysWhichAndWhoCanChangeIt_data()
    {
        QTest::addColumn<QString>("off");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QStringList>("parts");
        QTest::newRow("organization")
            << u"organization"_s << u"organization-auditing-off"_s
            << QStringList {u"auditing is off for the environment"_s,
                            u"Power Platform admin center: Environments > this environment > Settings > Audit and "
                            u"logs > Audit settings > Start Auditing"_s};
        QTest::newRow("table") << u"msdyn_occhannelstateconfiguration"_s << u"table-auditing-off"_s
                               << QStringList {u"auditing is off for the table msdyn_occhannelstateconfiguration"_s,
                                               u"\"Audit changes to its data\""_s};
        QTest::newRow("column")
            << u"msdyn_occhannelstateconfiguration.msdyn_autocloseliveworkitemafter"_s << u"column-auditing-off"_s
            << QStringList {u"auditing is off for the column msdyn_autocloseliveworkitemafter"_s,
                            u"Columns > msdyn_autocloseliveworkitemafter > Advanced options > \"Enable auditing\""_s};
    }
    void auditingOffSaysWhichAndWhoCanChangeIt()
    {
        QFETCH(QString, off);
        QFETCH(QString, reason);
        QFETCH(QStringList, parts);
        const auto server = sandbox({u"--audit-off"_s, off});
        QVERIFY(server);
        // A change made while auditing is off is not recorded: without the check, the list would be empty and read
        // as "nobody changed it".
        QCOMPARE(cli(*server, {u"set"_s, Config, u"45"_s, u"--yes"_s}).exitCode, 0);

        const CliRun table = cli(*server, {u"history"_s, Config});
        QCOMPARE(table.exitCode, 6);
        QVERIFY2(table.out.isEmpty(), table.out.constData()); // nothing printed as history
        const QString sentence = QString::fromUtf8(table.err);
        QVERIFY(sentence.startsWith(u"autoclose-cli: Dataverse keeps no history of this value"_s));
        QVERIFY(sentence.contains(u"A System Administrator or System Customizer"_s));
        for (const QString &part : parts)
            QVERIFY2(sentence.contains(part), qPrintable(part + u"\n  not in: "_s + sentence));

        const CliRun asJson = cli(*server, {u"history"_s, Config, u"--format"_s, u"json"_s});
        QCOMPARE(asJson.exitCode, 6);
        const QJsonObject unavailable = json(asJson)[u"historyUnavailable"_s].toObject();
        QCOMPARE(unavailable[u"reason"_s].toString(), reason);
        QVERIFY(unavailable[u"sentence"_s].toString().contains(parts.first()));
        QVERIFY(!json(asJson).contains(u"changes"_s));
        QCOMPARE(json(asJson)[u"value"_s][u"name"_s].toString(), Config);
    }

    void withoutThePrivilege()
    {
        const auto server = sandbox({u"--without-privilege"_s, u"prvReadRecordAuditHistory"_s});
        QVERIFY(server);
        const CliRun run = cli(*server, {u"history"_s, Config});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("lack prvReadRecordAuditHistory (\"View Audit History\")"), run.err.constData());
        QVERIFY(run.err.contains("This does not mean nobody changed the value"));
        QVERIFY(run.err.contains("Ask an administrator for a security role"));
        const CliRun asJson = cli(*server, {u"history"_s, Config, u"--format"_s, u"json"_s});
        QCOMPARE(asJson.exitCode, 3);
        QCOMPARE(json(asJson)[u"historyUnavailable"_s][u"reason"_s].toString(), u"missing-privilege"_s);
        QCOMPARE(json(asJson)[u"historyUnavailable"_s][u"privilege"_s].toBool(), false);
    }

    void withoutTheSummaryPrivilege()
    {
        // Who and when come from the audit table, which needs prvReadAuditSummary ("View Audit Summary"); the
        // functions need both privileges (docs/change-history.md).
        const auto server = sandbox({u"--without-privilege"_s, u"prvReadAuditSummary"_s});
        QVERIFY(server);
        const CliRun run = cli(*server, {u"history"_s, Workstream});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("lack prvReadAuditSummary (\"View Audit Summary\")"), run.err.constData());
        QVERIFY(!run.err.contains("prvReadRecordAuditHistory"));
        const CliRun asJson = cli(*server, {u"history"_s, Workstream, u"--format"_s, u"json"_s});
        QCOMPARE(json(asJson)[u"historyUnavailable"_s][u"missingPrivileges"_s].toArray(),
                 QJsonArray {u"prvReadAuditSummary"_s});
    }

    void aReplyOfTheWrongShapeIsRefused_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("history cut short") << u"truncate:path=RetrieveAttributeChangeHistory"_s
                                           << u"The environment's change history reply is not what the Web API "
                                              u"documents (not valid JSON"_s;
        QTest::newRow("definition cut short") << u"truncate:path=Attributes(LogicalName="_s
                                              << u"column msdyn_autocloseliveworkitemafter definition reply"_s;
        QTest::newRow("organization cut short")
            << u"truncate:path=organizations"_s << u"The environment's organization reply"_s;
        QTest::newRow("audit table cut short")
            << u"truncate:path=/audits"_s << u"The environment's audit table reply is not what the Web API documents"_s;
        QTest::newRow("audit details cut short")
            << u"truncate:path=RetrieveAuditDetails"_s << u"The environment's audit details reply"_s;
        QTest::newRow("record cut short")
            << u"truncate:path=msdyn_occhannelstateconfigurations("_s << u"The environment's record reply"_s;
    }
    void aReplyOfTheWrongShapeIsRefused()
    {
        QFETCH(QString, faults);
        QFETCH(QString, messagePart);
        const auto server = sandbox({u"--faults"_s, faults});
        QVERIFY(server);
        for (const QString &format : {u"table"_s, u"json"_s}) {
            // A value with history in the demo data: had the reply been used in part, there would be rows to print.
            const CliRun run = cli(*server, {u"history"_s, HistoryConfig, u"--format"_s, format});
            QCOMPARE(run.exitCode, 4);
            QVERIFY2(run.out.isEmpty(), run.out.constData()); // nothing shown as history, not even a part
            QVERIFY2(run.err.contains(messagePart.toUtf8()), run.err.constData());
            QVERIFY(run.err.contains("none of it is shown"));
        }
    }

    void aLoopInTheAuditRowsIsAnError()
    {
        // The audit table's next link leads back to the page just read: reading on would never end.
        const auto server = sandbox({u"--faults"_s, u"loop:path=/audits"_s});
        QVERIFY(server);
        const CliRun run = cli(*server, {u"history"_s, HistoryConfig});
        QCOMPARE(run.exitCode, 4);
        QVERIFY2(run.out.isEmpty(), run.out.constData());
        QVERIFY2(run.err.contains("reply for audit table links back to a page it has already sent (at page 1)"),
                 run.err.constData());
    }

    void aNameThatNamesNothingSendsOnlyTheReads()
    {
        // Every request of the history refused: had any been sent, the exit code would be 4, not the resolver's 2.
        const auto server = sandbox({u"--faults"_s,
                                     u"400:path=organizations;400:path=EntityDefinitions;"
                                     u"400:path=RetrieveAttributeChangeHistory;400:path=RetrieveUser"_s});
        QVERIFY(server);
        const CliRun run = cli(*server, {u"history"_s, u"No such thing"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains("No such thing: no configuration has that id or name"), run.err.constData());
        QVERIFY2(run.err.contains("and no workstream either"), run.err.constData());
    }

    void badCommandLinesAreRefusedBeforeAnythingIsSent_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("no name") << QStringList {u"history"_s} << u"history takes one configuration or workstream"_s;
        QTest::newRow("two names") << QStringList {u"history"_s, u"a"_s, u"b"_s}
                                   << u"history takes one configuration or workstream"_s;
        QTest::newRow("format") << QStringList {u"history"_s, Config, u"--format"_s, u"csv"_s}
                                << u"--format must be table or json, not 'csv'"_s;
        QTest::newRow("setting") << QStringList {u"history"_s, Config, u"--setting"_s, u"timer"_s}
                                 << u"--setting must be channel-state, inactivity or wrap-up-block"_s;
        QTest::newRow("page 0") << QStringList {u"history"_s, Config, u"--page"_s, u"0"_s}
                                << u"--page must be a whole number from 1, not '0'"_s;
        QTest::newRow("page size") << QStringList {u"history"_s, Config, u"--page-size"_s, u"501"_s}
                                   << u"--page-size must be a whole number from 1 to 500, not '501'"_s;
        QTest::newRow("option of another command")
            << QStringList {u"history"_s, Config, u"--dry-run"_s} << u"--dry-run and --yes go with set and apply"_s;
    }
    void badCommandLinesAreRefusedBeforeAnythingIsSent()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, messagePart);
        // No server at all: a command line refused first sends nothing.
        const CliRun run =
            runCli(QStringList {u"--url"_s, u"http://127.0.0.1:9"_s, u"--access-token-env"_s, TokenVar} + args, env());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(messagePart.toUtf8()), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestChangeHistoryCli)
#include "tst_changehistorycli.moc"
