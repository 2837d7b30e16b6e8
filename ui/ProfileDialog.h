#pragma once

#include "app/auth/Profile.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QNetworkAccessManager;
class QPushButton;
class SecretStore;

// The profile manager: add, edit, delete and test the environments the user works with, and choose one to open.
// Client secrets typed here go straight to the keychain; nothing secret is shown or written elsewhere. Test
// Connection sends through network, with the tested profile's proxy.
class ProfileDialog final : public QDialog
{
    Q_OBJECT
public:
    ProfileDialog(ProfileStore *store, SecretStore *secrets, QNetworkAccessManager *network, QWidget *parent = nullptr);

    // The profile chosen with Open (valid after accept()).
    Profile chosen() const { return m_chosen; }
    void select(const QString &id);

    // For tests and keyboard users alike: the form's parts.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *urlEdit() const { return m_url; }
    QComboBox *cloudBox() const { return m_cloud; }
    QComboBox *methodBox() const { return m_method; }
    QLineEdit *tenantEdit() const { return m_tenant; }
    QLineEdit *authorityEdit() const { return m_authority; }
    QLineEdit *clientIdEdit() const { return m_clientId; }
    QLineEdit *secretEdit() const { return m_secret; }
    QLineEdit *tokenEnvEdit() const { return m_tokenEnv; }
    QCheckBox *productionBox() const { return m_production; }
    QLineEdit *proxyEdit() const { return m_proxy; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *newButton() const { return m_new; }
    QLabel *messageLabel() const { return m_message; }
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void saved(const Profile &profile);
    void tested(bool ok);

private:
    void reload(const QString &selectId);
    void showProfile(const Profile &profile);
    Profile fromForm() const;
    void updateForm();
    void save();
    void remove();
    void test();
    // Add: the environment picker first (docs/discovery.md); typing an address stays possible.
    void add();
    void addProfiles(QList<Profile> profiles);
    void say(const QString &text, bool error);

    ProfileStore *m_store;
    SecretStore *m_secrets;
    QNetworkAccessManager *m_network;
    Profile m_current;
    Profile m_chosen;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_cloud;
    QComboBox *m_method;
    QLineEdit *m_tenant;
    QLineEdit *m_authority;
    QLineEdit *m_clientId;
    QLabel *m_clientHint;
    QLineEdit *m_secret;
    QLineEdit *m_tokenEnv;
    QCheckBox *m_production;
    QLineEdit *m_proxy;
    QCheckBox *m_plaintext;
    QLabel *m_message;
    QPushButton *m_new;
    QPushButton *m_save;
    QPushButton *m_delete;
    QPushButton *m_test;
    QPushButton *m_open;
};
