#pragma once

// Plain HTTP for tests: one request, waited for, with status, headers and body as values.
#include <QJsonObject>
#include <QList>
#include <QNetworkReply>
#include <QUrl>

#include <utility>

struct TestReply
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    QJsonObject json() const;
    QByteArray header(const QByteArray &name) const;
};

TestReply testRequest(const QByteArray &method, const QUrl &url,
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {}, const QByteArray &body = {});

TestReply testGet(const QUrl &url, const QByteArray &token = {}, QList<std::pair<QByteArray, QByteArray>> headers = {});
