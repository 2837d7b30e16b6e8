#pragma once

#include "models/PendingEdit.h"
#include "models/Result.h"

#include <QList>
#include <QString>
#include <QUrl>

// The pending edits of one environment on disk, rewritten atomically (QSaveFile) after every edit, so that a crash
// or a kill loses nothing the user typed; read back on the next start. Readable by the user only.
class EditJournal final
{
public:
    // The journal of the environment at orgUrl, in directory dir (the per-user data directory by default).
    EditJournal(const QUrl &orgUrl, const QString &dir);
    static QString defaultDirectory();

    QString path() const { return m_path; }
    // Replaces the journal with these edits; none removes it.
    Result<Done> write(const QList<PendingEdit> &edits) const;
    // The edits written last; none when there is no journal. A damaged file is an Error (and is left in place).
    Result<QList<PendingEdit>> read() const;

    // The file's content, and back: pure, for tests.
    static QByteArray serialize(const QUrl &orgUrl, const QList<PendingEdit> &edits);
    static Result<QList<PendingEdit>> parse(const QByteArray &content, const QUrl &orgUrl);

private:
    QUrl m_orgUrl;
    QString m_path;
};
