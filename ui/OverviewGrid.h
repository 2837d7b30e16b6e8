#pragma once

#include "ui/DurationDelegate.h"

#include <QIdentityProxyModel>
#include <QTableView>

class ChannelGridModel;

// The overview's cells: the value, and under it a few words of what sets it apart (edited, Microsoft's default when
// it differs, not saved, no record), with a warning or error sign for a risky or refused value. The words and signs
// make each kind of cell different without relying on colour; the colours come from Palette. Editing is
// DurationDelegate's: the same editor, validation and undo as the details list.
class GridCellDelegate final : public DurationDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GridCellDelegate)
public:
    using DurationDelegate::DurationDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

// The overview grid: one row per channel with its icon, one column per state. Arrows move, F2 or typing edits,
// Enter edits too; Tab leaves the grid (the arrows are how to move inside it).
class OverviewGrid final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewGrid)
public:
    OverviewGrid(ChannelGridModel *grid, GridCellDelegate *delegate, QWidget *parent = nullptr);

    ChannelGridModel *gridModel() const { return m_grid; }
    // Between the view's own indexes (through the proxy that adds channel icons) and the grid model's.
    QModelIndex toGrid(const QModelIndex &viewIndex) const;
    QModelIndex fromGrid(const QModelIndex &gridIndex) const;
    // The record ids of the selected cells (the current one when nothing is selected); empty cells have none.
    QStringList selectedIds() const;
    // Selects the cells that show these records, and makes the first current.
    void selectIds(const QStringList &ids);

    QSize sizeHint() const override;

private:
    // The channel icons of the row headers: a widget-side addition to the Qt Core grid model.
    class IconProxy final : public QIdentityProxyModel
    {
    public:
        using QIdentityProxyModel::QIdentityProxyModel;
        QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    };
    ChannelGridModel *m_grid;
    IconProxy *m_proxy;
};
