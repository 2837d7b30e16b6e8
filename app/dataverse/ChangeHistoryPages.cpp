// ChangeHistoryReader::fetchPage: one page of a value's change history, walked through the audit table. Apart from
// ChangeHistoryReader.cpp, which reads the audit state and parses the replies.
#include "app/dataverse/ChangeHistoryReader.h"

#include "app/dataverse/DataverseClient.h"
#include "app/dataverse/NextLinkTrail.h"
#include "app/dataverse/OrgUrl.h"
#include "app/dataverse/WebApiTransport.h"

#include <QCoreApplication>
#include <QPointer>
#include <QUrl>

#include <algorithm>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using ChangeHistory::AuditState;
using ChangeHistory::Entry;
using ChangeHistory::Page;

namespace {
// One page of the history, read as the service allows (docs/change-history.md): the column's changes counted with
// RetrieveAttributeChangeHistory, then the record's events in the audit table, newest first, a chunk at a time, each
// chunk's values read with RetrieveAuditDetails side by side, until the page and one change after it are found or the
// events run out.
struct PageWalk : std::enable_shared_from_this<PageWalk>
{
    DataverseClient *client = nullptr;
    ValueRef ref;
    QString column;
    int pageNumber = 1;
    int pageSize = 1;
    QPointer<QObject> context;
    std::function<void(Result<Page>)> done;
    std::optional<std::optional<int>> current; // the record's value now: the newest change's new value
    std::optional<qint64> total;
    QList<Entry> matches;
    bool exhausted = false; // every event was read
    bool ended = false;
    NextLinkTrail trail; // the audit rows' next links followed so far

    qint64 wanted() const { return qint64(pageNumber) * pageSize + 1; }
    QUrl url(const QString &path) const { return OrgUrl::webApiRoot(client->orgUrl()).resolved(QUrl(path)); }

    void send(const QUrl &target, const QByteArray &prefer, std::function<void(Result<QByteArray>)> then)
    {
        if (!context)
            return;
        WebApiTransport::Call call;
        call.url = target;
        if (!prefer.isEmpty())
            call.headers = {{"Prefer", prefer}};
        client->transport()->send(call, context, [then = std::move(then)](Result<WebApiTransport::Reply> reply) {
            if (reply)
                then(reply.value().body);
            else
                then(reply.error());
        });
    }

    void fail(Error error)
    {
        if (ended)
            return;
        ended = true;
        if (ChangeHistoryReader::isPrivilegeRefusal(error)) {
            const QString named = ChangeHistoryReader::privilegeNamed(error);
            error.kind = Error::Kind::Auth;
            error.userMessage = ChangeHistory::missingPrivilegeSentence(
                {named.isEmpty() ? QString::fromLatin1(ChangeHistory::ReadHistoryPrivilege) : named});
        }
        done(error);
    }

    void start()
    {
        const auto path = ChangeHistoryReader::currentValuePath(ref);
        if (!path) {
            fail(path.error());
            return;
        }
        send(url(path.value()), {}, [self = shared_from_this()](Result<QByteArray> body) {
            const auto value = body ? ChangeHistoryReader::parseCurrentValue(body.value(), self->column)
                                    : Result<std::optional<int>>(body.error());
            if (!value) {
                self->fail(value.error());
                return;
            }
            self->current = value.value();
            self->count();
        });
    }

    void count()
    {
        const auto count = ChangeHistoryReader::pagePath(ref, 1, 1);
        const auto rows = ChangeHistoryReader::auditRowsPath(ref);
        if (!count || !rows) {
            fail(!count ? count.error() : rows.error());
            return;
        }
        send(url(count.value()), {}, [self = shared_from_this(), first = url(rows.value())](Result<QByteArray> body) {
            const auto page =
                body ? ChangeHistoryReader::parsePage(body.value(), self->column, 1, 1) : Result<Page>(body.error());
            if (!page) {
                self->fail(page.error());
                return;
            }
            self->total = page.value().totalRecordCount; // shown; the events decide what is listed
            self->trail = NextLinkTrail(first);
            self->readRows(first);
        });
    }

