#include "app/preview/ListExport.h"

#include "app/preview/ExactCount.h"
#include "models/TextFormats.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
QByteArray csvField(const QString &text)
{
    return TextFormats::csvField(text).toUtf8();
}

using TextFormats::jsonString;

const char *changeName(PreviewRow::Category category)
{
    switch (category) {
    case PreviewRow::Category::ClosesUnderBoth:
        return "closes";
    case PreviewRow::Category::NewlyCloses:
        return "newly-closes";
    case PreviewRow::Category::NoLongerCloses:
        return "no-longer-closes";
    }
    return "";
}
} // namespace

ListExport::ListExport(DataverseClient *client, PreviewScenario scenario, Format format, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_scenario(std::move(scenario))
    , m_format(format)
{
    for (qsizetype i = 0; i < m_scenario.edited.size(); ++i)
        m_configurationIndex.insert(m_scenario.edited.at(i).id, i);
    m_edited = m_scenario.hasEdits();
}

QJsonObject ListExport::partJson(const ClosurePreview::Impact::PartCount &part) const
{
    QJsonArray workstreams;
    for (const QString &id : part.part.workstreamIds) {
        QString name;
        for (const Workstream &w : m_scenario.editedWorkstreams) {
            if (QUuid::fromString(w.id) == QUuid::fromString(id))
                name = w.name;
        }
        workstreams.append(QJsonObject {{u"id"_s, id}, {u"name"_s, name}});
    }
    const auto minutes = [](const std::optional<int> &m) {
        return m ? QJsonValue(*m) : QJsonValue();
    };
    QJsonObject out {{u"workstreams"_s, workstreams},
                     {u"others"_s, part.part.others},
                     {u"minutes"_s, minutes(part.part.editedMinutes)},
                     {u"count"_s, part.closesUnderBoth + part.newlyCloses},
                     {u"capped"_s, part.capped}};
    if (m_edited) {
        out.insert(u"savedMinutes"_s, minutes(part.part.savedMinutes));
        out.insert(u"newlyCloses"_s, part.newlyCloses);
        out.insert(u"noLongerCloses"_s, part.noLongerCloses);
    }
    return out;
}

void ListExport::setCounts(const QList<ClosurePreview::Impact> &counts)
{
    m_counts = counts;
    m_haveCounts = true;
}

QByteArray ListExport::head() const
{
    if (m_format == Format::Csv)
        return m_edited ? "activityid,configuration,channel,state,eligibleSince,title,change\n"
                        : "activityid,configuration,channel,state,eligibleSince,title\n";
    QByteArray out = "{\n    \"at\": " + jsonString(m_scenario.at.toString(Qt::ISODate)) +
        ",\n    \"basis\": " + jsonString(ClosingRule::basisName(m_scenario.basis)) + ",\n";
    if (m_haveCounts) {
        out += "    \"counts\": [";
        for (qsizetype i = 0; i < m_counts.size(); ++i) {
            const ClosurePreview::Impact &impact = m_counts.at(i);
            const qsizetype index = m_configurationIndex.value(impact.configurationId, -1);
            const QJsonValue minutes = impact.editedMinutes ? QJsonValue(*impact.editedMinutes) : QJsonValue();
            // What closes under the values given: with edits, those they close.
            QJsonObject count {{u"configuration"_s, impact.configurationId},
                               {u"name"_s, index >= 0 ? m_scenario.edited.at(index).name : QString()},
                               {u"minutes"_s, minutes},
                               {u"count"_s, impact.closesUnderBoth + impact.newlyCloses},
                               {u"capped"_s, impact.capped}};
            if (impact.capped)
                count.insert(u"cappedReason"_s, ExactCount::cappedReason());
            if (!impact.parts.isEmpty()) {
                QJsonArray parts;
                for (const ClosurePreview::Impact::PartCount &part : impact.parts)
                    parts.append(partJson(part));
                count.insert(u"byWorkstream"_s, parts);
            }
            if (m_edited) {
                count.insert(u"savedMinutes"_s, impact.savedMinutes ? QJsonValue(*impact.savedMinutes) : QJsonValue());
                count.insert(u"newlyCloses"_s, impact.newlyCloses);
                count.insert(u"noLongerCloses"_s, impact.noLongerCloses);
            }
            out += (i == 0 ? "\n        " : ",\n        ") + QJsonDocument(count).toJson(QJsonDocument::Compact);
        }
        out += m_counts.isEmpty() ? "],\n" : "\n    ],\n";
    }
    out += "    \"conversations\": [";
    return out;
}

QByteArray ListExport::tail() const
{
    if (m_format == Format::Csv)
        return {};
    return m_written > 0 ? "\n    ]\n}\n" : "]\n}\n";
}

QByteArray ListExport::format(const QList<PreviewRow> &rows, bool first) const
{
    QByteArray out;
    out.reserve(rows.size() * 160);
    for (const PreviewRow &row : rows) {
        const qsizetype index = m_configurationIndex.value(row.configurationId, -1);
        const ChannelStateConfig *c = index >= 0 ? &m_scenario.edited.at(index) : nullptr;
        const QByteArray channel = QByteArray::number(c && c->streamSource ? *c->streamSource : 0);
        const QByteArray state = QByteArray::number(c ? c->state : 0);
        const QString since = row.eligibleSince.toString(Qt::ISODate);
        if (m_format == Format::Csv) {
            out += csvField(row.conversation.id) + ',' + csvField(row.configurationId) + ',' + channel + ',' + state +
                ',' + since.toUtf8() + ',' + csvField(row.conversation.title);
            if (m_edited)
                out += QByteArray(",") + changeName(row.category);
            out += '\n';
            continue;
        }
        out += first ? "\n        {\"activityid\": " : ",\n        {\"activityid\": ";
        first = false;
        out += jsonString(row.conversation.id) + ", \"configuration\": " + jsonString(row.configurationId) +
            ", \"channel\": " + channel + ", \"state\": " + state + ", \"eligibleSince\": " + jsonString(since);
        if (!row.workstreamId.isEmpty())
            out += ", \"workstream\": " + jsonString(row.workstreamId);
        if (m_edited)
            out += QByteArray(", \"change\": \"") + changeName(row.category) + '"';
        out += '}';
    }
    return out;
}

void ListExport::start(QIODevice *device, QObject *context, std::function<void(Progress)> progress,
                       std::function<void(Result<qint64>)> done)
{
    m_device = device;
    m_context = context;
    m_progress = std::move(progress);
    m_done = std::move(done);
    m_written = 0;
    std::optional<qint64> expected;
    if (m_haveCounts) {
        expected = 0;
        for (const ClosurePreview::Impact &impact : std::as_const(m_counts)) {
            const auto listed = ParallelLister::listedBy(impact);
            expected = expected && listed ? std::optional<qint64>(*expected + *listed) : std::nullopt;
        }
    }
    if (!write(head()))
        return;
    auto *lister = new ParallelLister(m_client, m_scenario, m_options, this);
    m_lister = lister;
    if (m_haveCounts)
        lister->setCounts(m_counts);
    lister->start(
        [this, expected](QList<PreviewRow> rows) {
            if (m_stopped)
                return;
            if (!m_context) {
                cancel();
                return;
            }
            if (!write(format(rows, m_written == 0)))
                return;
            m_written += rows.size();
            if (m_progress)
                m_progress(Progress {m_written, expected});
        },
        [this](Result<Done> read) {
            if (m_stopped)
                return;
            if (!read) {
                finish(read.error());
                return;
            }
            if (write(tail()))
                finish(m_written);
        });
}

bool ListExport::write(const QByteArray &bytes)
{
    if (m_stopped)
        return false;
    if (!m_device || m_device->write(bytes) != bytes.size()) {
        const QString reason = m_device ? m_device->errorString() : QString();
        finish(Error::badInput(
            QCoreApplication::translate("ListExport",
                                        "Cannot write the list: %1. Nothing more was written; free some space or "
                                        "choose another file, and export again.")
                .arg(reason.isEmpty() ? QCoreApplication::translate("ListExport", "the file is gone") : reason)));
        return false;
    }
    return true;
}

void ListExport::finish(Result<qint64> result)
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_lister)
        m_lister->deleteLater();
    const auto done = std::move(m_done);
    if (m_context && done)
        done(std::move(result)); // last: it may destroy this export
}

void ListExport::cancel()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_lister)
        m_lister->deleteLater(); // its requests' answers are dropped with it
}
