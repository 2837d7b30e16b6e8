#include "app/sandbox/AuditHandler.h"

#include "app/sandbox/AuditStore.h"
#include "app/sandbox/EntitySchema.h"
#include "app/sandbox/QueryOptions.h"
#include "app/sandbox/ReadHandler.h"
#include "app/sandbox/SandboxStore.h"
#include "app/sandbox/SandboxUser.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QUuid>

#include <cmath>
#include <limits>
#include <variant>

using namespace Qt::StringLiterals;
using namespace SandboxHttp;

namespace {
constexpr int MaxCount = 5000; // PagingInfo.Count, as QueryExpression's paging allows (docs/change-history.md)

const EntitySetDef &auditSet()
{
    return *EntitySchema::find(u"audits"_s);
}

// A function's parameters: "Name=value" separated by commas outside quotes and brackets; a value "@alias" is the
// query's item of that name, as clients pass entity references and complex values.
std::variant<QHash<QString, QString>, HttpResponse>
functionParameters(const HttpRequest &request, const QString &function, const QString &text, const QStringList &allowed)
{
    QStringList parts;
    QString current;
    QChar quote;
    int depth = 0;
    for (const QChar c : text) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'\'' || c == u'"') {
            quote = c;
        } else if (c == u'{' || c == u'[' || c == u'(') {
            ++depth;
        } else if (c == u'}' || c == u']' || c == u')') {
            --depth;
        } else if (c == u',' && depth == 0) {
            parts << current;
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty() || !parts.isEmpty())
        parts << current;
    const QUrlQuery query(request.url);
    QHash<QString, QString> values;
    for (const QString &part : std::as_const(parts)) {
        const qsizetype equals = part.indexOf(u'=');
        const QString name = part.left(equals).trimmed();
        QString value = equals < 0 ? QString() : part.mid(equals + 1).trimmed();
        if (equals < 0 || !allowed.contains(name))
            return badQuery(u"'%1' is not a parameter of the function %2; it takes %3."_s.arg(
                equals < 0 ? part.trimmed() : name, function, allowed.join(u", "_s)));
        if (values.contains(name))
            return badQuery(u"The parameter %1 of %2 is given twice."_s.arg(name, function));
        if (value.startsWith(u'@')) {
            if (!query.hasQueryItem(value))
                return badQuery(
                    u"The parameter alias %1 (for %2) has no value in the query string: add %1=<value>."_s.arg(value,
                                                                                                               name));
            value = query.queryItemValue(value, QUrl::FullyDecoded).trimmed();
        }
        values.insert(name, value);
    }
    return values;
}

// A JSON object as clients write it in a URL, with single quotes allowed ({'@odata.id':'…'}).
std::optional<QJsonObject> jsonObject(const QString &text)
{
    for (const QString &candidate : {text, QString(text).replace(u'\'', u'"')}) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(candidate.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError && doc.isObject())
            return doc.object();
    }
    return std::nullopt;
}

struct TargetRef
{
    const EntitySetDef *set = nullptr;
    QString key;
};

// Target: {"@odata.id":"<set>(<id>)"} (a path or a whole URL), or {"@odata.type":"Microsoft.Dynamics.CRM.<table>",
// "<key>":"<id>"}.
std::variant<TargetRef, HttpResponse> parseTarget(const QString &text)
{
    const QString form =
        u"Target must be a reference to a record such as {'@odata.id':'msdyn_liveworkstreams(<id>)'}"_s;
    const auto object = jsonObject(text);
    if (!object)
        return badQuery(form + u", not %1."_s.arg(text.isEmpty() ? u"nothing"_s : text));
    TargetRef target;
    QString key;
    if (object->value(u"@odata.id"_s).isString()) {
        static const QRegularExpression reference(u"(?:^|/)(\\w+)\\(([^)]*)\\)$"_s);
        const auto match = reference.match(object->value(u"@odata.id"_s).toString());
        if (!match.hasMatch())
            return badQuery(form + u"."_s);
        target.set = EntitySchema::find(match.captured(1));
        if (!target.set)
            return resourceNotFound(match.captured(1));
        key = match.captured(2);
    } else if (object->value(u"@odata.type"_s).isString()) {
        const QString type = object->value(u"@odata.type"_s).toString().remove(u'#');
        target.set = EntitySchema::findByLogicalName(type.section(u'.', -1));
        if (!type.startsWith(u"Microsoft.Dynamics.CRM."_s) || !target.set)
            return badQuery(u"Target names the type '%1', which is not a table of this environment."_s.arg(type));
        key = object->value(target.set->key).toString();
    } else {
        return badQuery(form + u"."_s);
    }
    const QUuid id = QUuid::fromString(key);
    if (id.isNull())
        return badQuery(u"Target's key '%1' is not a GUID."_s.arg(key));
    if (target.set->logicalName == u"audit"_s)
        return badQuery(u"The audit table has no change history of its own."_s);
    target.key = id.toString(QUuid::WithoutBraces);
    return target;
}

