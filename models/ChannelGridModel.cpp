#include "models/ChannelGridModel.h"

#include "models/Duration.h"
#include "models/MicrosoftDefaults.h"

#include <QCollator>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace {
constexpr int States[ChannelGridModel::ColumnCount] = {int(ConversationState::Open), int(ConversationState::Active),
                                                       int(ConversationState::Waiting), int(ConversationState::WrapUp)};

// MinutesRole's value: an invalid QVariant is "never".
std::optional<int> toMinutes(const QVariant &value)
{
    std::optional<int> minutes;
    if (value.isValid())
        minutes = value.toInt();
    return minutes;
}
} // namespace

ChannelGridModel::ChannelGridModel(ConfigTableModel *source, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(source)
{
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        rebuild();
        endResetModel();
    });
    connect(source, &QAbstractItemModel::dataChanged, this, &ChannelGridModel::sourceChanged);
    // ConfigTableModel only ever replaces all its rows; anything else is a reset here too, begun before the source
    // changes (the cells' rows are stale after) and ended once it has.
    const auto begin = [this] {
        beginResetModel();
    };
    const auto end = [this] {
        rebuild();
        endResetModel();
    };
    connect(source, &QAbstractItemModel::rowsAboutToBeInserted, this, begin);
    connect(source, &QAbstractItemModel::rowsInserted, this, end);
    connect(source, &QAbstractItemModel::rowsAboutToBeRemoved, this, begin);
    connect(source, &QAbstractItemModel::rowsRemoved, this, end);
    connect(source, &QAbstractItemModel::rowsAboutToBeMoved, this, begin);
    connect(source, &QAbstractItemModel::rowsMoved, this, end);
    connect(source, &QAbstractItemModel::layoutAboutToBeChanged, this, begin);
    connect(source, &QAbstractItemModel::layoutChanged, this, end);
    rebuild();
}

int ChannelGridModel::stateOf(int column)
{
    return column >= 0 && column < ColumnCount ? States[column] : -1;
}

int ChannelGridModel::columnOf(int state)
{
    const auto *it = std::find(std::begin(States), std::end(States), state);
    return it == std::end(States) ? -1 : int(it - std::begin(States));
}

void ChannelGridModel::rebuild()
{
    m_channels.clear();
    m_cellOfSourceRow.clear();
    if (!m_source)
        return;
    const QList<ChannelStateConfig> &configs = m_source->configs();
    for (qsizetype row = 0; row < configs.size(); ++row) {
        const ChannelStateConfig &config = configs.at(row);
        const QString key = config.channelConfigId.isEmpty() ? config.channelLabel() : config.channelConfigId;
        auto channel =
            std::find_if(m_channels.begin(), m_channels.end(), [&key](const Channel &c) { return c.key == key; });
        if (channel == m_channels.end()) {
            m_channels.append(Channel {
                key, config.channelLabel(), config.streamSource ? QVariant(*config.streamSource) : QVariant(), {}});
            channel = m_channels.end() - 1;
            std::fill(std::begin(channel->rows), std::end(channel->rows), -1);
        }
        const int column = columnOf(config.state);
        if (column >= 0 && channel->rows[column] < 0) // a second record for one cell stays in the details list
            channel->rows[column] = int(row);
    }
    QCollator collator;
    collator.setNumericMode(true);
    std::stable_sort(m_channels.begin(), m_channels.end(), [&collator](const Channel &a, const Channel &b) {
        return collator.compare(a.label, b.label) < 0;
    });
    m_cellOfSourceRow.fill({-1, -1}, configs.size());
    for (qsizetype r = 0; r < m_channels.size(); ++r) {
        for (int c = 0; c < ColumnCount; ++c) {
            if (m_channels.at(r).rows[c] >= 0)
                m_cellOfSourceRow[m_channels.at(r).rows[c]] = {int(r), c};
        }
    }
}

void ChannelGridModel::sourceChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    for (int row = topLeft.row(); row <= bottomRight.row() && row < m_cellOfSourceRow.size(); ++row) {
        const auto [r, c] = m_cellOfSourceRow.at(row);
        if (r >= 0)
            Q_EMIT dataChanged(index(r, c), index(r, c));
    }
}

int ChannelGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_channels.size());
}

int ChannelGridModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ChannelGridModel::sourceRow(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return -1;
    return m_channels.at(index.row()).rows[index.column()];
}

QModelIndex ChannelGridModel::indexOf(const QString &id) const
{
    const int row = m_source ? m_source->rowOf(id) : -1;
    if (row < 0 || row >= m_cellOfSourceRow.size())
        return {};
    const auto [r, c] = m_cellOfSourceRow.at(row);
    return r < 0 ? QModelIndex() : index(r, c);
}

ChannelGridModel::Marks ChannelGridModel::marks(int sourceRow) const
{
    if (sourceRow < 0)
        return NoRecord;
    const QModelIndex value = m_source->index(sourceRow, ConfigTableModel::AutoClose);
    Marks marks;
    const ChannelStateConfig &config = m_source->configs().at(sourceRow);
    const std::optional<int> minutes = toMinutes(value.data(ConfigTableModel::MinutesRole));
    if (const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state); def && def->minutes != minutes)
        marks |= DiffersFromDefault;
    if (value.data(ConfigTableModel::PendingRole).toBool())
        marks |= Edited;
    if (!value.data(ConfigTableModel::RisksRole).toString().isEmpty())
        marks |= Risky;
    switch (ConfigTableModel::RowStatus(value.data(ConfigTableModel::StatusRole).toInt())) {
    case ConfigTableModel::RowStatus::Conflict:
    case ConfigTableModel::RowStatus::Failed:
        marks |= SaveFailed;
        break;
    case ConfigTableModel::RowStatus::ServerChanged:
        marks |= ChangedOnServer;
        break;
    case ConfigTableModel::RowStatus::Saving:
        marks |= Saving;
        break;
    case ConfigTableModel::RowStatus::Saved:
        marks |= Saved;
        break;
    case ConfigTableModel::RowStatus::Unchanged:
    case ConfigTableModel::RowStatus::Pending:
        break;
    }
    return marks;
}

