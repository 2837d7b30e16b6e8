#include "ui/EditCommands.h"

#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/EditableTableModel.h"
#include "models/MicrosoftDefaults.h"

#include <QCoreApplication>
#include <QUndoStack>

PendingEditCommand::PendingEditCommand(EditableTableModel *model, const ValueRef &ref, Kind kind,
                                       std::optional<int> minutes, const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_model(model)
    , m_ref(ref)
    , m_kind(kind)
    , m_minutes(minutes)
    , m_before(model->pendingEdit(ref))
{ }

void PendingEditCommand::redo()
{
    if (!m_model)
        return;
    if (m_kind == Kind::Revert)
        m_model->dropPending(m_ref);
    else
        m_model->setPendingValue(m_ref, m_minutes);
}

void PendingEditCommand::undo()
{
    if (!m_model)
        return;
    if (m_before)
        m_model->restorePending({*m_before});
    else
        m_model->dropPending(m_ref);
}

namespace {
// Pushes one command per record, as a macro named macroText when there are several.
void pushAll(QUndoStack *stack, const QList<PendingEditCommand *> &commands, const QString &macroText)
{
    if (commands.size() > 1)
        stack->beginMacro(macroText);
    for (PendingEditCommand *command : commands)
        stack->push(command);
    if (commands.size() > 1)
        stack->endMacro();
}
} // namespace

void EditCommands::set(QUndoStack *stack, ConfigTableModel *model, const QString &id, std::optional<int> minutes)
{
    const auto current = model->pending(id);
    const ChannelStateConfig *config = model->config(id);
    if (!config || (current ? current->minutes : config->minutes) == minutes)
        return; // nothing changes: nothing to undo
    stack->push(new PendingEditCommand(
        model, ValueRef {id}, PendingEditCommand::Kind::Set, minutes,
        QCoreApplication::translate("EditCommands", "Set %1 to %2").arg(model->label(id), Duration::format(minutes))));
}

bool EditCommands::resetToDefault(QUndoStack *stack, ConfigTableModel *model, const QStringList &ids)
{
    QList<PendingEditCommand *> commands;
    for (const QString &id : ids) {
        const ChannelStateConfig *config = model->config(id);
        const auto def = config ? MicrosoftDefaults::lookup(config->streamSource, config->state) : std::nullopt;
        if (def)
            commands << new PendingEditCommand(model, ValueRef {id}, PendingEditCommand::Kind::Set, def->minutes,
                                               QCoreApplication::translate("EditCommands", "Reset %1 to default (%2)")
                                                   .arg(model->label(id), Duration::format(def->minutes)));
    }
    pushAll(stack, commands,
            QCoreApplication::translate("EditCommands", "Reset %n rows to default", nullptr, int(commands.size())));
    return !commands.isEmpty();
}

void EditCommands::revert(QUndoStack *stack, ConfigTableModel *model, const QStringList &ids)
{
    QList<PendingEditCommand *> commands;
    for (const QString &id : ids) {
        if (model->pending(id))
            commands << new PendingEditCommand(
                model, ValueRef {id}, PendingEditCommand::Kind::Revert, {},
                QCoreApplication::translate("EditCommands", "Revert %1").arg(model->label(id)));
    }
    pushAll(stack, commands,
            QCoreApplication::translate("EditCommands", "Revert %n edits", nullptr, int(commands.size())));
}

void EditCommands::discardAll(QUndoStack *stack, const QList<EditableTableModel *> &models)
{
    QList<std::pair<EditableTableModel *, PendingEdit>> edits;
    for (EditableTableModel *model : models)
        for (const PendingEdit &edit : model->pendingEdits())
            edits << std::pair {model, edit};
    if (edits.isEmpty())
        return;
    // One step even for a single edit: "Discard 1 edit" is what the user asked for.
    stack->beginMacro(QCoreApplication::translate("EditCommands", "Discard %n edit(s)", nullptr, int(edits.size())));
    for (const auto &[model, edit] : std::as_const(edits))
        stack->push(new PendingEditCommand(
            model, edit.ref(), PendingEditCommand::Kind::Revert, {},
            QCoreApplication::translate("EditCommands", "Revert %1").arg(model->valueLabel(edit.ref()))));
    stack->endMacro();
}

void EditCommands::setValue(QUndoStack *stack, EditableTableModel *model, const ValueRef &ref,
                            std::optional<int> minutes)
{
    const auto current = model->pendingEdit(ref);
    const auto server = model->serverValue(ref);
    if (!server || (current ? current->minutes : server->minutes) == minutes)
        return; // nothing changes: nothing to undo
    stack->push(new PendingEditCommand(model, ref, PendingEditCommand::Kind::Set, minutes,
                                       QCoreApplication::translate("EditCommands", "Set %1 to %2")
                                           .arg(model->valueLabel(ref), Duration::format(minutes))));
}

void EditCommands::revertValues(QUndoStack *stack, EditableTableModel *model, const QList<ValueRef> &refs)
{
    QList<PendingEditCommand *> commands;
    for (const ValueRef &ref : refs) {
        if (model->pendingEdit(ref))
            commands << new PendingEditCommand(
                model, ref, PendingEditCommand::Kind::Revert, {},
                QCoreApplication::translate("EditCommands", "Revert %1").arg(model->valueLabel(ref)));
    }
    pushAll(stack, commands,
            QCoreApplication::translate("EditCommands", "Revert %n edits", nullptr, int(commands.size())));
}
