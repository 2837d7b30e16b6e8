#include "ui/RecoveryMessage.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QString RecoveryMessage::text(const EditSession::Recovery &recovery, const QString &journalPath)
{
    if (recovery.unreadable) {
        return QCoreApplication::translate("RecoveryMessage", "%1 The file is kept at %2; nothing was restored.")
            .arg(recovery.unreadable->userMessage.toHtmlEscaped(), journalPath.toHtmlEscaped());
    }
    QStringList text;
    if (recovery.restored > 0)
        text << QCoreApplication::translate(
            "RecoveryMessage",
            "<b>%n unsaved edit(s) from your last session were restored.</b> Review them, then save "
            "(Ctrl+S) or discard them.",
            nullptr, recovery.restored);
    if (recovery.notArrived > 0)
        text << QCoreApplication::translate(
            "RecoveryMessage", "%n of them were being saved when the app closed; that save did not reach the server.",
            nullptr, recovery.notArrived);
    if (recovery.changedOnServer > 0)
        text << QCoreApplication::translate(
            "RecoveryMessage",
            "%n of them changed on the server since you typed them; saving will ask which value to keep.", nullptr,
            recovery.changedOnServer);
    if (const QStringList &saved = recovery.savedByInterruptedSave; !saved.isEmpty())
        text << QCoreApplication::translate(
                    "RecoveryMessage",
                    "<b>%n edit(s) you were saving when the app closed reached the server</b> and are saved: %1.",
                    nullptr, int(saved.size()))
                    .arg(saved.join(u", "_s).toHtmlEscaped());
    if (const QStringList &same = recovery.sameValueSetMeanwhile; !same.isEmpty())
        text << QCoreApplication::translate(
                    "RecoveryMessage",
                    "%n edit(s) from your last session need no saving: someone set the same value meanwhile: %1.",
                    nullptr, int(same.size()))
                    .arg(same.join(u", "_s).toHtmlEscaped());
    if (recovery.gone > 0)
        text << QCoreApplication::translate("RecoveryMessage", "%n could not be restored: the record no longer exists.",
                                            nullptr, recovery.gone);
    return text.join(u' ');
}
