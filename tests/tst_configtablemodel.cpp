#include "app/common/Translations.h"
#include "models/ConfigTableModel.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <utility>

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
        m_model->setPending(u"a"_s, 1);
        QVERIFY2(
            m_model->index(0, ConfigTableModel::AutoClose).data(Qt::ToolTipRole).toString().startsWith(u"1 minute\n"_s),
            qPrintable(m_model->index(0, ConfigTableModel::AutoClose).data(Qt::ToolTipRole).toString()));
        m_model->clearPending(u"a"_s);
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

    void editMakesAPendingEditOverTheServerVersion()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20)});
        QSignalSpy pending(m_model.get(), &ConfigTableModel::pendingChanged);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        const QModelIndex value = m_model->index(0, ConfigTableModel::AutoClose);
        QVERIFY(m_model->flags(value).testFlag(Qt::ItemIsEditable));
        QVERIFY(!m_model->flags(m_model->index(0, ConfigTableModel::Channel)).testFlag(Qt::ItemIsEditable));

        QVERIFY(m_model->setData(value, 45));
        QCOMPARE(pending.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(value.data().toString(), u"45 min"_s);
        QCOMPARE(value.data(Qt::EditRole).toString(), u"45 min"_s);
        QCOMPARE(value.data(ConfigTableModel::ServerMinutesRole).toInt(), 20);
        QVERIFY(value.data(ConfigTableModel::PendingRole).toBool());
        QCOMPARE(m_model->index(0, ConfigTableModel::Status).data().toString(), u"Edited (was 20 min)"_s);
        QVERIFY(value.data(Qt::ToolTipRole).toString().contains(u"Not saved yet"_s));
        const PendingEdit edit = m_model->pending(u"a"_s).value();
        QCOMPARE(edit.baseEtag, u"W/\"1\""_s);
        QCOMPARE(edit.baseMinutes, std::optional<int>(20));
        QCOMPARE(edit.minutes, std::optional<int>(45));

        // Never is an edit too; going back to the server's value drops the edit.
        QVERIFY(m_model->setData(value, QVariant()));
        QCOMPARE(value.data().toString(), u"Never"_s);
        QVERIFY(m_model->setData(value, 20));
        QVERIFY(!m_model->hasPendingEdits());
        QCOMPARE(m_model->index(0, ConfigTableModel::Status).data().toString(), QString());
        QCOMPARE(pending.count(), 3);
        QVERIFY(!m_model->setData(value, u"not minutes"_s));
    }

    void refreshKeepsEditsAndFlagsServerChanges()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20),
                        config(u"b"_s, StreamSource::Sms, ConversationState::Open, 43200),
                        config(u"c"_s, StreamSource::Voice, ConversationState::Open, 43200)});
        m_model->setPending(u"a"_s, 30);
        m_model->setPending(u"b"_s, 60);
        m_model->setPending(u"c"_s, 90);

        ChannelStateConfig b = config(u"b"_s, StreamSource::Sms, ConversationState::Open, 100);
        b.etag = u"W/\"7\""_s; // a colleague saved b meanwhile
        const QList<PendingEdit> gone =
            m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20), b});
        QCOMPARE(gone.size(), 1); // c was deleted on the server
        QCOMPARE(gone.first().id, u"c"_s);
        QCOMPARE(m_model->index(0, ConfigTableModel::AutoClose).data().toString(), u"30 min"_s);
        QCOMPARE(m_model->status(u"a"_s), ConfigTableModel::RowStatus::Pending);
        QCOMPARE(m_model->status(u"b"_s), ConfigTableModel::RowStatus::ServerChanged);
        QVERIFY(m_model->index(1, ConfigTableModel::Status).data(Qt::ToolTipRole).toString().contains(u"1 h 40 min"_s));
        QCOMPARE(m_model->pending(u"b"_s)->baseEtag, u"W/\"1\""_s); // still the version the user edited

        // Keeping theirs drops the edit; keeping mine moves it onto the new version.
        m_model->rebase(u"b"_s);
        QCOMPARE(m_model->status(u"b"_s), ConfigTableModel::RowStatus::Pending);
        QCOMPARE(m_model->pending(u"b"_s)->baseEtag, u"W/\"7\""_s);
        QCOMPARE(m_model->pending(u"b"_s)->baseMinutes, std::optional<int>(100));
    }

    void saveOutcomesPerRecord()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20),
                        config(u"b"_s, StreamSource::Sms, ConversationState::Open, 43200)});
        m_model->setPending(u"a"_s, 30);
        m_model->setPending(u"b"_s, 60);
        QCOMPARE(m_model->pendingEdits().size(), 2);
        m_model->markSaving(u"a"_s);
        QCOMPARE(m_model->index(0, ConfigTableModel::Status).data().toString(), u"Saving…"_s);
        m_model->markSaved(u"a"_s, u"W/\"9\""_s, 30);
        m_model->markStatus(u"b"_s, ConfigTableModel::RowStatus::Conflict, u"Someone changed it."_s);
        QCOMPARE(m_model->index(0, ConfigTableModel::Status).data().toString(), u"Saved"_s);
        QCOMPARE(m_model->configs().at(0).etag, u"W/\"9\""_s);
        QCOMPARE(m_model->configs().at(0).minutes, std::optional<int>(30));
        QVERIFY(!m_model->pending(u"a"_s));
        QCOMPARE(m_model->status(u"b"_s), ConfigTableModel::RowStatus::Conflict);
        QCOMPARE(m_model->index(1, ConfigTableModel::Status).data(Qt::ToolTipRole).toString(),
                 u"Someone changed it."_s);
        QVERIFY(m_model->pending(u"b"_s)); // nothing the user typed is lost
    }

    void restoreBringsBackEditsExactly()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20)});
        const PendingEdit edit {u"a"_s, std::nullopt, u"W/\"0\""_s, 25};
        const QList<PendingEdit> gone = m_model->restorePending({edit, PendingEdit {u"zz"_s, 5, {}, {}}});
        QCOMPARE(gone.size(), 1);
        QCOMPARE(m_model->pending(u"a"_s).value(), edit);
        QCOMPARE(m_model->status(u"a"_s), ConfigTableModel::RowStatus::ServerChanged);
    }

    void readOnlyRefusesEdits()
    {
        m_model->reset({config(u"a"_s, StreamSource::LiveChat, ConversationState::Open, 20)});
        m_model->setReadOnly(true);
        const QModelIndex value = m_model->index(0, ConfigTableModel::AutoClose);
        QVERIFY(!m_model->flags(value).testFlag(Qt::ItemIsEditable));
        QVERIFY(!m_model->setData(value, 45));
        QVERIFY(!m_model->hasPendingEdits());
    }

    void risksOfTheShownValue()
    {
        m_model->reset({config(u"open"_s, StreamSource::LiveChat, ConversationState::Open, 20),
                        config(u"active"_s, StreamSource::LiveChat, ConversationState::Active, std::nullopt),
                        config(u"sms"_s, StreamSource::Sms, ConversationState::Open, 43200)});
        const auto risks = [this](int row) {
            return m_model->index(row, ConfigTableModel::AutoClose).data(ConfigTableModel::RisksRole).toString();
        };
        QCOMPARE(risks(0), QString());
        m_model->setPending(u"open"_s, 0);
        QVERIFY2(risks(0).contains(u"next run of the closing job"_s), qPrintable(risks(0)));
        m_model->setPending(u"open"_s, 3);
        QVERIFY2(risks(0).contains(u"Under 5 minutes in Open"_s), qPrintable(risks(0)));
        m_model->setPending(u"open"_s, 300);
        QVERIFY2(risks(0).contains(u"Far from Microsoft's default of 20 min"_s), qPrintable(risks(0)));
        m_model->setPending(u"active"_s, 60);
        QVERIFY2(risks(1).contains(u"talking to an agent"_s), qPrintable(risks(1)));
        m_model->setPending(u"sms"_s, 60);
        QVERIFY2(risks(2).contains(u"Far from Microsoft's default of 30 days"_s), qPrintable(risks(2)));
        m_model->setPending(u"sms"_s, 7 * 1440);
        QCOMPARE(risks(2), QString());
    }

private:
    std::unique_ptr<ConfigTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Translations::install(&app); // as the programs do: "1 minute", "2 minutes"
    TestConfigTableModel test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_configtablemodel.moc"
