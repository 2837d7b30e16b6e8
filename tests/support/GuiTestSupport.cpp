#include "GuiTestSupport.h"

#include "models/ConfigTableModel.h"
#include "ui/DurationDelegate.h"

#include <QAbstractItemModel>
#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

namespace GuiTestSupport {

QPushButton *buttonNamed(QWidget *dialog, const QString &text)
{
    for (QPushButton *button : dialog->findChildren<QPushButton *>()) {
        if (button->text().remove(u'&') == text)
            return button;
    }
    return nullptr;
}

QString bannerText(QWidget *window, const QString &name)
{
    auto *banner = window->findChild<QFrame *>(name);
    if (!banner || !banner->isVisible())
        return {};
    QStringList texts;
    for (QLabel *label : banner->findChildren<QLabel *>())
        texts << label->text();
    return texts.join(u'\n');
}

int rowOf(QTableView *view, const QString &channel, const QString &state)
{
    QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, ConfigTableModel::Channel).data().toString() == channel &&
            model->index(row, ConfigTableModel::State).data().toString() == state)
            return row;
    }
    return -1;
}

DurationLineEdit *openEditor(QTableView *view)
{
    for (auto *editor : view->viewport()->findChildren<DurationLineEdit *>()) {
        if (editor->isVisible())
            return editor;
    }
    return nullptr;
}

void typeValue(QTableView *view, int row, const QString &text)
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
