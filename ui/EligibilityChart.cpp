#include "ui/EligibilityChart.h"

#include "ui/Palette.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QStackedLayout>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
QString countText(qint64 count, bool capped)
{
    return capped ? EligibilityChart::tr("%1+").arg(QLocale().toString(count)) : QLocale().toString(count);
}

} // namespace

EligibilityChart::EligibilityChart(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_message(new QLabel)
{
    setObjectName(u"eligibilityChart"_s);
    setAccessibleName(tr("Conversations eligible to close over time, by channel"));
    m_message->setObjectName(u"eligibilityChartMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setText(tr("Counting…"));
    m_stack->addWidget(m_message);
    setMinimumSize(260, 150);
}

EligibilityChart::~EligibilityChart() = default;

QChart *EligibilityChart::chart() const
{
    return m_view ? m_view->chart() : nullptr;
}

QLineSeries *EligibilityChart::editedSeries(const QString &channel) const
{
    for (qsizetype i = 0; i < m_data.channels.size() && i < m_edited.size(); ++i) {
        if (m_data.channels.at(i).name == channel)
            return m_edited.at(i);
    }
    return nullptr;
}

QLineSeries *EligibilityChart::savedSeries(const QString &channel) const
{
    for (qsizetype i = 0; i < m_data.channels.size() && i < m_saved.size(); ++i) {
        if (m_data.channels.at(i).name == channel)
            return m_saved.at(i);
    }
    return nullptr;
}

void EligibilityChart::setData(const Data &data)
{
    m_data = data;
    describe();
    if (m_view)
        rebuild();
    else
        createChartIfWanted();
}

void EligibilityChart::showMessage(const QString &text)
{
    m_data = {};
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
    describe();
    if (m_view)
        rebuild();
}

void EligibilityChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    createChartIfWanted();
}

void EligibilityChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (m_view && (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange))
        applyTheme();
}

void EligibilityChart::createChartIfWanted()
{
    // Lazily: the window's start shows the panel before anything is counted, and Qt Charts' scene costs time.
    if (m_view || !isVisible() || m_data.points.isEmpty())
        return;
    auto *chart = new QChart;
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_view = new QChartView(chart);
    m_view->setObjectName(u"eligibilityChartView"_s);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::StyledPanel); // as the tables beside it
    m_view->setAccessibleName(accessibleName());
    m_view->setAccessibleDescription(accessibleDescription());
    m_view->setToolTip(tr("Hover a point for its numbers; click it to preview at that time."));
    m_stack->addWidget(m_view);
    rebuild();
}

QLineSeries *EligibilityChart::addSeries(const QString &name, int channel, bool edited)
{
    auto *series = new QLineSeries;
    series->setName(name);
    series->setPointsVisible(true);
    for (qsizetype i = 0; i < m_data.points.size(); ++i) {
        const Channel &c = m_data.channels.at(channel);
        series->append(qreal(i), qreal((edited ? c.edited : c.saved).value(i)));
    }
    connect(series, &QXYSeries::hovered, this,
            [this, channel](const QPointF &point, bool state) { hovered(channel, point, state); });
    connect(series, &QXYSeries::clicked, this, [this](const QPointF &point) {
        const int index = int(std::lround(point.x()));
        if (index >= 0 && index < m_data.points.size())
            Q_EMIT pointChosen(index);
    });
    return series;
}

void EligibilityChart::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    m_edited.clear();
    m_saved.clear();
    if (m_data.points.isEmpty()) {
        m_stack->setCurrentWidget(m_message);
        return;
    }

    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (qsizetype i = 0; i < m_data.points.size(); ++i)
        x->append(m_data.points.at(i).axisLabel, qreal(i));
    x->setRange(-0.3, qreal(m_data.points.size() - 1) + 0.3);
    qint64 highest = 0;
    for (const Channel &channel : m_data.channels) {
        for (qint64 v : channel.saved + channel.edited)
            highest = std::max(highest, v);
    }
    auto *y = new QValueAxis;
    y->setLabelFormat(u"%i"_s);
    y->setRange(0, qreal(std::max<qint64>(highest, 4)) * 1.08);
    y->applyNiceNumbers();
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);

    const auto add = [c, x, y](QLineSeries *series) {
        c->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    };
    // With the edits first, so that the legend names each channel once, by its solid line.
    for (qsizetype i = 0; i < m_data.channels.size(); ++i) {
        m_edited << addSeries(m_data.channels.at(i).name, int(i), true);
        add(m_edited.last());
    }
    for (qsizetype i = 0; i < m_data.channels.size(); ++i) {
        m_saved << addSeries(tr("%1, saved values").arg(m_data.channels.at(i).name), int(i), false);
        add(m_saved.last());
    }
    // What the two kinds of line mean, as two legend entries of their own.
    for (const bool edited : {true, false}) {
        auto *key = new QLineSeries;
        key->setObjectName(edited ? u"editedKey"_s : u"savedKey"_s);
        key->setName(edited ? tr("with your edits") : tr("saved values"));
        add(key);
    }
    // The time the preview is for.
    if (m_data.selected >= 0 && m_data.selected < m_data.points.size()) {
        auto *marker = new QLineSeries;
        marker->setObjectName(u"selectedTime"_s);
        marker->setName(tr("Preview time"));
        marker->append(qreal(m_data.selected), 0);
        marker->append(qreal(m_data.selected), y->max());
        add(marker);
    }
    applyTheme();
    m_stack->setCurrentWidget(m_view);
}

