#include "models/PreviewListModel.h"

#include "models/Duration.h"

#include <QLocale>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <utility>

PreviewListModel::PreviewListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_pump(new QTimer(this))
    , m_reads(new QObject(this))
{
    m_pump->setSingleShot(true);
    m_pump->setInterval(0);
    connect(m_pump, &QTimer::timeout, this, &PreviewListModel::pump);
}

PreviewListModel::~PreviewListModel()
{
    delete m_reads; // no read in flight calls back into a model being destroyed
}

int PreviewListModel::ageMinutes(const Conversation &conversation) const
{
    const qint64 minutes = std::max<qint64>(0, conversation.createdOn.secsTo(m_at) / 60);
    return int(std::min<qint64>(minutes, std::numeric_limits<int>::max()));
}

int PreviewListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int PreviewListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int PreviewListModel::pageOf(int row) const
{
    // The last page starting at or before row: a page left with no rows starts where the next one does, so it is
    // never the one found.
    const auto after =
        std::upper_bound(m_pages.begin(), m_pages.end(), row, [](int r, const Slot &slot) { return r < slot.first; });
    return int(after - m_pages.begin()) - 1;
}

const PreviewRow *PreviewListModel::rowAt(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    const Slot &slot = m_pages.at(pageOf(row));
    return slot.state == PageState::Loaded ? &slot.rows.at(row - slot.first) : nullptr;
}

int PreviewListModel::loadedPageCount() const
{
    return int(std::count_if(m_pages.cbegin(), m_pages.cend(),
                             [](const Slot &slot) { return slot.state == PageState::Loaded; }));
}

bool PreviewListModel::isFetching() const
{
    return m_append != Append::Idle || m_refetching > 0 || !m_wanted.empty();
}

QVariant PreviewListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int page = pageOf(index.row());
    const Slot &slot = m_pages.at(page);
    if (slot.state != PageState::Loaded) {
        if (slot.state == PageState::Dropped && !m_stopped)
            want(page);
        // Only the first column says why the row is empty: a row of "Loading…" would be noise.
        const bool reading = slot.state == PageState::Wanted || slot.state == PageState::Reading;
        if (index.column() == Title && role == Qt::DisplayRole)
            return reading ? tr("Loading…") : tr("Not loaded");
        if (index.column() == Title && role == Qt::ToolTipRole && !reading)
            return tr("This part of the list was not read (cancelled, or the server did not answer). Recount to "
                      "read the list again.");
        return {};
    }
    slot.used = ++m_clock;
    const PreviewRow &row = slot.rows.at(index.row() - slot.first);
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
    return !parent.isValid() && m_source && !m_next.isNull() && m_append == Append::Idle && !m_stopped;
}

void PreviewListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_append = Append::Asked;
    m_pump->start();
    notifyFetching();
}

void PreviewListModel::want(int page) const
{
    m_pages.at(page).state = PageState::Wanted;
    m_wanted.push_back(page);
    m_pump->start();
}

void PreviewListModel::pump()
{
    if (m_stopped || !m_source)
        return;
    if (m_append == Append::Asked)
        append();
    // Every page shown since the last pump: a view asks only for the rows it shows (and a few around them for its
    // columns' widths), so these are few.
    for (int page : std::exchange(m_wanted, {})) {
        if (m_pages.at(page).state == PageState::Wanted)
            refetch(page);
    }
    notifyFetching();
}

void PreviewListModel::append()
{
    m_append = Append::Reading;
    const QVariant cursor = m_next;
    m_source->fetch(cursor, m_reads, [this, cursor](Result<PageSource::Page> page) {
        m_append = Append::Idle;
        if (!page) {
            failed(page.error());
            return;
        }
        m_next = page.value().next;
        QList<PreviewRow> &rows = page.value().rows;
        if (rows.isEmpty()) {
            // Nothing to insert, so no view will ask again: read the next page at once.
            if (!m_next.isNull()) {
                m_append = Append::Asked;
                m_pump->start();
            }
            notifyFetching();
            return;
        }
        const int count = int(rows.size());
        beginInsertRows({}, m_rows, m_rows + count - 1);
        m_pages.append(Slot {cursor, m_rows, count, std::move(rows), PageState::Loaded, ++m_clock});
        m_rows += count;
        m_loadedRows += count;
        endInsertRows();
        dropBeyondLimit(pageCount() - 1);
        notifyFetching();
    });
}

void PreviewListModel::refetch(int page)
{
    m_pages.at(page).state = PageState::Reading;
    ++m_refetching;
    m_source->fetch(m_pages.at(page).cursor, m_reads, [this, page](Result<PageSource::Page> read) {
        --m_refetching;
        if (!read) {
            m_pages.at(page).state = PageState::Failed;
            failed(read.error());
            return;
        }
        arrived(page, read.value().rows);
        notifyFetching();
    });
}

