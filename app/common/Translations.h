#pragma once

class QCoreApplication;

// Loads the product's translations into the application: for now the English plural forms ("1 edit", "2 edits"),
// compiled from resources/translations/autoclose_en.ts. Returns false when they are missing from the build.
namespace Translations {
bool install(QCoreApplication *app);
}
