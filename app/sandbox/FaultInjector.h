#pragma once

#include "models/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// Deterministic faults for tests, from autoclose-sandbox --faults SPEC:
//
//   SPEC  := RULE [';' RULE]...
//   RULE  := KIND [':' PARAM]...
//   KIND  := 400 | 429 | 500 | 502 | 503 | expired | claims | reset | truncate | slow | hold | loop
//   PARAM := every=K        the K-th, 2K-th, … request the rule matches (default 1: every one)
//          | times=N        at most N times in all (default: no limit)
//          | after=N        only once N matching requests have passed untouched (default 0)
//          | path=TEXT      only requests whose path contains TEXT
//          | query=TEXT     only requests whose decoded query contains TEXT (e.g. query=$expand)
//          | method=M       only requests with this method (GET, PATCH, POST)
//          | retry-after=S  with 429: the Retry-After seconds (default 2)
//          | ms=N           with slow or hold: the delay (default 2000)
//          | satisfiable=no with claims: challenge every token, even one that carries the claims
//
// 400/429/5xx answer with the Web API's error body; expired answers 401 as for an expired token; claims answers a Web
// API request whose token is valid but does not carry the authentication context c1 with 401 and a claims challenge
// (AuthHandler::claimsChallenge, docs/sign-in.md) — a token carrying it passes, unless satisfiable=no; reset closes the
// connection half-way through the body; truncate sends a 200 whose JSON is cut in half; slow acts on the request at
// once and delays the reply; hold waits before acting on the request at all (and drops it if the client has gone
// meanwhile), so that a client killed during the wait has changed nothing; loop answers a collection request as usual
// but with an @odata.nextLink that leads back to the request's own address, as faulty paging would.
// Each rule counts only the requests it matches; the first rule that fires decides.
class FaultInjector
{
public:
    enum class Kind {
        Status400,
        Status429,
        Status500,
        Status502,
        Status503,
        Expired,
        Claims,
        Reset,
        Truncate,
        Slow,
        Hold,
        Loop
    };

    struct Fault
    {
        Kind kind;
        int retryAfterSeconds = 2;
        int delayMs = 2000;
        bool satisfiable = true; // claims: a token carrying the claims passes
    };

    static Result<FaultInjector> parse(const QString &spec);

    std::optional<Fault> next(const QByteArray &method, const QString &path, const QString &query = {});
    bool isEmpty() const { return m_rules.isEmpty(); }

private:
    struct Rule
    {
        Fault fault;
        int every = 1;
        int times = -1;
        int after = 0;
        QString path;
        QString query;
        QByteArray method;
        int matched = 0;
        int fired = 0;
    };
    QList<Rule> m_rules;
};
