// A claims challenge in the window (offscreen), as a user meets it: the environment (a sandbox in this process, with
// --faults claims) refuses the device-code profile's token in the middle of a load; the sign-in dialog says that the
// organization's access policy asks to sign in again and shows a new device code. Cancelled, the load fails with that
// said in the banner; signed in at the real oidc-provider peer (over HTTP), the load goes on and succeeds with a
// token that carries the claims. The window is wired as autoclose-editor wires it (SignInDialog::
// signInAgainOnChallenge), and the refresh token lands in the real keychain. The profile manager's Test answers a
// challenge the same way.
#include "GuiTestSupport.h"
#include "OidcPeer.h"
#include "WindowTestServer.h"

#include "app/auth/AuthChallenge.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "ui/MainWindow.h"
#include "ui/ProfileDialog.h"
#include "ui/SignInDialog.h"

#include <QApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

class TestClaimsWindow : public QObject
{
    Q_OBJECT

    std::unique_ptr<OidcPeer> m_peer;

    // The sign-in dialog the window shows now, once it shows a device code.
    static QPointer<SignInDialog> dialogWithCode(MainWindow &window)
    {
        QPointer<SignInDialog> dialog;
        (void)QTest::qWaitFor(
            [&] {
                const auto dialogs = window.findChildren<SignInDialog *>();
                for (SignInDialog *d : dialogs) {
                    if (d->isVisible() && !d->userCode().isEmpty())
                        dialog = d;
                }
                return !dialog.isNull();
            },
            20000);
        return dialog;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY2(m_peer->waitUntilListening(), "the oidc-provider peer did not start (run npm ci in tests/peers)");
    }

    void theWindowExplainsAndSignsInAgain()
    {
        LocalSandbox::Options options;
        options.trustedJwtKey = QByteArray::fromHex(m_peer->keyHex());
        options.faults = u"claims"_s; // every Web API request whose token does not carry c1
        auto server = SandboxFixture::start(options);
        QVERIFY(server);

        Profile p;
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = u"Contoso"_s;
        p.orgUrl = server->sandbox->url();
        p.tenant = OidcPeer::tenant();
        p.authority = m_peer->url();
        p.clientId = u"public-app"_s;
        p.method = AuthMethod::DeviceCode;
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        SignInSession session(p, &secrets, &server->network);

        // Signed in before the window opens, as the profile's first sign-in: the capability only, no acrs.
        QSignalSpy codes(&session, &SignInSession::deviceCodeReady);
        std::optional<Result<QString>> first;
        session.signInInteractively(this, [&first](Result<QString> r) { first.emplace(std::move(r)); });
        QTRY_COMPARE_WITH_TIMEOUT(codes.size(), 1, 10000);
        const auto code = codes.first().first().value<OAuth::DeviceCodeFlow::Code>();
        QVERIFY(OidcPeer::enterDeviceCode(code.verificationUri, code.userCode, u"dora@contoso.example"_s)
                    .body.contains("Sign-in Success"));
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 20000);
        QVERIFY2(*first, qPrintable(first->ok() ? QString() : first->error().describe()));
        QVERIFY(!OAuth::unverifiedClaims(first->value()).contains(u"acrs"_s));

        // The window, wired as autoclose-editor wires it.
        DataverseClient client(p.orgUrl, &server->network);
        client.setAccessToken(first->value());
        client.transport()->setTokenRefresher(session.refresher());
        client.transport()->setChallengeAnswerer(session.challengeAnswerer());
        MainWindow *shown = nullptr;
        session.setInteraction(SignInDialog::signInAgainOnChallenge(&session, [&shown] { return shown; }));
        MainWindow window(&client, environment(server->dir.path() + u"/journal"_s));
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        shown = &window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.refresh();

