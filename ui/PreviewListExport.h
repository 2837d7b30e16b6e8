#pragma once

#include "app/preview/ClosurePreview.h"
#include "app/preview/ParallelReader.h"

#include <QObject>
#include <QPointer>
#include <QSaveFile>

#include <optional>

class ListExport;
class QProgressDialog;
class QTimer;
class QWidget;

// One run of the window's "Export list…": the preview's whole list written by ListExport (the one export, the CLI's
// too) into a QSaveFile, so that the file is whole or absent, with a progress dialog whose Cancel drops the run, and
// a message that says how it ended. Deletes itself once finished.
class PreviewListExport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewListExport)
public:
    PreviewListExport(DataverseClient *client, PreviewScenario scenario, QWidget *window);
    ~PreviewListExport() override;

    // The counts of this scenario, when the preview has them: the dialog then says how many rows to expect.
    void setCounts(const QList<ClosurePreview::Impact> &counts) { m_counts = counts; }
    void setReaderOptions(const std::optional<ParallelReader::Options> &options) { m_options = options; }

    // Writes the list to path: JSON for a name ending in .json, CSV otherwise. finished follows once.
    void start(const QString &path);
    // Drops the run: nothing more is read, and no file is written (one already there is left as it was).
    void cancel();

Q_SIGNALS:
    // rows: the rows written (into the file when ok; before the run stopped otherwise).
    void finished(bool ok, qint64 rows, const QString &message);

private:
    void showProgress();
    // Closes the dialog, tells the window (a warning box for a failure the user did not ask for), and goes.
    void end(bool ok, const QString &message, bool warn);
    void discard(); // the temporary file goes; the target is untouched

    DataverseClient *m_client;
    PreviewScenario m_scenario;
    QPointer<QWidget> m_window;
    QList<ClosurePreview::Impact> m_counts;
    std::optional<ParallelReader::Options> m_options;
    QSaveFile m_file;
    QString m_path;
    ListExport *m_export = nullptr;
    QPointer<QProgressDialog> m_dialog;
    QTimer *m_refresh; // the dialog follows the rows written a few times a second, not on every page
    qint64 m_written = 0;
    std::optional<qint64> m_expected;
    bool m_ended = false;
};
