#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <utility>

// OData literals as the Web API reads them inside $filter.
namespace ODataLiteral {
QString string(const QString &text); // 'O''Brien'
QString dateTime(const QDateTime &time); // 2024-05-01T08:00:00Z (UTC)
QString integer(qint64 value);
} // namespace ODataLiteral

// A Web API query on one entity set, built with fluent setters and encoded once, correctly: every option value is
// percent-encoded, so quotes, &, #, + and % inside literals reach the service as written.
class ODataQuery
{
public:
    explicit ODataQuery(QString entitySet)
        : m_entitySet(std::move(entitySet))
    { }

    ODataQuery &select(const QStringList &columns);
    ODataQuery &filter(const QString &expression);
    ODataQuery &orderBy(const QString &ordering);
    ODataQuery &top(int rows);
    ODataQuery &count(bool on = true);
    ODataQuery &expand(const QString &expansion);
    ODataQuery &apply(const QString &transformations);

    // "<set>?$select=…&$filter=…", relative to the Web API root.
    QString toString() const;

private:
    QString m_entitySet;
    QList<std::pair<QString, QString>> m_options;
    ODataQuery &set(const QString &option, const QString &value);
};
