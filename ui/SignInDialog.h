#pragma once

#include "app/auth/OAuth.h"
#include "app/auth/SignInSession.h"

#include <QDialog>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

// Shows an interactive sign-in while it runs: the browser page it opened (with the address to copy, should no
// browser open) or the device code to enter, and Cancel. Accepts once signed in; on failure shows the sentence.
// For a claims challenge it also says why the user signs in again, and the sign-in asks for the challenge's claims.
class SignInDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit SignInDialog(SignInSession *session, QWidget *parent = nullptr);
    int exec() override; // starts the sign-in, then runs the dialog

    // Why the user is asked to sign in, above the instructions (empty: nothing shown).
    void setReason(const QString &reason);
    // A claims challenge's claims (AuthChallenge::Claims::json) for the sign-in to ask for. Before it starts.
    void setChallengeClaims(const QByteArray &claims) { m_claims = claims; }
    // Starts the sign-in; exec() does, and a dialog opened with open() calls it.
    void start();
    // The token once signed in.
    std::optional<QString> token() const { return m_token; }

    // The window's answer to a claims challenge met in the middle of work (docs/sign-in.md, "Conditional Access and
    // claims challenges"): this dialog, window-modal over parent(), says that the organization's access policy asks
    // the user to sign in again and runs the profile's browser or device-code sign-in with the claims; done gets the
    // new token, or an error once the user cancels.
    static SignInSession::Interaction signInAgainOnChallenge(SignInSession *session, std::function<QWidget *()> parent);

    QLabel *reason() const { return m_reason; }
    QLabel *instructions() const { return m_text; }
    QLineEdit *addressEdit() const { return m_address; }
    QString userCode() const { return m_code; }

Q_SIGNALS:
    void browserUrlShown(const QUrl &url);
    void deviceCodeShown(const OAuth::DeviceCodeFlow::Code &code);

private:
    SignInSession *m_session;
    QLabel *m_reason;
    QLabel *m_text;
    QLineEdit *m_address;
    QPushButton *m_copy;
    QString m_code;
    QByteArray m_claims;
    std::optional<QString> m_token;
};
