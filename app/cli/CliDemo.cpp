#include "app/cli/CliDemo.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CliDemo", text);
}

// The variable that hands the child its token: a process's environment is readable by its own user only
// (/proc/PID/environ), where its command line is readable by every user.
constexpr auto TokenVariable = "AUTOCLOSE_DEMO_TOKEN";

QString randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Error startError(const QString &message, const QString &details = {})
{
    Error e;
    e.kind = Error::Kind::Server;
    e.userMessage = message;
    e.serviceMessage = details.trimmed();
    return e;
}
} // namespace

Result<std::unique_ptr<DemoSandbox>> DemoSandbox::start(const QString &dataDir, std::chrono::milliseconds timeout)
{
    const QString here = QCoreApplication::applicationDirPath();
    const QString program = QStandardPaths::findExecutable(QString::fromLatin1(ProgramName), {here});
    if (program.isEmpty())
        return startError(
            tr("The Demo environment needs %1, which runs it, installed beside autoclose-cli, but %2 holds no %1. "
               "Reinstall Auto-Close Editor (the three programs go together), or run %1 yourself and give its "
               "address with --url and its token with --access-token-env.")
                .arg(QString::fromLatin1(ProgramName), QDir::toNativeSeparators(here)));

    std::unique_ptr<DemoSandbox> sandbox(new DemoSandbox);
    sandbox->m_token = randomToken();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(TokenVariable), sandbox->m_token);
    QProcess &process = sandbox->m_process;
    process.setProcessEnvironment(env);
    process.setProgram(program);
    process.setArguments({u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir, u"--token-env"_s,
                          QString::fromLatin1(TokenVariable), u"--exit-when-stdin-closes"_s});
    // Its stdin is a pipe from this process (QProcess's write channel), which ends with this process.
    process.start(QIODevice::ReadWrite);

    const QDeadlineTimer deadline(timeout);
    if (!process.waitForStarted(int(std::max<qint64>(deadline.remainingTime(), 1))))
        return startError(tr("The Demo environment could not start: %1 did not run.").arg(program),
                          process.errorString());
    // It prints "Listening on <url>" once it serves, after opening (and when new, seeding) the data directory.
    while (!process.canReadLine() && process.state() == QProcess::Running && !deadline.hasExpired())
        process.waitForReadyRead(int(std::max<qint64>(deadline.remainingTime(), 1)));
    if (!process.canReadLine()) {
        const bool running = process.state() == QProcess::Running;
        if (running)
            sandbox->stop();
        const QString said = QString::fromLocal8Bit(process.readAllStandardError());
        if (running)
            return startError(tr("The Demo environment did not start within %1 s (%2 on %3). Try again, or give "
                                 "more time with --timeout.")
                                  .arg(double(timeout.count()) / 1000)
                                  .arg(QString::fromLatin1(ProgramName), QDir::toNativeSeparators(dataDir)),
                              said);
        return startError(tr("The Demo environment could not start on %1: %2 stopped (exit code %3).")
                              .arg(QDir::toNativeSeparators(dataDir), QString::fromLatin1(ProgramName))
                              .arg(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1),
                          said);
    }
    const QByteArray line = process.readLine().trimmed();
    sandbox->m_url = QUrl(QString::fromLatin1(line.mid(int(qstrlen("Listening on ")))));
    if (!line.startsWith("Listening on ") || !sandbox->m_url.isValid() || sandbox->m_url.host() != u"127.0.0.1"_s)
        return startError(tr("The Demo environment could not start: %1 said \"%2\" instead of where it listens.")
                              .arg(QString::fromLatin1(ProgramName), QString::fromLocal8Bit(line)));
    // What it says on stderr from now on ("data in …") is not the command's output.
    QObject::connect(&process, &QProcess::readyReadStandardError, &process,
                     [&process] { process.readAllStandardError(); });
    return sandbox;
}

DemoSandbox::~DemoSandbox()
{
    stop();
}

void DemoSandbox::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // Its stdin ends: it stops by itself, as when this process ends any other way. A child that does not is
    // terminated, then killed.
    m_process.closeWriteChannel();
    if (m_process.waitForFinished(5000))
        return;
    m_process.terminate();
    if (m_process.waitForFinished(3000))
        return;
    m_process.kill();
    m_process.waitForFinished(3000);
}

} // namespace Cli
