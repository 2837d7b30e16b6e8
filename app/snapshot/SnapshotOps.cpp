#include "app/snapshot/SnapshotOps.h"

#include "app/common/Version.h"

#include <QCoreApplication>
#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("SnapshotOps", text);
}

// Reads the ranges of settings from index on, collecting the values outside them.
void checkFrom(QPointer<DataverseClient> client, std::shared_ptr<const ApplyPlan> plan, QList<TimerSetting> settings,
               qsizetype index, QStringList problems, QObject *context, std::function<void(Result<Done>)> done)
{
    if (index == settings.size()) {
        if (problems.isEmpty())
            done(Done {});
        else
            done(Error::badInput(tr("Nothing was applied: a value is outside what the environment allows.") +
                                 u"\n  "_s + problems.join(u"\n  "_s)));
        return;
    }
    if (!client)
        return;
    const TimerSetting setting = settings.at(index);
    client->fetchRange(
        setting, context,
        [client, plan, settings, index, problems, context, setting,
         done = std::move(done)](Result<WebApiReply::ColumnRange> range) mutable {
            if (!range) {
                Error e = range.error();
                e.userMessage = tr("Nothing was applied: the values could not be checked, because the range of \"%1\" "
                                   "could not be read from the environment's metadata. %2")
                                    .arg(TimerSettings::label(setting), e.userMessage);
                done(e);
                return;
            }
            problems << plan->outOfRange(setting, range.value().minValue, range.value().maxValue);
            checkFrom(client, plan, settings, index + 1, problems, context, std::move(done));
        });
}
} // namespace

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
            auto snapshot = std::make_shared<Snapshot>();
            snapshot->records = std::move(configs).value();
            guard->fetchWorkstreams(
                context,
                [guard, context, snapshot, done = std::move(done)](Result<QList<Workstream>> workstreams) mutable {
                    if (!workstreams) {
                        done(workstreams.error());
                        return;
                    }
                    if (!guard)
                        return;
                    snapshot->workstreams = std::move(workstreams).value();
                    snapshot->environmentUrl = guard->orgUrl().toString();
                    guard->whoAmI(context, [snapshot, done = std::move(done)](Result<WebApiReply::Identity> who) {
                        if (!who) {
                            done(who.error());
                            return;
                        }
                        snapshot->organizationId = who.value().organizationId;
                        snapshot->exportedAt = QDateTime::currentDateTimeUtc();
                        snapshot->toolVersion = Version::product();
                        snapshot->schemaVersion = Snapshot::SchemaVersion;
                        snapshot->normalize();
                        done(std::move(*snapshot));
                    });
                });
        });
}

void SnapshotOps::checkRanges(DataverseClient *client, const ApplyPlan &plan, QObject *context,
                              std::function<void(Result<Done>)> done)
{
    checkFrom(client, std::make_shared<const ApplyPlan>(plan), plan.settings(), 0, {}, context, std::move(done));
}
