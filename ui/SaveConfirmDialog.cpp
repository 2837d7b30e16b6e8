#include "ui/SaveConfirmDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

SaveConfirmDialog::SaveConfirmDialog(const QString &title, const QString &intro, const QList<Row> &rows,
                                     bool production, const QString &environmentName, const QString &acceptText,
                                     QWidget *parent)
    : QDialog(parent)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel))
{
    setObjectName(u"saveConfirmDialog"_s);
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *introLabel = new QLabel(intro);
    introLabel->setWordWrap(true);
    layout->addWidget(introLabel);

    auto *table = new QTreeWidget;
    table->setObjectName(u"changes"_s);
    table->setAccessibleName(tr("Changes to send"));
    table->setRootIsDecorated(false);
    table->setHeaderLabels({tr("Channel"), tr("State"), tr("From"), tr("To"), tr("Note")});
    for (const Row &row : rows) {
        auto *item = new QTreeWidgetItem(table, {row.channel, row.state, row.from, row.to, row.note});
        item->setToolTip(4, row.note);
        QFont bold = item->font(3);
        bold.setBold(true);
        item->setFont(3, bold);
    }
    table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->header()->setStretchLastSection(true);
    layout->addWidget(table, 1);

    QPushButton *accept = m_buttons->addButton(acceptText, QDialogButtonBox::AcceptRole);
    accept->setDefault(true);
    if (production) {
        auto *warning = new QLabel(tr("<b>%1 is a production environment.</b> Type its name to confirm:")
                                       .arg(environmentName.toHtmlEscaped()));
        warning->setWordWrap(true);
        m_confirm = new QLineEdit;
        m_confirm->setObjectName(u"confirmName"_s);
        m_confirm->setAccessibleName(tr("Environment name, to confirm"));
        m_confirm->setPlaceholderText(environmentName);
        warning->setBuddy(m_confirm);
        layout->addWidget(warning);
        layout->addWidget(m_confirm);
        accept->setEnabled(false);
        connect(m_confirm, &QLineEdit::textChanged, accept, [accept, environmentName](const QString &text) {
            accept->setEnabled(text.trimmed() == environmentName);
        });
        m_confirm->setFocus();
    }
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    resize(720, 360);
}
