// The fault matrix: each fault the sandbox can inject (--faults), and a colleague's change between a read and a
// save, against each operation of the real autoclose-cli — load (list), save (set), preview, export, diff and
// apply. Each cell either succeeds after retrying or fails with its exit code and message; and whatever happens,
// an export leaves a whole file or none, and a save is reported as the server holds it (checked over HTTP) and
// logged the same way in the audit log; and no file the CLI wrote holds the token. The table of outcomes is printed
// at the end.
#include "CliProcess.h"
#include "SandboxProcess.h"
#include "ServerState.h"
#include "SquidPeer.h"
#include "TestFiles.h"
#include "app/sandbox/SandboxApi.h"
#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"fault-matrix-token"_s;
const QString TokenVar = u"AUTOCLOSE_MATRIX_TOKEN"_s;

enum class Op { Load, Save, Preview, Export, Diff, Apply };
const QList<std::pair<Op, QString>> Ops = {{Op::Load, u"load"_s},       {Op::Save, u"save"_s},
                                           {Op::Preview, u"preview"_s}, {Op::Export, u"export"_s},
                                           {Op::Diff, u"diff"_s},       {Op::Apply, u"apply"_s}};

bool writes(Op op)
{
    return op == Op::Save || op == Op::Apply;
}

QStringList g_table; // "fault | operation | exit | what happened", one line per cell
} // namespace
Q_DECLARE_METATYPE(Op)

