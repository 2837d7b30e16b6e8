// The profile manager and the signed-in window, driven as a user would (offscreen), against the oidc-provider peer
// and a sandbox that accepts its tokens. Secrets go to the session's real keychain.
#include "OidcPeer.h"
#include "SandboxProcess.h"

#include "TestBrowser.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/common/Translations.h"
#include "app/dataverse/DataverseClient.h"
#include "ui/EnvironmentPicker.h"
#include "ui/MainWindow.h"
#include "ui/ProfileDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

// Stands in for the system browser: QDesktopServices hands it the address the product opens.
class BrowserStandIn : public QObject
{
    Q_OBJECT
public:
    QUrl opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened = url; }
};

class TestProfiles : public QObject
{
    Q_OBJECT

    std::unique_ptr<OidcPeer> m_peer;
    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_config;
    QNetworkAccessManager m_network;

    std::optional<QString> stored(SecretStore &secrets, const QString &key)
    {
        std::optional<Result<std::optional<QString>>> read;
        secrets.read(key, this, [&read](Result<std::optional<QString>> r) { read.emplace(std::move(r)); });
        if (!QTest::qWaitFor([&read] { return read.has_value(); }, 10000) || !*read)
            return std::nullopt;
        return read->value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_peer = std::make_unique<OidcPeer>();
        QVERIFY(m_peer->waitUntilListening());
        m_sandbox = std::make_unique<SandboxProcess>(QStringList {u"static-token"_s}, OidcPeer::sandboxArguments(),
                                                     m_peer->sandboxEnvironment());
        QVERIFY(m_sandbox->waitUntilListening());
    }

    void addTestAndDeleteAProfile()
    {
        ProfileStore store(m_config.filePath(u"profiles.ini"_s));
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        ProfileDialog dialog(&store, &secrets, &m_network);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.list()->count(), 1); // the Demo environment, always there
        QVERIFY(!dialog.saveButton()->isEnabled());

        // Add starts with the environments of an account; typing an address stays possible.
        QTimer::singleShot(0, [] {
            if (auto *picker = qobject_cast<EnvironmentPicker *>(QApplication::activeModalWidget()))
                QTest::mouseClick(picker->addressButton(), Qt::LeftButton);
        });
        QTest::mouseClick(dialog.newButton(), Qt::LeftButton);
        QVERIFY(dialog.nameEdit()->text().isEmpty());
        QTest::keyClicks(dialog.nameEdit(), u"Contoso service"_s);
        QTest::keyClicks(dialog.urlEdit(), u"http://contoso.example.com"_s);
        dialog.methodBox()->setCurrentIndex(dialog.methodBox()->findData(int(AuthMethod::ClientSecret)));
        QVERIFY(dialog.secretEdit()->isEnabled());
        QVERIFY(!dialog.tokenEnvEdit()->isEnabled());
        dialog.tenantEdit()->setText(OidcPeer::tenant());
        dialog.authorityEdit()->setText(m_peer->url().toString());
        dialog.clientIdEdit()->setText(u"service-app"_s);
        QTest::keyClicks(dialog.secretEdit(), u"service-secret"_s);
        QCOMPARE(dialog.secretEdit()->echoMode(), QLineEdit::Password);

        // Plain http to another computer is refused with the reason, and nothing is stored.
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QVERIFY2(dialog.messageLabel()->text().contains(u"unencrypted"_s), qPrintable(dialog.messageLabel()->text()));
        QCOMPARE(store.profiles().size(), 1);

        dialog.urlEdit()->setText(m_sandbox->url().toString());
        QSignalSpy saved(&dialog, &ProfileDialog::saved);
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QTRY_COMPARE(saved.size(), 1);
        const auto profile = store.find(u"Contoso service"_s);
        QVERIFY(profile);
        QCOMPARE(profile->method, AuthMethod::ClientSecret);
        QCOMPARE(stored(secrets, profile->clientSecretKey()), std::optional<QString>(u"service-secret"_s));
        QFile ini(store.fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("service-secret"));

