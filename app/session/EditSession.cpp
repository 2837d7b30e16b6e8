#include "app/session/EditSession.h"

#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "app/snapshot/SnapshotOps.h"
#include "models/ConfigTableModel.h"
#include "models/EditableTableModel.h"

#include <QDir>
#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSession, "autoclose.session", QtInfoMsg)

qsizetype EditSession::Outcome::count(WriteResult::Outcome outcome) const
{
    return std::count_if(results.cbegin(), results.cend(),
                         [outcome](const WriteResult &r) { return r.outcome == outcome; });
}

std::optional<Error> EditSession::Outcome::firstError() const
{
    std::optional<Error> first;
    for (const WriteResult &r : results) {
        if (r.outcome == WriteResult::Outcome::Saved || r.error.userMessage.isEmpty())
            continue;
        if (r.error.kind == Error::Kind::Conflict)
            return r.error;
        if (!first)
            first = r.error;
    }
    return first;
}

EditSession::EditSession(DataverseClient *client, Settings settings, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_settings(std::move(settings))
{ }

void EditSession::setIdentity(const QString &organizationId, const QString &userId)
{
    m_organizationId = organizationId;
    m_userId = userId;
}

QString EditSession::auditUser() const
{
    return m_settings.user.isEmpty() ? m_userId : m_settings.user;
}

QString EditSession::appendToAuditLog(const Outcome &outcome, const AuditContext &audit) const
{
    QList<AuditLog::Entry> entries;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < outcome.changes.size(); ++i) {
        const Change &change = outcome.changes.at(i);
        const WriteResult result = i < outcome.results.size() ? outcome.results.at(i) : WriteResult {};
        AuditLog::Entry e;
        e.at = now;
        e.user = auditUser();
        e.osUser = AuditLog::currentOsUser();
        e.environmentUrl = audit.environmentUrl;
        e.organizationId = audit.organizationId;
        e.recordId = change.id;
        e.recordName = change.name;
        e.oldMinutes = change.before;
        e.newMinutes = change.after;
        e.setting = change.setting;
        switch (result.outcome) {
        case WriteResult::Outcome::Saved:
            e.result = u"saved"_s;
            break;
        case WriteResult::Outcome::Failed:
            e.result = u"failed"_s;
            break;
        case WriteResult::Outcome::NotSaved:
            e.result = u"not-saved"_s;
            break;
        }
        e.error = result.outcome == WriteResult::Outcome::Saved ? QString() : result.error.userMessage;
        e.source = audit.source;
        e.beforeSnapshot = audit.beforeSnapshot;
        entries << e;
    }
    const auto logged = AuditLog().append(entries);
    return logged ? QString() : logged.error().userMessage;
}

void EditSession::write(const QList<Change> &changes, DataverseClient::WriteMode mode, const AuditContext &audit,
                        QObject *context, std::function<void(Outcome)> done)
{
    QList<MinutesChange> writes;
    for (const Change &c : changes)
        writes << MinutesChange {c.id, c.name, c.etag, c.after, c.setting};
    // The session, not the caller, waits for the reply: whatever became of the records goes into the audit log even
    // when the caller has gone (a wizard closed mid-apply); only the caller's callback goes with it.
    QPointer<QObject> caller(context);
    m_client->saveMinutes(writes, mode, this,
                          [this, changes, audit, caller, done = std::move(done)](QList<WriteResult> results) {
                              Outcome outcome;
                              outcome.changes = changes;
                              outcome.beforeSnapshot = audit.beforeSnapshot;
                              outcome.results = std::move(results);
                              AuditContext logged = audit;
                              if (logged.organizationId.isEmpty())
                                  logged.organizationId = m_organizationId; // WhoAmI may have answered meanwhile
                              outcome.auditProblem = appendToAuditLog(outcome, logged);
                              if (caller)
                                  done(std::move(outcome));
                          });
}

void EditSession::save(const QList<Change> &changes, DataverseClient::WriteMode mode, const QString &source,
                       QObject *context, std::function<void(Outcome)> done)
{
    write(changes, mode, {source, m_client->orgUrl().toString(), m_organizationId, {}}, context, std::move(done));
}

