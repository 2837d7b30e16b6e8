// Golden scenarios for the closure preview: a sandbox seeded with known conversations (tests/data/seeds/preview.json)
// and a fixed moment, with the expected closures for both timer bases, with and without edits — through the real
// autoclose-cli over HTTP, and through the preview core the window uses (counts and the paged list).
#include "CliProcess.h"
#include "SandboxFixture.h"
#include "SandboxProcess.h"
#include "app/preview/ClosurePreview.h"
#include "app/preview/ListerPages.h"
#include "models/PreviewListModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QString Token = u"preview-test-token"_s;
const QString At = u"2026-03-01T12:00:00Z"_s;

QString conv(int n)
{
    return u"c0000000-0000-0000-0000-0000000000%1"_s.arg(n, 2, 10, QLatin1Char('0'));
}
QString cfg(int n)
{
    return u"b0000000-0000-0000-0000-00000000000%1"_s.arg(n);
}

CliRun runPreview(const QUrl &url, const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PREVIEW_TOKEN"_s, Token);
    return runCli(QStringList {u"--url"_s, url.toString(), u"--access-token-env"_s, u"PREVIEW_TOKEN"_s, u"preview"_s} +
                      args,
                  env);
}

// The configurations of the sandbox behind client.
Result<QList<ChannelStateConfig>> configurations(DataverseClient &client)
{
    std::optional<Result<QList<ChannelStateConfig>>> configs;
    client.fetchConfigurations(&client, [&configs](auto r) { configs = std::move(r); });
    if (!QTest::qWaitFor([&configs] { return configs.has_value(); }, 20000))
        return Error::badInput(u"the configurations did not arrive"_s);
    return std::move(*configs);
}

// activityid → configuration id, from the CLI's JSON.
QMap<QString, QString> closures(const QJsonObject &root)
{
    QMap<QString, QString> result;
    for (const QJsonValue &v : root.value(u"conversations"_s).toArray())
        result.insert(v.toObject().value(u"activityid"_s).toString(),
                      v.toObject().value(u"configuration"_s).toString());
    return result;
}

using Expected = QMap<QString, QString>;
} // namespace

