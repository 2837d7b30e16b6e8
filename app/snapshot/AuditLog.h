#pragma once

#include "models/Result.h"
#include "models/TimerSetting.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

// The local record of every change applied to an environment: one JSON object per line, appended, never rewritten
// (who, when, environment, record, old → new, result). Kept in <SnapshotFiles::dataDirectory()>/audit.jsonl, readable
// by the user only.
class AuditLog
{
    Q_DECLARE_TR_FUNCTIONS(AuditLog)
public:
    struct Entry
    {
        QDateTime at;
        QString user; // the signed-in account or WhoAmI user id, as known
        QString osUser;
        QString environmentUrl;
        QString organizationId;
        QString recordId;
        QString recordName;
        std::optional<int> oldMinutes;
        std::optional<int> newMinutes;
        QString result; // "saved", "failed", "not-saved"
        QString error; // why, when not saved
        QString source; // "apply <file>", "set", "editor"
        QString beforeSnapshot; // the file written before the apply, if any
        TimerSetting setting = TimerSetting::ChannelState; // which value of the record

        friend bool operator==(const Entry &, const Entry &) = default;
    };

    explicit AuditLog(QString path = defaultPath());
    QString path() const { return m_path; }

    // Appends the entries (one write, each a line) and flushes them to disk.
    Result<Done> append(const QList<Entry> &entries) const;
    // Every entry in order; a damaged line (a crash mid-line) is skipped and counted in skipped.
    Result<QList<Entry>> read(int *skipped = nullptr) const;

    static QString defaultPath();
    static QString currentOsUser();

private:
    QString m_path;
};
