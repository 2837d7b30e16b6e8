#pragma once

#include "app/dataverse/DataverseClient.h"
#include "app/journal/EditJournal.h"
#include "models/PendingEdit.h"
#include "models/Result.h"
#include "models/Snapshot.h"
#include "models/SnapshotDiff.h"
#include "models/TimerSetting.h"

#include <QObject>

#include <functional>
#include <optional>

class ConfigTableModel;
class EditableTableModel;

// Every write to an environment goes through here, whoever asks: the window's pending edits and its "undo last
// save", the apply wizard, and the CLI's set and apply. It saves with If-Match, finds the conflicts and has them
// decided (the window asks the user through a resolver; a plan applied from a file reports them), keeps the journal
// of unsaved edits and recovers it at the next start, and appends what every save did to the audit log. It holds no
// widget: the window shows what it reports, the CLI prints it.
class EditSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditSession)
public:
    // One value to write, with the value it replaces.
    struct Change
    {
        QString id;
        QString name; // the record's msdyn_name, for messages and the audit log
        QString etag; // the version the change is made over, sent as If-Match; empty: any version
        std::optional<int> before;
        std::optional<int> after; // empty: never auto-close
        TimerSetting setting = TimerSetting::ChannelState;
    };

    // What a save did, record by record.
    struct Outcome
    {
        QList<Change> changes;
        QList<WriteResult> results; // one per change, in order
        QString beforeSnapshot; // apply: the file written before anything was sent
        QString auditProblem; // set when the audit log could not be written (the changes were still made)

        qsizetype count(WriteResult::Outcome outcome) const;
        bool allSaved() const { return count(WriteResult::Outcome::Saved) == results.size(); }
        // The error that best describes a failed save (a conflict before anything else), for exit codes.
        std::optional<Error> firstError() const;
    };

    struct Settings
    {
        QString user; // for the audit log: the signed-in account; WhoAmI's user id when empty and known
        QString beforeDirectory; // apply's "before apply" snapshots (default: SnapshotFiles::defaultDirectory())
    };

    // client is not owned and must outlive the session.
    EditSession(DataverseClient *client, Settings settings, QObject *parent = nullptr);

    DataverseClient *client() const { return m_client; }
    // Who is signed in, as WhoAmI says: written to the audit log with every change.
    void setIdentity(const QString &organizationId, const QString &userId);
    QString auditUser() const;

    // Writes the changes (one all-or-nothing $batch, or one PATCH each) and appends an audit entry per record (to
    // AuditLog::defaultPath()), also when context is destroyed meanwhile; done is then not called.
    void save(const QList<Change> &changes, DataverseClient::WriteMode mode, const QString &source, QObject *context,
              std::function<void(Outcome)> done);

    // Applies a plan computed against before (the environment as just read): refuses a plan it cannot apply (an
    // ambiguous record or workstream, a workstream matched to nothing, a required value emptied, a value outside the
    // range the environment's metadata gives), keeps before in a file (nothing is sent when that fails), then saves
    // every change, the records' and the workstreams', at once (results in ApplyPlan::items() order). A conflict
    // overwrites nothing; it is reported per record. done gets an Error only when nothing was sent; like save, the
    // audit log is written whatever becomes of context once the save is sent.
    void apply(const ApplyPlan &plan, const Snapshot &before, const QString &source, QObject *context,
               std::function<void(Result<Outcome>)> done);

    // --- The window's pending edits: held by table models (the channel-state values, the workstreams), kept in one
    // journal that is rewritten whenever they change. Without a model (the CLI), the session saves and applies only
    // what it is given.
    void attach(ConfigTableModel *model, const EditJournal &journal);
    // Reads what the server holds now into a table (after a conflict); done gets an Error when it could not.
    using Reload = std::function<void(QObject *context, std::function<void(std::optional<Error>)> done)>;
    // Another table of values, saved, journalled and undone with the first; attach first.
    void addTable(EditableTableModel *model, Reload reload);

    // A record changed by someone else after the user's edit began, and what to do about it.
    struct Conflict
    {
        QString id;
        TimerSetting setting = TimerSetting::ChannelState;
        QString label; // "Live chat · Open"
        std::optional<int> theirs;
        QDateTime theirsModifiedOn;
        std::optional<int> yours;
        std::optional<int> base; // the value the user's edit started from
    };
    enum class Decision {
        Later, // keep the edit pending, unsent
        KeepTheirs, // drop the edit
        Overwrite, // send the edit over their version
        Edit, // keep the edit over their version, and open it in the editor
    };
    using Resolver = std::function<Decision(const Conflict &)>;
    // Asked once per conflicting record, in row order, after a save was refused. Without one, every conflict is
    // left for later.
    void setResolver(Resolver resolver) { m_resolver = std::move(resolver); }

    bool isSaving() const { return m_saving; }
    // Saves these pending edits in one all-or-nothing batch, each checked against the version it was typed over.
    // Conflicts are read from the server and decided through the resolver; the rest of the save is then sent again.
    void saveEdits(const QList<PendingEdit> &edits);

    // The values the last save replaced, and their versions after it: what "undo last save" puts back.
    struct SavedValue
    {
        QString id;
        QString label;
        std::optional<int> before;
        std::optional<int> after;
        QString etag; // the version the save produced
        TimerSetting setting = TimerSetting::ChannelState;
        ValueRef ref() const { return {id, setting}; }
    };
    const QList<SavedValue> &lastSave() const { return m_lastSave; }
    // Puts back the values the last save replaced, each with If-Match, one by one; a record changed since is left
    // as it is and reported.
    void undoLastSave();

    // After the first load: brings back the edits the journal kept. An edit the server now holds over a newer
    // version needs no saving (the app was closed mid-save after the server acted, or someone set the same value);
    // the journal says which, and the former goes into the audit log, which the interrupted save never reached.
    struct Recovery
    {
        std::optional<Error> unreadable; // the journal could not be read; it is left in place
        int restored = 0;
        int notArrived = 0; // restored, and being saved when the app closed: that save never reached the server
        int changedOnServer = 0; // restored, and the server's value changed since
        QStringList savedByInterruptedSave; // labels
        QStringList sameValueSetMeanwhile; // labels
        int gone = 0; // their record no longer exists
        bool any() const
        {
            return unreadable || restored > 0 || !savedByInterruptedSave.isEmpty() ||
                !sameValueSetMeanwhile.isEmpty() || gone > 0;
        }
    };
    Recovery recoverJournal();
    QString journalPath() const { return m_journal ? m_journal->path() : QString(); }
    // Rewrites the journal with the model's pending edits (those being saved marked as such); journalFailed says
    // when it cannot.
    void writeJournal();

