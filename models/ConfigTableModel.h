#pragma once

#include "models/ChannelStateConfig.h"

#include <QAbstractTableModel>
#include <QList>

// The channel-state configurations of one environment, one row each, in human units.
class ConfigTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigTableModel)
public:
    enum Column { Channel, State, AutoClose, Default, Modified, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // a value that sorts naturally: minutes as numbers, "Never" last
        IdRole, // the record's id
        MinutesRole, // the configured minutes; an invalid QVariant for "never"
    };

    explicit ConfigTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // After a load: replaces every row.
    void reset(QList<ChannelStateConfig> configs);
    const QList<ChannelStateConfig> &configs() const { return m_configs; }

private:
    QVariant displayData(const ChannelStateConfig &config, int column) const;
    QVariant toolTipData(const ChannelStateConfig &config, int column) const;
    QVariant sortData(const ChannelStateConfig &config, int column) const;

    QList<ChannelStateConfig> m_configs;
};
