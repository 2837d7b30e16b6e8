// Paging over real HTTP (docs/web-api.md, Paging): following @odata.nextLink gives every row once in the order
// asked for, whatever the ordering and wherever its ties and NULLs fall; rows written between two pages neither
// repeat nor hide others; $top counts across pages; and a paging cookie that was changed, or that belongs to another
// query or another data directory, is refused as Dataverse refuses a bad $skiptoken.
#include "TestHttp.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/LocalSandbox.h"
#include "app/sandbox/SandboxStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Token = "paging-test-token";
const QString Key = u"activityid"_s;
using Predicate = std::function<bool(const QJsonObject &)>;
using Options = QList<std::pair<QString, QString>>;

// A row written between two pages, and whether it sorts after the cursor (so the rest of the read must show it).
struct Insert
{
    QString id;
    QVariantHash values;
    bool afterCursor = false;
};
using Inserts = QList<Insert>;

// What following the nextLinks from a first page gave.
struct Walk
{
    QList<QJsonObject> rows;
    QStringList ids;
    int pages = 0;
    int status = 200; // the first status that was not 200, if any
    QString error;
    QUrl next; // the nextLink of the last page read
};

// SQLite's order, written independently of the sandbox: NULL first ascending, numbers by value, text by its UTF-8
// bytes (the BINARY collation), the key last unless the ordering names it.
int compareValues(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull() ? 0 : (a.isNull() ? -1 : 1);
    if (a.isDouble())
        return a.toInteger() < b.toInteger() ? -1 : (a.toInteger() > b.toInteger() ? 1 : 0);
    const QByteArray x = a.toString().toUtf8();
    const QByteArray y = b.toString().toUtf8();
    return x < y ? -1 : (x > y ? 1 : 0);
}

QList<QJsonObject> sorted(QList<QJsonObject> rows, const QString &orderBy)
{
    QList<std::pair<QString, bool>> columns; // JSON name, descending
    for (const QString &part : orderBy.split(u',', Qt::SkipEmptyParts)) {
        const QStringList words = part.simplified().split(u' ');
        columns << std::pair {words.value(0), words.value(1).toLower() == u"desc"_s};
    }
    columns << std::pair {Key, false};
    std::sort(rows.begin(), rows.end(), [&columns](const QJsonObject &a, const QJsonObject &b) {
        for (const auto &[name, descending] : columns) {
            const int c = compareValues(a.value(name), b.value(name));
            if (c != 0)
                return descending ? c > 0 : c < 0;
        }
        return false;
    });
    return rows;
}

QStringList idsOf(const QList<QJsonObject> &rows)
{
    QStringList ids;
    for (const QJsonObject &row : rows)
        ids << row.value(Key).toString();
    return ids;
}
} // namespace
Q_DECLARE_METATYPE(Predicate)
Q_DECLARE_METATYPE(Inserts)

