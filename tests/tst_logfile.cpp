// The log file: secrets masked whatever logged them, rotation, private permissions, and no token in it after the
// window has loaded and saved against a sandbox with every debug line switched on.
#include "app/common/LogFile.h"
#include "app/dataverse/DataverseClient.h"
#include "models/ConfigTableModel.h"
#include "ui/MainWindow.h"
#include "ui/SaveConfirmDialog.h"

#include "GuiTestSupport.h"
#include "SandboxFixture.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestLogFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { LogFile::uninstall(); }

    void redacts_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bearer header") << u"Authorization: Bearer abc.DEF-123_x~y+z/="_s
                                       << u"Authorization: Bearer ***"_s;
        QTest::newRow("form fields") << u"grant_type=refresh_token&refresh_token=0.AAA-x&client_secret=s3cr3t~"_s
                                     << u"grant_type=refresh_token&refresh_token=***&client_secret=***"_s;
        QTest::newRow("auth code in a redirect") << u"GET /?code=M.R3_BAY&state=xyz"_s << u"GET /?code=***&state=xyz"_s;
        QTest::newRow("json tokens") << u"{\"access_token\": \"eyJhbGci\", \"expires_in\": 3599}"_s
                                     << u"{\"access_token\":\"***\", \"expires_in\": 3599}"_s;
        QTest::newRow("a bare JWT") << u"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x done"_s
                                    << u"token *** done"_s;
        QTest::newRow("ordinary text stays")
            << u"loaded 24 configurations; code 0x80060882"_s << u"loaded 24 configurations; code 0x80060882"_s;
    }
    void redacts()
    {
        QFETCH(QString, message);
        QFETCH(QString, expected);
        QCOMPARE(LogFile::redact(message), expected);
    }

    void writesRotatesAndStaysPrivate()
    {
        QTemporaryDir dir;
        const auto path = LogFile::install(dir.path() + u"/logs"_s, u"test"_s, LogFile::Options {2000, 2});
        QVERIFY(path.ok());
        for (int i = 0; i < 100; ++i)
            qInfo("line %d with Authorization: Bearer secret-token-%d", i, i);
        LogFile::uninstall();
        QVERIFY(QFile::exists(path.value()));
        QVERIFY(QFile::exists(path.value() + u".1"_s));
        QVERIFY(QFile::exists(path.value() + u".2"_s));
        QVERIFY(!QFile::exists(path.value() + u".3"_s)); // only two old files kept
        QCOMPARE(QFile::permissions(path.value()) & 0x0077, QFileDevice::Permissions());
        QString all;
        for (const QString &name : QDir(dir.path() + u"/logs"_s).entryList(QDir::Files)) {
            QFile file(dir.path() + u"/logs/"_s + name);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            QVERIFY(content.size() <= 2000);
            all += QString::fromUtf8(content);
        }
        QVERIFY(all.contains(u"line 99 with Authorization: Bearer ***"_s));
        QVERIFY(!all.contains(u"secret-token"_s));
    }

    // The real window loads and saves against a sandbox with every autoclose and Qt network debug line on; the
    // token must appear nowhere in the log.
    void noTokenAfterLoadAndSave()
    {
        QTemporaryDir dir;
        const auto path = LogFile::install(dir.path(), u"editor"_s);
        QVERIFY(path.ok());
        QLoggingCategory::setFilterRules(u"autoclose.*.debug=true\nqt.network.*.debug=true"_s);
        auto fixture = SandboxFixture::start();
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        const QString token = fixture->token;
        {
            EnvironmentInfo environment;
            environment.name = u"Demo environment"_s;
            environment.key = u"log-test"_s;
            environment.journalDir = dir.path() + u"/journal"_s;
            MainWindow window(&client, environment);
            window.setView(MainWindow::View::Details); // the details list, as these tests drive it
            window.show();
            QApplication::setActiveWindow(&window);
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QSignalSpy loaded(&window, &MainWindow::loadFinished);
            window.refresh();
            QVERIFY(loaded.wait(20000));
            QTableView *view = window.detailsView();
            GuiTestSupport::typeValue(view, GuiTestSupport::rowOf(view, u"Live chat"_s, u"Open"_s), u"25"_s);
            QSignalSpy saved(&window, &MainWindow::saveFinished);
            GuiTestSupport::whenDialog<SaveConfirmDialog>(this, [](SaveConfirmDialog *dialog) { dialog->accept(); });
            window.save();
            QVERIFY(saved.wait(20000));
            QCOMPARE(saved.last().first().toBool(), true);
        }
        QLoggingCategory::setFilterRules(QString());
        LogFile::uninstall();
        QFile file(path.value());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString log = QString::fromUtf8(file.readAll());
        QVERIFY2(log.contains(u"loaded 24 configurations"_s), qPrintable(log.left(2000)));
        QVERIFY2(log.contains(u"1 saved"_s), qPrintable(log.right(2000)));
        QVERIFY2(log.contains(u"autoclose.dataverse"_s), "the request lines were logged"); // debug lines were on
        QVERIFY2(!log.contains(token), "the bearer token is not in the log");
    }
};

QTEST_MAIN(TestLogFile)
#include "tst_logfile.moc"
