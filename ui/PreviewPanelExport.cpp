// PreviewPanel's "Export list…": its button and action, where to write, and one PreviewListExport a run. Apart from
// PreviewPanel.cpp, which is long enough.
#include "ui/PreviewPanel.h"

#include "app/common/PrivateFiles.h"
#include "ui/PreviewListExport.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>
#include <QSettings>
#include <QTimer>

using namespace Qt::StringLiterals;

void PreviewPanel::setUpExport()
{
    // The button beside the summary, the action in the window's File menu, one shortcut for both.
    m_exportAction->setObjectName(u"exportListAction"_s);
    m_exportAction->setText(tr("Export Preview &List…"));
    m_exportAction->setShortcut(QKeySequence(u"Ctrl+Shift+L"_s));
    m_exportAction->setToolTip(
        tr("Write every conversation of the closure preview to a CSV or JSON file (Ctrl+Shift+L)"));
    m_exportAction->setEnabled(false); // until there is a preview
    connect(m_exportAction, &QAction::triggered, this, &PreviewPanel::exportList);
    connect(m_exportAction, &QAction::changed, this,
            [this] { m_exportButton->setEnabled(m_exportAction->isEnabled()); });
    addAction(m_exportAction);
    m_exportButton->setObjectName(u"exportListButton"_s);
    m_exportButton->setText(tr("E&xport list…"));
    m_exportButton->setToolTip(m_exportAction->toolTip());
    m_exportButton->setEnabled(false);
    connect(m_exportButton, &QPushButton::clicked, m_exportAction, &QAction::trigger);
}

void PreviewPanel::exportList()
{
    QSettings settings;
    QString folder = settings.value(u"preview/exportFolder"_s).toString();
    if (folder.isEmpty() || !QDir(folder).exists())
        folder = QDir::homePath();
    const QString suggested = QDir(folder).filePath(
        u"closure-preview-%1.csv"_s.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmm"_s)));
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Preview List"), suggested,
                                                      tr("CSV (*.csv);;JSON (*.json)"), &selected);
    if (path.isEmpty())
        return;
    settings.setValue(u"preview/exportFolder"_s, QFileInfo(path).absolutePath());
    PrivateFiles::syncPrivately(settings);
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(u"*.json"_s) ? u".json"_s : u".csv"_s;
    exportListTo(target);
}

void PreviewPanel::exportListTo(const QString &path)
{
    if (m_debounce->isActive())
        update(); // edits not yet previewed: the export is of what they make, as the panel will show
    if (!m_lister && m_readingWorkstreams && !m_exporting) {
        m_pendingExport = path; // the run starts once the workstreams are read: the export follows it
        return;
    }
    if (!m_lister || m_exporting)
        return;
    m_exporting = true;
    m_exportAction->setEnabled(false);
    auto *run = new PreviewListExport(m_client, m_lister->scenario(), window());
    if (m_current)
        run->setCounts(m_impacts); // for this very scenario: the dialog can say how many rows to expect
    run->setReaderOptions(m_exportOptions);
    connect(run, &PreviewListExport::finished, this, [this](bool ok, qint64 rows, const QString &message) {
        m_exporting = false;
        m_exportAction->setEnabled(m_lister != nullptr);
        Q_EMIT listExported(ok, rows, message);
    });
    run->start(path);
}
