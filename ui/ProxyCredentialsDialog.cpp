#include "ui/ProxyCredentialsDialog.h"

#include "app/auth/ProxyCredentials.h"
#include "app/auth/SecretStore.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

ProxyCredentialsDialog::ProxyCredentialsDialog(const NetworkProxy::Address &proxy,
                                               const std::optional<NetworkProxy::Credentials> &refused, QWidget *parent)
    : QDialog(parent)
    , m_message(new QLabel(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember in the keychain"), this))
{
    setWindowTitle(tr("Proxy sign-in"));
    m_message->setWordWrap(true);
    m_message->setText(refused ? tr("The proxy %1 refused the user name \"%2\" and its password. Type them again.")
                                     .arg(proxy.hostPort(), refused->user)
                               : tr("The proxy %1 asks for a user name and password.").arg(proxy.hostPort()));
    m_user->setText(refused ? refused->user : proxy.user);
    m_password->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout;
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Sign In"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto enable = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_user->text().trimmed().isEmpty());
    };
    connect(m_user, &QLineEdit::textChanged, this, enable);
    enable();
    (m_user->text().isEmpty() ? m_user : m_password)->setFocus();
}

NetworkProxy::Credentials ProxyCredentialsDialog::credentials() const
{
    return {m_user->text().trimmed(), m_password->text()};
}

bool ProxyCredentialsDialog::remember() const
{
    return m_remember->isChecked();
}

NetworkProxy::Asker ProxyCredentialsDialog::asker(SecretStore *secrets)
{
    // What the user typed last, per proxy: when the proxy refuses it, the window says so rather than asking again.
    auto typed = std::make_shared<QHash<QString, NetworkProxy::Credentials>>();
    const auto ask = [secrets,
                      typed](const NetworkProxy::Question &question) -> std::optional<NetworkProxy::Credentials> {
        const NetworkProxy::Address &proxy = question.proxy;
        if (question.retry && typed->contains(proxy.hostPort()) &&
            question.refused.contains(typed->value(proxy.hostPort())))
            return std::nullopt;
        // A 407 on another manager while this dialog is open gets no second dialog: that request fails, and says so.
        static bool asking = false;
        if (asking)
            return std::nullopt;
        asking = true;
        const std::optional<NetworkProxy::Credentials> refused =
            question.refused.isEmpty() ? std::nullopt : std::optional(question.refused.constLast());
        ProxyCredentialsDialog dialog(proxy, refused, QApplication::activeWindow());
        const bool answered = dialog.exec() == QDialog::Accepted;
        asking = false;
        if (!answered)
            return std::nullopt;
        const NetworkProxy::Credentials given = dialog.credentials();
        typed->insert(proxy.hostPort(), given);
        if (dialog.remember()) {
            ProxyCredentials::remember(secrets, proxy, given, qApp, [](bool ok, const QString &error) {
                if (!ok)
                    QMessageBox::warning(QApplication::activeWindow(),
                                         ProxyCredentialsDialog::tr("Proxy sign-in not remembered"), error);
            });
        }
        return given;
    };
    return ProxyCredentials::fromKeychain(secrets, ask);
}
