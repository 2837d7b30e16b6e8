#pragma once

#include "models/Result.h"

#include <QProcess>
#include <QUrl>

#include <chrono>
#include <memory>

namespace Cli {

// The Demo environment as autoclose-cli reaches it: autoclose-sandbox, found beside autoclose-cli, started as a child
// process on the Demo environment's data directory (the window's, DemoData::defaultDirectory(), unless
// --demo-data-dir says otherwise), on 127.0.0.1 and a free port, accepting one random token that is handed over in
// its environment, never on its command line. The CLI links no sandbox code (docs/architecture.md): the window's
// in-process sandbox and this child serve the same SQLite data, each in its own process.
//
// The child never outlives the CLI: it is started with a pipe on its stdin and --exit-when-stdin-closes, and the
// system closes that pipe when the CLI ends, however it ends (a return, SIGINT, SIGTERM, SIGKILL, a crash); the
// child then stops cleanly by itself, its SQLite writes committed or rolled back whole. When the command ends
// normally the destructor closes the pipe and waits for the child, and terminates it if it does not stop.
class DemoSandbox
{
public:
    // What the child is called, found in QCoreApplication::applicationDirPath().
    static constexpr const char *ProgramName = "autoclose-sandbox";
    // How long starting may take (a new data directory is seeded first) when --timeout does not say.
    static constexpr std::chrono::milliseconds DefaultStartTimeout {30000};

    // Started and listening; or an error saying what went wrong and what to do (exit code 4).
    static Result<std::unique_ptr<DemoSandbox>> start(const QString &dataDir, std::chrono::milliseconds timeout);
    ~DemoSandbox();
    DemoSandbox(const DemoSandbox &) = delete;
    DemoSandbox &operator=(const DemoSandbox &) = delete;

    QUrl url() const { return m_url; }
    QString token() const { return m_token; }
    qint64 processId() const { return m_process.processId(); }

private:
    DemoSandbox() = default;
    void stop();

    QProcess m_process;
    QUrl m_url;
    QString m_token;
};

} // namespace Cli
