// The closing rule of docs/closing-rule.md, case by case: timer bases, state and channel matching, never and zero, the
// earliest deadline among several configurations, and the boundaries.
#include "models/ClosingRule.h"

#include <QTest>

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

const QList<ChannelStateConfig> Configs = {
    config(u"chat-open"_s, StreamSource::LiveChat, ConversationState::Open, 20),
    config(u"chat-active"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt),
    config(u"chat-waiting"_s, StreamSource::LiveChat, ConversationState::Waiting, 0),
    config(u"chat-wrapup"_s, StreamSource::LiveChat, ConversationState::WrapUp, 15),
    config(u"sms-open"_s, StreamSource::Sms, ConversationState::Open, 60),
    config(u"sms-wrapup"_s, StreamSource::Sms, ConversationState::WrapUp, 1440),
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
