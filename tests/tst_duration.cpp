#include "app/common/Translations.h"
#include "models/Duration.h"

#include <QCoreApplication>
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

    // What people type, read as minutes (-1: never), or refused with a message that says what is wrong.
    void parse_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QString>("message"); // a part of the message; empty when accepted
        const auto ok = [](const char *name, const QString &input, int minutes) {
            QTest::newRow(name) << input << minutes << QString();
        };
        const auto bad = [](const char *name, const QString &input, const QString &message) {
            QTest::newRow(name) << input << 0 << message;
        };
        ok("bare minutes", u"45"_s, 45);
        ok("m", u"45m"_s, 45);
        ok("min with space", u"45 min"_s, 45);
        ok("minutes word", u"45 minutes"_s, 45);
        ok("hours", u"2h"_s, 120);
        ok("hour word", u"1 hour"_s, 60);
        ok("decimal hours", u"1.5h"_s, 90);
        ok("decimal comma", u"1,5 h"_s, 90);
        ok("days and hours", u"1d 12h"_s, 2160);
        ok("days and hours without space", u"1d12h"_s, 2160);
        ok("days word", u"30 days"_s, 43200);
        ok("weeks", u"2 weeks"_s, 20160);
        ok("upper case and spaces", u"  2 H  "_s, 120);
        ok("zero", u"0"_s, 0);
        ok("what format prints", u"1 day 12 h 5 min"_s, 2165);
        ok("the column's maximum", u"2147483647"_s, 2147483647);
        ok("never", u"never"_s, -1);
        ok("Never capitalised", u"Never"_s, -1);
        bad("empty", u""_s, u"Empty"_s);
        bad("words", u"soon"_s, u"not a duration"_s);
        bad("unknown unit", u"5 fortnights"_s, u"“fortnights” is not a unit"_s);
        bad("negative", u"-5"_s, u"cannot be negative"_s);
        bad("fraction of a minute", u"0.5"_s, u"whole number of minutes"_s);
        bad("hundredth of an hour", u"0.01h"_s, u"whole number of minutes"_s);
        bad("over the maximum", u"2147483648"_s, u"at most 2147483647 minutes"_s);
        bad("huge days", u"99999999999d"_s, u"at most"_s);
        bad("absurdly long", QString(60, u'9'), u"at most"_s);
        // Found by fuzz_duration: weeks of a 16-digit number overflowed the arithmetic (undefined behaviour).
        bad("weeks past 64 bits", u"4180422280641806.w 3w 41"_s, u"at most"_s);
        bad("decimals past 64 bits", u"999999999999999.999999 weeks"_s, u"at most"_s);
        bad("number without unit after one with", u"1d 12"_s, u"Give every number a unit"_s);
        bad("two points", u"1.5.5h"_s, u"not a duration"_s);
        bad("punctuation", u"5m!"_s, u"not a duration"_s);
        bad("non-ASCII digits", u"٤٥"_s, u"not a duration"_s);
    }
    void parse()
    {
        QFETCH(QString, input);
        QFETCH(int, minutes);
        QFETCH(QString, message);
        const auto parsed = Duration::parse(input);
        if (!message.isEmpty()) {
            QVERIFY2(!parsed.ok(), qPrintable(input));
            QCOMPARE(parsed.error().kind, Error::Kind::BadInput);
            QVERIFY2(parsed.error().userMessage.contains(message), qPrintable(parsed.error().userMessage));
            return;
        }
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().userMessage));
        QCOMPARE(parsed.value().value_or(-1), minutes);
    }

    void parseReadsWhatFormatWrites()
    {
        for (int minutes : {0, 1, 59, 60, 61, 1439, 1440, 2165, 43200, 2147483647})
            QCOMPARE(Duration::parse(Duration::format(minutes)).value(), std::optional<int>(minutes));
        QCOMPARE(Duration::parse(Duration::format(std::nullopt)).value(), std::optional<int>());
    }

    void parseHonoursTheColumnRange()
    {
        const Duration::Range range {5, 10080};
        QVERIFY(Duration::parse(u"5"_s, range).ok());
        QVERIFY(Duration::parse(u"1 week"_s, range).ok());
        const auto low = Duration::parse(u"4"_s, range);
        QVERIFY(!low.ok());
        QVERIFY(low.error().userMessage.contains(u"at least 5 minutes"_s));
        QVERIFY(Duration::parse(u"0"_s, {1, 10}).error().userMessage.contains(u"at least 1 minute."_s));
        const auto high = Duration::parse(u"7d 1m"_s, range);
        QVERIFY(!high.ok());
        QVERIFY2(high.error().userMessage.contains(u"at most 10080 minutes (7 days)"_s),
                 qPrintable(high.error().userMessage));
        QVERIFY(Duration::parse(u"never"_s, range).ok());
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Translations::install(&app); // as the programs do: "1 minute", "2 minutes"
    TestDuration test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_duration.moc"
