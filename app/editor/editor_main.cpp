// autoclose-editor: see EditorApp::run.
#include "app/common/NoCoreDumps.h"
#include "ui/EditorApp.h"

int main(int argc, char *argv[])
{
    NoCoreDumps::apply();
    return EditorApp::run(argc, argv);
}
