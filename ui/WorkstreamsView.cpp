#include "ui/WorkstreamsView.h"

#include "models/EditRisks.h"
#include "models/WorkstreamTableModel.h"
#include "ui/ConfigProxyModel.h"
#include "ui/DurationDelegate.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

WorkstreamsView::WorkstreamsView(WorkstreamTableModel *model, Commit commit, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new ConfigProxyModel(this))
    , m_view(new QTableView)
    , m_filter(new QLineEdit)
{
    m_proxy->setSourceModel(model);
    m_proxy->setColumns(WorkstreamTableModel::Channel, WorkstreamTableModel::Status);
    m_proxy->setSortRole(WorkstreamTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    const auto risks = [](const QModelIndex &index, std::optional<int> minutes) {
        const QVariant setting = index.data(WorkstreamTableModel::SettingRole);
        return setting.isValid()
            ? EditRisks::describe(EditRisks::assessWorkstream(TimerSetting(setting.toInt()), minutes))
            : QString();
    };
    const auto toModel = [commit](const QModelIndex &index, std::optional<int> minutes) {
        const QVariant setting = index.data(WorkstreamTableModel::SettingRole);
        if (setting.isValid())
            commit(ValueRef {index.data(WorkstreamTableModel::IdRole).toString(), TimerSetting(setting.toInt())},
                   minutes);
    };
    m_inactivity = new DurationDelegate(risks, toModel, this);
    m_block = new DurationDelegate(risks, toModel, this);
    // Inactivity is a required column: "never" is refused while typing (docs/dataverse-tables.md).
    m_inactivity->setRange(Duration::Range {0, 2147483647, false});
    m_block->setRange(Duration::Range {0, 43200, true});
    for (DurationDelegate *delegate : {m_inactivity, m_block})
        connect(delegate, &DurationDelegate::refused, this, &WorkstreamsView::refused);

    m_view->setObjectName(u"workstreamsView"_s);
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(WorkstreamTableModel::Inactivity, m_inactivity);
    m_view->setItemDelegateForColumn(WorkstreamTableModel::WrapUpBlock, m_block);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(WorkstreamTableModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::AnyKeyPressed |
                            QAbstractItemView::EditKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->setAccessibleName(tr("Workstreams"));
    m_view->setAccessibleDescription(tr("One row per workstream with its two timers. Press F2 or Enter on a timer to "
                                        "edit it."));
    connect(m_view, &QAbstractItemView::activated, this, [this] { editCurrent(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &WorkstreamsView::selectionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &WorkstreamsView::selectionChanged);

    m_filter->setObjectName(u"workstreamFilter"_s);
    m_filter->setPlaceholderText(tr("Filter by workstream, channel or value (Ctrl+F)"));
    m_filter->setAccessibleName(tr("Filter workstreams"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    auto *note = new QLabel(
        tr("<b>Auto-close after inactivity</b> closes <i>Waiting</i> conversations of persistent chat, SMS, social "
           "channels and Teams instead of the channel's Waiting value. <b>Block capacity for wrap-up</b> keeps an "
           "agent's capacity after a conversation enters Wrap-up, and wins over the Wrap-up value when it is longer. "
           "Both are read as minutes (UNCONFIRMED: Microsoft does not state the unit)."));
    note->setObjectName(u"workstreamsNote"_s);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(note);
}

void WorkstreamsView::setRange(TimerSetting setting, Duration::Range range)
{
    range.allowsNever = TimerSettings::allowsEmpty(setting);
    (setting == TimerSetting::WrapUpBlock ? m_block : m_inactivity)->setRange(range);
}

QList<ValueRef> WorkstreamsView::selectedValues() const
{
    QList<ValueRef> refs;
    const auto add = [&refs](const ValueRef &ref) {
        if (!refs.contains(ref))
            refs << ref;
    };
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    for (const QModelIndex &index : selected) {
        const QString id = index.data(WorkstreamTableModel::IdRole).toString();
        const QVariant setting = index.data(WorkstreamTableModel::SettingRole);
        if (setting.isValid()) {
            add(ValueRef {id, TimerSetting(setting.toInt())});
        } else {
            add(ValueRef {id, TimerSetting::Inactivity});
            add(ValueRef {id, TimerSetting::WrapUpBlock});
        }
    }
    if (refs.isEmpty()) {
        if (const auto current = currentValue())
            refs << *current;
    }
    return refs;
}

std::optional<ValueRef> WorkstreamsView::currentValue() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const QVariant setting = current.data(WorkstreamTableModel::SettingRole);
    return ValueRef {current.data(WorkstreamTableModel::IdRole).toString(),
                     setting.isValid() ? TimerSetting(setting.toInt()) : TimerSetting::Inactivity};
}

bool WorkstreamsView::editCurrent()
{
    const auto value = currentValue();
    if (!value || m_model->isReadOnly())
        return false;
    editValue(*value);
    return true;
}

void WorkstreamsView::editValue(const ValueRef &ref)
{
    const QModelIndex index =
        m_proxy->mapFromSource(m_model->index(m_model->rowOf(ref.id), WorkstreamTableModel::columnOf(ref.setting)));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->edit(index);
}

std::pair<DurationLineEdit *, DurationDelegate *> WorkstreamsView::openEditor() const
{
    for (auto *editor : m_view->viewport()->findChildren<DurationLineEdit *>()) {
        if (editor->isVisible()) {
            const bool block = m_view->currentIndex().column() == WorkstreamTableModel::WrapUpBlock;
            return {editor, block ? m_block : m_inactivity};
        }
    }
    return {nullptr, nullptr};
}

int WorkstreamsView::shownRows() const
{
    return m_proxy->rowCount();
}
