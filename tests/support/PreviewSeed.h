#pragma once

// A seed file for the closure preview at volume: tests/data/seeds/preview.json's channels, configurations and
// workstreams with many generated conversations, for reads that span many pages and time ranges.
#include <QString>

struct PreviewSeed
{
    int chatOpen = 1500; // open chats (Chat - Open, 20 min): the list that spans many pages
    int textOpen = 300; // open texts (Text - Open, 1 h)
    int onBoth = 100; // open on chat and text: listed under Chat - Open only
    int wrapUp = 200; // chats in wrap-up, one in four without its wrap-up time
    int perSecond = 5; // conversations created in the same second: ties that only the key orders
};

// Writes the seed to path (JSON for autoclose-sandbox --seed or LocalSandbox's seed.file). The conversations are
// created over the 30 days before 2026-03-01T12:00:00Z, most of them in the last day (as the demo's log scale), in
// an order unrelated to their ids. False when the file cannot be written.
bool writePreviewSeed(const QString &path, const PreviewSeed &seed);