struct Paging
{
    int pageNumber = 1;
    int count = MaxCount;
    bool returnTotal = false;
    qint64 after = 0; // from the paging cookie of the page before: the sequence the page starts below
};

// The paging cookie the sandbox gives: the page and the sequence of its last change (opaque to clients).
QString pagingCookie(int page, qint64 lastSequence)
{
    return u"<cookie page=\"%1\" last=\"%2\" />"_s.arg(page).arg(lastSequence);
}

std::variant<Paging, HttpResponse> parsePaging(const QString &text)
{
    Paging paging;
    if (text.isEmpty())
        return paging; // no PagingInfo: the first page, as large as a page may be
    const auto object = jsonObject(text);
    if (!object)
        return badQuery(u"PagingInfo must be an object such as {\"PageNumber\":1,\"Count\":50}, not %1."_s.arg(text));
    QString cookie;
    for (auto it = object->begin(); it != object->end(); ++it) {
        const QString name = it.key();
        const QJsonValue value = it.value();
        if (name == u"PageNumber"_s || name == u"Count"_s) {
            const double number = value.toDouble(-1);
            const int limit = name == u"Count"_s ? MaxCount : std::numeric_limits<int>::max();
            if (!value.isDouble() || number != std::trunc(number) || number < 1 || number > limit)
                return badQuery(u"PagingInfo.%1 must be a whole number from 1 to %2."_s.arg(name).arg(limit));
            (name == u"Count"_s ? paging.count : paging.pageNumber) = int(number);
        } else if (name == u"ReturnTotalRecordCount"_s) {
            if (!value.isBool())
                return badQuery(u"PagingInfo.ReturnTotalRecordCount must be true or false."_s);
            paging.returnTotal = value.toBool();
        } else if (name == u"PagingCookie"_s) {
            if (!value.isString() && !value.isNull())
                return badQuery(u"PagingInfo.PagingCookie must be the text a previous page gave, or null."_s);
            cookie = value.toString();
        } else if (!name.startsWith(u'@')) {
            return badQuery(
                u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.PagingInfo'."_s.arg(name));
        }
    }
    if (!cookie.isEmpty()) {
        static const QRegularExpression ours(u"^<cookie page=\"(\\d+)\" last=\"(\\d+)\" />$"_s);
        const auto match = ours.match(cookie);
        if (!match.hasMatch())
            return badQuery(
                u"PagingInfo.PagingCookie is not one this environment gave; pass the AuditDetailCollection's "
                u"PagingCookie unchanged, or leave it out."_s);
        // The cookie of the page before this one anchors it; another page's cookie is ignored (PageNumber rules).
        if (match.captured(1).toInt() + 1 == paging.pageNumber)
            paging.after = match.captured(2).toLongLong();
    }
    return paging;
}

// Old or new values as the record's type: an empty value is left out (docs/change-history.md).
QJsonObject values(const QJsonObject &stored, const EntitySetDef &set, const ColumnDef *only)
{
    QJsonObject object {{u"@odata.type"_s, QString(u"#Microsoft.Dynamics.CRM."_s + set.logicalName)}};
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        if (!only || it.key() == only->jsonName())
            object.insert(it.key(), it.value());
    }
    return object;
}

// One change as an AttributeAuditDetail; without AuditRecord, which the Web API does not return
// (docs/change-history.md). only: the one column of RetrieveAttributeChangeHistory.
QJsonObject attributeAuditDetail(const AuditStore::Change &change, const EntitySetDef &set, const ColumnDef *only,
                                 const QueryOptions::Annotations &annotations, const ReadHandler &reads)
{
    QJsonObject oldValue = values(change.oldValue, set, only);
    QJsonObject newValue = values(change.newValue, set, only);
    reads.annotate(oldValue, set, annotations.formatted, annotations.lookups);
    reads.annotate(newValue, set, annotations.formatted, annotations.lookups);
    return {
        {u"@odata.type"_s, u"#Microsoft.Dynamics.CRM.AttributeAuditDetail"_s},
        {u"InvalidNewValueAttributes"_s, QJsonArray {}},
        {u"LocLabelLanguageCode"_s, 0},
        {u"DeletedAttributes"_s,
         QJsonObject {{u"Count"_s, 0}, {u"Keys"_s, QJsonArray {}}, {u"Values"_s, QJsonArray {}}}},
        {u"OldValue"_s, oldValue},
        {u"NewValue"_s, newValue},
    };
}

