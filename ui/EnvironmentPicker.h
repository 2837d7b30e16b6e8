#pragma once

#include "app/auth/Profile.h"
#include "app/dataverse/Discovery.h"

#include <QDialog>
#include <QPointer>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class SecretStore;
class SignInSession;
class WebApiTransport;

// The profile manager's "Add": sign in to an account once, list the environments it can reach from its cloud's
// Global Discovery Service (docs/discovery.md), search them, and pick one or several to become profiles. Typing
// an address stays possible ("Enter an Address Instead").
class EnvironmentPicker final : public QDialog
{
    Q_OBJECT
public:
    EnvironmentPicker(SecretStore *secrets, QNetworkAccessManager *network, QWidget *parent = nullptr);
    ~EnvironmentPicker() override;

    // After accept(): the profiles made from the chosen environments (not saved yet), or none when the user chose
    // to type an address.
    QList<Profile> chosenProfiles() const { return m_chosen; }
    // The keychain entry of the picker's own sign-in while it holds one (tests check it is gone afterwards).
    QString signInKey() const { return m_signedIn.id.isEmpty() ? QString() : m_signedIn.refreshTokenKey(); }
    bool typeAddressInstead() const { return m_typeAddress; }

    // Lists environments as if the discovery service had answered with them (the screenshot tour).
    void showEnvironments(const QList<Discovery::Environment> &environments);

    // For tests and keyboard users alike: the form's parts.
    QComboBox *cloudBox() const { return m_cloud; }
    QComboBox *methodBox() const { return m_method; }
    QLineEdit *tenantEdit() const { return m_tenant; }
    QLineEdit *clientIdEdit() const { return m_clientId; }
    QLineEdit *authorityEdit() const { return m_authority; }
    QLineEdit *discoveryEdit() const { return m_discovery; }
    QPushButton *listButton() const { return m_list; }
    QLineEdit *searchEdit() const { return m_search; }
    QTableView *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *addressButton() const { return m_address; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    // The environments are listed (or listing failed; the status label says why).
    void listed(bool ok);

private:
    Profile signInTemplate() const;
    QUrl discoveryService() const;
    void updateForm();
    void listEnvironments();
    void finishListing(const Result<QList<Discovery::Environment>> &result);
    void updateAddButton();
    void addChosen();
    // Gives the discovery sign-in's refresh token to the chosen profiles, from the next-th on, then accepts.
    void handOver(const QString &refreshToken, int next);
    void forgetSignIn();
    void say(const QString &text, bool error);

    SecretStore *m_secrets;
    QNetworkAccessManager *m_network;
    QComboBox *m_cloud;
    QComboBox *m_method;
    QLineEdit *m_tenant;
    QLineEdit *m_clientId;
    QLineEdit *m_authority;
    QLineEdit *m_discovery;
    QPushButton *m_list;
    QLineEdit *m_search;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_filter;
    QTableView *m_table;
    QLabel *m_status;
    QPushButton *m_add;
    QPushButton *m_address;
    std::unique_ptr<SignInSession> m_session;
    std::unique_ptr<WebApiTransport> m_transport;
    Profile m_signedIn; // the sign-in the listed environments came from
    QList<Discovery::Environment> m_environments;
    QList<Profile> m_chosen;
    bool m_typeAddress = false;
};
