#include "models/WorkstreamTableModel.h"

#include "models/ChannelStateConfig.h"
#include "models/Duration.h"
#include "models/EditRisks.h"

#include <QLocale>

#include <algorithm>
#include <limits>

namespace {
constexpr TimerSetting Timers[] = {TimerSetting::Inactivity, TimerSetting::WrapUpBlock};

qint64 minutesSortKey(std::optional<int> minutes)
{
    return minutes ? qint64(*minutes) : std::numeric_limits<qint64>::max();
}

// How much a status needs the user's attention: the row shows its most urgent value.
int urgency(EditableTableModel::RowStatus status)
{
    using S = EditableTableModel::RowStatus;
    switch (status) {
    case S::Conflict:
    case S::Failed:
        return 6;
    case S::ServerChanged:
        return 5;
    case S::Saving:
        return 4;
    case S::Pending:
        return 3;
    case S::Saved:
        return 2;
    case S::Unchanged:
        break;
    }
    return 0;
}
} // namespace

WorkstreamTableModel::WorkstreamTableModel(QObject *parent)
    : EditableTableModel(parent)
{ }

std::optional<TimerSetting> WorkstreamTableModel::settingOf(int column)
{
    if (column == Inactivity)
        return TimerSetting::Inactivity;
    if (column == WrapUpBlock)
        return TimerSetting::WrapUpBlock;
    return std::nullopt;
}

int WorkstreamTableModel::columnOf(TimerSetting setting)
{
    return setting == TimerSetting::WrapUpBlock ? WrapUpBlock : Inactivity;
}

std::optional<int> WorkstreamTableModel::minutesOf(const Workstream &workstream, TimerSetting setting)
{
    return setting == TimerSetting::WrapUpBlock ? workstream.wrapUpBlockMinutes : workstream.inactivityMinutes;
}

void WorkstreamTableModel::setMinutes(Workstream &workstream, TimerSetting setting, std::optional<int> minutes)
{
    (setting == TimerSetting::WrapUpBlock ? workstream.wrapUpBlockMinutes : workstream.inactivityMinutes) = minutes;
}

int WorkstreamTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workstreams.size());
}

int WorkstreamTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<int> WorkstreamTableModel::shownMinutes(int row, TimerSetting setting) const
{
    const Workstream &w = m_workstreams.at(row);
    const auto it = m_pending.constFind(ValueRef {w.id, setting});
    return it != m_pending.cend() ? it->minutes : minutesOf(w, setting);
}

WorkstreamTableModel::RowStatus WorkstreamTableModel::statusOf(int row, TimerSetting setting) const
{
    const Workstream &w = m_workstreams.at(row);
    const ValueRef ref {w.id, setting};
    const ValueState state = m_states.value(ref);
    if (state.status == RowStatus::Conflict || state.status == RowStatus::Failed || state.status == RowStatus::Saving)
        return state.status;
    const auto it = m_pending.constFind(ref);
    if (it != m_pending.cend())
        return it->baseEtag == w.etag ? RowStatus::Pending : RowStatus::ServerChanged;
    return state.status;
}

WorkstreamTableModel::RowStatus WorkstreamTableModel::rowStatus(int row) const
{
    const RowStatus a = statusOf(row, TimerSetting::Inactivity);
    const RowStatus b = statusOf(row, TimerSetting::WrapUpBlock);
    return urgency(b) > urgency(a) ? b : a;
}

QString WorkstreamTableModel::risks(int row, TimerSetting setting) const
{
    QString text = EditRisks::describe(EditRisks::assessWorkstream(setting, shownMinutes(row, setting)));
    const QString note = riskNote(ValueRef {m_workstreams.at(row).id, setting});
    if (!note.isEmpty())
        text = text.isEmpty() ? note : text + u'\n' + note;
    return text;
}

QVariant WorkstreamTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Workstream &w = m_workstreams.at(row);
    const auto setting = settingOf(index.column());
    const auto minutesVariant = [](std::optional<int> minutes) {
        return minutes ? QVariant(*minutes) : QVariant();
    };
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::EditRole:
        return setting ? Duration::format(shownMinutes(row, *setting)) : displayData(row, index.column());
    case Qt::ToolTipRole:
        return toolTipData(row, index.column());
    case Qt::AccessibleDescriptionRole:
        return setting || index.column() == Status ? toolTipData(row, index.column()) : QVariant();
    case SortRole:
        return sortData(row, index.column());
    case IdRole:
        return w.id;
    case MinutesRole:
        return setting ? minutesVariant(shownMinutes(row, *setting)) : QVariant();
    case ServerMinutesRole:
        return setting ? minutesVariant(minutesOf(w, *setting)) : QVariant();
    case PendingRole:
        return setting ? m_pending.contains(ValueRef {w.id, *setting})
                       : m_pending.contains(ValueRef {w.id, TimerSetting::Inactivity}) ||
                m_pending.contains(ValueRef {w.id, TimerSetting::WrapUpBlock});
    case RisksRole:
        return setting ? risks(row, *setting) : QString();
    case StatusRole:
        return int(setting ? statusOf(row, *setting) : rowStatus(row));
    case StreamSourceRole:
        return w.streamSource ? QVariant(*w.streamSource) : QVariant();
    case SettingRole:
        return setting ? QVariant(int(*setting)) : QVariant();
    default:
        return {};
    }
}

