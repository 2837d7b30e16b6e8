#include "app/dataverse/OrgUrl.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestOrgUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepted_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("org");
        QTest::newRow("plain") << u"https://contoso.crm.dynamics.com"_s << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("trailing slash") << u"https://contoso.crm.dynamics.com/"_s
                                        << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("web api path") << u"https://contoso.crm4.dynamics.com/api/data/v9.1/"_s
                                      << u"https://contoso.crm4.dynamics.com"_s;
        QTest::newRow("main.aspx") << u"https://Contoso.crm.dynamics.com/main.aspx?appid=123&pagetype=dashboard"_s
                                   << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("bare host means https")
            << u"contoso.crm.dynamics.com"_s << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("whitespace") << u"  https://contoso.crm.dynamics.com  "_s
                                    << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("loopback http") << u"http://127.0.0.1:8080/api/data/v9.2"_s << u"http://127.0.0.1:8080"_s;
        QTest::newRow("localhost http") << u"http://localhost:8080"_s << u"http://localhost:8080"_s;
    }
    void accepted()
    {
        QFETCH(QString, input);
        QFETCH(QString, org);
        const auto result = OrgUrl::parse(input);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().userMessage));
        QCOMPARE(result.value().toString(), org);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << u""_s << u"No environment URL"_s;
        QTest::newRow("http to a real host") << u"http://contoso.crm.dynamics.com"_s << u"Refusing plain http"_s;
        QTest::newRow("ftp") << u"ftp://contoso.crm.dynamics.com"_s << u"https"_s;
        QTest::newRow("credentials") << u"https://user:pw@contoso.crm.dynamics.com"_s << u"user name"_s;
        QTest::newRow("garbage") << u"https://"_s << u"not a web address"_s;
        QTest::newRow("a word") << u"contoso"_s << u"https://contoso.crm.dynamics.com"_s;
        QTest::newRow("a word with scheme") << u"https://prod"_s << u"not a full environment address"_s;
    }
    void refused()
    {
        QFETCH(QString, input);
        QFETCH(QString, messagePart);
        const auto result = OrgUrl::parse(input);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::BadInput);
        QVERIFY2(result.error().userMessage.contains(messagePart), qPrintable(result.error().userMessage));
    }

    void webApiRoot()
    {
        QCOMPARE(OrgUrl::webApiRoot(QUrl(u"https://contoso.crm.dynamics.com"_s)).toString(),
                 u"https://contoso.crm.dynamics.com/api/data/v9.2/"_s);
    }
};

QTEST_GUILESS_MAIN(TestOrgUrl)
#include "tst_orgurl.moc"
