#pragma once

#include "app/sandbox/SandboxHttp.h"
#include "app/sandbox/SandboxMultipart.h"
#include "models/Result.h"

#include <QByteArray>
#include <QList>

// The messages inside a Web API $batch (OData 4.0 §11.7; docs/web-api.md): the application/http requests read out of
// the multipart body, and the application/http responses written into the reply. Pure functions; the sandbox
// executes what they read.
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

// Adds one application/http response part to a batch or change set reply; contentId echoes the request's.
void addResponse(SandboxMultipart::Writer &writer, const HttpResponse &response, const QByteArray &contentId = {});

} // namespace BatchMessage
