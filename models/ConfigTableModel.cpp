#include "models/ConfigTableModel.h"

#include "models/Duration.h"
#include "models/EditRisks.h"
#include "models/MicrosoftDefaults.h"

#include <QLocale>
#include <QSet>

#include <limits>

namespace {
// "Never" sorts after every number of minutes.
qint64 minutesSortKey(std::optional<int> minutes)
{
    return minutes ? qint64(*minutes) : std::numeric_limits<qint64>::max();
}

QVariant minutesVariant(std::optional<int> minutes)
{
    return minutes ? QVariant(*minutes) : QVariant();
}
} // namespace

ConfigTableModel::ConfigTableModel(QObject *parent)
    : EditableTableModel(parent)
{ }

std::optional<EditableTableModel::ServerValue> ConfigTableModel::serverValue(const ValueRef &ref) const
{
    const ChannelStateConfig *c = ref.setting == TimerSetting::ChannelState ? config(ref.id) : nullptr;
    if (!c)
        return std::nullopt;
    return ServerValue {c->name, c->etag, c->minutes, c->modifiedOn};
}

int ConfigTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_configs.size());
}

int ConfigTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<int> ConfigTableModel::shownMinutes(int row) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    const auto it = m_pending.constFind(config.id);
    return it != m_pending.cend() ? it->minutes : config.minutes;
}

ConfigTableModel::RowStatus ConfigTableModel::rowStatus(int row) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    const RowState state = m_states.value(config.id);
    if (state.status == RowStatus::Conflict || state.status == RowStatus::Failed || state.status == RowStatus::Saving)
        return state.status;
    const auto it = m_pending.constFind(config.id);
    if (it != m_pending.cend())
        return it->baseEtag == config.etag ? RowStatus::Pending : RowStatus::ServerChanged;
    return state.status;
}

QVariant ConfigTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const ChannelStateConfig &config = m_configs.at(row);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::EditRole:
        return index.column() == AutoClose ? Duration::format(shownMinutes(row)) : displayData(row, index.column());
    case Qt::ToolTipRole:
        return toolTipData(row, index.column());
    case Qt::AccessibleDescriptionRole:
        return index.column() == AutoClose || index.column() == Status ? toolTipData(row, index.column()) : QVariant();
    case SortRole:
        return sortData(row, index.column());
    case IdRole:
        return config.id;
    case MinutesRole:
        return minutesVariant(shownMinutes(row));
    case ServerMinutesRole:
        return minutesVariant(config.minutes);
    case PendingRole:
        return m_pending.contains(config.id);
    case RisksRole:
        return risks(row);
    case StatusRole:
        return int(rowStatus(row));
    case StreamSourceRole:
        return config.streamSource ? QVariant(*config.streamSource) : QVariant();
    case SettingRole:
        return index.column() == AutoClose ? QVariant(int(TimerSetting::ChannelState)) : QVariant();
    default:
        return {};
    }
}

QString ConfigTableModel::label(const QString &id) const
{
    const ChannelStateConfig *c = config(id);
    return c ? tr("%1 · %2").arg(c->channelLabel(), conversationStateLabel(c->state)) : id;
}

QString ConfigTableModel::risks(int row) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    QString text = EditRisks::describe(EditRisks::assess(config, shownMinutes(row)));
    const QString note = riskNote(ValueRef {config.id, TimerSetting::ChannelState});
    if (!note.isEmpty())
        text = text.isEmpty() ? note : text + u'\n' + note;
    return text;
}

QVariant ConfigTableModel::displayData(int row, int column) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    switch (column) {
    case Channel:
        return config.channelLabel();
    case State:
        return conversationStateLabel(config.state);
    case AutoClose:
        return Duration::format(shownMinutes(row));
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        return def ? Duration::format(def->minutes) : tr("—");
    }
    case Modified:
        return config.modifiedOn.isValid() ? QLocale().toString(config.modifiedOn.toLocalTime(), QLocale::ShortFormat)
                                           : QString();
    case Status:
        switch (rowStatus(row)) {
        case RowStatus::Unchanged:
            return QString();
        case RowStatus::Pending:
            return tr("Edited (was %1)").arg(Duration::format(m_pending.value(config.id).baseMinutes));
        case RowStatus::ServerChanged:
            return tr("Edited; changed on the server meanwhile");
        case RowStatus::Saving:
            return tr("Saving…");
        case RowStatus::Saved:
            return tr("Saved");
        case RowStatus::Conflict:
            return tr("Conflict: changed by someone else");
        case RowStatus::Failed:
            return tr("Not saved");
        }
        return {};
    default:
        return {};
    }
}

