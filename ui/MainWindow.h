#pragma once

#include "models/Result.h"

#include <QMainWindow>

class ConfigTableModel;
class DataverseClient;
class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QFrame;

// The editor's window: one environment's channel-state configurations in a sortable, filterable table.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    // client is not owned and must outlive the window. demo marks the built-in Demo environment.
    MainWindow(DataverseClient *client, const QString &environmentName, bool demo, QWidget *parent = nullptr);
    ~MainWindow() override;

    ConfigTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void loadFinished(bool ok);

private:
    void showError(const Error &error);
    void updateStatus();

    DataverseClient *m_client;
    QString m_environmentName;
    ConfigTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QFrame *m_errorBanner;
    QLabel *m_errorText;
    QLabel *m_countLabel;
    QProgressBar *m_busy;
    QAction *m_refreshAction;
    bool m_loading = false;
};