class TestSandboxPaging : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto sandbox = LocalSandbox::start(m_dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        m_sandbox = std::move(sandbox).value();
        // One page holds the whole demo: the reference every paged read is compared with.
        const Walk all = walk(m_sandbox.get(), {}, 5000);
        QCOMPARE(all.status, 200);
        QCOMPARE(all.pages, 1);
        m_all = all.rows;
        QVERIFY(m_all.size() >= 300);
        qsizetype nullWrapUps = 0;
        for (const QJsonObject &row : std::as_const(m_all))
            nullWrapUps += row.value(u"msdyn_wrapupinitiatedon"_s).isNull() ? 1 : 0;
        QVERIFY2(nullWrapUps > 50 && nullWrapUps < m_all.size() - 20, "NULLs and values, each over several pages");
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void everyRowOnceInOrder_data()
    {
        QTest::addColumn<QString>("orderBy");
        QTest::addColumn<Options>("options");
        QTest::addColumn<Predicate>("predicate");
        QTest::addColumn<int>("pageSize");
        const Predicate everyRow = [](const QJsonObject &) {
            return true;
        };
        QTest::newRow("by the key") << QString() << Options() << everyRow << 7;
        QTest::newRow("the key descending") << u"activityid desc"_s << Options() << everyRow << 11;
        QTest::newRow("newest first") << u"createdon desc"_s << Options() << everyRow << 13;
        QTest::newRow("nullable ascending: NULLs first, ties by key")
            << u"msdyn_wrapupinitiatedon asc"_s << Options() << everyRow << 7;
        QTest::newRow("nullable descending: NULLs last, ties by key")
            << u"msdyn_wrapupinitiatedon desc"_s << Options() << everyRow << 9;
        QTest::newRow("ties, then nullable descending")
            << u"msdyn_channel asc,msdyn_wrapupinitiatedon desc"_s << Options() << everyRow << 8;
        QTest::newRow("mixed directions") << u"statuscode desc,createdon asc"_s << Options() << everyRow << 17;
        QTest::newRow("three columns, nullable between")
            << u"statecode asc,msdyn_wrapupinitiatedon asc,subject desc"_s << Options() << everyRow << 6;
        QTest::newRow("many ties on text") << u"subject asc"_s << Options() << everyRow << 5;
        QTest::newRow("a lookup, descending") << u"_msdyn_liveworkstreamid_value desc"_s << Options() << everyRow << 19;
        QTest::newRow("the sort columns not selected") << u"msdyn_wrapupinitiatedon desc,createdon asc"_s
                                                       << Options {{u"$select"_s, u"subject"_s}} << everyRow << 10;
        QTest::newRow("filtered, nullable")
            << u"msdyn_wrapupinitiatedon desc"_s << Options {{u"$filter"_s, u"statuscode eq 5"_s}}
            << Predicate([](const QJsonObject &r) { return r.value(u"statuscode"_s).toInt() == 5; }) << 6;
        QTest::newRow("expanded (rows as objects)")
            << u"msdyn_wrapupinitiatedon asc"_s
            << Options {{u"$select"_s, u"subject,msdyn_wrapupinitiatedon"_s},
                        {u"$expand"_s, u"msdyn_liveworkstreamid($select=msdyn_name)"_s}}
            << everyRow << 12;
    }
    void everyRowOnceInOrder()
    {
        QFETCH(QString, orderBy);
        QFETCH(Options, options);
        QFETCH(Predicate, predicate);
        QFETCH(int, pageSize);
        QList<QJsonObject> matching;
        for (const QJsonObject &row : std::as_const(m_all)) {
            if (predicate(row))
                matching << row;
        }
        const QStringList expected = idsOf(sorted(matching, orderBy));
        if (!orderBy.isEmpty())
            options << std::pair {u"$orderby"_s, orderBy};
        const Walk paged = walk(m_sandbox.get(), options, pageSize);
        QCOMPARE(paged.status, 200);
        QCOMPARE(paged.pages, int((expected.size() + pageSize - 1) / pageSize));
        QCOMPARE(paged.ids.size(), expected.size());
        QCOMPARE(paged.ids, expected);
    }

    void stableWhileRowsAreWritten_data()
    {
        QTest::addColumn<QString>("orderBy");
        QTest::addColumn<Inserts>("inserts");
        const QString first = u"00000000-0000-4000-8000-00000000000"_s;
        const QString last = u"ffffffff-ffff-4fff-bfff-fffffffffff"_s;
        const QString wrapUp = u"msdyn_wrapupinitiatedon"_s;
        QTest::newRow("by the key") << QString() << Inserts {{first + u'1', {}, false}, {last + u'1', {}, true}};
        // The first page ends inside the NULLs, which the key orders: new NULLs fall on both sides of the cursor.
        QTest::newRow("nullable ascending, inside the NULLs")
            << u"msdyn_wrapupinitiatedon asc"_s
            << Inserts {{first + u'2', {{wrapUp, QVariant()}}, false},
                        {last + u'2', {{wrapUp, QVariant()}}, true},
                        {first + u'3', {{wrapUp, u"2001-01-01T00:00:00Z"_s}}, true}};
        QTest::newRow("nullable descending, NULLs last")
            << u"msdyn_wrapupinitiatedon desc"_s
            << Inserts {{first + u'4', {{wrapUp, u"2099-01-01T00:00:00Z"_s}}, false},
                        {first + u'5', {{wrapUp, QVariant()}}, true}};
        QTest::newRow("text descending") << u"subject desc"_s
                                         << Inserts {
                                                {last + u'6', {{u"subject"_s, u"zzz written meanwhile"_s}}, false},
                                                {first + u'7', {{u"subject"_s, u"AAA written meanwhile"_s}}, true}};
    }
    void stableWhileRowsAreWritten()
    {
        // Offset paging fails this: a row written before the cursor pushes the page's last row onto the next page.
        QFETCH(QString, orderBy);
        QFETCH(Inserts, inserts);
        QTemporaryDir dir; // rows are written: a sandbox of its own
        auto sandbox = LocalSandbox::start(dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(sandbox.ok());
        const Options options =
            orderBy.isEmpty() ? Options() : Options {{u"$orderby"_s, orderBy}, {u"$select"_s, u"subject"_s}};
        const QStringList original = walk(sandbox.value().get(), options, 5000).ids;
        QVERIFY(original.size() >= 300);

        Walk paged = walk(sandbox.value().get(), options, 40, 1);
        QCOMPARE(paged.status, 200);
        QCOMPARE(paged.ids, original.first(40));
        QVERIFY(!paged.next.isEmpty());
        // Written by another connection to the same data directory, as another process serving it would.
        auto other = SandboxStore::open(dir.path());
        QVERIFY(other.ok());
        const EntitySetDef &set = *EntitySchema::find(u"msdyn_ocliveworkitems"_s);
        for (const Insert &insert : inserts) {
            const auto written = other.value()->upsert(set, insert.id, insert.values, {});
            QVERIFY(written.ok());
            QCOMPARE(written.value(), SandboxStore::WriteOutcome::Created);
        }
        const Walk rest = walkFrom(paged.next, 40);
        QCOMPARE(rest.status, 200);
        const QStringList ids = paged.ids + rest.ids;
        for (const QString &id : original)
            QVERIFY2(ids.count(id) == 1, qPrintable(u"%1 read %2 times"_s.arg(id).arg(ids.count(id))));
        qsizetype after = 0;
        for (const Insert &insert : inserts) {
            QCOMPARE(ids.count(insert.id), insert.afterCursor ? 1 : 0);
            after += insert.afterCursor ? 1 : 0;
        }
        QCOMPARE(ids.size(), original.size() + after);
    }

    void topCountsAcrossPages_data()
    {
        QTest::addColumn<int>("top");
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<int>("pages");
        QTest::newRow("over several pages") << 100 << 30 << 4;
        QTest::newRow("ending on a page's end") << 90 << 30 << 3;
        QTest::newRow("one full page") << 30 << 30 << 1;
        QTest::newRow("more than there are") << 100000 << 70 << -1;
        QTest::newRow("none") << 0 << 30 << 1;
    }
    void topCountsAcrossPages()
    {
        QFETCH(int, top);
        QFETCH(int, pageSize);
        QFETCH(int, pages);
        const QString orderBy = u"msdyn_wrapupinitiatedon desc"_s;
        const QStringList all = idsOf(sorted(m_all, orderBy));
        const qsizetype expected = std::min<qsizetype>(top, all.size());
        const Walk paged =
            walk(m_sandbox.get(), {{u"$top"_s, QString::number(top)}, {u"$orderby"_s, orderBy}}, pageSize);
        QCOMPARE(paged.status, 200);
        QCOMPARE(paged.ids, all.first(expected));
        QCOMPARE(paged.pages, pages >= 0 ? pages : int((all.size() + pageSize - 1) / pageSize));
    }

    void changedCookiesAreRefused()
    {
        const Options options {{u"$orderby"_s, u"createdon desc"_s}, {u"$select"_s, u"subject,createdon"_s}};
        const Walk first = walk(m_sandbox.get(), options, 20, 1);
        QVERIFY(!first.next.isEmpty());
        const QString token = QUrlQuery(first.next).queryItemValue(u"$skiptoken"_s, QUrl::FullyDecoded);
        QVERIFY(!token.isEmpty());
        // Opaque to clients: base64url, nothing to read or build on.
        static const QRegularExpression base64url(u"^[A-Za-z0-9_-]+$"_s);
        QVERIFY2(base64url.match(token).hasMatch(), qPrintable(token));
        QCOMPARE(pageAt(first.next).status, 200); // as given, it works: the refusals below are the changes'

        const QByteArray bytes = QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        QVERIFY(bytes.size() > 32);
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            QByteArray changed = bytes;
            changed[i] = char(changed.at(i) ^ 0x01);
            const QString text =
                QString::fromLatin1(changed.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            expectRefused(withSkipToken(first.next, text), u"byte %1 flipped"_s.arg(i));
            if (QTest::currentTestFailed())
                return;
        }
        expectRefused(withSkipToken(first.next, token.chopped(1)), u"cut short"_s);
        expectRefused(withSkipToken(first.next, token + u'A'), u"lengthened"_s);
        const QString offset = QString::fromLatin1(QByteArray("offset=20").toBase64(QByteArray::Base64UrlEncoding));
        expectRefused(withSkipToken(first.next, offset), u"the offset the sandbox used to give"_s);
    }

    void cookiesBelongToTheirQuery_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::newRow("another ordering") << u"$orderby"_s << u"createdon asc"_s;
        QTest::newRow("another filter") << u"$filter"_s << u"statuscode eq 1"_s;
        QTest::newRow("another selection") << u"$select"_s << u"subject"_s;
    }
    void cookiesBelongToTheirQuery()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        const Options options {{u"$orderby"_s, u"createdon desc"_s}, {u"$select"_s, u"subject,createdon"_s}};
        const Walk first = walk(m_sandbox.get(), options, 20, 1);
        QVERIFY(!first.next.isEmpty());
        QUrl other = first.next;
        QUrlQuery query(other);
        query.removeAllQueryItems(option);
        query.addQueryItem(option, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        other.setQuery(query);
        QVERIFY(other != first.next);
        expectRefused(other, option);
    }

    void theDataDirectoryKeepsTheSecret()
    {
        // Two sandboxes serving one data directory (the window's Demo environment and autoclose-cli's) follow each
        // other's links; one serving another directory does not.
        QTemporaryDir dir;
        auto one = LocalSandbox::start(dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(one.ok());
        auto two = LocalSandbox::start(dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(two.ok());
        QVERIFY(!one.value()->store()->pagingSecret().isEmpty());
        QCOMPARE(two.value()->store()->pagingSecret(), one.value()->store()->pagingSecret());
        QVERIFY(one.value()->store()->pagingSecret() != m_sandbox->store()->pagingSecret());

        const Options options {{u"$orderby"_s, u"msdyn_wrapupinitiatedon asc"_s}};
        const Walk first = walk(one.value().get(), options, 25, 1);
        QVERIFY(!first.next.isEmpty());
        const QString path = first.next.path() + u'?' + first.next.query(QUrl::FullyEncoded);
        const TestReply here = pageAt(first.next);
        QCOMPARE(here.status, 200);
        const TestReply there = pageAt(QUrl(two.value()->url().toString() + path));
        QCOMPARE(there.status, 200);
        QCOMPARE(there.json().value(u"value"_s), here.json().value(u"value"_s));
        expectRefused(QUrl(m_sandbox->url().toString() + path), u"another data directory"_s);

        // And after a restart, the directory's links still work.
        two.value().reset();
        one.value().reset();
        auto again = LocalSandbox::start(dir.path(), 0, {QString::fromLatin1(Token)});
        QVERIFY(again.ok());
        QCOMPARE(pageAt(QUrl(again.value()->url().toString() + path)).status, 200);
    }

    void skipIsRefused()
    {
        // The Web API has no $skip (docs/web-api.md): paging is by nextLink only.
        const TestReply reply = testGet(api(m_sandbox.get(), u"msdyn_ocliveworkitems?$skip=20"_s), Token);
        QCOMPARE(reply.status, 400);
        const QJsonObject error = reply.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), u"0x80060888"_s);
        QVERIFY2(error.value(u"message"_s).toString().contains(u"$skip"_s),
                 qPrintable(error.value(u"message"_s).toString()));
    }

private:
    static QUrl api(const LocalSandbox *sandbox, const QString &path)
    {
        return QUrl(sandbox->url().toString() + u"/api/data/v9.2/"_s + path);
    }

    static TestReply pageAt(const QUrl &url, int pageSize = 5000)
    {
        return testGet(url, Token, {{"Prefer", "odata.maxpagesize=" + QByteArray::number(pageSize)}});
    }

    static QUrl withSkipToken(QUrl url, const QString &token)
    {
        QUrlQuery query(url);
        query.removeAllQueryItems(u"$skiptoken"_s);
        query.addQueryItem(u"$skiptoken"_s, QString::fromLatin1(QUrl::toPercentEncoding(token)));
        url.setQuery(query);
        return url;
    }

    static void expectRefused(const QUrl &url, const QString &why)
    {
        const TestReply reply = pageAt(url, 20);
        QVERIFY2(reply.status == 400, qPrintable(u"%1: HTTP %2"_s.arg(why).arg(reply.status)));
        const QJsonObject error = reply.json().value(u"error"_s).toObject();
        QCOMPARE(error.value(u"code"_s).toString(), u"0x80060888"_s);
        QCOMPARE(error.value(u"message"_s).toString(),
                 u"The $skiptoken is not valid; follow @odata.nextLink as given."_s);
    }

    // Follows the nextLinks from the first page of the conversations with these options, at most maxPages pages.
    static Walk walk(const LocalSandbox *sandbox, const Options &options, int pageSize, int maxPages = 100000)
    {
        QUrlQuery query;
        for (const auto &[name, value] : options)
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        QUrl first = api(sandbox, u"msdyn_ocliveworkitems"_s);
        first.setQuery(query);
        return walkFrom(first, pageSize, maxPages);
    }

    static Walk walkFrom(const QUrl &first, int pageSize, int maxPages = 100000)
    {
        Walk walked;
        for (QUrl next = first; !next.isEmpty() && walked.pages < maxPages;) {
            const TestReply reply = pageAt(next, pageSize);
            if (reply.status != 200) {
                walked.status = reply.status;
                walked.error = QString::fromUtf8(reply.body);
                return walked;
            }
            ++walked.pages;
            const QJsonObject body = reply.json();
            for (const QJsonValue &v : body.value(u"value"_s).toArray()) {
                walked.rows << v.toObject();
                walked.ids << v.toObject().value(Key).toString();
            }
            next = QUrl(body.value(u"@odata.nextLink"_s).toString());
            walked.next = next;
        }
        return walked;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<LocalSandbox> m_sandbox;
    QList<QJsonObject> m_all;
};

QTEST_GUILESS_MAIN(TestSandboxPaging)
#include "tst_sandboxpaging.moc"
