#pragma once

#include "app/preview/ClosurePreview.h"
#include "app/session/EditSession.h"
#include "models/PendingEdit.h"

#include <QDialog>
#include <QList>

#include <optional>

class ConfigTableModel;
class WorkstreamTableModel;

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
        QString channel; // or the workstream's name
        QString state; // or the workstream's timer
        QString from;
        QString to;
        QString note; // risks, one per line
    };
    SaveConfirmDialog(const QString &title, const QString &intro, const QList<Row> &rows, bool production,
                      const QString &environmentName, const QString &acceptText, QWidget *parent = nullptr);

    // What the dialog says: built from what the user is about to do.
    struct Content
    {
        QString title;
        QString intro;
        QList<Row> rows;
        QString acceptText;
    };
    SaveConfirmDialog(const Content &content, bool production, const QString &environmentName,
                      QWidget *parent = nullptr);
    // Saving edits: each row's risks, a colleague's change made meanwhile, and how many conversations each edit
    // closes or spares at the closure preview's time (impacts: the preview's counts, when they are current).
    static Content forSave(const ConfigTableModel &model, const WorkstreamTableModel &workstreams,
                           const QList<PendingEdit> &edits, const std::optional<QList<ClosurePreview::Impact>> &impacts,
                           const QString &environmentName);
    // Undoing the last save: each value put back.
    static Content forUndo(const ConfigTableModel &model, const WorkstreamTableModel &workstreams,
                           const QList<EditSession::SavedValue> &lastSave, const QString &environmentName);

    // The line edit where the environment's name is typed; null unless production.
    QLineEdit *confirmationEdit() const { return m_confirm; }

private:
    QLineEdit *m_confirm = nullptr;
    QDialogButtonBox *m_buttons;
};