QString WorkstreamTableModel::statusText(int row) const
{
    const Workstream &w = m_workstreams.at(row);
    QStringList parts;
    for (TimerSetting setting : Timers) {
        const ValueRef ref {w.id, setting};
        switch (statusOf(row, setting)) {
        case RowStatus::Unchanged:
            break;
        case RowStatus::Pending:
            parts << tr("%1 edited (was %2)")
                         .arg(TimerSettings::label(setting), Duration::format(m_pending.value(ref).baseMinutes));
            break;
        case RowStatus::ServerChanged:
            parts << tr("%1 edited; changed on the server meanwhile").arg(TimerSettings::label(setting));
            break;
        case RowStatus::Saving:
            parts << tr("Saving…");
            break;
        case RowStatus::Saved:
            parts << tr("Saved");
            break;
        case RowStatus::Conflict:
            parts << tr("Conflict: changed by someone else");
            break;
        case RowStatus::Failed:
            parts << tr("Not saved");
            break;
        }
    }
    parts.removeDuplicates();
    return parts.join(u"; ");
}

QVariant WorkstreamTableModel::displayData(int row, int column) const
{
    const Workstream &w = m_workstreams.at(row);
    switch (column) {
    case Name:
        return w.name;
    case Channel:
        return w.streamSource ? StreamSource::label(*w.streamSource) : tr("—");
    case Inactivity:
    case WrapUpBlock: {
        const TimerSetting setting = *settingOf(column);
        const auto minutes = shownMinutes(row, setting);
        // An empty block is taken for the admin center's "Always block" (UNCONFIRMED, docs/dataverse-tables.md).
        if (!minutes && setting == TimerSetting::WrapUpBlock)
            return tr("Always block");
        // Inactivity is required, but Dataverse does not enforce it (docs/dataverse-tables.md): an empty one is shown
        // as such, and never closes anything.
        if (!minutes)
            return tr("Not set");
        return Duration::format(minutes);
    }
    case Modified:
        return w.modifiedOn.isValid() ? QLocale().toString(w.modifiedOn.toLocalTime(), QLocale::ShortFormat)
                                      : QString();
    case Status:
        return statusText(row);
    default:
        return {};
    }
}

QVariant WorkstreamTableModel::toolTipData(int row, int column) const
{
    const Workstream &w = m_workstreams.at(row);
    switch (column) {
    case Inactivity:
    case WrapUpBlock: {
        const TimerSetting setting = *settingOf(column);
        const std::optional<int> minutes = shownMinutes(row, setting);
        QString text = setting == TimerSetting::Inactivity
            ? tr("Waiting conversations of persistent chat, SMS, social channels and Teams in this workstream close "
                 "after this much inactivity, instead of the channel's Waiting value. Read as minutes (UNCONFIRMED: "
                 "Microsoft does not state the unit).")
            : tr("An agent's capacity stays blocked this long after a conversation enters Wrap-up; when it is longer "
                 "than the channel's Wrap-up value, it wins. Read as minutes (UNCONFIRMED).");
        if (minutes)
            text += u'\n' + tr("%Ln minute(s)", nullptr, *minutes);
        else if (setting == TimerSetting::WrapUpBlock)
            text += u'\n' +
                tr("Empty: taken for the admin center's “Always block” (UNCONFIRMED: Microsoft does not "
                   "say how that choice is stored), which the preview assumes does not delay the Wrap-up close. "
                   "Type “never” to empty it.");
        const ValueRef ref {w.id, setting};
        if (m_pending.contains(ref))
            text += u'\n' + tr("Not saved yet; the environment has %1.").arg(Duration::format(minutesOf(w, setting)));
        const QString risky = risks(row, setting);
        if (!risky.isEmpty())
            text += u'\n' + risky;
        return text;
    }
    case Status: {
        QStringList lines;
        for (TimerSetting setting : Timers) {
            const RowStatus status = statusOf(row, setting);
            if (status == RowStatus::ServerChanged)
                lines << tr("Someone changed %1 after you edited it (now %2). Saving your value will be refused until "
                            "you choose which value to keep.")
                             .arg(TimerSettings::label(setting), Duration::format(minutesOf(w, setting)));
            else if (status == RowStatus::Conflict || status == RowStatus::Failed)
                lines << m_states.value(ValueRef {w.id, setting}).message;
        }
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
    }
    case Name:
        return w.id;
    default:
        return {};
    }
}