HttpHeaders annotationHeaders(const QueryOptions::Annotations &annotations)
{
    HttpHeaders headers;
    if (!annotations.applied.isEmpty())
        headers << std::pair<QByteArray, QByteArray>("Preference-Applied", annotations.applied);
    return headers;
}
} // namespace

AuditHandler::AuditHandler(const SandboxStore *store, const SandboxUser *user, const ReadHandler *reads)
    : m_store(store)
    , m_user(user)
    , m_reads(reads)
{ }

std::optional<HttpResponse> AuditHandler::refusedAuditRead(bool history) const
{
    QStringList needed;
    if (history)
        needed << QString::fromLatin1(SandboxUser::ReadRecordAuditHistory);
    needed << QString::fromLatin1(SandboxUser::ReadAuditSummary);
    for (const QString &privilege : std::as_const(needed)) {
        if (!m_user->has(privilege))
            return SandboxUser::refusal(m_store->identity().userId, privilege, auditSet());
    }
    return std::nullopt;
}

HttpResponse AuditHandler::organizations(const HttpRequest &request, const QString &key) const
{
    const QString organizationId = m_store->identity().organizationId;
    if (!key.isEmpty() && QUuid::fromString(key) != QUuid::fromString(organizationId))
        return error(404, CodeRecordNotFound, u"organization With Id = %1 Does Not Exist"_s.arg(key));
    // The organization's audit settings (docs/change-history.md); only the switch is the sandbox's to turn.
    const QJsonObject row {
        {u"@odata.etag"_s, u"W/\"1\""_s},
        {u"organizationid"_s, organizationId},
        {u"isauditenabled"_s, m_store->auditSettings().organizationEnabled()},
        {u"auditretentionperiodv2"_s, 30},
        {u"isuseraccessauditenabled"_s, false},
        {u"useraccessauditinginterval"_s, 4},
    };
    QJsonObject selected = row;
    QString context = u"organizations"_s;
    for (const auto &[name, value] : QUrlQuery(request.url).queryItems(QUrl::FullyDecoded)) {
        if (name != u"$select"_s) {
            if (name.startsWith(u'$'))
                return badQuery(
                    u"The query option '%1' is not supported on organizations by autoclose-sandbox."_s.arg(name));
            continue;
        }
        selected = {{u"@odata.etag"_s, row.value(u"@odata.etag"_s)},
                    {u"organizationid"_s, row.value(u"organizationid"_s)}};
        QStringList names;
        for (const QString &raw : value.split(u',')) {
            const QString column = raw.trimmed();
            if (!row.contains(column) || column.startsWith(u'@'))
                return badQuery(
                    u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.organization'."_s.arg(
                        column));
            selected.insert(column, row.value(column));
            names << column;
        }
        context += u'(' + names.join(u',') + u')';
    }
    if (!key.isEmpty()) {
        selected.insert(u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + context + u"/$entity"_s));
        return json(200, selected, {{"ETag", "W/\"1\""}});
    }
    return json(200,
                QJsonObject {{u"@odata.context"_s, QString(apiRoot(request) + u"$metadata#"_s + context)},
                             {u"value"_s, QJsonArray {selected}}});
}