QVariant ConfigTableModel::toolTipData(int row, int column) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    switch (column) {
    case Channel:
        return config.name;
    case AutoClose: {
        const std::optional<int> minutes = shownMinutes(row);
        QString text = minutes ? tr("%Ln minute(s)", nullptr, *minutes)
                               : tr("Empty: conversations in this state are never closed by this setting.");
        if (const auto edit = m_pending.constFind(config.id); edit != m_pending.cend())
            text += u'\n' + tr("Not saved yet; the environment has %1.").arg(Duration::format(config.minutes));
        const QString risky = risks(row);
        if (!risky.isEmpty())
            text += u'\n' + risky;
        return text;
    }
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        QString text = def ? (def->note.isEmpty() ? tr("Microsoft's documented default") : def->note)
                           : tr("Microsoft documents no default for this channel and state.");
        const QString caveat = MicrosoftDefaults::caveat(config.streamSource, config.state);
        if (!caveat.isEmpty())
            text += QLatin1Char('\n') + caveat;
        return text;
    }
    case Status: {
        const RowState state = m_states.value(config.id);
        switch (rowStatus(row)) {
        case RowStatus::ServerChanged:
            return tr("Someone changed this record after you edited it (now %1). Saving your value will be refused "
                      "until you choose which value to keep.")
                .arg(Duration::format(config.minutes));
        case RowStatus::Conflict:
        case RowStatus::Failed:
            return state.message;
        default:
            return {};
        }
    }
    default:
        return {};
    }
}

QVariant ConfigTableModel::sortData(int row, int column) const
{
    const ChannelStateConfig &config = m_configs.at(row);
    switch (column) {
    case Channel:
        return config.channelLabel();
    case State:
        return config.state;
    case AutoClose:
        return minutesSortKey(shownMinutes(row));
    case Default: {
        const auto def = MicrosoftDefaults::lookup(config.streamSource, config.state);
        // No documented default sorts after "never".
        return def ? minutesSortKey(def->minutes) : QVariant(std::numeric_limits<qint64>::max());
    }
    case Modified:
        return config.modifiedOn;
    case Status:
        return int(rowStatus(row));
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
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

Qt::ItemFlags ConfigTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = EditableTableModel::flags(index);
    if (index.isValid() && index.column() == AutoClose && !m_readOnly)
        f |= Qt::ItemIsEditable;
    return f;
}

bool ConfigTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || m_readOnly || index.column() != AutoClose ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    std::optional<int> minutes;
    if (value.isValid()) {
        bool ok = false;
        minutes = value.toInt(&ok);
        if (!ok || *minutes < 0)
            return false;
    }
    setPending(m_configs.at(index.row()).id, minutes);
    return true;
}

void ConfigTableModel::rowChanged(int row)
{
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QList<PendingEdit> ConfigTableModel::reset(QList<ChannelStateConfig> configs)
{
    beginResetModel();
    m_configs = std::move(configs);
    QList<PendingEdit> gone;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (rowOf(it.key()) < 0) {
            gone << it.value();
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    // A fresh read replaces what the last save reported, except where the user still has to act.
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (rowOf(it.key()) < 0 || it->status == RowStatus::Saving || !m_pending.contains(it.key()))
            it = m_states.erase(it);
        else
            ++it;
    }
    endResetModel();
    if (!gone.isEmpty())
        Q_EMIT pendingChanged();
    return gone;
}

int ConfigTableModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_configs.size(); ++i) {
        if (m_configs.at(i).id == id)
            return int(i);
    }
    return -1;
}

const ChannelStateConfig *ConfigTableModel::config(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_configs.at(row);
}

