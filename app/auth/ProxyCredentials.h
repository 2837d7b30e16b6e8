#pragma once

#include "app/common/NetworkProxy.h"

#include <functional>
#include <optional>

class QObject;
class SecretStore;

// A proxy's user name and password remembered in the keychain (never in a file), keyed "proxy/<host>:<port>", so
// that the window asks once and the CLI finds them (docs/networking.md).
namespace ProxyCredentials {

QString keyFor(const NetworkProxy::Address &proxy);

// Waits for the keychain (a proxy's 407 is answered before its request goes on). Nothing when the keychain has no
// entry, or cannot be reached.
std::optional<NetworkProxy::Credentials> remembered(SecretStore *secrets, const NetworkProxy::Address &proxy);

void remember(SecretStore *secrets, const NetworkProxy::Address &proxy, const NetworkProxy::Credentials &credentials,
              QObject *context, std::function<void(bool ok, const QString &error)> done);

// Asks the keychain first, unless it holds what the proxy refused; then next (the window's dialog), if any.
NetworkProxy::Asker fromKeychain(SecretStore *secrets, NetworkProxy::Asker next = {});

} // namespace ProxyCredentials
