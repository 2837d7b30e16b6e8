#pragma once

#include "models/Duration.h"
#include "models/TimerSetting.h"

#include <QList>
#include <QWidget>

#include <functional>
#include <optional>

class ConfigProxyModel;
class DurationDelegate;
class DurationLineEdit;
class QLabel;
class QLineEdit;
class QTableView;
class WorkstreamTableModel;

// The window's third view: the workstreams and their two timers (docs/closing-rule.md), edited in place like the
// channel-state values — the same editor, risks and undo — with a filter, and a line saying what the timers do and
// what the product assumes of them.
class WorkstreamsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkstreamsView)
public:
    // How an accepted value reaches the model: the window pushes it on its undo stack.
    using Commit = std::function<void(const ValueRef &ref, std::optional<int> minutes)>;
    WorkstreamsView(WorkstreamTableModel *model, Commit commit, QWidget *parent = nullptr);

    QTableView *table() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }
    // The columns' allowed ranges, from the environment's metadata.
    void setRange(TimerSetting setting, Duration::Range range);
    // The values selected: the timer cells selected, else both timers of the selected rows.
    QList<ValueRef> selectedValues() const;
    // The value of the current cell (a row's inactivity when the current cell is not a timer).
    std::optional<ValueRef> currentValue() const;
    // Opens the editor on the current value; false when there is none.
    bool editCurrent();
    void editValue(const ValueRef &ref);
    // The value editor open in the view, and its delegate.
    std::pair<DurationLineEdit *, DurationDelegate *> openEditor() const;
    int shownRows() const;

Q_SIGNALS:
    // A typed value was not taken: why, for the status bar.
    void refused(const QString &message);
    void selectionChanged();

private:
    WorkstreamTableModel *m_model;
    ConfigProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    DurationDelegate *m_inactivity;
    DurationDelegate *m_block;
};
