#include "models/Snapshot.h"

#include "models/TextFormats.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

using namespace Qt::StringLiterals;

namespace Snapshots {
namespace {
QJsonValue optionalInt(const std::optional<int> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// QJsonDocument indents by four spaces; a snapshot by two. Strings never hold a raw line break, so every line's
// leading spaces are indentation.
QByteArray withTwoSpaceIndent(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size());
    for (const QByteArray &line : json.split('\n')) {
        qsizetype spaces = 0;
        while (spaces < line.size() && line.at(spaces) == ' ')
            ++spaces;
        out += QByteArray(spaces / 2, ' ') + line.mid(spaces) + '\n';
    }
    out.chop(1); // split() left an empty piece after the final newline
    return out;
}

using TextFormats::csvField;

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return Snapshot::tr("null");
    case QJsonValue::Bool:
        return Snapshot::tr("true/false");
    case QJsonValue::Double:
        return Snapshot::tr("a number");
    case QJsonValue::String:
        return Snapshot::tr("text");
    case QJsonValue::Array:
        return Snapshot::tr("a list");
    case QJsonValue::Object:
        return Snapshot::tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return Snapshot::tr("nothing");
}

// A whole number within [low, high], or empty.
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 low, qint64 high)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < double(low) || d > double(high))
        return std::nullopt;
    return qint64(d);
}

// Reads one record's fields, collecting the first problem of each field into problems.
class RecordReader
{
public:
    RecordReader(const QJsonObject &object, QString where, QStringList *problems)
        : m_object(object)
        , m_where(std::move(where))
        , m_problems(problems)
    { }

    void problem(const QString &field, const QString &what)
    {
        *m_problems << Snapshot::tr("%1, field \"%2\": %3").arg(m_where, field, what);
    }

    QString guid(const QJsonObject &object, const QString &key, const QString &field)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString() || QUuid::fromString(value.toString()).isNull()) {
            problem(field,
                    Snapshot::tr("must be a record id such as 9a1c0b5e-0000-4000-8000-000000000001, not %1")
                        .arg(value.isString() ? u'"' + value.toString() + u'"' : typeName(value)));
            return {};
        }
        return QUuid::fromString(value.toString()).toString(QUuid::WithoutBraces);
    }

    QString text(const QJsonObject &object, const QString &key, const QString &field, bool required)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() && !required)
            return {};
        if (value.isUndefined()) {
            problem(field, Snapshot::tr("is missing"));
            return {};
        }
        if (!value.isString() && !(value.isNull() && !required)) {
            problem(field, Snapshot::tr("must be text, not %1").arg(typeName(value)));
            return {};
        }
        return value.toString();
    }

    // An object member; an empty object (and a problem) when it is there but is not an object.
    QJsonObject object(const QString &key, bool required)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() && !required)
            return {};
        if (!value.isObject()) {
            problem(key,
                    value.isUndefined() ? Snapshot::tr("is missing")
                                        : Snapshot::tr("must be an object, not %1").arg(typeName(value)));
            return {};
        }
        return value.toObject();
    }

    // A value in minutes within the file's range of its setting (Snapshot::fileRange), or null; missing says what to
    // write instead, orNull how the range's message ends.
    std::optional<int> minutes(const QString &key, TimerSetting setting, const QString &missing, const QString &orNull)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined()) {
            problem(key, missing);
            return std::nullopt;
        }
        if (value.isNull())
            return std::nullopt;
        const Snapshot::Range range = Snapshot::fileRange(setting);
        const auto n = wholeNumber(value, range.minimum, range.maximum);
        if (!n) {
            problem(key,
                    Snapshot::tr("must be a whole number of minutes from %1 to %2, %3, not %4")
                        .arg(range.minimum)
                        .arg(range.maximum)
                        .arg(orNull,
                             value.isDouble() ? QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest)
                                 : value.isString() ? u'"' + value.toString() + u'"'
                                                    : typeName(value)));
            return std::nullopt;
        }
        return int(*n);
    }

    // versionnumber as an ETag, W/"<n>"; empty when it is absent or null.
    QString version()
    {
        const QJsonValue version = m_object.value(u"versionnumber"_s);
        if (version.isUndefined() || version.isNull())
            return {};
        // Doubles hold integers exactly up to 2^53, which is where the check stops.
        const auto n = wholeNumber(version, 0, qint64(1) << 53);
        if (!n) {
            problem(u"versionnumber"_s, Snapshot::tr("must be a whole number or null, not %1").arg(typeName(version)));
            return {};
        }
        return u"W/\"%1\""_s.arg(*n);
    }