class TestFaultMatrix : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<SquidPeer> m_proxy; // a real squid asking for a password (docs/networking.md)
    QString m_snapshot; // the demo environment as exported from a clean sandbox
    QString m_changed; // the same with two values changed, for apply

    QProcessEnvironment env(const QString &dataDir) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(TokenVar, Token);
        e.insert(u"AUTOCLOSE_DATA_DIR"_s, dataDir);
        e.insert(u"AUTOCLOSE_CONFIG_DIR"_s, dataDir + u"/config"_s);
        for (const QString &variable : {u"http_proxy"_s, u"https_proxy"_s, u"HTTPS_PROXY"_s, u"all_proxy"_s,
                                        u"ALL_PROXY"_s, u"no_proxy"_s, u"NO_PROXY"_s})
            e.remove(variable);
        return e;
    }

    // The environment given by --url and a token in the environment, or by a profile that signs in (and in again
    // after a 401) with a client secret.
    QStringList arguments(Op op, const QUrl &url, const QString &exportFile, const QString &timeout,
                          bool profile = false) const
    {
        // Appended, not a conditional of two initializer lists: GCC 12 takes that for a dangling pointer.
        QStringList args;
        if (profile)
            args << u"--profile"_s << u"Sandbox"_s;
        else
            args << u"--url"_s << url.toString() << u"--access-token-env"_s << TokenVar;
        args << u"--timeout"_s << timeout;
        switch (op) {
        case Op::Load:
            return args << u"list"_s;
        case Op::Save:
            return args << u"set"_s << u"Live Chat - Open"_s << u"45"_s << u"--yes"_s;
        case Op::Preview:
            return args << u"preview"_s << u"--set"_s << u"Live Chat - Open=5"_s;
        case Op::Export:
            return args << u"export"_s << u"-o"_s << exportFile;
        case Op::Diff:
            return args << u"diff"_s << m_snapshot << u"live"_s;
        case Op::Apply:
            return args << u"apply"_s << m_changed << u"--yes"_s;
        }
        return args;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_proxy = std::make_unique<SquidPeer>();
        QVERIFY2(m_proxy->start(), qPrintable(m_proxy->errorString()));
        SandboxProcess clean({Token});
        QVERIFY(clean.waitUntilListening());
        const CliRun exported =
            runCli({u"--url"_s, clean.url().toString(), u"--access-token-env"_s, TokenVar, u"export"_s},
                   env(m_dir.filePath(u"init"_s)));
        QCOMPARE(exported.exitCode, 0);
        m_snapshot = m_dir.filePath(u"demo.json"_s);
        m_changed = m_dir.filePath(u"changed.json"_s);
        QVERIFY(writeFile(m_snapshot, exported.out));
        QVERIFY(writeFile(
            m_changed, withMinutes(exported.out, {{u"Live Chat - Open"_s, 45}, {u"SMS - Wrap-up"_s, std::nullopt}})));
    }

    void cleanupTestCase()
    {
        qInfo().noquote() << "\nFault matrix (autoclose-cli against autoclose-sandbox --faults):\n"
                          << u"fault                | operation | exit | what happened\n"_s + g_table.join(u'\n');
    }

    void cell_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<Op>("op");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message"); // in the CLI's output (stdout and stderr together)
        // The request each operation depends on: its configurations read, the conversations read (preview), or
        // the save's $batch.
        const auto target = [](Op op) {
            if (writes(op))
                return u"method=POST:path=$batch"_s; // not the sign-in's token request
            if (op == Op::Preview)
                return u"method=GET:path=msdyn_ocliveworkitems"_s;
            // (With $expand: the test's own reads of the server, without it, leave the fault to the CLI.)
            return u"method=GET:path=msdyn_occhannelstateconfigurations:query=$expand"_s;
        };
        struct Fault
        {
            QString name;
            QString spec; // %1: the target
            int readExit; // the exit code of a read hit by it
            int writeExit;
            QString readMessage;
            QString writeMessage;
        };
        const QList<Fault> faults = {
            {u"429"_s, u"429:%1:times=1:retry-after=1"_s, 0, 0, u"throttled by the environment, retrying in 1 s"_s,
             u"throttled by the environment, retrying in 1 s"_s},
            {u"500"_s, u"500:%1:times=1"_s, 0, 0, u"HTTP 500, retrying"_s, u"HTTP 500, retrying"_s},
            {u"503"_s, u"503:%1:times=1"_s, 0, 0, u"HTTP 503, retrying"_s, u"HTTP 503, retrying"_s},
            {u"reset"_s, u"reset:%1:times=1"_s, 0, 0, u"connection reset, retrying"_s,
             u"its reply was lost; read back to confirm"_s},
            {u"truncated"_s, u"truncate:%1:times=1"_s, 4, 0, u"not valid JSON"_s,
             u"its reply was lost; read back to confirm"_s},
            {u"slow"_s, u"slow:%1:times=1:ms=2500"_s, 4, 0, u"did not answer in time"_s,
             u"its reply was lost; read back to confirm"_s},
            {u"401 expired"_s, u"expired:%1:times=1"_s, 3, 3, u"did not accept the sign-in"_s,
             u"did not accept the sign-in"_s},
            // The same expiry for a profile that can sign in again by itself: it does, and the request succeeds.
            {u"401 expired, profile"_s, u"expired:%1:times=1"_s, 0, 0, QString(), QString()},
            // A claims challenge (Conditional Access): a token from the environment cannot satisfy it; a profile with
            // a client secret asks for a token carrying the claims, and the request goes again once with it.
            {u"401 claims"_s, u"claims:%1"_s, 3, 3, u"Your organization's access policy asks you to sign in again"_s,
             u"Your organization's access policy asks you to sign in again"_s},
            {u"401 claims, profile"_s, u"claims:%1"_s, 0, 0, QString(), QString()},
            // Through a proxy that asks for a password (407), none given: nothing reaches the environment. With the
            // credentials in the proxy's URL, everything does.
            {u"407 proxy"_s, u"proxy"_s, 4, 4, u"asks for a user name and password"_s,
             u"asks for a user name and password"_s},
            {u"407 answered"_s, u"proxy with credentials"_s, 0, 0, QString(), QString()},
        };
        for (const Fault &f : faults)
            for (const auto &[op, name] : Ops)
                QTest::addRow("%s × %s", qPrintable(f.name), qPrintable(name))
                    << f.spec.arg(target(op)) << op << (writes(op) ? f.writeExit : f.readExit)
                    << (writes(op) ? f.writeMessage : f.readMessage);
        // 412: a colleague saves between the read and the save (reads have no version to conflict with).
        // The one record of the save is named as the refused one (not as "another record" that stopped it).
        QTest::addRow("412 × save") << u"412"_s << Op::Save << 5
                                    << u"FAILED     Live chat · Open  20 min → 45 min  Live Chat - Open: Someone "
                                       "changed this record"_s;
        QTest::addRow("412 × apply") << u"412"_s << Op::Apply << 5 << u"Someone changed this record"_s;
    }
    void cell()
    {
        QFETCH(QString, fault);
        QFETCH(Op, op);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const bool colleague = fault == u"412"_s;
        const bool proxied = fault.startsWith(u"proxy"_s);
        const bool profile = QString::fromUtf8(QTest::currentDataTag()).contains(u"profile"_s);
        QProcessEnvironment logging = QProcessEnvironment::systemEnvironment();
        logging.insert(u"QT_LOGGING_RULES"_s, u"autoclose.sandbox.debug=true"_s);
        // For 412 the sandbox holds back its answer to the CLI's read so that the colleague's save lands first.
        SandboxProcess sandbox(
            {Token},
            proxied
                ? QStringList()
                : QStringList {u"--faults"_s, colleague ? u"slow:method=GET:query=$expand:times=1:ms=2000"_s : fault},
            logging);
        QVERIFY(sandbox.waitUntilListening());
        const ServerState before = serverState(sandbox.url(), Token);
        const QString chatOpen = idOf(before, u"Live Chat - Open"_s);
        const QString smsWrapUp = idOf(before, u"SMS - Wrap-up"_s);
        QTemporaryDir data;
        const QString exportFile = data.filePath(u"export.json"_s);

        if (profile) {
            const CliRun added =
                runCli({u"profiles"_s, u"add"_s, u"Sandbox"_s, u"--url"_s, sandbox.url().toString(), u"--auth"_s,
                        u"client-secret"_s, u"--authority"_s, sandbox.url().toString(), u"--client-id"_s,
                        QString::fromLatin1(SandboxApi::DemoClientId), u"--client-secret-stdin"_s},
                       env(data.path()), QByteArray(SandboxApi::DemoClientSecret) + '\n');
            QVERIFY2(added.exitCode == 0, added.err.constData());
        }
        QProcess cli;
        QProcessEnvironment cliEnv = env(data.path());
        if (proxied) // the loopback included: a proxy set for every host is used for 127.0.0.1 too
            cliEnv.insert(u"http_proxy"_s, m_proxy->url(fault.endsWith(u"credentials"_s)));
        const qsizetype proxyLogBefore = m_proxy->accessLog().size();
        cli.setProcessEnvironment(cliEnv);
        cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                  arguments(op, sandbox.url(), exportFile, fault.startsWith(u"slow"_s) ? u"1"_s : u"20"_s, profile));
        if (colleague) {
            QByteArray log;
            QVERIFY(QTest::qWaitFor(
                [&] {
                    log += sandbox.process().readAllStandardError();
                    return log.contains("(fault injected)");
                },
                20000));
            QUrl record = sandbox.url();
            record.setPath(u"/api/data/v9.2/msdyn_occhannelstateconfigurations(%1)"_s.arg(chatOpen));
            QCOMPARE(testRequest("PATCH", record,
                                 {{"Authorization", "Bearer " + Token.toUtf8()},
                                  {"Content-Type", "application/json"},
                                  {"If-Match", "*"}},
                                 "{\"msdyn_autocloseliveworkitemafter\": 99}")
                         .status,
                     204);
        }
        QVERIFY(cli.waitForFinished(60000));
        const QString output = QString::fromUtf8(cli.readAllStandardOutput() + cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == exitCode, qPrintable(u"exit %1:\n"_s.arg(cli.exitCode()) + output));
        QVERIFY2(output.contains(message), qPrintable(output));
        QVERIFY(!output.contains(Token));
        QVERIFY(!output.contains(QString::fromLatin1(SandboxApi::DemoClientSecret)));
        // The fault did fire (a cell that passes because nothing happened proves nothing): the sandbox injected it,
        // or the proxy refused (TCP_DENIED/407) or carried (as its user) the CLI's requests.
        if (proxied) {
            const QString expected = exitCode == 0 ? u" "_s + m_proxy->options().user + u" "_s : u"TCP_DENIED/407"_s;
            QVERIFY2(QTest::qWaitFor([&] { return m_proxy->accessLog().mid(proxyLogBefore).contains(expected); }, 5000),
                     qPrintable(m_proxy->accessLog().mid(proxyLogBefore)));
        }
        QByteArray sandboxLog;
        const bool fired = colleague || proxied ||
            QTest::qWaitFor(
                               [&] {
                                   sandboxLog += sandbox.process().readAllStandardError();
                                   return sandboxLog.contains("(fault injected)");
                               },
                               5000);
        QVERIFY2(fired, sandboxLog.right(2000).constData());

        // An export is a whole, valid file or no file.
        if (op == Op::Export)
            QCOMPARE(QFile::exists(exportFile), exitCode == 0);
        if (op == Op::Export && exitCode == 0)
            QVERIFY(SnapshotFiles::read(exportFile).ok());
        QCOMPARE(QDir(data.path()).entryList({u"*.json.*"_s}, QDir::Files | QDir::Hidden), QStringList());

        // A save is reported as the server holds it, and logged the same way.
        const ServerState after = serverState(sandbox.url(), Token);
        if (!writes(op)) {
            QCOMPARE(after, before);
        } else {
            const bool saved = exitCode == 0;
            QCOMPARE(after.value(chatOpen).minutes,
                     saved           ? std::optional<int>(45)
                         : colleague ? std::optional<int>(99)
                                     : before.value(chatOpen).minutes);
            if (op == Op::Apply)
                QCOMPARE(after.value(smsWrapUp).minutes, saved ? std::nullopt : before.value(smsWrapUp).minutes);
            // Stopped by the proxy before anything was read, a save is never tried and so never logged.
            const bool tried = !(proxied && !saved);
            QCOMPARE(QFile::exists(data.filePath(u"audit.jsonl"_s)), tried);
            const auto log = AuditLog(data.filePath(u"audit.jsonl"_s)).read();
            QVERIFY(!tried || log.ok());
            QCOMPARE(tried ? log.value().size() : 0, op == Op::Apply && tried ? 2 : tried ? 1 : 0);
            for (const AuditLog::Entry &e : log.value())
                QCOMPARE(e.result == u"saved"_s, saved);
        }
        // Nothing the CLI wrote (audit log, before-apply snapshots, exports, settings) holds the token.
        QDirIterator files(data.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString file = files.next();
            QVERIFY2(!readFile(file).contains(Token.toUtf8()), qPrintable(file));
        }
        const QString what = exitCode != 0               ? u"failed: "_s + message
            : proxied                                    ? u"succeeded through the proxy"_s
            : profile                                    ? u"signed in again by itself, then succeeded"_s
            : output.contains(u"read back to confirm"_s) ? u"saved; its lost reply confirmed by reading back"_s
            : output.contains(u"retrying"_s)             ? u"succeeded after retrying"_s
                                                         : u"succeeded"_s;
        g_table << u"%1 | %2 | %3    | %4"_s
                       .arg(QString::fromUtf8(QTest::currentDataTag()).section(u" × "_s, 0, 0).leftJustified(20),
                            QString::fromUtf8(QTest::currentDataTag()).section(u" × "_s, 1).leftJustified(9))
                       .arg(exitCode)
                       .arg(what +
                            (writes(op)             ? u"; the server holds what was reported, the audit log agrees"_s
                                 : op == Op::Export ? u"; a whole file or none"_s
                                                    : QString()));
    }
};

QTEST_GUILESS_MAIN(TestFaultMatrix)
#include "tst_faultmatrix.moc"
