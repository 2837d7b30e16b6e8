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
    , m_reason(new QLabel(this))
    , m_text(new QLabel(this))
    , m_address(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
{
    setWindowTitle(tr("Sign in to %1").arg(session->profile().name));
    m_reason->setObjectName(u"reason"_s);
    m_reason->setWordWrap(true);
    m_reason->setTextFormat(Qt::PlainText);
    m_reason->hide();
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
    layout->addWidget(m_reason);
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

void SignInDialog::setReason(const QString &reason)
{
    m_reason->setText(reason);
    m_reason->setVisible(!reason.isEmpty());
}

void SignInDialog::start()
{
    m_session->signInInteractively(
        this,
        [this](Result<QString> token) {
            if (token) {
                m_token = token.value();
                accept();
                return;
            }
            if (token.error().serviceCode == u"cancelled"_s)
                return;
            m_text->setText(token.error().userMessage); // stays until the user cancels
            m_address->hide();
            m_copy->hide();
        },
        m_claims);
}

int SignInDialog::exec()
{
    start();
    return QDialog::exec();
}

SignInSession::Interaction SignInDialog::signInAgainOnChallenge(SignInSession *session,
                                                                std::function<QWidget *()> parent)
{
    return [session, parent](const AuthChallenge::Claims &challenge, SignInSession::TokenCallback done) {
        auto *dialog = new SignInDialog(session, parent());
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setReason(AuthChallenge::signInAgainSentence() + u' ' +
                          tr("%1 asks for a new sign-in before it goes on; what you were doing continues once you "
                             "have signed in.")
                              .arg(session->profile().orgUrl.host()));
        dialog->setChallengeClaims(challenge.json);
        connect(dialog, &QDialog::finished, dialog, [dialog, done](int result) {
            if (result == QDialog::Accepted && dialog->token())
                return done(*dialog->token());
            Error e;
            e.kind = Error::Kind::Auth;
            e.serviceCode = u"cancelled"_s;
            e.userMessage = AuthChallenge::signInAgainSentence() + u' ' +
                tr("The sign-in was cancelled, so what needed it was not done. Try again and sign in when asked.");
            done(e);
        });
        dialog->open();
        dialog->start();
    };
}
