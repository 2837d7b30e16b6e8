// Screenshots of the real editor for the README and reviews: the main window, the value editor refusing a value,
// the save confirmation and the conflict dialog, against an in-process sandbox with its demo data. Each is a PNG
// in the directory given as the only argument. tests/gui/screenshots.sh runs it under Xvfb.
#include "app/auth/SecretStore.h"
#include "app/common/Translations.h"
#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/Discovery.h"
#include "models/ConfigTableModel.h"
#include "models/PreviewListModel.h"
#include "ui/ApplyWizard.h"
#include "ui/CompareWindow.h"
#include "ui/ConflictDialog.h"
#include "ui/DurationDelegate.h"
#include "ui/EnvironmentPicker.h"
#include "ui/MainWindow.h"
#include "ui/PreviewPanel.h"
#include "ui/SaveConfirmDialog.h"

#include "GuiTestSupport.h"
#include "SandboxFixture.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
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

// Opens the value editor on a row, as F2 does.
DurationLineEdit *openEditor(QTableView *view, int row)
{
    view->setFocus();
    view->setCurrentIndex(view->model()->index(row, ConfigTableModel::Channel));
    QTest::keyClick(view, Qt::Key_F2);
    return GuiTestSupport::openEditor(view);
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"Auto-Close Editor"_s);
    Translations::install(&app);
    if (argc != 2) {
        std::fprintf(stderr, "usage: screenshot_tour OUTDIR\n");
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

    EnvironmentInfo environment;
    environment.name = u"Demo environment"_s;
    environment.key = u"tour"_s;
    environment.demo = true;
    environment.journalDir = dir.path() + u"/journal"_s;
    MainWindow window(&client, environment);
    window.resize(1100, 700);
    window.show();
    QApplication::setActiveWindow(&window);
    (void)QTest::qWaitForWindowActive(&window);
    QSignalSpy loaded(&window, &MainWindow::loadFinished);
    window.refresh();
    if (!loaded.wait(20000) || !loaded.last().first().toBool())
        return 1;
    QTableView *view = window.tableView();

    // Two pending edits, one of them risky, so the window shows what editing looks like; then the closure preview
    // counts and lists what they would close.
    QSignalSpy previewed(window.previewPanel(), &PreviewPanel::updated);
    GuiTestSupport::typeValue(view, rowOf(view, u"SMS"_s, u"Open"_s), u"7d"_s);
    GuiTestSupport::typeValue(view, rowOf(view, u"Live chat"_s, u"Open"_s), u"3"_s);
    if (!previewed.wait(20000))
        ++g_failures;
    (void)QTest::qWaitFor([&window] { return window.previewPanel()->listModel()->rowCount() > 0; }, 5000);
    save(&window, u"main-window.png"_s);

    // The editor refusing a value, with what is allowed.
    if (DurationLineEdit *editor = openEditor(view, rowOf(view, u"Voice"_s, u"Active"_s))) {
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
    environmentPicker();
    return g_failures == 0 ? 0 : 1;
}
