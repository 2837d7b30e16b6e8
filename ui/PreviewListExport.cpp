#include "ui/PreviewListExport.h"

#include "app/preview/ListExport.h"

#include <QDir>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {
constexpr int ShowAfterMs = 1000; // a quick export shows no dialog: it would only flash
constexpr int RefreshMs = 100;
} // namespace

PreviewListExport::PreviewListExport(DataverseClient *client, PreviewScenario scenario, QWidget *window)
    : QObject(window)
    , m_client(client)
    , m_scenario(std::move(scenario))
    , m_window(window)
    , m_refresh(new QTimer(this))
{
    m_refresh->setInterval(RefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &PreviewListExport::showProgress);
}

PreviewListExport::~PreviewListExport()
{
    delete m_dialog;
}

void PreviewListExport::start(const QString &path)
{
    m_path = path;
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly)) {
        end(false,
            tr("The list was not exported: %1 cannot be written (%2). Choose another folder or file name.")
                .arg(QDir::toNativeSeparators(path), m_file.errorString()),
            true);
        return;
    }

    m_dialog = new QProgressDialog(tr("Reading the conversations…"), tr("Cancel"), 0, 0, m_window);
    m_dialog->setObjectName(u"exportListProgress"_s);
    m_dialog->setWindowTitle(tr("Export List"));
    m_dialog->setWindowModality(Qt::WindowModal); // the preview stays as it is while its list is written
    m_dialog->setAutoClose(false);
    m_dialog->setAutoReset(false);
    m_dialog->setValue(0); // at its minimum, so that the next line times the showing from now
    m_dialog->setMinimumDuration(ShowAfterMs);
    connect(m_dialog, &QProgressDialog::canceled, this, &PreviewListExport::cancel);

    const auto format =
        path.endsWith(u".json"_s, Qt::CaseInsensitive) ? ListExport::Format::Json : ListExport::Format::Csv;
    m_export = new ListExport(m_client, m_scenario, format, this);
    if (!m_counts.isEmpty())
        m_export->setCounts(m_counts);
    if (m_options)
        m_export->setReaderOptions(*m_options);
    m_refresh->start();
    m_export->start(
        &m_file, this,
        [this](ListExport::Progress progress) {
            // Only noted: the dialog's setValue runs an event loop when modal, which must not run inside the export.
            m_written = progress.written;
            m_expected = progress.expected;
        },
        [this](Result<qint64> written) {
            if (!written) {
                discard();
                // A refused write is the disk's (ListExport reports it as bad input); anything else the environment's.
                const bool local = written.error().kind == Error::Kind::BadInput;
                end(false,
                    (local ? tr("The list was not exported: %1\nNo file was written (a file of that name is left as "
                                "it was).")
                           : tr("The list was not exported: %1\nNo file was written (a file of that name is left as "
                                "it was). Export again once the environment answers."))
                        .arg(written.error().describe()),
                    true);
                return;
            }
            m_written = written.value();
            if (!m_file.commit()) {
                end(false,
                    tr("The list was not exported: %1 cannot be saved (%2). Choose another folder or file name.")
                        .arg(QDir::toNativeSeparators(m_path), m_file.errorString()),
                    true);
                return;
            }
            // The plural follows the number; the text shows it formatted ("1,234").
            const int plural = int(std::min<qint64>(m_written, INT_MAX));
            end(true,
                tr("Exported %1 conversation(s) to %2.", nullptr, plural)
                    .arg(QLocale().toString(m_written), QDir::toNativeSeparators(m_path)),
                false);
        });
}

void PreviewListExport::showProgress()
{
    if (!m_dialog)
        return;
    // Rows from the counts are "about": a conversation on several channels is counted under each configuration.
    const qint64 expected = m_expected.value_or(0);
    if (expected > 0) {
        const int maximum = int(std::min<qint64>(expected, INT_MAX));
        const int value = int(std::min<qint64>(m_written, maximum));
        m_dialog->setLabelText(tr("Conversations written: %1 of about %2")
                                   .arg(QLocale().toString(m_written), QLocale().toString(expected)));
        m_dialog->setMaximum(maximum);
        // Not before it shows by itself after a second: setValue() would show it as soon as it guessed the export
        // takes longer, which a slow first page makes it guess.
        if (m_dialog->isVisible())
            m_dialog->setValue(value);
    } else {
        m_dialog->setLabelText(tr("Conversations written: %1").arg(QLocale().toString(m_written)));
    }
}

void PreviewListExport::cancel()
{
    if (m_ended)
        return;
    if (m_export)
        m_export->cancel();
    discard();
    end(false, tr("Export cancelled: no file was written."), false);
}

void PreviewListExport::discard()
{
    // cancelWriting() makes commit() drop the temporary file at once, leaving the target as it was.
    m_file.cancelWriting();
    (void)m_file.commit();
}

void PreviewListExport::end(bool ok, const QString &message, bool warn)
{
    if (m_ended)
        return;
    m_ended = true;
    m_refresh->stop();
    if (m_dialog) {
        m_dialog->disconnect(this); // closing it emits canceled()
        m_dialog->hide();
        m_dialog->deleteLater();
    }
    Q_EMIT finished(ok, m_written, message);
    // The warning waits for the event loop: this may run inside the export's callback, which must not block.
    QMetaObject::invokeMethod(
        this,
        [this, warn, message] {
            if (warn && m_window) {
                QMessageBox box(QMessageBox::Warning, tr("Export List"), message, QMessageBox::Close, m_window);
                box.setObjectName(u"exportListFailed"_s);
                box.exec();
            }
            deleteLater();
        },
        Qt::QueuedConnection);
}
