#include "app/dataverse/WebApiReply.h"

#include "app/common/TlsRefusal.h"

#include "app/dataverse/JsonScanner.h"
#include "app/dataverse/Multipart.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cmath>
#include <limits>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("WebApiReply", text);
}

Error badReply(QString message)
{
    Error e;
    e.kind = Error::Kind::BadReply;
    e.userMessage = std::move(message);
    return e;
}

// The Web API writes UTC times as yyyy-MM-ddTHH:mm:ss[.fff]Z; read that form directly (QDateTime::fromString is
// the slow part of parsing 100,000 conversations) and leave every other form to Qt.
QDateTime parseUtc(QByteArrayView text)
{
    if (text.isEmpty())
        return {};
    const auto at = [&text](qsizetype i) {
        return char16_t(uchar(text.at(i)));
    };
    const auto digits = [&at](qsizetype from, qsizetype count, int &out) {
        out = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t c = at(i);
            if (c < u'0' || c > u'9')
                return false;
            out = out * 10 + (c - u'0');
        }
        return true;
    };
    int y, mo, d, h, mi, sec, ms = 0;
    const qsizetype n = text.size();
    const bool shape = (n == 20 || n == 24) && at(4) == u'-' && at(7) == u'-' && at(10) == u'T' && at(13) == u':' &&
        at(16) == u':' && at(n - 1) == u'Z' && (n == 20 || at(19) == u'.');
    if (shape && digits(0, 4, y) && digits(5, 2, mo) && digits(8, 2, d) && digits(11, 2, h) && digits(14, 2, mi) &&
        digits(17, 2, sec) && (n == 20 || digits(20, 3, ms))) {
        const QDate date(y, mo, d);
        const QTime time(h, mi, sec, ms);
        if (date.isValid() && time.isValid())
            return QDateTime(date, time, Qt::UTC);
    }
    return QDateTime::fromString(QString::fromUtf8(text), Qt::ISODateWithMs);
}

// A JSON number that is a whole number within int range.
std::optional<int> wholeNumber(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (std::trunc(d) != d || d < std::numeric_limits<int>::min() || d > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(d);
}
} // namespace

Result<WebApiReply::Page> WebApiReply::parseCollection(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return badReply(tr("The environment's reply is not valid JSON (%1 at byte %2).")
                            .arg(parseError.errorString())
                            .arg(parseError.offset));
    if (!doc.isObject())
        return badReply(tr("The environment's reply is not a JSON object."));
    const QJsonObject top = doc.object();
    const QJsonValue value = top.value(u"value"_s);
    if (!value.isArray())
        return badReply(tr("The environment's reply has no \"value\" array of records."));

    Page page;
    const QJsonArray rows = value.toArray();
    page.rows.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (!rows.at(i).isObject())
            return badReply(tr("Record %1 of the environment's reply is not a JSON object.").arg(i + 1));
        page.rows.append(rows.at(i).toObject());
    }
    const QJsonValue next = top.value(u"@odata.nextLink"_s);
    if (!next.isUndefined() && !next.isNull()) {
        // Followed verbatim, as the Web API asks; only its shape is checked.
        const QUrl link(next.toString(), QUrl::StrictMode);
        if (!next.isString() || !link.isValid() || link.isRelative())
            return badReply(tr("The environment's reply has an @odata.nextLink that is not a URL."));
        page.nextLink = link;
    }
    return page;
}

