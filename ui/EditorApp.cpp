#include "ui/EditorApp.h"

#include "app/auth/Profile.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/common/DemoData.h"
#include "app/common/LogFile.h"
#include "app/common/NetworkProxy.h"
#include "app/common/Translations.h"
#include "app/common/Version.h"
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/snapshot/SnapshotOps.h"
#include "ui/MainWindow.h"
#include "ui/ProfileDialog.h"
#include "ui/ProxyCredentialsDialog.h"
#include "ui/SignInDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QIcon>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPixmap>
#include <QTimer>

#include <cstdio>
#include <map>

using namespace Qt::StringLiterals;

namespace {
// Which environment the window shows: the Demo environment (an in-process sandbox) or a profile signed in through
// SignInSession. Switching opens the new one first and only then closes the old window (whose unsaved edits stay
// in its journal).
class Shell
{
public:
    explicit Shell(const QString &demoDataDir)
        : m_demoDataDir(demoDataDir)
    {
        if (m_store.plaintextSecretsAllowed())
            m_secrets.setPlaintextFile(SecretStore::defaultPlaintextFile());
        // The Demo environment's server is in this process: its profile says no proxy, which cannot fail.
        NetworkProxy::apply(&m_network, {Profile::demo().proxy, Profile::demo().name, {}});
    }

    MainWindow *window() const { return m_window.get(); }

    bool chooseAndOpen()
    {
        ProfileDialog dialog(&m_store, &m_secrets, &m_dialogNetwork, m_window.get());
        if (m_profile)
            dialog.select(m_profile->id);
        while (dialog.exec() == QDialog::Accepted) {
            if (open(dialog.chosen()))
                return true;
        }
        return false;
    }

    bool open(const Profile &profile)
    {
        auto connection = connect(profile);
        if (!connection)
            return false;
        if (m_window && !m_window->close())
            return false; // the user kept the current window (unsaved edits)
        m_window.reset();
        m_others.clear();
        m_client = std::move(connection->client);
        m_session = std::move(connection->session);
        m_profileNetwork = std::move(connection->network); // last: the old one outlived the old client
        m_profile = profile;
        m_store.setLastUsed(profile.id);
        m_window = std::make_unique<MainWindow>(m_client.get(), connection->environment);
        QObject::connect(m_window.get(), &MainWindow::switchEnvironmentRequested, m_window.get(),
                         [this] { QTimer::singleShot(0, [this] { chooseAndOpen(); }); });
        m_window->snapshots()->setOtherEnvironments(
            {[this] { return otherNames(); },
             [this](const QString &name, QObject *context, std::function<void(Result<Snapshot>)> done) {
                 captureOther(name, context, std::move(done));
             }});
        if (m_onWindow)
            m_onWindow(m_window.get());
        m_window->show();
        m_window->refresh();
        return true;
    }

    void onWindow(std::function<void(MainWindow *)> f) { m_onWindow = std::move(f); }

private:
    // An environment signed in to: the client (and the session refreshing its token), and how the window shows it.
    struct Connection
    {
        std::unique_ptr<QNetworkAccessManager> network; // first: it outlives the session and the client using it
        std::unique_ptr<SignInSession> session;
        std::unique_ptr<DataverseClient> client;
        EnvironmentInfo environment;
    };

