#include "app/session/EditSession.h"

#include "app/snapshot/AuditLog.h"
#include "app/snapshot/SnapshotFiles.h"
#include "models/ConfigTableModel.h"

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
        writes << MinutesChange {c.id, c.name, c.etag, c.after};
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
    const QString directory =
        m_settings.beforeDirectory.isEmpty() ? SnapshotFiles::defaultDirectory() : m_settings.beforeDirectory;
    const QString beforePath = QDir(directory).filePath(
        SnapshotFiles::fileName(u"before-apply"_s, before.environmentUrl, QDateTime::currentDateTimeUtc()));
    const auto written = SnapshotFiles::writeAtomically(beforePath, before.toJson());
    if (!written) {
        Error e = written.error();
        e.userMessage = Snapshot::tr("Nothing was applied: the snapshot of the environment as it was could not be "
                                     "kept first. %1")
                            .arg(e.userMessage);
        done(e);
        return;
    }
    QList<Change> changes;
    for (const ApplyPlan::Change &c : plan.changes)
        changes << Change {c.current.id, c.current.name, c.current.etag, c.current.minutes, c.minutes};
    write(changes, DataverseClient::WriteMode::Batch,
          {source, before.environmentUrl, before.organizationId, beforePath}, context,
          [done = std::move(done)](Outcome outcome) { done(std::move(outcome)); });
}

void EditSession::attach(ConfigTableModel *model, const EditJournal &journal)
{
    m_model = model;
    m_journal = journal;
    // Every edit made, changed, undone, saved or dropped is on disk before the user can lose it.
    connect(model, &ConfigTableModel::pendingChanged, this, &EditSession::writeJournal);
}

QString EditSession::label(const QString &id) const
{
    return m_model ? m_model->label(id) : id;
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
    if (!m_model || m_saving || edits.isEmpty())
        return;
    send(edits);
}

