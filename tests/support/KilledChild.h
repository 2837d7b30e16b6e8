#pragma once

#include "app/sandbox/LocalSandbox.h"

#include <QByteArray>
#include <QString>

// The kill tests' child: this very test program run again in a mode of its own. The child is told its data directory
// and mode in the environment (AUTOCLOSE_TEST_CHILD, AUTOCLOSE_TEST_CHILD_MODE), does its part, prints a word when it
// is ready, and is then killed with SIGKILL: no chance to save anything on the way out.
namespace KilledChild {

// In the child: its data directory (empty in the test itself) and its mode.
QString directory();
QString mode(const QString &fallback);

// In the child: its sandbox's options, on <dir>/sandbox; in mode "save:FAULT" the save's $batch is held up by that
// sandbox fault ("slow" acts on it and holds the reply back, "hold" holds the request itself back).
LocalSandbox::Options sandboxOptions(const QString &dir, const QString &mode);

// In the test: starts the child in mode on dir, waits for it to print word, and kills it. False when it ended by
// itself (its exit code is logged) or did not die of the kill.
bool run(const QString &dir, const QString &mode, const QByteArray &word);

} // namespace KilledChild
