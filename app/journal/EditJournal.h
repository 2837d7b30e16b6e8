#pragma once

#include "models/PendingEdit.h"
#include "models/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

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
    // How the list of values being saved names one: its id for a channel-state value, "<id>/<setting>" otherwise.
    static QString savingKey(const ValueRef &ref);
    // Replaces the journal with these edits, marking those whose save is under way (so that the next start can
    // tell a save interrupted by a crash from an edit never sent); none removes it.
    Result<Done> write(const QList<PendingEdit> &edits, const QStringList &saving = {}) const;
    // The edits written last, and in *saving the ids that were being saved; none when there is no journal. A
    // damaged file is an Error (and is left in place).
    Result<QList<PendingEdit>> read(QStringList *saving = nullptr) const;

    // The file's content, and back: pure, for tests.
    static QByteArray serialize(const QString &environmentKey, const QList<PendingEdit> &edits,
                                const QStringList &saving = {});
    static Result<QList<PendingEdit>> parse(const QByteArray &content, const QString &environmentKey,
                                            QStringList *saving = nullptr);

private:
    QString m_key;
    QString m_path;
};
