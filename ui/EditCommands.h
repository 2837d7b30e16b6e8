#pragma once

#include "models/PendingEdit.h"

#include <QPointer>
#include <QUndoCommand>

#include <optional>

class ConfigTableModel;

// One change to the pending edits of one record, undoable: a new value, a reset to Microsoft's default, or a revert
// to the server's value. Undo puts back exactly the pending edit there was before (or none).
class PendingEditCommand final : public QUndoCommand
{
public:
    enum class Kind { Set, Revert };
    // minutes is the new value for Set (empty: never); ignored for Revert.
    PendingEditCommand(ConfigTableModel *model, const QString &id, Kind kind, std::optional<int> minutes,
                       const QString &text, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    QPointer<ConfigTableModel> m_model;
    QString m_id;
    Kind m_kind;
    std::optional<int> m_minutes;
    std::optional<PendingEdit> m_before;
};
