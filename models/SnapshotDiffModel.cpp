#include "models/SnapshotDiffModel.h"

#include "models/Duration.h"

using namespace Qt::StringLiterals;

SnapshotDiffModel::SnapshotDiffModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void SnapshotDiffModel::setDiff(const SnapshotDiff &diff, const QString &leftLabel, const QString &rightLabel)
{
    beginResetModel();
    m_diff = diff;
    m_leftLabel = leftLabel;
    m_rightLabel = rightLabel;
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, Left, Right);
}

int SnapshotDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diff.entries.size() + m_diff.workstreams.size());
}

int SnapshotDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapshotDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    if (role == Qt::TextAlignmentRole && (index.column() == Left || index.column() == Right))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (index.row() < m_diff.entries.size())
        return recordData(m_diff.entries.at(index.row()), index.column(), role);
    return workstreamData(m_diff.workstreams.at(index.row() - m_diff.entries.size()), index.column(), role);
}

QVariant SnapshotDiffModel::recordData(const SnapshotDiff::Entry &e, int column, int role) const
{
    if (role == KindRole)
        return int(e.kind);
    const ChannelStateConfig &r = e.record();
    const auto side = [](const std::optional<ChannelStateConfig> &c) {
        return c ? Duration::format(c->minutes) : SnapshotDiff::tr("(not there)");
    };
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Difference:
            return SnapshotDiff::kindLabel(e.kind);
        case Table:
            return ApplyPlan::tr("Channel state");
        case Channel:
            return r.channelLabel();
        case State:
            return conversationStateLabel(r.state);
        case Left:
            return side(e.left);
        case Right:
            return side(e.right);
        case Name:
            return r.name;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (e.kind) {
        case SnapshotDiff::Kind::Ambiguous:
            return SnapshotDiff::tr("Another record has the same channel configuration, channel and state and no id "
                                    "matches, so which pairs with which is not known. Compare snapshots that carry "
                                    "ids, or remove the duplicate.");
        case SnapshotDiff::Kind::Same:
        case SnapshotDiff::Kind::Changed:
            return e.matchedBy == SnapshotDiff::MatchedBy::Id
                ? SnapshotDiff::tr("Matched by id %1").arg(r.id)
                : SnapshotDiff::tr("Matched by channel configuration \"%1\", channel and state (no common id)")
                      .arg(r.channelName);
        case SnapshotDiff::Kind::OnlyLeft:
        case SnapshotDiff::Kind::OnlyRight:
            return r.id.isEmpty() ? QVariant() : SnapshotDiff::tr("Id %1").arg(r.id);
        }
    }
    return {};
}

QVariant SnapshotDiffModel::workstreamData(const SnapshotDiff::WorkstreamEntry &e, int column, int role) const
{
    if (role == KindRole)
        return int(e.kind);
    const Workstream &w = e.workstream();
    const auto side = [&e](const std::optional<Workstream> &x) {
        return x ? SnapshotDiff::format(e.setting, SnapshotDiff::minutesOf(*x, e.setting))
                 : SnapshotDiff::tr("(not there)");
    };
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Difference:
            return SnapshotDiff::kindLabel(e.kind);
        case Table:
            return ApplyPlan::tr("Workstream");
        case Channel:
            return w.streamSource ? StreamSource::label(*w.streamSource) : QString();
        case State:
            return TimerSettings::label(e.setting);
        case Left:
            return side(e.left);
        case Right:
            return side(e.right);
        case Name:
            return w.name;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (e.kind) {
        case SnapshotDiff::Kind::Ambiguous:
            return SnapshotDiff::tr("Another workstream has the same name and no id matches, so which pairs with which "
                                    "is not known. Compare snapshots that carry ids, or rename the duplicate.");
        case SnapshotDiff::Kind::Same:
        case SnapshotDiff::Kind::Changed:
            return e.matchedBy == SnapshotDiff::MatchedBy::Id ? SnapshotDiff::tr("Matched by id %1").arg(w.id)
                                                              : SnapshotDiff::tr("Matched by name (no common id)");
        case SnapshotDiff::Kind::OnlyLeft:
        case SnapshotDiff::Kind::OnlyRight:
            return w.id.isEmpty() ? QVariant() : SnapshotDiff::tr("Id %1").arg(w.id);
        }
    }
    return {};
}

QVariant SnapshotDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Difference:
        return SnapshotDiff::tr("Difference");
    case Table:
        return SnapshotDiff::tr("Table");
    case Channel:
        return SnapshotDiff::tr("Channel");
    case State:
        return SnapshotDiff::tr("State or setting");
    case Left:
        return m_leftLabel.isEmpty() ? SnapshotDiff::tr("Left") : m_leftLabel;
    case Right:
        return m_rightLabel.isEmpty() ? SnapshotDiff::tr("Right") : m_rightLabel;
    case Name:
        return SnapshotDiff::tr("Name");
    }
    return {};
}