    std::optional<Connection> connect(const Profile &profile)
    {
        Connection c;
        c.environment.name = profile.name;
        c.environment.production = profile.production;
        if (profile.isDemo()) {
            if (!m_demo) {
                const QString token = LocalSandbox::generateToken();
                auto sandbox = LocalSandbox::start(m_demoDataDir, 0, {token});
                if (!sandbox) {
                    const QString message =
                        QApplication::translate("EditorApp", "The Demo environment could not start: %1")
                            .arg(sandbox.error().describe());
                    std::fprintf(stderr, "autoclose-editor: %s\n", qPrintable(message));
                    QMessageBox::critical(m_window.get(), QApplication::applicationDisplayName(), message);
                    return std::nullopt;
                }
                m_demo = std::move(sandbox).value();
                m_demoToken = token;
            }
            c.client = std::make_unique<DataverseClient>(m_demo->url(), &m_network);
            c.client->setAccessToken(m_demoToken);
            c.environment.key = u"demo"_s; // its port changes every run; its data directory does not
            c.environment.demo = true;
            c.environment.journalDir = DemoData::journalDirectory(m_demoDataDir); // the demo's edits, with its data
            return c;
        }
        // Each profile its own manager, with its own proxy (docs/networking.md); a 407 asks the keychain, then the
        // user.
        c.network = std::make_unique<QNetworkAccessManager>();
        if (const auto proxied = NetworkProxy::apply(
                c.network.get(), {profile.proxy, profile.name, ProxyCredentialsDialog::asker(&m_secrets)});
            !proxied) {
            QMessageBox::warning(m_window.get(),
                                 QApplication::translate("EditorApp", "Could not connect to %1").arg(profile.name),
                                 proxied.error().userMessage);
            return std::nullopt;
        }
        c.session = std::make_unique<SignInSession>(profile, &m_secrets, c.network.get());
        QObject::connect(c.session.get(), &SignInSession::secretsNotKept, [this](const QString &message) {
            QMessageBox::warning(m_window.get(), QApplication::translate("EditorApp", "Sign-in not remembered"),
                                 message);
        });
        const auto token = signIn(*c.session);
        if (!token)
            return std::nullopt;
        c.client = std::make_unique<DataverseClient>(profile.orgUrl, c.network.get());
        c.client->setAccessToken(*token);
        c.client->transport()->setTokenRefresher(c.session->refresher());
        // A claims challenge in the middle of work: the sign-in dialog says why and signs in again.
        c.client->transport()->setChallengeAnswerer(c.session->challengeAnswerer());
        c.session->setInteraction(
            SignInDialog::signInAgainOnChallenge(c.session.get(), [this]() -> QWidget * { return m_window.get(); }));
        c.environment.account = c.session->account();
        return c;
    }

    // The profiles a comparison can read besides the window's own.
    QStringList otherNames() const
    {
        QStringList names;
        for (const Profile &p : m_store.profiles())
            if (!m_profile || p.id != m_profile->id)
                names << p.name;
        return names;
    }

    // Reads another environment, signing in to it the first time (the same way as opening it).
    void captureOther(const QString &name, QObject *context, std::function<void(Result<Snapshot>)> done)
    {
        const auto profile = m_store.find(name);
        if (!profile) {
            done(Error::badInput(QApplication::translate("EditorApp", "No profile is named %1.").arg(name)));
            return;
        }
        auto found = m_others.find(profile->id);
        if (found == m_others.end()) {
            auto connection = connect(*profile);
            if (!connection) {
                done(Error::badInput(
                    QApplication::translate("EditorApp", "Not signed in to %1, so it was not read.").arg(name)));
                return;
            }
            found = m_others.emplace(profile->id, std::move(*connection)).first;
        }
        SnapshotOps::capture(found->second.client.get(), context, std::move(done));
    }

    // Silently where possible (the token in memory or a stored sign-in); else the sign-in dialog, which shows its
    // own failure until the user cancels.
    std::optional<QString> signIn(SignInSession &session)
    {
        const auto acquire = [&session] {
            std::optional<Result<QString>> token;
            QEventLoop loop;
            session.acquireSilently(&loop, [&](Result<QString> r) {
                token.emplace(std::move(r));
                loop.quit();
            });
            if (!token)
                loop.exec();
            return std::move(*token);
        };
        const Result<QString> silent = acquire();
        if (silent)
            return silent.value();
        if (!silent.error().serviceCode.startsWith(SignInSession::interactionRequiredCode())) {
            QMessageBox::warning(
                m_window.get(),
                QApplication::translate("EditorApp", "Could not sign in to %1").arg(session.profile().name),
                silent.error().describe());
            return std::nullopt;
        }
        SignInDialog dialog(&session, m_window.get());
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        const Result<QString> token = acquire(); // the one the dialog's sign-in left in memory
        return token ? std::optional<QString>(token.value()) : std::nullopt;
    }

    QString m_demoDataDir;
    ProfileStore m_store;
    SecretStore m_secrets; // before the managers: their answer to a 407 reads it
    QNetworkAccessManager m_network; // the Demo environment's
    QNetworkAccessManager m_dialogNetwork; // the profile dialog's tests, each with the tested profile's proxy
    std::unique_ptr<LocalSandbox> m_demo;
    QString m_demoToken;
    std::optional<Profile> m_profile;
    std::unique_ptr<QNetworkAccessManager> m_profileNetwork; // the open profile's, before its session and client
    std::unique_ptr<SignInSession> m_session;
    std::unique_ptr<DataverseClient> m_client;
    std::unique_ptr<MainWindow> m_window;
    std::map<QString, Connection> m_others; // environments read for comparisons, signed in once
    std::function<void(MainWindow *)> m_onWindow;
};
} // namespace

