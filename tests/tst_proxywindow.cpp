// The window behind a proxy that wants a password (docs/networking.md): a real squid in front of the in-process
// sandbox. The 407 makes the window ask once; the answer gets through (squid's log says as whom); "Remember in the
// keychain" puts it in the real keychain, where the next manager finds it without asking; a wrong answer is refused
// once, with a sentence, not asked for in a loop.
#include "GuiTestSupport.h"
#include "SandboxFixture.h"
#include "SquidPeer.h"
#include "app/auth/ProxyCredentials.h"
#include "app/auth/SecretStore.h"
#include "app/common/NetworkProxy.h"
#include "ui/MainWindow.h"
#include "ui/ProxyCredentialsDialog.h"

#include <QCheckBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
// Answers every proxy dialog shown while it lives with user and password, and counts them.
class DialogAnswerer : public QObject
{
public:
    DialogAnswerer(QString user, QString password, bool remember)
    {
        auto *timer = new QTimer(this);
        timer->setInterval(20);
        connect(timer, &QTimer::timeout, this, [this, user, password, remember] {
            auto *dialog = qobject_cast<ProxyCredentialsDialog *>(QApplication::activeModalWidget());
            if (!dialog || dialog->property("answered").toBool())
                return;
            dialog->setProperty("answered", true);
            ++m_shown;
            m_messages << dialog->messageLabel()->text();
            dialog->userEdit()->setText(user);
            dialog->passwordEdit()->setText(password);
            dialog->rememberBox()->setChecked(remember);
            dialog->accept();
        });
        timer->start();
    }
    int shown() const { return m_shown; }
    QStringList messages() const { return m_messages; }

private:
    int m_shown = 0;
    QStringList m_messages;
};
} // namespace

class TestProxyWindow : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SandboxFixture> m_server;
    SquidPeer m_squid;
    std::unique_ptr<SecretStore> m_secrets; // a keychain service of this run only
    QTemporaryDir m_journal;

    // A window on the sandbox whose manager goes through squid (http_proxy, no credentials) and asks as the
    // window does; true when its load succeeded, with the error banner's text in banner.
    bool loadThroughSquid(QString *banner)
    {
        QNetworkAccessManager network;
        qputenv("http_proxy", m_squid.url().toUtf8());
        const auto applied = NetworkProxy::apply(&network, {{}, {}, ProxyCredentialsDialog::asker(m_secrets.get())});
        qunsetenv("http_proxy");
        if (!applied)
            return false;
        DataverseClient client(m_server->sandbox->url(), &network);
        client.setAccessToken(m_server->token);
        EnvironmentInfo environment;
        environment.name = u"Behind a proxy"_s;
        environment.journalDir = m_journal.path();
        MainWindow window(&client, environment);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.refresh();
        if (!loaded.wait(30000))
            return false;
        *banner = GuiTestSupport::bannerText(&window, u"errorBanner"_s).replace(u"&quot;"_s, u"\""_s);
        return loaded.last().first().toBool();
    }

    std::optional<QString> remembered()
    {
        std::optional<Result<std::optional<QString>>> read;
        NetworkProxy::Address proxy;
        proxy.host = u"127.0.0.1"_s;
        proxy.port = m_squid.port();
        m_secrets->read(ProxyCredentials::keyFor(proxy), this,
                        [&read](Result<std::optional<QString>> r) { read.emplace(std::move(r)); });
        if (!QTest::qWaitFor([&read] { return read.has_value(); }, 10000) || !*read)
            return std::nullopt;
        return read->value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
        QVERIFY2(m_squid.start(), qPrintable(m_squid.errorString()));
        m_secrets = std::make_unique<SecretStore>(u"autoclose-test-"_s + QUuid::createUuid().toString(QUuid::Id128));
    }

    void aWrongAnswerIsRefusedOnceWithASentence()
    {
        DialogAnswerer answer(u"alice"_s, u"not-her-password"_s, true);
        QString banner;
        QVERIFY(!loadThroughSquid(&banner));
        QCOMPARE(answer.shown(), 1);
        QVERIFY2(banner.contains(
                     u"The proxy %1 (set by http_proxy) refused the user name \"alice\""_s.arg(m_squid.hostPort())),
                 qPrintable(banner));
        QVERIFY(!banner.contains(u"not-her-password"_s));
        QVERIFY(m_squid.waitForLog(u"TCP_DENIED/407"_s));
        // Remembered as asked, then forgotten once the proxy refused them: no later run sends them again.
        QVERIFY(QTest::qWaitFor([this] { return !remembered().has_value(); }, 10000));
    }

    void theWindowAsksOnceAndRemembers()
    {
        // Nothing remembered (the refused answer was forgotten): the window asks, once.
        DialogAnswerer answer(m_squid.options().user, m_squid.options().password, true);
        QString banner;
        QVERIFY2(loadThroughSquid(&banner), qPrintable(banner));
        QCOMPARE(answer.shown(), 1);
        QVERIFY2(answer.messages().constFirst().contains(u"asks for a user name and password"_s),
                 qPrintable(answer.messages().constFirst()));
        // Through squid, as alice.
        QVERIFY2(m_squid.waitForLog(u" alice HIER_DIRECT"_s), qPrintable(m_squid.accessLog()));
        // And in the real keychain.
        QVERIFY(QTest::qWaitFor(
            [this] {
                const auto value = remembered();
                return value &&
                    QJsonDocument::fromJson(value->toUtf8()).object().value(u"password"_s).toString() ==
                    m_squid.options().password;
            },
            10000));
    }

    void theRememberedAnswerIsUsedWithoutAsking()
    {
        DialogAnswerer answer(u"nobody"_s, u"nothing"_s, false);
        const qsizetype before = m_squid.accessLog().count(u" alice HIER_DIRECT"_s);
        QString banner;
        QVERIFY2(loadThroughSquid(&banner), qPrintable(banner));
        QCOMPARE(answer.shown(), 0);
        QVERIFY(m_squid.accessLog().count(u" alice HIER_DIRECT"_s) > before);
    }

    void cleanupTestCase()
    {
        if (!m_secrets)
            return;
        NetworkProxy::Address proxy;
        proxy.host = u"127.0.0.1"_s;
        proxy.port = m_squid.port();
        bool done = false;
        m_secrets->remove(ProxyCredentials::keyFor(proxy), this, [&done](Result<Done>) { done = true; });
        QVERIFY(QTest::qWaitFor([&done] { return done; }, 10000));
    }
};

QTEST_MAIN(TestProxyWindow)
#include "tst_proxywindow.moc"
