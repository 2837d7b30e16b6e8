#include "app/sandbox/WriteHandler.h"

#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/QueryOptions.h"
#include "app/sandbox/SandboxStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QUuid>
#include <QVariantHash>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

namespace {
QString undeclaredProperty(const QString &name, const EntitySetDef &set)
{
    return u"The property '%1' does not exist on type 'Microsoft.Dynamics.CRM.%2'. Make sure to only use property "
           u"names that are defined by the type."_s.arg(name, set.logicalName);
}
} // namespace

WriteHandler::WriteHandler(SandboxStore *store)
    : m_store(store)
{ }

HttpResponse WriteHandler::patch(const HttpRequest &request, const EntitySetDef &set, const QString &key) const
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return error(
            400, CodePayload,
            u"The request body is not a JSON object: %1 at byte %2."_s
                .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString() : u"another JSON value"_s)
                .arg(parseError.offset));
    const QJsonObject body = doc.object();
    QVariantHash values;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString name = it.key();
        const QJsonValue value = it.value();
        if (name.startsWith(u"@odata."_s))
            continue;
        if (name.endsWith(u"@odata.bind"_s)) {
            // Lookups are set by reference: "nav@odata.bind": "/entityset(guid)".
            const ColumnDef *lookup = set.column(name.chopped(11));
            static const QRegularExpression reference(u"^/?(\\w+)\\(([^)]*)\\)$"_s);
            const auto match = reference.match(value.toString());
            const QUuid id = match.hasMatch() ? QUuid::fromString(match.captured(2)) : QUuid();
            if (!lookup || lookup->type != ColumnDef::Type::Lookup)
                return error(400, CodeBadQuery, undeclaredProperty(name.chopped(11), set));
            if (!value.isString() || id.isNull() || match.captured(1) != lookup->lookupEntitySet)
                return error(400, CodePayload,
                             u"%1 must be a reference such as \"/%2(<guid>)\"."_s.arg(name, lookup->lookupEntitySet));
            values.insert(lookup->name, id.toString(QUuid::WithoutBraces));
            continue;
        }
        const ColumnDef *column = set.columnByJsonName(name);
        if (!column)
            return error(400, CodeBadQuery, undeclaredProperty(name, set));
        if (column->name == set.key) {
            if (value.toString().toLower() != key)
                return error(400, CodePayload, u"The key %1 in the body differs from the key in the URL."_s.arg(name));
            continue;
        }
        if (column->readOnly || column->type == ColumnDef::Type::Lookup)
            return error(400, CodePayload,
                         column->type == ColumnDef::Type::Lookup
                             ? u"%1 cannot be set directly; use %2@odata.bind."_s.arg(name, column->name)
                             : u"%1 is set by the service and cannot be written."_s.arg(name));
        const auto stored = EntitySchema::storedValue(set, *column, value);
        if (!stored)
            return error(400, stored.error().serviceCode, stored.error().userMessage);
        values.insert(column->name, stored.value());
    }

    SandboxStore::WriteConditions conditions;
    const QByteArray ifMatch = request.header("If-Match").trimmed();
    conditions.ifMatch = ifMatch == "null" ? QString() : QString::fromUtf8(ifMatch);
    conditions.ifNoneMatchAny = request.header("If-None-Match").trimmed() == "*";
    const auto outcome = m_store->upsert(set, key, values, conditions);
    if (!outcome)
        return error(500, {}, outcome.error().describe());
    switch (outcome.value()) {
    case SandboxStore::WriteOutcome::NotFound:
        return recordNotFound(set, key);
    case SandboxStore::WriteOutcome::Stale:
        return error(412, CodeConcurrency,
                     u"The version of the existing record doesn't match the RowVersion property provided."_s);
    case SandboxStore::WriteOutcome::Exists:
        return error(412, CodeDuplicate, u"A record with matching key values already exists."_s);
    case SandboxStore::WriteOutcome::Updated:
    case SandboxStore::WriteOutcome::Created:
        break;
    }

    const QByteArray entityId = QString(apiRoot(request) + set.entitySet + u'(' + key + u')').toUtf8();
    if (request.header("Prefer").contains("return=representation")) {
        SandboxStore::Query query;
        if (auto refused = QueryOptions::parseShape(QUrlQuery(request.url), set, query))
            return *refused;
        const auto row = m_store->get(set, key, query);
        if (!row || !row.value())
            return error(500, {}, u"The record was written but could not be read back."_s);
        QJsonObject object = *row.value();
        object.insert(u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + set.entitySet + u"/$entity"_s));
        return json(200, object,
                    {{"Preference-Applied", "return=representation"},
                     {"OData-EntityId", entityId},
                     {"ETag", object.value(u"@odata.etag"_s).toString().toUtf8()}});
    }
    HttpResponse noContent;
    noContent.status = 204;
    noContent.headers = commonHeaders();
    noContent.headers << std::pair<QByteArray, QByteArray>("OData-EntityId", entityId);
    return noContent;
}
