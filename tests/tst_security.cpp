// Security, proved on the real programs: a server whose TLS certificate cannot be verified gets nothing (not the
// token, not the client secret) and the user reads why; there is no switch to ignore certificate errors; http only
// to the loopback; the sign-in listener answers on 127.0.0.1 only; the programs cannot leave a core dump; and after
// a full run of the CLI, the editor and the window — with debug logging on and one CLI killed mid-request — no file
// under HOME and no line any of them printed holds the token or the secret, and every file they wrote is the user's
// alone.
#include "CliProcess.h"
#include "GuiTestSupport.h"
#include "SandboxProcess.h"
#include "TestFiles.h"
#include "WindowTestServer.h"
#include "app/auth/OAuth.h"
#include "app/auth/Profile.h"
#include "app/dataverse/DataverseClient.h"
#include "app/platform/Platform.h"
#include "app/sandbox/SandboxApi.h"
#include "models/ConfigTableModel.h"
#include "ui/MainWindow.h"
#include "ui/SaveConfirmDialog.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"security-test-token-4f1d8a"_s;
const QString TokenVar = u"AUTOCLOSE_SECURITY_TOKEN"_s;
const QByteArray Secret = SandboxApi::DemoClientSecret;

QString tlsFile(const QString &name)
{
    return QStringLiteral(AUTOCLOSE_TEST_DATA) + u"/tls/"_s + name;
}

// An HTTPS server on 127.0.0.1 with a self-signed certificate (tests/data/tls), answering WhoAmI to whoever gets
// through the handshake; it keeps every byte it was sent.
class TlsPeer : public QObject
{
public:
    bool start()
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(readFile(tlsFile(u"cert.pem"_s))));
        config.setPrivateKey(QSslKey(readFile(tlsFile(u"key.pem"_s)), QSsl::Rsa));
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(config);
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection())) {
                ++m_encrypted;
                connect(socket, &QSslSocket::readyRead, this, [this, socket] {
                    m_received += socket->readAll();
                    if (m_received.contains("\r\n\r\n")) {
                        const QByteArray body = "{\"UserId\":\"00000000-0000-0000-0000-000000000001\","
                                                "\"BusinessUnitId\":\"00000000-0000-0000-0000-000000000002\","
                                                "\"OrganizationId\":\"00000000-0000-0000-0000-000000000003\"}";
                        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                      QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                        socket->disconnectFromHost();
                    }
                });
            }
        });
        connect(&m_server, &QSslServer::errorOccurred, this,
                [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_refused; });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(u"https://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    QByteArray received() const { return m_received; }
    int encrypted() const { return m_encrypted; }
    int refused() const { return m_refused; }

private:
    QSslServer m_server;
    QByteArray m_received;
    int m_encrypted = 0;
    int m_refused = 0;
};

// As runCli, but with this process's event loop running meanwhile, for a server the test itself runs.
CliRun runCliServing(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess cli;
    cli.setProcessEnvironment(env);
    QEventLoop loop;
    QObject::connect(&cli, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN), args);
    cli.closeWriteChannel();
    loop.exec();
    CliRun run;
    if (cli.state() != QProcess::NotRunning) {
        cli.kill();
        cli.waitForFinished();
        return run;
    }
    run.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -2;
    run.out = cli.readAllStandardOutput();
    run.err = cli.readAllStandardError();
    return run;
}

// WhoAmI through the product's client, signed in with the test's token, against url.
std::optional<Result<WebApiReply::Identity>> whoAmI(const QUrl &url)
{
    QNetworkAccessManager network;
    DataverseClient client(url, &network);
    client.setAccessToken(Token);
    std::optional<Result<WebApiReply::Identity>> who;
    QObject context;
    client.whoAmI(&context, [&who](Result<WebApiReply::Identity> r) { who = std::move(r); });
    (void)QTest::qWaitFor([&who] { return who.has_value(); }, 20000);
    return who;
}

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(TokenVar, Token);
    env.insert(u"QT_LOGGING_RULES"_s, u"autoclose.*.debug=true"_s);
    return env;
}

