#include "models/SnapshotDiff.h"

#include <QHash>

#include <algorithm>

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
} // namespace

SnapshotDiff SnapshotDiff::compare(const QList<ChannelStateConfig> &left, const QList<ChannelStateConfig> &right)
{
    SnapshotDiff diff;
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

bool SnapshotDiff::hasDifferences() const
{
    return count(Kind::Same) != entries.size();
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
    return plan;
}
