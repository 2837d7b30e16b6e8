#include "ui/ProfileDialog.h"

#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/common/NetworkProxy.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/OrgUrl.h"
#include "ui/EnvironmentPicker.h"
#include "ui/Palette.h"
#include "ui/ProxyCredentialsDialog.h"
#include "ui/SignInDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

ProfileDialog::ProfileDialog(ProfileStore *store, SecretStore *secrets, QNetworkAccessManager *network, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_network(network)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_cloud(new QComboBox(this))
    , m_method(new QComboBox(this))
    , m_tenant(new QLineEdit(this))
    , m_authority(new QLineEdit(this))
    , m_clientId(new QLineEdit(this))
    , m_clientHint(new QLabel(tr("Microsoft's sample client, for trying things out. For daily use, register your "
                                 "own app."),
                              this))
    , m_secret(new QLineEdit(this))
    , m_tokenEnv(new QLineEdit(this))
    , m_production(new QCheckBox(tr("&Production: show a banner and ask for the name before saving"), this))
    , m_proxy(new QLineEdit(this))
    , m_plaintext(
          new QCheckBox(tr("Where no keychain exists, keep secrets in a plaintext file (not recommended)"), this))
    , m_message(new QLabel(this))
    , m_new(new QPushButton(tr("&Add…"), this))
    , m_save(new QPushButton(tr("&Save"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_test(new QPushButton(tr("&Test Connection"), this))
    , m_open(new QPushButton(tr("&Open"), this))
{
    setWindowTitle(tr("Environments"));
    for (const Cloud cloud : Clouds::all())
        m_cloud->addItem(Clouds::label(cloud), int(cloud));
    m_new->setToolTip(tr("Sign in and choose from the environments your account can reach, or enter an address"));
    for (AuthMethod m : {AuthMethod::Browser, AuthMethod::DeviceCode, AuthMethod::ClientSecret, AuthMethod::EnvToken})
        m_method->addItem(authMethodLabel(m), int(m));
    m_url->setPlaceholderText(u"https://contoso.crm.dynamics.com"_s);
    m_tenant->setPlaceholderText(tr("organizations, a tenant id or contoso.onmicrosoft.com"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("stored in the keychain; leave empty to keep the stored one"));
    m_tokenEnv->setPlaceholderText(u"DATAVERSE_TOKEN"_s);
    m_proxy->setPlaceholderText(tr("system settings; or http://host:port, or none"));
    m_proxy->setToolTip(tr("Empty: the system's proxy settings and the variables https_proxy, http_proxy and "
                           "NO_PROXY. \"none\": connect directly. Otherwise the proxy's address, without a "
                           "password: it is asked for when the proxy wants it."));
    m_clientHint->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plaintext->setChecked(store->plaintextSecretsAllowed());

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Environment &URL:"), m_url);
    form->addRow(tr("C&loud:"), m_cloud);
    form->addRow(tr("Sign &in with:"), m_method);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("&Authority:"), m_authority);
    form->addRow(tr("&Client id:"), m_clientId);
    form->addRow(QString(), m_clientHint);
    form->addRow(tr("Client s&ecret:"), m_secret);
    form->addRow(tr("Token &variable:"), m_tokenEnv);
    form->addRow(tr("Pro&xy:"), m_proxy);
    form->addRow(QString(), m_production);

    auto *rowButtons = new QHBoxLayout;
    rowButtons->addWidget(m_new);
    rowButtons->addWidget(m_delete);
    rowButtons->addStretch();
    rowButtons->addWidget(m_test);
    rowButtons->addWidget(m_save);
    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addLayout(rowButtons);
    right->addWidget(m_message);
    right->addStretch();
    auto *top = new QHBoxLayout;
    m_list->setMinimumWidth(180);
    top->addWidget(m_list);
    top->addLayout(right, 1);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_open, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Close);
    m_open->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_plaintext);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        if (const auto p = m_store->find(m_list->item(row)->data(Qt::UserRole).toString()))
            showProfile(*p);
    });
    connect(m_list, &QListWidget::itemActivated, m_open, &QPushButton::click);
    connect(m_method, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateForm);
    connect(m_clientId, &QLineEdit::textChanged, this, &ProfileDialog::updateForm);
    connect(m_new, &QPushButton::clicked, this, &ProfileDialog::add);
    // The cloud sets the authority; an authority of another makes the cloud custom (as ProfileStore::save does).
    connect(m_cloud, &QComboBox::currentIndexChanged, this, [this] {
        if (const auto cloud = Cloud(m_cloud->currentData().toInt()); cloud != Cloud::Custom)
            m_authority->setText(Clouds::authority(cloud).toString());
    });
    // The address names its cloud (docs/discovery.md): typing it chooses the cloud, unless the authority is custom.
    connect(m_url, &QLineEdit::textEdited, this, [this](const QString &text) {
        const auto cloud = Clouds::ofEnvironment(QUrl(text.trimmed()));
        if (cloud && Cloud(m_cloud->currentData().toInt()) != Cloud::Custom)
            m_cloud->setCurrentIndex(m_cloud->findData(int(*cloud)));
    });
    connect(m_authority, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (const auto cloud = Cloud(m_cloud->currentData().toInt());
            cloud != Cloud::Custom && QUrl(text.trimmed()) != Clouds::authority(cloud)) {
            const QSignalBlocker block(m_cloud);
            m_cloud->setCurrentIndex(m_cloud->findData(int(Cloud::Custom)));
        }
    });
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_delete, &QPushButton::clicked, this, &ProfileDialog::remove);
    connect(m_test, &QPushButton::clicked, this, &ProfileDialog::test);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_current.id.isEmpty())
            return say(tr("Save the profile before opening it."), true);
        m_chosen = m_current;
        accept();
    });
    connect(m_plaintext, &QCheckBox::toggled, this, [this](bool on) {
        if (on &&
            QMessageBox::warning(this, tr("Keep secrets in a plaintext file?"),
                                 tr("Refresh tokens and client secrets would be written to %1 (readable by "
                                    "you only). Anyone who can read your files could sign in as you. Use "
                                    "this only where no keychain can run.")
                                     .arg(SecretStore::defaultPlaintextFile()),
                                 QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
            const QSignalBlocker block(m_plaintext);
            m_plaintext->setChecked(false);
            return;
        }
        m_store->setPlaintextSecretsAllowed(on);
        m_secrets->setPlaintextFile(on ? SecretStore::defaultPlaintextFile() : QString());
    });
    reload(m_store->lastUsed());
    resize(820, 480);
}

