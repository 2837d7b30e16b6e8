#pragma once

#include <QDialog>
#include <QList>

class QDialogButtonBox;
class QLineEdit;

// Shows old → new for every record before anything is sent; on a production environment the user types the
// environment's name to confirm.
class SaveConfirmDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveConfirmDialog)
public:
    struct Row
    {
        QString channel;
        QString state;
        QString from;
        QString to;
        QString note; // risks, one per line
    };
    SaveConfirmDialog(const QString &title, const QString &intro, const QList<Row> &rows, bool production,
                      const QString &environmentName, const QString &acceptText, QWidget *parent = nullptr);

    // The line edit where the environment's name is typed; null unless production.
    QLineEdit *confirmationEdit() const { return m_confirm; }

private:
    QLineEdit *m_confirm = nullptr;
    QDialogButtonBox *m_buttons;
};
