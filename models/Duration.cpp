#include "models/Duration.h"

#include <QCoreApplication>
#include <QStringList>

namespace {
QString days(int n)
{
    return n == 1 ? QCoreApplication::translate("Duration", "1 day")
                  : QCoreApplication::translate("Duration", "%1 days").arg(n);
}
} // namespace

QString Duration::format(std::optional<int> minutes)
{
    if (!minutes)
        return QCoreApplication::translate("Duration", "Never");
    const int total = *minutes;
    if (total < MinutesPerHour)
        return QCoreApplication::translate("Duration", "%1 min").arg(total);

    const int d = total / MinutesPerDay;
    const int h = (total % MinutesPerDay) / MinutesPerHour;
    const int m = total % MinutesPerHour;
    QStringList parts;
    if (d > 0)
        parts << days(d);
    if (h > 0)
        parts << QCoreApplication::translate("Duration", "%1 h").arg(h);
    if (m > 0)
        parts << QCoreApplication::translate("Duration", "%1 min").arg(m);
    return parts.join(QLatin1Char(' '));
}
