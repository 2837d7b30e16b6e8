#include "app/auth/Cloud.h"

using namespace Qt::StringLiterals;

namespace {
struct CloudFacts
{
    Cloud cloud;
    QLatin1StringView name;
    const char *label;
    QLatin1StringView authority;
    QLatin1StringView discovery;
    // Host suffixes of its environments; the first that matches wins, so the longer ones come first.
    QLatin1StringView hosts[2];
};

// docs/discovery.md: each cloud's authority, discovery service and environment hosts, with their sources.
constexpr CloudFacts Facts[] = {
    {Cloud::Gcc,
     "gcc"_L1,
     QT_TRANSLATE_NOOP("Clouds", "US Government (GCC)"),
     "https://login.microsoftonline.com"_L1,
     "https://globaldisco.crm9.dynamics.com"_L1,
     {".crm9.dynamics.com"_L1, {}}},
    {Cloud::Commercial,
     "commercial"_L1,
     QT_TRANSLATE_NOOP("Clouds", "Commercial"),
     "https://login.microsoftonline.com"_L1,
     "https://globaldisco.crm.dynamics.com"_L1,
     {".dynamics.com"_L1, {}}},
    {Cloud::GccHigh,
     "gcc-high"_L1,
     QT_TRANSLATE_NOOP("Clouds", "US Government (GCC High)"),
     "https://login.microsoftonline.us"_L1,
     "https://globaldisco.crm.microsoftdynamics.us"_L1,
     {".crm.microsoftdynamics.us"_L1, {}}},
    {Cloud::Dod,
     "dod"_L1,
     QT_TRANSLATE_NOOP("Clouds", "US Government (DoD)"),
     "https://login.microsoftonline.us"_L1,
     "https://globaldisco.crm.appsplatform.us"_L1,
     {".crm.appsplatform.us"_L1, {}}},
    {Cloud::China,
     "china"_L1,
     QT_TRANSLATE_NOOP("Clouds", "China (operated by 21Vianet)"),
     "https://login.chinacloudapi.cn"_L1,
     "https://globaldisco.crm.dynamics.cn"_L1,
     {".crm.dynamics.cn"_L1, {}}},
    {Cloud::Custom, "custom"_L1, QT_TRANSLATE_NOOP("Clouds", "Custom (authority given by hand)"), {}, {}, {{}, {}}},
};

const CloudFacts &factsOf(Cloud cloud)
{
    for (const CloudFacts &f : Facts)
        if (f.cloud == cloud)
            return f;
    return Facts[std::size(Facts) - 1];
}
} // namespace

QString Clouds::name(Cloud cloud)
{
    return factsOf(cloud).name;
}

std::optional<Cloud> Clouds::fromName(const QString &name)
{
    for (const CloudFacts &f : Facts)
        if (name.compare(f.name, Qt::CaseInsensitive) == 0)
            return f.cloud;
    return std::nullopt;
}

QString Clouds::label(Cloud cloud)
{
    return QCoreApplication::translate("Clouds", factsOf(cloud).label);
}

QList<Cloud> Clouds::all()
{
    return {Cloud::Commercial, Cloud::Gcc, Cloud::GccHigh, Cloud::Dod, Cloud::China, Cloud::Custom};
}

QString Clouds::unknownNameSentence(const QString &option, const QString &name)
{
    QStringList names;
    for (const Cloud cloud : all())
        names << Clouds::name(cloud);
    const QString choices = names.mid(0, names.size() - 1).join(u", "_s);
    return QCoreApplication::translate("Clouds", "%1 must be %2 or %3, not '%4'.")
        .arg(option, choices, names.constLast(), name);
}

QUrl Clouds::authority(Cloud cloud)
{
    const auto a = factsOf(cloud).authority;
    return a.isEmpty() ? QUrl() : QUrl(QString(a));
}

QUrl Clouds::discovery(Cloud cloud)
{
    const auto d = factsOf(cloud).discovery;
    return d.isEmpty() ? QUrl() : QUrl(QString(d));
}

std::optional<Cloud> Clouds::ofEnvironment(const QUrl &orgUrl)
{
    const QString host = orgUrl.host().toLower();
    if (host.isEmpty())
        return std::nullopt;
    for (const CloudFacts &f : Facts) {
        for (const QLatin1StringView suffix : f.hosts)
            if (!suffix.isEmpty() && host.endsWith(suffix))
                return f.cloud;
    }
    return std::nullopt;
}

std::optional<Cloud> Clouds::ofAuthority(const QUrl &authority)
{
    const QString host = authority.host().toLower();
    for (const Cloud cloud : {Cloud::Commercial, Cloud::GccHigh, Cloud::China})
        if (host == Clouds::authority(cloud).host())
            return cloud;
    return std::nullopt;
}
