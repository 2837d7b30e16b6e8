// Golden scenarios for the closure preview: a sandbox seeded with known conversations (tests/data/seeds/preview.json)
// and a fixed moment, with the expected closures for both timer bases, with and without edits — through the real
// autoclose-cli over HTTP, and through the preview core the window uses (counts and the paged list).
#include "CliProcess.h"
#include "SandboxFixture.h"
#include "SandboxProcess.h"
#include "app/preview/ClosurePreview.h"
#include "models/PreviewListModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

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
        QTest::newRow("a minute before: the exact-cutoff conversation does not close yet")
            << QStringList {u"--at"_s, u"2026-03-01T11:59:59Z"_s}
            << Expected {{conv(1), cfg(1)}, {conv(6), cfg(3)}, {conv(7), cfg(4)},
                         {conv(8), cfg(6)}, {conv(9), cfg(1)}, {conv(12), cfg(1)}};
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
        ClosurePreview::Lister lister(&client, scenario);
        connect(&model, &PreviewListModel::moreWanted, this, [&] {
            lister.fetchNext(2, this, [&model](Result<QList<PreviewRow>> rows, bool more) {
                if (rows)
                    model.appendRows(rows.value(), more);
                else
                    model.stop();
            });
        });
        QSignalSpy asked(&model, &PreviewListModel::moreWanted);
        model.restart(scenario);
        while (model.canFetchMore({}) || model.isFetching()) {
            model.fetchMore({}); // as a view does when scrolled to the end
            QTest::qWait(5);
        }
        QVERIFY2(asked.count() > 3, qPrintable(QString::number(asked.count()))); // pages of two rows, one at a time
        QHash<QString, PreviewRow::Category> categories;
        for (const PreviewRow &row : model.rows())
            categories.insert(row.conversation.id, row.category);
        using C = PreviewRow::Category;
        const QHash<QString, C> expected {
            {conv(1), C::ClosesUnderBoth}, {conv(2), C::NewlyCloses},      {conv(4), C::NewlyCloses},
            {conv(6), C::ClosesUnderBoth}, {conv(7), C::NoLongerCloses},   {conv(8), C::ClosesUnderBoth},
            {conv(9), C::ClosesUnderBoth}, {conv(11), C::ClosesUnderBoth}, {conv(12), C::ClosesUnderBoth}};
        QCOMPARE(categories, expected);
        const int row6 = int(std::find_if(model.rows().begin(), model.rows().end(),
                                          [](const PreviewRow &r) { return r.conversation.id == conv(6); }) -
                             model.rows().begin());
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
        QCOMPARE(points->value().at(0).eligible, 7);
        // An hour later: 2, 3 (chat open), 5 (wrap-up) and 9 under SMS too (counted under each configuration).
        QCOMPARE(points->value().at(1).eligible, 11);
    }

    // Waiting conversations whose workstream's inactivity setting governs them are counted apart; a voice
    // workstream's setting governs nothing here.
    void waitingByWorkstream()
    {
        auto fixture = SandboxFixture::start(seeded(), Token, SandboxFixture::Retries::Fast);
        QVERIFY(fixture);
        DataverseClient &client = *fixture->client;
        std::optional<Result<QList<Workstream>>> workstreams;
        client.fetchWorkstreams(this, [&workstreams](auto r) { workstreams = std::move(r); });
        QTRY_VERIFY(workstreams.has_value());
        QVERIFY(workstreams->ok());
        QCOMPARE(workstreams->value().size(), 2);
        const auto configs = configurations(client);
        QVERIFY(configs.ok());
        for (const auto &[at, expected] : {std::pair {At, 1}, std::pair {u"2026-03-01T11:59:59Z"_s, 0}}) {
            const PreviewScenario scenario = PreviewScenario::make(
                configs.value(), {}, QDateTime::fromString(at, Qt::ISODate), ClosingRule::Basis::Created);
            std::optional<Result<QList<ClosurePreview::WaitingImpact>>> waiting;
            ClosurePreview::countWaiting(&client, workstreams->value(), scenario, this,
                                         [&waiting](auto r) { waiting = std::move(r); });
            QTRY_VERIFY(waiting.has_value());
            QVERIFY(waiting->ok());
            QCOMPARE(waiting->value().size(), 1); // SMS's, not voice's
            QCOMPARE(waiting->value().first().workstream.name, u"Text care"_s);
            QCOMPARE(waiting->value().first().closes, qint64(expected)); // conversation 8, 1 minute after 11:59
        }
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
