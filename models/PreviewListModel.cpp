#include "models/PreviewListModel.h"

#include "models/Duration.h"

#include <QLocale>
#include <QStringList>

PreviewListModel::PreviewListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int PreviewListModel::ageMinutes(const Conversation &conversation) const
{
    const qint64 minutes = std::max<qint64>(0, conversation.createdOn.secsTo(m_at) / 60);
    return int(std::min<qint64>(minutes, std::numeric_limits<int>::max()));
}

int PreviewListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PreviewListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PreviewListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PreviewRow &row = m_rows.at(index.row());
    const Conversation &c = row.conversation;
    if (role == ActivityIdRole)
        return c.id;
    if (role == CategoryRole)
        return int(row.category);
    if (role == ConfigurationIdRole)
        return row.configurationId;
    if (role == Qt::ToolTipRole && index.column() == Title)
        return c.subject.isEmpty() ? c.id : c.subject + u'\n' + c.id;
    if (role == Qt::ToolTipRole && index.column() == Age)
        return tr("%1, created %2")
            .arg(Duration::format(ageMinutes(c)), QLocale().toString(c.createdOn.toLocalTime(), QLocale::ShortFormat));
    if (role == Qt::ToolTipRole && index.column() == EligibleSince && row.wrapUpFallback)
        return tr("The wrap-up start of this conversation is unknown; its creation time was used.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Title:
        return c.title.isEmpty() ? (c.subject.isEmpty() ? c.id : c.subject) : c.title;
    case Channel: {
        QStringList labels;
        for (int channel : c.channels)
            labels << StreamSource::label(channel);
        return labels.join(u", ");
    }
    case State: {
        const auto state = ClosingRule::configurationState(c.statusCode);
        return state ? conversationStateLabel(*state) : QString::number(c.statusCode);
    }
    case Age: {
        // On one line: days and hours, or hours and minutes (the tooltip has it to the minute).
        const int minutes = ageMinutes(c);
        return Duration::format(minutes >= Duration::MinutesPerDay ? minutes - minutes % Duration::MinutesPerHour
                                                                   : minutes);
    }
    case EligibleSince:
        return QString(QLocale().toString(row.eligibleSince.toLocalTime(), QLocale::ShortFormat) +
                       (row.wrapUpFallback ? QStringLiteral(" *") : QString()));
    case ClosesBy:
        if (row.category == PreviewRow::Category::NoLongerCloses)
            return tr("—");
        return tr("≈ %1").arg(
            QLocale().toString(ClosingRule::closesBy(std::max(row.eligibleSince, m_at), m_jobInterval).toLocalTime(),
                               QLocale::ShortFormat));
    case Change:
        return QString(Preview::categoryLabel(row.category) + u" · " +
                       m_configurationLabels.value(row.configurationId));
    default:
        return {};
    }
}

QVariant PreviewListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Title:
        return tr("Conversation");
    case Channel:
        return tr("Channel");
    case State:
        return tr("State");
    case Age:
        return tr("Age");
    case EligibleSince:
        return tr("Eligible since");
    case ClosesBy:
        return tr("Closes by");
    case Change:
        return tr("Why");
    default:
        return {};
    }
}

bool PreviewListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_more && !m_fetching;
}

void PreviewListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT moreWanted();
}

void PreviewListModel::restart(const PreviewScenario &scenario)
{
    beginResetModel();
    m_rows.clear();
    m_configurationLabels.clear();
    for (const ChannelStateConfig &c : scenario.saved)
        m_configurationLabels.insert(c.id, c.channelLabel() + u" · " + conversationStateLabel(c.state));
    m_at = scenario.at;
    m_jobInterval = scenario.jobIntervalMinutes;
    m_more = true;
    m_fetching = false;
    endResetModel();
}

void PreviewListModel::appendRows(const QList<PreviewRow> &rows, bool more)
{
    m_fetching = false;
    m_more = more;
    if (rows.isEmpty()) {
        // Nothing to insert, so no view will ask again: ask for the next page at once.
        if (more) {
            m_fetching = true;
            Q_EMIT moreWanted();
        }
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    m_rows.append(rows);
    endInsertRows();
}

void PreviewListModel::stop()
{
    m_fetching = false;
    m_more = false;
}

void PreviewListModel::retry()
{
    m_more = true;
}