Result<ChannelStateConfig> WebApiReply::parseStateConfiguration(const QJsonObject &row)
{
    ChannelStateConfig config;
    config.id = row.value(u"msdyn_occhannelstateconfigurationid"_s).toString();
    const QString where = config.id.isEmpty() ? tr("A configuration record") : tr("Configuration %1").arg(config.id);
    if (config.id.isEmpty())
        return badReply(tr("%1 has no msdyn_occhannelstateconfigurationid.").arg(where));

    const QJsonValue name = row.value(u"msdyn_name"_s);
    if (!name.isString() && !name.isNull() && !name.isUndefined())
        return badReply(tr("%1: msdyn_name is not text.").arg(where));
    config.name = name.toString();

    const auto state = wholeNumber(row.value(u"msdyn_ocliveworkitemstate"_s));
    if (!state)
        return badReply(tr("%1: msdyn_ocliveworkitemstate is missing or not a whole number.").arg(where));
    config.state = *state;

    const QJsonValue minutes = row.value(u"msdyn_autocloseliveworkitemafter"_s);
    if (minutes.isUndefined())
        return badReply(tr("%1: msdyn_autocloseliveworkitemafter is missing.").arg(where));
    if (!minutes.isNull()) {
        const auto m = wholeNumber(minutes);
        if (!m || *m < 0)
            return badReply(
                tr("%1: msdyn_autocloseliveworkitemafter is not a whole number of minutes (0 or more).").arg(where));
        config.minutes = *m;
    }

    const QJsonValue etag = row.value(u"@odata.etag"_s);
    if (!etag.isString() || etag.toString().isEmpty())
        return badReply(tr("%1 has no @odata.etag, so it could not be saved safely.").arg(where));
    config.etag = etag.toString();

    config.channelConfigId = row.value(u"_msdyn_occhannelconfigurationid_value"_s).toString();

    const QJsonValue modified = row.value(u"modifiedon"_s);
    if (modified.isString()) {
        config.modifiedOn = QDateTime::fromString(modified.toString(), Qt::ISODateWithMs);
        if (!config.modifiedOn.isValid())
            return badReply(tr("%1: modifiedon is not a date and time.").arg(where));
    }

    const QJsonValue channel = row.value(u"msdyn_occhannelconfigurationid"_s);
    if (channel.isObject()) {
        const QJsonObject c = channel.toObject();
        const QJsonValue source = c.value(u"msdyn_streamsource"_s);
        if (!source.isNull() && !source.isUndefined()) {
            const auto code = wholeNumber(source);
            if (!code)
                return badReply(tr("%1: the channel's msdyn_streamsource is not a whole number.").arg(where));
            config.streamSource = *code;
        }
        config.channelName = c.value(u"msdyn_name"_s).toString();
    } else if (!channel.isNull() && !channel.isUndefined()) {
        return badReply(tr("%1: the expanded msdyn_occhannelconfigurationid is not an object.").arg(where));
    }
    return config;
}

Result<Workstream> WebApiReply::parseWorkstream(const QJsonObject &row)
{
    Workstream w;
    w.id = row.value(u"msdyn_liveworkstreamid"_s).toString();
    if (w.id.isEmpty())
        return badReply(tr("A workstream record has no msdyn_liveworkstreamid."));
    w.name = row.value(u"msdyn_name"_s).toString();
    const QJsonValue source = row.value(u"msdyn_streamsource"_s);
    if (!source.isNull() && !source.isUndefined()) {
        w.streamSource = wholeNumber(source);
        if (!w.streamSource)
            return badReply(tr("Workstream %1: msdyn_streamsource is not a whole number.").arg(w.id));
    }
    const QJsonValue inactivity = row.value(u"msdyn_autocloseafterinactivity"_s);
    if (!inactivity.isNull() && !inactivity.isUndefined()) {
        w.inactivityMinutes = wholeNumber(inactivity);
        if (!w.inactivityMinutes || *w.inactivityMinutes < 0)
            return badReply(
                tr("Workstream %1: msdyn_autocloseafterinactivity is not a whole number of minutes.").arg(w.id));
    }
    const QJsonValue block = row.value(u"msdyn_blockcapacityforwrapup"_s);
    if (!block.isNull() && !block.isUndefined()) {
        w.wrapUpBlockMinutes = wholeNumber(block);
        if (!w.wrapUpBlockMinutes || *w.wrapUpBlockMinutes < 0)
            return badReply(
                tr("Workstream %1: msdyn_blockcapacityforwrapup is not a whole number of minutes.").arg(w.id));
    }
    w.etag = row.value(u"@odata.etag"_s).toString();
    w.modifiedOn = QDateTime::fromString(row.value(u"modifiedon"_s).toString(), Qt::ISODateWithMs);
    return w;
}