void EditSession::apply(const ApplyPlan &plan, const Snapshot &before, const QString &source, QObject *context,
                        std::function<void(Result<Outcome>)> done)
{
    // Bad input is refused before anything is kept or sent: a record or workstream the plan cannot match with
    // certainty, a workstream it cannot find, a required value emptied (docs/snapshots.md).
    QStringList refusals;
    if (!plan.ambiguous.isEmpty())
        refusals << Snapshot::tr("%n record(s) of the snapshot cannot be matched with certainty.", nullptr,
                                 int(plan.ambiguous.size()));
    refusals << plan.workstreamRefusals();
    if (!refusals.isEmpty()) {
        done(Error::badInput(Snapshot::tr("Nothing was applied:") + u"\n  "_s + refusals.join(u"\n  "_s)));
        return;
    }
    // Then each value against its column's range from the environment's metadata; destroying context meanwhile
    // sends nothing.
    SnapshotOps::checkRanges(
        m_client, plan, context,
        [this, plan, before, source, context, done = std::move(done)](Result<Done> inRange) mutable {
            if (!inRange) {
                done(inRange.error());
                return;
            }
            const QString directory =
                m_settings.beforeDirectory.isEmpty() ? SnapshotFiles::defaultDirectory() : m_settings.beforeDirectory;
            const QString beforePath = QDir(directory).filePath(
                SnapshotFiles::fileName(u"before-apply"_s, before.environmentUrl, QDateTime::currentDateTimeUtc()));
            const auto written = SnapshotFiles::writeAtomically(beforePath, before.toJson());
            if (!written) {
                Error e = written.error();
                e.userMessage = Snapshot::tr("Nothing was applied: the snapshot of the environment as it was could "
                                             "not be kept first. %1")
                                    .arg(e.userMessage);
                done(e);
                return;
            }
            // The records' values, then the workstreams', in one batch: every value is saved, or none is.
            QList<Change> changes;
            for (const ApplyPlan::Item &item : plan.items())
                changes << Change {item.id, item.name, item.etag, item.before, item.after, item.setting};
            write(changes, DataverseClient::WriteMode::Batch,
                  {source, before.environmentUrl, before.organizationId, beforePath}, context,
                  [done = std::move(done)](Outcome outcome) { done(std::move(outcome)); });
        });
}

void EditSession::attach(ConfigTableModel *model, const EditJournal &journal)
{
    m_journal = journal;
    addTable(model, [this, model](QObject *context, std::function<void(std::optional<Error>)> done) {
        m_client->fetchConfigurations(context, [model, done](Result<QList<ChannelStateConfig>> configs) {
            if (!configs) {
                done(configs.error());
                return;
            }
            model->reset(std::move(configs).value());
            done(std::nullopt);
        });
    });
}

void EditSession::addTable(EditableTableModel *model, Reload reload)
{
    m_tables << Table {model, std::move(reload)};
    // Every edit made, changed, undone, saved or dropped is on disk before the user can lose it.
    connect(model, &EditableTableModel::pendingChanged, this, &EditSession::writeJournal);
}

EditableTableModel *EditSession::tableOf(TimerSetting setting) const
{
    for (const Table &table : m_tables) {
        if (table.model->holds(setting))
            return table.model;
    }
    return nullptr;
}

QList<PendingEdit> EditSession::allPendingEdits() const
{
    QList<PendingEdit> edits;
    for (const Table &table : m_tables)
        edits << table.model->pendingEdits();
    return edits;
}

bool EditSession::anyPendingEdits() const
{
    return std::any_of(m_tables.cbegin(), m_tables.cend(),
                       [](const Table &table) { return table.model->hasPendingEdits(); });
}

QString EditSession::label(const ValueRef &ref) const
{
    const EditableTableModel *model = tableOf(ref.setting);
    return model ? model->valueLabel(ref) : ref.id;
}

void EditSession::setSaving(bool saving)
{
    if (m_saving == saving)
        return;
    m_saving = saving;
    Q_EMIT savingChanged(saving);
}

void EditSession::saveEdits(const QList<PendingEdit> &edits)
{
    if (m_tables.isEmpty() || m_saving || edits.isEmpty())
        return;
    send(edits);
}

