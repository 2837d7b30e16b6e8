#include "models/SnapshotDiff.h"

#include "models/Duration.h"
#include "models/Snapshot.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <array>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {
QString naturalKey(const ChannelStateConfig &c)
{
    return u"%1\x1f%2\x1f%3"_s.arg(c.channelName.trimmed().toCaseFolded())
        .arg(c.streamSource ? QString::number(*c.streamSource) : QString())
        .arg(c.state);
}

QString idKey(const ChannelStateConfig &c)
{
    return c.id.toLower();
}

QString nameKey(const Workstream &w)
{
    return w.name.trimmed().toCaseFolded();
}

constexpr std::array<TimerSetting, 2> WorkstreamSettings = {TimerSetting::Inactivity, TimerSetting::WrapUpBlock};
} // namespace

std::optional<int> SnapshotDiff::minutesOf(const Workstream &workstream, TimerSetting setting)
{
    return setting == TimerSetting::WrapUpBlock ? workstream.wrapUpBlockMinutes : workstream.inactivityMinutes;
}

QString SnapshotDiff::format(TimerSetting setting, std::optional<int> minutes)
{
    if (!minutes && setting == TimerSetting::WrapUpBlock)
        return tr("Always block");
    if (!minutes && setting == TimerSetting::Inactivity)
        return tr("Not set");
    return Duration::format(minutes);
}

QString SnapshotDiff::workstreamUnitAssumption()
{
    return tr("Workstream values are taken to be minutes, and an empty wrap-up block to be the admin center's "
              "\"Always block\": assumptions (UNCONFIRMED), as Microsoft states neither.");
}

std::optional<int> SnapshotDiff::WorkstreamEntry::leftMinutes() const
{
    return left ? minutesOf(*left, setting) : std::nullopt;
}

std::optional<int> SnapshotDiff::WorkstreamEntry::rightMinutes() const
{
    return right ? minutesOf(*right, setting) : std::nullopt;
}

SnapshotDiff SnapshotDiff::compare(const Snapshot &left, const Snapshot &right)
{
    SnapshotDiff diff = compare(left.records, right.records);
    diff.leftHasWorkstreams = left.hasWorkstreams();
    diff.rightHasWorkstreams = right.hasWorkstreams();
    if (diff.workstreamsCompared())
        diff.workstreams = compareWorkstreams(left.workstreams, right.workstreams);
    return diff;
}

