#include "ui/OverviewGrid.h"

#include "models/ChannelGridModel.h"
#include "ui/ConfigProxyModel.h"
#include "ui/Palette.h"

#include <QApplication>
#include <QHeaderView>
#include <QPainter>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int HorizontalPadding = 8;
constexpr int VerticalPadding = 5;
constexpr int AccentWidth = 3;

using Marks = ChannelGridModel::Marks;

QFont noteFont(const QFont &base)
{
    QFont font = base;
    const qreal size = QFontInfo(base).pointSizeF();
    font.setPointSizeF(std::max<qreal>(7.0, size * 0.88));
    return font;
}

QFont valueFont(const QFont &base, Marks marks)
{
    QFont font = base;
    font.setBold(marks.testFlag(ChannelGridModel::Edited));
    font.setItalic(marks.testFlag(ChannelGridModel::NoRecord));
    return font;
}

// The colour of what sets a cell apart: its accent bar and its note. Invalid: none (the note is placeholder grey).
QColor markColor(Marks marks)
{
    if (marks & ChannelGridModel::SaveFailed)
        return Palette::color(Palette::Role::Error);
    if (marks & (ChannelGridModel::Edited | ChannelGridModel::ChangedOnServer | ChannelGridModel::Saving))
        return Palette::color(Palette::Role::Information);
    if (marks & ChannelGridModel::Saved)
        return Palette::color(Palette::Role::Success);
    if (marks & ChannelGridModel::DiffersFromDefault)
        return Palette::color(Palette::Role::Warning);
    return {};
}

QIcon sign(Marks marks, const QStyle *style)
{
    if (marks & ChannelGridModel::SaveFailed)
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    if (marks & ChannelGridModel::Risky)
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    return {};
}
} // namespace

void GridCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    const QString value = opt.text;
    // The style draws the cell's background, selection and focus; the text is drawn here, in two lines.
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~QStyleOptionViewItem::HasDecoration;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const Marks marks(index.data(ChannelGridModel::MarksRole).toInt());
    const QString note = index.data(ChannelGridModel::NoteRole).toString();
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    const QPalette::ColorGroup group =
        opt.state.testFlag(QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
    const QColor mark = markColor(marks);

    painter->save();
    if (mark.isValid())
        painter->fillRect(QRect(opt.rect.left() + 1, opt.rect.top() + 3, AccentWidth, opt.rect.height() - 6), mark);
    QRect area = opt.rect.adjusted(HorizontalPadding, VerticalPadding, -HorizontalPadding, -VerticalPadding);
    const QFont vFont = valueFont(opt.font, marks);
    const QFont nFont = noteFont(opt.font);
    const QFontMetrics vMetrics(vFont);
    const QFontMetrics nMetrics(nFont);
    const int block = vMetrics.height() + (note.isEmpty() ? 0 : nMetrics.height());
    area.setTop(area.top() + std::max(0, (area.height() - block) / 2));

    const QIcon icon = sign(marks, style);
    if (!icon.isNull()) {
        const int size = std::min(style->pixelMetric(QStyle::PM_SmallIconSize, &opt, widget), vMetrics.height());
        icon.paint(painter, QRect(area.left(), area.top() + (vMetrics.height() - size) / 2, size, size));
        area.setLeft(area.left() + size + 4);
    }
    QColor text = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    if (marks.testFlag(ChannelGridModel::NoRecord) && !selected)
        text = opt.palette.color(group, QPalette::PlaceholderText);
    painter->setFont(vFont);
    painter->setPen(text);
    painter->drawText(QRect(area.left(), area.top(), area.width(), vMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      vMetrics.elidedText(value, Qt::ElideRight, area.width()));
    if (!note.isEmpty()) {
        QColor noteColor = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
        if (mark.isValid() && !selected)
            noteColor = mark;
        painter->setFont(nFont);
        painter->setPen(noteColor);
        painter->drawText(QRect(area.left(), area.top() + vMetrics.height(), area.width(), nMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, nMetrics.elidedText(note, Qt::ElideRight, area.width()));
    }
    painter->restore();
}

QSize GridCellDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const Marks marks(index.data(ChannelGridModel::MarksRole).toInt());
    const QFontMetrics vMetrics(valueFont(opt.font, marks));
    const QFontMetrics nMetrics(noteFont(opt.font));
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    const int icon =
        sign(marks, style).isNull() ? 0 : style->pixelMetric(QStyle::PM_SmallIconSize, &opt, opt.widget) + 4;
    // The sign stands before both lines: the value and the note are drawn after it.
    const int width = icon +
        std::max(vMetrics.horizontalAdvance(opt.text),
                 nMetrics.horizontalAdvance(index.data(ChannelGridModel::NoteRole).toString()));
    // Every cell has room for a note, so rows keep one height whatever their cells say.
    return {width + 2 * HorizontalPadding, vMetrics.height() + nMetrics.height() + 2 * VerticalPadding};
}

QVariant OverviewGrid::IconProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical && role == Qt::DecorationRole) {
        return ConfigProxyModel::channelIcon(
            sourceModel()->headerData(section, orientation, ConfigTableModel::StreamSourceRole),
            sourceModel()->headerData(section, orientation).toString());
    }
    return QIdentityProxyModel::headerData(section, orientation, role);
}