void ProfileDialog::select(const QString &id)
{
    reload(id);
}

void ProfileDialog::reload(const QString &selectId)
{
    const QSignalBlocker block(m_list);
    m_list->clear();
    int selectRow = 0;
    for (const Profile &p : m_store->profiles()) {
        auto *item = new QListWidgetItem(p.production ? tr("%1 (production)").arg(p.name) : p.name, m_list);
        item->setData(Qt::UserRole, p.id);
        if (p.id == selectId)
            selectRow = m_list->count() - 1;
    }
    m_list->setCurrentRow(selectRow);
    if (const auto p = m_store->find(m_list->item(selectRow)->data(Qt::UserRole).toString()))
        showProfile(*p);
}

void ProfileDialog::showProfile(const Profile &profile)
{
    m_current = profile;
    m_name->setText(profile.name);
    m_url->setText(profile.isDemo() ? QString() : profile.orgUrl.toString());
    {
        const QSignalBlocker block(m_cloud);
        m_cloud->setCurrentIndex(std::max(0, m_cloud->findData(int(profile.cloud))));
    }
    m_method->setCurrentIndex(std::max(0, m_method->findData(int(profile.method))));
    m_tenant->setText(profile.tenant);
    m_authority->setText(profile.authority.toString());
    m_clientId->setText(profile.clientId);
    m_secret->clear();
    m_tokenEnv->setText(profile.tokenEnv);
    m_production->setChecked(profile.production);
    m_proxy->setText(profile.proxy);
    m_message->clear();
    updateForm();
}

