#pragma once

// The GUI tests' environment: the sandbox fixture (SandboxFixture.h), and a window on it.
#include "SandboxFixture.h"
#include "ui/MainWindow.h"

// The environment a test's window shows: the Demo environment, or Contoso Production; its journal in journalDir.
EnvironmentInfo environment(const QString &journalDir, bool production = false);

// Activates the window (shortcuts reach an active window only) and loads it: true once it has loaded.
bool load(MainWindow &window);
