#include "models/EditableTableModel.h"

#include <QSet>

void EditableTableModel::setRiskNotes(const QHash<ValueRef, QString> &notes)
{
    if (notes == m_riskNotes)
        return;
    QSet<QString> touched;
    for (auto it = m_riskNotes.cbegin(); it != m_riskNotes.cend(); ++it)
        touched.insert(it.key().id);
    for (auto it = notes.cbegin(); it != notes.cend(); ++it)
        touched.insert(it.key().id);
    m_riskNotes = notes;
    for (const QString &id : std::as_const(touched)) {
        if (const int row = rowOf(id); row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }
}