void ProfileDialog::updateForm()
{
    const bool demo = m_current.isDemo();
    const auto method = AuthMethod(m_method->currentData().toInt());
    for (QWidget *w :
         std::initializer_list<QWidget *> {m_name, m_url, m_cloud, m_method, m_tenant, m_authority, m_clientId,
                                           m_secret, m_tokenEnv, m_production, m_proxy, m_save, m_delete})
        w->setEnabled(!demo);
    m_tenant->setEnabled(!demo && method != AuthMethod::EnvToken);
    m_authority->setEnabled(!demo && method != AuthMethod::EnvToken);
    m_clientId->setEnabled(!demo && method != AuthMethod::EnvToken);
    m_secret->setEnabled(!demo && method == AuthMethod::ClientSecret);
    m_tokenEnv->setEnabled(!demo && method == AuthMethod::EnvToken);
    m_clientHint->setVisible(!demo && method != AuthMethod::EnvToken &&
                             m_clientId->text() == Profile::sampleClientId());
    m_test->setEnabled(!demo && !m_current.id.isEmpty());
}

Profile ProfileDialog::fromForm() const
{
    Profile p = m_current;
    p.name = m_name->text().trimmed();
    const auto org = OrgUrl::parse(m_url->text());
    p.orgUrl = org ? org.value() : QUrl(m_url->text().trimmed());
    p.method = AuthMethod(m_method->currentData().toInt());
    p.tenant = m_tenant->text().trimmed().isEmpty() ? u"organizations"_s : m_tenant->text().trimmed();
    p.cloud = Cloud(m_cloud->currentData().toInt());
    p.authority = QUrl(m_authority->text().trimmed());
    if (p.cloud != Cloud::Custom && p.authority != Clouds::authority(p.cloud))
        p.cloud = Cloud::Custom;
    p.clientId = m_clientId->text().trimmed();
    p.tokenEnv = m_tokenEnv->text().trimmed();
    p.production = m_production->isChecked();
    p.proxy = m_proxy->text().trimmed();
    return p;
}

void ProfileDialog::say(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error
                                 ? u"color: %1; background: %2; padding: 4px"_s.arg(
                                       Palette::css(Palette::Role::Error), Palette::css(Palette::Role::ErrorBackground))
                                 : QString());
}

void ProfileDialog::save()
{
    Profile p = fromForm();
    if (const auto valid = p.validate(); !valid)
        return say(valid.error().userMessage, true);
    const QString secret = m_secret->text();
    if (p.method == AuthMethod::ClientSecret && secret.isEmpty() && m_current.method != AuthMethod::ClientSecret)
        return say(tr("Type the client secret: it is kept in the keychain, not in the profile."), true);
    if (p.id.isEmpty())
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto store = [this, p] {
        const auto saved = m_store->save(p);
        if (!saved)
            return say(saved.error().userMessage, true);
        m_secret->clear();
        reload(saved.value().id);
        say(tr("Saved \"%1\".").arg(saved.value().name), false);
        Q_EMIT this->saved(saved.value());
    };
    if (secret.isEmpty())
        return store();
    // The secret first: a profile is only saved once what it needs is kept.
    m_save->setEnabled(false);
    QPointer<ProfileDialog> self(this);
    m_secrets->write(p.clientSecretKey(), secret, this, [self, store](Result<Done> written) {
        if (!self)
            return;
        self->m_save->setEnabled(true);
        if (!written)
            return self->say(written.error().userMessage, true);
        store();
    });
}

void ProfileDialog::add()
{
    EnvironmentPicker picker(m_secrets, m_network, this);
    if (picker.exec() != QDialog::Accepted)
        return;
    if (picker.typeAddressInstead()) {
        m_list->setCurrentRow(-1);
        m_list->clearSelection();
        showProfile(Profile {});
        m_name->setFocus();
        return;
    }
    addProfiles(picker.chosenProfiles());
}

