#pragma once

#include <QString>

class QNetworkReply;

// TLS certificate errors are never ignored anywhere in the product: there is no option, setting or environment
// variable that would call QNetworkReply::ignoreSslErrors, so a server whose certificate cannot be verified gets no
// request — no token, no form, no secret. This records why the handshake was refused, so that the user reads the
// certificate's problem and what to do about it rather than "SSL handshake failed".
namespace TlsRefusal {
// Keeps the reply's certificate errors on it as they are reported (call right after sending).
void watch(QNetworkReply *reply);
// The certificate errors that made the reply fail, joined for a sentence; empty when TLS did not refuse it.
QString errorsOf(const QNetworkReply *reply);
// The sentence shown for a refused server, naming host and the errors.
QString sentence(const QString &host, const QString &errors);
} // namespace TlsRefusal
