#pragma once

// The user at a real browser (tests/peers/browser-signin.mjs): Debian's Chromium, headless, driven by puppeteer-core,
// signs in and consents — or declines — on the oidc peer's own pages, and follows the redirect to the product's
// loopback listener (docs/sign-in.md, "Authorization code with PKCE, in the system browser"). Either run here on a URL
// the test read (runBrowserSignIn), or launched by the product itself through a stand-in for xdg-open
// (writeXdgOpenStandIn). Header-only: it names Node and the script by AUTOCLOSE_NODE_BIN and AUTOCLOSE_BROWSER_SIGNIN,
// which a test gets by declaring STARTS browser-signin.
#include "TestFiles.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStringList>
#include <QUrl>

// What the user does in the browser.
struct BrowserUser
{
    QString login = QStringLiteral("admin@contoso.example"); // typed on the login page
    bool decline = false; // Cancel on the consent page instead of Continue
    int timeoutSeconds = 60;

    QStringList arguments(const QString &authorizeUrl) const
    {
        QStringList args = {QStringLiteral(AUTOCLOSE_BROWSER_SIGNIN), QStringLiteral("--login"), login,
                            QStringLiteral("--timeout"), QString::number(timeoutSeconds)};
        if (decline)
            args << QStringLiteral("--decline");
        return args << authorizeUrl;
    }
};

// Where the browser ended and what it saw on the way.
struct BrowserVisit
{
    int exitCode = -1; // 0: the product's loopback page loaded; 1: failed (err says why); -1: did not finish
    QUrl origin; // the loopback page's origin, http://localhost:<port>
    int status = 0; // its HTTP status
    QString heading; // its <h1>: "Signed in", "Sign-in did not complete"
    QMap<QString, QString> authorize; // the authorize request's parameters (decoded), as Chromium sent them
    QByteArray err; // the script's progress, and why it failed

    QString describe() const
    {
        return QStringLiteral("browser-signin exited %1: %2").arg(exitCode).arg(QString::fromUtf8(err));
    }

    static BrowserVisit from(int exitCode, const QByteArray &out, const QByteArray &err)
    {
        BrowserVisit visit;
        visit.exitCode = exitCode;
        visit.err = err;
        const QJsonObject result = QJsonDocument::fromJson(out).object();
        visit.origin = QUrl(result.value(QStringLiteral("origin")).toString());
        visit.status = result.value(QStringLiteral("status")).toInt();
        visit.heading = result.value(QStringLiteral("heading")).toString();
        const QJsonObject authorize = result.value(QStringLiteral("authorize")).toObject();
        for (auto it = authorize.begin(); it != authorize.end(); ++it)
            visit.authorize.insert(it.key(), it.value().toString());
        if (exitCode == 0 && result.isEmpty()) {
            visit.exitCode = 1;
            visit.err += "\nno result on stdout: " + out;
        }
        return visit;
    }
};

// Runs the browser on authorizeUrl until it is back at the product (or fails, or times out).
inline BrowserVisit runBrowserSignIn(const QString &authorizeUrl, const BrowserUser &user = {})
{
    QProcess node;
    node.start(QStringLiteral(AUTOCLOSE_NODE_BIN), user.arguments(authorizeUrl));
    if (!node.waitForFinished((user.timeoutSeconds + 15) * 1000)) {
        node.kill();
        node.waitForFinished();
        return BrowserVisit::from(-1, {}, node.readAllStandardError());
    }
    const int code = node.exitStatus() == QProcess::NormalExit ? node.exitCode() : -1;
    return BrowserVisit::from(code, node.readAllStandardOutput(), node.readAllStandardError());
}

// An `xdg-open` in dir that runs the browser on the one URL it is given, as the user would: put dir first on the
// product's PATH and Qt launches it for QDesktopServices::openUrl (its generic Unix services look for xdg-open before
// $BROWSER). It writes what runBrowserSignIn returns to <result>.out, .err and, last, .rc; readXdgOpenResult reads
// them.
inline bool writeXdgOpenStandIn(const QString &dir, const QString &result, const BrowserUser &user = {})
{
    const auto quoted = [](QString s) -> QString {
        return QStringLiteral("'") + s.replace(QStringLiteral("'"), QStringLiteral("'\\''")) + QStringLiteral("'");
    };
    QString command = quoted(QStringLiteral(AUTOCLOSE_NODE_BIN));
    for (const QString &arg : user.arguments(QStringLiteral("$1")))
        command += u' ' + (arg == QStringLiteral("$1") ? QStringLiteral("\"$1\"") : quoted(arg));
    const QString script =
        QStringLiteral("#!/bin/sh\n"
                       "# Stands in for xdg-open: the test's browser on the URL the product launched.\n"
                       "%1 >%2 2>%3\n"
                       "echo $? >%4.part && mv %4.part %4\n")
            .arg(command, quoted(result + QStringLiteral(".out")), quoted(result + QStringLiteral(".err")),
                 quoted(result + QStringLiteral(".rc")));
    const QString path = dir + QStringLiteral("/xdg-open");
    return writeFile(path, script.toUtf8()) &&
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

// What the stand-in's browser did, once it has finished; exitCode -1 while it has not (or was never launched).
inline BrowserVisit readXdgOpenResult(const QString &result)
{
    const QByteArray rc = readFile(result + QStringLiteral(".rc")).trimmed();
    if (rc.isEmpty()) {
        if (!QFile::exists(result + QStringLiteral(".err")))
            return BrowserVisit::from(-1, {}, "xdg-open was not run: the product launched no browser");
        return BrowserVisit::from(-1, {}, "the browser has not finished: " + readFile(result + QStringLiteral(".err")));
    }
    return BrowserVisit::from(rc.toInt(), readFile(result + QStringLiteral(".out")),
                              readFile(result + QStringLiteral(".err")));
}
