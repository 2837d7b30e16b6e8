// The overview as a user meets it: the real window at 1280×800, offscreen, on a sandbox on 127.0.0.1 — every
// channel and state in one grid without scrolling, driven from the keyboard (move, type, reset, undo), one selection
// shared with the details list, accessible names on every control and cell, nothing cut off, a stable toolbar, and
// what the window remembers between runs.
#include "GuiTestSupport.h"
#include "WindowTestServer.h"
#include "app/common/Translations.h"
#include "models/ChannelGridModel.h"
#include "models/ConfigTableModel.h"
#include "ui/DurationDelegate.h"
#include "ui/MainWindow.h"
#include "ui/OverviewGrid.h"
#include "ui/PreviewPanel.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
// The overview's cell of channel × state, as the view shows it.
QModelIndex cell(OverviewGrid *grid, const QString &channel, int column)
{
    for (int row = 0; row < grid->model()->rowCount(); ++row) {
        if (grid->model()->headerData(row, Qt::Vertical).toString() == channel)
            return grid->model()->index(row, column);
    }
    return {};
}

QString valueOf(ConfigTableModel *model, const QString &id)
{
    return model->index(model->rowOf(id), ConfigTableModel::AutoClose).data().toString();
}

// The widest text of a header section plus the style's margins (and its icon) fits the section.
bool fits(QHeaderView *header, int section)
{
    const QString text = header->model()->headerData(section, header->orientation()).toString();
    const QFontMetrics metrics(header->font());
    const int margin = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
    int needed = metrics.horizontalAdvance(text) + 2 * margin;
    if (!header->model()->headerData(section, header->orientation(), Qt::DecorationRole).isNull())
        needed += header->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, header) + margin;
    const int room = header->orientation() == Qt::Horizontal ? header->sectionSize(section) : header->width();
    return needed <= room;
}
} // namespace