Q_SIGNALS:
    void savingChanged(bool saving);
    // A save of count edits (or its resend after conflicts) is on its way.
    void saveStarted(int count);
    // count values reached the server (they are no longer edits).
    void changesSaved(int count);
    // A save or an undo ended with records left unsaved for another reason than a conflict; text says why.
    void saveFailed(const QString &text);
    // A save or an undo of one has ended, conflicts included; ok when everything asked for was saved.
    void saveFinished(bool ok);
    // Something the user should read in passing (the audit log could not be written, conflicts settled, …).
    void notice(const QString &text);
    void journalFailed(const QString &message);
    // The user chose to edit their value after a conflict: open it in the editor.
    void editRequested(const QString &id, TimerSetting setting);

private:
    void send(const QList<PendingEdit> &edits);
    // refused: the records the server refused as changed; saving: every record of the save they interrupted.
    void resolveConflicts(const QList<ValueRef> &refused, const QList<ValueRef> &saving);
    void setSaving(bool saving);
    // Where an outcome goes in the audit log, beyond its changes and results.
    struct AuditContext
    {
        QString source; // "editor", "apply <file>", "set", …
        QString environmentUrl;
        QString organizationId;
        QString beforeSnapshot;
    };
    void write(const QList<Change> &changes, DataverseClient::WriteMode mode, const AuditContext &audit,
               QObject *context, std::function<void(Outcome)> done);
    // Appends an entry per record; returns why it could not, or nothing.
    QString appendToAuditLog(const Outcome &outcome, const AuditContext &audit) const;
    QString label(const ValueRef &ref) const;
    // The table holding values of this setting, or null.
    EditableTableModel *tableOf(TimerSetting setting) const;
    QList<PendingEdit> allPendingEdits() const;
    bool anyPendingEdits() const;
    // Reads every table again, one after the other from index on; done gets the first Error.
    void reloadTables(qsizetype index, std::function<void(std::optional<Error>)> done);

    DataverseClient *m_client;
    Settings m_settings;
    QString m_organizationId;
    QString m_userId;
    struct Table
    {
        EditableTableModel *model = nullptr;
        Reload reload;
    };
    QList<Table> m_tables;
    std::optional<EditJournal> m_journal;
    bool m_journalLive = false; // written only once recovered: before that it holds what a restart must find
    Resolver m_resolver;
    QList<SavedValue> m_lastSave;
    bool m_saving = false;
};
