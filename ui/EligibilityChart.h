#pragma once

#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QStackedLayout;

// The closure preview's timeline as a line chart (Qt Charts): per channel, how many conversations are eligible to
// close at each time, with the edits (a solid line) beside the saved values (a dashed line of the same colour). The
// chart itself (QChartView, QChart) is made the first time the widget is shown with something to draw, so that a
// window that never shows it, or has not counted yet, does not pay for it. Hovering a point tells its numbers;
// clicking one asks for the preview at its time (pointChosen).
class EligibilityChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EligibilityChart)
public:
    // One time on the x axis.
    struct Point
    {
        QDateTime at; // UTC
        QString label; // "Now", "+1 h", "+1 day", … or the custom time
        QString axisLabel; // as short as the axis needs: "+1 d"
        int minutes = -1; // from now, as the panel's time choice holds it; -1 for a custom time
    };
    // One channel's line: a value per point.
    struct Channel
    {
        QString name;
        QList<qint64> saved;
        QList<qint64> edited;
        QList<bool> capped; // a count stopped at the Web API's aggregate limit: the true number is larger
    };
    struct Data
    {
        QList<Point> points;
        QList<Channel> channels;
        int selected = -1; // the point the preview is for, marked on the chart
    };

    explicit EligibilityChart(QWidget *parent = nullptr);
    ~EligibilityChart() override;

    // New figures: drawn at once when the chart exists, else kept for its first showing.
    void setData(const Data &data);
    // A sentence instead of the chart (counting failed, nothing to count); the figures are dropped.
    void showMessage(const QString &text);
    const Data &data() const { return m_data; }

    // Null until the chart is first shown.
    QChartView *chartView() const { return m_view; }
    QChart *chart() const;
    // A channel's series, by name; null before the chart exists or for an unknown channel.
    QLineSeries *editedSeries(const QString &channel) const;
    QLineSeries *savedSeries(const QString &channel) const;
    // What the tooltip of a channel's point says.
    QString pointText(int channel, int point) const;

Q_SIGNALS:
    // The user clicked a point: the preview is wanted at data().points[index].
    void pointChosen(int index);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createChartIfWanted();
    void rebuild();
    void applyTheme();
    void describe();
    QLineSeries *addSeries(const QString &name, int channel, bool edited);
    void hovered(int channel, const QPointF &point, bool state);

    Data m_data;
    QStackedLayout *m_stack;
    QLabel *m_message;
    QChartView *m_view = nullptr;
    QList<QPointer<QLineSeries>> m_edited; // per channel of m_data
    QList<QPointer<QLineSeries>> m_saved;
};
