#pragma once

#include "models/Preview.h"

#include <QAbstractTableModel>

// The conversations of a closure preview, loaded a page at a time as the view scrolls (canFetchMore/fetchMore), so
// that a million conversations never load at once and only what is shown is transferred. The pages come from
// outside: fetchMore() asks with moreWanted(), and the answer arrives through appendRows().
class PreviewListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewListModel)
public:
    enum Column { Title, Channel, State, Age, EligibleSince, ClosesBy, Change, ColumnCount };
    enum Role { ActivityIdRole = Qt::UserRole + 1, CategoryRole, ConfigurationIdRole };

    explicit PreviewListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // A new preview: no rows; more may follow. now is what ages are measured from.
    void restart(const PreviewScenario &scenario);
    // A page has arrived; more says whether another may follow. An empty page with more to come asks for the next
    // one at once.
    void appendRows(const QList<PreviewRow> &rows, bool more);
    // The pages stopped (an error); fetchMore asks again only after restart or retry().
    void stop();
    void retry();
    const QList<PreviewRow> &rows() const { return m_rows; }
    bool isFetching() const { return m_fetching; }

Q_SIGNALS:
    void moreWanted();

private:
    int ageMinutes(const Conversation &conversation) const; // at the preview's time

    QList<PreviewRow> m_rows;
    QHash<QString, QString> m_configurationLabels; // id → "Live chat · Open"
    QDateTime m_at;
    int m_jobInterval = 5;
    bool m_more = false;
    bool m_fetching = false;
};