QVariant WorkstreamTableModel::sortData(int row, int column) const
{
    const Workstream &w = m_workstreams.at(row);
    switch (column) {
    case Name:
        return w.name;
    case Channel:
        return displayData(row, column);
    case Inactivity:
    case WrapUpBlock:
        return minutesSortKey(shownMinutes(row, *settingOf(column)));
    case Modified:
        return w.modifiedOn;
    case Status:
        return int(rowStatus(row));
    default:
        return {};
    }
}

QVariant WorkstreamTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return EditableTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Workstream");
    case Channel:
        return tr("Channel");
    case Inactivity:
        return TimerSettings::label(TimerSetting::Inactivity);
    case WrapUpBlock:
        return TimerSettings::label(TimerSetting::WrapUpBlock);
    case Modified:
        return tr("Modified");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

Qt::ItemFlags WorkstreamTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = EditableTableModel::flags(index);
    if (index.isValid() && settingOf(index.column()) && !m_readOnly)
        f |= Qt::ItemIsEditable;
    return f;
}

bool WorkstreamTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const auto setting = settingOf(index.column());
    if (role != Qt::EditRole || m_readOnly || !setting ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    std::optional<int> minutes;
    if (value.isValid()) {
        bool ok = false;
        minutes = value.toInt(&ok);
        if (!ok || *minutes < 0)
            return false;
    } else if (!TimerSettings::allowsEmpty(*setting)) {
        return false; // the column is required
    }
    setPendingValue(ValueRef {m_workstreams.at(index.row()).id, *setting}, minutes);
    return true;
}

void WorkstreamTableModel::rowChanged(int row)
{
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QList<PendingEdit> WorkstreamTableModel::reset(QList<Workstream> workstreams)
{
    beginResetModel();
    m_workstreams = std::move(workstreams);
    std::stable_sort(m_workstreams.begin(), m_workstreams.end(), [](const Workstream &a, const Workstream &b) {
        const int byName = a.name.localeAwareCompare(b.name);
        return byName != 0 ? byName < 0 : a.id < b.id;
    });
    QList<PendingEdit> gone;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (rowOf(it.key().id) < 0) {
            gone << it.value();
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    // A fresh read replaces what the last save reported, except where the user still has to act.
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (rowOf(it.key().id) < 0 || it->status == RowStatus::Saving || !m_pending.contains(it.key()))
            it = m_states.erase(it);
        else
            ++it;
    }
    endResetModel();
    if (!gone.isEmpty())
        Q_EMIT pendingChanged();
    return gone;
}

int WorkstreamTableModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_workstreams.size(); ++i) {
        if (m_workstreams.at(i).id == id)
            return int(i);
    }
    return -1;
}

const Workstream *WorkstreamTableModel::workstream(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_workstreams.at(row);
}

QList<Workstream> WorkstreamTableModel::editedWorkstreams() const
{
    QList<Workstream> edited = m_workstreams;
    for (Workstream &w : edited) {
        for (TimerSetting setting : Timers) {
            if (const auto it = m_pending.constFind(ValueRef {w.id, setting}); it != m_pending.cend())
                setMinutes(w, setting, it->minutes);
        }
    }
    return edited;
}

void WorkstreamTableModel::setPendingValue(const ValueRef &ref, std::optional<int> minutes)
{
    const int row = rowOf(ref.id);
    if (row < 0 || !holds(ref.setting))
        return;
    const Workstream &w = m_workstreams.at(row);
    const std::optional<int> server = minutesOf(w, ref.setting);
    auto it = m_pending.find(ref);
    if (it == m_pending.end()) {
        if (minutes == server)
            return;
        m_pending.insert(ref, PendingEdit {ref.id, minutes, w.etag, server, ref.setting});
    } else if (minutes == it->baseMinutes && it->baseEtag == w.etag) {
        m_pending.erase(it); // back to what the server has: nothing to save
    } else {
        it->minutes = minutes;
    }
    m_states.remove(ref);
    rowChanged(row);
    Q_EMIT pendingChanged();
}

void WorkstreamTableModel::clearAllPending()
{
    if (m_pending.isEmpty())
        return;
    const QList<ValueRef> refs = m_pending.keys();
    m_pending.clear();
    for (const ValueRef &ref : refs) {
        m_states.remove(ref);
        rowChanged(rowOf(ref.id));
    }
    Q_EMIT pendingChanged();
}

