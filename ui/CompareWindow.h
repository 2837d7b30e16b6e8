#pragma once

#include "models/SnapshotDiff.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class SnapshotDiffModel;

// Two sides' values side by side — the channel-state records, then the workstreams' values — the differences coloured
// and filterable (by kind, and by text). When the right side is the window's environment and the left a snapshot, it
// offers to apply the left side.
class CompareWindow final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareWindow)
public:
    enum class Show { Differences, Changed, OnlyLeft, OnlyRight, Ambiguous, Everything };

    explicit CompareWindow(QWidget *parent = nullptr);

    // While a side is being read: a message instead of the table.
    void setBusy(const QString &message);
    void setFailed(const QString &message);
    void setComparison(const SnapshotDiff &diff, const QString &leftLabel, const QString &rightLabel);
    // The apply button, with its text; hidden when text is empty.
    void offerApply(const QString &text);

    void setShown(Show show);
    SnapshotDiffModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QComboBox *showFilter() const { return m_show; }
    QLineEdit *textFilter() const { return m_text; }
    QLabel *summary() const { return m_summary; }
    QPushButton *applyButton() const { return m_apply; }

Q_SIGNALS:
    void applyRequested();

private:
    SnapshotDiffModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QComboBox *m_show;
    QLineEdit *m_text;
    QLabel *m_summary;
    QPushButton *m_apply;
};
