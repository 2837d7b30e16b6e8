#pragma once

#include "models/ChannelStateConfig.h"
#include "models/EditableTableModel.h"
#include <QHash>
#include <QList>

// The channel-state configurations of one environment, one row each, in human units, with the user's pending edits
// on top and what became of each record's last save.
class ConfigTableModel final : public EditableTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigTableModel)
public:
    enum Column { Channel, State, AutoClose, Default, Modified, Status, ColumnCount };

    explicit ConfigTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // EditRole on AutoClose: minutes as int, an invalid QVariant for "never". Makes (or drops) a pending edit.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // After a load: replaces every row. Pending edits stay on the records that still exist (flagged when the
    // server's value changed meanwhile); the ones whose record is gone are returned.
    QList<PendingEdit> reset(QList<ChannelStateConfig> configs);
    const QList<ChannelStateConfig> &configs() const { return m_configs; }
    int rowOf(const QString &id) const override;
    const ChannelStateConfig *config(const QString &id) const;
    // How messages name a record: "Live chat · Open"; the id when it is not here.
    QString label(const QString &id) const;
    // Replaces one record with what the server now holds (after a conflict), keeping its pending edit.
    void updateConfig(const ChannelStateConfig &config);

    // The user's edits. setPending makes an edit over the current server version (or keeps the version of an
    // earlier edit of the same record); a value equal to the server's drops the edit.
    void setPending(const QString &id, std::optional<int> minutes);
    void clearPending(const QString &id);
    void clearAllPending();
    std::optional<PendingEdit> pending(const QString &id) const;
    QList<PendingEdit> pendingEdits() const override; // in row order
    bool hasPendingEdits() const override { return !m_pending.isEmpty(); }
    // Restores edits (from the journal) exactly as they were, versions included; returns those whose record is
    // not here.
    QList<PendingEdit> restorePending(const QList<PendingEdit> &edits) override;
    // Moves an edit onto the record's current server version: the user has seen the colleague's value and keeps
    // theirs over it.
    void rebase(const QString &id);

    // What became of a save: the new version and value, with the pending edit gone; or a refusal (Conflict, Failed),
    // or a status found otherwise (Saved, when the next start finds an interrupted save on the server), with why.
    void markSaving(const QString &id);
    void markSaved(const QString &id, const QString &etag, std::optional<int> minutes);
    void markStatus(const QString &id, RowStatus status, const QString &message);
    RowStatus status(const QString &id) const;

    // Without the privilege to write, nothing is editable.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    // EditableTableModel: every value here is a channel-state value (TimerSetting::ChannelState), named by its id.
    bool holds(TimerSetting setting) const override { return setting == TimerSetting::ChannelState; }
    std::optional<ServerValue> serverValue(const ValueRef &ref) const override;
    QString valueLabel(const ValueRef &ref) const override { return label(ref.id); }
    std::optional<PendingEdit> pendingEdit(const ValueRef &ref) const override { return pending(ref.id); }
    void setPendingValue(const ValueRef &ref, std::optional<int> minutes) override { setPending(ref.id, minutes); }
    void dropPending(const ValueRef &ref) override { clearPending(ref.id); }
    void rebaseValue(const ValueRef &ref) override { rebase(ref.id); }
    void markValueSaving(const ValueRef &ref) override { markSaving(ref.id); }
    void markValueSaved(const ValueRef &ref, const QString &etag, std::optional<int> minutes) override
    {
        markSaved(ref.id, etag, minutes);
    }
    void markValueStatus(const ValueRef &ref, RowStatus status, const QString &message) override
    {
        markStatus(ref.id, status, message);
    }
    RowStatus valueStatus(const ValueRef &ref) const override { return status(ref.id); }

private:
    struct RowState
    {
        RowStatus status = RowStatus::Unchanged;
        QString message;
    };
    QVariant displayData(int row, int column) const;
    QVariant toolTipData(int row, int column) const;
    QVariant sortData(int row, int column) const;
    std::optional<int> shownMinutes(int row) const;
    RowStatus rowStatus(int row) const;
    QString risks(int row) const;
    void rowChanged(int row);

    QList<ChannelStateConfig> m_configs;
    QHash<QString, PendingEdit> m_pending;
    QHash<QString, RowState> m_states; // the outcome of the last save, per record
    bool m_readOnly = false;
};
