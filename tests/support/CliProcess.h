#pragma once

// The real autoclose-cli executable, run once to completion: its exit code and what it printed.
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

struct CliRun
{
    int exitCode = -1; // -1: did not finish in time; -2: crashed
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                     const QByteArray &input = {})
{
    QProcess cli;
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(AUTOCLOSE_CLI_BIN), args);
    cli.write(input);
    cli.closeWriteChannel();
    CliRun run;
    if (!cli.waitForFinished(60000))
        return run;
    run.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -2;
    run.out = cli.readAllStandardOutput();
    run.err = cli.readAllStandardError();
    return run;
}
