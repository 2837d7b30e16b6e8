// The window's "Export list…", offscreen, on a sandbox of a few thousand conversations, through the real panel: the
// button (Alt+X) asks where and writes every conversation the preview lists, in its order; Cancel in the progress
// dialog leaves no file and an existing one as it was; a server error half-way leaves no file and says what to do.
#include "GuiTestSupport.h"
#include "PreviewSeed.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "app/preview/ClosurePreview.h"
#include "models/ConfigTableModel.h"
#include "ui/PreviewPanel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using GuiTestSupport::whenDialog;

namespace {
constexpr int Conversations = 3000; // about 1,000 listed a week ahead

// Every conversation the preview lists for scenario, in its order, read page after page by the preview core.
Result<QStringList> listedIds(DataverseClient *client, const PreviewScenario &scenario)
{
    ClosurePreview::Lister lister(client, scenario);
    QStringList ids;
    while (!lister.atEnd()) {
        std::optional<Result<QList<PreviewRow>>> page;
        QObject context;
        lister.fetchNext(200, &context, [&page](Result<QList<PreviewRow>> rows, bool) { page = std::move(rows); });
        if (!QTest::qWaitFor([&page] { return page.has_value(); }, 20000))
            return Error::badInput(u"a page did not arrive"_s);
        if (!*page)
            return page->error();
        for (const PreviewRow &row : page->value())
            ids << row.conversation.id;
    }
    return ids;
}

// The first field of each record of a CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks).
QStringList firstFields(const QString &csv)
{
    QStringList firsts;
    QString field;
    bool quoted = false;
    bool first = true;
    for (qsizetype i = 0; i < csv.size(); ++i) {
        const QChar c = csv.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < csv.size() && csv.at(i + 1) == u'"')
                field += c, ++i;
            else if (c == u'"')
                quoted = false;
            else
                field += c;
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',' || c == u'\n') {
            if (first)
                firsts << field;
            first = c == u'\n';
            field.clear();
        } else if (c != u'\r') {
            field += c;
        }
    }
    if (first && !field.isEmpty())
        firsts << field;
    return firsts;
}

// A preview a week ahead at a fixed time (whole seconds), so that the test lists what the panel does.
QDateTime weekAhead()
{
    const QDateTime at = QDateTime::currentDateTimeUtc().addDays(7);
    return QDateTime(at.date(), QTime(at.time().hour(), at.time().minute(), at.time().second()), Qt::UTC);
}

bool previewAt(PreviewPanel *panel, const QDateTime &at)
{
    QSignalSpy updated(panel, &PreviewPanel::updated);
    panel->customTime()->setDateTime(at.toLocalTime());
    panel->timeChoice()->setCurrentIndex(panel->timeChoice()->findData(-1)); // "At…"
    return updated.wait(20000) && updated.last().first().toBool() && panel->isCurrent();
}

QProgressDialog *exportDialog(QWidget *window)
{
    auto *dialog = window->findChild<QProgressDialog *>(u"exportListProgress"_s);
    return dialog && dialog->isVisible() ? dialog : nullptr;
}
} // namespace

class TestWindowExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The window keeps settings (the export's folder, the panes' sizes): in the tests' own, never the user's.
    void initTestCase() { QCoreApplication::setOrganizationName(u"AutoCloseEditorTests"_s); }
    void cleanup() { m_server.reset(); }

    // Alt+X asks where to write; the file has every conversation of the preview's list, in its order.
    void exportWritesEveryRow()
    {
        LocalSandbox::Options options;
        options.seed.conversations = Conversations;
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        // Small pages: the export reads many pages, and its big configurations in parallel time ranges.
        ParallelReader::Options small;
        small.pageSize = 40;
        panel->setExportReaderOptions(small);
        const QDateTime at = weekAhead();
        QVERIFY(previewAt(panel, at));
        // The workstreams time Waiting and Wrap-up conversations, as the window's preview reads them.
        const auto workstreams = readWorkstreams(*m_server->colleague);
        QVERIFY(workstreams.ok());
        const auto expected = listedIds(
            m_server->colleague.get(),
            PreviewScenario::make(window.model()->configs(), workstreams.value(), {}, at, ClosingRule::Basis::Created));
        QVERIFY2(expected.ok(), expected.ok() ? "" : qPrintable(expected.error().describe()));
        QVERIFY2(expected.value().size() > 500, qPrintable(QString::number(expected.value().size())));

        // In the File menu too, with its shortcut.
        QAction *action = panel->exportAction();
        QVERIFY(action->isEnabled() && panel->exportButton()->isEnabled());
        QCOMPARE(action->shortcut(), QKeySequence(u"Ctrl+Shift+L"_s));
        QVERIFY(window.menuBar()->actions().first()->menu()->actions().contains(action));

        QTemporaryDir out;
        const QString path = out.filePath(u"list.csv"_s);
        bool asked = false;
        whenDialog<QFileDialog>(this, [&asked, path](QFileDialog *dialog) {
            asked = true;
            // Typed into its file name box, as a user would.
            auto *name = dialog->findChild<QLineEdit *>(u"fileNameEdit"_s);
            QVERIFY(name);
            name->setText(path);
            static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as its Save button does
        });
        QSignalSpy exported(panel, &PreviewPanel::listExported);
        QTest::keyClick(&window, Qt::Key_X, Qt::AltModifier);
        QVERIFY(exported.wait(30000));
        QVERIFY(asked);
        QCOMPARE(exported.first().at(0).toBool(), true);
        QCOMPARE(exported.first().at(1).toLongLong(), expected.value().size());
        QCOMPARE(exported.first().at(2).toString(),
                 u"Exported %1 conversations to %2."_s.arg(QLocale().toString(expected.value().size()),
                                                           QDir::toNativeSeparators(path)));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList ids = firstFields(QString::fromUtf8(file.readAll()));
        QVERIFY(!ids.isEmpty());
        QCOMPARE(ids.first(), u"activityid"_s); // the header
        QCOMPARE(ids.mid(1), expected.value());
        QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList {u"list.csv"_s});
        QVERIFY(!exportDialog(&window));
        QVERIFY(action->isEnabled()); // ready for another

        // Ctrl+Shift+L asks again; choosing no file exports nothing.
        bool askedAgain = false;
        whenDialog<QFileDialog>(this, [&askedAgain](QFileDialog *dialog) {
            askedAgain = true;
            dialog->reject();
        });
        QApplication::setActiveWindow(&window); // back from the dialogs (offscreen, nothing does it)
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(askedAgain);
        QTest::qWait(100);
        QCOMPARE(exported.count(), 1);
        QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList {u"list.csv"_s});
    }

    // Cancel in the progress dialog: no file is written, and a file already there is left as it was.
    void cancelLeavesNoFile()
    {
        LocalSandbox::Options options;
        options.seed.conversations = Conversations;
        options.faults = u"slow:ms=300:query=$skiptoken"_s; // every page after a query's first one
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        ParallelReader::Options small;
        small.pageSize = 20;
        small.sequentialBelowPages = 1000; // one query a configuration, a page after another: seconds in all
        panel->setExportReaderOptions(small);
        QVERIFY(previewAt(panel, weekAhead()));

        QTemporaryDir out;
        for (const bool existing : {true, false}) {
            const QString path = out.filePath(existing ? u"existing.csv"_s : u"new.csv"_s);
            if (existing) {
                QFile old(path);
                QVERIFY(old.open(QIODevice::WriteOnly));
                old.write("old contents\n");
            }
            QSignalSpy exported(panel, &PreviewPanel::listExported);
            QElapsedTimer elapsed;
            elapsed.start();
            panel->exportListTo(path);
            QVERIFY(QTest::qWaitFor([&window] { return exportDialog(&window) != nullptr; }, 5000));
            QVERIFY2(elapsed.elapsed() >= 900, qPrintable(QString::number(elapsed.elapsed()))); // not at once
            QVERIFY(exported.isEmpty());
            QProgressDialog *dialog = exportDialog(&window);
            QVERIFY(dialog->isModal());
            QVERIFY2(dialog->labelText().startsWith(u"Conversations written"_s), qPrintable(dialog->labelText()));
            QPushButton *cancel = GuiTestSupport::buttonNamed(dialog, u"Cancel"_s);
            QVERIFY(cancel);
            QTest::mouseClick(cancel, Qt::LeftButton);
            QCOMPARE(exported.count(), 1);
            QCOMPARE(exported.first().at(0).toBool(), false);
            QVERIFY2(exported.first().at(2).toString().contains(u"no file was written"_s),
                     qPrintable(exported.first().at(2).toString()));
            QTRY_VERIFY(!exportDialog(&window));
            QTest::qWait(800); // pages on their way arrive, and are dropped
            QVERIFY(!QApplication::activeModalWidget()); // no message for what the user asked
            QCOMPARE(exported.count(), 1);
            if (existing) {
                QFile old(path);
                QVERIFY(old.open(QIODevice::ReadOnly));
                QCOMPARE(old.readAll(), QByteArray("old contents\n"));
            } else {
                QVERIFY(!QFile::exists(path));
            }
            // No temporary file left behind.
            QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList {u"existing.csv"_s});
            QVERIFY(panel->exportAction()->isEnabled());
        }
    }

    // The server fails half-way through (a 500 that retrying does not clear): no file, and a message that says what
    // happened and what to do.
    void serverErrorLeavesNoFile()
    {
        LocalSandbox::Options options;
        options.seed.conversations = Conversations;
        options.faults = u"500:after=3:query=$skiptoken"_s; // the fourth page after a first one, and every later one
        m_server = SandboxFixture::start(options);
        QVERIFY(m_server);
        m_server->client->transport()->setRetryPolicy(SandboxFixture::FastRetries); // the retries, quickly
        MainWindow window(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        window.resize(1280, 800);
        window.show();
        QVERIFY(load(window));
        PreviewPanel *panel = window.previewPanel();
        ParallelReader::Options small;
        small.pageSize = 20;
        small.sequentialBelowPages = 1000;
        panel->setExportReaderOptions(small);
        QVERIFY(previewAt(panel, weekAhead()));

        QTemporaryDir out;
        const QString path = out.filePath(u"list.json"_s);
        QString shown;
        whenDialog<QMessageBox>(this, [&shown](QMessageBox *box) {
            shown = box->text();
            box->close();
        });
        QSignalSpy exported(panel, &PreviewPanel::listExported);
        panel->exportListTo(path);
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.first().at(0).toBool(), false);
        QVERIFY2(exported.first().at(1).toLongLong() > 0, "the error came before any row was written");
        QTRY_VERIFY(!shown.isEmpty());
        qInfo("after %lld rows: %s", exported.first().at(1).toLongLong(), qPrintable(shown));
        QVERIFY2(shown.contains(u"The list was not exported"_s) && shown.contains(u"500"_s) &&
                     shown.contains(u"No file was written"_s) && shown.contains(u"Export again"_s),
                 qPrintable(shown));
        QVERIFY(!QFile::exists(path));
        QVERIFY(QDir(out.path()).entryList(QDir::Files).isEmpty());
        QTRY_VERIFY(!exportDialog(&window));
        QVERIFY(panel->exportAction()->isEnabled());
    }

private:
    std::unique_ptr<SandboxFixture> m_server;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Translations::install(&app); // as the editor does: "1 conversation", "2 conversations"
    TestWindowExport test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_windowexport.moc"
