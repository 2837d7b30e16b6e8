#include "ui/Actions.h"

#include <QAction>
#include <QApplication>
#include <QIconEngine>
#include <QPainter>

namespace {
// Looks the icon up the first time it is drawn, not when the action is made: a theme lookup and the standard icon
// behind it cost about a millisecond each, which a window of twenty actions would otherwise spend before it shows
// anything (tests/benchmarks/bench_startup).
class DeferredIconEngine final : public QIconEngine
{
public:
    DeferredIconEngine(const QString &themeName, QStyle::StandardPixmap fallback)
        : m_themeName(themeName)
        , m_fallback(fallback)
    { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        resolved().paint(painter, rect, Qt::AlignCenter, mode, state);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return resolved().pixmap(size, mode, state);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        return resolved().pixmap(size, scale, mode, state);
    }
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return resolved().actualSize(size, mode, state);
    }
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return resolved().availableSizes(mode, state);
    }
    QString iconName() override { return m_themeName; }
    bool isNull() override { return false; } // an icon is always there: the theme's, or Qt's standard one
    QString key() const override { return QStringLiteral("DeferredIconEngine"); }
    QIconEngine *clone() const override { return new DeferredIconEngine(m_themeName, m_fallback); }

private:
    const QIcon &resolved()
    {
        if (m_icon.isNull()) {
            // Qt's standard icon only when the theme has none: making it costs as much as the lookup.
            m_icon = QIcon::fromTheme(m_themeName);
            if (m_icon.isNull())
                m_icon = QApplication::style()->standardIcon(m_fallback);
        }
        return m_icon;
    }

    QString m_themeName;
    QStyle::StandardPixmap m_fallback;
    QIcon m_icon;
};
} // namespace

QIcon Actions::themed(const QString &themeName, QStyle::StandardPixmap fallback)
{
    return QIcon(new DeferredIconEngine(themeName, fallback));
}

void Actions::setToolTip(QAction *action, const QString &what, const QKeySequence &shortcut)
{
    const QKeySequence keys = shortcut.isEmpty() ? action->shortcut() : shortcut;
    action->setToolTip(
        keys.isEmpty()
            ? what
            : QApplication::translate("Actions", "%1 (%2)").arg(what, keys.toString(QKeySequence::NativeText)));
}
