#include "ui/ConfigProxyModel.h"

#include "models/ChannelStateConfig.h"
#include "models/ConfigTableModel.h"
#include "ui/Palette.h"

#include <QApplication>
#include <QFont>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QColor statusColor(ConfigTableModel::RowStatus status)
{
    switch (status) {
    case ConfigTableModel::RowStatus::Pending:
    case ConfigTableModel::RowStatus::Saving:
        return Palette::color(Palette::Role::Information);
    case ConfigTableModel::RowStatus::Saved:
        return Palette::color(Palette::Role::Success);
    case ConfigTableModel::RowStatus::ServerChanged:
    case ConfigTableModel::RowStatus::Conflict:
    case ConfigTableModel::RowStatus::Failed:
        return Palette::color(Palette::Role::Error);
    case ConfigTableModel::RowStatus::Unchanged:
        break;
    }
    return {};
}

QColor channelColor(int source)
{
    switch (source) {
    case StreamSource::LiveChat:
        return QColor(0x00, 0x78, 0xd4);
    case StreamSource::Sms:
        return QColor(0x00, 0x99, 0x88);
    case StreamSource::Voice:
    case StreamSource::VoiceCall:
        return QColor(0x88, 0x17, 0x98);
    case StreamSource::Teams:
        return QColor(0x46, 0x4e, 0xb8);
    case StreamSource::Facebook:
        return QColor(0x18, 0x77, 0xf2);
    case StreamSource::WhatsApp:
        return QColor(0x25, 0xa2, 0x4a);
    default:
        return QColor(0x60, 0x5e, 0x5c);
    }
}

// Paints the icon at whatever size and pixel ratio the view asks for, so it is sharp on high-DPI screens.
class ChannelIconEngine final : public QIconEngine
{
public:
    ChannelIconEngine(QColor color, QChar letter)
        : m_color(color)
        , m_letter(letter)
    { }
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        const int side = std::min(rect.width(), rect.height());
        const QRectF circle(rect.x() + (rect.width() - side) / 2.0, rect.y() + (rect.height() - side) / 2.0, side,
                            side);
        painter->setPen(Qt::NoPen);
        painter->setBrush(mode == QIcon::Disabled ? QColor(Qt::gray) : m_color);
        painter->drawEllipse(circle.adjusted(0.5, 0.5, -0.5, -0.5));
        QFont font = painter->font();
        font.setBold(true);
        font.setPixelSize(std::max(6, int(side * 0.55)));
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(circle, Qt::AlignCenter, QString(m_letter));
        painter->restore();
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter painter(&pm);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    QIconEngine *clone() const override { return new ChannelIconEngine(m_color, m_letter); }

private:
    QColor m_color;
    QChar m_letter;
};
} // namespace

ConfigProxyModel::ConfigProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_channelColumn(ConfigTableModel::Channel)
    , m_statusColumn(ConfigTableModel::Status)
{ }

void ConfigProxyModel::setColumns(int channel, int status)
{
    m_channelColumn = channel;
    m_statusColumn = status;
}

QIcon ConfigProxyModel::channelIcon(const QVariant &streamSource, const QString &label)
{
    const QChar letter = label.isEmpty() ? u'?' : label.at(0).toUpper();
    return QIcon(new ChannelIconEngine(channelColor(streamSource.isValid() ? streamSource.toInt() : 0), letter));
}

QVariant ConfigProxyModel::data(const QModelIndex &index, int role) const
{
    switch (role) {
    case Qt::DecorationRole:
        if (index.column() == m_channelColumn) {
            const QVariant source = index.data(ConfigTableModel::StreamSourceRole);
            const QString label = index.data(Qt::DisplayRole).toString();
            const QString key = source.toString() + u'|' + label;
            auto it = m_icons.find(key);
            if (it == m_icons.end())
                it = m_icons.insert(key, channelIcon(source, label));
            return *it;
        }
        if (index.data(ConfigTableModel::SettingRole).isValid() &&
            !index.data(ConfigTableModel::RisksRole).toString().isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    case Qt::FontRole:
        if (index.data(ConfigTableModel::SettingRole).isValid() && index.data(ConfigTableModel::PendingRole).toBool()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == m_statusColumn || index.data(ConfigTableModel::SettingRole).isValid()) {
            const QColor color =
                statusColor(ConfigTableModel::RowStatus(index.data(ConfigTableModel::StatusRole).toInt()));
            if (color.isValid())
                return color;
        }
        break;
    default:
        break;
    }
    return QSortFilterProxyModel::data(index, role);
}
