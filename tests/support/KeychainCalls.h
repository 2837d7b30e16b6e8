#pragma once

// SecretStore's asynchronous calls, waited for: for tests that write a secret to the real keychain and read it back.
#include "app/auth/SecretStore.h"

#include <optional>

namespace KeychainCalls {
// The stored value; nullopt when there is none. A keychain that fails or does not answer within 10 s fails the
// running test (QTest records it) and reads as nullopt too, so that "nothing is stored" never passes on an error.
std::optional<QString> read(SecretStore &store, const QString &key);
// Whether the keychain took the value (or the removal) within 10 s.
bool write(SecretStore &store, const QString &key, const QString &value);
bool remove(SecretStore &store, const QString &key);
} // namespace KeychainCalls
