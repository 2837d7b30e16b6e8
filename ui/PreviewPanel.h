#pragma once

#include "app/preview/ClosurePreview.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>

class ConfigTableModel;
class DataverseClient;
class PreviewListModel;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTimer;

// Under the table: which live conversations the saved values and the pending edits would close, counted and listed
// by the server, updated (debounced) as the user edits, with its assumptions always on screen.
class PreviewPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewPanel)
public:
    PreviewPanel(DataverseClient *client, ConfigTableModel *configs, QWidget *parent = nullptr);
    ~PreviewPanel() override;

    PreviewListModel *listModel() const { return m_list; }
    QTableView *listView() const { return m_listView; }
    QTableWidget *countsTable() const { return m_counts; }
    QComboBox *timeChoice() const { return m_when; }
    QComboBox *basisChoice() const { return m_basis; }
    QDateTimeEdit *customTime() const { return m_custom; }
    QLabel *summary() const { return m_summary; }
    QLabel *waiting() const { return m_waiting; }
    // The last counts, and whether they match the current edits and settings.
    const QList<ClosurePreview::Impact> &impacts() const { return m_impacts; }
    // When the preview is for now: per edited configuration, how many conversations the edit would close at the
    // closing job's next run, as a risk note for the table; empty otherwise.
    QHash<QString, QString> nextRunNotes() const;
    bool isCurrent() const { return m_current; }
    // Whether the preview is for now (rather than a later time).
    bool isNow() const;
    // "https://<org>/main.aspx?pagetype=entityrecord&etn=msdyn_ocliveworkitem&id=<activityid>"
    QUrl recordUrl(const QString &activityId) const;

public Q_SLOTS:
    // Recomputes soon (edits come in bursts); now() recomputes at once.
    void schedule();
    void update();

Q_SIGNALS:
    // Counts (and the first page of the list) are in for the current edits and settings.
    void updated(bool ok);

private:
    QDateTime previewTime() const;
    void showCounts(const PreviewScenario &scenario);
    void showAssumptions();
    void openSelected();

    DataverseClient *m_client;
    ConfigTableModel *m_configs;
    PreviewListModel *m_list;
    QTableView *m_listView;
    QTableWidget *m_counts;
    QComboBox *m_when;
    QDateTimeEdit *m_custom;
    QComboBox *m_basis;
    QSpinBox *m_interval;
    QLabel *m_assumptions;
    QLabel *m_summary;
    QLabel *m_timeline;
    QLabel *m_waiting;
    QTimer *m_debounce;
    QPointer<QObject> m_generation; // every callback of one preview run is tied to it; replaced on each run
    std::unique_ptr<ClosurePreview::Lister> m_lister;
    QList<ClosurePreview::Impact> m_impacts;
    bool m_current = false;
};
