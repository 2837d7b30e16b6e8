#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QTableWidget;

// The audit log (every applied change, from the window and the CLI), newest first; by default only the changes to
// the window's environment.
class HistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryDialog)
public:
    // environmentUrl: the window's environment; logPath: the audit log (default AuditLog::defaultPath()).
    explicit HistoryDialog(const QString &environmentUrl, const QString &logPath = {}, QWidget *parent = nullptr);

    void reload();
    QTableWidget *table() const { return m_table; }
    QCheckBox *onlyThisEnvironment() const { return m_onlyThis; }
    QLabel *summary() const { return m_summary; }

private:
    QString m_environmentUrl;
    QString m_logPath;
    QTableWidget *m_table;
    QCheckBox *m_onlyThis;
    QLabel *m_summary;
};