QString ChannelGridModel::note(int sourceRow, Marks marks) const
{
    if (marks & NoRecord)
        return tr("no record");
    const QModelIndex value = m_source->index(sourceRow, ConfigTableModel::AutoClose);
    if (marks & SaveFailed) {
        return ConfigTableModel::RowStatus(value.data(ConfigTableModel::StatusRole).toInt()) ==
                ConfigTableModel::RowStatus::Conflict
            ? tr("conflict: not saved")
            : tr("not saved");
    }
    if (marks & Saving)
        return tr("saving…");
    const ChannelStateConfig &config = m_source->configs().at(sourceRow);
    if (marks & ChangedOnServer)
        return tr("edited · changed on the server");
    if (marks & Edited) {
        const auto edit = m_source->pending(config.id);
        return tr("edited · was %1").arg(Duration::format(edit ? edit->baseMinutes : config.minutes));
    }
    if (marks & Saved)
        return tr("saved");
    if (marks & DiffersFromDefault) {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        return tr("default %1").arg(Duration::format(def->minutes));
    }
    return {};
}

QString ChannelGridModel::spoken(const Channel &channel, int column) const
{
    const QString state = conversationStateLabel(stateOf(column));
    const int row = channel.rows[column];
    if (row < 0)
        return tr("%1, %2: no record; this channel has no setting for this state").arg(channel.label, state);
    const ChannelStateConfig &config = m_source->configs().at(row);
    const QModelIndex value = m_source->index(row, ConfigTableModel::AutoClose);
    const std::optional<int> shown = toMinutes(value.data(ConfigTableModel::MinutesRole));
    QStringList parts {tr("%1, %2: %3").arg(channel.label, state, Duration::spoken(shown))};
    const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
    if (!def)
        parts << tr("no documented Microsoft default");
    else if (def->minutes == shown)
        parts << tr("Microsoft default");
    else
        parts << tr("Microsoft default %1").arg(Duration::spoken(def->minutes));
    const Marks m = marks(row);
    if (m & Edited) {
        const auto edit = m_source->pending(config.id);
        parts << tr("edited from %1, not saved").arg(Duration::spoken(edit ? edit->baseMinutes : config.minutes));
    }
    if (m & ChangedOnServer)
        parts << tr("changed on the server since you edited it");
    if (m & SaveFailed)
        parts << note(row, m);
    if (m & Saving)
        parts << tr("saving");
    if (m & Saved)
        parts << tr("saved");
    if (m & Risky)
        parts << tr("risky");
    return parts.join(u", "_s);
}

QVariant ChannelGridModel::cellData(const Channel &channel, int column, int role) const
{
    const int row = channel.rows[column];
    switch (role) {
    case Qt::DisplayRole:
        return row < 0 ? tr("—") : m_source->index(row, ConfigTableModel::AutoClose).data();
    case MarksRole:
        return int(marks(row));
    case NoteRole:
        return note(row, marks(row));
    case Qt::AccessibleTextRole:
        return spoken(channel, column);
    case Qt::AccessibleDescriptionRole:
    case Qt::ToolTipRole: {
        if (row < 0) {
            return tr("%1 has no %2 configuration in this environment: nothing to edit here.")
                .arg(channel.label, conversationStateLabel(stateOf(column)));
        }
        const ChannelStateConfig &config = m_source->configs().at(row);
        QStringList lines {tr("%1 · %2").arg(channel.label, conversationStateLabel(config.state))};
        lines << m_source->index(row, ConfigTableModel::AutoClose).data(Qt::ToolTipRole).toString();
        const QString def = m_source->index(row, ConfigTableModel::Default).data().toString();
        lines << tr("Microsoft default: %1").arg(def);
        const QString status = m_source->index(row, ConfigTableModel::Status).data(Qt::ToolTipRole).toString();
        if (!status.isEmpty())
            lines << status;
        return lines.join(u'\n');
    }
    default:
        return row < 0 ? QVariant() : m_source->index(row, ConfigTableModel::AutoClose).data(role);
    }
}

QVariant ChannelGridModel::data(const QModelIndex &index, int role) const
{
    if (!m_source || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return cellData(m_channels.at(index.row()), index.column(), role);
}

QVariant ChannelGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= ColumnCount)
            return {};
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole)
            return conversationStateLabel(stateOf(section));
        if (role == Qt::ToolTipRole)
            return tr("How long a conversation may stay in %1 before it is closed")
                .arg(conversationStateLabel(stateOf(section)));
        return {};
    }
    if (section < 0 || section >= m_channels.size())
        return {};
    const Channel &channel = m_channels.at(section);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
    case ChannelRole:
        return channel.label;
    case ConfigTableModel::StreamSourceRole:
        return channel.streamSource;
    default:
        return {};
    }
}

Qt::ItemFlags ChannelGridModel::flags(const QModelIndex &index) const
{
    const int row = sourceRow(index);
    if (row < 0)
        return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
    return m_source->flags(m_source->index(row, ConfigTableModel::AutoClose));
}

bool ChannelGridModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const int row = sourceRow(index);
    return row >= 0 && m_source->setData(m_source->index(row, ConfigTableModel::AutoClose), value, role);
}
