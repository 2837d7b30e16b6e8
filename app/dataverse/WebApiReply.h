#pragma once

#include "models/ChannelStateConfig.h"
#include "models/Conversation.h"
#include "models/Result.h"
#include "models/Workstream.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QUrl>

#include <optional>

// Pure functions that turn Web API replies into values or Errors. No network here, so each is tested alone.
namespace WebApiReply {

// A JSON number that is a whole number a double holds exactly (within ±2^53), or nothing: what counts and ranges
// may be read as, with no overflow on absurd values.
std::optional<qint64> exactInteger(const QJsonValue &value);

// One page of a collection: its rows and, when there are more, the link to the next page.
struct Page
{
    QList<QJsonObject> rows;
    QUrl nextLink;
};

Result<Page> parseCollection(const QByteArray &body);

// A msdyn_occhannelstateconfiguration row, with the channel configuration expanded when present.
Result<ChannelStateConfig> parseStateConfiguration(const QJsonObject &row);

// A msdyn_liveworkstream row.
Result<Workstream> parseWorkstream(const QJsonObject &row);

// A msdyn_ocliveworkitem row.
Result<Conversation> parseConversation(const QJsonObject &row);

// A page of msdyn_ocliveworkitem rows read straight from the reply's text, without a QJsonDocument: the checks of
// parseCollection and parseConversation, in a fraction of the time and memory. Strings that repeat across rows
// (workstream ids) are kept once, in pool, when one is given.
struct ConversationRows
{
    QList<Conversation> rows;
    QUrl nextLink;
};
using StringPool = QList<QString>;
Result<ConversationRows> parseConversationPage(const QByteArray &body, StringPool *pool = nullptr);

// The @odata.nextLink of a collection reply, found without parsing the reply (so the next page can be asked for
// while this one is parsed); empty when there is none or it cannot be read this way. The parsed reply decides.
QUrl peekNextLink(const QByteArray &body);

// The "value" of a WhoAmI reply, and the MinValue/MaxValue of an IntegerAttributeMetadata reply.
struct Identity
{
    QString userId;
    QString businessUnitId;
    QString organizationId;
};
Result<Identity> parseWhoAmI(const QByteArray &body);
struct ColumnRange
{
    qint64 minValue = 0;
    qint64 maxValue = 2147483647;
};
Result<ColumnRange> parseColumnRange(const QByteArray &body);

// @odata.count of a $count=true reply; capped says the service stopped counting at 5000.
struct Count
{
    qint64 count = 0;
    bool capped = false;
};
Result<Count> parseCount(const QByteArray &body);

// What is known about a request that did not succeed.
struct Failure
{
    int httpStatus = 0; // 0: no HTTP reply arrived
    QByteArray body; // the reply body, for the service's error code and message
    QByteArray requestId; // x-ms-service-request-id
    QByteArray retryAfter; // Retry-After, in seconds
    bool timedOut = false; // the transfer timeout fired
    QString networkErrorText; // the transport's description, when no HTTP reply arrived
    QString tlsErrors; // the server's certificate was refused, for these reasons
    QString host; // which environment, for the sentence shown to the user
    QString proxyFailure; // the request failed at its proxy: this sentence (NetworkProxy::failureSentence)
};

Error toError(const Failure &failure);

// One response inside a $batch reply, change sets flattened.
struct BatchPart
{
    QByteArray contentId;
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};
Result<QList<BatchPart>> parseBatchReply(const QByteArray &contentType, const QByteArray &body);

// The service's {"error":{"code","message"}}; empty strings when the body has none.
std::pair<QString, QString> serviceError(const QByteArray &body);

} // namespace WebApiReply
