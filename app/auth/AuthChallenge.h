#pragma once

#include "models/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

// The WWW-Authenticate header of a 401, read as RFC 7235 writes it (several challenges in one header, parameters
// with quoted or bare values, commas inside quotes), and the claims challenge it may carry: Conditional Access and
// continuous access evaluation refuse a token with error="insufficient_claims" and the claims a new token must carry
// (docs/sign-in.md, "Conditional Access and claims challenges"). Pure functions, no network.
namespace AuthChallenge {

struct Challenge
{
    QByteArray scheme; // "Bearer", as sent
    QByteArray token68; // a scheme's single opaque value ("Negotiate abc=="), when it has one instead of parameters
    QList<std::pair<QByteArray, QByteArray>> params; // names in lower case, values unquoted and unescaped
    // The first parameter of that name (case-insensitive), or empty.
    QByteArray param(const QByteArray &name) const;
};

// Every challenge of the header, in order. Lenient where services are: bare values may hold ':' and '/' (Dataverse
// sends authorization_uri=https://… unquoted), and an unterminated quoted string runs to the end.
QList<Challenge> parse(const QByteArray &header);

// What a claims challenge asks for.
struct Claims
{
    QByteArray json; // the decoded claims request, compact: {"access_token":{"acrs":{"essential":true,"value":"c1"}}}
    QStringList names; // "access_token.acrs": what may be logged or shown, never the values
};

// The Bearer challenge with error="insufficient_claims" among the header's: nothing when there is none; an Error
// (kind Auth, a sentence in userMessage, the reason in serviceMessage) when its claims are missing, not base64 or
// not a JSON claims request.
Result<std::optional<Claims>> insufficientClaims(const QByteArray &header);

// "Your organization's access policy asks you to sign in again." — the one sentence every face of the product shows
// when a claims challenge arrives.
QString signInAgainSentence();

} // namespace AuthChallenge