// (In namespace WebApiReply, so that lupdate files the messages under the context tr() uses.)
namespace WebApiReply {
namespace {
// A conversation's columns as the reply gives them (UTF-8), before they are checked: what parseConversation and
// parseConversationPage share.
struct RawConversation
{
    enum Text {
        Id,
        Title,
        Subject,
        Channels,
        CreatedOn,
        WrapUpInitiatedOn,
        MsdynModifiedOn,
        ModifiedOn,
        Workstream,
        TextCount
    };
    std::array<QByteArrayView, TextCount> text;
    std::optional<double> statusCode;
};

// Where each conversation column goes in a RawConversation, or -1.
int textField(QByteArrayView key)
{
    static const std::array<QByteArrayView, RawConversation::TextCount> Columns = {
        "activityid",       "msdyn_title", "subject",
        "msdyn_channel",    "createdon",   "msdyn_wrapupinitiatedon",
        "msdyn_modifiedon", "modifiedon",  "_msdyn_liveworkstreamid_value"};
    for (int i = 0; i < RawConversation::TextCount; ++i)
        if (Columns[i] == key)
            return i;
    return -1;
}

// Strings that repeat across rows (workstream ids), kept once: a short list, as there are few of them; past its
// size new values are simply not shared.
QString shared(QByteArrayView utf8, QList<QString> *pool)
{
    if (!pool)
        return QString::fromUtf8(utf8);
    for (const QString &s : std::as_const(*pool))
        if (s.size() == utf8.size() && s == QLatin1StringView(utf8.data(), utf8.size()))
            return s;
    QString s = QString::fromUtf8(utf8);
    if (pool->size() < 256)
        pool->append(s);
    return s;
}

Result<Conversation> conversationFrom(const RawConversation &raw, QList<QString> *pool)
{
    using T = RawConversation::Text;
    Conversation c;
    c.id = QString::fromUtf8(raw.text[T::Id]);
    if (c.id.isEmpty())
        return badReply(tr("A conversation record has no activityid."));
    const auto where = [&c] {
        return tr("Conversation %1").arg(c.id);
    }; // only for an error: not built per row
    c.title = QString::fromUtf8(raw.text[T::Title]);
    c.subject = QString::fromUtf8(raw.text[T::Subject]);
    const double status = raw.statusCode.value_or(0.5);
    if (!raw.statusCode || std::trunc(status) != status || status < std::numeric_limits<int>::min() ||
        status > std::numeric_limits<int>::max())
        return badReply(tr("%1: statuscode is missing or not a whole number.").arg(where()));
    c.statusCode = int(status);
    for (QByteArrayView code : QLatin1StringView(raw.text[T::Channels]).tokenize(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int value = code.trimmed().toInt(&ok);
        if (!ok)
            return badReply(
                tr("%1: msdyn_channel holds '%2', not a list of channel codes.").arg(where(), QString::fromUtf8(code)));
        c.channels << value;
    }
    c.createdOn = parseUtc(raw.text[T::CreatedOn]);
    if (!c.createdOn.isValid())
        return badReply(tr("%1: createdon is missing or not a date and time.").arg(where()));
    c.wrapUpInitiatedOn = parseUtc(raw.text[T::WrapUpInitiatedOn]);
    c.modifiedOn = parseUtc(raw.text[T::MsdynModifiedOn]);
    if (!c.modifiedOn.isValid())
        c.modifiedOn = parseUtc(raw.text[T::ModifiedOn]);
    if (!raw.text[T::Workstream].isEmpty())
        c.workstreamId = shared(raw.text[T::Workstream], pool);
    return c;
}
} // namespace
} // namespace WebApiReply

Result<Conversation> WebApiReply::parseConversation(const QJsonObject &row)
{
    RawConversation raw;
    std::array<QByteArray, RawConversation::TextCount> storage; // the UTF-8 the views point into
    for (auto it = row.begin(); it != row.end(); ++it) {
        const int field = textField(it.key().toLatin1());
        if (field >= 0 && it.value().isString()) {
            storage[field] = it.value().toString().toUtf8();
            raw.text[field] = storage[field];
        }
    }
    const QJsonValue status = row.value(u"statuscode"_s);
    if (status.isDouble())
        raw.statusCode = status.toDouble();
    return conversationFrom(raw, nullptr);
}

Result<WebApiReply::ConversationRows> WebApiReply::parseConversationPage(const QByteArray &body, StringPool *pool)
{
    JsonScanner json(body);
    const auto notJson = [&json] {
        return badReply(tr("The environment's reply is not valid JSON (%1 at byte %2).")
                            .arg(json.errorString())
                            .arg(json.offset()));
    };
    if (json.peek() != JsonScanner::Type::Object) {
        if (!json.skipValue() || !json.finish())
            return notJson();
        return badReply(tr("The environment's reply is not a JSON object."));
    }
    ConversationRows page;
    bool sawValue = false;
    QByteArrayView key;
    std::array<QByteArray, RawConversation::TextCount> scratch; // escaped strings, decoded; reused row to row
    // The first thing that is JSON but not a page of conversations; reported only if the whole text is JSON.
    std::optional<Error> rowError;
    qsizetype rowNumber = 0;
    json.beginObject();
    while (json.nextMember(&key)) {
        if (key == "@odata.nextLink") {
            QString link;
            if (json.peek() == JsonScanner::Type::Null) {
                json.readNull();
                continue;
            }
            const bool text = json.peek() == JsonScanner::Type::String;
            if (!(text ? json.readString(&link) : json.skipValue()))
                return notJson();
            const QUrl url(link, QUrl::StrictMode);
            if (!text || !url.isValid() || url.isRelative())
                rowError = rowError.value_or(
                    badReply(tr("The environment's reply has an @odata.nextLink that is not a URL.")));
            else
                page.nextLink = url;
            continue;
        }
        if (key != "value") {
            if (!json.skipValue())
                return notJson();
            continue;
        }
        if (json.peek() != JsonScanner::Type::Array) {
            if (!json.skipValue())
                return notJson();
            continue; // no "value" array, as if there were none
        }
        sawValue = true;
        json.beginArray();
        while (json.nextElement()) {
            ++rowNumber;
            if (json.peek() != JsonScanner::Type::Object) {
                if (!json.skipValue())
                    return notJson();
                if (!rowError)
                    rowError =
                        badReply(tr("Record %1 of the environment's reply is not a JSON object.").arg(rowNumber));
                continue;
            }
            RawConversation raw;
            QByteArrayView column;
            json.beginObject();
            // A column given twice counts by its last value, as QJsonDocument reads it; a value of the wrong type
            // counts as none.
            while (json.nextMember(&column)) {
                const int field = textField(column);
                if (field >= 0 && json.peek() == JsonScanner::Type::String) {
                    json.readUtf8(&raw.text[field], &scratch[field]);
                    continue;
                }
                if (column == "statuscode" && json.peek() == JsonScanner::Type::Number) {
                    double status = 0;
                    json.readNumber(&status);
                    raw.statusCode = status;
                    continue;
                }
                if (field >= 0)
                    raw.text[field] = {};
                else if (column == "statuscode")
                    raw.statusCode.reset();
                if (!json.skipValue())
                    break;
            }
            if (!json.ok())
                return notJson();
            if (rowError)
                continue; // the rest is only checked to be JSON: a broken text is reported before a bad row
            auto conversation = conversationFrom(raw, pool);
            if (!conversation)
                rowError = conversation.error();
            else
                page.rows.append(std::move(conversation).value());
        }
        if (!json.ok())
            return notJson();
    }
    if (!json.finish())
        return notJson();
    if (rowError)
        return *rowError;
    if (!sawValue)
        return badReply(tr("The environment's reply has no \"value\" array of records."));
    return page;
}

QUrl WebApiReply::peekNextLink(const QByteArray &body)
{
    static const QByteArray Key = QByteArrayLiteral("\"@odata.nextLink\"");
    for (qsizetype at = body.indexOf(Key); at >= 0; at = body.indexOf(Key, at + 1)) {
        // A key is followed by a colon; the same text as a value is not.
        qsizetype i = at + Key.size();
        while (i < body.size() && (body.at(i) == ' ' || body.at(i) == '\n' || body.at(i) == '\r' || body.at(i) == '\t'))
            ++i;
        if (i >= body.size() || body.at(i) != ':')
            continue;
        JsonScanner value(QByteArrayView(body).sliced(i + 1));
        QString link;
        if (value.peek() == JsonScanner::Type::String && value.readString(&link)) {
            const QUrl url(link, QUrl::StrictMode);
            return url.isValid() && !url.isRelative() ? url : QUrl();
        }
        return {};
    }
    return {};
}

Result<WebApiReply::Identity> WebApiReply::parseWhoAmI(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    Identity id {o.value(u"UserId"_s).toString(), o.value(u"BusinessUnitId"_s).toString(),
                 o.value(u"OrganizationId"_s).toString()};
    if (id.userId.isEmpty() || id.organizationId.isEmpty())
        return badReply(tr("The environment's WhoAmI reply has no UserId or OrganizationId."));
    return id;
}

std::optional<qint64> WebApiReply::exactInteger(const QJsonValue &value)
{
    constexpr double Exact = 9007199254740992.0; // 2^53
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d || d < -Exact || d > Exact)
        return std::nullopt;
    return qint64(d);
}

