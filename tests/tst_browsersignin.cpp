// The browser sign-in (docs/sign-in.md, "Authorization code with PKCE, in the system browser") in a real browser:
// Debian's Chromium, headless, driven by puppeteer-core (tests/peers/browser-signin.mjs), opens the authorize URL the
// product gives it, signs in and consents — or declines — on the oidc-provider peer's own pages by typing and
// clicking, and is redirected to the product's loopback listener, which must receive the code. Against a sandbox that
// accepts the peer's tokens, with the refresh token in the real keychain (the test runs in a D-Bus session with an
// unlocked gnome-keyring, as the README's test command sets up). Once for `autoclose-cli login`, which prints the URL,
// and once for the window, whose QDesktopServices::openUrl launches the browser itself.
#include "BrowserSignIn.h"
#include "CliProcess.h"
#include "OidcPeer.h"
#include "SandboxProcess.h"

#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

// An X server of its own for the window: Qt's offscreen platform has no desktop services, so there
// QDesktopServices::openUrl launches nothing; on xcb it runs xdg-open, as on a desktop without a desktop environment.
class XvfbDisplay
{
public:
    XvfbDisplay()
    {
        // -displayfd: Xvfb picks a free display itself and prints its number once it accepts clients.
        m_server.start(u"Xvfb"_s,
                       {u"-displayfd"_s, u"1"_s, u"-screen"_s, u"0"_s, u"1280x800x24"_s, u"-nolisten"_s, u"tcp"_s});
    }
    ~XvfbDisplay()
    {
        if (m_server.state() != QProcess::NotRunning) {
            m_server.terminate();
            if (!m_server.waitForFinished(5000))
                m_server.kill();
        }
    }
    XvfbDisplay(const XvfbDisplay &) = delete;
    XvfbDisplay &operator=(const XvfbDisplay &) = delete;

    // ":<n>", or empty if it did not start.
    QString waitForDisplay()
    {
        if (!QTest::qWaitFor([this] { return m_server.canReadLine() || m_server.state() == QProcess::NotRunning; },
                             20000))
            return {};
        bool ok = false;
        const int number = m_server.readLine().trimmed().toInt(&ok);
        return ok ? u":%1"_s.arg(number) : QString();
    }
    QByteArray errors() { return m_server.readAllStandardError(); }

private:
    QProcess m_server;
};