void ProfileDialog::addProfiles(QList<Profile> profiles)
{
    QStringList added;
    QStringList failed;
    QString firstId;
    for (Profile &p : profiles) {
        // A name already taken gets a number: "Contoso (2)".
        const QString base = p.name;
        for (int n = 2; m_store->find(p.name); ++n)
            p.name = tr("%1 (%2)").arg(base).arg(n);
        const auto saved = m_store->save(p);
        if (!saved) {
            // Not kept: neither is the sign-in the picker gave it.
            m_secrets->remove(p.refreshTokenKey(), m_secrets, [](Result<Done>) {});
            failed << tr("Could not add \"%1\": %2").arg(p.name, saved.error().userMessage);
            continue;
        }
        added << saved.value().name;
        if (firstId.isEmpty())
            firstId = saved.value().id;
        Q_EMIT this->saved(saved.value());
    }
    if (!added.isEmpty())
        reload(firstId);
    QStringList message;
    if (!added.isEmpty())
        message << tr("Added %n profile(s): %1. Mark production environments as such before you open them.", nullptr,
                      int(added.size()))
                       .arg(added.join(u", "_s));
    say((message + failed).join(u' '), !failed.isEmpty());
}

void ProfileDialog::remove()
{
    if (m_current.id.isEmpty() || m_current.isDemo())
        return;
    if (QMessageBox::question(this, tr("Delete profile"),
                              tr("Delete \"%1\" and its stored sign-in?").arg(m_current.name),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    const Profile p = m_current;
    QPointer<ProfileDialog> self(this);
    m_secrets->remove(p.refreshTokenKey(), this, [self, p](Result<Done> a) {
        if (!self)
            return;
        if (!a)
            return self->say(a.error().userMessage, true);
        self->m_secrets->remove(p.clientSecretKey(), self, [self, p](Result<Done> b) {
            if (!b)
                return self->say(b.error().userMessage, true);
            self->m_store->remove(p.id);
            self->reload(Profile::demo().id);
            self->say(tr("Deleted \"%1\" and its stored sign-in.").arg(p.name), false);
        });
    });
}

void ProfileDialog::test()
{
    const Profile p = fromForm();
    // Through the proxy the profile names, as opening it would.
    if (const auto proxied =
            NetworkProxy::apply(m_network, {p.proxy, p.name, ProxyCredentialsDialog::asker(m_secrets)});
        !proxied)
        return say(proxied.error().userMessage, true);
    say(tr("Connecting to %1…").arg(p.orgUrl.toString()), false);
    m_test->setEnabled(false);
    auto *session = new SignInSession(p, m_secrets, m_network, this);
    QPointer<ProfileDialog> self(this);
    session->acquireSilently(this, [self, session](Result<QString> token) {
        if (!self)
            return;
        const auto finish = [self, session](bool ok, const QString &text) {
            self->m_test->setEnabled(true);
            self->say(text, !ok);
            session->deleteLater();
            Q_EMIT self->tested(ok);
        };
        if (!token)
            return finish(false, token.error().userMessage);
        auto *client = new DataverseClient(session->profile().orgUrl, self->m_network, session);
        client->setAccessToken(token.value());
        // As in the window: a claims challenge is answered, the sign-in dialog saying why (docs/sign-in.md).
        client->transport()->setTokenRefresher(session->refresher());
        client->transport()->setChallengeAnswerer(session->challengeAnswerer());
        session->setInteraction(
            SignInDialog::signInAgainOnChallenge(session, [self]() -> QWidget * { return self.data(); }));
        client->whoAmI(self, [session, finish](Result<WebApiReply::Identity> who) {
            if (!who)
                return finish(false, who.error().userMessage);
            finish(true,
                   tr("Signed in as %1 at %2.")
                       .arg(session->account().isEmpty() ? who.value().userId : session->account(),
                            session->profile().orgUrl.toString()));
        });
    });
}
