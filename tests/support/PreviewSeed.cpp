#include "PreviewSeed.h"

#include "app/dataverse/DataverseClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
const QString Chat = u"192360000"_s;
const QString Text = u"192340000"_s;

// An id from a name, in no order related to the name's.
QString idFor(const QString &name)
{
    return QUuid::fromRfc4122(QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5))
        .toString(QUuid::WithoutBraces);
}
} // namespace

bool writePreviewSeed(const QString &path, const PreviewSeed &seed)
{
    QFile base(QStringLiteral(AUTOCLOSE_TEST_DATA) + u"/seeds/preview.json"_s);
    if (!base.open(QIODevice::ReadOnly))
        return false;
    QJsonObject root = QJsonDocument::fromJson(base.readAll()).object();
    QJsonArray conversations = root.value(u"msdyn_ocliveworkitems"_s).toArray();
    const QDateTime at = QDateTime::fromString(u"2026-03-01T12:00:00Z"_s, Qt::ISODate);
    const auto iso = [](const QDateTime &t) {
        return t.toString(Qt::ISODate);
    };
    int serial = 0;
    // workstreamOf(i): the workstream of the i-th conversation of a kind, empty for none.
    const auto add = [&](int count, int status, const QString &channels,
                         const std::function<QString(int)> &workstreamOf = {}) {
        for (int i = 0; i < count; ++i, ++serial) {
            // Ages on a log scale from a minute to 30 days, perSecond conversations to each second.
            const int group = i / std::max(1, seed.perSecond);
            const int groups = (count + seed.perSecond - 1) / std::max(1, seed.perSecond);
            const double share = groups > 1 ? double(group) / double(groups - 1) : 0.0;
            const qint64 ageSeconds = qint64(60.0 * std::exp(share * std::log(30.0 * 24 * 60)));
            const QDateTime created = at.addSecs(-ageSeconds);
            QJsonObject c {{u"activityid"_s, idFor(u"seed/"_s + QString::number(serial))},
                           {u"msdyn_title"_s, u"generated %1, \"quoted\", with a comma"_s.arg(serial)},
                           {u"statecode"_s, 0},
                           {u"statuscode"_s, status},
                           {u"msdyn_channel"_s, channels},
                           {u"createdon"_s, iso(created)},
                           {u"modifiedon"_s, iso(created.addSecs(ageSeconds / 2))}};
            if (status == 5 && i % 4 != 0)
                c.insert(u"msdyn_wrapupinitiatedon"_s, iso(created.addSecs(ageSeconds / 3)));
            if (const QString workstream = workstreamOf ? workstreamOf(i) : QString(); !workstream.isEmpty())
                c.insert(u"_msdyn_liveworkstreamid_value"_s, workstream);
            conversations.append(c);
        }
    };
    add(seed.chatOpen, 1, Chat);
    add(seed.textOpen, 1, Text);
    add(seed.onBoth, 1, Text + u',' + Chat);
    add(seed.wrapUp, 5, Chat);
    add(seed.waitingText, 3, Text, [](int i) {
        const std::array<QString, 4> turns {QString::fromLatin1(PreviewSeedIds::TextCare),
                                            QString::fromLatin1(PreviewSeedIds::TextNight), QString(),
                                            QString::fromLatin1(PreviewSeedIds::Unknown)};
        return turns.at(size_t(i) % turns.size());
    });
    add(seed.wrapUpOnWorkstreams, 5, Chat, [](int i) {
        const std::array<QString, 3> turns {QString::fromLatin1(PreviewSeedIds::ChatBlocked),
                                            QString::fromLatin1(PreviewSeedIds::ChatFree), QString()};
        return turns.at(size_t(i) % turns.size());
    });
    root.insert(u"msdyn_ocliveworkitems"_s, conversations);
    if (seed.waitingText > 0 || seed.wrapUpOnWorkstreams > 0) {
        QJsonArray workstreams = root.value(u"msdyn_liveworkstreams"_s).toArray();
        const auto workstream = [](const char *id, const QString &name, const QString &source, int inactivity,
                                   std::optional<int> block) {
            return QJsonObject {{u"msdyn_liveworkstreamid"_s, QString::fromLatin1(id)},
                                {u"msdyn_name"_s, name},
                                {u"msdyn_streamsource"_s, source.toInt()},
                                {u"msdyn_autocloseafterinactivity"_s, inactivity},
                                {u"msdyn_blockcapacityforwrapup"_s, block ? QJsonValue(*block) : QJsonValue()}};
        };
        workstreams.append(workstream(PreviewSeedIds::TextNight, u"Text night"_s, Text, 360, std::nullopt));
        workstreams.append(workstream(PreviewSeedIds::ChatBlocked, u"Chat blocked"_s, Chat, 30, 45));
        workstreams.append(workstream(PreviewSeedIds::ChatFree, u"Chat free"_s, Chat, 30, std::nullopt));
        root.insert(u"msdyn_liveworkstreams"_s, workstreams);
    }
    QFile out(path);
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
    return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}

Result<QList<Workstream>> readWorkstreams(DataverseClient &client)
{
    std::optional<Result<QList<Workstream>>> read;
    QObject context;
    client.fetchWorkstreams(&context, [&read](Result<QList<Workstream>> r) { read = std::move(r); });
    if (!QTest::qWaitFor([&read] { return read.has_value(); }, 20000))
        return Error::badInput(u"the workstreams did not arrive"_s);
    return std::move(*read);
}
