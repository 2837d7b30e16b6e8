#pragma once

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QUrl>

#include <utility>
#include <variant>

#include "app/sandbox/SandboxStore.h"

#include <QUrlQuery>

#include <optional>

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method;
    QUrl url; // absolute: scheme, the Host the client used, path and query
    HttpHeaders headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
};

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
};

// The Dataverse Web API as the sandbox speaks it: routing, authorization, query options and the documented reply
// and error shapes (DESIGN.md §4). Independent of the socket, so the HTTP server stays a thin adapter.
class SandboxApi final
{
    Q_DISABLE_COPY_MOVE(SandboxApi)
public:
    explicit SandboxApi(SandboxStore *store);

    void addAcceptedToken(const QString &token) { m_tokens.insert(token); }
    HttpResponse handle(const HttpRequest &request) const;

private:
    struct Target
    {
        const EntitySetDef *set = nullptr; // null: WhoAmI
        QString key; // empty: the collection
    };
    std::variant<Target, HttpResponse> parseResource(const QString &resource) const;
    HttpResponse getEntitySet(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    HttpResponse patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const;
    HttpResponse apply(const HttpRequest &request, const EntitySetDef &set, const QString &transformations) const;
    HttpResponse attributeMetadata(const HttpRequest &request, const QString &entity, const QString &attribute,
                                   bool integerCast) const;
    void annotate(QJsonObject &row, const EntitySetDef &set, bool formatted, bool lookups) const;
    HttpResponse recordNotFound(const EntitySetDef &set, const QString &key) const;
    std::optional<HttpResponse> parseShape(const QUrlQuery &params, const EntitySetDef &set,
                                           SandboxStore::Query &query) const;
    HttpResponse whoAmI(const HttpRequest &request) const;
    HttpResponse unauthorized(const HttpRequest &request) const;

    SandboxStore *m_store;
    QSet<QString> m_tokens;
};
