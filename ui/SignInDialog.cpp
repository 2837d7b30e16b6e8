#include "ui/SignInDialog.h"

#include "app/auth/SignInSession.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

SignInDialog::SignInDialog(SignInSession *session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_text(new QLabel(this))
    , m_address(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
{
    setWindowTitle(tr("Sign in to %1").arg(session->profile().name));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setText(tr("Starting the sign-in…"));
    m_address->setReadOnly(true);
    m_address->hide();
    m_copy->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::rejected, this, [this] {
        m_session->cancel();
        reject();
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_address, 1);
    row->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addLayout(row);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());

    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_code.isEmpty() ? m_address->text() : m_code); });
    connect(session, &SignInSession::browserUrlReady, this, [this](const QUrl &url) {
        m_text->setText(tr("Your browser was opened to sign in to %1. Finish there; this window closes by itself. "
                           "If no browser opened, copy this address into one on this computer:")
                            .arg(m_session->profile().orgUrl.host()));
        m_address->setText(url.toString(QUrl::FullyEncoded));
        m_address->show();
        m_copy->show();
        QDesktopServices::openUrl(url);
        Q_EMIT browserUrlShown(url);
    });
    connect(session, &SignInSession::deviceCodeReady, this, [this](const OAuth::DeviceCodeFlow::Code &code) {
        m_code = code.userCode;
        m_text->setText(tr("On any device, open the address below and enter the code <b>%1</b>. It expires at %2. "
                           "This window closes by itself once you have signed in.")
                            .arg(code.userCode.toHtmlEscaped(), code.expiresAt.toLocalTime().toString(u"HH:mm"_s)));
        m_address->setText(code.verificationUri.toString());
        m_address->show();
        m_copy->setText(tr("&Copy code"));
        m_copy->show();
        Q_EMIT deviceCodeShown(code);
    });
}

int SignInDialog::exec()
{
    m_session->signInInteractively(this, [this](Result<QString> token) {
        if (token) {
            accept();
            return;
        }
        if (token.error().serviceCode == u"cancelled"_s)
            return;
        m_text->setText(token.error().userMessage); // stays until the user cancels
        m_address->hide();
        m_copy->hide();
    });
    return QDialog::exec();
}
