#include "PreviewSeed.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <cmath>

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
    const auto add = [&](int count, int status, const QString &channels) {
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
            conversations.append(c);
        }
    };
    add(seed.chatOpen, 1, Chat);
    add(seed.textOpen, 1, Text);
    add(seed.onBoth, 1, Text + u',' + Chat);
    add(seed.wrapUp, 5, Chat);
    root.insert(u"msdyn_ocliveworkitems"_s, conversations);
    QFile out(path);
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
    return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}
