#include "ui/CompareWindow.h"

#include "models/SnapshotDiffModel.h"
#include "ui/Palette.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
using Kind = SnapshotDiff::Kind;

QColor kindColor(Kind kind)
{
    switch (kind) {
    case Kind::Changed:
        return Palette::color(Palette::Role::Warning);
    case Kind::OnlyLeft:
        return Palette::color(Palette::Role::Information);
    case Kind::OnlyRight:
        return Palette::color(Palette::Role::Other);
    case Kind::Ambiguous:
        return Palette::color(Palette::Role::Error);
    case Kind::Same:
        break;
    }
    return {};
}

// Which kinds each entry of the "Show" list keeps.
bool shows(CompareWindow::Show show, Kind kind)
{
    switch (show) {
    case CompareWindow::Show::Differences:
        return kind != Kind::Same;
    case CompareWindow::Show::Changed:
        return kind == Kind::Changed;
    case CompareWindow::Show::OnlyLeft:
        return kind == Kind::OnlyLeft;
    case CompareWindow::Show::OnlyRight:
        return kind == Kind::OnlyRight;
    case CompareWindow::Show::Ambiguous:
        return kind == Kind::Ambiguous;
    case CompareWindow::Show::Everything:
        return true;
    }
    return true;
}

// Filters the rows by kind and text, and colours each row by its kind: the kind's colour for the text of the
// Difference column and the values, and a faint tint of it behind the row.
class DiffProxy final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setShow(CompareWindow::Show show)
    {
        m_show = show;
        invalidateFilter();
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::ForegroundRole || role == Qt::BackgroundRole) {
            const auto kind = Kind(index.data(SnapshotDiffModel::KindRole).toInt());
            QColor color = kindColor(kind);
            if (!color.isValid())
                return {};
            if (role == Qt::BackgroundRole) {
                color.setAlpha(28);
                return color;
            }
            const int column = index.column();
            if (column == SnapshotDiffModel::Difference || column == SnapshotDiffModel::Left ||
                column == SnapshotDiffModel::Right)
                return color;
            return {};
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override
    {
        const QModelIndex first = sourceModel()->index(sourceRow, 0, sourceParent);
        if (!shows(m_show, Kind(first.data(SnapshotDiffModel::KindRole).toInt())))
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    }

private:
    CompareWindow::Show m_show = CompareWindow::Show::Differences;
};
} // namespace

CompareWindow::CompareWindow(QWidget *parent)
    : QDialog(parent)
    , m_model(new SnapshotDiffModel(this))
    , m_proxy(new DiffProxy(this))
    , m_view(new QTableView)
    , m_show(new QComboBox)
    , m_text(new QLineEdit)
    , m_summary(new QLabel)
    , m_apply(new QPushButton)
{
    setWindowTitle(tr("Compare"));
    setObjectName(u"compareWindow"_s);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(false);

    m_show->addItem(tr("Differences"), int(Show::Differences));
    m_show->addItem(tr("Changed"), int(Show::Changed));
    m_show->addItem(tr("Only left"), int(Show::OnlyLeft));
    m_show->addItem(tr("Only right"), int(Show::OnlyRight));
    m_show->addItem(tr("Ambiguous"), int(Show::Ambiguous));
    m_show->addItem(tr("Everything"), int(Show::Everything));
    m_show->setToolTip(tr("Which rows to show"));
    connect(m_show, &QComboBox::currentIndexChanged, this,
            [this] { static_cast<DiffProxy *>(m_proxy)->setShow(Show(m_show->currentData().toInt())); });
    m_text->setPlaceholderText(tr("Filter by table, channel, state, setting or name (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_text->setFocus(Qt::ShortcutFocusReason);
        m_text->selectAll();
    });
    addAction(find);

    auto *showLabel = new QLabel(tr("&Show:"));
    showLabel->setBuddy(m_show);
    auto *filters = new QHBoxLayout;
    filters->addWidget(showLabel);
    filters->addWidget(m_show);
    filters->addWidget(m_text, 1);

    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    m_apply->hide();
    connect(m_apply, &QPushButton::clicked, this, &CompareWindow::applyRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(900, 560);
}

void CompareWindow::setBusy(const QString &message)
{
    m_summary->setText(message);
    m_view->setEnabled(false);
    m_apply->setEnabled(false);
}

void CompareWindow::setFailed(const QString &message)
{
    m_summary->setText(message);
    m_view->setEnabled(false);
    m_apply->setEnabled(false);
}

void CompareWindow::setComparison(const SnapshotDiff &diff, const QString &leftLabel, const QString &rightLabel)
{
    m_model->setDiff(diff, leftLabel, rightLabel);
    m_view->setEnabled(true);
    m_view->resizeColumnsToContents();
    setWindowTitle(tr("Compare %1 with %2").arg(leftLabel, rightLabel));
    QString text = tr("Left: %1. Right: %2.").arg(leftLabel.toHtmlEscaped(), rightLabel.toHtmlEscaped()) + u"<br>"_s +
        tr("Channel-state records: <b>%1 changed</b>, %2 only left, %3 only right, %4 ambiguous; %5 the same.")
            .arg(diff.count(Kind::Changed))
            .arg(diff.count(Kind::OnlyLeft))
            .arg(diff.count(Kind::OnlyRight))
            .arg(diff.count(Kind::Ambiguous))
            .arg(diff.count(Kind::Same));
    if (diff.workstreamsCompared())
        text += u"<br>"_s +
            tr("Workstream values: <b>%1 changed</b>, %2 only left, %3 only right, %4 ambiguous; %5 the same.")
                .arg(diff.workstreamCount(Kind::Changed))
                .arg(diff.workstreamCount(Kind::OnlyLeft))
                .arg(diff.workstreamCount(Kind::OnlyRight))
                .arg(diff.workstreamCount(Kind::Ambiguous))
                .arg(diff.workstreamCount(Kind::Same));
    else
        text += u"<br>"_s + diff.workstreamsNotCompared(leftLabel, rightLabel).toHtmlEscaped();
    if (!diff.workstreams.isEmpty())
        text += u"<br>"_s + SnapshotDiff::workstreamUnitAssumption().toHtmlEscaped();
    if (!diff.hasDifferences())
        text += u"<br>"_s + tr("The two sides hold the same values.");
    m_summary->setText(text);
    m_apply->setEnabled(diff.count(Kind::Changed) > 0 || diff.workstreamCount(Kind::Changed) > 0);
}

void CompareWindow::offerApply(const QString &text)
{
    m_apply->setText(text);
    m_apply->setVisible(!text.isEmpty());
}

void CompareWindow::setShown(Show show)
{
    m_show->setCurrentIndex(m_show->findData(int(show)));
}