class TestBrowserSignIn : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<OidcPeer> m_peer;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_config;

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AUTOCLOSE_CONFIG_DIR"_s, m_config.path());
        return env;
    }

    // A browser-method profile signing in at the peer for the sandbox.
    bool addBrowserProfile(const QString &name)
    {
        const CliRun added = runCli({u"profiles"_s, u"add"_s, name, u"--url"_s, m_sandbox->url().toString(),
                                     u"--auth"_s, u"browser"_s, u"--client-id"_s, u"public-app"_s, u"--tenant"_s,
                                     OidcPeer::tenant(), u"--authority"_s, m_peer->url().toString()},
                                    cliEnvironment());
        if (added.exitCode != 0)
            qWarning("profiles add: %s", added.err.constData());
        return added.exitCode == 0;
    }

    // `autoclose-cli --profile NAME login`, its authorize URL (printed on stderr) given to the browser.
    struct CliLogin
    {
        CliRun cli;
        BrowserVisit browser;
    };
    CliLogin loginInBrowser(const QString &profile, const BrowserUser &user)
    {
        return cliInBrowser({u"--profile"_s, profile, u"login"_s}, user);
    }
    // Any command that signs in through the browser: the first authorize URL it prints goes to the browser.
    CliLogin cliInBrowser(const QStringList &args, const BrowserUser &user)
    {
        CliLogin run;
        QProcess cli;
        cli.setProcessEnvironment(cliEnvironment());
        cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN), args);
        QByteArray err;
        const bool printed = QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                return err.contains("\nhttp") || cli.state() == QProcess::NotRunning;
            },
            20000);
        if (printed && err.contains("\nhttp")) {
            const QByteArray line = err.mid(err.indexOf("\nhttp") + 1).split('\n').first();
            run.browser = runBrowserSignIn(QString::fromUtf8(line), user);
        } else {
            run.browser.err = "autoclose-cli printed no authorize URL";
        }
        if (!cli.waitForFinished(30000)) {
            cli.kill();
            cli.waitForFinished();
        } else {
            run.cli.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -2;
        }
        run.cli.out = cli.readAllStandardOutput();
        run.cli.err = err + cli.readAllStandardError();
        return run;
    }

    // The refresh token the product keeps for profile, read from the keychain the way the product reads it.
    std::optional<QString> storedRefreshToken(const QString &profile)
    {
        const auto found = ProfileStore(m_config.filePath(u"profiles.ini"_s)).find(profile);
        if (!found)
            return std::nullopt;
        SecretStore productSecrets;
        std::optional<Result<std::optional<QString>>> read;
        productSecrets.read(found->refreshTokenKey(), this,
                            [&read](Result<std::optional<QString>> r) { read.emplace(std::move(r)); });
        (void)QTest::qWaitFor([&read] { return read.has_value(); }, 10000);
        if (!read || !*read || !read->value())
            return std::nullopt;
        return read->value();
    }

    // The authorize request as it reached the authority through the browser: what docs/sign-in.md says the product
    // sends, and the loopback redirect the browser then followed.
    static void checkAuthorizeRequest(const BrowserVisit &visit, const QString &scopeResource)
    {
        const QMap<QString, QString> &q = visit.authorize;
        QCOMPARE(q.value(u"client_id"_s), u"public-app"_s);
        QCOMPARE(q.value(u"response_type"_s), u"code"_s);
        QCOMPARE(q.value(u"code_challenge_method"_s), u"S256"_s);
        QCOMPARE(q.value(u"code_challenge"_s).size(), 43); // base64url of SHA-256, unpadded
        QVERIFY(q.value(u"state"_s).size() >= 16);
        QCOMPARE(QUrl(q.value(u"redirect_uri"_s)), QUrl(visit.origin.toString() + u"/"_s));
        const QStringList scopes = q.value(u"scope"_s).split(u' ');
        QVERIFY2(scopes.contains(scopeResource + u"/user_impersonation"_s), qPrintable(scopes.join(u' ')));
        QVERIFY(scopes.contains(u"offline_access"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY2(m_peer->waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {u"static-token"_s}, OidcPeer::sandboxArguments(),
                                                     m_peer->sandboxEnvironment());
        QVERIFY(m_sandbox->waitUntilListening());
        QVERIFY(m_config.isValid());
    }

    // The CLI signs in through the browser; a following run signs in silently from the refresh token the first one
    // kept in the keychain. `claims`: the claims parameter the authorize request must carry to the authority (JSON;
    // empty: none).
    void cliSignsInThroughTheBrowser_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QByteArray>("claims");
        // Every sign-in declares that the product answers claims challenges (docs/sign-in.md).
        QTest::newRow("plain") << u"erin@contoso.example"_s
                               << QByteArray(R"({"access_token":{"xms_cc":{"values":["cp1"]}}})");
    }
    void cliSignsInThroughTheBrowser()
    {
        QFETCH(QString, login);
        QFETCH(QByteArray, claims);
        const QString profile = u"Browser "_s + QString::fromLatin1(QTest::currentDataTag());
        QVERIFY(addBrowserProfile(profile));

        const CliLogin run = loginInBrowser(profile, {login});
        QVERIFY2(run.browser.exitCode == 0, qPrintable(run.browser.describe() + QString::fromUtf8(run.cli.err)));
        // The browser ended on the product's listener, which had the code: "Signed in".
        QCOMPARE(run.browser.origin.host(), u"localhost"_s);
        QCOMPARE(run.browser.status, 200);
        QCOMPARE(run.browser.heading, u"Signed in"_s);
        checkAuthorizeRequest(run.browser, m_sandbox->url().toString());
        if (QTest::currentTestFailed())
            return;
        if (claims.isEmpty())
            QVERIFY2(!run.browser.authorize.contains(u"claims"_s),
                     qPrintable(run.browser.authorize.value(u"claims"_s)));
        else
            QCOMPARE(QJsonDocument::fromJson(run.browser.authorize.value(u"claims"_s).toUtf8()),
                     QJsonDocument::fromJson(claims));

        QCOMPARE(run.cli.exitCode, 0);
        const QByteArray who = "Signed in as " + login.toUtf8() + " at " + m_sandbox->url().toString().toUtf8();
        QVERIFY2(run.cli.out.contains(who), run.cli.out.constData());
        const std::optional<QString> kept = storedRefreshToken(profile);
        QVERIFY(kept && !kept->isEmpty());

        // A new process: no token in memory, only the refresh token in the keychain — which is replaced as it is used.
        const CliRun whoami = runCli({u"whoami"_s, u"--profile"_s, profile}, cliEnvironment());
        QVERIFY2(whoami.exitCode == 0, whoami.err.constData());
        QVERIFY2(whoami.out.contains(who), whoami.out.constData());
        const std::optional<QString> rotated = storedRefreshToken(profile);
        QVERIFY(rotated && !rotated->isEmpty() && *rotated != *kept);

        QCOMPARE(runCli({u"--profile"_s, profile, u"logout"_s}, cliEnvironment()).exitCode, 0);
        QVERIFY(!storedRefreshToken(profile));
    }

    // Conditional Access: the environment challenges the token for claims it lacks (the sandbox's claims fault); the
    // CLI says why and signs in again in the browser with the claims on the authorize request, the token the authority
    // then issues carries them, and the command goes on (docs/sign-in.md, "Conditional Access and claims challenges").
    void cliSignsInAgainWithTheClaimsAPolicyAsksFor()
    {
        SandboxProcess guarded({u"static-token"_s},
                               OidcPeer::sandboxArguments() + QStringList {u"--faults"_s, u"claims:after=1"_s},
                               m_peer->sandboxEnvironment());
        QVERIFY(guarded.waitUntilListening());
        const QString profile = u"Browser claims"_s;
        const CliRun added = runCli({u"profiles"_s, u"add"_s, profile, u"--url"_s, guarded.url().toString(),
                                     u"--auth"_s, u"browser"_s, u"--client-id"_s, u"public-app"_s, u"--tenant"_s,
                                     OidcPeer::tenant(), u"--authority"_s, m_peer->url().toString()},
                                    cliEnvironment());
        QCOMPARE(added.exitCode, 0);
        // Signed in (its WhoAmI the one request the policy lets pass) before the policy asks more: the token carries
        // no authentication context.
        const CliLogin login = loginInBrowser(profile, {u"grace@contoso.example"_s});
        QVERIFY2(login.browser.exitCode == 0, qPrintable(login.browser.describe() + QString::fromUtf8(login.cli.err)));
        QCOMPARE(login.cli.exitCode, 0);

        const CliLogin list =
            cliInBrowser({u"--profile"_s, profile, u"list"_s, u"--format"_s, u"json"_s}, {u"grace@contoso.example"_s});
        QVERIFY2(list.browser.exitCode == 0, qPrintable(list.browser.describe() + QString::fromUtf8(list.cli.err)));
        QCOMPARE(list.browser.heading, u"Signed in"_s);
        QVERIFY2(list.cli.err.contains("Your organization's access policy asks you to sign in again."),
                 list.cli.err.constData());
        checkAuthorizeRequest(list.browser, guarded.url().toString());
        // The challenge's claims, with the capability the product declares, reached the authority through the browser.
        QCOMPARE(QJsonDocument::fromJson(list.browser.authorize.value(u"claims"_s).toUtf8()),
                 QJsonDocument::fromJson(
                     R"({"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}})"));
        // The sandbox lets only a token carrying c1 through: the command read the configurations with the new one.
        QVERIFY2(list.cli.exitCode == 0, list.cli.err.constData());
        QVERIFY(!QJsonDocument::fromJson(list.cli.out).object().value(u"configurations"_s).toArray().isEmpty());
    }

    // Cancel on the consent page: the browser shows the product's page saying so, the CLI exits 3 with its sentence,
    // and nothing is kept.
    void cliSignInDeclinedInTheBrowser()
    {
        const QString profile = u"Browser declined"_s;
        QVERIFY(addBrowserProfile(profile));
        BrowserUser user;
        user.login = u"bob@contoso.example"_s;
        user.decline = true;
        const CliLogin run = loginInBrowser(profile, user);
        QVERIFY2(run.browser.exitCode == 0, qPrintable(run.browser.describe() + QString::fromUtf8(run.cli.err)));
        QCOMPARE(run.browser.origin.host(), u"localhost"_s);
        QCOMPARE(run.browser.heading, u"Sign-in did not complete"_s);

        QCOMPARE(run.cli.exitCode, 3);
        QVERIFY2(run.cli.err.contains("Sign-in was declined in the browser"), run.cli.err.constData());
        QVERIFY2(run.cli.err.contains("The user declined to consent"), run.cli.err.constData()); // the peer's words
        QVERIFY(!run.cli.out.contains("Signed in"));
        QVERIFY(!storedRefreshToken(profile));
        const CliRun whoami = runCli({u"whoami"_s, u"--profile"_s, profile}, cliEnvironment());
        QCOMPARE(whoami.exitCode, 3);
        QVERIFY2(whoami.err.contains("autoclose-cli login --profile \"Browser declined\""), whoami.err.constData());
    }

    // The window opens a profile it is not signed in to: its sign-in dialog calls QDesktopServices::openUrl, Qt runs
    // xdg-open with the URL — here the stand-in, which gives that URL to the browser — and the window loads the
    // environment once the listener has the code. The CLI then signs in silently from what the window kept.
    void windowLaunchesTheSystemBrowser()
    {
        const QString profile = u"Browser window"_s;
        QVERIFY(addBrowserProfile(profile));
        XvfbDisplay xvfb;
        const QString display = xvfb.waitForDisplay();
        QVERIFY2(!display.isEmpty(), xvfb.errors().constData());

        QTemporaryDir launcher; // the xdg-open Qt finds first on the window's PATH
        QVERIFY(launcher.isValid());
        const QString result = launcher.filePath(u"browser"_s);
        BrowserUser user;
        user.login = u"frank@contoso.example"_s;
        QVERIFY(writeXdgOpenStandIn(launcher.path(), result, user));

        QProcessEnvironment env = cliEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"xcb"_s);
        env.insert(u"DISPLAY"_s, display);
        env.insert(u"PATH"_s, launcher.path() + u":"_s + env.value(u"PATH"_s));
        env.remove(u"XDG_CURRENT_DESKTOP"_s);
        env.remove(u"BROWSER"_s);
        QProcess editor;
        editor.setProcessEnvironment(env);
        editor.start(QStringLiteral(AUTOCLOSE_EDITOR_BIN), {u"--profile"_s, profile, u"--quit-after-load"_s});
        // The browser finishes first, then the window loads and quits; a browser that fails ends the wait at once.
        BrowserVisit visit;
        const auto browserDone = [&] {
            return (visit = readXdgOpenResult(result)).exitCode != -1;
        };
        (void)QTest::qWaitFor([&] { return browserDone() || editor.state() == QProcess::NotRunning; }, 90000);
        if (visit.exitCode == 0)
            editor.waitForFinished(30000);
        else if (editor.state() == QProcess::NotRunning)
            (void)QTest::qWaitFor(browserDone, 30000); // the window gave up first: what of the browser?
        const bool finished = editor.state() == QProcess::NotRunning;
        if (!finished) {
            editor.kill();
            editor.waitForFinished();
        }
        const QByteArray printed = editor.readAllStandardOutput() + editor.readAllStandardError();
        QVERIFY2(visit.exitCode == 0, qPrintable(visit.describe() + QString::fromUtf8(printed)));
        QVERIFY2(finished && editor.exitStatus() == QProcess::NormalExit && editor.exitCode() == 0,
                 printed.constData());

        QCOMPARE(visit.origin.host(), u"localhost"_s);
        QCOMPARE(visit.heading, u"Signed in"_s);
        checkAuthorizeRequest(visit, m_sandbox->url().toString());
        if (QTest::currentTestFailed())
            return;

        const CliRun whoami = runCli({u"whoami"_s, u"--profile"_s, profile}, cliEnvironment());
        QVERIFY2(whoami.exitCode == 0, whoami.err.constData());
        QVERIFY2(whoami.out.contains("Signed in as frank@contoso.example"), whoami.out.constData());
        QCOMPARE(runCli({u"--profile"_s, profile, u"logout"_s}, cliEnvironment()).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestBrowserSignIn)
#include "tst_browsersignin.moc"