HttpResponse AuditHandler::changeHistory(const HttpRequest &request, const QString &function,
                                         const QString &parameters) const
{
    const bool attribute = function == u"RetrieveAttributeChangeHistory"_s;
    const QStringList allowed = attribute ? QStringList {u"Target"_s, u"AttributeLogicalName"_s, u"PagingInfo"_s}
                                          : QStringList {u"Target"_s, u"PagingInfo"_s};
    const auto given = functionParameters(request, function, parameters, allowed);
    if (const auto *refused = std::get_if<HttpResponse>(&given))
        return *refused;
    const QHash<QString, QString> &values = std::get<QHash<QString, QString>>(given);
    if (!values.contains(u"Target"_s) || (attribute && !values.contains(u"AttributeLogicalName"_s)))
        return badQuery(
            u"%1 needs the parameters %2."_s.arg(function, allowed.mid(0, attribute ? 2 : 1).join(u", "_s)));
    const auto target = parseTarget(values.value(u"Target"_s));
    if (const auto *refused = std::get_if<HttpResponse>(&target))
        return *refused;
    const TargetRef &ref = std::get<TargetRef>(target);
    const ColumnDef *column = nullptr;
    if (attribute) {
        QString name = values.value(u"AttributeLogicalName"_s);
        if (name.size() >= 2 && (name.startsWith(u'\'') || name.startsWith(u'"')) && name.endsWith(name.front()))
            name = name.mid(1).chopped(1);
        column = ref.set->column(name);
        if (!column)
            // The service's wording for a column a table does not have (docs/change-history.md).
            return error(400, u"0x80041103"_s,
                         u"'%1' entity doesn't contain attribute with Name = '%2' and NameMapping = 'Logical'."_s.arg(
                             ref.set->logicalName, name));
    }
    const auto paging = parsePaging(values.value(u"PagingInfo"_s));
    if (const auto *refused = std::get_if<HttpResponse>(&paging))
        return *refused;
    const Paging &page = std::get<Paging>(paging);

    if (auto refused = refusedAuditRead(true))
        return *refused;
    if (const QString read = SandboxUser::readPrivilege(*ref.set); !read.isEmpty() && !m_user->has(read))
        return SandboxUser::refusal(m_store->identity().userId, read, *ref.set);

    const auto history =
        AuditStore::history(m_store->database(), ref.set->logicalName, ref.key, column ? column->name : QString(),
                            page.after, qint64(page.pageNumber - 1) * page.count, page.count);
    if (!history)
        return error(500, {}, history.error().describe());
    if (history.value().total == 0) {
        // A record with no history must exist; a deleted one keeps its history (docs/change-history.md).
        SandboxStore::Query keyOnly;
        keyOnly.select << ref.set->column(ref.set->key);
        const auto row = m_store->get(*ref.set, ref.key, keyOnly);
        if (!row)
            return error(500, {}, row.error().describe());
        if (!row.value())
            return recordNotFound(*ref.set, ref.key);
    }

    const QueryOptions::Annotations annotations = QueryOptions::requestedAnnotations(request.header("Prefer"));
    QJsonArray details;
    for (const AuditStore::Change &change : history.value().changes)
        details.append(attributeAuditDetail(change, *ref.set, column, annotations, *m_reads));
    const QList<AuditStore::Change> &changes = history.value().changes;
    const QJsonObject collection {
        {u"MoreRecords"_s, history.value().more},
        {u"PagingCookie"_s,
         changes.isEmpty() ? QJsonValue(QJsonValue::Null)
                           : QJsonValue(pagingCookie(page.pageNumber, changes.constLast().sequence))},
        // Without ReturnTotalRecordCount the count is not given (-1, as for queries; UNCONFIRMED).
        {u"TotalRecordCount"_s, page.returnTotal ? history.value().total : -1},
        {u"AuditDetails"_s, details},
    };
    return json(
        200,
        QJsonObject {{u"@odata.context"_s,
                      QString(apiRoot(request) + u"$metadata#Microsoft.Dynamics.CRM."_s + function + u"Response"_s)},
                     {u"AuditDetailCollection"_s, collection}},
        annotationHeaders(annotations));
}

HttpResponse AuditHandler::auditDetails(const HttpRequest &request, const QString &auditId) const
{
    const QUuid id = QUuid::fromString(auditId);
    if (id.isNull())
        return badQuery(u"Bad Request - Error in query syntax: '%1' is not a valid key."_s.arg(auditId));
    if (auto refused = refusedAuditRead(true))
        return *refused;
    const QString key = id.toString(QUuid::WithoutBraces);
    const auto found = AuditStore::find(m_store->database(), key);
    if (!found)
        return error(500, {}, found.error().describe());
    const EntitySetDef *set = found.value() ? EntitySchema::findByLogicalName(found.value()->table) : nullptr;
    if (!set)
        return recordNotFound(auditSet(), key);
    const QueryOptions::Annotations annotations = QueryOptions::requestedAnnotations(request.header("Prefer"));
    return json(
        200,
        QJsonObject {{u"@odata.context"_s,
                      QString(apiRoot(request) + u"$metadata#Microsoft.Dynamics.CRM.RetrieveAuditDetailsResponse"_s)},
                     {u"AuditDetail"_s, attributeAuditDetail(*found.value(), *set, nullptr, annotations, *m_reads)}},
        annotationHeaders(annotations));
}
