#include "models/Duration.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Duration", text);
}

QString days(int n)
{
    return n == 1 ? QCoreApplication::translate("Duration", "1 day")
                  : QCoreApplication::translate("Duration", "%1 days").arg(n);
}

QString allowed()
{
    return QCoreApplication::translate("Duration", "Type minutes (45), hours (2h), days (1d 12h) or “never”.");
}

// Minutes per unit, for the unit words people type; 0 for a word that is no unit.
qint64 unitMinutes(const QString &unit)
{
    static const QHash<QString, qint64> units = {
        {u"m"_s, 1},
        {u"min"_s, 1},
        {u"mins"_s, 1},
        {u"minute"_s, 1},
        {u"minutes"_s, 1},
        {u"h"_s, Duration::MinutesPerHour},
        {u"hr"_s, Duration::MinutesPerHour},
        {u"hrs"_s, Duration::MinutesPerHour},
        {u"hour"_s, Duration::MinutesPerHour},
        {u"hours"_s, Duration::MinutesPerHour},
        {u"d"_s, Duration::MinutesPerDay},
        {u"day"_s, Duration::MinutesPerDay},
        {u"days"_s, Duration::MinutesPerDay},
        {u"w"_s, Duration::MinutesPerWeek},
        {u"wk"_s, Duration::MinutesPerWeek},
        {u"week"_s, Duration::MinutesPerWeek},
        {u"weeks"_s, Duration::MinutesPerWeek},
    };
    return units.value(unit, 0);
}
} // namespace

QString Duration::format(std::optional<int> minutes)
{
    if (!minutes)
        return tr("Never");
    const int total = *minutes;
    if (total < MinutesPerHour)
        return tr("%1 min").arg(total);

    const int d = total / MinutesPerDay;
    const int h = (total % MinutesPerDay) / MinutesPerHour;
    const int m = total % MinutesPerHour;
    QStringList parts;
    if (d > 0)
        parts << days(d);
    if (h > 0)
        parts << tr("%1 h").arg(h);
    if (m > 0)
        parts << tr("%1 min").arg(m);
    return parts.join(QLatin1Char(' '));
}

QString Duration::spoken(std::optional<int> minutes)
{
    if (!minutes)
        return tr("never");
    const int total = *minutes;
    const int d = total / MinutesPerDay;
    const int h = (total % MinutesPerDay) / MinutesPerHour;
    const int m = total % MinutesPerHour;
    QStringList parts;
    if (d > 0)
        parts << QCoreApplication::translate("Duration", "%n day(s)", nullptr, d);
    if (h > 0)
        parts << QCoreApplication::translate("Duration", "%n hour(s)", nullptr, h);
    if (m > 0 || parts.isEmpty())
        parts << QCoreApplication::translate("Duration", "%n minute(s)", nullptr, m);
    return parts.join(QLatin1Char(' '));
}

Result<std::optional<int>> Duration::parse(const QString &text, Range range)
{
    const QString input = text.trimmed().toLower();
    if (input.isEmpty())
        return Error::badInput(tr("Empty. ") + allowed());
    if (input == u"never"_s) {
        if (!range.allowsNever)
            return Error::badInput(tr("This value is required: it cannot be “never”. Type minutes (45), hours (2h) "
                                      "or days (1d 12h)."));
        return std::optional<int>();
    }
    if (input.startsWith(u'-'))
        return Error::badInput(tr("A duration cannot be negative. ") + allowed());

    // A sequence of <number><unit>, spaces optional; a lone number is minutes. Numbers may have a decimal part
    // ("1.5h"); the total is kept as an exact fraction so "0.01h" is refused rather than rounded.
    constexpr qint64 Limit = qint64(1) << 50; // far above any valid value; the sums below check for overflow
    qint64 numerator = 0; // total minutes × 10^decimals
    qint64 scale = 1;
    qsizetype i = 0;
    int parts = 0;
    bool bareNumber = false;
    const auto tooLarge = [range] {
        return Error::badInput(tr("Too long: at most %1 minutes (%2).").arg(range.max).arg(format(int(range.max))));
    };
    while (i < input.size()) {
        while (i < input.size() && input.at(i).isSpace())
            ++i;
        if (i >= input.size())
            break;
        qint64 digits = 0;
        qint64 partScale = 1;
        bool seenPoint = false;
        bool seenDigit = false;
        for (; i < input.size(); ++i) {
            const QChar c = input.at(i);
            if (c.isDigit() && c.unicode() < 128) {
                seenDigit = true;
                if (digits > Limit)
                    return tooLarge();
                digits = digits * 10 + (c.unicode() - u'0');
                if (seenPoint) {
                    if (partScale > 1000000)
                        return Error::badInput(tr("Too many decimals in “%1”. ").arg(text.trimmed()) + allowed());
                    partScale *= 10;
                }
            } else if ((c == u'.' || c == u',') && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!seenDigit)
            return Error::badInput(tr("“%1” is not a duration. ").arg(text.trimmed()) + allowed());
        while (i < input.size() && input.at(i).isSpace())
            ++i;
        const qsizetype unitStart = i;
        while (i < input.size() && input.at(i).isLetter())
            ++i;
        const QString unit = input.mid(unitStart, i - unitStart);
        qint64 perUnit = 1;
        if (unit.isEmpty()) {
            bareNumber = true;
        } else {
            perUnit = unitMinutes(unit);
            if (perUnit == 0)
                return Error::badInput(tr("“%1” is not a unit. ").arg(unit) + allowed());
        }
        if (i < input.size() && !input.at(i).isSpace() && !input.at(i).isDigit())
            return Error::badInput(tr("“%1” is not a duration. ").arg(text.trimmed()) + allowed());
        // Bring both fractions to one scale, then add; a number too large for that is too large for a duration.
        const qint64 common = std::max(scale, partScale);
        qint64 part = 0;
        qint64 scaled = 0;
        if (qMulOverflow(digits, perUnit, &part) || qMulOverflow(part, common / partScale, &part) ||
            qMulOverflow(numerator, common / scale, &scaled) || qAddOverflow(scaled, part, &numerator))
            return tooLarge();
        scale = common;
        if (numerator / scale > range.max)
            return tooLarge();
        ++parts;
    }
    if (bareNumber && parts > 1)
        return Error::badInput(tr("Give every number a unit, as in “1d 12h”. ") + allowed());
    if (numerator % scale != 0)
        return Error::badInput(tr("Not a whole number of minutes: the value is stored in whole minutes. ") + allowed());
    const qint64 minutes = numerator / scale;
    if (minutes < range.min) {
        const int shortest = int(std::min<qint64>(range.min, INT_MAX));
        return Error::badInput(
            QCoreApplication::translate("Duration", "Too short: at least %n minute(s).", nullptr, shortest));
    }
    if (minutes > range.max)
        return tooLarge();
    return std::optional<int>(int(minutes));
}