void EligibilityChart::applyTheme()
{
    QChart *c = chart();
    // The theme follows the application's palette; then the colours that must match the rest of the window.
    c->setTheme(Palette::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    const QPalette p = palette();
    c->setBackgroundBrush(p.color(QPalette::Base));
    c->setBackgroundPen(Qt::NoPen);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    c->setFont(font());
    c->legend()->setFont(small);
    c->legend()->setLabelColor(p.color(QPalette::Text));
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsFont(small);
        axis->setLabelsColor(p.color(QPalette::Text));
        axis->setLinePenColor(p.color(QPalette::Mid));
        axis->setGridLineColor(p.color(QPalette::Midlight));
    }
    const QColor neutral = p.color(QPalette::Text);
    // Short dashes, so that even the legend's short line shows two.
    const auto dashed = [](const QColor &color) {
        QPen pen(color, 1.5);
        pen.setDashPattern({3, 2});
        return pen;
    };
    for (QAbstractSeries *s : c->series()) {
        auto *series = qobject_cast<QLineSeries *>(s);
        const qsizetype edited = m_edited.indexOf(series);
        const qsizetype saved = m_saved.indexOf(series);
        QPen pen;
        pen.setCapStyle(Qt::FlatCap);
        if (edited >= 0) {
            pen = QPen(Palette::seriesColor(int(edited)), 2.5);
        } else if (saved >= 0) {
            pen = dashed(Palette::seriesColor(int(saved)));
        } else if (series->objectName() == u"editedKey"_s) {
            pen = QPen(neutral, 2.5);
        } else if (series->objectName() == u"savedKey"_s) {
            pen = dashed(neutral);
        } else {
            pen = QPen(p.color(QPalette::PlaceholderText), 1, Qt::DotLine);
        }
        series->setPen(pen);
        series->setColor(pen.color());
        series->setMarkerSize(edited >= 0 ? 3.5 : 2.5); // the radius of its points' dots
        series->setBrush(edited >= 0 || saved >= 0 ? QBrush(pen.color()) : QBrush());
        // The legend names each channel once (its solid line) and says what the lines mean.
        if (saved >= 0 || series->objectName() == u"selectedTime"_s) {
            for (QLegendMarker *marker : c->legend()->markers(series))
                marker->setVisible(false);
        }
    }
}

QString EligibilityChart::pointText(int channel, int point) const
{
    if (channel < 0 || channel >= m_data.channels.size() || point < 0 || point >= m_data.points.size())
        return {};
    const Channel &c = m_data.channels.at(channel);
    const Point &p = m_data.points.at(point);
    const bool capped = c.capped.value(point);
    const QString when = QLocale().toString(p.at.toLocalTime(), QLocale::ShortFormat);
    return tr("<b>%1</b>, %2 (%3)<br>saved values: %4<br>with your edits: %5")
        .arg(c.name.toHtmlEscaped(), p.label.toHtmlEscaped(), when, countText(c.saved.value(point), capped),
             countText(c.edited.value(point), capped));
}

void EligibilityChart::hovered(int channel, const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(), pointText(channel, int(std::lround(point.x()))), m_view);
}

void EligibilityChart::describe()
{
    // For a screen reader: the totals at each time, saved and with the edits.
    QStringList parts;
    for (qsizetype i = 0; i < m_data.points.size(); ++i) {
        qint64 saved = 0;
        qint64 edited = 0;
        bool capped = false;
        for (const Channel &channel : m_data.channels) {
            saved += channel.saved.value(i);
            edited += channel.edited.value(i);
            capped = capped || channel.capped.value(i);
        }
        parts << tr("%1: %2 with the saved values, %3 with your edits")
                     .arg(m_data.points.at(i).label, countText(saved, capped), countText(edited, capped));
    }
    const QString text = parts.isEmpty()
        ? m_message->text()
        : tr("Conversations eligible to close, all channels together. %1.").arg(parts.join(u"; "_s));
    setAccessibleDescription(text);
    if (m_view)
        m_view->setAccessibleDescription(text);
}
