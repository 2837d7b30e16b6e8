// JsonScanner, the strict reader behind the fast conversation pages: what it accepts and refuses, checked against
// QJsonDocument on the same texts, and the values it reads.
#include "app/dataverse/JsonScanner.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// Reads any JSON text completely; false with the scanner's error when it is not JSON.
bool scanAll(const QByteArray &text, QString *error = nullptr)
{
    JsonScanner json(text);
    const bool ok = json.skipValue() && json.finish();
    if (error)
        *error = json.errorString();
    return ok;
}
} // namespace

class TestJsonScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptsAndRefusesLikeQJsonDocument_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("error"); // part of the scanner's message, for the invalid ones
        const auto ok = [](const char *name, const QByteArray &text) {
            QTest::newRow(name) << text << true << QString();
        };
        const auto bad = [](const char *name, const QByteArray &text, const QString &error) {
            QTest::newRow(name) << text << false << error;
        };
        ok("empty object", "{}");
        ok("empty array", "[]");
        ok("nested", "{\"a\":[1,2,{\"b\":null,\"c\":[true,false]}],\"d\":\"x\"}");
        ok("whitespace", " \n\t{ \"a\" : [ 1 , 2 ] }\r\n ");
        ok("numbers", "[0,-0,1.5,-2.25e10,3E-2,1e+2,123456789012]");
        ok("escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\u20ac\",\"\\ud83d\\ude00\"]");
        ok("utf-8", "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"]");
        ok("scalar at the top", "42");
        bad("empty text", "", u"ends too early"_s);
        bad("truncated object", "{\"a\":1", u"ends too early"_s);
        bad("truncated string", "{\"a\":\"bc", u"not closed"_s);
        bad("trailing comma in an object", "{\"a\":1,}", u"member name was expected"_s);
        bad("trailing comma in a list", "[1,2,]", u"a value was expected"_s);
        bad("missing colon", "{\"a\" 1}", u"colon was expected"_s);
        bad("missing comma", "{\"a\":1 \"b\":2}", u"comma or the end of an object"_s);
        bad("unquoted key", "{a:1}", u"member name was expected"_s);
        bad("single quotes", "['a']", u"a value was expected"_s);
        bad("leading zero", "[01]", u"comma or the end of a list"_s);
        bad("bare minus", "[-]", u"number is malformed"_s);
        bad("dot without digits", "[1.]", u"number is malformed"_s);
        bad("exponent without digits", "[1e]", u"number is malformed"_s);
        bad("number too large", "[1e999]", u"number is too large"_s);
        bad("bad literal", "[nul]", u"malformed"_s);
        bad("bad escape", "[\"\\x\"]", u"bad escape"_s);
        bad("short unicode escape", "[\"\\u12\"]", u"bad \\u escape"_s);
        bad("lone high surrogate", "[\"\\ud83d\"]", u"lone surrogate"_s);
        bad("lone low surrogate", "[\"\\ude00\"]", u"lone surrogate"_s);
        bad("raw control character", "[\"a\tb\"]", u"control character"_s);
        bad("invalid utf-8", "[\"\xc3\x28\"]", u"not UTF-8"_s);
        bad("overlong utf-8", "[\"\xc0\xaf\"]", u"not UTF-8"_s);
        bad("text after the value", "{} {}", u"more text after the value"_s);
        bad("nested too deeply", QByteArray(65, '[') + QByteArray(65, ']'), u"nested too deeply"_s);
    }
    void acceptsAndRefusesLikeQJsonDocument()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(QString, error);
        QString message;
        QCOMPARE(scanAll(text, &message), valid);
        if (!valid)
            QVERIFY2(message.contains(error), qPrintable(message));
        // QJsonDocument (Qt's own parser) agrees wherever it reads the same grammar: it takes only objects and
        // arrays at the top, nests deeper than this scanner allows, and lets through a few things RFC 8259 does not
        // (the scanner is never the more lenient one).
        static const QSet<QByteArray> QtIsLenient = {"nested too deeply",  "dot without digits",
                                                     "bad escape",         "lone high surrogate",
                                                     "lone low surrogate", "raw control character"};
        if (QtIsLenient.contains(QTest::currentDataTag()))
            return;
        if (text.trimmed().startsWith('{') || text.trimmed().startsWith('[')) {
            QJsonParseError parsed;
            QJsonDocument::fromJson(text, &parsed);
            QCOMPARE(parsed.error == QJsonParseError::NoError, valid);
        }
    }

    void readsValues()
    {
        JsonScanner json(" {\"s\":\"a\\\"b\\u00e9\",\"n\":-12.5e1,\"z\":null,\"l\":[1,\"x\"],\"k\\u0041\":true} ");
        QVERIFY(json.beginObject());
        QByteArrayView key;
        QVERIFY(json.nextMember(&key));
        QCOMPARE(key, "s");
        QString s;
        QVERIFY(json.readString(&s));
        QCOMPARE(s, u"a\"bé"_s);
        QVERIFY(json.nextMember(&key));
        QCOMPARE(key, "n");
        double n = 0;
        QVERIFY(json.readNumber(&n));
        QCOMPARE(n, -125.0);
        QVERIFY(json.nextMember(&key));
        QCOMPARE(json.peek(), JsonScanner::Type::Null);
        QVERIFY(json.readNull());
        QVERIFY(json.nextMember(&key));
        QCOMPARE(json.peek(), JsonScanner::Type::Array);
        QVERIFY(json.skipValue());
        QVERIFY(json.nextMember(&key));
        QCOMPARE(key, "kA"); // an escaped key, decoded
        QCOMPARE(json.peek(), JsonScanner::Type::Bool);
        QVERIFY(json.skipValue());
        QVERIFY(!json.nextMember(&key));
        QVERIFY(json.finish());
    }

    void readingTheWrongTypeIsAnError()
    {
        JsonScanner json("{\"a\":1}");
        QVERIFY(json.beginObject());
        QByteArrayView key;
        QVERIFY(json.nextMember(&key));
        QString s;
        QVERIFY(!json.readString(&s));
        QVERIFY(json.errorString().contains(u"string was expected"_s));
        QVERIFY(!json.nextMember(&key)); // an error stops everything after it
    }
};

QTEST_GUILESS_MAIN(TestJsonScanner)
#include "tst_jsonscanner.moc"
