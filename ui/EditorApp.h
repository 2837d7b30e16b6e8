#pragma once

// The GUI application: parses the command line, starts the Demo environment and shows the main window.
namespace EditorApp {
int run(int &argc, char **argv);
}
