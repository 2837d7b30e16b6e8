// Clouds (docs/discovery.md): each one's authority and discovery service, the cloud an environment's address is
// in, and how profiles keep, infer and check their cloud.
#include "app/auth/Cloud.h"
#include "app/auth/Profile.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestClouds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachCloudsServices_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("authority");
        QTest::addColumn<QString>("discovery");
        QTest::newRow("commercial") << u"commercial"_s << u"https://login.microsoftonline.com"_s
                                    << u"https://globaldisco.crm.dynamics.com"_s;
        QTest::newRow("gcc") << u"gcc"_s << u"https://login.microsoftonline.com"_s
                             << u"https://globaldisco.crm9.dynamics.com"_s;
        QTest::newRow("gcc-high") << u"gcc-high"_s << u"https://login.microsoftonline.us"_s
                                  << u"https://globaldisco.crm.microsoftdynamics.us"_s;
        QTest::newRow("dod") << u"dod"_s << u"https://login.microsoftonline.us"_s
                             << u"https://globaldisco.crm.appsplatform.us"_s;
        QTest::newRow("china") << u"china"_s << u"https://login.chinacloudapi.cn"_s
                               << u"https://globaldisco.crm.dynamics.cn"_s;
        QTest::newRow("custom") << u"custom"_s << QString() << QString();
    }
    void eachCloudsServices()
    {
        QFETCH(QString, name);
        QFETCH(QString, authority);
        QFETCH(QString, discovery);
        const auto cloud = Clouds::fromName(name.toUpper());
        QVERIFY(cloud);
        QCOMPARE(Clouds::name(*cloud), name);
        QCOMPARE(Clouds::authority(*cloud).toString(), authority);
        QCOMPARE(Clouds::discovery(*cloud).toString(), discovery);
        QVERIFY(!Clouds::label(*cloud).isEmpty());
        QVERIFY(Clouds::all().contains(*cloud));
    }

    void unknownNames()
    {
        QVERIFY(!Clouds::fromName(u"mars"_s));
        QVERIFY(!Clouds::fromName(QString()));
    }

    void theCloudOfAnAddress_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("cloud"); // empty: none
        QTest::newRow("commercial") << u"https://contoso.crm.dynamics.com"_s << u"commercial"_s;
        QTest::newRow("commercial, another region") << u"https://contoso.crm4.dynamics.com/"_s << u"commercial"_s;
        QTest::newRow("gcc") << u"https://agency.crm9.dynamics.com"_s << u"gcc"_s;
        QTest::newRow("gcc high") << u"https://agency.crm.microsoftdynamics.us"_s << u"gcc-high"_s;
        QTest::newRow("dod") << u"https://agency.crm.appsplatform.us"_s << u"dod"_s;
        QTest::newRow("china") << u"https://contoso.crm.dynamics.cn"_s << u"china"_s;
        QTest::newRow("upper case") << u"https://CONTOSO.CRM9.DYNAMICS.COM"_s << u"gcc"_s;
        QTest::newRow("a local sandbox") << u"http://127.0.0.1:5000"_s << QString();
        QTest::newRow("look-alike") << u"https://crm9.dynamics.com.example.net"_s << QString();
    }
    void theCloudOfAnAddress()
    {
        QFETCH(QString, url);
        QFETCH(QString, cloud);
        const auto found = Clouds::ofEnvironment(QUrl(url));
        QCOMPARE(found ? Clouds::name(*found) : QString(), cloud);
    }

    // A profile saved before clouds existed gets the cloud of its authority, told apart by its address.
    void profilesFromBeforeCloudsGetOne()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"profiles.ini"_s);
        {
            QSettings s(file, QSettings::IniFormat);
            const auto add = [&s](const QString &id, const QString &url, const QString &authority) {
                s.setValue(u"profiles/%1/name"_s.arg(id), id);
                s.setValue(u"profiles/%1/url"_s.arg(id), url);
                s.setValue(u"profiles/%1/authority"_s.arg(id), authority);
            };
            add(u"commercial"_s, u"https://a.crm.dynamics.com"_s, u"https://login.microsoftonline.com"_s);
            add(u"gcc"_s, u"https://a.crm9.dynamics.com"_s, u"https://login.microsoftonline.com"_s);
            add(u"dod"_s, u"https://a.crm.appsplatform.us"_s, u"https://login.microsoftonline.us"_s);
            add(u"custom"_s, u"https://a.crm.dynamics.com"_s, u"https://adfs.contoso.com"_s);
        }
        const ProfileStore store(file);
        for (const QString &id : {u"commercial"_s, u"gcc"_s, u"dod"_s, u"custom"_s}) {
            const auto p = store.find(id);
            QVERIFY(p);
            QCOMPARE(Clouds::name(p->cloud), id);
        }
        QCOMPARE(store.find(u"gcc"_s)->discovery(), QUrl(u"https://globaldisco.crm9.dynamics.com"_s));
        QVERIFY(store.find(u"custom"_s)->discovery().isEmpty());
    }

    void savedProfilesKeepTheirCloud()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(u"profiles.ini"_s));
        Profile high;
        high.name = u"Agency"_s;
        high.orgUrl = QUrl(u"https://agency.crm.microsoftdynamics.us"_s);
        high.setCloud(Cloud::GccHigh);
        QCOMPARE(high.authority, QUrl(u"https://login.microsoftonline.us"_s));
        QVERIFY(store.save(high));
        QCOMPARE(store.find(u"Agency"_s)->cloud, Cloud::GccHigh);

        // An authority of its own makes it a custom cloud's, which may name a discovery service.
        Profile own;
        own.name = u"Own"_s;
        own.orgUrl = QUrl(u"http://127.0.0.1:5000"_s);
        own.authority = QUrl(u"http://127.0.0.1:6000"_s);
        own.discoveryUrl = QUrl(u"http://127.0.0.1:5000"_s);
        QVERIFY(store.save(own));
        const auto saved = store.find(u"Own"_s);
        QCOMPARE(saved->cloud, Cloud::Custom);
        QCOMPARE(saved->discovery(), QUrl(u"http://127.0.0.1:5000"_s));
    }

    void aCloudThatDoesNotMatchTheAddressIsRefused()
    {
        Profile p;
        p.name = u"Mixed"_s;
        p.orgUrl = QUrl(u"https://agency.crm9.dynamics.com"_s);
        p.setCloud(Cloud::Commercial);
        const auto valid = p.validate();
        QVERIFY(!valid);
        QVERIFY2(valid.error().userMessage.contains(u"is in the US Government (GCC) cloud, but the profile says "
                                                    u"Commercial"_s),
                 qPrintable(valid.error().userMessage));
        p.setCloud(Cloud::Gcc);
        QVERIFY(p.validate());
        // Discovery asks for its own resource; the environment's stays the default.
        QCOMPARE(p.resource(), u"https://agency.crm9.dynamics.com"_s);
        p.tokenResource = u"https://globaldisco.crm9.dynamics.com/"_s;
        QCOMPARE(p.resource(), u"https://globaldisco.crm9.dynamics.com/"_s);
    }
};

QTEST_GUILESS_MAIN(TestClouds)
#include "tst_clouds.moc"
