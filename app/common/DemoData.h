#pragma once

#include <QString>

// Where the Demo environment keeps its data: one directory whichever program reaches it — the window, which runs the
// sandbox in its own process, and autoclose-cli, which starts autoclose-sandbox on it as a child process — so the
// CLI and the window show the same configurations and each sees what the other saved.
namespace DemoData {

// The editor's per-user data directory (QStandardPaths::AppDataLocation of autoclose-editor, e.g.
// ~/.local/share/AutoCloseEditor/autoclose-editor on Linux) + "/demo", asked from any program of the product: the
// location is built from the editor's application name, not the caller's.
QString defaultDirectory();

// The Demo environment's journal of unsaved edits: with its data, in <dataDir>/journal.
QString journalDirectory(const QString &dataDir);

} // namespace DemoData