// Every regular file under root, but the keyring's own encrypted store.
QStringList filesUnder(const QString &root)
{
    QStringList files;
    for (QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();) {
        const QString path = it.next();
        if (!path.contains(u"/keyrings/"_s))
            files << path;
    }
    return files;
}
} // namespace

class TestSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // main() moved HOME to a fresh folder: everything the programs write below lands there.
        QVERIFY(QDir::homePath().startsWith(QDir::tempPath()));
    }

    void unverifiedServerGetsNothing()
    {
        TlsPeer peer;
        QVERIFY(peer.start());
        const auto who = whoAmI(peer.url());
        QVERIFY(who.has_value());
        QVERIFY(!who->ok());
        const QString message = who->error().userMessage;
        QVERIFY2(message.contains(u"certificate could not be verified"_s), qPrintable(message));
        QVERIFY2(message.contains(u"self-signed"_s), qPrintable(message)); // the certificate's own problem
        QVERIFY2(message.contains(u"Nothing was sent"_s), qPrintable(message));
        QCOMPARE(peer.received(), QByteArray()); // not a byte of the request, let alone the token

        // The sign-in service behind such a certificate gets no form either: no client secret.
        Profile profile;
        profile.name = u"TLS"_s;
        profile.orgUrl = peer.url();
        profile.authority = peer.url();
        profile.tenant = u"contoso"_s;
        profile.method = AuthMethod::ClientSecret;
        QNetworkAccessManager network;
        OAuth::TokenClient tokens(profile, &network);
        std::optional<Result<OAuth::Tokens>> got;
        tokens.clientCredentials(QString::fromLatin1(Secret), this,
                                 [&got](Result<OAuth::Tokens> r) { got = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 20000);
        QVERIFY(!got->ok());
        QVERIFY2(got->error().userMessage.contains(u"certificate could not be verified"_s),
                 qPrintable(got->error().userMessage));
        QCOMPARE(peer.received(), QByteArray());

        // The command line says the same, and exits as for any network failure.
        const CliRun cli = runCliServing(
            {u"--url"_s, peer.url().toString(), u"--access-token-env"_s, TokenVar, u"whoami"_s}, cliEnvironment());
        QCOMPARE(cli.exitCode, 4);
        QVERIFY2(cli.err.contains("certificate could not be verified"), cli.err.constData());
        QVERIFY(!QByteArray(cli.out + cli.err).contains(Token.toUtf8()));
        QCOMPARE(peer.received(), QByteArray());
        QCOMPARE(peer.encrypted(), 0);
    }

    // The same server, once its certificate is trusted (as a company's root would be, in the system's store): the
    // request goes through. What refused it above was the verification, not TLS as such.
    void trustedServerIsReached()
    {
        TlsPeer peer;
        QVERIFY(peer.start());
        const QSslConfiguration before = QSslConfiguration::defaultConfiguration();
        QSslConfiguration trusting = before;
        trusting.addCaCertificates(QSslCertificate::fromPath(tlsFile(u"cert.pem"_s)));
        QSslConfiguration::setDefaultConfiguration(trusting);
        const auto who = whoAmI(peer.url());
        QSslConfiguration::setDefaultConfiguration(before);
        QVERIFY(who.has_value());
        QVERIFY2(who->ok(), qPrintable(who->ok() ? QString() : who->error().describe()));
        QVERIFY(peer.received().contains(QByteArray("Authorization: Bearer " + Token.toUtf8())));
    }

    void noSwitchWeakensTransport_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QStringList token = {u"--access-token-env"_s, TokenVar};
        for (const QString &flag : {u"--insecure"_s, u"--ignore-ssl-errors"_s, u"--no-verify"_s, u"-k"_s})
            QTest::addRow("%s", qPrintable(flag))
                << (QStringList {flag, u"--url"_s, u"https://contoso.crm.dynamics.com"_s} + token << u"list"_s) << 2
                << u"Unknown option"_s;
        QTest::newRow("http to another host")
            << (QStringList {u"--url"_s, u"http://contoso.crm.dynamics.com"_s} + token << u"list"_s) << 2 << u"https"_s;
        QTest::newRow("http authority for a profile") << QStringList {u"profiles"_s,
                                                                      u"add"_s,
                                                                      u"Plain"_s,
                                                                      u"--url"_s,
                                                                      u"https://contoso.crm.dynamics.com"_s,
                                                                      u"--auth"_s,
                                                                      u"device-code"_s,
                                                                      u"--authority"_s,
                                                                      u"http://login.example.com"_s}
                                                      << 2 << u"https"_s;
    }
    void noSwitchWeakensTransport()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun run = runCli(args, cliEnvironment());
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    }

    void signInListenerOnlyOnLoopback()
    {
        Profile profile;
        profile.name = u"Browser"_s;
        profile.orgUrl = QUrl(u"https://contoso.crm.dynamics.com"_s);
        profile.method = AuthMethod::Browser;
        QNetworkAccessManager network;
        OAuth::BrowserFlow flow(profile, &network);
        QSignalSpy ready(&flow, &OAuth::BrowserFlow::browserUrlReady);
        flow.start();
        QTRY_VERIFY(!ready.isEmpty());
        auto *listener = flow.findChild<QTcpServer *>();
        QVERIFY(listener && listener->isListening());
        QCOMPARE(listener->serverAddress(), QHostAddress(QHostAddress::LocalHost));
        const quint16 port = listener->serverPort();

        QTcpSocket loopback;
        loopback.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(loopback.waitForConnected(5000));
        // Every other address of this machine refuses the port.
        int tried = 0;
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            if (address.isLoopback() || address.isLinkLocal())
                continue;
            QTcpSocket other;
            other.connectToHost(address, port);
            QVERIFY2(!other.waitForConnected(3000), qPrintable(address.toString()));
            ++tried;
        }
        qInfo("the listener is bound to 127.0.0.1:%u; refused on %d other address(es) of this machine", port, tried);
        flow.cancel();
    }

    void programsCannotDumpCore()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("reads the limits from /proc (Linux)");
