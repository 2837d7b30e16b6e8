#include "ui/DurationDelegate.h"

#include "models/ConfigTableModel.h"
#include "models/EditRisks.h"
#include "ui/Palette.h"

#include <QAbstractItemView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

DurationLineEdit::DurationLineEdit(QWidget *parent, QWidget *hintParent, Duration::Range range,
                                   std::function<QString(std::optional<int>)> risks)
    : QLineEdit(parent)
    , m_range(range)
    , m_risks(std::move(risks))
    , m_hint(new QLabel(hintParent))
{
    setObjectName(u"durationEditor"_s);
    setAccessibleName(tr("Auto-close after"));
    setPlaceholderText(tr("45, 2h, 1d 12h or never"));
    m_hint->setObjectName(u"durationHint"_s);
    m_hint->setWordWrap(true);
    m_hint->setAutoFillBackground(true);
    m_hint->setFrameShape(QFrame::Box);
    m_hint->setMargin(4);
    m_hint->setBackgroundRole(QPalette::ToolTipBase);
    m_hint->setForegroundRole(QPalette::ToolTipText);
    connect(this, &QLineEdit::textChanged, this, &DurationLineEdit::updateHint);
}

DurationLineEdit::~DurationLineEdit()
{
    delete m_hint;
}

Result<std::optional<int>> DurationLineEdit::value() const
{
    return Duration::parse(text(), m_range);
}

namespace {
// How a refusal opens in the hint; insistOnHint finds it again to make it bold.
QString errorSpan()
{
    return u"<span style='color:%1'>"_s.arg(Palette::css(Palette::Role::Error));
}
} // namespace

void DurationLineEdit::updateHint()
{
    if (!m_hint)
        return;
    const auto parsed = value();
    QString text;
    if (!parsed) {
        text = errorSpan() + parsed.error().userMessage.toHtmlEscaped() + u"</span>"_s;
        setAccessibleDescription(parsed.error().userMessage);
    } else {
        const std::optional<int> minutes = parsed.value();
        text = minutes ? tr("= %Ln minute(s) (%1)", nullptr, *minutes).arg(Duration::format(minutes))
                       : tr("= never: conversations in this state are not auto-closed by this setting");
        text = text.toHtmlEscaped();
        const QString risks = m_risks ? m_risks(minutes) : QString();
        if (!risks.isEmpty())
            text += u"<br><span style='color:%1'>⚠ %2</span>"_s.arg(
                Palette::css(Palette::Role::Warning), risks.toHtmlEscaped().replace(u"\n"_s, u"<br>⚠ "_s));
        setAccessibleDescription(Duration::format(minutes));
    }
    m_hint->setText(text);
    placeHint();
}

void DurationLineEdit::insistOnHint()
{
    if (!m_hint)
        return;
    m_hint->setText(m_hint->text().replace(errorSpan(), errorSpan() + u"<b>"_s));
    m_hint->show();
    m_hint->raise();
}

void DurationLineEdit::placeHint()
{
    if (!m_hint || !m_hint->parentWidget())
        return;
    QWidget *area = m_hint->parentWidget();
    const QPoint topLeft = mapTo(area, QPoint(0, 0));
    const int width = std::max(this->width(), 340);
    m_hint->setFixedWidth(std::min(width, area->width()));
    m_hint->adjustSize();
    int x = std::min(topLeft.x(), std::max(0, area->width() - m_hint->width()));
    int y = topLeft.y() + height();
    if (y + m_hint->height() > area->height())
        y = std::max(0, topLeft.y() - m_hint->height()); // no room below: above the cell
    m_hint->move(x, y);
    if (isVisible()) {
        m_hint->show();
        m_hint->raise();
    }
}

void DurationLineEdit::moveEvent(QMoveEvent *event)
{
    QLineEdit::moveEvent(event);
    placeHint();
}

void DurationLineEdit::resizeEvent(QResizeEvent *event)
{
    QLineEdit::resizeEvent(event);
    placeHint();
}

void DurationLineEdit::showEvent(QShowEvent *event)
{
    QLineEdit::showEvent(event);
    updateHint();
}

DurationDelegate::DurationDelegate(ConfigTableModel *source, Commit commit, QObject *parent)
    : DurationDelegate(
          [source = QPointer<ConfigTableModel>(source)](const QModelIndex &index, std::optional<int> minutes) {
              const ChannelStateConfig *config =
                  source ? source->config(index.data(ConfigTableModel::IdRole).toString()) : nullptr;
              return config ? EditRisks::describe(EditRisks::assess(*config, minutes)) : QString();
          },
          std::move(commit), parent)
{ }

DurationDelegate::DurationDelegate(Risks risks, Commit commit, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_risks(std::move(risks))
    , m_commit(std::move(commit))
{ }

QWidget *DurationDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const
{
    auto risks = [risksOf = m_risks, index = QPersistentModelIndex(index)](std::optional<int> minutes) -> QString {
        return index.isValid() ? risksOf(index, minutes) : QString();
    };
    return new DurationLineEdit(parent, parent, m_range, std::move(risks));
}

void DurationDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *line = static_cast<DurationLineEdit *>(editor);
    line->setText(index.data(Qt::EditRole).toString());
    line->selectAll();
}

void DurationDelegate::setModelData(QWidget *editor, QAbstractItemModel *, const QModelIndex &index) const
{
    const auto parsed = static_cast<DurationLineEdit *>(editor)->value();
    if (!parsed) {
        Q_EMIT refused(tr("Not changed: %1").arg(parsed.error().userMessage));
        return;
    }
    m_commit(index, parsed.value());
}

void DurationDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                                            const QModelIndex &) const
{
    editor->setGeometry(option.rect);
}

bool DurationDelegate::eventFilter(QObject *object, QEvent *event)
{
    // Enter on a value that cannot be taken keeps the editor open and says why, instead of dropping the text.
    if (event->type() == QEvent::KeyPress) {
        auto *line = qobject_cast<DurationLineEdit *>(object);
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (line && (key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Tab || key == Qt::Key_Backtab) &&
            !line->value().ok()) {
            line->insistOnHint();
            return true;
        }
    }
    return QStyledItemDelegate::eventFilter(object, event);
}