    void readRows(const QUrl &link)
    {
        // Enough events for what is still wanted, most of them changes of this column (5000 at most: the Web API's).
        const qint64 chunk = std::clamp<qint64>(wanted() - matches.size(), 20, 500);
        const QByteArray prefer = "odata.maxpagesize=" + QByteArray::number(chunk) +
            ",odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"";
        send(link, prefer, [self = shared_from_this()](Result<QByteArray> body) {
            auto rows = body ? ChangeHistoryReader::parseAuditRows(body.value())
                             : Result<ChangeHistoryReader::AuditRows>(body.error());
            if (!rows) {
                self->fail(rows.error());
                return;
            }
            // A next page on another host is not followed (the bearer token would go with it).
            const QUrl next = rows.value().nextLink;
            const QUrl root = OrgUrl::webApiRoot(self->client->orgUrl());
            if (!next.isEmpty() &&
                (next.scheme() != root.scheme() || next.host() != root.host() || next.port() != root.port())) {
                self->fail(ChangeHistoryReader::badReply(
                    QCoreApplication::translate("ChangeHistoryReader", "audit table"),
                    QCoreApplication::translate("ChangeHistoryReader", "its next page is on another host, %1")
                        .arg(next.host())));
                return;
            }
            if (!next.isEmpty()) {
                if (auto refused =
                        self->trail.follow(next, QCoreApplication::translate("ChangeHistoryReader", "audit table"))) {
                    self->fail(*refused);
                    return;
                }
            }
            self->readDetails(std::move(rows).value());
        });
    }

    void readDetails(ChangeHistoryReader::AuditRows rows)
    {
        if (rows.rows.isEmpty()) {
            exhausted = true;
            finish();
            return;
        }
        struct Chunk
        {
            ChangeHistoryReader::AuditRows rows;
            QList<std::optional<ChangeHistoryReader::Values>> values;
            qsizetype left = 0;
        };
        auto chunk = std::make_shared<Chunk>();
        chunk->values.resize(rows.rows.size());
        chunk->left = rows.rows.size();
        chunk->rows = std::move(rows);
        for (qsizetype i = 0; i < chunk->rows.rows.size(); ++i) {
            const QString auditId = chunk->rows.rows.at(i).auditId;
            const auto path = ChangeHistoryReader::auditDetailsPath(auditId);
            if (!path) {
                fail(path.error());
                return;
            }
            send(url(path.value()), {}, [self = shared_from_this(), chunk, i, auditId](Result<QByteArray> body) {
                if (self->ended)
                    return;
                const auto values = body ? ChangeHistoryReader::parseAuditDetails(body.value(), self->column, auditId)
                                         : Result<std::optional<ChangeHistoryReader::Values>>(body.error());
                if (!values) {
                    self->fail(values.error());
                    return;
                }
                chunk->values[i] = values.value();
                if (--chunk->left == 0)
                    self->take(*chunk);
            });
        }
    }

    template<typename Chunk>
    void take(const Chunk &chunk)
    {
        for (qsizetype i = 0; i < chunk.rows.rows.size(); ++i) {
            if (!chunk.values.at(i))
                continue;
            const ChangeHistoryReader::AuditRow &row = chunk.rows.rows.at(i);
            Entry entry;
            entry.when = row.when;
            entry.userId = row.userId;
            entry.userName = row.userName;
            entry.operation = row.operation;
            entry.auditId = row.auditId;
            entry.oldMinutes = chunk.values.at(i)->oldMinutes;
            entry.newMinutes = chunk.values.at(i)->newMinutes;
            matches << entry;
        }
        exhausted = chunk.rows.nextLink.isEmpty();
        if (matches.size() >= wanted() || exhausted)
            finish();
        else
            readRows(chunk.rows.nextLink);
    }

    void finish()
    {
        if (ended)
            return;
        ended = true;
        ChangeHistory::sortNewestFirst(matches, current);
        Page page;
        page.pageNumber = pageNumber;
        page.pageSize = pageSize;
        const qint64 skip = qint64(pageNumber - 1) * pageSize;
        if (skip < matches.size())
            page.entries = matches.mid(skip, pageSize);
        page.moreRecords = matches.size() > skip + pageSize;
        // Every event read: the changes found are all there are, whatever the count said.
        page.totalRecordCount = exhausted ? std::optional<qint64>(matches.size()) : total;
        done(page);
    }
};
} // namespace

void ChangeHistoryReader::fetchPage(const ValueRef &ref, int pageNumber, int pageSize, QObject *context,
                                    std::function<void(Result<Page>)> done) const
{
    if (const auto path = pagePath(ref, pageNumber, pageSize); !path) {
        done(path.error());
        return;
    }
    auto walk = std::make_shared<PageWalk>();
    walk->client = m_client;
    walk->ref = ref;
    walk->column = TimerSettings::column(ref.setting);
    walk->pageNumber = pageNumber;
    walk->pageSize = pageSize;
    walk->context = context;
    walk->done = std::move(done);
    walk->start();
}
