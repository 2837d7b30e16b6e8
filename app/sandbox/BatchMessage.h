#pragma once

#include "app/sandbox/SandboxHttp.h"
#include "models/Result.h"

#include <QByteArray>
#include <QList>

// The multipart/mixed body of a Web API $batch (OData 4.0 §11.7): parsing requests out of it and writing
// responses into it. Pure functions; the sandbox executes what they parse.
namespace BatchMessage {

struct Part
{
    HttpRequest request; // url is as written: absolute, or a path relative to the organization
    QByteArray contentId; // Content-ID, inside change sets
};

struct Item
{
    bool changeSet = false;
    QList<Part> parts; // one part outside a change set
};

// boundary comes from the batch's Content-Type. Errors are BadInput with a message naming the part.
Result<QList<Item>> parse(const QByteArray &body, const QByteArray &boundary);

// The boundary parameter of a multipart Content-Type; empty when there is none.
QByteArray boundaryOf(const QByteArray &contentType);

// One application/http response part (without its delimiter).
QByteArray responsePart(const HttpResponse &response, const QByteArray &contentId = {});

} // namespace BatchMessage
