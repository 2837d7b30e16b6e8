// WorkstreamTableModel under QAbstractItemModelTester: the workstreams and their two timers in human units, a pending
// edit per timer, the required inactivity refused empty, statuses per value and per row, a reload keeping the edits,
// the workstreams as edited, and a saved timer moving the other timer's edit onto the version it produced.
#include "models/ChannelStateConfig.h"
#include "models/WorkstreamTableModel.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
using Status = EditableTableModel::RowStatus;
constexpr TimerSetting Inactivity = TimerSetting::Inactivity;
constexpr TimerSetting WrapUpBlock = TimerSetting::WrapUpBlock;

Workstream workstream(QString id, QString name, std::optional<int> inactivity, std::optional<int> wrapUp,
                      QString etag = u"W/\"1\""_s)
{
    Workstream w;
    w.id = std::move(id);
    w.name = std::move(name);
    w.streamSource = StreamSource::Sms;
    w.inactivityMinutes = inactivity;
    w.wrapUpBlockMinutes = wrapUp;
    w.etag = std::move(etag);
    w.modifiedOn = QDateTime(QDate(2026, 1, 2), QTime(3, 4), Qt::UTC);
    return w;
}
} // namespace

class TestWorkstreamTableModel : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<WorkstreamTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QModelIndex cell(const QString &id, int column) const { return m_model->index(m_model->rowOf(id), column); }
    QString text(const QString &id, int column) const { return cell(id, column).data().toString(); }
    Status status(const QString &id, TimerSetting setting) const { return m_model->valueStatus({id, setting}); }
    // The two demo-like workstreams: SMS with both timers, chat with inactivity only.
    void load()
    {
        m_model->reset({workstream(u"sms"_s, u"SMS support"_s, 2880, 60),
                        workstream(u"chat"_s, u"Chat support"_s, 30, std::nullopt)});
    }

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<WorkstreamTableModel>();
        // Alive for the whole test, so every change the test makes is checked.
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void rowsInNameOrderInHumanUnits()
    {
        QCOMPARE(m_model->columnCount(), int(WorkstreamTableModel::ColumnCount));
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        load();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->index(0, WorkstreamTableModel::Name).data().toString(), u"Chat support"_s);
        QCOMPARE(m_model->index(1, WorkstreamTableModel::Name).data().toString(), u"SMS support"_s);
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Channel), u"SMS"_s);
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Inactivity), u"2 days"_s);
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::WrapUpBlock), u"1 h"_s);
        QCOMPARE(text(u"chat"_s, WorkstreamTableModel::WrapUpBlock), u"Always block"_s);
        QVERIFY(!text(u"sms"_s, WorkstreamTableModel::Modified).isEmpty());
        QCOMPARE(m_model->headerData(WorkstreamTableModel::Inactivity, Qt::Horizontal).toString(),
                 u"Auto-close after inactivity"_s);
        QCOMPARE(m_model->headerData(WorkstreamTableModel::WrapUpBlock, Qt::Horizontal).toString(),
                 u"Block capacity for wrap-up"_s);
        const QModelIndex inactivity = cell(u"sms"_s, WorkstreamTableModel::Inactivity);
        QCOMPARE(inactivity.data(EditableTableModel::IdRole).toString(), u"sms"_s);
        QCOMPARE(inactivity.data(EditableTableModel::MinutesRole).toInt(), 2880);
        QCOMPARE(inactivity.data(EditableTableModel::SettingRole).toInt(), int(Inactivity));
        QCOMPARE(cell(u"sms"_s, WorkstreamTableModel::WrapUpBlock).data(EditableTableModel::SettingRole).toInt(),
                 int(WrapUpBlock));
        QVERIFY(!cell(u"sms"_s, WorkstreamTableModel::Name).data(EditableTableModel::SettingRole).isValid());
        QVERIFY(!cell(u"chat"_s, WorkstreamTableModel::WrapUpBlock).data(EditableTableModel::MinutesRole).isValid());
        const QString tip = inactivity.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(u"Read as minutes (UNCONFIRMED"_s), qPrintable(tip));
        QCOMPARE(m_model->valueLabel({u"sms"_s, WrapUpBlock}), u"SMS support · Block capacity for wrap-up"_s);
        const auto server = m_model->serverValue({u"sms"_s, WrapUpBlock});
        QVERIFY(server);
        QCOMPARE(server->name, u"SMS support"_s);
        QCOMPARE(server->minutes, std::optional<int>(60));
        QVERIFY(!m_model->serverValue({u"sms"_s, TimerSetting::ChannelState}));
        QVERIFY(m_model->holds(Inactivity) && m_model->holds(WrapUpBlock));
        QVERIFY(!m_model->holds(TimerSetting::ChannelState));
    }

    // Each timer has its own edit, made over the record's version; the row shows it has one.
    void aPendingEditPerTimer()
    {
        load();
        QSignalSpy pending(m_model.get(), &EditableTableModel::pendingChanged);
        const QModelIndex inactivity = cell(u"sms"_s, WorkstreamTableModel::Inactivity);
        const QModelIndex wrapUp = cell(u"sms"_s, WorkstreamTableModel::WrapUpBlock);
        QVERIFY(m_model->flags(inactivity).testFlag(Qt::ItemIsEditable));
        QVERIFY(m_model->flags(wrapUp).testFlag(Qt::ItemIsEditable));
        QVERIFY(!m_model->flags(cell(u"sms"_s, WorkstreamTableModel::Name)).testFlag(Qt::ItemIsEditable));
        QVERIFY(!m_model->flags(cell(u"sms"_s, WorkstreamTableModel::Status)).testFlag(Qt::ItemIsEditable));

        QVERIFY(m_model->setData(inactivity, 1440));
        QVERIFY(m_model->setData(wrapUp, 30));
        QCOMPARE(pending.count(), 2);
        QCOMPARE(inactivity.data().toString(), u"1 day"_s);
        QCOMPARE(inactivity.data(Qt::EditRole).toString(), u"1 day"_s);
        QCOMPARE(inactivity.data(EditableTableModel::ServerMinutesRole).toInt(), 2880);
        QCOMPARE(wrapUp.data().toString(), u"30 min"_s);
        QVERIFY(inactivity.data(EditableTableModel::PendingRole).toBool());
        QVERIFY(cell(u"sms"_s, WorkstreamTableModel::Name).data(EditableTableModel::PendingRole).toBool());
        QVERIFY(!cell(u"chat"_s, WorkstreamTableModel::Name).data(EditableTableModel::PendingRole).toBool());
        QVERIFY(inactivity.data(Qt::ToolTipRole).toString().contains(u"Not saved yet; the environment has 2 days."_s));
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Status),
                 u"Auto-close after inactivity edited (was 2 days); Block capacity for wrap-up edited (was 1 h)"_s);

        const QList<PendingEdit> edits = m_model->pendingEdits();
        QCOMPARE(edits.size(), 2);
        QCOMPARE(edits.at(0), (PendingEdit {u"sms"_s, 1440, u"W/\"1\""_s, 2880, Inactivity}));
        QCOMPARE(edits.at(1), (PendingEdit {u"sms"_s, 30, u"W/\"1\""_s, 60, WrapUpBlock}));
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock})->minutes, std::optional<int>(30));
        QVERIFY(!m_model->pendingEdit({u"chat"_s, Inactivity}));

        // An empty block (Always block) is an edit; going back to the server's value drops the edit.
        QVERIFY(m_model->setData(wrapUp, QVariant()));
        QCOMPARE(wrapUp.data().toString(), u"Always block"_s);
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock})->minutes, std::nullopt);
        QVERIFY(m_model->setData(wrapUp, 60));
        QVERIFY(!m_model->pendingEdit({u"sms"_s, WrapUpBlock}));
        QCOMPARE(m_model->pendingEdits().size(), 1);
        QCOMPARE(pending.count(), 4);
        m_model->dropPending({u"sms"_s, Inactivity});
        QVERIFY(!m_model->hasPendingEdits());
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Status), QString());
    }

    // Inactivity is required (docs/dataverse-tables.md): setData refuses it empty, and anything that is not minutes.
    void anEmptyInactivityIsRefused()
    {
        load();
        QSignalSpy pending(m_model.get(), &EditableTableModel::pendingChanged);
        const QModelIndex inactivity = cell(u"sms"_s, WorkstreamTableModel::Inactivity);
        QVERIFY(!m_model->setData(inactivity, QVariant()));
        QVERIFY(!m_model->setData(inactivity, -5));
        QVERIFY(!m_model->setData(inactivity, u"two days"_s));
        QVERIFY(!m_model->setData(inactivity, 45, Qt::DisplayRole));
        QVERIFY(!m_model->setData(cell(u"sms"_s, WorkstreamTableModel::Channel), 45));
        QVERIFY(!m_model->hasPendingEdits());
        QCOMPARE(pending.count(), 0);
        QCOMPARE(inactivity.data().toString(), u"2 days"_s);
        QVERIFY(m_model->setData(inactivity, 0)); // allowed, and flagged
        QVERIFY2(inactivity.data(EditableTableModel::RisksRole).toString().contains(u"next run of the closing job"_s),
                 qPrintable(inactivity.data(EditableTableModel::RisksRole).toString()));
        QVERIFY(m_model->setData(inactivity, 3));
        QVERIFY(inactivity.data(EditableTableModel::RisksRole).toString().contains(u"Under 5 minutes"_s));
        QVERIFY(m_model->setData(cell(u"sms"_s, WorkstreamTableModel::WrapUpBlock), 0));
        QCOMPARE(cell(u"sms"_s, WorkstreamTableModel::WrapUpBlock).data(EditableTableModel::RisksRole).toString(),
                 QString());
    }

    void readOnlyRefusesEdits()
    {
        load();
        m_model->setReadOnly(true);
        const QModelIndex inactivity = cell(u"sms"_s, WorkstreamTableModel::Inactivity);
        QVERIFY(!m_model->flags(inactivity).testFlag(Qt::ItemIsEditable));
        QVERIFY(!m_model->setData(inactivity, 45));
        QVERIFY(!m_model->hasPendingEdits());
        m_model->setReadOnly(false);
        QVERIFY(m_model->setData(inactivity, 45));
    }

    // What became of each value's save, and the row showing the one that most needs the user.
    void statusesPerValueAndRow()
    {
        load();
        m_model->setPendingValue({u"sms"_s, Inactivity}, 1440);
        m_model->setPendingValue({u"sms"_s, WrapUpBlock}, 30);
        QCOMPARE(status(u"sms"_s, Inactivity), Status::Pending);
        QCOMPARE(status(u"chat"_s, Inactivity), Status::Unchanged);
        const auto rowStatus = [this] {
            return Status(cell(u"sms"_s, WorkstreamTableModel::Status).data(EditableTableModel::StatusRole).toInt());
        };
        QCOMPARE(rowStatus(), Status::Pending);
        m_model->markValueSaving({u"sms"_s, Inactivity});
        QCOMPARE(status(u"sms"_s, Inactivity), Status::Saving);
        QCOMPARE(status(u"sms"_s, WrapUpBlock), Status::Pending);
        QCOMPARE(rowStatus(), Status::Saving);
        QVERIFY(text(u"sms"_s, WorkstreamTableModel::Status).contains(u"Saving…"_s));
        m_model->markValueStatus({u"sms"_s, WrapUpBlock}, Status::Conflict, u"Someone changed it."_s);
        QCOMPARE(rowStatus(), Status::Conflict);
        QCOMPARE(cell(u"sms"_s, WorkstreamTableModel::Status).data(Qt::ToolTipRole).toString(),
                 u"Someone changed it."_s);
        QCOMPARE(cell(u"sms"_s, WorkstreamTableModel::WrapUpBlock).data(EditableTableModel::StatusRole).toInt(),
                 int(Status::Conflict));
        m_model->markValueStatus({u"sms"_s, Inactivity}, Status::Failed, u"The server refused it."_s);
        QCOMPARE(status(u"sms"_s, Inactivity), Status::Failed);
        QVERIFY(m_model->pendingEdit({u"sms"_s, Inactivity})); // nothing the user typed is lost
        // Rebasing (the user keeps their value over the colleague's) makes it an edit again.
        m_model->rebaseValue({u"sms"_s, WrapUpBlock});
        QCOMPARE(status(u"sms"_s, WrapUpBlock), Status::Pending);
    }

    // A reload keeps the edits on the records still there, flags those changed on the server meanwhile, and returns
    // those whose record is gone.
    void aReloadKeepsTheEdits()
    {
        m_model->reset({workstream(u"sms"_s, u"SMS support"_s, 2880, 60),
                        workstream(u"chat"_s, u"Chat support"_s, 30, std::nullopt),
                        workstream(u"gone"_s, u"Gone"_s, 10, std::nullopt)});
        m_model->setPendingValue({u"sms"_s, Inactivity}, 1440);
        m_model->setPendingValue({u"chat"_s, WrapUpBlock}, 15);
        m_model->setPendingValue({u"gone"_s, Inactivity}, 20);
        m_model->markValueSaving({u"chat"_s, WrapUpBlock});
        QSignalSpy pending(m_model.get(), &EditableTableModel::pendingChanged);
        const QList<PendingEdit> gone = m_model->reset({workstream(u"sms"_s, u"SMS support"_s, 2000, 60, u"W/\"7\""_s),
                                                        workstream(u"chat"_s, u"Chat support"_s, 30, std::nullopt)});
        QCOMPARE(gone.size(), 1);
        QCOMPARE(gone.first().id, u"gone"_s);
        QCOMPARE(pending.count(), 1);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Inactivity), u"1 day"_s);
        QCOMPARE(status(u"sms"_s, Inactivity), Status::ServerChanged);
        QCOMPARE(m_model->pendingEdit({u"sms"_s, Inactivity})->baseEtag, u"W/\"1\""_s); // the version typed over
        QVERIFY(cell(u"sms"_s, WorkstreamTableModel::Status)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(u"Someone changed Auto-close after inactivity after you edited it"_s));
        QCOMPARE(status(u"chat"_s, WrapUpBlock), Status::Pending); // a fresh read is no save under way
        m_model->rebaseValue({u"sms"_s, Inactivity});
        QCOMPARE(m_model->pendingEdit({u"sms"_s, Inactivity})->baseEtag, u"W/\"7\""_s);
        QCOMPARE(m_model->pendingEdit({u"sms"_s, Inactivity})->baseMinutes, std::optional<int>(2000));
        QCOMPARE(status(u"sms"_s, Inactivity), Status::Pending);
    }

    // What the preview judges by: the workstreams with the edits applied, the server's values left as they are.
    void editedWorkstreams()
    {
        load();
        m_model->setPendingValue({u"sms"_s, Inactivity}, 1440);
        m_model->setPendingValue({u"chat"_s, WrapUpBlock}, 15);
        const QList<Workstream> edited = m_model->editedWorkstreams();
        QCOMPARE(edited.size(), 2);
        QCOMPARE(edited.at(0).id, u"chat"_s);
        QCOMPARE(edited.at(0).inactivityMinutes, std::optional<int>(30));
        QCOMPARE(edited.at(0).wrapUpBlockMinutes, std::optional<int>(15));
        QCOMPARE(edited.at(1).inactivityMinutes, std::optional<int>(1440));
        QCOMPARE(edited.at(1).wrapUpBlockMinutes, std::optional<int>(60));
        QCOMPARE(m_model->workstream(u"sms"_s)->inactivityMinutes, std::optional<int>(2880));
    }

    // A save writes one column: the other timer's edit, made over the version the save replaced, is still made over
    // the value the server holds, and moves onto the new version (else the user's own save would meet it as a
    // colleague's change). An edit made over an older version stays where it was: that is a real conflict.
    void aSavedTimerMovesTheOtherTimersEdit()
    {
        load();
        m_model->setPendingValue({u"sms"_s, Inactivity}, 1440);
        m_model->setPendingValue({u"sms"_s, WrapUpBlock}, 30);
        QSignalSpy pending(m_model.get(), &EditableTableModel::pendingChanged);
        m_model->markValueSaving({u"sms"_s, Inactivity});
        m_model->markValueSaved({u"sms"_s, Inactivity}, u"W/\"2\""_s, 1440);
        QCOMPARE(pending.count(), 1);
        QVERIFY(!m_model->pendingEdit({u"sms"_s, Inactivity}));
        QCOMPARE(status(u"sms"_s, Inactivity), Status::Saved);
        QCOMPARE(m_model->workstream(u"sms"_s)->etag, u"W/\"2\""_s);
        QCOMPARE(m_model->workstream(u"sms"_s)->inactivityMinutes, std::optional<int>(1440));
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock})->baseEtag, u"W/\"2\""_s);
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock})->baseMinutes, std::optional<int>(60));
        QCOMPARE(status(u"sms"_s, WrapUpBlock), Status::Pending);
        QCOMPARE(text(u"sms"_s, WorkstreamTableModel::Inactivity), u"1 day"_s);

        // Made over version 1 while the server has 3 (a colleague's change): the save of inactivity to version 4
        // leaves it over version 1, still flagged.
        m_model->reset({workstream(u"sms"_s, u"SMS support"_s, 1440, 60, u"W/\"3\""_s),
                        workstream(u"chat"_s, u"Chat support"_s, 30, std::nullopt)});
        m_model->restorePending({PendingEdit {u"sms"_s, 30, u"W/\"1\""_s, 60, WrapUpBlock}});
        m_model->setPendingValue({u"sms"_s, Inactivity}, 720);
        m_model->markValueSaved({u"sms"_s, Inactivity}, u"W/\"4\""_s, 720);
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock})->baseEtag, u"W/\"1\""_s);
        QCOMPARE(status(u"sms"_s, WrapUpBlock), Status::ServerChanged);
    }

    // The journal's edits come back exactly as they were; those of records no longer here, and of a setting this
    // table does not hold, are returned.
    void restoreBringsBackEditsExactly()
    {
        load();
        const PendingEdit wrapUp {u"sms"_s, std::nullopt, u"W/\"0\""_s, 45, WrapUpBlock};
        const PendingEdit elsewhere {u"zz"_s, 5, {}, {}, Inactivity};
        const PendingEdit channelState {u"sms"_s, 5, {}, {}, TimerSetting::ChannelState};
        const QList<PendingEdit> gone = m_model->restorePending({wrapUp, elsewhere, channelState});
        QCOMPARE(gone, (QList<PendingEdit> {elsewhere, channelState}));
        QCOMPARE(m_model->pendingEdit({u"sms"_s, WrapUpBlock}).value(), wrapUp);
        QCOMPARE(status(u"sms"_s, WrapUpBlock), Status::ServerChanged);
        m_model->clearAllPending();
        QVERIFY(!m_model->hasPendingEdits());
    }
};

QTEST_GUILESS_MAIN(TestWorkstreamTableModel)
#include "tst_workstreamtablemodel.moc"
