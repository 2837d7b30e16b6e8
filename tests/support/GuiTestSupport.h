#pragma once

// What the GUI tests and the screenshot tour do to the real window: answer modal dialogs, find a row, type a value
// into the value editor as a user would.
#include <QApplication>
#include <QObject>
#include <QTimer>

#include <functional>

class DurationLineEdit;
class QPushButton;
class QTableView;
class QWidget;

namespace GuiTestSupport {

// Acts on the next modal dialog of type T as soon as it is shown (dialogs run their own event loop). The watcher
// belongs to owner, so that none outlives the test that set it.
template<typename T>
void whenDialog(QObject *owner, std::function<void(T *)> action)
{
    auto *timer = new QTimer(owner);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, action] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            action(dialog);
        }
    });
    timer->start();
}

// The push button of a dialog (or any widget) whose text, without its mnemonic, is text; or null.
QPushButton *buttonNamed(QWidget *dialog, const QString &text);

// The text of the window's banner named name (errorBanner, restoredBanner, …), its labels joined; empty while the
// banner is hidden.
QString bannerText(QWidget *window, const QString &name);

// The view row showing channel × state, or -1.
int rowOf(QTableView *view, const QString &channel, const QString &state);

// The value editor now open (a closed one lingers hidden until deleted), or null.
DurationLineEdit *openEditor(QTableView *view);

// Opens the editor on a row with F2, types text and presses Enter, then waits for the editor to close (the delegate
// commits from the event loop, as after a real key press).
void typeValue(QTableView *view, int row, const QString &text);

} // namespace GuiTestSupport
