// The overview's model: configurations pivoted to channels × states, reading and editing through the
// configurations model, with what sets each cell apart as marks, a note and a sentence for screen readers.
#include "app/common/Translations.h"
#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "models/Duration.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
ChannelStateConfig config(QString id, QString channel, std::optional<int> source, ConversationState state,
                          std::optional<int> minutes)
{
    ChannelStateConfig c;
    c.id = std::move(id);
    c.name = u"record "_s + c.id;
    c.channelConfigId = std::move(channel);
    c.streamSource = source;
    c.state = int(state);
    c.minutes = minutes;
    c.etag = u"W/\"1\""_s;
    return c;
}

ChannelGridModel::Marks marksOf(const QModelIndex &cell)
{
    return ChannelGridModel::Marks(cell.data(ChannelGridModel::MarksRole).toInt());
}
} // namespace

class TestChannelGridModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_configs = std::make_unique<ConfigTableModel>();
        m_grid = std::make_unique<ChannelGridModel>(m_configs.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_grid.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Live chat has all four states (Open at 30 min, off Microsoft's 20); SMS has no Wrap-up record; the
        // Closed state has no column.
        m_configs->reset({
            config(u"sms-open"_s, u"sms"_s, StreamSource::Sms, ConversationState::Open, 43200),
            config(u"lc-open"_s, u"lc"_s, StreamSource::LiveChat, ConversationState::Open, 30),
            config(u"lc-active"_s, u"lc"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt),
            config(u"lc-waiting"_s, u"lc"_s, StreamSource::LiveChat, ConversationState::Waiting, std::nullopt),
            config(u"lc-wrapup"_s, u"lc"_s, StreamSource::LiveChat, ConversationState::WrapUp, 15),
            config(u"sms-active"_s, u"sms"_s, StreamSource::Sms, ConversationState::Active, 43200),
            config(u"sms-waiting"_s, u"sms"_s, StreamSource::Sms, ConversationState::Waiting, std::nullopt),
            config(u"sms-closed"_s, u"sms"_s, StreamSource::Sms, ConversationState::Closed, 5),
        });
    }
    void cleanup()
    {
        m_tester.reset();
        m_grid.reset();
        m_configs.reset();
    }

    void pivotsChannelsAndStates()
    {
        QCOMPARE(m_grid->rowCount(), 2);
        QCOMPARE(m_grid->columnCount(), 4);
        // Channels in alphabetical order, states in the order a conversation meets them.
        QCOMPARE(m_grid->headerData(0, Qt::Vertical).toString(), u"Live chat"_s);
        QCOMPARE(m_grid->headerData(1, Qt::Vertical).toString(), u"SMS"_s);
        QCOMPARE(m_grid->headerData(1, Qt::Vertical, ConfigTableModel::StreamSourceRole).toInt(), StreamSource::Sms);
        const QStringList states {u"Open"_s, u"Active"_s, u"Waiting"_s, u"Wrap-up"_s};
        for (int column = 0; column < 4; ++column)
            QCOMPARE(m_grid->headerData(column, Qt::Horizontal).toString(), states.at(column));

        QCOMPARE(m_grid->index(0, ChannelGridModel::Open).data().toString(), u"30 min"_s);
        QCOMPARE(m_grid->index(0, ChannelGridModel::Active).data().toString(), u"Never"_s);
        QCOMPARE(m_grid->index(0, ChannelGridModel::WrapUp).data().toString(), u"15 min"_s);
        QCOMPARE(m_grid->index(1, ChannelGridModel::Open).data().toString(), u"30 days"_s);
        QCOMPARE(m_grid->index(1, ChannelGridModel::Open).data(ConfigTableModel::IdRole).toString(), u"sms-open"_s);
        QCOMPARE(m_grid->indexOf(u"lc-wrapup"_s), m_grid->index(0, ChannelGridModel::WrapUp));
        QVERIFY(!m_grid->indexOf(u"sms-closed"_s).isValid()); // Closed has no column: the details list shows it
        QCOMPARE(m_grid->sourceRow(m_grid->index(1, ChannelGridModel::Active)), m_configs->rowOf(u"sms-active"_s));
    }

    void aStateWithoutARecordIsAnEmptyReadOnlyCell()
    {
        const QModelIndex none = m_grid->index(1, ChannelGridModel::WrapUp);
        QCOMPARE(none.data().toString(), u"—"_s);
        QCOMPARE(none.data(ChannelGridModel::NoteRole).toString(), u"no record"_s);
        QVERIFY(marksOf(none).testFlag(ChannelGridModel::NoRecord));
        QVERIFY(!(m_grid->flags(none) & Qt::ItemIsEditable));
        QVERIFY(!m_grid->setData(none, 60));
        QVERIFY(none.data(ConfigTableModel::IdRole).toString().isEmpty());
        QCOMPARE(none.data(Qt::AccessibleTextRole).toString(),
                 u"SMS, Wrap-up: no record; this channel has no setting for this state"_s);
        QVERIFY(m_grid->flags(m_grid->index(1, ChannelGridModel::Open)) & Qt::ItemIsEditable);
    }

    void marksSetCellsApart()
    {
        const QModelIndex lcOpen = m_grid->index(0, ChannelGridModel::Open);
        const QModelIndex lcWrapUp = m_grid->index(0, ChannelGridModel::WrapUp);
        const QModelIndex lcWaiting = m_grid->index(0, ChannelGridModel::Waiting);
        // 30 min where Microsoft documents 20; 15 min in Wrap-up is Microsoft's own; Waiting has no documented default.
        QCOMPARE(marksOf(lcOpen), ChannelGridModel::Marks(ChannelGridModel::DiffersFromDefault));
        QCOMPARE(lcOpen.data(ChannelGridModel::NoteRole).toString(), u"default 20 min"_s);
        QCOMPARE(marksOf(lcWrapUp), ChannelGridModel::Marks(ChannelGridModel::NoMarks));
        QCOMPARE(lcWrapUp.data(ChannelGridModel::NoteRole).toString(), QString());
        QCOMPARE(marksOf(lcWaiting), ChannelGridModel::Marks(ChannelGridModel::NoMarks));

        // An edit through the overview is an edit of the record, seen by both models at once.
        QSignalSpy changed(m_grid.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_grid->setData(lcOpen, 20));
        QCOMPARE(m_configs->pending(u"lc-open"_s)->minutes, std::optional<int>(20));
        QCOMPARE(lcOpen.data().toString(), u"20 min"_s);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).value<QModelIndex>(), lcOpen);
        QCOMPARE(marksOf(lcOpen), ChannelGridModel::Marks(ChannelGridModel::Edited));
        QCOMPARE(lcOpen.data(ChannelGridModel::NoteRole).toString(), u"edited · was 30 min"_s);
        QCOMPARE(lcOpen.data(Qt::AccessibleTextRole).toString(),
                 u"Live chat, Open: 20 minutes, Microsoft default, edited from 30 minutes, not saved"_s);

        // A risky value: under 5 minutes in Open.
        m_configs->setPending(u"lc-open"_s, 2);
        QVERIFY(marksOf(lcOpen).testFlag(ChannelGridModel::Risky));
        QVERIFY(marksOf(lcOpen).testFlag(ChannelGridModel::DiffersFromDefault));
        QCOMPARE(
            lcOpen.data(Qt::AccessibleTextRole).toString(),
            u"Live chat, Open: 2 minutes, Microsoft default 20 minutes, edited from 30 minutes, not saved, risky"_s);
        QVERIFY2(lcOpen.data(Qt::AccessibleDescriptionRole).toString().contains(u"Microsoft default: 20 min"_s),
                 qPrintable(lcOpen.data(Qt::AccessibleDescriptionRole).toString()));

        // A refused save, a conflict, and one that went through.
        m_configs->markStatus(u"lc-open"_s, ConfigTableModel::RowStatus::Failed, u"The server said no."_s);
        QVERIFY(marksOf(lcOpen).testFlag(ChannelGridModel::SaveFailed));
        QCOMPARE(lcOpen.data(ChannelGridModel::NoteRole).toString(), u"not saved"_s);
        m_configs->markStatus(u"lc-open"_s, ConfigTableModel::RowStatus::Conflict, u"Changed meanwhile."_s);
        QCOMPARE(lcOpen.data(ChannelGridModel::NoteRole).toString(), u"conflict: not saved"_s);
        m_configs->markSaved(u"lc-open"_s, u"W/\"2\""_s, 2);
        QVERIFY(marksOf(lcOpen).testFlag(ChannelGridModel::Saved));
        QVERIFY(!marksOf(lcOpen).testFlag(ChannelGridModel::Edited));
        QCOMPARE(lcOpen.data(ChannelGridModel::NoteRole).toString(), u"saved"_s);
    }

    void spokenDurations()
    {
        QCOMPARE(Duration::spoken(1), u"1 minute"_s);
        QCOMPARE(Duration::spoken(0), u"0 minutes"_s);
        QCOMPARE(Duration::spoken(60), u"1 hour"_s);
        QCOMPARE(Duration::spoken(36 * 60 + 1), u"1 day 12 hours 1 minute"_s);
        QCOMPARE(Duration::spoken(30 * 24 * 60), u"30 days"_s);
        QCOMPARE(Duration::spoken(std::nullopt), u"never"_s);
    }

    void followsEveryReset()
    {
        QSignalSpy reset(m_grid.get(), &QAbstractItemModel::modelReset);
        m_configs->reset({config(u"v"_s, u"voice"_s, StreamSource::Voice, ConversationState::Active, 60)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_grid->rowCount(), 1);
        QCOMPARE(m_grid->index(0, ChannelGridModel::Active).data().toString(), u"1 h"_s);
        QVERIFY(marksOf(m_grid->index(0, ChannelGridModel::Open)).testFlag(ChannelGridModel::NoRecord));
        m_configs->reset({});
        QCOMPARE(m_grid->rowCount(), 0);
    }

private:
    std::unique_ptr<ConfigTableModel> m_configs;
    std::unique_ptr<ChannelGridModel> m_grid;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Translations::install(&app); // "1 minute", "20 minutes"
    TestChannelGridModel test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_channelgridmodel.moc"
