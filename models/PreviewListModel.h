#pragma once

#include "models/Preview.h"
#include "models/Result.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QVariant>

#include <functional>
#include <memory>
#include <vector>

class QTimer;

// The conversations of a closure preview, read a page at a time and holding only a few pages in memory, so that a
// list of a million conversations costs what a screen of it does. The list grows by a page as the view scrolls to
// its end (canFetchMore/fetchMore); a page not shown for a while is dropped, keeping only its cursor and row count so
// that its rows keep their places, and a dropped row shows "Loading…" and reads its page again when it is shown.
class PreviewListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewListModel)
public:
    enum Column { Title, Channel, State, Age, EligibleSince, ClosesBy, Change, ColumnCount };
    enum Role { ActivityIdRole = Qt::UserRole + 1, CategoryRole, ConfigurationIdRole };

    // Where the pages come from. A page starts at a cursor, which the model keeps for every page without looking into
    // it; the same cursor reads the same page again, and any page can be read alone (ClosurePreview::Lister's pages).
    class PageSource
    {
    public:
        struct Page
        {
            QList<PreviewRow> rows; // possibly none while more follow
            QVariant next; // null at the end of the list
        };
        virtual ~PageSource() = default;
        // The first page's cursor; null when there is nothing to list.
        virtual QVariant first() const = 0;
        // Reads the page at cursor and calls done once, possibly at once, never after context is deleted.
        virtual void fetch(const QVariant &cursor, QObject *context, std::function<void(Result<Page>)> done) = 0;
    };

    // Ten pages of 200 rows: a few screens above and below the one shown. The budget is in rows, not pages: the
    // closure preview's pages hold from none to 200 rows (each configuration's last page is short).
    static constexpr int DefaultMaxLoadedRows = 2000;

    explicit PreviewListModel(QObject *parent = nullptr);
    ~PreviewListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    // A row whose page is not in memory shows a placeholder and has its page read again (dataChanged follows).
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // A new preview: no rows; pages come from source as the view asks for them. Reads of the previous one are
    // dropped.
    void restart(const PreviewScenario &scenario, std::shared_ptr<PageSource> source);
    // No preview: no rows, nothing read.
    void clear();
    // Drops every read in flight and reads nothing more (rows not in memory say so) until retry() or restart().
    void cancel();
    // Reads again after cancel() or a failed read: the next page when the view asks, and dropped pages when shown.
    void retry();

    // How many rows may be in memory at once: pages are dropped, least recently shown first, until their rows fit
    // (the page last read stays whatever its size). Keep it above what a screen shows, or shown pages would be
    // dropped and read again in turn.
    void setMaxLoadedRows(int rows);
    int maxLoadedRows() const { return m_maxLoadedRows; }

    // The row in memory, or null when its page is not; reads nothing.
    const PreviewRow *rowAt(int row) const;
    // Pages listed so far, those in memory, and the rows they hold.
    int pageCount() const { return int(m_pages.size()); }
    int loadedPageCount() const;
    int loadedRowCount() const { return m_loadedRows; }
    // Whether a page is asked for or being read.
    bool isFetching() const;
    // Whether reading stopped (cancel() or an error) until retry().
    bool isStopped() const { return m_stopped; }

Q_SIGNALS:
    // Reads started (a page asked for) or all ended: a view can show that it is waiting.
    void fetchingChanged(bool fetching);
    // A page could not be read: reading stops until retry().
    void readFailed(const Error &error);

private:
    enum class PageState { Dropped, Wanted, Reading, Loaded, Failed };
    struct Slot
    {
        QVariant cursor; // where the page starts
        int first = 0; // its first row
        int count = 0; // its rows, as last read
        QList<PreviewRow> rows; // while Loaded
        mutable PageState state = PageState::Loaded; // data() asks for a dropped page
        mutable quint64 used = 0; // when last shown: the least recently shown page is dropped first
    };

    int ageMinutes(const Conversation &conversation) const; // at the preview's time
    int pageOf(int row) const; // the page holding row
    void want(int page) const; // data() found the page dropped: read it soon
    void pump(); // starts the reads asked for
    void append(); // reads the page after the last one
    void refetch(int page);
    void arrived(int page, const QList<PreviewRow> &rows); // a dropped page read again
    void failed(const Error &error);
    void pageChanged(const Slot &slot); // dataChanged over its rows
    void notLoadedChanged(); // the rows not in memory show another placeholder
    void dropBeyondLimit(int keep); // drops the least recently shown pages but keep until the rows fit
    void resetReads(); // drops every read in flight
    void notifyFetching();

    std::shared_ptr<PageSource> m_source;
    QList<Slot> m_pages; // in row order
    int m_rows = 0;
    int m_loadedRows = 0; // rows of the pages in memory
    int m_maxLoadedRows = DefaultMaxLoadedRows;
    QVariant m_next; // the page after the last one; null at the end
    enum class Append { Idle, Asked, Reading } m_append = Append::Idle; // the page after the last one
    int m_refetching = 0; // dropped pages being read again
    bool m_stopped = false;
    bool m_notifiedFetching = false;
    mutable std::vector<int> m_wanted; // dropped pages shown since the last pump
    mutable quint64 m_clock = 0;
    QTimer *m_pump; // single shot, 0 ms: reads start from the event loop, never inside data() or fetchMore()
    QPointer<QObject> m_reads; // the context of every read in flight; deleted to drop them

    QHash<QString, QString> m_configurationLabels; // id → "Live chat · Open"
    QDateTime m_at;
    int m_jobInterval = 5;
};
