// MainWindow's loading of an environment: the configurations, then the workstreams (before the journal of unsaved
// edits, which holds edits of both, is read back), what the signed-in user may write, and the columns' ranges.
#include "ui/MainWindow.h"

#include "app/common/PrivateFiles.h"
#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/WorkstreamTableModel.h"
#include "ui/Actions.h"
#include "ui/Banner.h"
#include "ui/ChangeHistoryDialog.h"
#include "ui/ConfigProxyModel.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EditCommands.h"
#include "ui/OverviewGrid.h"
#include "ui/PreviewPanel.h"
#include "ui/RecoveryMessage.h"
#include "ui/SaveConfirmDialog.h"
#include "ui/WorkstreamsView.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcUi)

void MainWindow::refresh()
{
    if (m_loading || m_session->isSaving())
        return;
    m_loading = true;
    updateActions();
    m_busy->show();
    m_countLabel->setText(tr("Loading…"));
    m_client->fetchConfigurations(this, [this](Result<QList<ChannelStateConfig>> configs) {
        if (!configs) {
            m_loading = false;
            m_busy->hide();
            qCWarning(lcUi).noquote() << "load failed:" << configs.error().describe();
            showLoadError(configs.error());
            updateStatus();
            updateActions();
            Q_EMIT loadFinished(false);
            return;
        }
        m_errorBanner->hide();
        qCInfo(lcUi) << "loaded" << configs.value().size() << "configurations from" << m_client->orgUrl().host();
        // The workstreams next. At the first load both tables are shown together, once both are read, and the
        // journal (which holds edits of both) is read back at once: no value can be typed before the journal is
        // back and written again, and none is taken for an edit of a record that no longer exists.
        QList<ChannelStateConfig> held;
        QList<PendingEdit> gone;
        if (m_loadedOnce)
            gone = m_model->reset(std::move(configs).value());
        else
            held = std::move(configs).value();
        loadWorkstreams([this, gone, held = std::move(held)](bool ok) mutable {
            m_loading = false;
            m_busy->hide();
            if (!m_loadedOnce && ok)
                gone = m_model->reset(std::move(held));
            if (!ok && !m_loadedOnce) {
                updateStatus();
                updateActions();
                Q_EMIT loadFinished(false);
                return;
            }
            if (!gone.isEmpty()) {
                statusBar()->showMessage(
                    tr("%n unsaved edit(s) dropped: the record no longer exists in the environment.", nullptr,
                       int(gone.size())),
                    15000);
            }
            if (!m_loadedOnce) {
                m_loadedOnce = true;
                firstLoad();
                fitOverview();
            }
            int changed = 0;
            for (const PendingEdit &edit : m_model->pendingEdits())
                changed += m_model->status(edit.id) == ConfigTableModel::RowStatus::ServerChanged ? 1 : 0;
            for (const PendingEdit &edit : m_workstreams->pendingEdits())
                changed += m_workstreams->valueStatus(edit.ref()) == ConfigTableModel::RowStatus::ServerChanged ? 1 : 0;
            if (changed > 0) {
                statusBar()->showMessage(tr("%n of your unsaved edits were changed on the server meanwhile; saving "
                                            "them will ask which value to keep.",
                                            nullptr, changed),
                                         15000);
            }
            updateStatus();
            updateActions();
            Q_EMIT loadFinished(true);
        });
    });
}

void MainWindow::loadWorkstreams(std::function<void(bool ok)> done)
{
    m_client->fetchWorkstreams(this, [this, done = std::move(done)](Result<QList<Workstream>> workstreams) {
        if (!workstreams) {
            // The configurations are shown all the same; the workstreams' view says why it is empty.
            qCWarning(lcUi).noquote() << "workstreams not loaded:" << workstreams.error().describe();
            m_retrySave = false;
            m_errorBanner->button()->setText(tr("&Retry"));
            m_errorBanner->showMessage(tr("Could not load the workstreams; their timers are not shown. %1")
                                           .arg(workstreams.error().describe().toHtmlEscaped()));
            Q_EMIT workstreamsLoaded(false);
            done(false);
            return;
        }
        const QList<PendingEdit> gone = m_workstreams->reset(std::move(workstreams).value());
        if (!gone.isEmpty()) {
            statusBar()->showMessage(tr("%n unsaved edit(s) dropped: the record no longer exists in the environment.",
                                        nullptr, int(gone.size())),
                                     15000);
        }
        Q_EMIT workstreamsLoaded(true);
        done(true);
    });
}

void MainWindow::firstLoad()
{
    showRecovery(m_session->recoverJournal());
    m_client->fetchPrivileges(this, [this](Result<QSet<QString>> privileges) {
        // When the privileges cannot be read, editing stays on: the save itself will say if it is refused.
        const bool writable =
            !privileges.ok() || privileges.value().contains(u"prvWritemsdyn_occhannelstateconfiguration"_s);
        m_workstreamsReadOnly = privileges.ok() && !privileges.value().contains(u"prvWritemsdyn_liveworkstream"_s);
        m_model->setReadOnly(!writable);
        m_workstreams->setReadOnly(m_workstreamsReadOnly);
        if (!writable || m_workstreamsReadOnly) {
            QStringList tables;
            if (!writable)
                tables << tr("Channel State Configuration");
            if (m_workstreamsReadOnly)
                tables << tr("Work Stream");
            m_readOnlyBanner->showMessage(
                (!writable && m_workstreamsReadOnly ? tr("<b>You can view these values but not change them.</b>")
                     : !writable ? tr("<b>You can view the channel-state values but not change them.</b>")
                                 : tr("<b>You can view the workstreams' timers but not change them.</b>")) +
                u' ' +
                tr("Your security role lacks the Write privilege on %1 records. Ask an administrator for a role that "
                   "has it (the Omnichannel Administrator role does not).")
                    .arg(tables.join(tr(" and "))));
        }
        updateActions();
        Q_EMIT permissionsKnown(writable);
    });
    m_client->fetchMinutesRange(this, [this](Result<WebApiReply::ColumnRange> range) {
        if (range) {
            const Duration::Range allowed {range.value().minValue, range.value().maxValue};
            m_delegate->setRange(allowed);
            m_gridDelegate->setRange(allowed);
        }
    });
    for (TimerSetting setting : {TimerSetting::Inactivity, TimerSetting::WrapUpBlock}) {
        m_client->fetchRange(setting, this, [this, setting](Result<WebApiReply::ColumnRange> range) {
            if (range)
                m_workstreamsView->setRange(setting, {range.value().minValue, range.value().maxValue});
        });
    }
}

void MainWindow::showRecovery(const EditSession::Recovery &recovery)
{
    if (!recovery.any())
        return;
    // With nothing restored the banner's button only dismisses it (discarding nothing).
    m_restoredBanner->button()->setText(recovery.restored > 0 ? tr("&Discard them") : tr("&Dismiss"));
    m_restoredBanner->showMessage(RecoveryMessage::text(recovery, m_session->journalPath()));
}

void MainWindow::showLoadError(const Error &error)
{
    m_retrySave = false;
    m_errorBanner->button()->setText(tr("&Retry"));
    m_errorBanner->showMessage(tr("Could not load the configurations. %1").arg(error.describe().toHtmlEscaped()));
}
