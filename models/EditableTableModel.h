#pragma once

#include "models/PendingEdit.h"
#include "models/TimerSetting.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include <optional>

// A table of values the user edits and EditSession saves (the channel-state configurations, the workstreams): what
// the session needs of it, whichever table it is. A value is a setting of one record (ValueRef); each keeps its
// pending edit, made over the record's version, and what became of its last save.
class EditableTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditableTableModel)
public:
    // The roles every editable table answers; MinutesRole and the rest are of the value the cell shows.
    enum Role {
        SortRole = Qt::UserRole + 1, // a value that sorts naturally: minutes as numbers, "Never" last
        IdRole, // the record's id
        MinutesRole, // the value shown: the pending edit's, else the server's; an invalid QVariant for "never"
        ServerMinutesRole, // the server's value, as last read
        PendingRole, // bool: the row has an unsaved edit
        RisksRole, // the shown value's risks (EditRisks), one per line; empty when none
        StatusRole, // RowStatus, as int
        StreamSourceRole, // the channel's stream source code, or invalid
        SettingRole, // the TimerSetting of the value a cell shows, as int; invalid for a cell that shows none
    };
    enum class RowStatus {
        Unchanged,
        Pending, // edited, not saved
        ServerChanged, // edited, and the server's value changed since: saving will be refused as a conflict
        Saving,
        Saved,
        Conflict, // the save was refused: someone changed the record meanwhile
        Failed, // the save was refused for another reason, or never arrived
    };
    Q_ENUM(RowStatus)

    // A value as the server last gave it.
    struct ServerValue
    {
        QString name; // the record's msdyn_name, for the audit log
        QString etag;
        std::optional<int> minutes;
        QDateTime modifiedOn;
    };

    using QAbstractTableModel::QAbstractTableModel;

    // Whether values of this setting are held here.
    virtual bool holds(TimerSetting setting) const = 0;
    virtual std::optional<ServerValue> serverValue(const ValueRef &ref) const = 0;
    // How messages name a value: "Live chat · Open", "SMS workstream · Auto-close after inactivity".
    virtual QString valueLabel(const ValueRef &ref) const = 0;

    virtual QList<PendingEdit> pendingEdits() const = 0; // in row order
    virtual bool hasPendingEdits() const = 0;
    virtual std::optional<PendingEdit> pendingEdit(const ValueRef &ref) const = 0;
    // Makes (or changes) an edit over the record's current server version; a value equal to the server's drops it.
    virtual void setPendingValue(const ValueRef &ref, std::optional<int> minutes) = 0;
    virtual void dropPending(const ValueRef &ref) = 0;
    // Restores edits (from the journal) exactly as they were, versions included; returns those whose record is
    // not here.
    virtual QList<PendingEdit> restorePending(const QList<PendingEdit> &edits) = 0;
    // Moves an edit onto the record's current server version: the user has seen the colleague's value and keeps
    // theirs over it.
    virtual void rebaseValue(const ValueRef &ref) = 0;

    // What became of a save: the new version and value, with the pending edit gone; or a refusal (Conflict, Failed),
    // or a status found otherwise, with why.
    virtual void markValueSaving(const ValueRef &ref) = 0;
    virtual void markValueSaved(const ValueRef &ref, const QString &etag, std::optional<int> minutes) = 0;
    virtual void markValueStatus(const ValueRef &ref, RowStatus status, const QString &message) = 0;
    virtual RowStatus valueStatus(const ValueRef &ref) const = 0;

    // The row of a record, or -1 when it is not here.
    virtual int rowOf(const QString &id) const = 0;

    // Risks known from elsewhere (the closure preview: "N conversations would close at the next run"), by value, shown
    // with the rule-based ones; replaces the previous notes. A note of a value not held here is shown nowhere, so one
    // set of notes serves every table.
    void setRiskNotes(const QHash<ValueRef, QString> &notes);

Q_SIGNALS:
    // The set of pending edits changed (made, changed, undone, saved or dropped).
    void pendingChanged();

protected:
    QString riskNote(const ValueRef &ref) const { return m_riskNotes.value(ref); }

private:
    QHash<ValueRef, QString> m_riskNotes;
};
