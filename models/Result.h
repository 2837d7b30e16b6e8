#pragma once

#include <QString>

#include <utility>
#include <variant>

// A failure as a value: what kind it is, what the service said, and a sentence the user can act on.
struct Error
{
    enum class Kind {
        Auth, // 401/403: sign in again, or ask for a role
        Network, // no reply: DNS, refused, reset, timeout, TLS
        Throttled, // 429 service protection
        Conflict, // 412: someone changed the record meanwhile
        NotFound, // 404
        Server, // 5xx or another unexpected status
        BadReply, // the reply was not what the Web API documents
        BadInput, // the user's input (URL, flag, file, value) is wrong
    };

    Kind kind = Kind::Server;
    int httpStatus = 0; // 0 when no HTTP reply arrived
    QString serviceCode; // e.g. "0x80040217"; often empty
    QString serviceMessage; // the service's own text
    QString requestId; // x-ms-service-request-id, when present
    QString userMessage; // what happened and what to do, in one or two sentences

    static Error badInput(QString message)
    {
        Error e;
        e.kind = Kind::BadInput;
        e.userMessage = std::move(message);
        return e;
    }

    // The user message followed by the technical details that help a support ticket.
    QString describe() const;
    static QString kindName(Kind kind);
};

// Either a value or an Error. Deliberately small: ok(), value(), error().
template<typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    { }
    Result(Error error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations whose success carries nothing.
struct Done
{
};
