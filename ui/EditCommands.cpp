#include "ui/EditCommands.h"

#include "models/ConfigTableModel.h"

PendingEditCommand::PendingEditCommand(ConfigTableModel *model, const QString &id, Kind kind,
                                       std::optional<int> minutes, const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_model(model)
    , m_id(id)
    , m_kind(kind)
    , m_minutes(minutes)
    , m_before(model->pending(id))
{ }

void PendingEditCommand::redo()
{
    if (!m_model)
        return;
    if (m_kind == Kind::Revert)
        m_model->clearPending(m_id);
    else
        m_model->setPending(m_id, m_minutes);
}

void PendingEditCommand::undo()
{
    if (!m_model)
        return;
    if (m_before)
        m_model->restorePending({*m_before});
    else
        m_model->clearPending(m_id);
}