Result<WebApiReply::ColumnRange> WebApiReply::parseColumnRange(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonValue min = o.value(u"MinValue"_s);
    const QJsonValue max = o.value(u"MaxValue"_s);
    const auto low = exactInteger(min);
    const auto high = exactInteger(max);
    if (!low || !high || *low > *high)
        return badReply(tr("The column's metadata has no usable MinValue and MaxValue."));
    return ColumnRange {*low, *high};
}

Result<WebApiReply::Count> WebApiReply::parseCount(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const auto count = exactInteger(o.value(u"@odata.count"_s));
    if (!count || *count < 0)
        return badReply(tr("The environment's reply has no @odata.count."));
    return Count {*count,
                  o.value(u"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"_s).toBool() || *count >= 5000};
}

std::pair<QString, QString> WebApiReply::serviceError(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
    return {error.value(u"code"_s).toString(), error.value(u"message"_s).toString()};
}

Error WebApiReply::toError(const Failure &failure)
{
    Error e;
    e.httpStatus = failure.httpStatus;
    e.requestId = QString::fromLatin1(failure.requestId);
    std::tie(e.serviceCode, e.serviceMessage) = serviceError(failure.body);
    const QString host = failure.host.isEmpty() ? tr("the environment") : failure.host;

    // The proxy's own failures (a 407 included) are the proxy's, not the environment's (docs/networking.md).
    if (!failure.proxyFailure.isEmpty()) {
        e.kind = Error::Kind::Network;
        e.userMessage = failure.proxyFailure;
        return e;
    }

    if (failure.httpStatus == 0 && !failure.tlsErrors.isEmpty()) {
        e.kind = Error::Kind::Network;
        e.serviceMessage = failure.tlsErrors;
        e.userMessage = TlsRefusal::sentence(host, failure.tlsErrors);
        return e;
    }
    if (failure.httpStatus == 0) {
        e.kind = Error::Kind::Network;
        e.userMessage = failure.timedOut
            ? tr("%1 did not answer in time. Check your connection and try again.").arg(host)
            : tr("Could not reach %1: %2. Check the address and your connection, then try again.")
                  .arg(host, failure.networkErrorText);
        return e;
    }

    const int status = failure.httpStatus;
    if (status == 401) {
        e.kind = Error::Kind::Auth;
        e.userMessage = tr("%1 did not accept the sign-in (HTTP 401). Sign in again; the access token may have "
                           "expired or be meant for another environment.")
                            .arg(host);
    } else if (status == 403) {
        e.kind = Error::Kind::Auth;
        e.userMessage = tr("You are signed in to %1 but not allowed to do this (HTTP 403). Ask an administrator for "
                           "a security role that grants it.")
                            .arg(host);
    } else if (status == 404) {
        e.kind = Error::Kind::NotFound;
        e.userMessage = tr("%1 has no such record or table (HTTP 404). It may have been deleted, or Omnichannel "
                           "may not be installed in this environment.")
                            .arg(host);
    } else if (status == 412) {
        e.kind = Error::Kind::Conflict;
        e.userMessage = tr("Someone changed this record on %1 since it was loaded (HTTP 412). Refresh to see their "
                           "value before saving yours.")
                            .arg(host);
    } else if (status == 429) {
        e.kind = Error::Kind::Throttled;
        bool ok = false;
        const int seconds = failure.retryAfter.trimmed().toInt(&ok);
        e.userMessage = ok ? tr("%1 is limiting requests (HTTP 429). Try again in %2 s.").arg(host).arg(seconds)
                           : tr("%1 is limiting requests (HTTP 429). Wait a few minutes and try again.").arg(host);
    } else if (status >= 500) {
        e.kind = Error::Kind::Server;
        e.userMessage = tr("%1 failed to answer (HTTP %2). Try again in a moment; if it persists, check the "
                           "service health in the Power Platform admin center.")
                            .arg(host)
                            .arg(status);
    } else {
        e.kind = Error::Kind::Server;
        e.userMessage = e.serviceMessage.isEmpty()
            ? tr("%1 refused the request (HTTP %2).").arg(host).arg(status)
            : tr("%1 refused the request (HTTP %2): %3").arg(host).arg(status).arg(e.serviceMessage);
    }
    return e;
}