QList<SnapshotDiff::WorkstreamEntry> SnapshotDiff::compareWorkstreams(const QList<Workstream> &left,
                                                                      const QList<Workstream> &right)
{
    QList<WorkstreamEntry> entries;
    const auto add = [&entries](Kind kind, MatchedBy by, const std::optional<Workstream> &l,
                                const std::optional<Workstream> &r) {
        for (TimerSetting setting : WorkstreamSettings) {
            WorkstreamEntry e {kind, by, setting, l, r};
            if (kind == Kind::Same && e.leftMinutes() != e.rightMinutes())
                e.kind = Kind::Changed;
            entries << e;
        }
    };
    QList<bool> leftMatched(left.size(), false);
    QList<bool> rightMatched(right.size(), false);

    // By id, where both sides have the id.
    QHash<QString, qsizetype> rightById;
    for (qsizetype i = 0; i < right.size(); ++i)
        if (!right.at(i).id.isEmpty())
            rightById.insert(right.at(i).id.toLower(), i);
    for (qsizetype i = 0; i < left.size(); ++i) {
        if (left.at(i).id.isEmpty())
            continue;
        const auto found = rightById.constFind(left.at(i).id.toLower());
        if (found == rightById.cend() || rightMatched.at(*found))
            continue;
        leftMatched[i] = rightMatched[*found] = true;
        add(Kind::Same, MatchedBy::Id, left.at(i), right.at(*found));
    }

    // The rest by name. A name held by several workstreams on one side and any on the other is ambiguous.
    QHash<QString, QList<qsizetype>> leftByName;
    QHash<QString, QList<qsizetype>> rightByName;
    for (qsizetype i = 0; i < left.size(); ++i)
        if (!leftMatched.at(i))
            leftByName[nameKey(left.at(i))] << i;
    for (qsizetype i = 0; i < right.size(); ++i)
        if (!rightMatched.at(i))
            rightByName[nameKey(right.at(i))] << i;
    for (auto it = leftByName.cbegin(); it != leftByName.cend(); ++it) {
        const QList<qsizetype> onRight = rightByName.value(it.key());
        if (it->size() == 1 && onRight.size() == 1) {
            add(Kind::Same, MatchedBy::NaturalKey, left.at(it->first()), right.at(onRight.first()));
        } else if (onRight.isEmpty()) {
            for (qsizetype i : *it)
                add(Kind::OnlyLeft, MatchedBy::Nothing, left.at(i), std::nullopt);
        } else {
            for (qsizetype i : *it)
                add(Kind::Ambiguous, MatchedBy::Nothing, left.at(i), std::nullopt);
            for (qsizetype i : onRight)
                add(Kind::Ambiguous, MatchedBy::Nothing, std::nullopt, right.at(i));
        }
        rightByName.remove(it.key());
    }
    for (auto it = rightByName.cbegin(); it != rightByName.cend(); ++it)
        for (qsizetype i : *it)
            add(Kind::OnlyRight, MatchedBy::Nothing, std::nullopt, right.at(i));

    // By name, then id; the left side first within an ambiguous group; a workstream's settings in their order.
    std::stable_sort(entries.begin(), entries.end(), [](const WorkstreamEntry &a, const WorkstreamEntry &b) {
        const Workstream &x = a.workstream();
        const Workstream &y = b.workstream();
        return std::make_tuple(x.name, !a.left.has_value(), x.id.toLower(), int(a.setting)) <
            std::make_tuple(y.name, !b.left.has_value(), y.id.toLower(), int(b.setting));
    });
    return entries;
}

QString SnapshotDiff::workstreamsNotCompared(const QString &leftLabel, const QString &rightLabel) const
{
    if (leftHasWorkstreams && rightHasWorkstreams)
        return {};
    if (!leftHasWorkstreams && !rightHasWorkstreams)
        return tr("Workstreams were not compared: both sides are version 1 snapshots, which say nothing about "
                  "workstreams.");
    return tr("Workstreams were not compared: %1 is a version 1 snapshot, which says nothing about workstreams.")
        .arg(leftHasWorkstreams ? rightLabel : leftLabel);
}

SnapshotDiff SnapshotDiff::compare(const QList<ChannelStateConfig> &left, const QList<ChannelStateConfig> &right)
{
    SnapshotDiff diff;
    diff.leftHasWorkstreams = diff.rightHasWorkstreams = false;
    QList<bool> leftMatched(left.size(), false);
    QList<bool> rightMatched(right.size(), false);
    const auto add = [&diff](MatchedBy by, const ChannelStateConfig &l, const ChannelStateConfig &r) {
        diff.entries << Entry {l.minutes == r.minutes ? Kind::Same : Kind::Changed, by, l, r};
    };

    // By id, where both sides have the id.
    QHash<QString, qsizetype> rightById;
    for (qsizetype i = 0; i < right.size(); ++i)
        if (!right.at(i).id.isEmpty())
            rightById.insert(idKey(right.at(i)), i);
    for (qsizetype i = 0; i < left.size(); ++i) {
        if (left.at(i).id.isEmpty())
            continue;
        const auto found = rightById.constFind(idKey(left.at(i)));
        if (found == rightById.cend() || rightMatched.at(*found))
            continue;
        leftMatched[i] = rightMatched[*found] = true;
        add(MatchedBy::Id, left.at(i), right.at(*found));
    }

    // The rest by channel configuration, stream source and state. A key held by several records on one side and
    // any on the other is ambiguous: which pairs with which is not known.
    QHash<QString, QList<qsizetype>> leftByKey;
    QHash<QString, QList<qsizetype>> rightByKey;
    for (qsizetype i = 0; i < left.size(); ++i)
        if (!leftMatched.at(i))
            leftByKey[naturalKey(left.at(i))] << i;
    for (qsizetype i = 0; i < right.size(); ++i)
        if (!rightMatched.at(i))
            rightByKey[naturalKey(right.at(i))] << i;
    for (auto it = leftByKey.cbegin(); it != leftByKey.cend(); ++it) {
        const QList<qsizetype> onRight = rightByKey.value(it.key());
        if (it->size() == 1 && onRight.size() == 1) {
            add(MatchedBy::NaturalKey, left.at(it->first()), right.at(onRight.first()));
            rightByKey.remove(it.key());
            continue;
        }
        if (onRight.isEmpty()) {
            for (qsizetype i : *it)
                diff.entries << Entry {Kind::OnlyLeft, MatchedBy::Nothing, left.at(i), std::nullopt};
            continue;
        }
        for (qsizetype i : *it)
            diff.entries << Entry {Kind::Ambiguous, MatchedBy::Nothing, left.at(i), std::nullopt};
        for (qsizetype i : onRight)
            diff.entries << Entry {Kind::Ambiguous, MatchedBy::Nothing, std::nullopt, right.at(i)};
        rightByKey.remove(it.key());
    }
    for (auto it = rightByKey.cbegin(); it != rightByKey.cend(); ++it)
        for (qsizetype i : *it)
            diff.entries << Entry {Kind::OnlyRight, MatchedBy::Nothing, std::nullopt, right.at(i)};

    std::stable_sort(diff.entries.begin(), diff.entries.end(), [](const Entry &a, const Entry &b) {
        if (channelStateOrder(a.record(), b.record()))
            return true;
        if (channelStateOrder(b.record(), a.record()))
            return false;
        return a.left.has_value() && !b.left.has_value(); // left before right within an ambiguous group
    });
    return diff;
}

