#include "models/ConfigTableModel.h"

#include "models/Duration.h"
#include "models/MicrosoftDefaults.h"

#include <QLocale>

#include <limits>

namespace {
// "Never" sorts after every number of minutes.
qint64 minutesSortKey(std::optional<int> minutes)
{
    return minutes ? qint64(*minutes) : std::numeric_limits<qint64>::max();
}
} // namespace

ConfigTableModel::ConfigTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int ConfigTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_configs.size());
}

int ConfigTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConfigTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChannelStateConfig &config = m_configs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(config, index.column());
    case Qt::ToolTipRole:
        return toolTipData(config, index.column());
    case SortRole:
        return sortData(config, index.column());
    case IdRole:
        return config.id;
    case MinutesRole:
        return config.minutes ? QVariant(*config.minutes) : QVariant();
    default:
        return {};
    }
}

QVariant ConfigTableModel::displayData(const ChannelStateConfig &config, int column) const
{
    switch (column) {
    case Channel:
        return config.channelLabel();
    case State:
        return conversationStateLabel(config.state);
    case AutoClose:
        return Duration::format(config.minutes);
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        return def ? Duration::format(def->minutes) : tr("—");
    }
    case Modified:
        return config.modifiedOn.isValid() ? QLocale().toString(config.modifiedOn.toLocalTime(), QLocale::ShortFormat)
                                           : QString();
    default:
        return {};
    }
}

QVariant ConfigTableModel::toolTipData(const ChannelStateConfig &config, int column) const
{
    switch (column) {
    case Channel:
        return config.name;
    case AutoClose:
        return config.minutes ? tr("%1 minutes").arg(*config.minutes)
                              : tr("Empty: conversations in this state are never closed by this setting.");
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        QString text = def ? (def->note.isEmpty() ? tr("Microsoft's documented default") : def->note)
                           : tr("Microsoft documents no default for this channel and state.");
        const QString caveat = MicrosoftDefaults::caveat(config.streamSource, config.state);
        if (!caveat.isEmpty())
            text += QLatin1Char('\n') + caveat;
        return text;
    }
    default:
        return {};
    }
}

QVariant ConfigTableModel::sortData(const ChannelStateConfig &config, int column) const
{
    switch (column) {
    case Channel:
        return config.channelLabel();
    case State:
        return config.state;
    case AutoClose:
        return minutesSortKey(config.minutes);
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        // No documented default sorts after "never".
        return def ? minutesSortKey(def->minutes) : QVariant(std::numeric_limits<qint64>::max());
    }
    case Modified:
        return config.modifiedOn;
    default:
        return {};
    }
}

QVariant ConfigTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Channel:
        return tr("Channel");
    case State:
        return tr("State");
    case AutoClose:
        return tr("Auto-close after");
    case Default:
        return tr("Microsoft default");
    case Modified:
        return tr("Last modified");
    default:
        return {};
    }
}

void ConfigTableModel::reset(QList<ChannelStateConfig> configs)
{
    beginResetModel();
    m_configs = std::move(configs);
    endResetModel();
}
