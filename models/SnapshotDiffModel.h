#pragma once

#include "models/SnapshotDiff.h"

#include <QAbstractTableModel>

// A comparison as a table, for the compare window: one row per channel-state record, then one per workstream value
// (both sides' values side by side). Colours and filtering are the view's business; KindRole tells it what each row
// is.
class SnapshotDiffModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Table: "Channel state" or "Workstream". State: the record's state, or the workstream value's setting.
    enum Column { Difference, Table, Channel, State, Left, Right, Name, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1 };

    explicit SnapshotDiffModel(QObject *parent = nullptr);

    void setDiff(const SnapshotDiff &diff, const QString &leftLabel, const QString &rightLabel);
    const SnapshotDiff &diff() const { return m_diff; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant recordData(const SnapshotDiff::Entry &e, int column, int role) const;
    QVariant workstreamData(const SnapshotDiff::WorkstreamEntry &e, int column, int role) const;

    SnapshotDiff m_diff;
    QString m_leftLabel;
    QString m_rightLabel;
};