qsizetype SnapshotDiff::count(Kind kind) const
{
    return std::count_if(entries.cbegin(), entries.cend(), [kind](const Entry &e) { return e.kind == kind; });
}

qsizetype SnapshotDiff::workstreamCount(Kind kind) const
{
    return std::count_if(workstreams.cbegin(), workstreams.cend(),
                         [kind](const WorkstreamEntry &e) { return e.kind == kind; });
}

bool SnapshotDiff::hasDifferences() const
{
    return count(Kind::Same) != entries.size() || workstreamCount(Kind::Same) != workstreams.size();
}

QString SnapshotDiff::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Same:
        return u"same"_s;
    case Kind::Changed:
        return u"changed"_s;
    case Kind::OnlyLeft:
        return u"only-left"_s;
    case Kind::OnlyRight:
        return u"only-right"_s;
    case Kind::Ambiguous:
        return u"ambiguous"_s;
    }
    return {};
}

QString SnapshotDiff::kindLabel(Kind kind)
{
    switch (kind) {
    case Kind::Same:
        return tr("Same");
    case Kind::Changed:
        return tr("Changed");
    case Kind::OnlyLeft:
        return tr("Only left");
    case Kind::OnlyRight:
        return tr("Only right");
    case Kind::Ambiguous:
        return tr("Ambiguous");
    }
    return {};
}

ApplyPlan ApplyPlan::from(const SnapshotDiff &desiredVersusLive)
{
    ApplyPlan plan;
    for (const SnapshotDiff::Entry &e : desiredVersusLive.entries) {
        switch (e.kind) {
        case SnapshotDiff::Kind::Changed:
            plan.changes << Change {*e.right, e.left->minutes};
            break;
        case SnapshotDiff::Kind::OnlyLeft:
            plan.notInEnvironment << *e.left;
            break;
        case SnapshotDiff::Kind::Ambiguous:
            plan.ambiguous << e;
            break;
        case SnapshotDiff::Kind::Same:
        case SnapshotDiff::Kind::OnlyRight: // the snapshot says nothing about it: left alone
            break;
        }
    }
    plan.workstreamsLeftAlone = !desiredVersusLive.leftHasWorkstreams;
    for (const SnapshotDiff::WorkstreamEntry &e : desiredVersusLive.workstreams) {
        // Every workstream has an entry per setting; the first (Inactivity) stands for the workstream.
        const bool first = e.setting == TimerSetting::Inactivity;
        switch (e.kind) {
        case SnapshotDiff::Kind::Changed:
            plan.workstreamChanges << WorkstreamChange {*e.right, e.setting, e.leftMinutes()};
            break;
        case SnapshotDiff::Kind::OnlyLeft:
            if (first)
                plan.workstreamsNotInEnvironment << *e.left;
            break;
        case SnapshotDiff::Kind::Ambiguous:
            if (first)
                plan.ambiguousWorkstreams << e;
            break;
        case SnapshotDiff::Kind::Same:
        case SnapshotDiff::Kind::OnlyRight:
            break;
        }
    }
    return plan;
}

