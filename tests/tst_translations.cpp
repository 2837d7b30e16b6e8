// Translatability: the build extracts every tr() string with lupdate, every plural string has its English forms,
// and the programs read "1 edit" / "2 edits" rather than "edit(s)".
#include "app/common/Translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// source text → whether it is a plural message, for every message of a .ts file.
QMap<QString, bool> messages(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString ts = QString::fromUtf8(file.readAll());
    QMap<QString, bool> result;
    static const QRegularExpression message(u"<message( numerus=\"yes\")?>\\s*<source>(.*?)</source>"_s,
                                            QRegularExpression::DotMatchesEverythingOption);
    for (auto it = message.globalMatch(ts); it.hasNext();) {
        const auto m = it.next();
        QString text = m.captured(2);
        text.replace(u"&lt;"_s, u"<"_s).replace(u"&gt;"_s, u">"_s).replace(u"&apos;"_s, u"'"_s);
        text.replace(u"&quot;"_s, u"\""_s).replace(u"&amp;"_s, u"&"_s);
        result.insert(text, !m.captured(1).isEmpty());
    }
    return result;
}
} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theBuildExtractsEveryString()
    {
        const QMap<QString, bool> all = messages(QStringLiteral(AUTOCLOSE_BUILD_TS));
        QVERIFY2(all.size() > 300, qPrintable(QString::number(all.size())));
        // From the window, the models, the client and the CLI (including strings outside any class).
        for (const QString &text : {u"Auto-close after"_s, u"Changed by someone else"_s, u"Never"_s,
                                    u"Closure &preview at"_s, u"--basis must be created or modified, not '%1'."_s})
            QVERIFY2(all.contains(text), qPrintable(text));
    }

    void everyPluralHasItsEnglishForms()
    {
        const QMap<QString, bool> all = messages(QStringLiteral(AUTOCLOSE_BUILD_TS));
        const QMap<QString, bool> english = messages(QStringLiteral(AUTOCLOSE_SOURCE_TS));
        for (auto it = all.cbegin(); it != all.cend(); ++it) {
            if (it.value())
                QVERIFY2(english.contains(it.key()),
                         qPrintable(
                             u"add the English plural forms of \"%1\" to resources/translations/autoclose_en.ts"_s.arg(
                                 it.key())));
        }
    }

    void pluralsReadRight()
    {
        QVERIFY(Translations::install(QCoreApplication::instance()));
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n unsaved edit(s)", nullptr, 1), u"1 unsaved edit"_s);
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n unsaved edit(s)", nullptr, 3), u"3 unsaved edits"_s);
        QCOMPARE(QCoreApplication::translate("MainWindow", "%n configuration(s)", nullptr, 24), u"24 configurations"_s);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