class TestPreview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_process = std::make_unique<SandboxProcess>(
            QStringList {Token}, QStringList {u"--seed"_s, QFINDTESTDATA("data/seeds/preview.json")});
        QVERIFY2(m_process->waitUntilListening(), m_process->process().readAllStandardError().constData());
    }

    void cli_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<Expected>("expected");
        QTest::newRow("saved values, created basis")
            << QStringList {u"--at"_s, At}
            << Expected {{conv(1), cfg(1)}, {conv(6), cfg(3)},  {conv(7), cfg(4)}, {conv(8), cfg(6)},
                         {conv(9), cfg(1)}, {conv(11), cfg(1)}, {conv(12), cfg(1)}};
        QTest::newRow("saved values, modified basis")
            << QStringList {u"--at"_s, At, u"--basis"_s, u"modified"_s}
            << Expected {{conv(1), cfg(1)}, {conv(5), cfg(3)}, {conv(6), cfg(3)}, {conv(7), cfg(4)},
                         {conv(8), cfg(6)}, {conv(9), cfg(1)}, {conv(11), cfg(1)}};
        QTest::newRow("with --set, by name and by id")
            << QStringList {u"--at"_s,  At,
                            u"--set"_s, u"Chat - Open=10"_s,
                            u"--set"_s, u"Chat - Active=1h"_s,
                            u"--set"_s, cfg(4) + u"=never"_s}
            << Expected {{conv(1), cfg(1)}, {conv(2), cfg(1)}, {conv(4), cfg(2)},  {conv(6), cfg(3)},
                         {conv(8), cfg(6)}, {conv(9), cfg(1)}, {conv(11), cfg(1)}, {conv(12), cfg(1)}};
        QTest::newRow("a delay instead of a time: far in the future everything with a value closes")
            << QStringList {u"--at"_s, u"+3650d"_s}
            << Expected {{conv(1), cfg(1)},  {conv(2), cfg(1)}, {conv(3), cfg(1)}, {conv(5), cfg(3)},
                         {conv(6), cfg(3)},  {conv(7), cfg(4)}, {conv(8), cfg(6)}, {conv(9), cfg(1)},
                         {conv(11), cfg(1)}, {conv(12), cfg(1)}};
        // The Waiting text 8 (created 11:59) is timed by its workstream's minute of inactivity, not by Text - Later's
        // 0 minutes: at 12:00 exactly, not a second before.
        QTest::newRow("a minute before: the exact-cutoff conversations do not close yet")
            << QStringList {u"--at"_s, u"2026-03-01T11:59:59Z"_s}
            << Expected {
                   {conv(1), cfg(1)}, {conv(6), cfg(3)}, {conv(7), cfg(4)}, {conv(9), cfg(1)}, {conv(12), cfg(1)}};
        QTest::newRow("a workstream's inactivity, by name: the Waiting text stays open")
            << QStringList {u"--at"_s, At, u"--set"_s, u"Text care=30"_s}
            << Expected {{conv(1), cfg(1)}, {conv(6), cfg(3)},  {conv(7), cfg(4)},
                         {conv(9), cfg(1)}, {conv(11), cfg(1)}, {conv(12), cfg(1)}};
        QTest::newRow("a workstream's inactivity, by id with the setting named")
            << QStringList {u"--at"_s, u"2026-03-01T11:59:30Z"_s, u"--set"_s,
                            u"d0000000-0000-0000-0000-000000000001[inactivity]=0"_s}
            << Expected {{conv(1), cfg(1)}, {conv(6), cfg(3)}, {conv(7), cfg(4)},
                         {conv(8), cfg(6)}, {conv(9), cfg(1)}, {conv(12), cfg(1)}};
        QTest::newRow("the configuration's Waiting value does not govern a text on a workstream")
            << QStringList {u"--at"_s, u"2026-03-01T11:59:59Z"_s, u"--set"_s,
                            u"b0000000-0000-0000-0000-000000000006=never"_s}
            << Expected {
                   {conv(1), cfg(1)}, {conv(6), cfg(3)}, {conv(7), cfg(4)}, {conv(9), cfg(1)}, {conv(12), cfg(1)}};
        // Text care is an SMS workstream: its block does not apply (live chat's only), the Waiting text is unchanged.
        QTest::newRow("an SMS workstream's wrap-up block changes nothing")
            << QStringList {u"--at"_s, At, u"--set"_s, u"Text care[wrap-up-block]=600"_s}
            << Expected {{conv(1), cfg(1)}, {conv(6), cfg(3)},  {conv(7), cfg(4)}, {conv(8), cfg(6)},
                         {conv(9), cfg(1)}, {conv(11), cfg(1)}, {conv(12), cfg(1)}};
    }
    void cli()
    {
        QFETCH(QStringList, args);
        QFETCH(Expected, expected);
        const CliRun run = runPreview(m_process->url(), args + QStringList {u"--format"_s, u"json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(closures(root), expected);
        QCOMPARE(root.value(u"basis"_s).toString(), args.contains(u"modified"_s) ? u"modified"_s : u"created"_s);
        QVERIFY(QDateTime::fromString(root.value(u"at"_s).toString(), Qt::ISODate).isValid());
        qint64 counted = 0;
        for (const QJsonValue &c : root.value(u"counts"_s).toArray())
            counted += c.toObject().value(u"count"_s).toInteger();
        // One per configuration that closes it; the multi-channel conversation counts once here (SMS's hour has not
        // passed for it), so the counts add up to the list.
        if (!args.contains(u"+3650d"_s))
            QCOMPARE(counted, qint64(expected.size()));
        for (const QJsonValue &v : root.value(u"conversations"_s).toArray())
            QVERIFY(v.toObject().contains(u"eligibleSince"_s) && v.toObject().contains(u"channel"_s) &&
                    v.toObject().contains(u"state"_s));
    }

    void cliTableAndCsv()
    {
        const CliRun table = runPreview(m_process->url(), {u"--at"_s, At});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains("open chat, exactly 20 min"), table.out.constData());
        QVERIFY(table.out.contains("7 conversations"));
        const CliRun csv = runPreview(m_process->url(), {u"--at"_s, At, u"--format"_s, u"csv"_s});
        QCOMPARE(csv.exitCode, 0);
        const QList<QByteArray> lines = csv.out.trimmed().split('\n');
        QCOMPARE(lines.first(), QByteArray("activityid,configuration,channel,state,eligibleSince,title"));
        QCOMPARE(lines.size(), 8);
        QVERIFY(csv.out.contains("\"open chat, 30 min old\""));
    }

    void cliRefusesBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("ambiguous name") << QStringList {u"--set"_s, u"Text - Later=5"_s}
                                        << u"2 configurations have that name"_s;
        QTest::newRow("unknown name") << QStringList {u"--set"_s, u"Chat - Closed=5"_s}
                                      << u"no configuration has that id or name"_s;
        QTest::newRow("part of a name") << QStringList {u"--set"_s, u"Chat=5"_s} << u"Did you mean"_s;
        QTest::newRow("bad value") << QStringList {u"--set"_s, u"Chat - Open=soon"_s} << u"not a duration"_s;
        QTest::newRow("no value") << QStringList {u"--set"_s, u"Chat - Open"_s} << u"NAME_OR_ID=VALUE"_s;
        QTest::newRow("bad time") << QStringList {u"--at"_s, u"tomorrow"_s} << u"give a time"_s;
        QTest::newRow("bad basis") << QStringList {u"--basis"_s, u"touched"_s} << u"created or modified"_s;
        QTest::newRow("bad format") << QStringList {u"--format"_s, u"xml"_s} << u"table, json or csv"_s;
        QTest::newRow("a file for the table") << QStringList {u"-o"_s, u"list.txt"_s} << u"-o writes json or csv"_s;
    }
    void cliRefusesBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runPreview(m_process->url(), args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    // The window's path: counts per configuration for saved and edited values, and the list a page at a time.
    void coreCountsAndListsBothModes()
    {
        auto fixture = SandboxFixture::start(seeded(), Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        const auto configs = configurations(client);
        QVERIFY(configs.ok());
        const QHash<QString, std::optional<int>> edits {{cfg(1), 10}, {cfg(2), 60}, {cfg(4), std::nullopt}};
        const PreviewScenario scenario = PreviewScenario::make(
            configs.value(), edits, QDateTime::fromString(At, Qt::ISODate), ClosingRule::Basis::Created);

        std::optional<Result<QList<ClosurePreview::Impact>>> impacts;
        ClosurePreview::countImpact(&client, scenario, this, [&impacts](auto r) { impacts = std::move(r); });
        QTRY_VERIFY(impacts.has_value());
        QVERIFY(impacts->ok());
        QHash<QString, ClosurePreview::Impact> byId;
        for (const auto &impact : impacts->value())
            byId.insert(impact.configurationId, impact);
        QCOMPARE(byId.value(cfg(1)).closesUnderBoth, 4); // 1, 9, 11, 12
        QCOMPARE(byId.value(cfg(1)).newlyCloses, 1); // 2: 15 minutes old
        QCOMPARE(byId.value(cfg(2)).newlyCloses, 1); // 4: active for a month, never closed before
        QCOMPARE(byId.value(cfg(4)).noLongerCloses, 1); // 7: never, now
        QCOMPARE(byId.value(cfg(4)).closesUnderBoth, 0);
        QCOMPARE(byId.value(cfg(3)).closesUnderBoth, 1); // 6, timed from createdon
        QVERIFY(!byId.value(cfg(3)).edited);

        // The list, paged lazily through the model: ask for more until it stops.
        PreviewListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto lister = std::make_shared<ClosurePreview::Lister>(&client, scenario);
        model.restart(scenario, std::make_shared<ClosurePreview::ListerPages>(lister, 2));
        while (model.canFetchMore({}) || model.isFetching()) {
            model.fetchMore({}); // as a view does when scrolled to the end
            QTest::qWait(5);
        }
        QVERIFY(!model.isStopped());
        QVERIFY2(model.pageCount() > 3, qPrintable(QString::number(model.pageCount()))); // pages of two rows
        QHash<QString, PreviewRow::Category> categories;
        QList<PreviewRow> rows;
        for (int row = 0; row < model.rowCount(); ++row) {
            QVERIFY(model.rowAt(row)); // a few pages: all in memory
            rows << *model.rowAt(row);
            categories.insert(rows.last().conversation.id, rows.last().category);
        }
        using C = PreviewRow::Category;
        const QHash<QString, C> expected {
            {conv(1), C::ClosesUnderBoth}, {conv(2), C::NewlyCloses},      {conv(4), C::NewlyCloses},
            {conv(6), C::ClosesUnderBoth}, {conv(7), C::NoLongerCloses},   {conv(8), C::ClosesUnderBoth},
            {conv(9), C::ClosesUnderBoth}, {conv(11), C::ClosesUnderBoth}, {conv(12), C::ClosesUnderBoth}};
        QCOMPARE(categories, expected);
        const int row6 = int(
            std::find_if(rows.begin(), rows.end(), [](const PreviewRow &r) { return r.conversation.id == conv(6); }) -
            rows.begin());
        QVERIFY(model.index(row6, PreviewListModel::EligibleSince)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"creation time was used"_s));
    }

    void timelineCountsAhead()
    {
        auto fixture = SandboxFixture::start(seeded(), Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        const auto configs = configurations(client);
        QVERIFY(configs.ok());
        const QDateTime at = QDateTime::fromString(At, Qt::ISODate);
        const PreviewScenario scenario = PreviewScenario::make(configs.value(), {}, at, ClosingRule::Basis::Created);
        std::optional<Result<QList<ClosurePreview::TimelinePoint>>> points;
        ClosurePreview::countTimeline(&client, scenario, {at, at.addSecs(3600)}, this,
                                      [&points](auto r) { points = std::move(r); });
        QTRY_VERIFY(points.has_value());
        QVERIFY(points->ok());
        QCOMPARE(points->value().at(0).eligibleEdited(), 7);
        // An hour later: 2, 3 (chat open), 5 (wrap-up) and 9 under SMS too (counted under each configuration).
        QCOMPARE(points->value().at(1).eligibleEdited(), 11);
        // Nothing edited: the saved values close the same.
        QCOMPARE(points->value().at(0).eligibleSaved(), 7);
        QCOMPARE(points->value().at(1).eligibleSaved(), 11);
    }

    // Per configuration and time, the saved value beside the edited one, on the seeded conversations counted by hand;
    // each distinct query is sent once.
    void timelineSavedBesideEdited()
    {
        auto fixture = SandboxFixture::start(seeded(), Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        const auto configs = configurations(client);
        QVERIFY(configs.ok());
        const QDateTime at = QDateTime::fromString(At, Qt::ISODate);
        // Chat Open 20 → 10 min, Chat Active never → 1 h, Text Open 1 h → never.
        const QHash<QString, std::optional<int>> edits {{cfg(1), 10}, {cfg(2), 60}, {cfg(4), std::nullopt}};
        const PreviewScenario scenario = PreviewScenario::make(configs.value(), edits, at, ClosingRule::Basis::Created);
        QStringList counted; // the $apply requests sent
        connect(&fixture->network, &QNetworkAccessManager::finished, this, [&counted](QNetworkReply *reply) {
            if (reply->url().query(QUrl::FullyDecoded).contains(u"$apply"_s))
                counted << reply->url().toString();
        });
        const auto timeline = [&](const QList<QDateTime> &times) {
            counted.clear();
            std::optional<Result<QList<ClosurePreview::TimelinePoint>>> points;
            ClosurePreview::countTimeline(&client, scenario, times, this, [&points](auto r) { points = std::move(r); });
            (void)QTest::qWaitFor([&points] { return points.has_value(); }, 20000);
            return points.value_or(Error::badInput(u"no answer"_s));
        };

        const auto points = timeline({at, at.addSecs(3600)});
        QVERIFY(points.ok());
        QCOMPARE(points.value().size(), 2);
        // configuration → {saved, edited} at 12:00 and at 13:00, counted from tests/data/seeds/preview.json:
        const QHash<QString, QList<std::pair<qint64, qint64>>> expected {
            // Open chats created by 11:40 (1, 9, 11, 12) and by 11:50 (and 2); at 13:00 both reach 3 (11:59).
            {cfg(1), {{4, 5}, {6, 6}}},
            // Active chat 4, a month old: only with the edit.
            {cfg(2), {{0, 1}, {0, 1}}},
            // Wrap-up: 6 (timed from createdon, 10:00), then 5 too (wrap-up at 11:50). Not edited.
            {cfg(3), {{1, 1}, {2, 2}}},
            // Open texts created by 11:00 (7), by 12:00 (7, 9); never with the edit.
            {cfg(4), {{1, 0}, {2, 0}}},
            {cfg(5), {{0, 0}, {0, 0}}},
            // Waiting text 8 at 0 minutes.
            {cfg(6), {{1, 1}, {1, 1}}},
        };
        for (qsizetype t = 0; t < 2; ++t) {
            const ClosurePreview::TimelinePoint &point = points.value().at(t);
            QCOMPARE(point.at, t == 0 ? at : at.addSecs(3600));
            QCOMPARE(point.counts.size(), scenario.saved.size());
            for (qsizetype i = 0; i < point.counts.size(); ++i) {
                const ClosurePreview::TimelineCount &count = point.counts.at(i);
                QCOMPARE(count.configurationId, scenario.saved.at(i).id); // in the scenario's order
                QVERIFY2(expected.contains(count.configurationId), qPrintable(count.configurationId));
                const auto [saved, edited] = expected.value(count.configurationId).at(t);
                QVERIFY2(count.saved == saved && count.edited == edited,
                         qPrintable(u"%1 at %2: saved %3, edited %4"_s.arg(count.configurationId)
                                        .arg(t)
                                        .arg(count.saved)
                                        .arg(count.edited)));
                QVERIFY(!count.capped);
            }
        }
        QCOMPARE(points.value().at(0).eligibleSaved(), 7);
        QCOMPARE(points.value().at(0).eligibleEdited(), 8);
        QCOMPARE(points.value().at(1).eligibleSaved(), 11);
        QCOMPARE(points.value().at(1).eligibleEdited(), 10);
        // Per time: Chat Open twice (20 and 10 min), Chat Active once (never saved), Wrap-up once (not edited), Text
        // Open once (never edited), Text Wrap-up and Waiting once each: 7 queries, 14 for both times, none twice.
        QCOMPARE(counted.size(), 14);
        QCOMPARE(QSet<QString>(counted.begin(), counted.end()).size(), 14);

        // Ten minutes later, Chat Open's saved 20 minutes cut where its edited 10 minutes cut at 12:00 (11:50): the
        // count is shared, not asked for again.
        const auto later = timeline({at, at.addSecs(600)});
        QVERIFY(later.ok());
        QCOMPARE(counted.size(), 13);
        QCOMPARE(QSet<QString>(counted.begin(), counted.end()).size(), 13);
        const qsizetype chatOpen = std::find_if(scenario.saved.begin(), scenario.saved.end(),
                                                [](const ChannelStateConfig &c) { return c.id == cfg(1); }) -
            scenario.saved.begin();
        QCOMPARE(later.value().at(1).counts.at(chatOpen).configurationId, cfg(1));
        QCOMPARE(later.value().at(1).counts.at(chatOpen).saved, 5);
        QCOMPARE(later.value().at(0).counts.at(chatOpen).edited, 5);
    }

    // On the demo environment's generated conversations, for both timer bases: every count equals the closing rule
    // applied on this side (models/ClosingRule) to every conversation read back — not the server's filter.
    void timelineMatchesTheRuleOnEveryConversation()
    {
        auto fixture = SandboxFixture::start({}, Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        const auto configs = configurations(client);
        QVERIFY(configs.ok());
        QCOMPARE(configs.value().size(), 24);
        std::optional<Result<QList<Conversation>>> all;
        client.fetchConversations({}, this, [&all](auto r) { all = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(all.has_value(), 20000);
        QVERIFY(all->ok());
        QVERIFY(all->value().size() > 300);
        // Edits of each kind: shorter, longer, to never, from never.
        QHash<QString, std::optional<int>> edits;
        for (qsizetype i = 0; i < configs.value().size(); ++i) {
            const ChannelStateConfig &c = configs.value().at(i);
            if (i % 4 == 0)
                edits.insert(c.id, c.minutes ? std::optional<int>(*c.minutes / 3) : std::optional<int>(90));
            else if (i % 4 == 1)
                edits.insert(c.id, c.minutes ? std::optional<int>(*c.minutes * 2) : std::optional<int>());
            else if (i == 2)
                edits.insert(c.id, std::nullopt);
        }
        QDateTime now = QDateTime::currentDateTimeUtc();
        now.setTime(QTime(now.time().hour(), now.time().minute(), now.time().second())); // whole seconds
        const QList<QDateTime> times {now.addDays(-2), now,           now.addSecs(3600), now.addSecs(8 * 3600),
                                      now.addDays(1),  now.addDays(7)};
        for (const ClosingRule::Basis basis : {ClosingRule::Basis::Created, ClosingRule::Basis::Modified}) {
            const PreviewScenario scenario = PreviewScenario::make(configs.value(), edits, now, basis);
            std::optional<Result<QList<ClosurePreview::TimelinePoint>>> points;
            ClosurePreview::countTimeline(&client, scenario, times, this, [&points](auto r) { points = std::move(r); });
            QTRY_VERIFY_WITH_TIMEOUT(points.has_value(), 20000);
            QVERIFY(points->ok());
            QCOMPARE(points->value().size(), times.size());
            qint64 differ = 0; // counts where the edits change something: the test must see some
            qint64 nonZero = 0;
            for (qsizetype t = 0; t < times.size(); ++t) {
                for (qsizetype i = 0; i < scenario.saved.size(); ++i) {
                    const ChannelStateConfig &saved = scenario.saved.at(i);
                    const ChannelStateConfig &edited = scenario.edited.at(i);
                    const auto eligible = [&](std::optional<int> minutes) {
                        return std::count_if(all->value().begin(), all->value().end(), [&](const Conversation &c) {
                            const auto from = ClosingRule::eligibleFrom(c, minutes, basis);
                            return ClosingRule::matches(c, saved) && from && *from <= times.at(t);
                        });
                    };
                    const ClosurePreview::TimelineCount &count = points->value().at(t).counts.at(i);
                    QCOMPARE(count.configurationId, saved.id);
                    QCOMPARE(count.saved, qint64(eligible(saved.minutes)));
                    QCOMPARE(count.edited, qint64(eligible(edited.minutes)));
                    differ += count.saved != count.edited;
                    nonZero += count.saved > 0;
                }
            }
            QVERIFY2(differ >= 5 && nonZero > 20, qPrintable(u"%1 differ, %2 non-zero"_s.arg(differ).arg(nonZero)));
        }
    }

    // The table and the JSON count a configuration whose Waiting conversations follow their workstream per
    // workstream: Text - Later (Waiting) closes the Waiting text 8 through Text care's minute of inactivity.
    void cliCountsPerWorkstream()
    {
        const CliRun table = runPreview(m_process->url(), {u"--at"_s, At});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        const QString out = QString::fromUtf8(table.out);
        const QString waiting = u"SMS · Waiting"_s;
        const qsizetype line = out.indexOf(waiting);
        QVERIFY2(line >= 0, table.out.constData());
        const QStringList lines = out.mid(line).split(u'\n');
        QVERIFY2(lines.at(0).simplified() == u"SMS · Waiting 0 min 1"_s, qPrintable(lines.at(0)));
        QVERIFY2(lines.at(1).simplified() == u"workstream Text care 1 min 1"_s, qPrintable(lines.at(1)));
        QVERIFY2(lines.at(2).simplified() == u"other workstreams or none 0 min 0"_s, qPrintable(lines.at(2)));

        const CliRun json = runPreview(m_process->url(), {u"--at"_s, At, u"--format"_s, u"json"_s});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(json.out).object();
        QJsonObject textWaiting;
        for (const QJsonValue &v : root.value(u"counts"_s).toArray()) {
            if (v[u"configuration"_s].toString() == cfg(6))
                textWaiting = v.toObject();
            else
                QVERIFY2(!v.toObject().contains(u"byWorkstream"_s), qPrintable(v[u"configuration"_s].toString()));
        }
        QCOMPARE(textWaiting.value(u"minutes"_s).toInt(-1), 0);
        QCOMPARE(textWaiting.value(u"count"_s).toInteger(), 1);
        const QJsonArray parts = textWaiting.value(u"byWorkstream"_s).toArray();
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0)[u"workstreams"_s].toArray().size(), 1);
        QCOMPARE(parts.at(0)[u"workstreams"_s][0][u"name"_s].toString(), u"Text care"_s);
        QCOMPARE(parts.at(0)[u"workstreams"_s][0][u"id"_s].toString(), u"d0000000-0000-0000-0000-000000000001"_s);
        QCOMPARE(parts.at(0)[u"minutes"_s].toInt(), 1);
        QCOMPARE(parts.at(0)[u"count"_s].toInteger(), 1);
        QCOMPARE(parts.at(0)[u"others"_s].toBool(), false);
        QCOMPARE(parts.at(1)[u"others"_s].toBool(), true);
        QCOMPARE(parts.at(1)[u"count"_s].toInteger(), 0);
        // The row says which workstream timed it; the others say none.
        for (const QJsonValue &v : root.value(u"conversations"_s).toArray()) {
            if (v[u"activityid"_s].toString() == conv(8))
                QCOMPARE(v[u"workstream"_s].toString(), u"d0000000-0000-0000-0000-000000000001"_s);
            else
                QVERIFY(!v.toObject().contains(u"workstream"_s));
        }
    }

    void cliRefusesBadWorkstreamValues_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("inactivity of never") << QStringList {u"--set"_s, u"Text care=never"_s} << u"cannot be never"_s;
        QTest::newRow("a block past 30 days")
            << QStringList {u"--set"_s, u"Text care[wrap-up-block]=31d"_s} << u"Text care[wrap-up-block]=31d"_s;
        QTest::newRow("a workstream's setting for a configuration")
            << QStringList {u"--set"_s, u"Chat - Open[inactivity]=5"_s} << u"is for workstreams"_s;
        QTest::newRow("a configuration's setting for a workstream")
            << QStringList {u"--set"_s, u"Text care[channel-state]=5"_s} << u"is a workstream"_s;
        QTest::newRow("an unknown workstream")
            << QStringList {u"--set"_s, u"Night shift[inactivity]=5"_s} << u"no workstream has that id or name"_s;
    }
    void cliRefusesBadWorkstreamValues()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runPreview(m_process->url(), args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

private:
    static LocalSandbox::Options seeded()
    {
        LocalSandbox::Options options;
        options.seed.file = QFINDTESTDATA("data/seeds/preview.json");
        options.seed.required = true;
        return options;
    }

    std::unique_ptr<SandboxProcess> m_process;
};

QTEST_GUILESS_MAIN(TestPreview)
#include "tst_preview.moc"