OverviewGrid::OverviewGrid(ChannelGridModel *grid, GridCellDelegate *delegate, QWidget *parent)
    : QTableView(parent)
    , m_grid(grid)
    , m_proxy(new IconProxy(this))
{
    setObjectName(u"overviewGrid"_s);
    m_proxy->setSourceModel(grid);
    setModel(m_proxy);
    setItemDelegate(delegate);
    setAccessibleName(tr("Auto-close overview"));
    setAccessibleDescription(tr("One row per channel, one column per conversation state. Arrow keys move; F2, Enter "
                                "or typing edits the value; Ctrl+D resets it to Microsoft's default."));
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                    QAbstractItemView::AnyKeyPressed);
    setTabKeyNavigation(false); // Tab goes on to the next control; the arrows move between cells
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    horizontalHeader()->setHighlightSections(true);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    verticalHeader()->setHighlightSections(true);
}

QModelIndex OverviewGrid::toGrid(const QModelIndex &viewIndex) const
{
    return m_proxy->mapToSource(viewIndex);
}

QModelIndex OverviewGrid::fromGrid(const QModelIndex &gridIndex) const
{
    return m_proxy->mapFromSource(gridIndex);
}

QStringList OverviewGrid::selectedIds() const
{
    QStringList ids;
    QModelIndexList cells = selectionModel()->selectedIndexes();
    if (cells.isEmpty() && currentIndex().isValid())
        cells << currentIndex();
    std::sort(cells.begin(), cells.end()); // row by row, as the user reads them
    for (const QModelIndex &cell : std::as_const(cells)) {
        const QString id = cell.data(ConfigTableModel::IdRole).toString();
        if (!id.isEmpty())
            ids << id;
    }
    return ids;
}

void OverviewGrid::selectIds(const QStringList &ids)
{
    QItemSelection selection;
    QModelIndex first;
    for (const QString &id : ids) {
        const QModelIndex cell = fromGrid(m_grid->indexOf(id));
        if (!cell.isValid())
            continue;
        if (!first.isValid())
            first = cell;
        selection.select(cell, cell);
    }
    if (first.isValid())
        selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

QSize OverviewGrid::sizeHint() const
{
    // Tall enough for every channel without scrolling, when the window has the room.
    int rows = 0;
    for (int row = 0; row < model()->rowCount(); ++row)
        rows += std::max(sizeHintForRow(row), verticalHeader()->sectionSizeHint(row));
    const int height = horizontalHeader()->sizeHint().height() + rows + 2 * frameWidth();
    return {QTableView::sizeHint().width(), std::max(height, QTableView::sizeHint().height())};
}
