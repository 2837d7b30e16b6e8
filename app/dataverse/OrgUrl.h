#pragma once

#include "models/Result.h"

#include <QUrl>

// The environment's address as a user pastes it, reduced to the organization root.
namespace OrgUrl {
// Accepts "https://org.crm.dynamics.com", with or without "/api/data/v9.x", a trailing slash or "main.aspx?…".
// Refuses anything but https, except http on a loopback host (the sandbox).
Result<QUrl> parse(const QString &text);

// The Web API root the client uses: <org>/api/data/v9.2/
QUrl webApiRoot(const QUrl &org);

bool isLoopbackHost(const QString &host);
// A service the product may send a token or a secret to: https, or http to a loopback host (an authority, a
// discovery service; environments go through parse()).
bool isSecureOrLoopback(const QUrl &url);
// The address as text without its trailing slashes (and without query or fragment): what scopes and endpoints are
// built on.
QString withoutTrailingSlash(const QUrl &url);
} // namespace OrgUrl
