#pragma once

#include "models/PendingEdit.h"

#include <QPointer>
#include <QStringList>
#include <QUndoCommand>

#include <optional>

class ConfigTableModel;
class EditableTableModel;
class QUndoStack;

// One change to the pending edit of one value, undoable: a new value, a reset to Microsoft's default, or a revert
// to the server's value. Undo puts back exactly the pending edit there was before (or none).
class PendingEditCommand final : public QUndoCommand
{
public:
    enum class Kind { Set, Revert };
    // minutes is the new value for Set (empty: never); ignored for Revert.
    PendingEditCommand(EditableTableModel *model, const ValueRef &ref, Kind kind, std::optional<int> minutes,
                       const QString &text, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    QPointer<EditableTableModel> m_model;
    ValueRef m_ref;
    Kind m_kind;
    std::optional<int> m_minutes;
    std::optional<PendingEdit> m_before;
};

// The undoable edits the window's actions make, each pushed onto stack as one step (several records: one macro).
namespace EditCommands {

// Sets a record's value; nothing when it already shows that value (nothing to undo).
void set(QUndoStack *stack, ConfigTableModel *model, const QString &id, std::optional<int> minutes);
// Resets the records to Microsoft's default; false when none of them has one.
bool resetToDefault(QUndoStack *stack, ConfigTableModel *model, const QStringList &ids);
// Drops the edits of these records (those without one are left alone).
void revert(QUndoStack *stack, ConfigTableModel *model, const QStringList &ids);
// Drops every edit of these tables, as one step.
void discardAll(QUndoStack *stack, const QList<EditableTableModel *> &models);

// Sets any table's value; nothing when it already shows that value.
void setValue(QUndoStack *stack, EditableTableModel *model, const ValueRef &ref, std::optional<int> minutes);
// Drops the edits of these values.
void revertValues(QUndoStack *stack, EditableTableModel *model, const QList<ValueRef> &refs);

} // namespace EditCommands
