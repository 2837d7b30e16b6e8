// The floor of bench_startup: the least a Qt Widgets program does to show what the editor shows at start — a main
// window with a 24 × 6 table of text (QTableView over a QStandardItemModel) — and nothing else: no sandbox, no
// network, no settings. It quits as autoclose-editor --quit-after-load does (repaint, then exit) once the window
// system has shown the window (its first expose), so the two are timed from launch to the same point.
#include <QApplication>
#include <QHeaderView>
#include <QMainWindow>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QWindow>

using namespace Qt::StringLiterals;

namespace {
class ExposedThenQuit final : public QObject
{
public:
    explicit ExposedThenQuit(QWidget *window)
        : m_window(window)
    { }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Expose && !m_done && m_window->windowHandle()->isExposed()) {
            m_done = true;
            QTimer::singleShot(0, m_window, [this] {
                m_window->repaint();
                QApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QWidget *m_window;
    bool m_done = false;
};
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    QStandardItemModel model(24, 6);
    model.setHorizontalHeaderLabels(
        {u"Channel"_s, u"State"_s, u"Auto-close after"_s, u"Microsoft default"_s, u"Modified on"_s, u"Status"_s});
    for (int row = 0; row < model.rowCount(); ++row)
        for (int column = 0; column < model.columnCount(); ++column)
            model.setItem(row, column, new QStandardItem(u"Row %1, column %2"_s.arg(row + 1).arg(column + 1)));
    QTableView table;
    table.setModel(&model);
    table.horizontalHeader()->setStretchLastSection(true);
    window.setCentralWidget(&table);
    window.resize(1180, 760); // the editor's size
    window.show();
    // Once the window system shows it (its first expose), quit as the editor does on loadFinished: paint now, then
    // leave the event loop.
    ExposedThenQuit quit(&window);
    window.windowHandle()->installEventFilter(&quit);
    return app.exec();
}
