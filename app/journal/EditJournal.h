#pragma once

#include "models/PendingEdit.h"
#include "models/Result.h"

#include <QList>
#include <QString>

// The pending edits of one environment on disk, rewritten atomically (QSaveFile) after every edit, so that a crash
// or a kill loses nothing the user typed; read back on the next start. Readable by the user only.
class EditJournal final
{
public:
    // The journal of one environment, in directory dir (the per-user data directory by default). The key names the
    // environment stably across runs: its org URL, or "demo" for the Demo environment, whose port changes each run.
    EditJournal(const QString &environmentKey, const QString &dir);
    static QString defaultDirectory();

    QString path() const { return m_path; }
    // Replaces the journal with these edits; none removes it.
    Result<Done> write(const QList<PendingEdit> &edits) const;
    // The edits written last; none when there is no journal. A damaged file is an Error (and is left in place).
    Result<QList<PendingEdit>> read() const;

    // The file's content, and back: pure, for tests.
    static QByteArray serialize(const QString &environmentKey, const QList<PendingEdit> &edits);
    static Result<QList<PendingEdit>> parse(const QByteArray &content, const QString &environmentKey);

private:
    QString m_key;
    QString m_path;
};
