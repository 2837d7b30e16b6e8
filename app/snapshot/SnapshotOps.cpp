#include "app/snapshot/SnapshotOps.h"

#include "app/common/Version.h"

#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

void SnapshotOps::capture(DataverseClient *client, QObject *context, std::function<void(Result<Snapshot>)> done)
{
    QPointer<DataverseClient> guard(client);
    client->fetchConfigurations(
        context, [guard, context, done = std::move(done)](Result<QList<ChannelStateConfig>> configs) mutable {
            if (!configs) {
                done(configs.error());
                return;
            }
            if (!guard)
                return;
            auto records = std::make_shared<QList<ChannelStateConfig>>(std::move(configs).value());
            const QString url = guard->orgUrl().toString();
            guard->whoAmI(context, [records, url, done = std::move(done)](Result<WebApiReply::Identity> who) {
                if (!who) {
                    done(who.error());
                    return;
                }
                Snapshot snapshot;
                snapshot.environmentUrl = url;
                snapshot.organizationId = who.value().organizationId;
                snapshot.exportedAt = QDateTime::currentDateTimeUtc();
                snapshot.toolVersion = Version::product();
                snapshot.records = *records;
                snapshot.normalize();
                done(std::move(snapshot));
            });
        });
}