void PreviewListModel::arrived(int page, const QList<PreviewRow> &rows)
{
    // The server's data may have changed since the page was first read: the page holds what it holds now. Rows it
    // gained are inserted at its end and rows it lost removed from its end, so that the rows after it move with the
    // proper signals (a view keeps its selection and place); its cursor is kept, and the pages after it are read
    // from their own cursors, as the server pages them. The rows change first, still "Loading…", then their data:
    // the rows around the change read the same before and after it, as a view expects.
    Slot &slot = m_pages[page];
    const int before = slot.count;
    const int now = int(rows.size());
    const auto recount = [this, page, &slot, now] {
        const int difference = now - slot.count;
        slot.count = now;
        for (qsizetype p = page + 1; p < m_pages.size(); ++p)
            m_pages[p].first += difference;
        m_rows += difference;
    };
    if (now > before) {
        beginInsertRows({}, slot.first + before, slot.first + now - 1);
        recount();
        endInsertRows();
    } else if (now < before) {
        beginRemoveRows({}, slot.first + now, slot.first + before - 1);
        recount();
        endRemoveRows();
    }
    slot.rows = rows;
    slot.state = PageState::Loaded;
    slot.used = ++m_clock;
    m_loadedRows += now;
    pageChanged(slot);
    dropBeyondLimit(page);
}

void PreviewListModel::pageChanged(const Slot &slot)
{
    if (slot.count > 0)
        Q_EMIT dataChanged(index(slot.first, 0), index(slot.first + slot.count - 1, ColumnCount - 1));
}

void PreviewListModel::notLoadedChanged()
{
    // One signal over every row, rather than one per page: there may be thousands of pages.
    if (std::any_of(m_pages.cbegin(), m_pages.cend(),
                    [](const Slot &slot) { return slot.state != PageState::Loaded && slot.count > 0; }))
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

void PreviewListModel::dropBeyondLimit(int keep)
{
    // No signal: the rows have not changed, only where they are kept. A dropped row that a view shows again asks for
    // its page then.
    while (m_loadedRows > m_maxLoadedRows) {
        int oldest = -1;
        for (int p = 0; p < pageCount(); ++p) {
            const Slot &slot = m_pages.at(p);
            if (p != keep && slot.state == PageState::Loaded && (oldest < 0 || slot.used < m_pages.at(oldest).used))
                oldest = p;
        }
        if (oldest < 0)
            return;
        Slot &slot = m_pages[oldest];
        m_loadedRows -= int(slot.rows.size());
        slot.rows = QList<PreviewRow>(); // its memory back, not only its size
        slot.state = PageState::Dropped;
    }
}

void PreviewListModel::setMaxLoadedRows(int rows)
{
    m_maxLoadedRows = std::max(1, rows);
    dropBeyondLimit(-1);
}

void PreviewListModel::failed(const Error &error)
{
    m_stopped = true;
    m_wanted.clear();
    if (m_append == Append::Asked)
        m_append = Append::Idle;
    for (Slot &slot : m_pages) {
        if (slot.state == PageState::Wanted)
            slot.state = PageState::Dropped;
    }
    notLoadedChanged(); // rows not in memory say now that they will not be read
    notifyFetching();
    Q_EMIT readFailed(error);
}

void PreviewListModel::resetReads()
{
    delete m_reads;
    m_reads = new QObject(this);
    m_append = Append::Idle;
    m_refetching = 0;
    m_wanted.clear();
    m_pump->stop();
}

void PreviewListModel::notifyFetching()
{
    const bool fetching = isFetching();
    if (fetching == m_notifiedFetching)
        return;
    m_notifiedFetching = fetching;
    Q_EMIT fetchingChanged(fetching);
}

void PreviewListModel::restart(const PreviewScenario &scenario, std::shared_ptr<PageSource> source)
{
    beginResetModel();
    resetReads(); // before the source goes: a read in flight may refer to it
    m_pages.clear();
    m_rows = 0;
    m_loadedRows = 0;
    m_stopped = false;
    m_source = std::move(source);
    m_next = m_source ? m_source->first() : QVariant();
    m_configurationLabels.clear();
    for (const ChannelStateConfig &c : scenario.saved)
        m_configurationLabels.insert(c.id, c.channelLabel() + u" · " + conversationStateLabel(c.state));
    m_at = scenario.at;
    m_jobInterval = scenario.jobIntervalMinutes;
    endResetModel();
    notifyFetching();
}

void PreviewListModel::clear()
{
    restart(PreviewScenario {}, nullptr);
}

void PreviewListModel::cancel()
{
    resetReads();
    m_stopped = true;
    for (Slot &slot : m_pages) {
        if (slot.state == PageState::Wanted || slot.state == PageState::Reading)
            slot.state = PageState::Dropped;
    }
    notLoadedChanged(); // rows not in memory say now that they will not be read
    notifyFetching();
}

void PreviewListModel::retry()
{
    if (!m_stopped)
        return;
    m_stopped = false;
    for (Slot &slot : m_pages) {
        if (slot.state == PageState::Failed)
            slot.state = PageState::Dropped;
    }
    notLoadedChanged(); // a view asks again for the rows it shows
}