void EditSession::send(const QList<PendingEdit> &edits)
{
    QList<Change> changes;
    for (const PendingEdit &edit : edits) {
        EditableTableModel *model = tableOf(edit.setting);
        if (!model)
            continue;
        const auto server = model->serverValue(edit.ref());
        changes << Change {edit.id,     server ? server->name : edit.id, edit.baseEtag, edit.baseMinutes, edit.minutes,
                           edit.setting};
        model->markValueSaving(edit.ref());
    }
    if (changes.isEmpty())
        return;
    setSaving(true);
    Q_EMIT saveStarted(int(changes.size()));
    writeJournal(); // a save under way, should the app not live to see its reply
    save(changes, DataverseClient::WriteMode::Batch, u"editor"_s, this, [this, changes](const Outcome &outcome) {
        // Whatever happens below, no save is under way any more.
        const auto journalAfter = qScopeGuard([this] { writeJournal(); });
        if (!outcome.auditProblem.isEmpty())
            Q_EMIT notice(outcome.auditProblem);
        QList<SavedValue> saved;
        QList<ValueRef> conflicts; // the records refused as changed first, then those rolled back with them
        qsizetype refusedCount = 0;
        QString failure;
        for (qsizetype i = 0; i < outcome.results.size() && i < changes.size(); ++i) {
            const WriteResult &result = outcome.results.at(i);
            const Change &change = changes.at(i);
            const ValueRef ref {change.id, change.setting};
            EditableTableModel *model = tableOf(change.setting);
            if (result.outcome == WriteResult::Outcome::Saved) {
                saved << SavedValue {change.id, label(ref), change.before, result.minutes, result.etag, change.setting};
                model->markValueSaved(ref, result.etag, result.minutes);
            } else if (result.error.kind == Error::Kind::Conflict) {
                // Refused as changed (Failed), or rolled back because the all-or-nothing save met another record's
                // conflict (NotSaved): only the first is a conflict of its own; the others were just not saved.
                const bool refused = result.outcome == WriteResult::Outcome::Failed;
                conflicts.insert(refused ? refusedCount++ : conflicts.size(), ref);
                model->markValueStatus(
                    ref, refused ? EditableTableModel::RowStatus::Conflict : EditableTableModel::RowStatus::Failed,
                    result.error.describe());
            } else {
                model->markValueStatus(ref, EditableTableModel::RowStatus::Failed, result.error.describe());
                if (failure.isEmpty())
                    failure = result.error.describe();
            }
        }
        qCInfo(lcSession) << "save to" << m_client->orgUrl().host() << ":" << saved.size() << "saved,"
                          << conflicts.size() << "conflicts," << (failure.isEmpty() ? "no other failure" : "failed:")
                          << failure;
        if (!saved.isEmpty())
            m_lastSave = saved; // before saving ends: whoever hears that reads what can be undone now
        setSaving(false);
        if (!saved.isEmpty())
            Q_EMIT changesSaved(int(saved.size()));
        if (!conflicts.isEmpty()) {
            QList<ValueRef> refs;
            for (const Change &change : changes)
                refs << ValueRef {change.id, change.setting};
            resolveConflicts(conflicts, refs);
            return;
        }
        if (!failure.isEmpty())
            Q_EMIT saveFailed(failure);
        Q_EMIT saveFinished(failure.isEmpty());
    });
}

void EditSession::reloadTables(qsizetype index, std::function<void(std::optional<Error>)> done)
{
    if (index >= m_tables.size()) {
        done(std::nullopt);
        return;
    }
    m_tables.at(index).reload(this, [this, index, done](std::optional<Error> error) {
        if (error)
            done(error);
        else
            reloadTables(index + 1, done);
    });
}