#else
        for (const char *program : {AUTOCLOSE_SANDBOX_BIN, AUTOCLOSE_CLI_BIN}) {
            QProcess process;
            QProcessEnvironment env = cliEnvironment();
            env.remove(u"AUTOCLOSE_ALLOW_CORE_DUMPS"_s);
            process.setProcessEnvironment(env);
            // The sandbox serves until stopped; the CLI waits for a server that holds the request back.
            QTcpServer silent;
            QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
            const QStringList args = QByteArray(program) == AUTOCLOSE_SANDBOX_BIN
                ? QStringList {u"--port"_s, u"0"_s, u"--data-dir"_s, QDir::home().filePath(u"limits-sandbox"_s)}
                : QStringList {u"--url"_s, u"http://127.0.0.1:%1"_s.arg(silent.serverPort()), u"--access-token-env"_s,
                               TokenVar, u"list"_s};
            process.start(QString::fromLocal8Bit(program), args);
            QVERIFY(process.waitForStarted());
            QString limits;
            QVERIFY(QTest::qWaitFor(
                [&] {
                    limits = QString::fromUtf8(readFile(u"/proc/%1/limits"_s.arg(process.processId())));
                    return limits.contains(u"Max core file size        0                    0"_s) ||
                        process.state() == QProcess::NotRunning;
                },
                10000));
            QVERIFY2(limits.contains(u"Max core file size        0                    0"_s), qPrintable(limits));
            process.kill();
            process.waitForFinished();
        }
