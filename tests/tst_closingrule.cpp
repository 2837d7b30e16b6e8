// The closing rule of docs/closing-rule.md, case by case: timer bases, state and channel matching, never and zero, the
// earliest deadline among several configurations, the boundaries, and the workstream's two timers (Waiting by its
// inactivity on asynchronous channels, Wrap-up chats by the longer of the value and its block), saved and edited.
#include "models/ClosingRule.h"
#include "models/Preview.h"

#include <QTest>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
const QDateTime T0(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);

ChannelStateConfig config(const QString &id, int source, ConversationState state, std::optional<int> minutes)
{
    ChannelStateConfig c;
    c.id = id;
    c.streamSource = source;
    c.state = int(state);
    c.minutes = minutes;
    return c;
}

Conversation conversation(int statusCode, QList<int> channels, int createdMinutesAgo,
                          std::optional<int> wrapUpMinutesAgo = std::nullopt,
                          std::optional<int> modifiedMinutesAgo = std::nullopt)
{
    Conversation c;
    c.id = u"c"_s;
    c.statusCode = statusCode;
    c.channels = std::move(channels);
    c.createdOn = T0.addSecs(-60 * qint64(createdMinutesAgo));
    if (wrapUpMinutesAgo)
        c.wrapUpInitiatedOn = T0.addSecs(-60 * qint64(*wrapUpMinutesAgo));
    if (modifiedMinutesAgo)
        c.modifiedOn = T0.addSecs(-60 * qint64(*modifiedMinutesAgo));
    return c;
}

Conversation onWorkstream(Conversation c, const QString &workstreamId)
{
    c.workstreamId = workstreamId;
    return c;
}

Workstream workstream(const QString &id, int source, std::optional<int> inactivity, std::optional<int> block)
{
    Workstream w;
    w.id = id;
    w.name = id;
    w.streamSource = source;
    w.inactivityMinutes = inactivity;
    w.wrapUpBlockMinutes = block;
    return w;
}

const QString SmsFast = u"d0000000-0000-0000-0000-000000000001"_s; // SMS, 60 min of inactivity
const QString SmsSlow = u"d0000000-0000-0000-0000-000000000002"_s; // SMS, 2 days
const QString SmsNone = u"d0000000-0000-0000-0000-000000000003"_s; // SMS, no inactivity value (odd data)
const QString ChatLong = u"d0000000-0000-0000-0000-000000000004"_s; // live chat: 30 min of inactivity, 45 min block
const QString ChatShort = u"d0000000-0000-0000-0000-000000000005"_s; // live chat: 10 min block
const QString ChatZero = u"d0000000-0000-0000-0000-000000000006"_s; // live chat: a block of 0
const QString VoiceDesk = u"d0000000-0000-0000-0000-000000000007"_s; // voice, 5 min of inactivity
const QString NotRead = u"d0000000-0000-0000-0000-0000000000ff"_s; // on no list

const QList<Workstream> Workstreams = {
    workstream(SmsFast, StreamSource::Sms, 60, std::nullopt),
    workstream(SmsSlow, StreamSource::Sms, 2880, 3000),
    workstream(SmsNone, StreamSource::Sms, std::nullopt, std::nullopt),
    workstream(ChatLong, StreamSource::LiveChat, 30, 45),
    workstream(ChatShort, StreamSource::LiveChat, 30, 10),
    workstream(ChatZero, StreamSource::LiveChat, 30, 0),
    workstream(VoiceDesk, StreamSource::Voice, 5, 120),
};

const QList<ChannelStateConfig> Configs = {
    config(u"chat-open"_s, StreamSource::LiveChat, ConversationState::Open, 20),
    config(u"chat-active"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt),
    config(u"chat-waiting"_s, StreamSource::LiveChat, ConversationState::Waiting, 0),
    config(u"chat-wrapup"_s, StreamSource::LiveChat, ConversationState::WrapUp, 15),
    config(u"sms-open"_s, StreamSource::Sms, ConversationState::Open, 60),
    config(u"sms-wrapup"_s, StreamSource::Sms, ConversationState::WrapUp, 1440),
};

// Waiting on SMS and voice, Wrap-up on chat with a configuration of never: what the workstreams change there.
const QList<ChannelStateConfig> MoreConfigs = {
    config(u"sms-waiting"_s, StreamSource::Sms, ConversationState::Waiting, 0),
    config(u"voice-waiting"_s, StreamSource::Voice, ConversationState::Waiting, 600),
    config(u"chat-wrapup-never"_s, StreamSource::LiveChat, ConversationState::WrapUp, std::nullopt),
};
} // namespace

