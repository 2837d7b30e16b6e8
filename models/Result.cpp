#include "models/Result.h"

#include <QStringList>

using namespace Qt::StringLiterals;

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Auth:
        return u"auth"_s;
    case Kind::Network:
        return u"network"_s;
    case Kind::Throttled:
        return u"throttled"_s;
    case Kind::Conflict:
        return u"conflict"_s;
    case Kind::NotFound:
        return u"not found"_s;
    case Kind::Server:
        return u"server"_s;
    case Kind::BadReply:
        return u"bad reply"_s;
    case Kind::BadInput:
        return u"bad input"_s;
    }
    return u"unknown"_s;
}

QString Error::describe() const
{
    QStringList details;
    if (httpStatus != 0)
        details << u"HTTP %1"_s.arg(httpStatus);
    if (!serviceCode.isEmpty())
        details << u"code %1"_s.arg(serviceCode);
    if (!serviceMessage.isEmpty() && serviceMessage != userMessage)
        details << serviceMessage;
    if (!requestId.isEmpty())
        details << u"request id %1"_s.arg(requestId);
    if (details.isEmpty())
        return userMessage;
    return userMessage + u" ("_s + details.join(u"; "_s) + u')';
}