void EditSession::send(const QList<PendingEdit> &edits)
{
    QList<Change> changes;
    for (const PendingEdit &edit : edits) {
        const ChannelStateConfig *config = m_model->config(edit.id);
        changes << Change {edit.id, config ? config->name : edit.id, edit.baseEtag, edit.baseMinutes, edit.minutes};
        m_model->markSaving(edit.id);
    }
    setSaving(true);
    Q_EMIT saveStarted(int(edits.size()));
    writeJournal(); // a save under way, should the app not live to see its reply
    save(changes, DataverseClient::WriteMode::Batch, u"editor"_s, this, [this, changes](const Outcome &outcome) {
        // Whatever happens below, no save is under way any more.
        const auto journalAfter = qScopeGuard([this] { writeJournal(); });
        if (!outcome.auditProblem.isEmpty())
            Q_EMIT notice(outcome.auditProblem);
        QList<SavedValue> saved;
        QStringList conflicts;
        QString failure;
        for (qsizetype i = 0; i < outcome.results.size() && i < changes.size(); ++i) {
            const WriteResult &result = outcome.results.at(i);
            const Change &change = changes.at(i);
            if (result.outcome == WriteResult::Outcome::Saved) {
                saved << SavedValue {change.id, label(change.id), change.before, result.minutes, result.etag};
                m_model->markSaved(change.id, result.etag, result.minutes);
            } else if (result.error.kind == Error::Kind::Conflict) {
                conflicts << change.id;
                m_model->markStatus(change.id, ConfigTableModel::RowStatus::Conflict, result.error.describe());
            } else {
                m_model->markStatus(change.id, ConfigTableModel::RowStatus::Failed, result.error.describe());
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
            QStringList ids;
            for (const Change &change : changes)
                ids << change.id;
            resolveConflicts(conflicts, ids);
            return;
        }
        if (!failure.isEmpty())
            Q_EMIT saveFailed(failure);
        Q_EMIT saveFinished(failure.isEmpty());
    });
}

void EditSession::resolveConflicts(const QStringList &refused, const QStringList &saving)
{
    // Read what the server holds now; every edit made over an older version is a conflict to resolve, not only the
    // one the all-or-nothing save stopped at.
    setSaving(true);
    m_client->fetchConfigurations(this, [this, refused, saving](Result<QList<ChannelStateConfig>> configs) {
        setSaving(false);
        if (!configs) {
            Q_EMIT saveFailed(tr("A colleague changed %1 meanwhile, and the current values could not be read: %2")
                                  .arg(label(refused.first()), configs.error().describe()));
            Q_EMIT saveFinished(false);
            return;
        }
        m_model->reset(std::move(configs).value());
        QStringList ids;
        for (const PendingEdit &edit : m_model->pendingEdits()) {
            const ChannelStateConfig *config = m_model->config(edit.id);
            if (config && config->etag != edit.baseEtag)
                ids << edit.id;
        }
        QStringList held; // left pending by the user's choice: not sent again now
        bool overwriting = false;
        QString editId;
        for (const QString &id : ids) {
            const ChannelStateConfig *config = m_model->config(id);
            const auto edit = m_model->pending(id);
            if (!config || !edit)
                continue;
            m_model->markStatus(id, ConfigTableModel::RowStatus::Conflict,
                                tr("Changed by someone else after you began editing; your value was not saved."));
            const Decision decision = m_resolver
                ? m_resolver(
                      Conflict {id, label(id), config->minutes, config->modifiedOn, edit->minutes, edit->baseMinutes})
                : Decision::Later;
            switch (decision) {
            case Decision::KeepTheirs:
                m_model->clearPending(id);
                break;
            case Decision::Overwrite:
                m_model->rebase(id);
                overwriting = true;
                break;
            case Decision::Edit:
                m_model->rebase(id);
                editId = id;
                held << id;
                break;
            case Decision::Later:
                held << id;
                break;
            }
        }
        // The rest of what the user confirmed was held back only because the save was all-or-nothing: send it now,
        // with the values the user chose to overwrite, each checked against the version just read.
        QList<PendingEdit> resend;
        for (const PendingEdit &edit : m_model->pendingEdits()) {
            if (saving.contains(edit.id) && !held.contains(edit.id))
                resend << edit;
        }
        if (!resend.isEmpty() && (overwriting || held.isEmpty())) {
            send(resend);
            return;
        }
        if (!editId.isEmpty())
            Q_EMIT editRequested(editId);
        Q_EMIT notice(m_model->hasPendingEdits() ? tr("Some edits are still unsaved; press Ctrl+S when they are ready.")
                                                 : tr("Conflicts resolved; nothing left to save."));
        Q_EMIT saveFinished(false);
    });
}

void EditSession::undoLastSave()
{
    if (!m_model || m_saving || m_lastSave.isEmpty())
        return;
    QList<Change> changes;
    for (const SavedValue &value : std::as_const(m_lastSave)) {
        const ChannelStateConfig *config = m_model->config(value.id);
        changes << Change {value.id, config ? config->name : value.label, value.etag, value.after, value.before};
        m_model->markSaving(value.id);
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
                 if (result.outcome == WriteResult::Outcome::Saved) {
                     m_model->markSaved(result.id, result.etag, result.minutes);
                 } else {
                     left << undone.at(i);
                     m_model->markStatus(result.id,
                                         result.error.kind == Error::Kind::Conflict
                                             ? ConfigTableModel::RowStatus::Conflict
                                             : ConfigTableModel::RowStatus::Failed,
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
    if (!m_model || !m_journal)
        return recovery;
    m_journalLive = true;
    QStringList wasSaving;
    const auto kept = m_journal->read(&wasSaving);
    if (!kept) {
        recovery.unreadable = kept.error();
        return recovery;
    }
    QList<PendingEdit> restore;
    Outcome found; // for the audit log, which the interrupted save never reached
    for (const PendingEdit &edit : kept.value()) {
        const ChannelStateConfig *config = m_model->config(edit.id);
        if (!config || config->etag == edit.baseEtag || config->minutes != edit.minutes) {
            restore << edit;
            continue;
        }
        m_model->markStatus(edit.id, ConfigTableModel::RowStatus::Saved,
                            tr("The server already holds this value from your last session."));
        if (!wasSaving.contains(edit.id)) {
            recovery.sameValueSetMeanwhile << label(edit.id);
            continue;
        }
        recovery.savedByInterruptedSave << label(edit.id);
        found.changes << Change {edit.id, config->name, edit.baseEtag, edit.baseMinutes, edit.minutes};
        WriteResult result;
        result.id = edit.id;
        result.outcome = WriteResult::Outcome::Saved;
        result.etag = config->etag;
        result.minutes = config->minutes;
        result.confirmedByReading = true;
        found.results << result;
    }
    const QList<PendingEdit> gone = m_model->restorePending(restore);
    recovery.restored = int(restore.size() - gone.size());
    recovery.gone = int(gone.size());
    for (const PendingEdit &edit : std::as_const(restore)) {
        const ConfigTableModel::RowStatus status = m_model->status(edit.id);
        recovery.changedOnServer += status == ConfigTableModel::RowStatus::ServerChanged ? 1 : 0;
        recovery.notArrived += status == ConfigTableModel::RowStatus::Pending && wasSaving.contains(edit.id) ? 1 : 0;
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
    if (!m_model || !m_journal || !m_journalLive)
        return; // before the first load there is nothing of the user's to keep, and the journal must not be lost
    QStringList saving;
    for (const PendingEdit &edit : m_model->pendingEdits())
        if (m_model->status(edit.id) == ConfigTableModel::RowStatus::Saving)
            saving << edit.id;
    if (auto written = m_journal->write(m_model->pendingEdits(), saving); !written)
        Q_EMIT journalFailed(written.error().userMessage);
}
