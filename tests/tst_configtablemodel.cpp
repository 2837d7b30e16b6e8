#include "models/ConfigTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
ChannelStateConfig config(QString id, std::optional<int> source, ConversationState state, std::optional<int> minutes)
{
    ChannelStateConfig c;
    c.id = std::move(id);
    c.name = u"record "_s + c.id;
    c.streamSource = source;
    c.state = int(state);
    c.minutes = minutes;
    c.etag = u"W/\"1\""_s;
    c.modifiedOn = QDateTime(QDate(2026, 1, 2), QTime(3, 4), Qt::UTC);
    return c;
}
} // namespace

class TestConfigTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<ConfigTableModel>();
        // Alive for the whole test, so every change the test makes is checked.
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void emptyModel()
    {
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(m_model->columnCount(), int(ConfigTableModel::ColumnCount));
        QCOMPARE(m_model->headerData(ConfigTableModel::AutoClose, Qt::Horizontal).toString(), u"Auto-close after"_s);
    }

    void resetShowsRowsInHumanUnits()
    {
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20),
                        config(u"b"_s, StreamSource::Voice, ConversationState::Active, 120),
                        config(u"c"_s, StreamSource::Sms, ConversationState::Open, 43200),
                        config(u"d"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_model->rowCount(), 4);

        const auto text = [this](int row, int column) {
            return m_model->index(row, column).data().toString();
        };
        QCOMPARE(text(0, ConfigTableModel::Channel), u"Live chat"_s);
        QCOMPARE(text(0, ConfigTableModel::State), u"Open"_s);
        QCOMPARE(text(0, ConfigTableModel::AutoClose), u"20 min"_s);
        QCOMPARE(text(0, ConfigTableModel::Default), u"20 min"_s);
        QCOMPARE(text(1, ConfigTableModel::Channel), u"Voice"_s);
        QCOMPARE(text(1, ConfigTableModel::AutoClose), u"2 h"_s);
        QCOMPARE(text(2, ConfigTableModel::AutoClose), u"30 days"_s);
        QCOMPARE(text(3, ConfigTableModel::AutoClose), u"Never"_s);
        QCOMPARE(text(3, ConfigTableModel::Default), u"Never"_s);
        QVERIFY(!text(0, ConfigTableModel::Modified).isEmpty());

        QCOMPARE(m_model->index(2, 0).data(ConfigTableModel::IdRole).toString(), u"c"_s);
        QCOMPARE(m_model->index(2, 0).data(ConfigTableModel::MinutesRole).toInt(), 43200);
        QVERIFY(!m_model->index(3, 0).data(ConfigTableModel::MinutesRole).isValid());
        QCOMPARE(m_model->index(1, ConfigTableModel::AutoClose).data(Qt::ToolTipRole).toString(), u"120 minutes"_s);
    }

    void sortRoleOrdersNeverLast()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt),
                        config(u"b"_s, StreamSource::LiveChat, ConversationState::Open, 43200),
                        config(u"c"_s, StreamSource::LiveChat, ConversationState::WrapUp, 15)});
        const auto key = [this](int row) {
            return m_model->index(row, ConfigTableModel::AutoClose).data(ConfigTableModel::SortRole).toLongLong();
        };
        QVERIFY(key(2) < key(1));
        QVERIFY(key(1) < key(0));
    }

    void unknownChannelAndMissingDefault()
    {
        ChannelStateConfig c = config(u"x"_s, std::nullopt, ConversationState::Waiting, 5);
        c.channelName = u"Custom bot channel"_s;
        m_model->reset({c, config(u"y"_s, 123, ConversationState::Open, 1)});
        QCOMPARE(m_model->index(0, ConfigTableModel::Channel).data().toString(), u"Custom bot channel"_s);
        QCOMPARE(m_model->index(0, ConfigTableModel::Default).data().toString(), u"—"_s);
        QVERIFY(
            m_model->index(0, ConfigTableModel::Default).data(Qt::ToolTipRole).toString().contains(u"no default"_s));
        QCOMPARE(m_model->index(1, ConfigTableModel::Channel).data().toString(), u"Channel 123"_s);
    }

    void waitingMessagingShowsWorkstreamCaveat()
    {
        m_model->reset({config(u"w"_s, StreamSource::Sms, ConversationState::Waiting, std::nullopt)});
        const QString tip = m_model->index(0, ConfigTableModel::Default).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"workstream"_s), qPrintable(tip));
    }

    void resetAgainReplacesRows()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20)});
        m_model->reset({});
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->index(0, 0).isValid());
    }

private:
    std::unique_ptr<ConfigTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestConfigTableModel)
#include "tst_configtablemodel.moc"
