#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

// The Microsoft clouds an environment can live in. Each has its own sign-in authority and its own Global Discovery
// Service (docs/discovery.md); a custom cloud names both itself.
enum class Cloud {
    Commercial,
    Gcc, // US Government Community Cloud: commercial sign-in, its own discovery service
    GccHigh,
    Dod,
    China, // operated by 21Vianet
    Custom, // an authority (and discovery service) the product does not know, given by hand
};

namespace Clouds {
// commercial, gcc, gcc-high, dod, china, custom: the names profiles.ini and --cloud use.
QString name(Cloud cloud);
std::optional<Cloud> fromName(const QString &name);
QString label(Cloud cloud); // for people: "US Government (GCC High)"
QList<Cloud> all(); // in the order a list shows them, Custom last
// "--cloud must be commercial, gcc, gcc-high, dod, china or custom, not 'x'.": the refusal of an unknown name.
QString unknownNameSentence(const QString &option, const QString &name);

QUrl authority(Cloud cloud); // empty for Custom
QUrl discovery(Cloud cloud); // the Global Discovery Service's base address; empty for Custom

// The cloud whose environments live under the URL's host (*.crm9.dynamics.com is GCC, …); nullopt when the host
// belongs to none (a local sandbox, a custom cloud).
std::optional<Cloud> ofEnvironment(const QUrl &orgUrl);
// The cloud whose authority this is (login.microsoftonline.us: GCC High, which DoD shares); nullopt for others.
std::optional<Cloud> ofAuthority(const QUrl &authority);
} // namespace Clouds