        // The dialog says why, with a new code; the user cancels.
        QPointer<SignInDialog> dialog = dialogWithCode(window);
        QVERIFY(dialog);
        QVERIFY(dialog->isModal());
        QVERIFY2(dialog->reason()->isVisible() &&
                     dialog->reason()->text().startsWith(AuthChallenge::signInAgainSentence()),
                 qPrintable(dialog->reason()->text()));
        QCOMPARE(dialog->addressEdit()->text(), code.verificationUri.toString());
        QVERIFY(dialog->userCode() != code.userCode);
        // The window's requests met the challenge together; they wait for this one sign-in.
        QCOMPARE(int(window.findChildren<SignInDialog *>().size()), 1);
        GuiTestSupport::buttonNamed(dialog, u"Cancel"_s)->click(); // the load fails at once
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
        QCOMPARE(loaded.last().first().toBool(), false);
        const QString banner = GuiTestSupport::bannerText(&window, u"errorBanner"_s);
        QVERIFY2(banner.contains(AuthChallenge::signInAgainSentence().toHtmlEscaped()) &&
                     banner.contains(u"The sign-in was cancelled"_s),
                 qPrintable(banner));
        QTRY_VERIFY(dialog.isNull()); // closed and gone

        // Retry: the dialog again; this time the user signs in, and the load goes on by itself.
        window.findChild<QFrame *>(u"errorBanner"_s)->findChild<QPushButton *>()->click();
        dialog = dialogWithCode(window);
        QVERIFY(dialog);
        QVERIFY(dialog->reason()->text().startsWith(AuthChallenge::signInAgainSentence()));
        QVERIFY(OidcPeer::enterDeviceCode(QUrl(dialog->addressEdit()->text()), dialog->userCode(),
                                          u"dora@contoso.example"_s)
                    .body.contains("Sign-in Success"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, 30000);
        QVERIFY(loaded.last().first().toBool());
        QTRY_VERIFY(dialog.isNull());
        QVERIFY(GuiTestSupport::bannerText(&window, u"errorBanner"_s).isEmpty());
        QVERIFY(window.detailsView()->model()->rowCount() > 0);

        // The token the window now works with carries what the challenge asked for, and the capability.
        std::optional<Result<QString>> now;
        session.acquireSilently(this, [&now](Result<QString> r) { now.emplace(std::move(r)); });
        QTRY_VERIFY(now.has_value());
        QVERIFY(*now);
        const QJsonObject claims = OAuth::unverifiedClaims(now->value());
        QCOMPARE(claims.value(u"acrs"_s).toArray(), QJsonArray {u"c1"_s});
        QCOMPARE(claims.value(u"xms_cc"_s).toArray(), QJsonArray {u"cp1"_s});
        QVERIFY(m_peer->log().contains("devicecode - public-app 200 claims=acrs,xms_cc\n"));
    }

    // The profile manager's Test meets the challenge too, and answers it as the window does: a client secret asks
    // for a token with the claims, and the test succeeds.
    void theProfileTestAnswersTheChallenge()
    {
        LocalSandbox::Options options;
        options.trustedJwtKey = QByteArray::fromHex(m_peer->keyHex());
        options.faults = u"claims"_s;
        auto server = SandboxFixture::start(options);
        QVERIFY(server);
        QTemporaryDir config;
        ProfileStore store(config.filePath(u"profiles.ini"_s));
        Profile p;
        p.name = u"Contoso service"_s;
        p.orgUrl = server->sandbox->url();
        p.tenant = OidcPeer::tenant();
        p.authority = m_peer->url();
        p.clientId = u"service-app"_s;
        p.method = AuthMethod::ClientSecret;
        const auto saved = store.save(p);
        QVERIFY(saved);
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        std::optional<Result<Done>> written;
        secrets.write(saved.value().clientSecretKey(), u"service-secret"_s, this,
                      [&written](Result<Done> r) { written.emplace(std::move(r)); });
        QTRY_VERIFY(written.has_value() && written->ok());

        const QByteArray claimed = "token client_credentials service-app 200 claims=acrs\n";
        const qsizetype before = m_peer->log().count(claimed);
        ProfileDialog dialog(&store, &secrets, &server->network);
        dialog.select(saved.value().id);
        dialog.show();
        QSignalSpy tested(&dialog, &ProfileDialog::tested);
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
        QVERIFY2(tested.first().first().toBool(), qPrintable(dialog.messageLabel()->text()));
        QVERIFY2(dialog.messageLabel()->text().startsWith(u"Signed in as application service-app at "_s),
                 qPrintable(dialog.messageLabel()->text()));
        QCOMPARE(m_peer->log().count(claimed), before + 1);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    TestClaimsWindow test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_claimswindow.moc"
