// The closure preview with workstreams (docs/closing-rule.md): Waiting texts timed by their workstream's inactivity,
// Wrap-up chats by the longer of the value and their workstream's block, the rest by the configuration. On a sandbox
// seeded with such conversations (PreviewSeed), the counts per configuration and per part, the timeline, and the list
// (one query at a time, and in parallel ranges) equal a computation done here over the seed file itself — its rules
// written out for this seed, not through models/ClosingRule — for the saved values, for edits of workstreams, for
// edits of configurations, and for both under the other timer basis.
#include "PreviewSeed.h"
#include "SandboxFixture.h"
#include "app/preview/ClosurePreview.h"
#include "app/preview/ParallelReader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
const QDateTime At = QDateTime::fromString(u"2026-03-01T12:00:00Z"_s, Qt::ISODate);
const QString ChatOpen = u"b0000000-0000-0000-0000-000000000001"_s;
const QString ChatWrapUp = u"b0000000-0000-0000-0000-000000000003"_s;
const QString TextWaiting = u"b0000000-0000-0000-0000-000000000006"_s;
const QString TextCare = QString::fromLatin1(PreviewSeedIds::TextCare);
const QString TextNight = QString::fromLatin1(PreviewSeedIds::TextNight);
const QString ChatBlocked = QString::fromLatin1(PreviewSeedIds::ChatBlocked);
const QString ChatFree = QString::fromLatin1(PreviewSeedIds::ChatFree);

// One conversation of the seed, as the file has it.
struct Seeded
{
    QString id;
    int status = 0;
    QStringList channels;
    QDateTime created;
    QDateTime wrapUp;
    QDateTime modified; // msdyn_modifiedon, else modifiedon
    QString workstream;
};

// One configuration of tests/data/seeds/preview.json: its state's statuscode and its channel.
struct Config
{
    QString id;
    int status;
    QString channel;
};
const QList<Config> Configs = {
    {ChatOpen, 1, u"192360000"_s},
    {u"b0000000-0000-0000-0000-000000000002"_s, 2, u"192360000"_s},
    {ChatWrapUp, 5, u"192360000"_s},
    {u"b0000000-0000-0000-0000-000000000004"_s, 1, u"192340000"_s},
    {u"b0000000-0000-0000-0000-000000000005"_s, 5, u"192340000"_s},
    {TextWaiting, 3, u"192340000"_s},
};

// The values of one side of a scenario: every configuration's, and the workstreams' that time this seed.
struct Values
{
    QHash<QString, std::optional<int>> config {
        {Configs.at(0).id, 20}, {Configs.at(1).id, std::nullopt}, {Configs.at(2).id, 15},
        {Configs.at(3).id, 60}, {Configs.at(4).id, 1440},         {Configs.at(5).id, 0},
    };
    int textCare = 1;
    int textNight = 360;
    std::optional<int> chatBlockedBlock = 45;
    std::optional<int> chatFreeBlock;
};

// The rule for this seed, as docs/closing-rule.md states it: Waiting texts follow their workstream's inactivity
// (Text care, Text night; another or none: the configuration's); Wrap-up chats wait for their workstream's block
// when it is longer (a configuration of never stays never); everything else is the configuration's value.
std::optional<int> minutesFor(const Config &config, const QString &workstream, const Values &values)
{
    const std::optional<int> own = values.config.value(config.id);
    if (config.id == TextWaiting) {
        if (workstream == TextCare)
            return values.textCare;
        if (workstream == TextNight)
            return values.textNight;
        return own;
    }
    if (config.id == ChatWrapUp) {
        const std::optional<int> block = workstream == ChatBlocked ? values.chatBlockedBlock
            : workstream == ChatFree                               ? values.chatFreeBlock
                                                                   : std::nullopt;
        if (own && block && *block > *own)
            return block;
        return own;
    }
    return own;
}

