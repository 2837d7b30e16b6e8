#pragma once

#include <QIcon>
#include <QKeySequence>
#include <QStyle>

class QAction;

// How the window's actions look: icons from the platform's theme where there is one (Linux desktops), else Qt's
// standard icons, which ship with Qt on every platform; tooltips that name the shortcut.
namespace Actions {

QIcon themed(const QString &themeName, QStyle::StandardPixmap fallback);
// "what (Ctrl+S)": the action's first shortcut, or the one given, in the platform's notation.
void setToolTip(QAction *action, const QString &what, const QKeySequence &shortcut = {});

} // namespace Actions
