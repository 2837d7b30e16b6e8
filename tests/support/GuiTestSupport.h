#pragma once

// What the GUI tests and the screenshot tour do to the real window: answer modal dialogs, find a row, type a value
// into the value editor as a user would.
#include "models/ConfigTableModel.h"
#include "ui/DurationDelegate.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <functional>

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
inline QPushButton *buttonNamed(QWidget *dialog, const QString &text)
{
    for (QPushButton *button : dialog->findChildren<QPushButton *>()) {
        if (button->text().remove(u'&') == text)
            return button;
    }
    return nullptr;
}

// The text of the window's banner named name (errorBanner, restoredBanner, …), its labels joined; empty while the
// banner is hidden.
inline QString bannerText(QWidget *window, const QString &name)
{
    auto *banner = window->findChild<QFrame *>(name);
    if (!banner || !banner->isVisible())
        return {};
    QStringList texts;
    for (QLabel *label : banner->findChildren<QLabel *>())
        texts << label->text();
    return texts.join(u'\n');
}

// The view row showing channel × state, or -1.
inline int rowOf(QTableView *view, const QString &channel, const QString &state)
{
    QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, ConfigTableModel::Channel).data().toString() == channel &&
            model->index(row, ConfigTableModel::State).data().toString() == state)
            return row;
    }
    return -1;
}

// The value editor now open (a closed one lingers hidden until deleted), or null.
inline DurationLineEdit *openEditor(QTableView *view)
{
    for (auto *editor : view->viewport()->findChildren<DurationLineEdit *>()) {
        if (editor->isVisible())
            return editor;
    }
    return nullptr;
}

// Opens the editor on a row with F2, types text and presses Enter, then waits for the editor to close (the delegate
// commits from the event loop, as after a real key press).
inline void typeValue(QTableView *view, int row, const QString &text)
{
    // F2 is a window shortcut: it reaches an active window only (a dialog may just have closed).
    QApplication::setActiveWindow(view->window());
    (void)QTest::qWaitForWindowActive(view->window());
    view->setFocus();
    view->setCurrentIndex(view->model()->index(row, ConfigTableModel::Channel));
    QTest::keyClick(view, Qt::Key_F2);
    DurationLineEdit *editor = openEditor(view);
    if (!editor)
        return;
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    (void)QTest::qWaitFor([view] { return !openEditor(view); }, 5000);
}

} // namespace GuiTestSupport
