#include "ui/Actions.h"

#include <QAction>
#include <QApplication>

QIcon Actions::themed(const QString &themeName, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(themeName, QApplication::style()->standardIcon(fallback));
}

void Actions::setToolTip(QAction *action, const QString &what, const QKeySequence &shortcut)
{
    const QKeySequence keys = shortcut.isEmpty() ? action->shortcut() : shortcut;
    action->setToolTip(
        keys.isEmpty()
            ? what
            : QApplication::translate("Actions", "%1 (%2)").arg(what, keys.toString(QKeySequence::NativeText)));
}