QList<ApplyPlan::Item> ApplyPlan::items() const
{
    QList<Item> items;
    for (const Change &c : changes)
        items << Item {TimerSetting::ChannelState,
                       c.current.id,
                       c.current.name,
                       c.current.etag,
                       tr("Channel state"),
                       c.current.channelLabel(),
                       conversationStateLabel(c.current.state),
                       c.current.channelLabel() + u" · " + conversationStateLabel(c.current.state),
                       c.current.minutes,
                       c.minutes};
    for (const WorkstreamChange &c : workstreamChanges)
        items << Item {c.setting,
                       c.current.id,
                       c.current.name,
                       c.current.etag,
                       tr("Workstream"),
                       c.current.streamSource ? StreamSource::label(*c.current.streamSource) : QString(),
                       TimerSettings::label(c.setting),
                       c.current.name + u" · " + TimerSettings::label(c.setting),
                       SnapshotDiff::minutesOf(c.current, c.setting),
                       c.minutes};
    return items;
}

QStringList ApplyPlan::workstreamRefusals() const
{
    QStringList refusals;
    for (const Workstream &w : workstreamsNotInEnvironment)
        refusals << tr("The snapshot's workstream \"%1\"%2 matches no workstream of the environment, by id or by "
                       "name, and workstreams are never created: correct its name or id in the file, or remove it.")
                        .arg(w.name, w.id.isEmpty() ? QString() : tr(" (id %1)").arg(w.id));
    QSet<QString> named;
    for (const SnapshotDiff::WorkstreamEntry &e : ambiguousWorkstreams) {
        const QString key = e.workstream().name.trimmed().toCaseFolded();
        if (named.contains(key))
            continue;
        named.insert(key);
        refusals << tr("The workstream \"%1\" cannot be matched with certainty: more than one workstream has that "
                       "name and no id matches. Give the file's workstream its id, or rename the duplicate.")
                        .arg(e.workstream().name);
    }
    for (const WorkstreamChange &c : workstreamChanges) {
        if (c.minutes || TimerSettings::allowsEmpty(c.setting))
            continue;
        refusals << tr("The snapshot empties \"%1\" of the workstream \"%2\" (now %3), but that value is "
                       "required: give it a whole number of minutes in the file.")
                        .arg(TimerSettings::label(c.setting), c.current.name,
                             SnapshotDiff::format(c.setting, SnapshotDiff::minutesOf(c.current, c.setting)));
    }
    return refusals;
}

QStringList ApplyPlan::outOfRange(TimerSetting setting, qint64 minimum, qint64 maximum) const
{
    QStringList problems;
    for (const Item &item : items()) {
        if (item.setting != setting || !item.after)
            continue;
        if (*item.after > maximum)
            problems << tr("%1: %2 minutes is more than the environment allows (at most %3, from the column's "
                           "metadata).")
                            .arg(item.where)
                            .arg(*item.after)
                            .arg(maximum);
        else if (*item.after < minimum)
            problems << tr("%1: %2 minutes is less than the environment allows (at least %3, from the column's "
                           "metadata).")
                            .arg(item.where)
                            .arg(*item.after)
                            .arg(minimum);
    }
    return problems;
}

QList<TimerSetting> ApplyPlan::settings() const
{
    const QList<Item> all = items();
    QList<TimerSetting> settings;
    for (TimerSetting s : {TimerSetting::ChannelState, TimerSetting::Inactivity, TimerSetting::WrapUpBlock}) {
        if (std::any_of(all.cbegin(), all.cend(), [s](const Item &i) { return i.setting == s; }))
            settings << s;
    }
    return settings;
}
