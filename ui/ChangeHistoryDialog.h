#pragma once

#include "app/dataverse/ChangeHistoryReader.h"
#include "models/ChangeHistory.h"
#include "models/TimerSetting.h"

#include <QDialog>
#include <QPointer>
#include <QSet>

class DataverseClient;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

// The environment's own history of one value (Edit → Change History…): who changed it, when, and from what to what,
// newest first, read from Dataverse's audit history a page at a time ("Load more"). When there is none to read —
// auditing off for the environment, the table or the column, or the privilege to read it missing — it says which and
// who can change it instead of showing an empty list (docs/change-history.md). Not the local log of what this
// computer applied (HistoryDialog), which its "This computer's log…" button opens.
//
// Non-modal: it stays open beside the window, and showFor() points it at another value.
class ChangeHistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeHistoryDialog)
public:
    // client is not owned and must outlive the dialog.
    explicit ChangeHistoryDialog(DataverseClient *client, QWidget *parent = nullptr);
    ~ChangeHistoryDialog() override;

    static constexpr int DefaultPageSize = 50;
    // Changes read at a time (1 to ChangeHistoryReader::MaxPageSize); for the next read.
    void setPageSize(int changes);
    int pageSize() const { return m_pageSize; }

    // Shows the history of ref (label names it for people: "Live Chat · Open", a workstream's name), reading it
    // afresh, and brings the dialog to the front.
    void showFor(const ValueRef &ref, const QString &label);
    ValueRef value() const { return m_ref; }
    bool isBusy() const;

    QTableWidget *table() const { return m_table; }
    QLabel *message() const { return m_message; } // why there is no history, an error, or a note
    QLabel *heading() const { return m_heading; }
    QLabel *countLabel() const { return m_count; }
    QPushButton *loadMoreButton() const { return m_loadMore; }
    QProgressBar *busyIndicator() const { return m_busy; }

public Q_SLOTS:
    void reload();
    void loadMore();

Q_SIGNALS:
    // A read has ended (the first page, or one more): ok when it has shown history or said why there is none.
    void readFinished(bool ok);

private:
    void startRead();
    void setBusy(bool busy);
    void showUnavailable(const ChangeHistory::AuditState &state);
    void showError(const Error &error);
    void append(const ChangeHistory::Page &page);
    void updateCount();
    void openLocalLog();

    DataverseClient *m_client;
    ChangeHistoryReader m_reader;
    ValueRef m_ref;
    QString m_label;
    int m_pageSize = DefaultPageSize;
    int m_pagesRead = 0;
    QSet<QString> m_shown; // the audit ids of the rows shown
    bool m_more = false;
    std::optional<qint64> m_total;
    QPointer<QObject> m_generation; // the context of the reads under way; replaced to drop their replies
    QLabel *m_heading;
    QProgressBar *m_busy;
    QLabel *m_message;
    QTableWidget *m_table;
    QLabel *m_count;
    QPushButton *m_loadMore;
    QPushButton *m_reload;
};
