#include "app/common/Translations.h"

#include <QCoreApplication>
#include <QTranslator>

bool Translations::install(QCoreApplication *app)
{
    auto *translator = new QTranslator(app);
    if (!translator->load(QStringLiteral(":/translations/autoclose_en.qm"))) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}
