// autoclose-sandbox's switches for auditing and privileges (docs/change-history.md), with the real executable: --help
// names them, a wrong value is refused with a sentence and exit code 2, and a sandbox started with them answers as
// they say.
#include "ListeningProcess.h"
#include "TestHttp.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "options-test-token";
const QString Program = QStringLiteral(AUTOCLOSE_SANDBOX_BIN);
} // namespace

class TestSandboxOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpNamesTheSwitches()
    {
        QProcess help;
        help.start(Program, {u"--help"_s});
        QVERIFY(help.waitForFinished(20000));
        const QString text = QString::fromUtf8(help.readAllStandardOutput());
        QVERIFY(text.contains(u"--audit-off <WHAT>"_s));
        QVERIFY(text.contains(u"--without-privilege <NAME>"_s));
        QVERIFY(text.contains(u"prvReadRecordAuditHistory"_s));
    }

    void wrongValuesAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown table") << QStringList {u"--audit-off"_s, u"nothing"_s}
                                       << u"--audit-off nothing: 'nothing' is not a table the sandbox audits"_s;
        QTest::newRow("unknown column") << QStringList {u"--audit-off"_s, u"msdyn_liveworkstream.colour"_s}
                                        << u"'colour' is not an audited column of msdyn_liveworkstream"_s;
        QTest::newRow("unknown privilege") << QStringList {u"--without-privilege"_s, u"prvNothing"_s}
                                           << u"--without-privilege prvNothing: the sandbox knows no such privilege"_s;
    }
    void wrongValuesAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, messagePart);
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(u"data"_s);
        QProcess refused;
        refused.start(Program, QStringList {u"--data-dir"_s, dataDir, u"--token"_s, u"t"_s} + args);
        QVERIFY(refused.waitForFinished(20000));
        QCOMPARE(refused.exitStatus(), QProcess::NormalExit);
        QCOMPARE(refused.exitCode(), 2);
        const QString stderrText = QString::fromUtf8(refused.readAllStandardError());
        QVERIFY2(stderrText.contains(messagePart), qPrintable(stderrText));
        QVERIFY(!QFile::exists(dataDir)); // nothing was created
    }

    void aSandboxStartedWithThemAnswersAsTheySay()
    {
        QTemporaryDir dir;
        ListeningProcess sandbox(Program,
                                 {u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path(), u"--token"_s,
                                  QString::fromLatin1(Token), u"--audit-off"_s,
                                  u"msdyn_liveworkstream.msdyn_autocloseafterinactivity"_s, u"--without-privilege"_s,
                                  u"prvReadAuditSummary"_s});
        QVERIFY(sandbox.waitUntilListening());
        const auto at = [&sandbox](const QString &path) {
            return testGet(QUrl(sandbox.url().toString() + u"/api/data/v9.2/"_s + path), Token);
        };
        const QString column = u"EntityDefinitions(LogicalName='msdyn_liveworkstream')/Attributes(LogicalName='%1')"
                               u"?$select=IsAuditEnabled"_s;
        QCOMPARE(at(column.arg(u"msdyn_autocloseafterinactivity"_s)).json()[u"IsAuditEnabled"_s][u"Value"_s].toBool(),
                 false);
        QCOMPARE(at(column.arg(u"msdyn_blockcapacityforwrapup"_s)).json()[u"IsAuditEnabled"_s][u"Value"_s].toBool(),
                 true);
        const TestReply audits = at(u"audits"_s);
        QCOMPARE(audits.status, 403);
        QVERIFY(audits.json()[u"error"_s][u"message"_s].toString().contains(u"prvReadAuditSummary"_s));
        QCOMPARE(at(u"msdyn_liveworkstreams?$select=msdyn_name"_s).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestSandboxOptions)
#include "tst_sandboxoptions.moc"