namespace {
Result<Done> collectParts(const QByteArray &body, const QByteArray &boundary, QList<WebApiReply::BatchPart> &out)
{
    const auto parts = Multipart::split(body, boundary);
    if (!parts)
        return badReply(QCoreApplication::translate("WebApiReply", "The environment's batch reply is malformed: %1")
                            .arg(parts.error().userMessage));
    for (const QByteArray &part : parts.value()) {
        Multipart::Headers mime;
        const qsizetype offset = Multipart::readHeaders(part, mime);
        const QByteArray contentType = Multipart::header(mime, "Content-Type");
        if (contentType.startsWith("multipart/mixed")) {
            if (auto nested = collectParts(part.mid(offset), Multipart::boundaryOf(contentType), out); !nested)
                return nested;
            continue;
        }
        const QByteArray http = part.mid(offset);
        const qsizetype lineEnd = http.indexOf('\n');
        const QList<QByteArray> statusLine = http.first(lineEnd < 0 ? http.size() : lineEnd).trimmed().split(' ');
        bool ok = false;
        WebApiReply::BatchPart result;
        result.status = statusLine.value(1).toInt(&ok);
        if (!statusLine.value(0).startsWith("HTTP/") || !ok)
            return badReply(QCoreApplication::translate(
                "WebApiReply", "The environment's batch reply has a part without an HTTP status line."));
        result.contentId = Multipart::header(mime, "Content-ID");
        const QByteArray rest = lineEnd < 0 ? QByteArray() : http.mid(lineEnd + 1);
        result.body = rest.mid(Multipart::readHeaders(rest, result.headers)).trimmed();
        out << result;
    }
    return Done {};
}
} // namespace

Result<QList<WebApiReply::BatchPart>> WebApiReply::parseBatchReply(const QByteArray &contentType,
                                                                   const QByteArray &body)
{
    const QByteArray boundary = Multipart::boundaryOf(contentType);
    if (!contentType.startsWith("multipart/mixed") || boundary.isEmpty())
        return badReply(tr("The environment answered a batch with %1 instead of multipart/mixed.")
                            .arg(QString::fromLatin1(contentType)));
    QList<BatchPart> parts;
    if (auto collected = collectParts(body, boundary, parts); !collected)
        return collected.error();
    return parts;
}
