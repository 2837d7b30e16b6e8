#pragma once

#include "app/auth/OAuth.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class SignInSession;

// Shows an interactive sign-in while it runs: the browser page it opened (with the address to copy, should no
// browser open) or the device code to enter, and Cancel. Accepts once signed in; on failure shows the sentence.
class SignInDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit SignInDialog(SignInSession *session, QWidget *parent = nullptr);
    int exec() override; // starts the sign-in, then runs the dialog

    QLabel *instructions() const { return m_text; }
    QLineEdit *addressEdit() const { return m_address; }
    QString userCode() const { return m_code; }

Q_SIGNALS:
    void browserUrlShown(const QUrl &url);
    void deviceCodeShown(const OAuth::DeviceCodeFlow::Code &code);

private:
    SignInSession *m_session;
    QLabel *m_text;
    QLineEdit *m_address;
    QPushButton *m_copy;
    QString m_code;
};
