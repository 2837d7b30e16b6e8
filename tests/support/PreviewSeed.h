#pragma once

// A seed file for the closure preview at volume: tests/data/seeds/preview.json's channels, configurations and
// workstreams with many generated conversations, for reads that span many pages and time ranges.
#include "models/Result.h"
#include "models/Workstream.h"

#include <QList>
#include <QString>

class DataverseClient;

struct PreviewSeed
{
    int chatOpen = 1500; // open chats (Chat - Open, 20 min): the list that spans many pages
    int textOpen = 300; // open texts (Text - Open, 1 h)
    int onBoth = 100; // open on chat and text: listed under Chat - Open only
    int wrapUp = 200; // chats in wrap-up, one in four without its wrap-up time
    int perSecond = 5; // conversations created in the same second: ties that only the key orders
    // Timed by their workstream (docs/closing-rule.md). Waiting texts (Text - Later, Waiting, 0 min): in turn on
    // "Text care" (1 min of inactivity), "Text night" (6 h), no workstream, and a workstream no list holds. Wrap-up
    // chats (Chat - Wrap-up, 15 min): in turn on "Chat blocked" (a 45 min wrap-up block), "Chat free" (no block) and
    // no workstream. With either, the seed also holds those workstreams (PreviewSeedIds).
    int waitingText = 0;
    int wrapUpOnWorkstreams = 0;
};

// The workstreams the seed holds (Text care comes from tests/data/seeds/preview.json), and the one it only refers to.
namespace PreviewSeedIds {
inline constexpr char TextCare[] = "d0000000-0000-0000-0000-000000000001";
inline constexpr char TextNight[] = "d0000000-0000-0000-0000-000000000003";
inline constexpr char ChatBlocked[] = "d0000000-0000-0000-0000-000000000004";
inline constexpr char ChatFree[] = "d0000000-0000-0000-0000-000000000005";
inline constexpr char Unknown[] = "d0000000-0000-0000-0000-0000000000ff"; // no such record
} // namespace PreviewSeedIds

// Writes the seed to path (JSON for autoclose-sandbox --seed or LocalSandbox's seed.file). The conversations are
// created over the 30 days before 2026-03-01T12:00:00Z, most of them in the last day (as the demo's log scale), in
// an order unrelated to their ids. False when the file cannot be written.
bool writePreviewSeed(const QString &path, const PreviewSeed &seed);

// The workstreams of the environment behind client, read now (waiting up to 20 s): what a test gives the preview's
// scenario so that it judges Waiting and Wrap-up conversations as the window does.
Result<QList<Workstream>> readWorkstreams(DataverseClient &client);