void ConfigTableModel::updateConfig(const ChannelStateConfig &config)
{
    const int row = rowOf(config.id);
    if (row < 0)
        return;
    m_configs[row] = config;
    rowChanged(row);
}

void ConfigTableModel::setPending(const QString &id, std::optional<int> minutes)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const ChannelStateConfig &config = m_configs.at(row);
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        if (minutes == config.minutes)
            return;
        m_pending.insert(id, PendingEdit {id, minutes, config.etag, config.minutes});
    } else if (minutes == it->baseMinutes && it->baseEtag == config.etag) {
        m_pending.erase(it); // back to what the server has: nothing to save
    } else {
        it->minutes = minutes;
    }
    m_states.remove(id);
    rowChanged(row);
    Q_EMIT pendingChanged();
}

void ConfigTableModel::clearPending(const QString &id)
{
    if (!m_pending.remove(id))
        return;
    m_states.remove(id);
    rowChanged(rowOf(id));
    Q_EMIT pendingChanged();
}

void ConfigTableModel::clearAllPending()
{
    if (m_pending.isEmpty())
        return;
    const QList<QString> ids = m_pending.keys();
    m_pending.clear();
    for (const QString &id : ids) {
        m_states.remove(id);
        rowChanged(rowOf(id));
    }
    Q_EMIT pendingChanged();
}

std::optional<PendingEdit> ConfigTableModel::pending(const QString &id) const
{
    const auto it = m_pending.constFind(id);
    return it == m_pending.cend() ? std::nullopt : std::optional<PendingEdit>(*it);
}

QList<PendingEdit> ConfigTableModel::pendingEdits() const
{
    QList<PendingEdit> edits;
    for (const ChannelStateConfig &config : m_configs) {
        if (const auto it = m_pending.constFind(config.id); it != m_pending.cend())
            edits << *it;
    }
    return edits;
}

QList<PendingEdit> ConfigTableModel::restorePending(const QList<PendingEdit> &edits)
{
    QList<PendingEdit> gone;
    bool changed = false;
    for (const PendingEdit &edit : edits) {
        const int row = rowOf(edit.id);
        if (row < 0) {
            gone << edit;
            continue;
        }
        m_pending.insert(edit.id, edit);
        m_states.remove(edit.id);
        rowChanged(row);
        changed = true;
    }
    if (changed)
        Q_EMIT pendingChanged();
    return gone;
}

void ConfigTableModel::rebase(const QString &id)
{
    const int row = rowOf(id);
    auto it = m_pending.find(id);
    if (row < 0 || it == m_pending.end())
        return;
    const ChannelStateConfig &config = m_configs.at(row);
    it->baseEtag = config.etag;
    it->baseMinutes = config.minutes;
    if (it->minutes == config.minutes)
        m_pending.erase(it);
    m_states.remove(id);
    rowChanged(row);
    Q_EMIT pendingChanged();
}

void ConfigTableModel::markSaving(const QString &id)
{
    m_states.insert(id, RowState {RowStatus::Saving, {}});
    rowChanged(rowOf(id));
}

void ConfigTableModel::markSaved(const QString &id, const QString &etag, std::optional<int> minutes)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    ChannelStateConfig &config = m_configs[row];
    config.etag = etag;
    config.minutes = minutes;
    config.modifiedOn = QDateTime::currentDateTimeUtc();
    const bool hadPending = m_pending.remove(id) > 0;
    m_states.insert(id, RowState {RowStatus::Saved, {}});
    rowChanged(row);
    if (hadPending)
        Q_EMIT pendingChanged();
}

void ConfigTableModel::markStatus(const QString &id, RowStatus status, const QString &message)
{
    m_states.insert(id, RowState {status, message});
    rowChanged(rowOf(id));
}

ConfigTableModel::RowStatus ConfigTableModel::status(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? RowStatus::Unchanged : rowStatus(row);
}

void ConfigTableModel::setReadOnly(bool readOnly)
{
    if (m_readOnly == readOnly)
        return;
    m_readOnly = readOnly;
    // Flags changed for every row; views re-query them on a layout change.
    Q_EMIT layoutAboutToBeChanged();
    Q_EMIT layoutChanged();
}
