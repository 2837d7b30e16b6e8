// The real main window against a sandbox on 127.0.0.1, offscreen.
#include "SandboxFixture.h"
#include "app/dataverse/DataverseClient.h"
#include "models/ConfigTableModel.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = SandboxFixture::start();
        QVERIFY(m_fixture);
    }
    void cleanupTestCase() { m_fixture.reset(); }

    void showsTheDemoConfigurations()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(m_fixture->token);
        MainWindow window(&client, demoEnvironment());
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.refresh();
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.first().first().toBool(), true);

        QTableView *view = window.detailsView();
        QCOMPARE(view->model()->rowCount(), 24);
        QVERIFY(view->isVisible());
        // The rows the user sees, through the view's own model (sorted by channel).
        QStringList channels;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            channels << view->model()->index(row, ConfigTableModel::Channel).data().toString();
        QVERIFY(channels.contains(u"Live chat"_s));
        QVERIFY(channels.contains(u"Voice"_s));
        QVERIFY(std::is_sorted(channels.begin(), channels.end(), [](const QString &a, const QString &b) {
            return QString::localeAwareCompare(a, b) < 0;
        }));
        QVERIFY(view->visualRect(view->model()->index(0, 0)).isValid());
        QVERIFY(window.findChild<QLabel *>(u"demoNotice"_s)->isVisible());

        // Typing in the filter box narrows the rows.
        auto *filter = window.findChild<QLineEdit *>(u"filter"_s);
        QVERIFY(filter);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, u"voice"_s);
        QCOMPARE(view->model()->rowCount(), 4);
        filter->clear();
        QCOMPARE(view->model()->rowCount(), 24);

        // F5 loads again.
        QTest::keyClick(&window, Qt::Key_F5);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(view->model()->rowCount(), 24);
    }

    void showsWhatWentWrongAndRetries()
    {
        DataverseClient client(m_fixture->sandbox->url(), &m_network);
        client.setAccessToken(u"expired"_s);
        MainWindow window(&client, demoEnvironment());
        window.setView(MainWindow::View::Details); // the details list, as these tests drive it
        window.show();
        QSignalSpy loaded(&window, &MainWindow::loadFinished);
        window.refresh();
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.last().first().toBool(), false);
        QCOMPARE(window.detailsView()->model()->rowCount(), 0);
        const QList<QLabel *> labels = window.findChildren<QLabel *>();
        const bool shown = std::any_of(labels.begin(), labels.end(), [](QLabel *l) {
            return l->isVisible() && l->text().contains(u"Sign in again"_s);
        });
        QVERIFY2(shown, "the error and what to do are on screen");

        client.setAccessToken(m_fixture->token);
        QTest::keyClick(&window, Qt::Key_F5);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.last().first().toBool(), true);
        QCOMPARE(window.detailsView()->model()->rowCount(), 24);
    }

private:
    EnvironmentInfo demoEnvironment() const
    {
        EnvironmentInfo environment;
        environment.name = u"Demo environment"_s;
        environment.demo = true;
        environment.journalDir = m_fixture->dir.path() + u"/journal"_s;
        return environment;
    }

    std::unique_ptr<SandboxFixture> m_fixture;
    QNetworkAccessManager m_network;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
