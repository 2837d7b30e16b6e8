#include "ui/ConflictDialog.h"

#include "models/Duration.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ConflictDialog::ConflictDialog(const EditSession::Conflict &values, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"conflictDialog"_s);
    setWindowTitle(tr("Changed by someone else"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>%1</b> was changed on the server after you began editing it, so your value was "
                                "not saved. Choose which value to keep.")
                                 .arg(values.label.toHtmlEscaped()));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    const QString when = values.theirsModifiedOn.isValid()
        ? tr(" (saved %1)").arg(QLocale().toString(values.theirsModifiedOn.toLocalTime(), QLocale::ShortFormat))
        : QString();
    auto *theirs = new QLabel(u"<b>%1</b>%2"_s.arg(Duration::format(values.theirs).toHtmlEscaped(), when));
    theirs->setObjectName(u"theirs"_s);
    auto *yours = new QLabel(u"<b>%1</b>"_s.arg(Duration::format(values.yours).toHtmlEscaped()));
    yours->setObjectName(u"yours"_s);
    form->addRow(tr("Their value:"), theirs);
    form->addRow(tr("Your value:"), yours);
    form->addRow(tr("You started from:"), new QLabel(Duration::format(values.base)));
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox;
    QPushButton *keep = buttons->addButton(tr("&Keep theirs"), QDialogButtonBox::RejectRole);
    keep->setObjectName(u"keepTheirs"_s);
    keep->setToolTip(tr("Drop your edit; the server's value stays."));
    QPushButton *overwrite = buttons->addButton(tr("&Overwrite with mine"), QDialogButtonBox::AcceptRole);
    overwrite->setObjectName(u"overwrite"_s);
    overwrite->setToolTip(tr("Save your value over theirs now (checked against their version, so a third change is "
                             "still caught)."));
    QPushButton *edit = buttons->addButton(tr("&Edit…"), QDialogButtonBox::ActionRole);
    edit->setObjectName(u"edit"_s);
    edit->setToolTip(tr("Keep your edit pending over their version and change it before saving."));
    QPushButton *later = buttons->addButton(tr("Decide &later"), QDialogButtonBox::ActionRole);
    later->setObjectName(u"later"_s);
    const auto choose = [this](Decision choice) {
        return [this, choice] {
            m_choice = choice;
            done(choice == Decision::Later ? QDialog::Rejected : QDialog::Accepted);
        };
    };
    connect(keep, &QPushButton::clicked, this, choose(Decision::KeepTheirs));
    connect(overwrite, &QPushButton::clicked, this, choose(Decision::Overwrite));
    connect(edit, &QPushButton::clicked, this, choose(Decision::Edit));
    connect(later, &QPushButton::clicked, this, choose(Decision::Later));
    layout->addWidget(buttons);
    later->setFocus();
}

EditSession::Decision ConflictDialog::ask(const EditSession::Conflict &conflict, QWidget *parent)
{
    ConflictDialog dialog(conflict, parent);
    dialog.exec();
    return dialog.choice();
}