// When the conversation becomes eligible under config with values; empty when it does not apply or never closes.
std::optional<QDateTime> eligible(const Seeded &c, const Config &config, const Values &values, bool modifiedBasis)
{
    if (c.status != config.status || !c.channels.contains(config.channel))
        return std::nullopt;
    const std::optional<int> minutes = minutesFor(config, c.workstream, values);
    if (!minutes)
        return std::nullopt;
    const QDateTime start = modifiedBasis ? c.modified : (c.status == 5 && c.wrapUp.isValid() ? c.wrapUp : c.created);
    if (!start.isValid())
        return std::nullopt;
    return start.addSecs(qint64(*minutes) * 60);
}

QList<Seeded> readSeed(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Seeded> out;
    const QJsonArray rows =
        QJsonDocument::fromJson(file.readAll()).object().value(u"msdyn_ocliveworkitems"_s).toArray();
    for (const QJsonValue &value : rows) {
        const QJsonObject row = value.toObject();
        const auto time = [&row](const QString &column) {
            return QDateTime::fromString(row.value(column).toString(), Qt::ISODate);
        };
        Seeded c;
        c.id = row.value(u"activityid"_s).toString();
        c.status = row.value(u"statuscode"_s).toInt();
        c.channels = row.value(u"msdyn_channel"_s).toString().split(u',');
        c.created = time(u"createdon"_s);
        c.wrapUp = time(u"msdyn_wrapupinitiatedon"_s);
        c.modified = row.contains(u"msdyn_modifiedon"_s) ? time(u"msdyn_modifiedon"_s) : time(u"modifiedon"_s);
        c.workstream = row.value(u"_msdyn_liveworkstreamid_value"_s).toString();
        out << c;
    }
    return out;
}

struct Counts
{
    qint64 both = 0;
    qint64 newly = 0;
    qint64 noLonger = 0;
    friend bool operator==(const Counts &, const Counts &) = default;
};

QString describe(const Counts &c)
{
    return u"%1 both, %2 newly, %3 no longer"_s.arg(c.both).arg(c.newly).arg(c.noLonger);
}

// What changes at time at for the conversations of config that keep picks.
Counts countsOf(const QList<Seeded> &seed, const Config &config, const Values &saved, const Values &edited,
                const QDateTime &at, bool modifiedBasis, const std::function<bool(const Seeded &)> &keep = {})
{
    Counts counts;
    for (const Seeded &c : seed) {
        if (keep && !keep(c))
            continue;
        const auto s = eligible(c, config, saved, modifiedBasis);
        const auto e = eligible(c, config, edited, modifiedBasis);
        const bool bySaved = s && *s <= at;
        const bool byEdited = e && *e <= at;
        counts.both += bySaved && byEdited;
        counts.newly += !bySaved && byEdited;
        counts.noLonger += bySaved && !byEdited;
    }
    return counts;
}

// The list: each conversation that closes under either side, with its category and the earliest time it is eligible
// (with the edits when they close it, else with the saved values).
struct Listed
{
    PreviewRow::Category category;
    QDateTime since;
    friend bool operator==(const Listed &, const Listed &) = default;
};
QMap<QString, Listed> listOf(const QList<Seeded> &seed, const Values &saved, const Values &edited, const QDateTime &at,
                             bool modifiedBasis)
{
    QMap<QString, Listed> out;
    for (const Seeded &c : seed) {
        std::optional<QDateTime> s;
        std::optional<QDateTime> e;
        for (const Config &config : Configs) {
            if (const auto t = eligible(c, config, saved, modifiedBasis); t && (!s || *t < *s))
                s = t;
            if (const auto t = eligible(c, config, edited, modifiedBasis); t && (!e || *t < *e))
                e = t;
        }
        const bool bySaved = s && *s <= at;
        const bool byEdited = e && *e <= at;
        if (!bySaved && !byEdited)
            continue;
        using C = PreviewRow::Category;
        out.insert(c.id,
                   {bySaved && byEdited ? C::ClosesUnderBoth : (byEdited ? C::NewlyCloses : C::NoLongerCloses),
                    byEdited ? *e : *s});
    }
    return out;
}

