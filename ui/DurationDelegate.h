#pragma once

#include "models/Duration.h"

#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QStyledItemDelegate>

#include <functional>

class ConfigTableModel;

// The auto-close value's editor: a line edit that reads "45", "2h", "1d 12h", "never"…, with a hint under it that
// shows, while typing, the minutes it means and what is risky about them, or why it is refused and what is allowed.
class DurationLineEdit final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DurationLineEdit)
public:
    // hintParent: where the hint is shown (the view's viewport), so it may extend beyond the cell.
    DurationLineEdit(QWidget *parent, QWidget *hintParent, Duration::Range range,
                     std::function<QString(std::optional<int>)> risks);
    ~DurationLineEdit() override;

    Result<std::optional<int>> value() const;
    QLabel *hint() const { return m_hint; }
    // Shows the refusal more insistently, after the user tried to commit it.
    void insistOnHint();

protected:
    void moveEvent(QMoveEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void updateHint();
    void placeHint();

    Duration::Range m_range;
    std::function<QString(std::optional<int>)> m_risks;
    QPointer<QLabel> m_hint;
};

class DurationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DurationDelegate)
public:
    // How an accepted value reaches the model: the window pushes it on its undo stack.
    using Commit = std::function<void(const QModelIndex &index, std::optional<int> minutes)>;
    DurationDelegate(ConfigTableModel *source, Commit commit, QObject *parent = nullptr);
    // What is risky about a value typed into the cell at index, shown under the editor while typing.
    using Risks = std::function<QString(const QModelIndex &index, std::optional<int> minutes)>;
    DurationDelegate(Risks risks, Commit commit, QObject *parent = nullptr);

    void setRange(Duration::Range range) { m_range = range; }
    Duration::Range range() const { return m_range; }

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const override;

Q_SIGNALS:
    // A typed value was not taken (the editor lost focus while it was invalid): why, for the status bar.
    void refused(const QString &message) const;

protected:
    bool eventFilter(QObject *object, QEvent *event) override;

private:
    Risks m_risks;
    Commit m_commit;
    Duration::Range m_range;
};
