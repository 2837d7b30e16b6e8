#include "ui/HistoryDialog.h"

#include "app/snapshot/AuditLog.h"
#include "models/Duration.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

HistoryDialog::HistoryDialog(const QString &environmentUrl, const QString &logPath, QWidget *parent)
    : QDialog(parent)
    , m_environmentUrl(environmentUrl)
    , m_logPath(logPath.isEmpty() ? AuditLog::defaultPath() : logPath)
    , m_table(new QTableWidget(0, 8))
    , m_onlyThis(new QCheckBox(tr("&Only this environment")))
    , m_summary(new QLabel)
{
    setObjectName(u"historyDialog"_s);
    setWindowTitle(tr("History of applied changes"));
    m_table->setHorizontalHeaderLabels({tr("When"), tr("Record"), tr("Change"), tr("Result"), tr("Who"), tr("Source"),
                                        tr("Environment"), tr("Why not saved")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_onlyThis->setChecked(true);
    connect(m_onlyThis, &QCheckBox::toggled, this, &HistoryDialog::reload);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *reloadButton = buttons->addButton(tr("&Reload"), QDialogButtonBox::ActionRole);
    connect(reloadButton, &QPushButton::clicked, this, &HistoryDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_onlyThis);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(980, 480);
    reload();
}

void HistoryDialog::reload()
{
    int skipped = 0;
    const auto read = AuditLog(m_logPath).read(&skipped);
    m_table->setRowCount(0);
    if (!read) {
        m_summary->setText(read.error().userMessage.toHtmlEscaped());
        return;
    }
    QList<AuditLog::Entry> entries = read.value();
    if (m_onlyThis->isChecked())
        entries.removeIf([this](const AuditLog::Entry &e) { return e.environmentUrl != m_environmentUrl; });
    std::reverse(entries.begin(), entries.end()); // newest first
    m_table->setRowCount(int(entries.size()));
    const auto item = [](const QString &text) {
        auto *i = new QTableWidgetItem(text);
        i->setToolTip(text);
        return i;
    };
    for (int row = 0; row < entries.size(); ++row) {
        const AuditLog::Entry &e = entries.at(row);
        const QString who = e.user.isEmpty() ? e.osUser : tr("%1 (%2 on this computer)").arg(e.user, e.osUser);
        QString result = e.result;
        if (e.result == u"saved"_s)
            result = tr("Saved");
        else if (e.result == u"failed"_s)
            result = tr("Failed");
        else if (e.result == u"not-saved"_s)
            result = tr("Not saved");
        m_table->setItem(row, 0, item(QLocale().toString(e.at.toLocalTime(), QLocale::ShortFormat)));
        m_table->setItem(row, 1, item(e.recordName.isEmpty() ? e.recordId : e.recordName));
        m_table->setItem(row, 2, item(Duration::format(e.oldMinutes) + u" → " + Duration::format(e.newMinutes)));
        m_table->setItem(row, 3, item(result));
        m_table->setItem(row, 4, item(who));
        m_table->setItem(row, 5, item(e.source));
        m_table->setItem(row, 6, item(e.environmentUrl));
        m_table->setItem(row, 7, item(e.error));
    }
    m_table->resizeColumnsToContents();
    QString text =
        entries.isEmpty() ? tr("No changes recorded yet.") : tr("%n change(s).", nullptr, int(entries.size()));
    text += u' ' + tr("Kept in %1.").arg(m_logPath);
    if (skipped > 0)
        text += u' ' + tr("%n damaged line(s) skipped.", nullptr, skipped);
    m_summary->setText(text.toHtmlEscaped());
}