template<typename T>
std::optional<T> await(const std::function<void(std::function<void(T)>)> &start)
{
    std::optional<T> result;
    start([&result](T r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 60000))
        return std::nullopt;
    return result;
}
} // namespace

Q_DECLARE_METATYPE(Values)

class TestPreviewWorkstreams : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<Seeded> m_seed;
    std::unique_ptr<SandboxFixture> m_fixture;
    QList<ChannelStateConfig> m_configs;
    QList<Workstream> m_workstreams;

    PreviewScenario scenario(const Values &edited, bool modifiedBasis) const
    {
        const Values saved;
        QHash<ValueRef, std::optional<int>> edits;
        for (auto it = edited.config.cbegin(); it != edited.config.cend(); ++it) {
            if (saved.config.value(it.key()) != it.value())
                edits.insert(ValueRef {it.key(), TimerSetting::ChannelState}, it.value());
        }
        if (edited.textCare != saved.textCare)
            edits.insert(ValueRef {TextCare, TimerSetting::Inactivity}, edited.textCare);
        if (edited.textNight != saved.textNight)
            edits.insert(ValueRef {TextNight, TimerSetting::Inactivity}, edited.textNight);
        if (edited.chatBlockedBlock != saved.chatBlockedBlock)
            edits.insert(ValueRef {ChatBlocked, TimerSetting::WrapUpBlock}, edited.chatBlockedBlock);
        if (edited.chatFreeBlock != saved.chatFreeBlock)
            edits.insert(ValueRef {ChatFree, TimerSetting::WrapUpBlock}, edited.chatFreeBlock);
        return PreviewScenario::make(m_configs, m_workstreams, edits, At,
                                     modifiedBasis ? ClosingRule::Basis::Modified : ClosingRule::Basis::Created);
    }

    const Config &configOf(const QString &id) const
    {
        return *std::find_if(Configs.begin(), Configs.end(), [&id](const Config &c) { return c.id == id; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        PreviewSeed seed;
        seed.chatOpen = 200;
        seed.textOpen = 100;
        seed.onBoth = 40;
        seed.wrapUp = 80;
        seed.waitingText = 400;
        seed.wrapUpOnWorkstreams = 300;
        const QString path = m_dir.filePath(u"workstreams.json"_s);
        QVERIFY(writePreviewSeed(path, seed));
        m_seed = readSeed(path);
        QVERIFY(m_seed.size() > 1100);
        LocalSandbox::Options options;
        options.seed.file = path;
        options.seed.required = true;
        m_fixture = SandboxFixture::start(options, {}, SandboxFixture::Retries::Fast);
        QVERIFY(m_fixture);
        DataverseClient *client = m_fixture->client.get();
        const auto configs = await<Result<QList<ChannelStateConfig>>>(
            [this, client](auto done) { client->fetchConfigurations(this, std::move(done)); });
        QVERIFY(configs && configs->ok());
        m_configs = configs->value();
        QCOMPARE(m_configs.size(), Configs.size());
        const auto workstreams = await<Result<QList<Workstream>>>(
            [this, client](auto done) { client->fetchWorkstreams(this, std::move(done)); });
        QVERIFY(workstreams && workstreams->ok());
        m_workstreams = workstreams->value();
        QCOMPARE(m_workstreams.size(), 5); // Text care, Voice desk, Text night, Chat blocked, Chat free
    }

    void cleanupTestCase() { m_fixture.reset(); }

    void countsAndListMatch_data()
    {
        QTest::addColumn<Values>("edited");
        QTest::addColumn<bool>("modifiedBasis");

        QTest::newRow("saved values") << Values {} << false;
        QTest::newRow("saved values, modified basis") << Values {} << true;
        Values workstreams;
        workstreams.textCare = 600; // longer: fewer close
        workstreams.textNight = 30; // shorter: more close
        workstreams.chatBlockedBlock = 10; // shorter than the 15 min value: the value wins
        workstreams.chatFreeBlock = 120; // a block where there was none
        QTest::newRow("workstream edits") << workstreams << false;
        Values configurations;
        configurations.config[TextWaiting] = 120; // only the Waiting texts on no (known) workstream
        configurations.config[ChatWrapUp] = 60; // past Chat blocked's 45 min block: the value wins there too
        configurations.config[ChatOpen] = 10;
        QTest::newRow("configuration edits") << configurations << false;
        Values both = workstreams;
        both.config = configurations.config;
        both.config[ChatWrapUp] = std::nullopt; // never: no block makes it close
        QTest::newRow("both, modified basis") << both << true;
    }

    void countsAndListMatch()
    {
        QFETCH(Values, edited);
        QFETCH(bool, modifiedBasis);
        const Values saved;
        const PreviewScenario scenario = this->scenario(edited, modifiedBasis);
        DataverseClient *client = m_fixture->client.get();

        // Counts per configuration, and per part where the workstreams time some of its conversations.
        const auto impacts = await<Result<QList<ClosurePreview::Impact>>>(
            [&](auto done) { ClosurePreview::countImpact(client, scenario, this, std::move(done)); });
        QVERIFY(impacts && impacts->ok());
        qint64 timedByWorkstream = 0; // conversations whose count a workstream's value decides: the test must see some
        qint64 changed = 0;
        for (const ClosurePreview::Impact &impact : impacts->value()) {
            const Config &config = configOf(impact.configurationId);
            const Counts expected = countsOf(m_seed, config, saved, edited, At, modifiedBasis);
            const Counts counted {impact.closesUnderBoth, impact.newlyCloses, impact.noLongerCloses};
            QVERIFY2(counted == expected,
                     qPrintable(config.id + u": "_s + describe(counted) + u", expected "_s + describe(expected)));
            QVERIFY(!impact.capped);
            changed += expected.newly + expected.noLonger;
            QCOMPARE(!impact.parts.isEmpty(), config.id == TextWaiting || config.id == ChatWrapUp);
            for (const ClosurePreview::Impact::PartCount &part : impact.parts) {
                QStringList named; // the workstreams of the other parts: the rest is everything else
                for (const ClosurePreview::Impact::PartCount &other : impact.parts)
                    named += other.part.workstreamIds;
                const auto inPart = [&part, &named](const Seeded &c) {
                    return part.part.others ? !named.contains(c.workstream)
                                            : part.part.workstreamIds.contains(c.workstream);
                };
                const Counts partExpected = countsOf(m_seed, config, saved, edited, At, modifiedBasis, inPart);
                const Counts partCounted {part.closesUnderBoth, part.newlyCloses, part.noLongerCloses};
                QVERIFY2(partCounted == partExpected,
                         qPrintable(config.id + u" part "_s + part.part.workstreamIds.join(u',') + u": "_s +
                                    describe(partCounted) + u", expected "_s + describe(partExpected)));
                if (!part.part.others)
                    timedByWorkstream += partExpected.both + partExpected.newly + partExpected.noLonger;
            }
        }
        QVERIFY2(timedByWorkstream > 100, qPrintable(QString::number(timedByWorkstream)));
        if (scenario.hasEdits())
            QVERIFY2(changed > 20, qPrintable(QString::number(changed)));

        // The timeline: saved and edited per configuration at three times.
        const QList<QDateTime> times {At.addSecs(-3 * 3600), At, At.addDays(1)};
        const auto points = await<Result<QList<ClosurePreview::TimelinePoint>>>(
            [&](auto done) { ClosurePreview::countTimeline(client, scenario, times, this, std::move(done)); });
        QVERIFY(points && points->ok());
        for (qsizetype t = 0; t < times.size(); ++t) {
            for (const ClosurePreview::TimelineCount &count : points->value().at(t).counts) {
                const Config &config = configOf(count.configurationId);
                const Counts expected = countsOf(m_seed, config, saved, edited, times.at(t), modifiedBasis);
                QCOMPARE(count.saved, expected.both + expected.noLonger);
                QCOMPARE(count.edited, expected.both + expected.newly);
            }
        }

        // The list, a page at a time, each conversation once with its category and time.
        const QMap<QString, Listed> expected = listOf(m_seed, saved, edited, At, modifiedBasis);
        ClosurePreview::Lister lister(client, scenario);
        QMap<QString, Listed> listed;
        QStringList order;
        while (!lister.atEnd()) {
            const auto page = await<Result<QList<PreviewRow>>>([&](auto done) {
                lister.fetchNext(97, this, [done](Result<QList<PreviewRow>> rows, bool) { done(std::move(rows)); });
            });
            QVERIFY(page && page->ok());
            for (const PreviewRow &row : page->value()) {
                QVERIFY2(!listed.contains(row.conversation.id), qPrintable(row.conversation.id)); // listed once
                listed.insert(row.conversation.id, {row.category, row.eligibleSince});
                order << row.conversation.id;
            }
        }
        QCOMPARE(listed.size(), expected.size());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QVERIFY2(listed.contains(it.key()), qPrintable(u"not listed: "_s + it.key()));
            QVERIFY2(listed.value(it.key()) == it.value(),
                     qPrintable(u"%1: category %2 since %3, expected %4 since %5"_s.arg(it.key())
                                    .arg(int(listed.value(it.key()).category))
                                    .arg(listed.value(it.key()).since.toString(Qt::ISODate))
                                    .arg(int(it.value().category))
                                    .arg(it.value().since.toString(Qt::ISODate))));
        }

        // The same list read in parallel time ranges (the export's path), in the same order.
        ParallelReader::Options small;
        small.pageSize = 20;
        small.readAhead = 1;
        ParallelLister parallel(client, scenario, small);
        parallel.setCounts(impacts->value());
        QStringList parallelOrder;
        std::optional<Result<Done>> finished;
        parallel.start(
            [&parallelOrder](QList<PreviewRow> rows) {
                for (const PreviewRow &row : rows)
                    parallelOrder << row.conversation.id;
            },
            [&finished](Result<Done> result) { finished = std::move(result); });
        QVERIFY(QTest::qWaitFor([&finished] { return finished.has_value(); }, 60000));
        QVERIFY(finished->ok());
        QVERIFY2(parallel.stats().ranges > Configs.size(), qPrintable(QString::number(parallel.stats().ranges)));
        QCOMPARE(parallelOrder, order);
    }

    // Without workstreams, the same seed is judged by the configurations alone: the rule the preview had before.
    void withoutWorkstreamsTheConfigurationsAlone()
    {
        PreviewScenario scenario = this->scenario(Values {}, false);
        scenario.savedWorkstreams.clear();
        scenario.editedWorkstreams.clear();
        const auto impacts = await<Result<QList<ClosurePreview::Impact>>>(
            [&](auto done) { ClosurePreview::countImpact(m_fixture->client.get(), scenario, this, std::move(done)); });
        QVERIFY(impacts && impacts->ok());
        for (const ClosurePreview::Impact &impact : impacts->value()) {
            const Config &config = configOf(impact.configurationId);
            qint64 expected = 0;
            for (const Seeded &c : m_seed) {
                const std::optional<int> minutes = Values {}.config.value(config.id);
                const QDateTime start = c.status == 5 && c.wrapUp.isValid() ? c.wrapUp : c.created;
                expected += c.status == config.status && c.channels.contains(config.channel) && minutes &&
                    start.addSecs(qint64(*minutes) * 60) <= At;
            }
            QCOMPARE(impact.closesUnderBoth, expected);
            QVERIFY(impact.parts.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestPreviewWorkstreams)
#include "tst_previewworkstreams.moc"
