#include "ui/SaveConfirmDialog.h"

#include "models/ConfigTableModel.h"
#include "models/Duration.h"
#include "models/EditRisks.h"
#include "models/WorkstreamTableModel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>

#include <algorithm>
#include <climits>

namespace {
// A count for a plural form (%n takes an int); counts past INT_MAX read as the largest.
int clampedCount(qint64 count)
{
    return int(std::min<qint64>(count, INT_MAX));
}
} // namespace
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
    table->setHeaderLabels({tr("Channel or workstream"), tr("State or timer"), tr("From"), tr("To"), tr("Note")});
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

SaveConfirmDialog::SaveConfirmDialog(const Content &content, bool production, const QString &environmentName,
                                     QWidget *parent)
    : SaveConfirmDialog(content.title, content.intro, content.rows, production, environmentName, content.acceptText,
                        parent)
{ }

SaveConfirmDialog::Content SaveConfirmDialog::forSave(const ConfigTableModel &model,
                                                      const WorkstreamTableModel &workstreams,
                                                      const QList<PendingEdit> &edits,
                                                      const std::optional<QList<ClosurePreview::Impact>> &impacts,
                                                      const QString &environmentName)
{
    QHash<QString, ClosurePreview::Impact> byId;
    for (const ClosurePreview::Impact &impact : impacts.value_or(QList<ClosurePreview::Impact> {}))
        byId.insert(impact.configurationId, impact);
    qint64 newly = 0;
    qint64 spared = 0;
    Content content;
    for (const PendingEdit &edit : edits) {
        if (edit.setting != TimerSetting::ChannelState) {
            const Workstream *w = workstreams.workstream(edit.id);
            QString note = EditRisks::describe(EditRisks::assessWorkstream(edit.setting, edit.minutes));
            if (w && edit.baseEtag != w->etag)
                note = tr("Changed on the server meanwhile: you will be asked which to keep.") +
                    (note.isEmpty() ? QString() : u'\n' + note);
            content.rows << Row {w ? w->name : edit.id, TimerSettings::label(edit.setting),
                                 Duration::format(edit.baseMinutes), Duration::format(edit.minutes), note};
            continue;
        }
        const ChannelStateConfig *config = model.config(edit.id);
        QString note = EditRisks::describe(EditRisks::assess(*config, edit.minutes));
        if (const auto impact = byId.constFind(edit.id); impact != byId.cend()) {
            newly += impact->newlyCloses;
            spared += impact->noLongerCloses;
            const QString count = impact->newlyCloses > 0
                ? tr("%n more conversation(s) would close at the preview's time.", nullptr,
                     clampedCount(impact->newlyCloses))
                : (impact->noLongerCloses > 0 ? tr("%n fewer conversation(s) would close at the preview's time.",
                                                   nullptr, clampedCount(impact->noLongerCloses))
                                              : QString());
            if (!count.isEmpty())
                note = note.isEmpty() ? count : count + u'\n' + note;
        }
        if (edit.baseEtag != config->etag)
            note = tr("Changed on the server meanwhile (now %1): you will be asked which to keep.")
                       .arg(Duration::format(config->minutes)) +
                (note.isEmpty() ? QString() : u'\n' + note);
        content.rows << Row {config->channelLabel(), conversationStateLabel(config->state),
                             Duration::format(edit.baseMinutes), Duration::format(edit.minutes), note};
    }
    content.intro = tr("These values will be written to <b>%1</b>, all or none. Each is checked against the version "
                       "you edited, so a colleague's change made meanwhile is never overwritten.")
                        .arg(environmentName.toHtmlEscaped());
    if (impacts)
        content.intro += u"<br>"_s +
            tr("Closure preview: %1, %2.")
                .arg(tr("<b>%n</b> more conversation(s) would close", nullptr, clampedCount(newly)),
                     tr("%n fewer", nullptr, clampedCount(spared)));
    else
        content.intro += u"<br>"_s + tr("The closure preview is not up to date; its counts are not shown.");
    content.title = tr("Save %n change(s)", nullptr, int(edits.size()));
    content.acceptText = tr("&Save");
    return content;
}

SaveConfirmDialog::Content SaveConfirmDialog::forUndo(const ConfigTableModel &model,
                                                      const WorkstreamTableModel &workstreams,
                                                      const QList<EditSession::SavedValue> &lastSave,
                                                      const QString &environmentName)
{
    Content content;
    for (const EditSession::SavedValue &value : lastSave) {
        if (value.setting != TimerSetting::ChannelState) {
            const Workstream *w = workstreams.workstream(value.id);
            content.rows << Row {w ? w->name : value.label, TimerSettings::label(value.setting),
                                 Duration::format(value.after), Duration::format(value.before), QString()};
            continue;
        }
        const ChannelStateConfig *config = model.config(value.id);
        content.rows << Row {config ? config->channelLabel() : value.label,
                             config ? conversationStateLabel(config->state) : QString(), Duration::format(value.after),
                             Duration::format(value.before), QString()};
    }
    content.title = tr("Undo last save");
    content.intro = tr("These values will be put back in <b>%1</b>. A record changed by someone else since your "
                       "save is left as it is and reported.")
                        .arg(environmentName.toHtmlEscaped());
    content.acceptText = tr("&Put Back");
    return content;
}