int EditorApp::run(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"AutoCloseEditor"_s);
    QApplication::setApplicationName(u"autoclose-editor"_s);
    QApplication::setApplicationDisplayName(QApplication::translate("EditorApp", "Auto-Close Editor"));
    QApplication::setApplicationVersion(Version::describe());
    Translations::install(&app);
    QGuiApplication::setDesktopFileName(u"org.autocloseeditor.AutoCloseEditor"_s);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/hicolor/%1x%1/org.autocloseeditor.AutoCloseEditor.png"_s.arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "EditorApp", "Edit how long Dynamics 365 Omnichannel conversations may stay idle before they auto-close."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDirOption(
        u"demo-data-dir"_s,
        QApplication::translate("EditorApp",
                                "Directory of the Demo environment's data (default: the per-user data "
                                "directory)."),
        u"DIR"_s);
    const QCommandLineOption screenshotOption(
        u"screenshot"_s,
        QApplication::translate("EditorApp",
                                "Once the configurations are shown, save a PNG of the window to FILE "
                                "and quit (for documentation)."),
        u"FILE"_s);
    const QCommandLineOption quitAfterLoadOption(
        u"quit-after-load"_s,
        QApplication::translate("EditorApp",
                                "Exit once the first load has finished: 0 when it succeeded (for smoke tests and "
                                "start-up benchmarks)."));
    const QCommandLineOption profileOption(
        u"profile"_s,
        QApplication::translate("EditorApp", "Open this environment profile (default: the last one used)."), u"NAME"_s);
    parser.addOptions({dataDirOption, screenshotOption, quitAfterLoadOption, profileOption});
    parser.process(app);

    // A log to attach to a support ticket; secrets are masked before anything is written.
    if (auto log = LogFile::install(LogFile::defaultDirectory(), u"autoclose-editor"_s); !log)
        std::fprintf(stderr, "autoclose-editor: %s\n", qPrintable(log.error().userMessage));
    qInfo("autoclose-editor %s starting", qPrintable(Version::describe()));

    // The same directory autoclose-cli's Demo environment uses by default: both show the same data.
    const QString dataDir = parser.isSet(dataDirOption) ? parser.value(dataDirOption) : DemoData::defaultDirectory();
    Shell shell(dataDir);
    ProfileStore store;
    std::optional<Profile> profile =
        store.find(parser.isSet(profileOption) ? parser.value(profileOption) : store.lastUsed());
    if (!profile) {
        if (parser.isSet(profileOption)) {
            std::fprintf(stderr, "autoclose-editor: no profile named \"%s\"\n",
                         qPrintable(parser.value(profileOption)));
            return 2;
        }
        profile = Profile::demo();
    }
    // The last environment, signed in again silently where possible; the Demo environment when that fails and
    // the user chooses nothing else.
    if (!shell.open(*profile) && !shell.chooseAndOpen() && !shell.open(Profile::demo()))
        return 1;
    MainWindow &window = *shell.window();

    int exitCode = 0;
    if (parser.isSet(quitAfterLoadOption)) {
        // Painted, not only loaded: the time a user waits to see the table.
        QObject::connect(&window, &MainWindow::loadFinished, &app, [&window](bool ok) {
            window.repaint();
            QApplication::exit(ok ? 0 : 1);
        });
    }
    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        QObject::connect(&window, &MainWindow::loadFinished, &window, [&window, &exitCode, file](bool ok) {
            // Let the window lay itself out and paint before it is grabbed.
            QTimer::singleShot(300, &window, [&window, &exitCode, file, ok] {
                if (!ok || !window.grab().save(file, "PNG")) {
                    std::fprintf(stderr, "autoclose-editor: could not save the screenshot %s\n", qPrintable(file));
                    exitCode = 1;
                }
                QApplication::exit(exitCode);
            });
        });
    }
    const int result = app.exec();
    return exitCode != 0 ? exitCode : result;
}
