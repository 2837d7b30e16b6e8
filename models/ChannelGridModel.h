#pragma once

#include "models/ConfigTableModel.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

#include <utility>

// The overview: the configurations of ConfigTableModel pivoted to one row per channel and one column per state
// (Open, Active, Waiting, Wrap-up), each cell the value in human units. It holds no data of its own: every cell
// reads its record from the configurations model, and an edit made here is an edit there, so the overview and the
// details list always agree. A channel with no record for a state shows an empty, read-only cell that says so.
class ChannelGridModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChannelGridModel)
public:
    enum Column { Open, Active, Waiting, WrapUp, ColumnCount };
    // Besides ConfigTableModel's roles (IdRole … StreamSourceRole, answered for the cell's record):
    enum Role {
        MarksRole = ConfigTableModel::StreamSourceRole + 100, // Marks, as int: what sets the cell apart
        NoteRole, // a few words under the value: "edited · was 30 min", "default 20 min", "not saved", "no record"
        ChannelRole, // on the vertical header: the channel's label; with StreamSourceRole, its stream source
    };
    enum Mark {
        NoMarks = 0,
        DiffersFromDefault = 1 << 0, // Microsoft documents another value for this channel and state
        Edited = 1 << 1, // a pending edit, not saved
        Risky = 1 << 2, // EditRisks (or the preview) has something to say about the value
        SaveFailed = 1 << 3, // the last save of the record was refused or never arrived (a conflict included)
        NoRecord = 1 << 4, // the channel has no configuration for this state
        ChangedOnServer = 1 << 5, // edited, and someone changed the record since
        Saving = 1 << 6,
        Saved = 1 << 7,
    };
    Q_DECLARE_FLAGS(Marks, Mark)

    explicit ChannelGridModel(ConfigTableModel *source, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // EditRole: as ConfigTableModel::setData on the cell's record.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    ConfigTableModel *source() const { return m_source; }
    // The cell that shows a record, or an invalid index when the overview does not show it (a state it has no
    // column for).
    QModelIndex indexOf(const QString &id) const;
    // The row in the configurations model that a cell shows, or -1 (no record).
    int sourceRow(const QModelIndex &index) const;
    static int stateOf(int column); // the msdyn_ocliveworkitemstate code of a column
    static int columnOf(int state); // -1 for a state with no column (Closed)

private:
    struct Channel
    {
        QString key; // the channel configuration's id, or its label when the id was not read
        QString label;
        QVariant streamSource;
        int rows[ColumnCount] = {-1, -1, -1, -1}; // source rows, -1 where there is no record
    };
    void rebuild();
    void sourceChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    QVariant cellData(const Channel &channel, int column, int role) const;
    Marks marks(int sourceRow) const;
    QString note(int sourceRow, Marks marks) const;
    QString spoken(const Channel &channel, int column) const;

    QPointer<ConfigTableModel> m_source;
    QList<Channel> m_channels;
    QList<std::pair<int, int>> m_cellOfSourceRow; // source row → its cell (row, column), or (-1, -1)
};

Q_DECLARE_OPERATORS_FOR_FLAGS(ChannelGridModel::Marks)