void EditSession::resolveConflicts(const QList<ValueRef> &refused, const QList<ValueRef> &saving)
{
    // Read what the server holds now; every edit made over an older version is a conflict to resolve, not only the
    // one the all-or-nothing save stopped at.
    setSaving(true);
    reloadTables(0, [this, refused, saving](std::optional<Error> error) {
        setSaving(false);
        if (error) {
            Q_EMIT saveFailed(tr("A colleague changed %1 meanwhile, and the current values could not be read: %2")
                                  .arg(label(refused.first()), error->describe()));
            Q_EMIT saveFinished(false);
            return;
        }
        QList<ValueRef> refs;
        for (const PendingEdit &edit : allPendingEdits()) {
            const auto server = tableOf(edit.setting)->serverValue(edit.ref());
            // The value decides as well as the version: a value confirmed by reading moves its record's other
            // timer's edit onto the version read, in which a colleague may have changed that timer too.
            if (server && (server->etag != edit.baseEtag || server->minutes != edit.baseMinutes))
                refs << edit.ref();
        }
        QList<ValueRef> held; // left pending by the user's choice: not sent again now
        bool overwriting = false;
        std::optional<ValueRef> editRef;
        for (const ValueRef &ref : std::as_const(refs)) {
            EditableTableModel *model = tableOf(ref.setting);
            const auto server = model->serverValue(ref);
            const auto edit = model->pendingEdit(ref);
            if (!server || !edit)
                continue;
            if (server->minutes == edit->baseMinutes) {
                // The record moved on but this value did not (a colleague changed the workstream's other timer, or
                // saved the same value): nothing of theirs to lose. The edit moves onto the new version and goes
                // with the rest of the save, still checked against it; it overwrites nothing, so it does not send
                // the rest while a conflict is left for later.
                model->rebaseValue(ref);
                continue;
            }
            model->markValueStatus(ref, EditableTableModel::RowStatus::Conflict,
                                   tr("Changed by someone else after you began editing; your value was not saved."));
            const Decision decision = m_resolver
                ? m_resolver(Conflict {ref.id, ref.setting, label(ref), server->minutes, server->modifiedOn,
                                       edit->minutes, edit->baseMinutes})
                : Decision::Later;
            switch (decision) {
            case Decision::KeepTheirs:
                model->dropPending(ref);
                break;
            case Decision::Overwrite:
                model->rebaseValue(ref);
                overwriting = true;
                break;
            case Decision::Edit:
                model->rebaseValue(ref);
                editRef = ref;
                held << ref;
                break;
            case Decision::Later:
                held << ref;
                break;
            }
        }
        // The rest of what the user confirmed was held back only because the save was all-or-nothing: send it now,
        // with the values the user chose to overwrite, each checked against the version just read.
        QList<PendingEdit> resend;
        for (const PendingEdit &edit : allPendingEdits()) {
            if (saving.contains(edit.ref()) && !held.contains(edit.ref()))
                resend << edit;
        }
        if (!resend.isEmpty() && (overwriting || held.isEmpty())) {
            send(resend);
            return;
        }
        if (editRef)
            Q_EMIT editRequested(editRef->id, editRef->setting);
        Q_EMIT notice(anyPendingEdits() ? tr("Some edits are still unsaved; press Ctrl+S when they are ready.")
                                        : tr("Conflicts resolved; nothing left to save."));
        Q_EMIT saveFinished(false);
    });
}

void EditSession::undoLastSave()
{
    if (m_tables.isEmpty() || m_saving || m_lastSave.isEmpty())
        return;
    QList<Change> changes;
    for (const SavedValue &value : std::as_const(m_lastSave)) {
        EditableTableModel *model = tableOf(value.setting);
        const auto server = model ? model->serverValue(value.ref()) : std::nullopt;
        changes << Change {value.id,     server ? server->name : value.label, value.etag, value.after, value.before,
                           value.setting};
        if (model)
            model->markValueSaving(value.ref());
    }
    setSaving(true);
    const QList<SavedValue> undone = m_lastSave;
    save(changes, DataverseClient::WriteMode::OneByOne, u"editor: undo last save"_s, this,
         [this, undone](const Outcome &outcome) {
             if (!outcome.auditProblem.isEmpty())
                 Q_EMIT notice(outcome.auditProblem);
             QList<SavedValue> left;
             QStringList problems;
             for (qsizetype i = 0; i < outcome.results.size() && i < undone.size(); ++i) {
                 const WriteResult &result = outcome.results.at(i);
                 const ValueRef ref = undone.at(i).ref();
                 EditableTableModel *model = tableOf(ref.setting);
                 if (!model)
                     continue;
                 if (result.outcome == WriteResult::Outcome::Saved) {
                     model->markValueSaved(ref, result.etag, result.minutes);
                 } else {
                     left << undone.at(i);
                     model->markValueStatus(ref,
                                            result.error.kind == Error::Kind::Conflict
                                                ? EditableTableModel::RowStatus::Conflict
                                                : EditableTableModel::RowStatus::Failed,
                                            result.error.describe());
                     problems << tr("%1: %2").arg(undone.at(i).label, result.error.userMessage);
                 }
             }
             m_lastSave = left;
             setSaving(false);
             if (!problems.isEmpty())
                 Q_EMIT saveFailed(tr("Not every value was put back. %1").arg(problems.join(u"; "_s)));
             else
                 Q_EMIT notice(tr("The last save was undone."));
             Q_EMIT saveFinished(problems.isEmpty());
         });
}