private:
    QJsonObject m_object;
    QString m_where;
    QStringList *m_problems;
};

ChannelStateConfig readRecord(const QJsonObject &object, const QString &where, QStringList *problems)
{
    RecordReader reader(object, where, problems);
    ChannelStateConfig c;
    c.id = reader.guid(object, u"id"_s, u"id"_s);
    c.name = reader.text(object, u"name"_s, u"name"_s, true);

    const QJsonObject channel = reader.object(u"channel"_s, true);
    if (!channel.isEmpty() || object.value(u"channel"_s).isObject()) {
        const QJsonValue code = channel.value(u"code"_s);
        if (code.isUndefined())
            reader.problem(u"channel.code"_s, Snapshot::tr("is missing (use null for an unknown channel)"));
        else if (!code.isNull()) {
            const auto n = wholeNumber(code, 0, std::numeric_limits<int>::max());
            if (!n)
                reader.problem(u"channel.code"_s,
                               Snapshot::tr("must be a msdyn_streamsource code such as 192360000, not %1")
                                   .arg(code.isDouble() ? QString::number(code.toDouble()) : typeName(code)));
            else
                c.streamSource = int(*n);
        }
    }

    const QJsonObject channelConfiguration = reader.object(u"channelConfiguration"_s, false);
    c.channelConfigId = reader.guid(channelConfiguration, u"id"_s, u"channelConfiguration.id"_s);
    c.channelName = reader.text(channelConfiguration, u"name"_s, u"channelConfiguration.name"_s, false);

    const QJsonObject state = reader.object(u"state"_s, true);
    if (!state.isEmpty() || object.value(u"state"_s).isObject()) {
        const QJsonValue code = state.value(u"code"_s);
        const auto n = wholeNumber(code, 0, 4);
        if (!n)
            reader.problem(
                u"state.code"_s,
                code.isUndefined()
                    ? Snapshot::tr("is missing")
                    : Snapshot::tr("must be 0 (Open), 1 (Active), 2 (Waiting), 3 (Closed) or 4 (Wrap-up), not %1")
                          .arg(code.isDouble() ? QString::number(code.toDouble()) : typeName(code)));
        else
            c.state = int(*n);
    }

    c.minutes = reader.minutes(u"minutes"_s, TimerSetting::ChannelState,
                               Snapshot::tr("is missing (use null for \"never auto-close\")"),
                               Snapshot::tr("or null for never"));
    c.etag = reader.version();
    return c;
}

Workstream readWorkstream(const QJsonObject &object, const QString &where, QStringList *problems)
{
    RecordReader reader(object, where, problems);
    Workstream w;
    w.id = reader.guid(object, u"id"_s, u"id"_s);
    w.name = reader.text(object, u"name"_s, u"name"_s, true);
    // The channel is for people: workstreams are matched by id, then name.
    const QJsonObject channel = reader.object(u"channel"_s, false);
    const QJsonValue code = channel.value(u"code"_s);
    if (!code.isUndefined() && !code.isNull()) {
        const auto n = wholeNumber(code, 0, std::numeric_limits<int>::max());
        if (!n)
            reader.problem(u"channel.code"_s,
                           Snapshot::tr("must be a msdyn_streamsource code such as 192360000, not %1")
                               .arg(code.isDouble() ? QString::number(code.toDouble()) : typeName(code)));
        else
            w.streamSource = int(*n);
    }
    // Null is read (an environment may hold no value; docs/snapshots.md), and refused when applying would empty a
    // value the column requires (ApplyPlan::workstreamRefusals).
    w.inactivityMinutes = reader.minutes(u"autoCloseAfterInactivity"_s, TimerSetting::Inactivity,
                                         Snapshot::tr("is missing (a workstream's auto-close after inactivity is "
                                                      "required: a whole number of minutes)"),
                                         Snapshot::tr("or null when the environment holds none"));
    w.wrapUpBlockMinutes = reader.minutes(u"blockCapacityForWrapUp"_s, TimerSetting::WrapUpBlock,
                                          Snapshot::tr("is missing (use null for an empty block)"),
                                          Snapshot::tr("or null for an empty block"));
    w.etag = reader.version();
    return w;
}

