#include "ui/EditorApp.h"

#include "app/common/LogFile.h"
#include "app/common/Translations.h"
#include "app/common/Version.h"
#include "app/dataverse/DataverseClient.h"
#include "app/sandbox/LocalSandbox.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPixmap>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

int EditorApp::run(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"AutoCloseEditor"_s);
    QApplication::setApplicationName(u"autoclose-editor"_s);
    QApplication::setApplicationDisplayName(QApplication::translate("EditorApp", "Auto-Close Editor"));
    QApplication::setApplicationVersion(Version::describe());
    Translations::install(&app);
    QGuiApplication::setDesktopFileName(u"org.autocloseeditor.AutoCloseEditor"_s);
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/hicolor/%1x%1/org.autocloseeditor.AutoCloseEditor.png"_s.arg(size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "EditorApp", "Edit how long Dynamics 365 Omnichannel conversations may stay idle before they auto-close."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDirOption(
        u"demo-data-dir"_s,
        QApplication::translate("EditorApp",
                                "Directory of the Demo environment's data (default: the per-user data "
                                "directory)."),
        u"DIR"_s);
    const QCommandLineOption screenshotOption(
        u"screenshot"_s,
        QApplication::translate("EditorApp",
                                "Once the configurations are shown, save a PNG of the window to FILE "
                                "and quit (for documentation)."),
        u"FILE"_s);
    const QCommandLineOption quitAfterLoadOption(
        u"quit-after-load"_s,
        QApplication::translate("EditorApp",
                                "Exit once the first load has finished: 0 when it succeeded (for smoke tests and "
                                "start-up benchmarks)."));
    parser.addOptions({dataDirOption, screenshotOption, quitAfterLoadOption});
    parser.process(app);

    // A log to attach to a support ticket; secrets are masked before anything is written.
    if (auto log = LogFile::install(LogFile::defaultDirectory(), u"autoclose-editor"_s); !log)
        std::fprintf(stderr, "autoclose-editor: %s\n", qPrintable(log.error().userMessage));
    qInfo("autoclose-editor %s starting", qPrintable(Version::describe()));

    const QString dataDir = parser.isSet(dataDirOption)
        ? parser.value(dataDirOption)
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/demo"_s;
    const QString token = LocalSandbox::generateToken();
    auto sandbox = LocalSandbox::start(dataDir, 0, {token});
    if (!sandbox) {
        const QString message = QApplication::translate("EditorApp", "The Demo environment could not start: %1")
                                    .arg(sandbox.error().describe());
        std::fprintf(stderr, "autoclose-editor: %s\n", qPrintable(message));
        QMessageBox::critical(nullptr, QApplication::applicationDisplayName(), message);
        return 1;
    }

    QNetworkAccessManager network;
    DataverseClient client(sandbox.value()->url(), &network);
    client.setAccessToken(token);
    EnvironmentInfo environment;
    environment.name = QApplication::translate("EditorApp", "Demo environment");
    environment.key = u"demo"_s; // its port changes every run; its data directory does not
    environment.demo = true;
    environment.journalDir = dataDir + u"/journal"_s; // the demo's edits belong with its data
    MainWindow window(&client, environment);

    int exitCode = 0;
    if (parser.isSet(quitAfterLoadOption)) {
        // Painted, not only loaded: the time a user waits to see the table.
        QObject::connect(&window, &MainWindow::loadFinished, &app, [&window](bool ok) {
            window.repaint();
            QApplication::exit(ok ? 0 : 1);
        });
    }
    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        QObject::connect(&window, &MainWindow::loadFinished, &window, [&window, &exitCode, file](bool ok) {
            // Let the window lay itself out and paint before it is grabbed.
            QTimer::singleShot(300, &window, [&window, &exitCode, file, ok] {
                if (!ok || !window.grab().save(file, "PNG")) {
                    std::fprintf(stderr, "autoclose-editor: could not save the screenshot %s\n", qPrintable(file));
                    exitCode = 1;
                }
                QApplication::exit(exitCode);
            });
        });
    }
    window.show();
    window.refresh();
    const int result = app.exec();
    return exitCode != 0 ? exitCode : result;
}
