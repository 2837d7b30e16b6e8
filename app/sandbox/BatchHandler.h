#pragma once

#include "app/sandbox/SandboxHttp.h"

#include <functional>

class SandboxStore;

// $batch: runs each part through the router in order, a change set as one transaction, and writes the multipart
// reply (docs/web-api.md).
class BatchHandler final
{
    Q_DISABLE_COPY_MOVE(BatchHandler)
public:
    // How one request of the batch is answered: by the router, as if it had come alone.
    using Dispatch = std::function<HttpResponse(const HttpRequest &)>;

    BatchHandler(SandboxStore *store, Dispatch dispatch);

    HttpResponse batch(const HttpRequest &request) const;

private:
    HttpRequest innerRequest(const HttpRequest &batch, HttpRequest inner) const;

    SandboxStore *m_store;
    Dispatch m_dispatch;
};