#endif
    }

    void fullRunLeavesNoSecretAndOnlyPrivateFiles()
    {
        const QString home = QDir::homePath();
        QByteArray printed; // everything every program printed
        SandboxProcess sandbox({Token}, {}, cliEnvironment());
        QVERIFY(sandbox.waitUntilListening());
        const QString url = sandbox.url().toString();
        const QString exports = QDir(home).filePath(u"exports"_s);
        QVERIFY(QDir().mkpath(exports));

        // The CLI: profiles (one with its token in the environment, one with a client secret in the keychain),
        // every read, every write, exports in both formats.
        const QProcessEnvironment env = cliEnvironment();
        const QStringList viaUrl = {u"--url"_s, url, u"--access-token-env"_s, TokenVar};
        const QList<std::pair<QStringList, QByteArray>> runs = {
            {{u"profiles"_s, u"add"_s, u"Sandbox"_s, u"--url"_s, url, u"--auth"_s, u"env-token"_s, u"--token-env"_s,
              TokenVar},
             {}},
            {{u"profiles"_s, u"add"_s, u"Service"_s, u"--url"_s, url, u"--auth"_s, u"client-secret"_s, u"--authority"_s,
              url, u"--client-id"_s, QString::fromLatin1(SandboxApi::DemoClientId), u"--client-secret-stdin"_s},
             Secret + '\n'},
            {{u"--profile"_s, u"Sandbox"_s, u"whoami"_s}, {}},
            {viaUrl + QStringList {u"whoami"_s}, {}},
            {{u"--profile"_s, u"Service"_s, u"list"_s}, {}},
            {viaUrl + QStringList {u"export"_s, u"-o"_s, exports + u"/env.json"_s}, {}},
            {viaUrl + QStringList {u"export"_s, u"--format"_s, u"csv"_s, u"-o"_s, exports + u"/env.csv"_s}, {}},
            {viaUrl + QStringList {u"set"_s, u"Live Chat - Open"_s, u"45"_s, u"--yes"_s}, {}},
            {viaUrl + QStringList {u"apply"_s, exports + u"/env.json"_s, u"--yes"_s}, {}},
            {viaUrl + QStringList {u"diff"_s, exports + u"/env.json"_s, u"live"_s}, {}},
            {viaUrl + QStringList {u"preview"_s, u"--set"_s, u"Live Chat - Open=5"_s}, {}},
            {{u"--profile"_s, u"Service"_s, u"logout"_s}, {}},
        };
        for (const auto &[args, input] : runs) {
            const CliRun run = runCli(args, env, input);
            QVERIFY2(run.exitCode == 0 || (args.contains(u"diff"_s) && run.exitCode == 1),
                     qPrintable(args.join(u' ') + u" → %1\n"_s.arg(run.exitCode) + QString::fromUtf8(run.err)));
            printed += run.out + run.err;
        }

        // A CLI killed by a crash signal in the middle of a request (a server that never answers).
        {
            QTcpServer silent;
            QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
            QProcess crashing;
            crashing.setProcessEnvironment(env);
            crashing.setWorkingDirectory(home);
            crashing.start(QStringLiteral(AUTOCLOSE_CLI_BIN),
                           {u"--url"_s, u"http://127.0.0.1:%1"_s.arg(silent.serverPort()), u"--access-token-env"_s,
                            TokenVar, u"list"_s});
            QVERIFY(crashing.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 10000);
#if defined(Q_OS_WIN)
            crashing.kill(); // no crash signal to send here
#else
            QVERIFY(Platform::signalProcess(crashing.processId(), Platform::ProcessSignal::Crash));
#endif
            QVERIFY(crashing.waitForFinished());
            QCOMPARE(crashing.exitStatus(), QProcess::CrashExit);
            printed += crashing.readAllStandardOutput() + crashing.readAllStandardError();
        }

        // The editor itself, on the environment-token profile, with its log file and settings.
        {
            QProcess editor;
            QProcessEnvironment editorEnv = env;
            editorEnv.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
            editor.setProcessEnvironment(editorEnv);
            editor.start(QStringLiteral(AUTOCLOSE_EDITOR_BIN), {u"--profile"_s, u"Sandbox"_s, u"--quit-after-load"_s});
            QVERIFY(editor.waitForFinished(60000));
            printed += editor.readAllStandardOutput() + editor.readAllStandardError();
            QVERIFY2(editor.exitCode() == 0, printed.right(2000).constData());
        }

        // The window in this process (same application name as the editor): an edit saved, one left pending.
        {
            QNetworkAccessManager network;
            DataverseClient client(sandbox.url(), &network);
            client.setAccessToken(Token);
            EnvironmentInfo info;
            info.name = u"Sandbox"_s;
            MainWindow window(&client, info);
            window.setView(MainWindow::View::Details); // the details list, as these tests drive it
            window.show();
            QVERIFY(load(window));
            QTableView *view = window.detailsView();
            GuiTestSupport::typeValue(view, GuiTestSupport::rowOf(view, u"SMS"_s, u"Open"_s), u"3h"_s);
            QObject watchers;
            GuiTestSupport::whenDialog<SaveConfirmDialog>(
                &watchers, [](SaveConfirmDialog *dialog) { GuiTestSupport::buttonNamed(dialog, u"Save"_s)->click(); });
            QSignalSpy saved(&window, &MainWindow::saveFinished);
            window.save();
            QVERIFY(saved.wait(20000));
            QVERIFY(saved.last().first().toBool());
            GuiTestSupport::typeValue(view, GuiTestSupport::rowOf(view, u"Voice"_s, u"Open"_s), u"2d"_s);
            QVERIFY(window.model()->hasPendingEdits());
        }
        printed += sandbox.process().readAllStandardOutput() + sandbox.process().readAllStandardError();

        // Nothing printed and nothing written holds the token or the secret.
        const QList<QByteArray> secrets = {Token.toUtf8(), Secret};
        for (const QByteArray &secret : secrets)
            QVERIFY2(!printed.contains(secret), secret.left(8).constData());
        const QStringList files = filesUnder(home) + filesUnder(sandbox.dataDir());
        QStringList notPrivate;
        for (const QString &path : files) {
            const QByteArray content = readFile(path);
            for (const QByteArray &secret : secrets)
                QVERIFY2(!content.contains(secret), qPrintable(path));
            if (QFile::permissions(path) &
                (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther))
                notPrivate << QDir(home).relativeFilePath(path);
        }
        QVERIFY2(notPrivate.isEmpty(), qPrintable(notPrivate.join(u", "_s)));
        // What was written, so that the scan is seen to have covered it.
        const QStringList expected = {u"profiles.ini"_s, u"audit.jsonl"_s, u"autoclose-editor.log"_s,
                                      u"env.json"_s,     u"env.csv"_s,     u"sandbox.sqlite"_s};
        for (const QString &name : expected)
            QVERIFY2(std::any_of(files.begin(), files.end(), [&name](const QString &f) { return f.endsWith(name); }),
                     qPrintable(name));
        QVERIFY(std::any_of(files.begin(), files.end(), [](const QString &f) { return f.contains(u"/journal/"_s); }));
        QVERIFY(
            std::any_of(files.begin(), files.end(), [](const QString &f) { return f.contains(u"before-apply"_s); }));
        QVERIFY(!std::any_of(files.begin(), files.end(),
                             [](const QString &f) { return f.endsWith(u"/core"_s) || f.contains(u"/core."_s); }));
        qInfo("no token or secret in %d files or in %lld bytes of output; all of them readable by the user only",
              int(files.size()), qint64(printed.size()));
    }
};

int main(int argc, char *argv[])
{
    // A fresh HOME for every program this test runs, and for the window in this process.
    QTemporaryDir home;
    qputenv("HOME", QFile::encodeName(home.path()));
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                            "AUTOCLOSE_DATA_DIR", "AUTOCLOSE_CONFIG_DIR"})
        qunsetenv(var);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"AutoCloseEditor"_s);
    QCoreApplication::setApplicationName(u"autoclose-editor"_s);
    TestSecurity test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_security.moc"
