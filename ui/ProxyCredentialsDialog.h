#pragma once

#include "app/common/NetworkProxy.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class SecretStore;

// Asks for the user name and password a proxy wants (its 407), with "Remember in the keychain" (docs/networking.md).
// asker() is the window's answer to a 407: the keychain first, then this dialog, at most once per refusal.
class ProxyCredentialsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyCredentialsDialog)
public:
    ProxyCredentialsDialog(const NetworkProxy::Address &proxy, const std::optional<NetworkProxy::Credentials> &refused,
                           QWidget *parent = nullptr);

    NetworkProxy::Credentials credentials() const;
    bool remember() const;

    // For tests and keyboard users alike: the form's parts.
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    QLabel *messageLabel() const { return m_message; }

    // The keychain, then the dialog; credentials the user asks to remember are written to the keychain (secrets
    // must outlive every manager the asker is given to).
    static NetworkProxy::Asker asker(SecretStore *secrets);

private:
    QLabel *m_message;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
};
