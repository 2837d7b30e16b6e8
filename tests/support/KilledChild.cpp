#include "KilledChild.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString DirectoryVariable = u"AUTOCLOSE_TEST_CHILD"_s;
const QString ModeVariable = u"AUTOCLOSE_TEST_CHILD_MODE"_s;
} // namespace

QString KilledChild::directory()
{
    return qEnvironmentVariable(qPrintable(DirectoryVariable));
}

QString KilledChild::mode(const QString &fallback)
{
    return qEnvironmentVariable(qPrintable(ModeVariable), fallback);
}

LocalSandbox::Options KilledChild::sandboxOptions(const QString &dir, const QString &mode)
{
    LocalSandbox::Options options;
    if (mode.startsWith(u"save:"_s))
        options.faults = mode.mid(5) + u":method=POST:path=$batch:ms=600000"_s;
    options.dataDir = dir + u"/sandbox"_s;
    return options;
}

bool KilledChild::run(const QString &dir, const QString &mode, const QByteArray &word)
{
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(DirectoryVariable, dir);
    env.insert(ModeVariable, mode);
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    if (!child.waitForStarted())
        return false;
    QByteArray said;
    (void)QTest::qWaitFor(
        [&] { return (said += child.readAllStandardOutput()).contains(word) || child.state() == QProcess::NotRunning; },
        60000);
    if (child.state() != QProcess::Running) {
        qWarning("the child (%s) ended by itself with %d", qPrintable(mode), child.exitCode());
        return false;
    }
    child.kill();
    return child.waitForFinished() && child.exitStatus() == QProcess::CrashExit;
}
