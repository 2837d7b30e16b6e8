#pragma once

#include "models/EditableTableModel.h"
#include "models/Workstream.h"

#include <QHash>
#include <QList>

// The workstreams of one environment, one row each, with their two timers (docs/dataverse-tables.md): "auto-close
// after inactivity" and "block capacity for wrap-up", in human units, the user's pending edits on top and what
// became of each value's last save. The second table EditSession edits, beside ConfigTableModel.
class WorkstreamTableModel final : public EditableTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkstreamTableModel)
public:
    enum Column { Name, Channel, Inactivity, WrapUpBlock, Modified, Status, ColumnCount };

    explicit WorkstreamTableModel(QObject *parent = nullptr);

    // The setting a column shows, if it shows one.
    static std::optional<TimerSetting> settingOf(int column);
    static int columnOf(TimerSetting setting);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // EditRole on a timer column: minutes as int. An invalid QVariant (empty) is refused where the column is
    // required (inactivity).
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // After a load: replaces every row, sorted by name. Pending edits stay on the records that still exist; the ones
    // whose record is gone are returned.
    QList<PendingEdit> reset(QList<Workstream> workstreams);
    const QList<Workstream> &workstreams() const { return m_workstreams; }
    int rowOf(const QString &id) const override;
    const Workstream *workstream(const QString &id) const;
    // The workstreams with the pending edits applied: what the preview judges by.
    QList<Workstream> editedWorkstreams() const;

    void clearAllPending();

    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    // EditableTableModel
    bool holds(TimerSetting setting) const override { return setting != TimerSetting::ChannelState; }
    std::optional<ServerValue> serverValue(const ValueRef &ref) const override;
    QString valueLabel(const ValueRef &ref) const override;
    QList<PendingEdit> pendingEdits() const override;
    bool hasPendingEdits() const override { return !m_pending.isEmpty(); }
    std::optional<PendingEdit> pendingEdit(const ValueRef &ref) const override;
    void setPendingValue(const ValueRef &ref, std::optional<int> minutes) override;
    void dropPending(const ValueRef &ref) override;
    QList<PendingEdit> restorePending(const QList<PendingEdit> &edits) override;
    void rebaseValue(const ValueRef &ref) override;
    void markValueSaving(const ValueRef &ref) override;
    void markValueSaved(const ValueRef &ref, const QString &etag, std::optional<int> minutes) override;
    void markValueStatus(const ValueRef &ref, RowStatus status, const QString &message) override;
    RowStatus valueStatus(const ValueRef &ref) const override;

    // A workstream's value of a setting, as the server holds it.
    static std::optional<int> minutesOf(const Workstream &workstream, TimerSetting setting);
    static void setMinutes(Workstream &workstream, TimerSetting setting, std::optional<int> minutes);

private:
    struct ValueState
    {
        RowStatus status = RowStatus::Unchanged;
        QString message;
    };
    std::optional<int> shownMinutes(int row, TimerSetting setting) const;
    RowStatus statusOf(int row, TimerSetting setting) const;
    RowStatus rowStatus(int row) const; // the one that most needs the user, of the row's two values
    QString risks(int row, TimerSetting setting) const;
    QVariant displayData(int row, int column) const;
    QVariant toolTipData(int row, int column) const;
    QVariant sortData(int row, int column) const;
    QString statusText(int row) const;
    void rowChanged(int row);

    QList<Workstream> m_workstreams;
    QHash<ValueRef, PendingEdit> m_pending;
    QHash<ValueRef, ValueState> m_states;
    bool m_readOnly = false;
};
