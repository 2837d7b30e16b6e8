#include "app/dataverse/ODataQuery.h"

#include <QUrl>

using namespace Qt::StringLiterals;

QString ODataLiteral::string(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', u"''"_s);
    return u'\'' + quoted + u'\'';
}

QString ODataLiteral::dateTime(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
}

QString ODataLiteral::integer(qint64 value)
{
    return QString::number(value);
}

ODataQuery &ODataQuery::set(const QString &option, const QString &value)
{
    for (auto &[name, existing] : m_options) {
        if (name == option) {
            existing = value;
            return *this;
        }
    }
    m_options.append({option, value});
    return *this;
}

ODataQuery &ODataQuery::select(const QStringList &columns)
{
    return set(u"$select"_s, columns.join(u','));
}

ODataQuery &ODataQuery::filter(const QString &expression)
{
    return set(u"$filter"_s, expression);
}

ODataQuery &ODataQuery::orderBy(const QString &ordering)
{
    return set(u"$orderby"_s, ordering);
}

ODataQuery &ODataQuery::top(int rows)
{
    return set(u"$top"_s, QString::number(rows));
}

ODataQuery &ODataQuery::count(bool on)
{
    return set(u"$count"_s, on ? u"true"_s : u"false"_s);
}

ODataQuery &ODataQuery::expand(const QString &expansion)
{
    return set(u"$expand"_s, expansion);
}

ODataQuery &ODataQuery::apply(const QString &transformations)
{
    return set(u"$apply"_s, transformations);
}

QString ODataQuery::toString() const
{
    // Readable where it is safe ( ( ) , ' $ : / * @ ); everything else, spaces, &, #, +, %, = and [ ] included,
    // percent-encoded.
    static const QByteArray keep = "(),'$:/*@";
    QStringList parts;
    for (const auto &[name, value] : m_options)
        parts << name + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value, keep));
    return parts.isEmpty() ? m_entitySet : m_entitySet + u'?' + parts.join(u'&');
}
