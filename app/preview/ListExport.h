#pragma once

#include "app/preview/ClosurePreview.h"
#include "app/preview/ParallelReader.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QIODevice;

// Writes the closure preview's whole list to a device as it is read — CSV or JSON, a page at a time — so that memory
// stays the same for ten rows or a million. The one export behind autoclose-cli's `preview --format csv|json` and
// the window's "Export list…". Big configurations are read in parallel time ranges (ParallelReader); rows come out
// in the list's order, exactly as Lister::fetchNext gives them.
//
// Asynchronous, for a GUI as for the CLI: start() returns at once, everything happens in the caller's event loop (no
// nested loop, no thread), and the callbacks are tied to a context object. From a window:
//
//     QSaveFile file(path);                         // whole or absent: commit() only after done says ok
//     file.open(QIODevice::WriteOnly);
//     auto *exporter = new ListExport(client, scenario, ListExport::Format::Csv, dialog);
//     exporter->setCounts(impacts);                 // optional: JSON's "counts" and the rows to expect
//     exporter->start(&file, dialog, [](ListExport::Progress p) { … p.written, p.expected … },
//                     [](Result<qint64> written) { written ? file.commit() : file.cancelWriting(); … });
//     Cancel: exporter->cancel() (or delete it, or its context): nothing is called back afterwards, and the caller
//     drops the file (QSaveFile::cancelWriting()).
//
// CSV: the header activityid,configuration,channel,state,eligibleSince,title and a row per conversation (RFC 4180
// quoting). JSON: {"at", "basis", "counts" (when set), "conversations": [{activityid, configuration, channel, state,
// eligibleSince}, …]}, counts first. A JSON row timed by its workstream's value rather than the configuration's
// (Waiting on persistent chat, SMS, social, Teams; Wrap-up on live chat: docs/closing-rule.md) also has `workstream`,
// that workstream's id; a count of such a configuration has `byWorkstream`, its counts per part
// (ClosurePreview::partsOf): [{workstreams: [{id, name}], others, minutes, count, capped}, …], `others` true for the
// conversations on no workstream or one timed as the configuration. When the scenario has edits (of a configuration
// or a workstream), each row also says what they change: a `change` column (CSV) or key (JSON) of closes,
// newly-closes or no-longer-closes, and each count and part its savedMinutes, newlyCloses and noLongerCloses; without
// edits (autoclose-cli) the output is exactly the columns and keys above.
class ListExport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListExport)
public:
    enum class Format { Csv, Json };
    struct Progress
    {
        qint64 written = 0; // rows written so far
        // Rows to expect, from the counts (setCounts), when every count is exact. About: a conversation on several
        // channels is counted under each configuration but listed once.
        std::optional<qint64> expected;
    };

    ListExport(DataverseClient *client, PreviewScenario scenario, Format format, QObject *parent = nullptr);

    // countImpact's counts for this scenario: written first in JSON, they also give Progress::expected and spare
    // the reader counting each configuration again. Optional; call before start().
    void setCounts(const QList<ClosurePreview::Impact> &counts);
    // The reader's page size and parallelism (tests use small pages).
    void setReaderOptions(const ParallelReader::Options &options) { m_options = options; }

    // Writes everything to device, which is open for writing and must stay so until done is called or the export
    // is cancelled. progress after each page written; done once: the rows written, or the error (the read's, or the
    // device's refusal of a write). Neither is called once context or this export is destroyed, or after cancel().
    void start(QIODevice *device, QObject *context, std::function<void(Progress)> progress,
               std::function<void(Result<qint64>)> done);
    // Stops reading; safe from within progress. Nothing is written or called back afterwards.
    void cancel();

    // The header or head of the document and its end, and one page of rows: what start() writes, for tests.
    QByteArray head() const;
    QByteArray tail() const;
    QByteArray format(const QList<PreviewRow> &rows, bool first) const;

private:
    QJsonObject partJson(const ClosurePreview::Impact::PartCount &part) const;
    bool write(const QByteArray &bytes);
    void finish(Result<qint64> result);

    DataverseClient *m_client;
    PreviewScenario m_scenario;
    Format m_format;
    ParallelReader::Options m_options;
    QList<ClosurePreview::Impact> m_counts;
    bool m_haveCounts = false;
    bool m_edited = false; // the scenario changes some value: rows and counts say what
    QHash<QString, qsizetype> m_configurationIndex; // id → index in scenario.edited

    QPointer<QIODevice> m_device;
    QPointer<QObject> m_context;
    std::function<void(Progress)> m_progress;
    std::function<void(Result<qint64>)> m_done;
    QPointer<ParallelLister> m_lister;
    qint64 m_written = 0;
    bool m_stopped = false;
};