        QSignalSpy tested(&dialog, &ProfileDialog::tested);
        QVERIFY(dialog.testButton()->isEnabled());
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.size(), 1, 20000);
        QCOMPARE(tested.first().first().toBool(), true);
        QVERIFY2(dialog.messageLabel()->text().startsWith(u"Signed in as application service-app at "_s),
                 qPrintable(dialog.messageLabel()->text()));

        // Delete asks first; its secret goes with it.
        QTimer::singleShot(200, [] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        QTest::mouseClick(dialog.deleteButton(), Qt::LeftButton);
        QTRY_VERIFY(!store.find(u"Contoso service"_s));
        QTRY_VERIFY(!stored(secrets, profile->clientSecretKey()).has_value());
    }

    // Add: sign in once at the account's cloud (here a custom one: the oidc peer signs in, the sandbox is the
    // discovery service), search the environments the account reaches, pick one, and it becomes a profile that
    // keeps the sign-in.
    void addFromTheAccountsEnvironments()
    {
        QTemporaryDir files;
        QFile instances(files.filePath(u"instances.json"_s));
        QVERIFY(instances.open(QIODevice::WriteOnly));
        instances.write(QByteArray("[{'FriendlyName': 'Contoso Production', 'UniqueName': 'contoso', 'Url': "
                                   "'https://contoso.crm.dynamics.com', 'Version': '9.2.25063.00180', 'State': 0, "
                                   "'Region': 'NorthAmerica', 'IsUserSysAdmin': true},"
                                   " {'FriendlyName': 'Fabrikam Test', 'Url': 'https://fabrikam.crm4.dynamics.com', "
                                   "'State': 1, 'Region': 'Europe'}]")
                            .replace('\'', '"'));
        instances.close();
        SandboxProcess discovery({u"static-token"_s},
                                 OidcPeer::sandboxArguments() +
                                     QStringList {u"--discovery-instances"_s, instances.fileName()},
                                 m_peer->sandboxEnvironment());
        QVERIFY(discovery.waitUntilListening());

        ProfileStore store(files.filePath(u"profiles.ini"_s));
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        ProfileDialog dialog(&store, &secrets, &m_network);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        BrowserStandIn browser;
        QDesktopServices::setUrlHandler(u"http"_s, &browser, "open");
        const auto unsetHandler = qScopeGuard([] { QDesktopServices::unsetUrlHandler(u"http"_s); });

        bool picked = false;
        QString discoverySignIn; // the keychain entry of the picker's own sign-in
        QTimer::singleShot(0, [&] {
            auto *picker = qobject_cast<EnvironmentPicker *>(QApplication::activeModalWidget());
            QVERIFY(picker);
            auto closeOnFailure = qScopeGuard([picker] {
                if (picker->isVisible())
                    picker->reject();
            });
            picker->cloudBox()->setCurrentIndex(picker->cloudBox()->findData(int(Cloud::Custom)));
            picker->authorityEdit()->setText(m_peer->url().toString());
            picker->discoveryEdit()->setText(discovery.url().toString());
            picker->tenantEdit()->setText(OidcPeer::tenant());
            picker->clientIdEdit()->setText(u"public-app"_s);
            QSignalSpy listed(picker, &EnvironmentPicker::listed);
            QTest::mouseClick(picker->listButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(browser.opened.isValid(), 10000);
            QVERIFY(picker->statusLabel()->text().contains(u"Finish signing in in your browser"_s));
            // The scope asks for the discovery service with its trailing slash (docs/discovery.md).
            QVERIFY2(QUrlQuery(browser.opened)
                         .queryItemValue(u"scope"_s, QUrl::FullyDecoded)
                         .startsWith(discovery.url().toString() + u"//user_impersonation"_s),
                     qPrintable(browser.opened.toString()));
            TestBrowser user;
            const auto last = user.signInAndConsent(user.open(browser.opened), u"erin@contoso.example"_s);
            QVERIFY2(last.body.contains("Signed in"), last.body.constData());
            QTRY_COMPARE_WITH_TIMEOUT(listed.size(), 1, 20000);
            QVERIFY2(listed.first().first().toBool(), qPrintable(picker->statusLabel()->text()));
            QAbstractItemModel *rows = picker->table()->model();
            QCOMPARE(rows->rowCount(), 3);
            QVERIFY(picker->statusLabel()->text().startsWith(u"3 environments."_s));
            QTest::keyClicks(picker->searchEdit(), u"CONTOSO"_s);
            QCOMPARE(rows->rowCount(), 1);
            QCOMPARE(rows->index(0, 0).data().toString(), u"Contoso Production"_s);
            QCOMPARE(rows->index(0, 5).data().toString(), u"System Administrator"_s);
            picker->table()->selectRow(0);
            QCOMPARE(picker->addButton()->text(), u"&Add Profile"_s);
            discoverySignIn = picker->signInKey();
            QVERIFY(stored(secrets, discoverySignIn).has_value()); // the sign-in, kept while the picker is open
            picked = true;
            closeOnFailure.dismiss(); // Add closes it once the sign-in is handed over
            QTest::mouseClick(picker->addButton(), Qt::LeftButton);
        });
        QSignalSpy saved(&dialog, &ProfileDialog::saved);
        QTest::mouseClick(dialog.newButton(), Qt::LeftButton);
        QVERIFY(picked);
        QCOMPARE(saved.size(), 1);
        const auto profile = store.find(u"Contoso Production"_s);
        QVERIFY(profile);
        QCOMPARE(profile->orgUrl, QUrl(u"https://contoso.crm.dynamics.com"_s));
        QCOMPARE(profile->cloud, Cloud::Custom);
        QCOMPARE(profile->authority, m_peer->url());
        QCOMPARE(profile->discovery(), discovery.url());
        QCOMPARE(profile->method, AuthMethod::Browser);
        QCOMPARE(profile->clientId, u"public-app"_s);
        QCOMPARE(profile->tenant, OidcPeer::tenant());
        QVERIFY(dialog.messageLabel()->text().startsWith(u"Added 1 profile: Contoso Production."_s));
        QCOMPARE(dialog.list()->currentItem()->text(), u"Contoso Production"_s);
        // The account's refresh token went to the new profile, and nothing is left under the picker's own sign-in.
        const auto handedOver = stored(secrets, profile->refreshTokenKey());
        QVERIFY(handedOver && !handedOver->isEmpty());
        QVERIFY(!discoverySignIn.isEmpty());
        QTRY_VERIFY(!stored(secrets, discoverySignIn).has_value());
    }

    // The address names its cloud: typing a GCC environment's address chooses GCC and its authority.
    void theAddressChoosesTheCloud()
    {
        ProfileStore store(m_config.filePath(u"cloud-profiles.ini"_s));
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        ProfileDialog dialog(&store, &secrets, &m_network);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTimer::singleShot(0, [] {
            if (auto *picker = qobject_cast<EnvironmentPicker *>(QApplication::activeModalWidget()))
                QTest::mouseClick(picker->addressButton(), Qt::LeftButton);
        });
        QTest::mouseClick(dialog.newButton(), Qt::LeftButton);
        QCOMPARE(Cloud(dialog.cloudBox()->currentData().toInt()), Cloud::Commercial);
        QTest::keyClicks(dialog.urlEdit(), u"https://agency.crm9.dynamics.com"_s);
        QCOMPARE(Cloud(dialog.cloudBox()->currentData().toInt()), Cloud::Gcc);
        dialog.urlEdit()->clear();
        QTest::keyClicks(dialog.urlEdit(), u"https://agency.crm.microsoftdynamics.us"_s);
        QCOMPARE(Cloud(dialog.cloudBox()->currentData().toInt()), Cloud::GccHigh);
        QCOMPARE(dialog.authorityEdit()->text(), u"https://login.microsoftonline.us"_s);
    }

    void signedInWindowSaysWho()
    {
        Profile p;
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = u"Service"_s;
        p.orgUrl = m_sandbox->url();
        p.tenant = OidcPeer::tenant();
        p.authority = m_peer->url();
        p.clientId = u"service-app"_s;
        p.method = AuthMethod::ClientSecret;
        p.production = true;
        SecretStore secrets(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
        std::optional<Result<Done>> written;
        secrets.write(p.clientSecretKey(), u"service-secret"_s, this, [&](Result<Done> r) { written.emplace(r); });
        QTRY_VERIFY(written.has_value());
        SignInSession session(p, &secrets, &m_network);
        std::optional<Result<QString>> token;
        session.acquireSilently(this, [&](Result<QString> r) { token.emplace(std::move(r)); });
        QTRY_VERIFY_WITH_TIMEOUT(token.has_value(), 20000);
        QVERIFY(*token);

        DataverseClient client(p.orgUrl, &m_network);
        client.setAccessToken(token->value());
        client.transport()->setTokenRefresher(session.refresher());
        EnvironmentInfo environment;
        environment.name = p.name;
        environment.production = p.production;
        environment.account = session.account();
        QTemporaryDir journal;
        environment.journalDir = journal.path();
        MainWindow window(&client, environment);
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.show();
        window.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
        QVERIFY(loaded.first().first().toBool());
        auto *identity = window.findChild<QLabel *>(u"identityLabel"_s);
        QVERIFY(identity);
        QTRY_COMPARE(identity->text(), u"Signed in as application service-app at 127.0.0.1 (Service)"_s);
    }
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app); // as the editor does: "1 environment", "3 environments"
    TestProfiles test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_profiles.moc"
