// Screenshots of the real editor for the README and reviews: the main window, the value editor refusing a value,
// the save confirmation and the conflict dialog, a value's change history (and the sentence where auditing is off),
// the preview's progress bar on a slow server, against an in-process
// sandbox with its demo data. Each is a PNG
// in the directory given as the only argument. tests/gui/screenshots.sh runs it under Xvfb.
#include "app/auth/SecretStore.h"
#include "app/common/Translations.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/Discovery.h"
#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "models/WorkstreamTableModel.h"
#include "ui/ApplyWizard.h"
#include "ui/ChangeHistoryDialog.h"
#include "ui/CompareWindow.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EditCommands.h"
#include "ui/EnvironmentPicker.h"
#include "ui/MainWindow.h"
#include "ui/OverviewGrid.h"
#include "ui/PreviewPanel.h"
#include "ui/SaveConfirmDialog.h"
#include "ui/WorkstreamsView.h"

#include "GuiTestSupport.h"
#include "SandboxFixture.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using GuiTestSupport::rowOf;

namespace {
QString g_outDir;
int g_failures = 0;

void save(QWidget *widget, const QString &name)
{
    QTest::qWait(150); // let layouts settle and paint
    const QString file = QDir(g_outDir).filePath(name);
    if (widget->grab().save(file, "PNG")) {
        std::printf("%s\n", qPrintable(file));
    } else {
        std::fprintf(stderr, "screenshot_tour: could not write %s\n", qPrintable(file));
        ++g_failures;
    }
}

template<typename T>
void whenDialog(std::function<void(T *)> action)
{
    GuiTestSupport::whenDialog<T>(qApp, std::move(action));
}

// The profile manager's Add: the environments of an account, as the Global Discovery Service lists them (the sign-in
// before it is tested in tst_profiles against a real OAuth server).
void environmentPicker()
{
    const QByteArray reply = QByteArray(R"json({"value": [
        {"FriendlyName": "Contoso Customer Service", "UniqueName": "contosocs", "Url": "https://contosocs.crm.dynamics.com",
         "Version": "9.2.25063.00180", "State": 0, "Region": "NorthAmerica", "IsUserSysAdmin": true},
        {"FriendlyName": "Contoso Customer Service (Test)", "UniqueName": "contosocstest",
         "Url": "https://contosocstest.crm.dynamics.com", "Version": "9.2.25071.00145", "State": 0,
         "Region": "NorthAmerica", "IsUserSysAdmin": true},
        {"FriendlyName": "Contoso Europe", "UniqueName": "contosoeu", "Url": "https://contosoeu.crm4.dynamics.com",
         "Version": "9.2.25063.00180", "State": 0, "Region": "Europe", "IsUserSysAdmin": false},
        {"FriendlyName": "Contoso Sandbox (2024)", "UniqueName": "contosoold", "Url": "https://contosoold.crm.dynamics.com",
         "Version": "9.2.24101.00112", "State": 1, "Region": "NorthAmerica", "IsUserSysAdmin": true}
    ]
})json");
    const auto environments = Discovery::parseInstances(reply);
    if (!environments) {
        ++g_failures;
        return;
    }
    QNetworkAccessManager network;
    SecretStore secrets;
    EnvironmentPicker picker(&secrets, &network);
    picker.tenantEdit()->setText(u"contoso.onmicrosoft.com"_s);
    picker.show();
    picker.showEnvironments(environments.value());
    picker.table()->selectRow(0);
    picker.table()->selectionModel()->select(picker.table()->model()->index(1, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    save(&picker, u"environment-picker.png"_s);
}

// The overview's cell of channel × state.
QModelIndex cellOf(OverviewGrid *grid, const QString &channel, int column)
{
    for (int row = 0; row < grid->model()->rowCount(); ++row) {
        if (grid->model()->headerData(row, Qt::Vertical).toString() == channel)
            return grid->model()->index(row, column);
    }
    return {};
}

// Opens the value editor on a cell of the overview, as F2 does.
DurationLineEdit *openEditor(OverviewGrid *grid, const QModelIndex &cell)
{
    grid->setFocus();
    grid->setCurrentIndex(cell);
    QTest::keyClick(grid, Qt::Key_F2);
    return GuiTestSupport::openEditor(grid);
}

// Types a value into a cell of the overview and presses Enter.
void typeInto(OverviewGrid *grid, const QModelIndex &cell, const QString &text)
{
    if (DurationLineEdit *editor = openEditor(grid, cell)) {
        editor->selectAll();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        (void)QTest::qWaitFor([grid] { return !GuiTestSupport::openEditor(grid); }, 5000);
    } else {
        ++g_failures;
    }
}

// A window on the Demo data with two edits, one of them risky, and the preview counted: what editing looks like.
bool openEditedWindow(MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    QApplication::setActiveWindow(&window);
    (void)QTest::qWaitForWindowActive(&window);
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    if (!loaded.wait(20000) || !loaded.last().first().toBool())
        return false;
    QSignalSpy previewed(window.previewPanel(), &PreviewPanel::updated);
    OverviewGrid *grid = window.overview();
    typeInto(grid, cellOf(grid, u"SMS"_s, ChannelGridModel::Open), u"7d"_s);
    typeInto(grid, cellOf(grid, u"Live chat"_s, ChannelGridModel::Open), u"3"_s);
    if (!previewed.wait(20000))
        return false;
    (void)QTest::qWaitFor([&window] { return window.previewPanel()->listModel()->rowCount() > 0; }, 5000);
    grid->setCurrentIndex(cellOf(grid, u"Live chat"_s, ChannelGridModel::Open));
    return true;
}

// The preview on a server that takes seconds to answer: after a second, its progress bar and Cancel beside the
// summary.
void previewProgress()
{
    LocalSandbox::Options options;
    options.faults = u"slow:ms=4000:path=msdyn_ocliveworkitems"_s; // every read of conversations
    const auto slow = SandboxFixture::start(options);
    if (!slow) {
        ++g_failures;
        return;
    }
    EnvironmentInfo environment;
    environment.name = u"Demo environment"_s;
    environment.key = u"tour-slow"_s;
    environment.demo = true;
    environment.journalDir = slow->dir.path() + u"/journal"_s;
    MainWindow window(slow->client.get(), environment);
    window.resize(1280, 800);
    window.show();
    QApplication::setActiveWindow(&window);
    (void)QTest::qWaitForWindowActive(&window);
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    PreviewPanel *panel = window.previewPanel();
    if (!loaded.wait(20000) || !QTest::qWaitFor([panel] { return panel->progress()->isVisible(); }, 5000)) {
        std::fprintf(stderr, "screenshot_tour: the preview's progress bar did not show\n");
        ++g_failures;
        return;
    }
    save(&window, u"preview-progress.png"_s);
    panel->cancelButton()->click();
}

// The change history of a value: read from the environment's audit history, and opened where the table's auditing is
// off, its sentence instead of a list.
bool showChangeHistory(MainWindow &window, const QString &channel, int column, const QString &file)
{
    OverviewGrid *grid = window.overview();
    window.setView(MainWindow::View::Overview);
    grid->setFocus();
    grid->setCurrentIndex(cellOf(grid, channel, column));
    ChangeHistoryDialog *dialog = window.changeHistory();
    QSignalSpy read(dialog, &ChangeHistoryDialog::readFinished);
    window.showChangeHistory();
    if (!read.wait(20000)) {
        std::fprintf(stderr, "screenshot_tour: the change history was not read\n");
        ++g_failures;
        return false;
    }
    dialog->resize(680, 360);
    save(dialog, file);
    dialog->close();
    return true;
}

void changeHistoryWithAuditingOff()
{
    LocalSandbox::Options options;
    options.auditOff = {u"msdyn_occhannelstateconfiguration"_s};
    const auto off = SandboxFixture::start(options);
    if (!off) {
        ++g_failures;
        return;
    }
    EnvironmentInfo environment;
    environment.name = u"Demo environment"_s;
    environment.key = u"tour-audit-off"_s;
    environment.demo = true;
    environment.journalDir = off->dir.path() + u"/journal"_s;
    MainWindow window(off->client.get(), environment);
    window.resize(1280, 800);
    window.show();
    QApplication::setActiveWindow(&window);
    (void)QTest::qWaitForWindowActive(&window);
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    if (!loaded.wait(20000)) {
        ++g_failures;
        return;
    }
    showChangeHistory(window, u"Live chat"_s, ChannelGridModel::WrapUp, u"change-history-off.png"_s);
}

// The window at 200 % (QT_SCALE_FACTOR=2, set by whoever runs the tour): one screenshot, and a check that the
// overview still shows every cell whole.
int scaledTour(DataverseClient &client, const QString &journalDir)
{
    EnvironmentInfo environment;
    environment.name = u"Demo environment"_s;
    environment.key = u"tour-scaled"_s;
    environment.demo = true;
    environment.journalDir = journalDir;
    MainWindow window(&client, environment);
    if (!openEditedWindow(window))
        return 1;
    OverviewGrid *grid = window.overview();
    for (int row = 0; row < grid->model()->rowCount(); ++row) {
        for (int column = 0; column < grid->model()->columnCount(); ++column) {
            if (!grid->viewport()->rect().contains(grid->visualRect(grid->model()->index(row, column)))) {
                std::fprintf(stderr, "screenshot_tour: at %gx the overview cuts off row %d column %d\n",
                             window.devicePixelRatioF(), row, column);
                ++g_failures;
            }
        }
    }
    save(&window, u"main-window-200.png"_s);
    return g_failures == 0 ? 0 : 1;
}

// A dark palette, as a dark desktop theme gives: Palette's colours and the chart follow it.
void useDarkPalette()
{
    QApplication::setStyle(u"Fusion"_s);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3c, 0x3c));
    dark.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
    dark.setColor(QPalette::Link, QColor(0x6c, 0xb8, 0xff));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    QApplication::setPalette(dark);
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Auto-Close Editor"_s);
    // Settings of the tour's own, cleared: every run is a first run, whatever the user's editor remembers.
    QCoreApplication::setOrganizationName(u"AutoCloseEditorTour"_s);
    QSettings().clear();
    Translations::install(&app);
    const bool scaled = argc == 3 && qstrcmp(argv[2], "--scaled") == 0;
    if (argc != 2 && !scaled) {
        std::fprintf(stderr, "usage: screenshot_tour OUTDIR [--scaled]\n");
        return 2;
    }
    g_outDir = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(g_outDir);

    // The tour leaves nothing behind: its sandbox, journal, audit log and snapshots are in the fixture's directory.
    const auto fixture = SandboxFixture::start();
    if (!fixture) {
        std::fprintf(stderr, "screenshot_tour: the sandbox did not start\n");
        return 1;
    }
    const QTemporaryDir &dir = fixture->dir;
    DataverseClient &client = *fixture->client;
    DataverseClient &colleague = *fixture->colleague;

    if (scaled)
        return scaledTour(client, dir.path() + u"/journal"_s);

    EnvironmentInfo environment;
    environment.name = u"Demo environment"_s;
    environment.key = u"tour"_s;
    environment.demo = true;
    environment.journalDir = dir.path() + u"/journal"_s;
    MainWindow window(&client, environment);
    // The overview with two pending edits, one of them risky; the closure preview counts and lists what they would
    // close.
    if (!openEditedWindow(window))
        return 1;
    save(&window, u"main-window.png"_s);
    window.setView(MainWindow::View::Details);
    save(&window, u"details-view.png"_s);
    // The workstreams' timers, one of them edited to a risky value (kept: the save confirmation shows both tables).
    window.setView(MainWindow::View::Workstreams);
    {
        WorkstreamTableModel *streams = window.workstreamModel();
        for (const Workstream &w : streams->workstreams()) {
            if (w.name == u"SMS support"_s)
                EditCommands::setValue(window.undoStack(), streams, ValueRef {w.id, TimerSetting::Inactivity}, 3);
        }
        window.workstreamsView()->table()->setCurrentIndex({});
    }
    save(&window, u"workstreams-view.png"_s);
    window.setView(MainWindow::View::Overview);

    // The editor refusing a value, with what is allowed.
    if (DurationLineEdit *editor =
            openEditor(window.overview(), cellOf(window.overview(), u"Voice"_s, ChannelGridModel::Active))) {
        editor->selectAll();
        QTest::keyClicks(editor, u"90 sec"_s);
        save(&window, u"editor-validation.png"_s);
        editor->selectAll();
        QTest::keyClicks(editor, u"1d 12h"_s);
        save(&window, u"editor-hint.png"_s);
        QTest::keyClick(editor, Qt::Key_Escape);
    }

    // The save confirmation (cancelled).
    whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) {
        save(dialog, u"save-confirmation.png"_s);
        dialog->reject();
    });
    window.save();

    // A colleague changes Live chat · Open meanwhile: saving shows the conflict dialog.
    std::optional<QList<ChannelStateConfig>> configs;
    colleague.fetchConfigurations(&app, [&configs](auto r) {
        configs =
            r.ok() ? std::optional(r.value()) : std::optional<QList<ChannelStateConfig>>(QList<ChannelStateConfig>());
    });
    (void)QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000);
    for (const ChannelStateConfig &c : *configs) {
        if (c.streamSource == StreamSource::LiveChat && c.state == int(ConversationState::Open)) {
            bool done = false;
            colleague.saveMinutes({MinutesChange {c.id, c.name, c.etag, 30}}, DataverseClient::WriteMode::OneByOne,
                                  &app, [&done](auto) { done = true; });
            (void)QTest::qWaitFor([&done] { return done; }, 20000);
        }
    }
    QSignalSpy saved(&window, &MainWindow::saveFinished);
    whenDialog<SaveConfirmDialog>([](SaveConfirmDialog *dialog) {
        for (QPushButton *b : dialog->findChildren<QPushButton *>()) {
            if (b->text().remove(u'&') == u"Save"_s)
                b->click();
        }
    });
    whenDialog<ConflictDialog>([](ConflictDialog *dialog) {
        save(dialog, u"conflict-dialog.png"_s);
        dialog->reject();
    });
    window.save();
    if (!saved.wait(20000))
        ++g_failures;

    // A snapshot taken now, compared after the colleague changes two more values; then the apply wizard's plan.
    QSignalSpy exported(window.snapshots(), &SnapshotActions::exported);
    const QString snapshot = dir.path() + u"/tour-snapshot.json"_s;
    window.snapshots()->exportSnapshot(snapshot);
    if (!exported.wait(20000) || !exported.last().first().toBool())
        ++g_failures;
    int changed = 0;
    colleague.fetchConfigurations(&app, [&](Result<QList<ChannelStateConfig>> r) {
        QList<MinutesChange> changes;
        for (const ChannelStateConfig &c : r.ok() ? r.value() : QList<ChannelStateConfig>()) {
            if (c.streamSource == StreamSource::Sms && c.state == int(ConversationState::WrapUp))
                changes << MinutesChange {c.id, c.name, c.etag, 60};
            if (c.streamSource == StreamSource::Voice && c.state == int(ConversationState::Open))
                changes << MinutesChange {c.id, c.name, c.etag, 120};
        }
        colleague.saveMinutes(changes, DataverseClient::WriteMode::Batch, &app,
                              [&changed](QList<WriteResult> results) { changed = int(results.size()); });
    });
    (void)QTest::qWaitFor([&changed] { return changed > 0; }, 20000);
    if (CompareWindow *compare = window.snapshots()->compareWithSnapshot(snapshot)) {
        (void)QTest::qWaitFor([compare] { return compare->applyButton()->isEnabled(); }, 20000);
        save(compare, u"compare-window.png"_s);
        compare->applyButton()->click();
        if (auto *wizard = window.findChild<ApplyWizard *>()) {
            (void)QTest::qWaitFor([wizard] { return wizard->impactCounted(); }, 20000);
            save(wizard, u"apply-wizard.png"_s);
            wizard->close();
        }
        compare->close();
    } else {
        ++g_failures;
    }
    // Who changed Live chat · Wrap-up, and when: the demo's audit history (a colleague's change and the signed-in
    // user's), and one more saved now.
    colleague.fetchConfigurations(&app, [&](Result<QList<ChannelStateConfig>> r) {
        for (const ChannelStateConfig &c : r.ok() ? r.value() : QList<ChannelStateConfig>()) {
            if (c.streamSource == StreamSource::LiveChat && c.state == int(ConversationState::WrapUp))
                colleague.saveMinutes({MinutesChange {c.id, c.name, c.etag, 20}}, DataverseClient::WriteMode::OneByOne,
                                      &app, [&changed](auto) { changed = -1; });
        }
    });
    (void)QTest::qWaitFor([&changed] { return changed == -1; }, 20000);
    showChangeHistory(window, u"Live chat"_s, ChannelGridModel::WrapUp, u"change-history.png"_s);
    changeHistoryWithAuditingOff();
    environmentPicker();
    previewProgress();

    // The same window in a dark palette.
    useDarkPalette();
    environment.key = u"tour-dark"_s;
    MainWindow dark(&client, environment);
    if (openEditedWindow(dark))
        save(&dark, u"main-window-dark.png"_s);
    else
        ++g_failures;
    return g_failures == 0 ? 0 : 1;
}
