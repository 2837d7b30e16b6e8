#include "ui/EnvironmentPicker.h"

#include "app/auth/AuthChallenge.h"
#include "app/auth/SecretStore.h"
#include "app/auth/SignInSession.h"
#include "app/common/NetworkProxy.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiTransport.h"
#include "ui/Palette.h"
#include "ui/ProxyCredentialsDialog.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
enum Column { Name, Address, Version, Region, State, Role, ColumnCount };
constexpr int EnvironmentIndexRole = Qt::UserRole + 1;
} // namespace

EnvironmentPicker::EnvironmentPicker(SecretStore *secrets, QNetworkAccessManager *network, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_network(network)
    , m_cloud(new QComboBox(this))
    , m_method(new QComboBox(this))
    , m_tenant(new QLineEdit(this))
    , m_clientId(new QLineEdit(Profile::sampleClientId(), this))
    , m_authority(new QLineEdit(this))
    , m_discovery(new QLineEdit(this))
    , m_list(new QPushButton(tr("&List Environments"), this))
    , m_search(new QLineEdit(this))
    , m_model(new QStandardItemModel(0, ColumnCount, this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_address(new QPushButton(tr("&Enter an Address Instead"), this))
{
    setWindowTitle(tr("Add Environments"));
    for (const Cloud cloud : Clouds::all())
        m_cloud->addItem(Clouds::label(cloud), int(cloud));
    // Discovery lists a user's environments: the sign-ins of a person (docs/discovery.md).
    for (const AuthMethod m : {AuthMethod::Browser, AuthMethod::DeviceCode})
        m_method->addItem(authMethodLabel(m), int(m));
    m_tenant->setPlaceholderText(tr("organizations, a tenant id or contoso.onmicrosoft.com"));
    m_authority->setPlaceholderText(u"https://login.example.com"_s);
    m_discovery->setPlaceholderText(u"https://globaldisco.example.com"_s);
    m_search->setPlaceholderText(tr("Search by name, address or region"));
    m_search->setClearButtonEnabled(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_status->setOpenExternalLinks(true);

    m_model->setHorizontalHeaderLabels(
        {tr("Name"), tr("Address"), tr("Version"), tr("Region"), tr("State"), tr("Your role")});
    m_filter->setSourceModel(m_model);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setFilterKeyColumn(-1);
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Name, Qt::AscendingOrder);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setAccessibleName(tr("Environments"));

    auto *intro = new QLabel(tr("Sign in once to list the environments your account can reach, then choose one or "
                                "several. Each becomes a profile."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Cloud:"), m_cloud);
    form->addRow(tr("Sign &in with:"), m_method);
    form->addRow(tr("&Tenant:"), m_tenant);
    form->addRow(tr("Client i&d:"), m_clientId);
    form->addRow(tr("Au&thority:"), m_authority);
    form->addRow(tr("&Discovery service:"), m_discovery);
    auto *listRow = new QHBoxLayout;
    listRow->addStretch();
    listRow->addWidget(m_list);
    form->addRow(listRow);
    auto *searchLabel = new QLabel(tr("&Search:"), this);
    searchLabel->setBuddy(m_search);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(searchLabel);
    searchRow->addWidget(m_search, 1);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_add, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_address, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_list->setDefault(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(searchRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_cloud, &QComboBox::currentIndexChanged, this, &EnvironmentPicker::updateForm);
    connect(m_list, &QPushButton::clicked, this, &EnvironmentPicker::listEnvironments);
    connect(m_search, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EnvironmentPicker::updateAddButton);
    connect(m_table, &QTableView::activated, this, &EnvironmentPicker::addChosen);
    connect(m_add, &QPushButton::clicked, this, &EnvironmentPicker::addChosen);
    connect(m_address, &QPushButton::clicked, this, [this] {
        m_typeAddress = true;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateForm();
    updateAddButton();
    resize(980, 560);
}

EnvironmentPicker::~EnvironmentPicker()
{
    if (m_session)
        m_session->cancel();
    forgetSignIn();
}

void EnvironmentPicker::forgetSignIn()
{
    // The discovery sign-in's refresh token is kept under an id no profile has (docs/discovery.md): it goes when the
    // picker is done with it, whichever way it closes. The store outlives the picker; the removal is its own.
    if (!m_signedIn.id.isEmpty())
        m_secrets->remove(m_signedIn.refreshTokenKey(), m_secrets, [](Result<Done>) {});
    m_signedIn = Profile();
}

QUrl EnvironmentPicker::discoveryService() const
{
    const auto cloud = Cloud(m_cloud->currentData().toInt());
    if (cloud != Cloud::Custom)
        return Clouds::discovery(cloud);
    return QUrl(m_discovery->text().trimmed());
}

Profile EnvironmentPicker::signInTemplate() const
{
    Profile p;
    p.method = AuthMethod(m_method->currentData().toInt());
    p.setCloud(Cloud(m_cloud->currentData().toInt()));
    if (p.cloud == Cloud::Custom) {
        p.authority = QUrl(m_authority->text().trimmed());
        p.discoveryUrl = discoveryService();
    }
    p.tenant = m_tenant->text().trimmed().isEmpty() ? u"organizations"_s : m_tenant->text().trimmed();
    p.clientId = m_clientId->text().trimmed();
    return p;
}

void EnvironmentPicker::updateForm()
{
    const bool custom = Cloud(m_cloud->currentData().toInt()) == Cloud::Custom;
    m_authority->setEnabled(custom);
    m_discovery->setEnabled(custom);
    if (!custom) {
        const auto cloud = Cloud(m_cloud->currentData().toInt());
        m_authority->setText(Clouds::authority(cloud).toString());
        m_discovery->setText(Clouds::discovery(cloud).toString());
    }
}

void EnvironmentPicker::say(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error
                                ? u"color: %1; background: %2; padding: 4px"_s.arg(
                                      Palette::css(Palette::Role::Error), Palette::css(Palette::Role::ErrorBackground))
                                : QString());
}

void EnvironmentPicker::listEnvironments()
{
    Profile p = signInTemplate();
    const QUrl service = discoveryService();
    // The same checks a profile gets, on what this sign-in uses.
    p.name = u"discovery"_s;
    p.orgUrl = service;
    if (const auto org = OrgUrl::parse(service.toString()); !org)
        return say(tr("The discovery service \"%1\" must be an https:// address (http:// only on this computer).")
                       .arg(service.toString()),
                   true);
    if (const auto valid = p.validate(); !valid)
        return say(valid.error().userMessage, true);
    // A sign-in of its own, kept under an id of its own until the environments chosen take it over.
    p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.tokenResource = Discovery::resource(service);
    if (m_session)
        m_session->cancel();
    forgetSignIn(); // a second listing: the first one's sign-in goes
    // The environment's or the system's proxy: the account has no profile yet (docs/networking.md).
    if (const auto proxied = NetworkProxy::apply(
            m_network, {QString(), tr("Add Environments"), ProxyCredentialsDialog::asker(m_secrets)});
        !proxied)
        return say(proxied.error().userMessage.toHtmlEscaped(), true);
    m_session = std::make_unique<SignInSession>(p, m_secrets, m_network);
    m_signedIn = p;
    connect(m_session.get(), &SignInSession::browserUrlReady, this, [this](const QUrl &url) {
        QDesktopServices::openUrl(url);
        say(tr("Finish signing in in your browser. If it did not open, <a href=\"%1\">open the sign-in page</a>.")
                .arg(url.toString(QUrl::FullyEncoded).toHtmlEscaped()),
            false);
    });
    connect(m_session.get(), &SignInSession::deviceCodeReady, this, [this](const OAuth::DeviceCodeFlow::Code &code) {
        say(tr("To sign in, open %1 on any device and enter the code %2.")
                .arg(code.verificationUri.toString().toHtmlEscaped(), code.userCode.toHtmlEscaped()),
            false);
    });
    m_list->setEnabled(false);
    m_model->removeRows(0, m_model->rowCount());
    say(tr("Signing in…"), false);
    QPointer<EnvironmentPicker> self(this);
    m_session->signInInteractively(this, [self, service](Result<QString> token) {
        if (!self)
            return;
        if (!token)
            return self->finishListing(token.error());
        self->say(tr("Listing the environments of your account…"), false);
        self->m_transport = std::make_unique<WebApiTransport>(self->m_network, service.host());
        self->m_transport->setAccessToken(token.value());
        self->m_transport->setTokenRefresher(self->m_session->refresher());
        // A claims challenge from the discovery service: the same sign-in again, carrying the claims
        // (docs/sign-in.md, "Conditional Access and claims challenges").
        self->m_transport->setChallengeAnswerer(self->m_session->challengeAnswerer());
        SignInSession *session = self->m_session.get();
        session->setInteraction(
            [self, session](const AuthChallenge::Claims &claims, SignInSession::TokenCallback done) {
                if (self)
                    self->say(AuthChallenge::signInAgainSentence(), false);
                session->signInInteractively(session, std::move(done), claims.json);
            });
        Discovery::list(self->m_transport.get(), service, self, [self](Result<QList<Discovery::Environment>> listed) {
            if (self)
                self->finishListing(listed);
        });
    });
}

void EnvironmentPicker::finishListing(const Result<QList<Discovery::Environment>> &result)
{
    m_list->setEnabled(true);
    if (!result) {
        say(result.error().userMessage.toHtmlEscaped(), true);
        Q_EMIT listed(false);
        return;
    }
    showEnvironments(result.value());
    Q_EMIT listed(true);
}

void EnvironmentPicker::showEnvironments(const QList<Discovery::Environment> &environments)
{
    m_environments = environments;
    m_model->removeRows(0, m_model->rowCount());
    for (qsizetype i = 0; i < environments.size(); ++i) {
        const Discovery::Environment &e = environments.at(i);
        QList<QStandardItem *> row;
        row << new QStandardItem(e.name) << new QStandardItem(e.url.toString()) << new QStandardItem(e.version)
            << new QStandardItem(e.region) << new QStandardItem(e.stateName())
            << new QStandardItem(!e.userIsAdmin       ? QString()
                                     : *e.userIsAdmin ? tr("System Administrator")
                                                      : tr("Not an administrator"));
        row.first()->setData(int(i), EnvironmentIndexRole);
        if (!e.enabled())
            for (QStandardItem *item : row)
                item->setForeground(m_table->palette().color(QPalette::Disabled, QPalette::Text));
        m_model->appendRow(row);
    }
    m_table->resizeColumnsToContents();
    say(environments.isEmpty() ? tr("Your account reaches no environment in this cloud. Check the cloud and the "
                                    "tenant, or enter an address instead.")
                               : tr("%n environment(s). Choose one or several (Ctrl or Shift to choose more), then "
                                    "Add.",
                                    nullptr, int(environments.size())),
        environments.isEmpty());
    if (!environments.isEmpty()) {
        m_table->setFocus();
        m_table->selectRow(0);
    }
    updateAddButton();
}

void EnvironmentPicker::updateAddButton()
{
    const int n = int(m_table->selectionModel()->selectedRows().size());
    m_add->setEnabled(n > 0);
    m_add->setText(n > 1 ? tr("&Add %n Profiles", nullptr, n) : tr("&Add Profile"));
    m_add->setDefault(n > 0);
    m_list->setDefault(n == 0);
}

void EnvironmentPicker::addChosen()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(Name);
    if (rows.isEmpty())
        return;
    m_chosen.clear();
    for (const QModelIndex &index : rows) {
        const auto &e = m_environments.at(index.data(EnvironmentIndexRole).toInt());
        Profile p = m_signedIn;
        p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.tokenResource.clear();
        p.name = e.name;
        p.orgUrl = e.url;
        if (!e.tenantId.isEmpty())
            p.tenant = e.tenantId;
        m_chosen << p;
    }
    // The account's refresh token serves every environment of the tenant (docs/discovery.md): each new profile
    // gets it, and the discovery sign-in's own entry goes, so nothing is left in the keychain under no profile.
    m_add->setEnabled(false);
    QPointer<EnvironmentPicker> self(this);
    const QString key = m_signedIn.refreshTokenKey();
    m_secrets->read(key, this, [self](Result<std::optional<QString>> stored) {
        if (self)
            self->handOver(stored && stored.value() ? *stored.value() : QString(), 0);
    });
}

void EnvironmentPicker::handOver(const QString &refreshToken, int next)
{
    QPointer<EnvironmentPicker> self(this);
    if (refreshToken.isEmpty() || next == m_chosen.size()) {
        const QString key = m_signedIn.refreshTokenKey();
        m_signedIn = Profile(); // handed over: nothing left to forget
        m_secrets->remove(key, this, [self](Result<Done>) {
            if (self)
                self->accept();
        });
        return;
    }
    m_secrets->write(m_chosen.at(next).refreshTokenKey(), refreshToken, this,
                     [self, refreshToken, next](Result<Done> written) {
                         if (!self)
                             return;
                         // Not kept: that profile signs in when it is first opened.
                         if (!written)
                             self->say(written.error().userMessage.toHtmlEscaped(), true);
                         self->handOver(refreshToken, next + 1);
                     });
}