class TestOverviewGrid : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QSettings().clear(); // a first run: no remembered view, splitter or dismissed hint
        m_server = SandboxFixture::start();
        QVERIFY(m_server);
    }
    void cleanup() { m_server.reset(); }

    void everyChannelAndStateFitsAt1280x800()
    {
        auto window = openWindow();
        QVERIFY(window);
        QCOMPARE(window->view(), MainWindow::View::Overview); // the default for a new user
        OverviewGrid *grid = window->overview();
        QVERIFY(grid->isVisible());
        ChannelGridModel *model = grid->gridModel();
        QCOMPARE(model->rowCount(), 6);
        // Each of the 24 records in exactly one cell, showing the details list's value for it.
        int records = 0;
        for (const ChannelStateConfig &config : window->model()->configs()) {
            const QModelIndex at = model->indexOf(config.id);
            QVERIFY2(at.isValid(), qPrintable(config.id));
            QCOMPARE(at.data().toString(), Duration::format(config.minutes));
            QCOMPARE(model->headerData(at.row(), Qt::Vertical).toString(), config.channelLabel());
            QCOMPARE(ChannelGridModel::stateOf(at.column()), config.state);
            ++records;
        }
        QCOMPARE(records, 24);
        // No scrolling: every cell lies inside the viewport, whole.
        QTRY_VERIFY(!grid->verticalScrollBar()->isVisible());
        for (int row = 0; row < grid->model()->rowCount(); ++row) {
            for (int column = 0; column < ChannelGridModel::ColumnCount; ++column) {
                const QRect rect = grid->visualRect(grid->model()->index(row, column));
                QVERIFY2(grid->viewport()->rect().contains(rect),
                         qPrintable(u"row %1 column %2 is cut off"_s.arg(row).arg(column)));
            }
        }
        // Nothing elided: the state headers, the channel names with their icons, and every cell's value and note.
        for (int column = 0; column < ChannelGridModel::ColumnCount; ++column)
            QVERIFY2(fits(grid->horizontalHeader(), column), qPrintable(u"header %1"_s.arg(column)));
        for (int row = 0; row < grid->model()->rowCount(); ++row)
            QVERIFY2(fits(grid->verticalHeader(), row),
                     qPrintable(grid->model()->headerData(row, Qt::Vertical).toString()));
        window->model()->setPending(window->model()->configs().first().id,
                                    36 * 60 + 1); // a long note: "edited · was …"
        for (int row = 0; row < grid->model()->rowCount(); ++row) {
            for (int column = 0; column < ChannelGridModel::ColumnCount; ++column) {
                QStyleOptionViewItem option;
                option.initFrom(grid);
                const QModelIndex index = grid->model()->index(row, column);
                const QSize wanted = grid->itemDelegate()->sizeHint(option, index);
                QVERIFY2(
                    wanted.width() <= grid->columnWidth(column) && wanted.height() <= grid->rowHeight(row),
                    qPrintable(index.data().toString() + u" · "_s + index.data(ChannelGridModel::NoteRole).toString()));
            }
        }
    }

    void theKeyboardMovesEditsResetsAndUndoes()
    {
        auto window = openWindow();
        QVERIFY(window);
        OverviewGrid *grid = window->overview();
        ConfigTableModel *model = window->model();
        const QString liveChatOpen =
            model->configs().at(rowOfRecord(model, u"Live chat"_s, ConversationState::Open)).id;
        QCOMPARE(valueOf(model, liveChatOpen), u"20 min"_s);

        // Arrows move from cell to cell.
        grid->setFocus();
        grid->setCurrentIndex(cell(grid, u"Live chat"_s, ChannelGridModel::Active));
        QTest::keyClick(grid, Qt::Key_Left);
        QCOMPARE(grid->currentIndex(), cell(grid, u"Live chat"_s, ChannelGridModel::Open));
        QTest::keyClick(grid, Qt::Key_Down);
        QCOMPARE(grid->currentIndex().column(), int(ChannelGridModel::Open));
        QCOMPARE(grid->currentIndex().row(), cell(grid, u"Live chat"_s, 0).row() + 1);
        QTest::keyClick(grid, Qt::Key_Up);
        QCOMPARE(grid->currentIndex(), cell(grid, u"Live chat"_s, ChannelGridModel::Open));

        // Typing starts the editor with what is typed; Enter takes it, onto the undo stack.
        QTest::keyClicks(grid, u"4"_s);
        DurationLineEdit *editor = GuiTestSupport::openEditor(grid);
        QVERIFY(editor);
        QTest::keyClicks(editor, u"5"_s);
        QCOMPARE(editor->text(), u"45"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!GuiTestSupport::openEditor(grid));
        QCOMPARE(valueOf(model, liveChatOpen), u"45 min"_s);
        QCOMPARE(model->pending(liveChatOpen)->minutes, std::optional<int>(45));
        const QModelIndex at = cell(grid, u"Live chat"_s, ChannelGridModel::Open);
        QCOMPARE(at.data(ChannelGridModel::NoteRole).toString(), u"edited · was 20 min"_s);

        // F2 edits the current cell too; a bad value is refused and kept in the editor.
        QTest::keyClick(window.get(), Qt::Key_F2);
        editor = GuiTestSupport::openEditor(grid);
        QVERIFY(editor);
        QCOMPARE(editor->text(), u"45 min"_s);
        editor->selectAll();
        QTest::keyClicks(editor, u"soon"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QCOMPARE(GuiTestSupport::openEditor(grid), editor);
        editor->selectAll();
        QTest::keyClicks(editor, u"3"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(!GuiTestSupport::openEditor(grid));
        QCOMPARE(model->pending(liveChatOpen)->minutes, std::optional<int>(3));
        QVERIFY(
            ChannelGridModel::Marks(at.data(ChannelGridModel::MarksRole).toInt()).testFlag(ChannelGridModel::Risky));

        // Ctrl+D puts Microsoft's default back (here the saved value too: no edit is left).
        QTest::keyClick(window.get(), Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(valueOf(model, liveChatOpen), u"20 min"_s);
        QVERIFY(!model->pending(liveChatOpen));

        // Ctrl+Z undoes each step, in order.
        QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueOf(model, liveChatOpen), u"3 min"_s);
        QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueOf(model, liveChatOpen), u"45 min"_s);
        QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(valueOf(model, liveChatOpen), u"20 min"_s);
        QVERIFY(!model->hasPendingEdits());
        QVERIFY(!window->undoStack()->canUndo());

        // Tab leaves the grid for the next control; the arrows are for moving inside it.
        grid->setFocus();
        QTest::keyClick(grid, Qt::Key_Tab);
        QVERIFY(!grid->hasFocus());
        // … which is the preview's first control (the details' filter and list are hidden with their view).
        QVERIFY2(window->previewPanel()->isAncestorOf(QApplication::focusWidget()),
                 QApplication::focusWidget()->metaObject()->className());
        QCOMPARE(QApplication::focusWidget(), window->previewPanel()->timeChoice());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
        QVERIFY(grid->hasFocus());
    }

    void bothViewsShareOneSelection()
    {
        auto window = openWindow();
        QVERIFY(window);
        OverviewGrid *grid = window->overview();
        ConfigTableModel *model = window->model();
        const QModelIndex smsWaiting = cell(grid, u"SMS"_s, ChannelGridModel::Waiting);
        const QString id = smsWaiting.data(ConfigTableModel::IdRole).toString();
        grid->selectionModel()->setCurrentIndex(smsWaiting, QItemSelectionModel::ClearAndSelect);

        // Ctrl+2: the details list, on the same record.
        QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window->view(), MainWindow::View::Details);
        QVERIFY(window->detailsView()->isVisible());
        const QModelIndexList rows = window->detailsView()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().data(ConfigTableModel::IdRole).toString(), id);

        // A row chosen in the details is the overview's cell when going back (Ctrl+1), and Ctrl+D acts on it.
        const int row = GuiTestSupport::rowOf(window->detailsView(), u"Voice"_s, u"Active"_s);
        QTableView *details = window->detailsView();
        QTest::mouseClick(details->viewport(), Qt::LeftButton, {},
                          details->visualRect(details->model()->index(row, ConfigTableModel::State)).center());
        QCOMPARE(details->selectionModel()->selectedRows().size(), 1);
        const QString voiceActive =
            window->detailsView()->model()->index(row, 0).data(ConfigTableModel::IdRole).toString();
        QTest::keyClick(window.get(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window->view(), MainWindow::View::Overview);
        QCOMPARE(grid->selectedIds(), QStringList {voiceActive});
        QCOMPARE(grid->currentIndex(), cell(grid, u"Voice"_s, ChannelGridModel::Active));
        model->setPending(voiceActive, 5);
        QTest::keyClick(window.get(), Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(model->index(model->rowOf(voiceActive), ConfigTableModel::AutoClose).data().toString(),
                 model->index(model->rowOf(voiceActive), ConfigTableModel::Default).data().toString());
        QCOMPARE(model->pending(id), std::nullopt); // the other record was not touched

        // A filter left on the details does not hide the overview's choice: a record it would hide clears it.
        QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
        auto *filter = window->findChild<QLineEdit *>(u"filter"_s);
        filter->setText(u"voice"_s);
        QCOMPARE(window->detailsView()->model()->rowCount(), 4);
        QTest::keyClick(window.get(), Qt::Key_1, Qt::ControlModifier);
        grid->selectionModel()->setCurrentIndex(smsWaiting, QItemSelectionModel::ClearAndSelect);
        QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
        QVERIFY(filter->text().isEmpty());
        QCOMPARE(window->detailsView()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(
            window->detailsView()->selectionModel()->selectedRows().first().data(ConfigTableModel::IdRole).toString(),
            id);
    }

    void everyControlAndCellHasAnAccessibleName()
    {
        auto window = openWindow();
        QVERIFY(window);
        window->model()->setPending(window->model()->configs().first().id, 3);
        for (MainWindow::View view : {MainWindow::View::Overview, MainWindow::View::Details}) {
            window->setView(view);
            QTest::qWait(50);
            QStringList unnamed;
            for (QWidget *widget : window->findChildren<QWidget *>()) {
                const bool interactive =
                    widget->focusPolicy() != Qt::NoFocus || qobject_cast<QAbstractButton *>(widget);
                // A spin box's line edit is part of the spin box, which screen readers are given instead.
                const bool part = widget->parentWidget() && widget->parentWidget()->inherits("QAbstractSpinBox");
                if (!widget->isVisible() || !interactive || part || widget->inherits("QScrollBar"))
                    continue;
                QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
                if (!iface || iface->text(QAccessible::Name).trimmed().isEmpty())
                    unnamed << QString::fromLatin1(widget->metaObject()->className()) + u' ' + widget->objectName();
                // What it does, too (its description, or its tooltip, which screen readers read as one).
                else if (iface->text(QAccessible::Description).trimmed().isEmpty())
                    unnamed << u"(no description) "_s + iface->text(QAccessible::Name);
            }
            QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
        }
        // Every cell of the grid, as a screen reader reads it.
        OverviewGrid *grid = window->overview();
        window->setView(MainWindow::View::Overview);
        QAccessibleInterface *table = QAccessible::queryAccessibleInterface(grid);
        QVERIFY(table && table->tableInterface());
        QCOMPARE(table->tableInterface()->rowCount(), 6);
        for (int row = 0; row < 6; ++row) {
            for (int column = 0; column < ChannelGridModel::ColumnCount; ++column) {
                QAccessibleInterface *cellInterface = table->tableInterface()->cellAt(row, column);
                QVERIFY(cellInterface);
                const QString name = cellInterface->text(QAccessible::Name);
                QVERIFY2(name.contains(u": "_s), qPrintable(name)); // "Live chat, Open: 20 minutes, …"
                QVERIFY(!cellInterface->text(QAccessible::Description).isEmpty());
            }
        }
        const QModelIndex first = grid->gridModel()->indexOf(window->model()->configs().first().id);
        const QString spoken = table->tableInterface()->cellAt(first.row(), first.column())->text(QAccessible::Name);
        QVERIFY2(spoken.contains(u": 3 minutes, "_s) && spoken.contains(u"edited from"_s), qPrintable(spoken));
    }

    void theToolbarKeepsItsLayoutWhileEditing()
    {
        auto window = openWindow();
        QVERIFY(window);
        auto *toolBar = window->findChild<QToolBar *>(u"mainToolBar"_s);
        QVERIFY(toolBar);
        auto *undo = window->findChild<QAction *>(u"toolBarUndo"_s);
        QVERIFY(undo);
        QWidget *refresh = nullptr;
        for (QAction *action : toolBar->actions()) {
            if (action->text() == u"&Refresh"_s)
                refresh = toolBar->widgetForAction(action);
        }
        QVERIFY(refresh);
        const QPoint before = refresh->pos();
        QVERIFY(!undo->isEnabled());
        const QString liveChatOpen =
            window->model()->configs().at(rowOfRecord(window->model(), u"Live chat"_s, ConversationState::Open)).id;
        QTest::keyClick(window.get(), Qt::Key_D, Qt::ControlModifier); // nothing selected: nothing happens
        QVERIFY(!window->model()->hasPendingEdits());
        QVERIFY(!window->undoStack()->canUndo());
        window->overview()->setCurrentIndex(
            window->overview()->fromGrid(window->overview()->gridModel()->indexOf(liveChatOpen)));
        window->overview()->setFocus();
        GuiTestSupport::typeValue(window->overview(), window->overview()->currentIndex().row(), u"3"_s);
        QCOMPARE(window->model()->pending(liveChatOpen)->minutes, std::optional<int>(3));
        QVERIFY(undo->isEnabled());
        QCOMPARE(undo->text(), u"Undo"_s);
        QVERIFY2(undo->toolTip().startsWith(u"Undo Set Live chat · Open to 3 min ("_s), qPrintable(undo->toolTip()));
        QVERIFY2(undo->toolTip().endsWith(QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText) + u')'),
                 qPrintable(undo->toolTip()));
        QApplication::processEvents();
        QCOMPARE(refresh->pos(), before);
        // Every toolbar action has an icon that draws (the theme's or Qt's standard one), and its tooltip names its
        // shortcut when it has one.
        for (QAction *action : toolBar->actions()) {
            if (!action->isSeparator())
                QVERIFY2(!action->icon().pixmap(QSize(22, 22)).isNull(), qPrintable(action->text()));
            if (!action->shortcut().isEmpty())
                QVERIFY2(action->toolTip().contains(action->shortcut().toString(QKeySequence::NativeText)),
                         qPrintable(action->toolTip()));
        }
    }

    void theWindowRemembersItsViewAndSplitter()
    {
        QList<int> sizes;
        {
            auto window = openWindow();
            QVERIFY(window);
            window->resize(1280, 800);
            QTest::keyClick(window.get(), Qt::Key_2, Qt::ControlModifier);
            auto *split = window->findChild<QSplitter *>(u"tablePreviewSplitter"_s);
            split->setSizes({300, split->height() - 300 - split->handleWidth()});
            sizes = split->sizes();
            QVERIFY(window->close());
        }
        auto window = openWindow();
        QVERIFY(window);
        QCOMPARE(window->view(), MainWindow::View::Details);
        QCOMPARE(window->findChild<QSplitter *>(u"tablePreviewSplitter"_s)->sizes(), sizes);
        QCOMPARE(window->size(), QSize(1280, 800));
    }

    void theFirstRunHintShowsUntilDismissed()
    {
        {
            auto window = openWindow();
            QVERIFY(window);
            const QString hint = GuiTestSupport::bannerText(window.get(), u"hintBanner"_s);
            QVERIFY2(hint.contains(u"Try it"_s), qPrintable(hint));
            QAbstractButton *gotIt =
                GuiTestSupport::buttonNamed(window->findChild<QWidget *>(u"hintBanner"_s), u"Got It"_s);
            QVERIFY(gotIt);
            gotIt->click();
            QVERIFY(GuiTestSupport::bannerText(window.get(), u"hintBanner"_s).isEmpty());
        }
        auto again = openWindow();
        QVERIFY(again);
        QVERIFY(GuiTestSupport::bannerText(again.get(), u"hintBanner"_s).isEmpty());
        // Never on a real environment.
        QSettings().clear();
        MainWindow production(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s, true));
        production.show();
        QVERIFY(QTest::qWaitForWindowExposed(&production));
        QVERIFY(production.findChild<QWidget *>(u"productionBanner"_s)->isVisible()); // banners do show here
        QVERIFY(production.findChild<QWidget *>(u"hintBanner"_s)->isHidden());
    }

private:
    std::unique_ptr<MainWindow> openWindow()
    {
        auto window =
            std::make_unique<MainWindow>(m_server->client.get(), environment(m_server->dir.path() + u"/journal"_s));
        if (!QSettings().contains(u"mainWindow/geometry"_s))
            window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()) || !load(*window))
            return nullptr;
        return window;
    }
    static int rowOfRecord(ConfigTableModel *model, const QString &channel, ConversationState state)
    {
        for (qsizetype row = 0; row < model->configs().size(); ++row) {
            if (model->configs().at(row).channelLabel() == channel && model->configs().at(row).state == int(state))
                return int(row);
        }
        return -1;
    }

    std::unique_ptr<SandboxFixture> m_server;
};

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"AutoCloseEditorTests"_s);
    QCoreApplication::setApplicationName(u"tst_overviewgrid"_s);
    Translations::install(&app);
    TestOverviewGrid test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_overviewgrid.moc"
