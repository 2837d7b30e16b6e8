#include "models/Duration.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestDuration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void format_data()
    {
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero") << 0 << u"0 min"_s;
        QTest::newRow("under an hour") << 45 << u"45 min"_s;
        QTest::newRow("one hour") << 60 << u"1 h"_s;
        QTest::newRow("hour and minutes") << 90 << u"1 h 30 min"_s;
        QTest::newRow("two hours") << 120 << u"2 h"_s;
        QTest::newRow("one day") << 1440 << u"1 day"_s;
        QTest::newRow("day and a half") << 2160 << u"1 day 12 h"_s;
        QTest::newRow("thirty days") << 43200 << u"30 days"_s;
        QTest::newRow("all parts") << 1440 + 61 << u"1 day 1 h 1 min"_s;
        QTest::newRow("largest") << 2147483647 << u"1491308 days 2 h 7 min"_s;
    }
    void format()
    {
        QFETCH(int, minutes);
        QFETCH(QString, expected);
        QCOMPARE(Duration::format(minutes), expected);
    }
    void never() { QCOMPARE(Duration::format(std::nullopt), u"Never"_s); }
};

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