QString describeRecord(qsizetype index, const QJsonValue &value)
{
    const QString name = value.toObject().value(u"name"_s).toString();
    return name.isEmpty() ? Snapshot::tr("record %1").arg(index + 1)
                          : Snapshot::tr("record %1 (\"%2\")").arg(index + 1).arg(name);
}

QString describeWorkstream(qsizetype index, const QJsonValue &value)
{
    const QString name = value.toObject().value(u"name"_s).toString();
    return name.isEmpty() ? Snapshot::tr("workstream %1").arg(index + 1)
                          : Snapshot::tr("workstream %1 (\"%2\")").arg(index + 1).arg(name);
}

QJsonValue idValue(const QString &id)
{
    return id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(id);
}

QJsonValue versionValue(const QString &etag)
{
    const auto version = Snapshot::versionNumber(etag);
    return version ? QJsonValue(double(*version)) : QJsonValue(QJsonValue::Null);
}

QString streamSourceLabel(const std::optional<int> &streamSource)
{
    return streamSource ? StreamSource::label(*streamSource)
                        : QCoreApplication::translate("ChannelStateConfig", "Unknown channel");
}
} // namespace
} // namespace Snapshots

using namespace Snapshots;

Snapshot::Range Snapshot::fileRange(TimerSetting setting)
{
    // The columns' reference pages (docs/dataverse-tables.md).
    switch (setting) {
    case TimerSetting::ChannelState:
    case TimerSetting::Inactivity:
        return {0, std::numeric_limits<int>::max()};
    case TimerSetting::WrapUpBlock:
        return {0, 43200};
    }
    return {0, 0};
}

bool Snapshot::workstreamOrder(const Workstream &a, const Workstream &b)
{
    return std::make_tuple(a.name, a.id.toLower()) < std::make_tuple(b.name, b.id.toLower());
}

void Snapshot::normalize()
{
    std::sort(records.begin(), records.end(), channelStateOrder);
    std::stable_sort(workstreams.begin(), workstreams.end(), workstreamOrder);
}

std::optional<qint64> Snapshot::versionNumber(const QString &etag)
{
    QString digits = etag;
    if (digits.startsWith(u"W/"_s))
        digits = digits.mid(2);
    if (digits.size() >= 2 && digits.startsWith(u'"') && digits.endsWith(u'"'))
        digits = digits.mid(1, digits.size() - 2);
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    if (!ok || n < 0)
        return std::nullopt;
    return n;
}

