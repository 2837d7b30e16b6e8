#include "app/sandbox/FaultInjector.h"

#include <QHash>
#include <QStringList>

using namespace Qt::StringLiterals;

Result<FaultInjector> FaultInjector::parse(const QString &spec)
{
    static const QHash<QString, Kind> kinds = {
        {u"400"_s, Kind::Status400}, {u"429"_s, Kind::Status429}, {u"500"_s, Kind::Status500},
        {u"502"_s, Kind::Status502}, {u"503"_s, Kind::Status503}, {u"expired"_s, Kind::Expired},
        {u"claims"_s, Kind::Claims}, {u"reset"_s, Kind::Reset},   {u"truncate"_s, Kind::Truncate},
        {u"slow"_s, Kind::Slow},     {u"hold"_s, Kind::Hold},     {u"loop"_s, Kind::Loop},
    };
    FaultInjector injector;
    for (const QString &text : spec.split(u';', Qt::SkipEmptyParts)) {
        const QStringList fields = text.trimmed().split(u':');
        const auto kind = kinds.constFind(fields.first());
        if (kind == kinds.cend())
            return Error::badInput(u"--faults: unknown fault '%1' in '%2' (known: 400, 429, 500, 502, 503, expired, "
                                   u"claims, reset, truncate, slow, hold, loop)."_s.arg(fields.first(), text));
        Rule rule;
        rule.fault.kind = kind.value();
        for (qsizetype i = 1; i < fields.size(); ++i) {
            const QString name = fields.at(i).section(u'=', 0, 0);
            const QString value = fields.at(i).section(u'=', 1);
            bool ok = true;
            const auto number = [&ok, &value](int minimum) {
                const int n = value.toInt(&ok);
                ok = ok && n >= minimum;
                return n;
            };
            if (name == u"every"_s)
                rule.every = number(1);
            else if (name == u"times"_s)
                rule.times = number(1);
            else if (name == u"after"_s)
                rule.after = number(0);
            else if (name == u"retry-after"_s && rule.fault.kind == Kind::Status429)
                rule.fault.retryAfterSeconds = number(0);
            else if (name == u"ms"_s && (rule.fault.kind == Kind::Slow || rule.fault.kind == Kind::Hold))
                rule.fault.delayMs = number(0);
            else if (name == u"satisfiable"_s && rule.fault.kind == Kind::Claims) {
                if (value != u"yes"_s && value != u"no"_s)
                    return Error::badInput(u"--faults: '%1' in '%2' takes yes or no."_s.arg(fields.at(i), text));
                rule.fault.satisfiable = value == u"yes"_s;
            } else if (name == u"path"_s && !value.isEmpty())
                rule.path = value;
            else if (name == u"query"_s && !value.isEmpty())
                rule.query = value;
            else if (name == u"method"_s && !value.isEmpty())
                rule.method = value.toUpper().toLatin1();
            else
                return Error::badInput(
                    u"--faults: '%1' is not a parameter of '%2'."_s.arg(fields.at(i), fields.first()));
            if (!ok)
                return Error::badInput(u"--faults: '%1' in '%2' needs a whole number."_s.arg(fields.at(i), text));
        }
        injector.m_rules << rule;
    }
    if (injector.m_rules.isEmpty())
        return Error::badInput(u"--faults: no fault given."_s);
    return injector;
}

std::optional<FaultInjector::Fault> FaultInjector::next(const QByteArray &method, const QString &path,
                                                        const QString &query)
{
    std::optional<Fault> fault;
    for (Rule &rule : m_rules) {
        if ((!rule.method.isEmpty() && rule.method != method) || (!rule.path.isEmpty() && !path.contains(rule.path)) ||
            (!rule.query.isEmpty() && !query.contains(rule.query)))
            continue;
        ++rule.matched;
        const int counted = rule.matched - rule.after;
        if (fault || counted <= 0 || counted % rule.every != 0 || (rule.times >= 0 && rule.fired >= rule.times))
            continue;
        ++rule.fired;
        fault = rule.fault;
    }
    return fault;
}