void WorkstreamTableModel::setReadOnly(bool readOnly)
{
    if (m_readOnly == readOnly)
        return;
    m_readOnly = readOnly;
    // Flags changed for every row; views re-query them on a layout change.
    Q_EMIT layoutAboutToBeChanged();
    Q_EMIT layoutChanged();
}

std::optional<EditableTableModel::ServerValue> WorkstreamTableModel::serverValue(const ValueRef &ref) const
{
    const Workstream *w = holds(ref.setting) ? workstream(ref.id) : nullptr;
    if (!w)
        return std::nullopt;
    return ServerValue {w->name, w->etag, minutesOf(*w, ref.setting), w->modifiedOn};
}

QString WorkstreamTableModel::valueLabel(const ValueRef &ref) const
{
    const Workstream *w = workstream(ref.id);
    return tr("%1 · %2").arg(w ? w->name : ref.id, TimerSettings::label(ref.setting));
}

QList<PendingEdit> WorkstreamTableModel::pendingEdits() const
{
    QList<PendingEdit> edits;
    for (const Workstream &w : m_workstreams) {
        for (TimerSetting setting : Timers) {
            if (const auto it = m_pending.constFind(ValueRef {w.id, setting}); it != m_pending.cend())
                edits << *it;
        }
    }
    return edits;
}

std::optional<PendingEdit> WorkstreamTableModel::pendingEdit(const ValueRef &ref) const
{
    const auto it = m_pending.constFind(ref);
    return it == m_pending.cend() ? std::nullopt : std::optional<PendingEdit>(*it);
}

void WorkstreamTableModel::dropPending(const ValueRef &ref)
{
    if (!m_pending.remove(ref))
        return;
    m_states.remove(ref);
    rowChanged(rowOf(ref.id));
    Q_EMIT pendingChanged();
}

QList<PendingEdit> WorkstreamTableModel::restorePending(const QList<PendingEdit> &edits)
{
    QList<PendingEdit> gone;
    bool changed = false;
    for (const PendingEdit &edit : edits) {
        const int row = rowOf(edit.id);
        if (row < 0 || !holds(edit.setting)) {
            gone << edit;
            continue;
        }
        m_pending.insert(edit.ref(), edit);
        m_states.remove(edit.ref());
        rowChanged(row);
        changed = true;
    }
    if (changed)
        Q_EMIT pendingChanged();
    return gone;
}

void WorkstreamTableModel::rebaseValue(const ValueRef &ref)
{
    const int row = rowOf(ref.id);
    auto it = m_pending.find(ref);
    if (row < 0 || it == m_pending.end())
        return;
    const Workstream &w = m_workstreams.at(row);
    it->baseEtag = w.etag;
    it->baseMinutes = minutesOf(w, ref.setting);
    if (it->minutes == it->baseMinutes)
        m_pending.erase(it);
    m_states.remove(ref);
    rowChanged(row);
    Q_EMIT pendingChanged();
}

void WorkstreamTableModel::markValueSaving(const ValueRef &ref)
{
    m_states.insert(ref, ValueState {RowStatus::Saving, {}});
    rowChanged(rowOf(ref.id));
}

void WorkstreamTableModel::markValueSaved(const ValueRef &ref, const QString &etag, std::optional<int> minutes)
{
    const int row = rowOf(ref.id);
    if (row < 0)
        return;
    Workstream &w = m_workstreams[row];
    // An edit of the record's other timer made over the version this save replaced is still made over the value
    // the server holds (the save wrote this column only): it moves onto the new version, or it would meet the
    // user's own save as a colleague's change.
    const ValueRef other {
        ref.id, ref.setting == TimerSetting::Inactivity ? TimerSetting::WrapUpBlock : TimerSetting::Inactivity};
    if (auto it = m_pending.find(other); it != m_pending.end() && it->baseEtag == w.etag)
        it->baseEtag = etag;
    w.etag = etag;
    setMinutes(w, ref.setting, minutes);
    w.modifiedOn = QDateTime::currentDateTimeUtc();
    const bool hadPending = m_pending.remove(ref) > 0;
    m_states.insert(ref, ValueState {RowStatus::Saved, {}});
    rowChanged(row);
    if (hadPending)
        Q_EMIT pendingChanged();
}

void WorkstreamTableModel::markValueStatus(const ValueRef &ref, RowStatus status, const QString &message)
{
    m_states.insert(ref, ValueState {status, message});
    rowChanged(rowOf(ref.id));
}

WorkstreamTableModel::RowStatus WorkstreamTableModel::valueStatus(const ValueRef &ref) const
{
    const int row = rowOf(ref.id);
    return row < 0 || !holds(ref.setting) ? RowStatus::Unchanged : statusOf(row, ref.setting);
}