QByteArray Snapshot::toJson() const
{
    Snapshot sorted = *this;
    sorted.normalize();
    QJsonArray array;
    for (const ChannelStateConfig &c : std::as_const(sorted.records)) {
        array.append(QJsonObject {
            {u"id"_s, idValue(c.id)},
            {u"name"_s, c.name},
            {u"channel"_s, QJsonObject {{u"code"_s, optionalInt(c.streamSource)}, {u"label"_s, c.channelLabel()}}},
            {u"channelConfiguration"_s,
             QJsonObject {
                 {u"id"_s, c.channelConfigId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.channelConfigId)},
                 {u"name"_s, c.channelName}}},
            {u"state"_s, QJsonObject {{u"code"_s, c.state}, {u"label"_s, conversationStateLabel(c.state)}}},
            {u"minutes"_s, optionalInt(c.minutes)},
            {u"versionnumber"_s, versionValue(c.etag)},
        });
    }
    // QJsonObject keeps its keys sorted: environment, exportedAt, records, schemaVersion, toolVersion, workstreams.
    // environment takes four lines, so exportedAt, a short scalar, stands alone on line 6 of the file
    // (docs/snapshots.md).
    QJsonObject root {
        {u"schemaVersion"_s, schemaVersion},
        {u"environment"_s, QJsonObject {{u"url"_s, environmentUrl}, {u"organizationId"_s, organizationId}}},
        {u"exportedAt"_s, exportedAt.toUTC().toString(Qt::ISODate)},
        {u"toolVersion"_s, toolVersion},
        {u"records"_s, array},
    };
    if (hasWorkstreams()) {
        QJsonArray workstreamArray;
        for (const Workstream &w : std::as_const(sorted.workstreams))
            workstreamArray.append(QJsonObject {
                {u"id"_s, idValue(w.id)},
                {u"name"_s, w.name},
                {u"channel"_s,
                 QJsonObject {{u"code"_s, optionalInt(w.streamSource)},
                              {u"label"_s, streamSourceLabel(w.streamSource)}}},
                {u"autoCloseAfterInactivity"_s, optionalInt(w.inactivityMinutes)},
                {u"blockCapacityForWrapUp"_s, optionalInt(w.wrapUpBlockMinutes)},
                {u"versionnumber"_s, versionValue(w.etag)},
            });
        root.insert(u"workstreams"_s, workstreamArray);
    }
    return withTwoSpaceIndent(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QByteArray Snapshot::toCsv() const
{
    Snapshot sorted = *this;
    sorted.normalize();
    // The columns of version 1's CSV, then "setting": which value the line holds (docs/snapshots.md).
    QString text =
        u"id,name,channel,channel_label,channel_configuration,state,state_label,minutes,versionnumber,setting\r\n"_s;
    const auto number = [](const std::optional<int> &n) {
        return n ? QString::number(*n) : QString();
    };
    const auto version = [](const QString &etag) {
        const auto n = versionNumber(etag);
        return n ? QString::number(*n) : QString();
    };
    for (const ChannelStateConfig &c : std::as_const(sorted.records)) {
        const QStringList fields {
            c.id,
            csvField(c.name),
            number(c.streamSource),
            csvField(c.channelLabel()),
            csvField(c.channelName),
            QString::number(c.state),
            csvField(conversationStateLabel(c.state)),
            number(c.minutes),
            version(c.etag),
            TimerSettings::name(TimerSetting::ChannelState),
        };
        text += fields.join(u',') + u"\r\n"_s;
    }
    for (const Workstream &w : std::as_const(sorted.workstreams)) {
        for (const auto &[setting, minutes] : {std::pair {TimerSetting::Inactivity, w.inactivityMinutes},
                                               std::pair {TimerSetting::WrapUpBlock, w.wrapUpBlockMinutes}}) {
            const QStringList fields {
                w.id,
                csvField(w.name),
                number(w.streamSource),
                csvField(streamSourceLabel(w.streamSource)),
                QString(),
                QString(),
                QString(),
                number(minutes),
                version(w.etag),
                TimerSettings::name(setting),
            };
            text += fields.join(u',') + u"\r\n"_s;
        }
    }
    return text.toUtf8();
}

Result<Snapshot> Snapshot::fromJson(const QByteArray &json, const QString &source)
{
    const auto refuse = [&source](const QString &why) {
        return Error::badInput(tr("%1 is not a snapshot this version can apply: %2").arg(source, why));
    };
    if (json.size() > MaxFileBytes)
        return refuse(tr("it is %1 MB; a snapshot is at most %2 MB (an environment's records take well under 1 MB).")
                          .arg(json.size() / (1024 * 1024))
                          .arg(MaxFileBytes / (1024 * 1024)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray before = json.left(parseError.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = parseError.offset - (before.lastIndexOf('\n') + 1) + 1;
        return refuse(tr("it is not valid JSON (%1 at line %2, column %3); was it cut short or edited by hand?")
                          .arg(parseError.errorString())
                          .arg(line)
                          .arg(column));
    }
    if (!document.isObject())
        return refuse(tr("it holds %1 where a snapshot holds an object with \"schemaVersion\" and \"records\".")
                          .arg(document.isArray() ? tr("a list") : tr("nothing")));
    const QJsonObject root = document.object();

    const QJsonValue version = root.value(u"schemaVersion"_s);
    if (version.isUndefined())
        return refuse(tr("the field \"schemaVersion\" is missing."));
    const auto versionNumber = wholeNumber(version, 0, std::numeric_limits<int>::max());
    if (!versionNumber)
        return refuse(tr("\"schemaVersion\" must be a whole number, not %1.").arg(typeName(version)));
    if (*versionNumber < FirstSchemaVersion || *versionNumber > SchemaVersion)
        return refuse(*versionNumber > SchemaVersion
                          ? tr("its schema version is %1 and this version of Auto-Close Editor reads versions up to "
                               "%2; update Auto-Close Editor to read it.")
                                .arg(*versionNumber)
                                .arg(SchemaVersion)
                          : tr("its schema version %1 is unknown (this version reads versions %2 to %3).")
                                .arg(*versionNumber)
                                .arg(FirstSchemaVersion)
                                .arg(SchemaVersion));

    Snapshot snapshot;
    snapshot.schemaVersion = int(*versionNumber);
    QStringList problems;
    const QJsonValue environment = root.value(u"environment"_s);
    if (!environment.isObject())
        problems << tr("field \"environment\": %1")
                        .arg(environment.isUndefined() ? tr("is missing")
                                                       : tr("must be an object, not %1").arg(typeName(environment)));
    snapshot.environmentUrl = environment.toObject().value(u"url"_s).toString();
    snapshot.organizationId = environment.toObject().value(u"organizationId"_s).toString();
    const QJsonValue exportedAt = root.value(u"exportedAt"_s);
    snapshot.exportedAt = QDateTime::fromString(exportedAt.toString(), Qt::ISODate);
    if (!snapshot.exportedAt.isValid())
        problems << tr("field \"exportedAt\": must be a time such as 2026-05-01T08:00:00Z, not %1")
                        .arg(exportedAt.isString() ? u'"' + exportedAt.toString() + u'"' : typeName(exportedAt));
    snapshot.toolVersion = root.value(u"toolVersion"_s).toString();

    const QJsonValue records = root.value(u"records"_s);
    if (!records.isArray())
        problems << tr("field \"records\": %1")
                        .arg(records.isUndefined() ? tr("is missing")
                                                   : tr("must be a list, not %1").arg(typeName(records)));
    const QJsonArray array = records.toArray();
    QHash<QString, qsizetype> firstWithId;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue value = array.at(i);
        const QString where = describeRecord(i, value);
        if (!value.isObject()) {
            problems << tr("%1: must be an object, not %2").arg(where, typeName(value));
            continue;
        }
        ChannelStateConfig c = readRecord(value.toObject(), where, &problems);
        if (!c.id.isEmpty()) {
            const QString key = c.id.toLower();
            if (firstWithId.contains(key))
                problems << tr("%1 has the same id as %2 (%3): a record may appear once.")
                                .arg(where, describeRecord(firstWithId.value(key), array.at(firstWithId.value(key))),
                                     c.id);
            else
                firstWithId.insert(key, i);
        }
        snapshot.records << c;
    }

    const QJsonValue workstreams = root.value(u"workstreams"_s);
    if (!snapshot.hasWorkstreams()) {
        if (!workstreams.isUndefined())
            problems << tr("field \"workstreams\": a version 1 snapshot has none; make \"schemaVersion\" %1 to "
                           "include workstreams, or remove the field.")
                            .arg(SchemaVersion);
    } else if (!workstreams.isArray()) {
        problems << tr("field \"workstreams\": %1")
                        .arg(workstreams.isUndefined()
                                 ? tr("is missing (a version %1 snapshot lists the workstreams; use [] for none)")
                                       .arg(snapshot.schemaVersion)
                                 : tr("must be a list, not %1").arg(typeName(workstreams)));
    }
    const QJsonArray workstreamArray = snapshot.hasWorkstreams() ? workstreams.toArray() : QJsonArray();
    QHash<QString, qsizetype> firstWorkstreamWithId;
    for (qsizetype i = 0; i < workstreamArray.size(); ++i) {
        const QJsonValue value = workstreamArray.at(i);
        const QString where = describeWorkstream(i, value);
        if (!value.isObject()) {
            problems << tr("%1: must be an object, not %2").arg(where, typeName(value));
            continue;
        }
        Workstream w = readWorkstream(value.toObject(), where, &problems);
        if (!w.id.isEmpty()) {
            const QString key = w.id.toLower();
            const auto earlier = firstWorkstreamWithId.constFind(key);
            if (earlier != firstWorkstreamWithId.cend())
                problems << tr("%1 has the same id as %2 (%3): a workstream may appear once.")
                                .arg(where, describeWorkstream(*earlier, workstreamArray.at(*earlier)), w.id);
            else
                firstWorkstreamWithId.insert(key, i);
        }
        snapshot.workstreams << w;
    }
    if (!problems.isEmpty()) {
        constexpr qsizetype Shown = 20;
        QString list = problems.mid(0, Shown).join(u"\n  "_s);
        if (problems.size() > Shown)
            list += u"\n  "_s + tr("… and %1 more problems.").arg(problems.size() - Shown);
        return refuse(tr("problems found (%1):").arg(problems.size()) + u"\n  "_s + list);
    }
    snapshot.normalize();
    return snapshot;
}
