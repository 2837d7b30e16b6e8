// MainWindow's two views of the configurations — the overview grid and the details list — and the one selection they
// share: which view is shown, keeping their selections in step, the records selected, the value editor open in either,
// and room for the whole overview.
#include "ui/MainWindow.h"

#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "ui/ConfigProxyModel.h"
#include "ui/DurationDelegate.h"
#include "ui/OverviewGrid.h"
#include "ui/PreviewPanel.h"
#include "ui/WorkstreamsView.h"

#include <QAction>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>

#include <algorithm>

MainWindow::View MainWindow::view() const
{
    switch (m_views->currentIndex()) {
    case 0:
        return View::Overview;
    case 1:
        return View::Details;
    default:
        return View::Workstreams;
    }
}

QTableView *MainWindow::currentView() const
{
    switch (view()) {
    case View::Overview:
        return m_overview;
    case View::Details:
        return m_view;
    case View::Workstreams:
        break;
    }
    return m_workstreamsView->table();
}

void MainWindow::setView(View view)
{
    const bool hadFocus = currentView()->hasFocus();
    if (view == View::Details && m_views->currentIndex() == 0) {
        // The selection comes along: a record the filter hides would be left out of it, so the filter goes.
        for (const QString &id : m_overview->selectedIds()) {
            if (!m_proxy->mapFromSource(m_model->index(m_model->rowOf(id), 0)).isValid()) {
                m_filter->clear();
                break;
            }
        }
        syncSelection(true);
    }
    m_views->setCurrentIndex(view == View::Overview ? 0 : view == View::Details ? 1 : 2);
    (view == View::Overview      ? m_overviewAction
         : view == View::Details ? m_detailsAction
                                 : m_workstreamsAction)
        ->setChecked(true);
    if (hadFocus || isActiveWindow())
        currentView()->setFocus(Qt::OtherFocusReason);
    updateActions();
    updateStatus();
}

void MainWindow::syncSelection(bool fromOverview)
{
    // One selection in two views: what is selected in one is selected in the other.
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    if (fromOverview) {
        const QStringList ids = m_overview->selectedIds();
        QItemSelection rows;
        QModelIndex first;
        for (const QString &id : ids) {
            const QModelIndex row = m_proxy->mapFromSource(m_model->index(m_model->rowOf(id), 0));
            if (!row.isValid())
                continue; // filtered out of the list
            if (!first.isValid())
                first = row;
            rows.select(row, row.siblingAtColumn(ConfigTableModel::ColumnCount - 1));
        }
        if (first.isValid())
            m_view->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_view->selectionModel()->select(rows, QItemSelectionModel::ClearAndSelect);
    } else {
        QStringList ids;
        for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
            ids << index.data(ConfigTableModel::IdRole).toString();
        m_overview->selectIds(ids);
    }
    m_syncingSelection = false;
}

void MainWindow::fitOverview()
{
    // Until the user has placed the splitter: room for every channel of the overview, the rest for the preview.
    if (m_splitRestored)
        return;
    const int total = m_split->height();
    // The legend's height at the width it has (a few pixels more: a label's estimate can fall short by a line's
    // leading).
    const int legend = m_legend->heightForWidth(m_views->width()) + 4;
    const int wanted = m_overview->sizeHint().height() + m_views->widget(0)->layout()->spacing() + legend;
    const int preview = std::max(m_preview->minimumSizeHint().height(), total - wanted);
    m_split->setSizes({total - preview, preview});
}

std::pair<DurationLineEdit *, DurationDelegate *> MainWindow::openEditor() const
{
    // A closed editor lingers hidden until it is deleted.
    const std::pair<QTableView *, DurationDelegate *> views[] = {{m_overview, m_gridDelegate}, {m_view, m_delegate}};
    for (const auto &[view, delegate] : views) {
        for (auto *editor : view->viewport()->findChildren<DurationLineEdit *>()) {
            if (editor->isVisible())
                return {editor, delegate};
        }
    }
    return m_workstreamsView->openEditor();
}

QStringList MainWindow::selectedIds() const
{
    if (view() == View::Workstreams)
        return {}; // channel-state records only; the workstreams' values are WorkstreamsView::selectedValues
    if (view() == View::Overview)
        return m_overview->selectedIds();
    QStringList ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids << index.data(ConfigTableModel::IdRole).toString();
    if (ids.isEmpty() && m_view->currentIndex().isValid())
        ids << m_view->currentIndex().data(ConfigTableModel::IdRole).toString();
    return ids;
}

void MainWindow::editSelected()
{
    if (this->view() == View::Workstreams) {
        m_workstreamsView->editCurrent();
        return;
    }
    QTableView *view = currentView();
    const QModelIndex current = view->currentIndex();
    if (!current.isValid() || m_model->isReadOnly())
        return;
    // In the details, the row's value, its one editable column; in the overview, the cell itself (an empty cell
    // has nothing to edit).
    const QModelIndex value = view == m_view ? current.siblingAtColumn(ConfigTableModel::AutoClose) : current;
    view->setCurrentIndex(value);
    view->edit(value);
}