EditSession::Recovery EditSession::recoverJournal()
{
    Recovery recovery;
    if (m_tables.isEmpty() || !m_journal)
        return recovery;
    m_journalLive = true;
    QStringList wasSaving;
    const auto kept = m_journal->read(&wasSaving);
    if (!kept) {
        recovery.unreadable = kept.error();
        return recovery;
    }
    const auto savingKey = [](const PendingEdit &edit) {
        return EditJournal::savingKey(edit.ref());
    };
    QHash<EditableTableModel *, QList<PendingEdit>> restore;
    Outcome found; // for the audit log, which the interrupted save never reached
    for (const PendingEdit &edit : kept.value()) {
        EditableTableModel *model = tableOf(edit.setting);
        if (!model) {
            ++recovery.gone;
            continue;
        }
        const auto server = model->serverValue(edit.ref());
        if (!server || server->etag == edit.baseEtag || server->minutes != edit.minutes) {
            restore[model] << edit;
            continue;
        }
        model->markValueStatus(edit.ref(), EditableTableModel::RowStatus::Saved,
                               tr("The server already holds this value from your last session."));
        if (!wasSaving.contains(savingKey(edit))) {
            recovery.sameValueSetMeanwhile << label(edit.ref());
            continue;
        }
        recovery.savedByInterruptedSave << label(edit.ref());
        found.changes << Change {edit.id, server->name, edit.baseEtag, edit.baseMinutes, edit.minutes, edit.setting};
        WriteResult result;
        result.id = edit.id;
        result.outcome = WriteResult::Outcome::Saved;
        result.etag = server->etag;
        result.minutes = server->minutes;
        result.confirmedByReading = true;
        found.results << result;
    }
    for (auto it = restore.cbegin(); it != restore.cend(); ++it) {
        EditableTableModel *model = it.key();
        const QList<PendingEdit> gone = model->restorePending(it.value());
        recovery.restored += int(it.value().size() - gone.size());
        recovery.gone += int(gone.size());
        for (const PendingEdit &edit : it.value()) {
            const EditableTableModel::RowStatus status = model->valueStatus(edit.ref());
            recovery.changedOnServer += status == EditableTableModel::RowStatus::ServerChanged ? 1 : 0;
            recovery.notArrived +=
                status == EditableTableModel::RowStatus::Pending && wasSaving.contains(savingKey(edit)) ? 1 : 0;
        }
    }
    if (!recovery.savedByInterruptedSave.isEmpty() || !recovery.sameValueSetMeanwhile.isEmpty())
        writeJournal(); // the journal now holds only what is still unsaved
    if (!found.changes.isEmpty()) {
        const QString problem = appendToAuditLog(
            found, {u"editor (found saved at the next start)"_s, m_client->orgUrl().toString(), m_organizationId, {}});
        if (!problem.isEmpty())
            Q_EMIT notice(problem);
    }
    return recovery;
}

void EditSession::writeJournal()
{
    if (m_tables.isEmpty() || !m_journal || !m_journalLive)
        return; // before the first load there is nothing of the user's to keep, and the journal must not be lost
    QStringList saving;
    const QList<PendingEdit> edits = allPendingEdits();
    for (const PendingEdit &edit : edits)
        if (tableOf(edit.setting)->valueStatus(edit.ref()) == EditableTableModel::RowStatus::Saving)
            saving << EditJournal::savingKey(edit.ref());
    if (auto written = m_journal->write(edits, saving); !written)
        Q_EMIT journalFailed(written.error().userMessage);
}
