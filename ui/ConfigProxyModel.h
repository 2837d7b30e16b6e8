#pragma once

#include <QHash>
#include <QIcon>
#include <QSortFilterProxyModel>

// Sorting and filtering of the configurations table, and what only a widget can show: channel icons, pending edits
// in bold, risky values with a warning sign, statuses in colours that suit the current (light or dark) palette.
class ConfigProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigProxyModel)
public:
    explicit ConfigProxyModel(QObject *parent = nullptr);
    // Which columns hold the channel and the status (ConfigTableModel's by default; the workstreams' differ). A value
    // column is one whose cells answer EditableTableModel::SettingRole.
    void setColumns(int channel, int status);
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // A round icon in the channel's colour with its initial, drawn at every device pixel ratio (no files needed).
    static QIcon channelIcon(const QVariant &streamSource, const QString &label);

private:
    mutable QHash<QString, QIcon> m_icons;
    int m_channelColumn;
    int m_statusColumn;
};