Q_DECLARE_METATYPE(Conversation)

class TestClosingRule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void evaluate_data()
    {
        QTest::addColumn<Conversation>("conversation");
        QTest::addColumn<QString>("basis");
        QTest::addColumn<QString>("configuration"); // empty: never closes
        QTest::addColumn<int>("eligibleMinutesFromNow"); // eligibleSince − T0, in minutes
        QTest::addColumn<bool>("eligibleNow");

        QTest::newRow("open chat past its 20 min")
            << conversation(1, {StreamSource::LiveChat}, 30) << u"created"_s << u"chat-open"_s << -10 << true;
        QTest::newRow("open chat exactly at the cutoff")
            << conversation(1, {StreamSource::LiveChat}, 20) << u"created"_s << u"chat-open"_s << 0 << true;
        QTest::newRow("open chat a minute early")
            << conversation(1, {StreamSource::LiveChat}, 19) << u"created"_s << u"chat-open"_s << 1 << false;
        QTest::newRow("active chat: never")
            << conversation(2, {StreamSource::LiveChat}, 100000) << u"created"_s << QString() << 0 << false;
        QTest::newRow("waiting chat with 0: eligible from the start")
            << conversation(3, {StreamSource::LiveChat}, 0) << u"created"_s << u"chat-waiting"_s << 0 << true;
        QTest::newRow("wrap-up counts from wrap-up start")
            << conversation(5, {StreamSource::LiveChat}, 600, 10) << u"created"_s << u"chat-wrapup"_s << 5 << false;
        QTest::newRow("wrap-up without its start falls back to createdon")
            << conversation(5, {StreamSource::LiveChat}, 600) << u"created"_s << u"chat-wrapup"_s << -585 << true;
        QTest::newRow("modified basis uses the last modification")
            << conversation(1, {StreamSource::LiveChat}, 600, std::nullopt, 5) << u"modified"_s << u"chat-open"_s << 15
            << false;
        QTest::newRow("modified basis ignores wrap-up start") << conversation(5, {StreamSource::LiveChat}, 600, 1, 30)
                                                              << u"modified"_s << u"chat-wrapup"_s << -15 << true;
        QTest::newRow("modified basis without a modification time: unknown")
            << conversation(1, {StreamSource::LiveChat}, 600) << u"modified"_s << QString() << 0 << false;
        QTest::newRow("closed never matches")
            << conversation(4, {StreamSource::LiveChat}, 100000) << u"created"_s << QString() << 0 << false;
        QTest::newRow("resolved never matches")
            << conversation(6, {StreamSource::LiveChat}, 100000) << u"created"_s << QString() << 0 << false;
        QTest::newRow("scheduled never matches")
            << conversation(7, {StreamSource::LiveChat}, 100000) << u"created"_s << QString() << 0 << false;
        QTest::newRow("a channel with no configuration")
            << conversation(1, {StreamSource::Voice}, 100000) << u"created"_s << QString() << 0 << false;
        QTest::newRow("multi-channel: the earliest deadline wins")
            << conversation(1, {StreamSource::Sms, StreamSource::LiveChat}, 30) << u"created"_s << u"chat-open"_s << -10
            << true;
        QTest::newRow("multi-channel: the other order, same winner")
            << conversation(1, {StreamSource::LiveChat, StreamSource::Sms}, 30) << u"created"_s << u"chat-open"_s << -10
            << true;
        QTest::newRow("multi-channel wrap-up: chat's 15 min beats SMS's day")
            << conversation(5, {StreamSource::Sms, StreamSource::LiveChat}, 600, 10) << u"created"_s << u"chat-wrapup"_s
            << 5 << false;
    }
    void evaluate()
    {
        QFETCH(Conversation, conversation);
        QFETCH(QString, basis);
        QFETCH(QString, configuration);
        QFETCH(int, eligibleMinutesFromNow);
        QFETCH(bool, eligibleNow);
        const auto verdict = ClosingRule::evaluate(conversation, Configs, *ClosingRule::basisFromName(basis));
        if (configuration.isEmpty()) {
            QVERIFY(!verdict);
            return;
        }
        QVERIFY(verdict);
        QCOMPARE(verdict->configurationId, configuration);
        QCOMPARE(T0.secsTo(verdict->eligibleSince), qint64(eligibleMinutesFromNow) * 60);
        QCOMPARE(ClosingRule::isEligibleAt(*verdict, T0), eligibleNow);
    }

    // Independent of evaluate's own loop: each case states the minutes the rule must use, from the docs' sentences.
    void workstreams_data()
    {
        QTest::addColumn<Conversation>("conversation");
        QTest::addColumn<QString>("configurations"); // "base" (Configs) or "more" (MoreConfigs)
        QTest::addColumn<QString>("configuration"); // empty: never closes
        QTest::addColumn<int>("eligibleMinutesFromNow");
        QTest::addColumn<QString>("timedBy"); // the workstream whose value timed it, or empty

        const auto waitingSms = [](int age, const QString &ws) {
            return onWorkstream(conversation(3, {StreamSource::Sms}, age), ws);
        };
        QTest::newRow("waiting SMS: its workstream's inactivity, not the configuration's 0")
            << waitingSms(50, SmsFast) << u"more"_s << u"sms-waiting"_s << 10 << SmsFast;
        QTest::newRow("waiting SMS on the slower workstream")
            << waitingSms(50, SmsSlow) << u"more"_s << u"sms-waiting"_s << 2880 - 50 << SmsSlow;
        QTest::newRow("waiting SMS exactly at its workstream's value")
            << waitingSms(60, SmsFast) << u"more"_s << u"sms-waiting"_s << 0 << SmsFast;
        QTest::newRow("waiting SMS, id in capitals and braces: the same workstream")
            << waitingSms(50, u"{D0000000-0000-0000-0000-000000000001}"_s) << u"more"_s << u"sms-waiting"_s << 10
            << SmsFast;
        QTest::newRow("waiting SMS with no workstream: the configuration")
            << waitingSms(50, QString()) << u"more"_s << u"sms-waiting"_s << -50 << QString();
        QTest::newRow("waiting SMS on a workstream not read: the configuration")
            << waitingSms(50, NotRead) << u"more"_s << u"sms-waiting"_s << -50 << QString();
        QTest::newRow("waiting SMS on a workstream id that is no GUID: the configuration")
            << waitingSms(50, u"not-a-guid"_s) << u"more"_s << u"sms-waiting"_s << -50 << QString();
        QTest::newRow("waiting SMS on a workstream without the setting: the configuration")
            << waitingSms(50, SmsNone) << u"more"_s << u"sms-waiting"_s << -50 << QString();
        QTest::newRow("waiting SMS on a voice workstream: not its channel's, the configuration")
            << waitingSms(50, VoiceDesk) << u"more"_s << u"sms-waiting"_s << -50 << QString();
        QTest::newRow("waiting voice: the workstream does not govern voice")
            << onWorkstream(conversation(3, {StreamSource::Voice}, 50), VoiceDesk) << u"more"_s << u"voice-waiting"_s
            << 550 << QString();
        QTest::newRow("waiting chat stands for persistent chat: its workstream's 30 min")
            << onWorkstream(conversation(3, {StreamSource::LiveChat}, 10), ChatLong) << u"base"_s << u"chat-waiting"_s
            << 20 << ChatLong;
        QTest::newRow("wrap-up chat: the 45 min block beats the 15 min value")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 600, 10), ChatLong) << u"base"_s
            << u"chat-wrapup"_s << 35 << ChatLong;
        QTest::newRow("wrap-up chat: a 10 min block is shorter, the value stays")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 600, 10), ChatShort) << u"base"_s
            << u"chat-wrapup"_s << 5 << QString();
        QTest::newRow("wrap-up chat: a block of 0 is no block")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 600, 10), ChatZero) << u"base"_s
            << u"chat-wrapup"_s << 5 << QString();
        QTest::newRow("wrap-up chat, no workstream: the value")
            << conversation(5, {StreamSource::LiveChat}, 600, 10) << u"base"_s << u"chat-wrapup"_s << 5 << QString();
        QTest::newRow("wrap-up chat that never closes stays never, whatever the block")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 6000, 3000), ChatLong) << u"more"_s << QString()
            << 0 << QString();
        QTest::newRow("wrap-up SMS: the block is live chat's only")
            << onWorkstream(conversation(5, {StreamSource::Sms}, 6000, 1000), SmsSlow) << u"base"_s << u"sms-wrapup"_s
            << 440 << QString();
        QTest::newRow("wrap-up chat timed from createdon, with the block")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 40), ChatLong) << u"base"_s << u"chat-wrapup"_s
            << 5 << ChatLong;
        QTest::newRow("open SMS: the workstream changes nothing")
            << onWorkstream(conversation(1, {StreamSource::Sms}, 30), SmsFast) << u"base"_s << u"sms-open"_s << 30
            << QString();
        QTest::newRow("waiting on SMS and voice: SMS's workstream value against voice's 600")
            << onWorkstream(conversation(3, {StreamSource::Voice, StreamSource::Sms}, 50), SmsFast) << u"more"_s
            << u"sms-waiting"_s << 10 << SmsFast;
    }
    void workstreams()
    {
        QFETCH(Conversation, conversation);
        QFETCH(QString, configurations);
        QFETCH(QString, configuration);
        QFETCH(int, eligibleMinutesFromNow);
        QFETCH(QString, timedBy);
        const QList<ChannelStateConfig> &configs = configurations == u"more"_s ? MoreConfigs : Configs;
        const auto verdict = ClosingRule::evaluate(conversation, configs, Workstreams, ClosingRule::Basis::Created);
        if (configuration.isEmpty()) {
            QVERIFY(!verdict);
            return;
        }
        QVERIFY(verdict);
        QCOMPARE(verdict->configurationId, configuration);
        QCOMPARE(T0.secsTo(verdict->eligibleSince), qint64(eligibleMinutesFromNow) * 60);
        QCOMPARE(verdict->workstreamId, timedBy);
        // Without workstreams, the configuration alone decides, as before.
        const auto alone = ClosingRule::evaluate(conversation, configs, ClosingRule::Basis::Created);
        QVERIFY(alone);
        QVERIFY(alone->workstreamId.isEmpty());
        if (timedBy.isEmpty())
            QCOMPARE(alone->eligibleSince, verdict->eligibleSince);
        else
            QVERIFY(alone->eligibleSince != verdict->eligibleSince);
    }

    void workstreamOnlyForItsStates()
    {
        // Which configurations depend on a workstream: Waiting on the asynchronous channels (and chat, for persistent
        // chat), Wrap-up on live chat; nothing else.
        QVERIFY(ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::Sms, ConversationState::Waiting, 0)));
        QVERIFY(ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::Teams, ConversationState::Waiting, 0)));
        QVERIFY(
            ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::WhatsApp, ConversationState::Waiting, 0)));
        QVERIFY(
            ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::LiveChat, ConversationState::Waiting, 0)));
        QVERIFY(!ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::Voice, ConversationState::Waiting, 0)));
        QVERIFY(ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::LiveChat, ConversationState::WrapUp, 0)));
        QVERIFY(!ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::Sms, ConversationState::WrapUp, 0)));
        QVERIFY(!ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::Sms, ConversationState::Open, 0)));
        QVERIFY(
            !ClosingRule::dependsOnWorkstream(config(u"w"_s, StreamSource::LiveChat, ConversationState::Active, 0)));
    }

    // The preview's classification with workstream edits: the saved value beside the edited one, for a workstream's
    // inactivity and for its block, and an edit of a configuration that a workstream overrides.
    void classifyWithWorkstreamEdits_data()
    {
        QTest::addColumn<Conversation>("conversation");
        QTest::addColumn<QString>("edit"); // "<id>/<setting>=<minutes or never>"
        QTest::addColumn<int>("category"); // -1: listed under neither
        QTest::addColumn<int>("eligibleMinutesFromNow");

        const Conversation waiting50 = onWorkstream(conversation(3, {StreamSource::Sms}, 50), SmsFast);
        const Conversation wrapUp20 = onWorkstream(conversation(5, {StreamSource::LiveChat}, 600, 20), ChatLong);
        using C = PreviewRow::Category;
        QTest::newRow("inactivity shortened to 30 min: newly closes")
            << waiting50 << SmsFast + u"/inactivity=30"_s << int(C::NewlyCloses) << -20;
        QTest::newRow("inactivity lengthened: still open") << waiting50 << SmsFast + u"/inactivity=90"_s << -1 << 0;
        QTest::newRow("inactivity of another workstream: nothing changes")
            << waiting50 << SmsSlow + u"/inactivity=1"_s << -1 << 0;
        QTest::newRow("the configuration's value edited: the workstream still governs")
            << waiting50 << u"sms-waiting/channel-state=10"_s << -1 << 0;
        QTest::newRow("block shortened to 15 min: the value and the block tie, newly closes")
            << wrapUp20 << ChatLong + u"/wrap-up-block=15"_s << int(C::NewlyCloses) << -5;
        QTest::newRow("block removed: the 15 min value, newly closes")
            << wrapUp20 << ChatLong + u"/wrap-up-block=never"_s << int(C::NewlyCloses) << -5;
        QTest::newRow("the Wrap-up value raised past the block: the value wins")
            << onWorkstream(conversation(5, {StreamSource::LiveChat}, 600, 50), ChatLong)
            << u"chat-wrapup/channel-state=60"_s << int(C::NoLongerCloses) << -5;
    }
    void classifyWithWorkstreamEdits()
    {
        QFETCH(Conversation, conversation);
        QFETCH(QString, edit);
        QFETCH(int, category);
        QFETCH(int, eligibleMinutesFromNow);
        const QString ref = edit.section(u'=', 0, 0);
        const QString value = edit.section(u'=', 1);
        const ValueRef key {ref.section(u'/', 0, 0), *TimerSettings::fromName(ref.section(u'/', 1))};
        const std::optional<int> minutes = value == u"never"_s ? std::nullopt : std::optional<int>(value.toInt());
        const PreviewScenario scenario = PreviewScenario::make(Configs + MoreConfigs, Workstreams, {{key, minutes}}, T0,
                                                               ClosingRule::Basis::Created);
        QVERIFY(scenario.hasEdits());
        QCOMPARE(scenario.isWorkstreamEdited(key.id), key.setting != TimerSetting::ChannelState);
        QCOMPARE(scenario.isEdited(key.id), key.setting == TimerSetting::ChannelState);
        const auto row = Preview::classify(conversation, scenario);
        if (category < 0) {
            QVERIFY(!row);
            return;
        }
        QVERIFY(row);
        QCOMPARE(int(row->category), category);
        QCOMPARE(T0.secsTo(row->eligibleSince), qint64(eligibleMinutesFromNow) * 60);
    }

    void scenarioWithoutEditsHasNone()
    {
        const PreviewScenario scenario =
            PreviewScenario::make(Configs, Workstreams, {}, T0, ClosingRule::Basis::Created);
        QVERIFY(!scenario.hasEdits());
        QCOMPARE(scenario.editedWorkstreams, Workstreams);
        // A value set to what it is is no edit.
        const PreviewScenario same =
            PreviewScenario::make(Configs, Workstreams, {{ValueRef {SmsFast, TimerSetting::Inactivity}, 60}}, T0,
                                  ClosingRule::Basis::Created);
        QVERIFY(!same.hasEdits());
    }

    void wrapUpFallbackIsReported()
    {
        const auto verdict =
            ClosingRule::evaluate(conversation(5, {StreamSource::LiveChat}, 600), Configs, ClosingRule::Basis::Created);
        QVERIFY(verdict && verdict->wrapUpFallback);
        const auto normal = ClosingRule::evaluate(conversation(5, {StreamSource::LiveChat}, 600, 1), Configs,
                                                  ClosingRule::Basis::Created);
        QVERIFY(normal && !normal->wrapUpFallback);
    }

    void statesMapBothWays()
    {
        for (int status : {1, 2, 3, 5})
            QCOMPARE(ClosingRule::statusCodeOf(*ClosingRule::configurationState(status)), status);
        QVERIFY(!ClosingRule::configurationState(4));
        QVERIFY(!ClosingRule::configurationState(0));
    }

    void cutoffAndClosesBy()
    {
        QCOMPARE(ClosingRule::cutoff(T0, 20), T0.addSecs(-1200));
        QCOMPARE(ClosingRule::cutoff(T0, 0), T0);
        QVERIFY(!ClosingRule::cutoff(T0, std::nullopt));
        QCOMPARE(ClosingRule::closesBy(T0, 5), T0.addSecs(300));
        QCOMPARE(ClosingRule::cutoff(T0, 2147483647)->isValid(), true); // the column's maximum stays a valid time
    }

    void basisNames()
    {
        QCOMPARE(ClosingRule::basisName(ClosingRule::Basis::Created), u"created"_s);
        QCOMPARE(ClosingRule::basisFromName(u"modified"_s), ClosingRule::Basis::Modified);
        QVERIFY(!ClosingRule::basisFromName(u"Created"_s));
    }
};

QTEST_GUILESS_MAIN(TestClosingRule)
#include "tst_closingrule.moc"
