#include "ui/Banner.h"

#include "ui/Palette.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

Banner::Banner(Kind kind, const QString &objectName, QWidget *parent)
    : QFrame(parent)
    , m_kind(kind)
    , m_text(new QLabel)
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // What kind of message it is, for a screen reader (the text is its name).
    switch (kind) {
    case Kind::Error:
        m_text->setAccessibleDescription(tr("Error"));
        break;
    case Kind::Notice:
        m_text->setAccessibleDescription(tr("Notice"));
        break;
    case Kind::Production:
        m_text->setAccessibleDescription(tr("Production environment"));
        break;
    case Kind::ReadOnly:
        m_text->setAccessibleDescription(tr("Read-only"));
        break;
    }
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    applyPalette();
    hide();
}

void Banner::setText(const QString &text)
{
    m_text->setText(text);
    setAccessibleName(m_text->text());
}

QString Banner::text() const
{
    return m_text->text();
}

QPushButton *Banner::button()
{
    if (!m_button) {
        m_button = new QPushButton;
        layout()->addWidget(m_button);
        connect(m_button, &QPushButton::clicked, this, &Banner::clicked);
    }
    return m_button;
}

void Banner::showMessage(const QString &text)
{
    setText(text);
    show();
}

void Banner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyPalette();
    QFrame::changeEvent(event);
}

void Banner::applyPalette()
{
    using Palette::Role;
    QString background;
    QString text;
    switch (m_kind) {
    case Kind::Error:
        background = Palette::css(Role::ErrorBackground);
        text = Palette::css(Role::Error);
        break;
    case Kind::Notice:
    case Kind::ReadOnly:
        background = Palette::css(Role::NoticeBackground);
        text = Palette::css(Role::NoticeText);
        break;
    case Kind::Production:
        background = Palette::css(Role::Production);
        text = u"white"_s;
        break;
    }
    // Set on this frame only: a style sheet on a parent would cascade into the button and restyle it.
    const QString style =
        u"Banner#%1 { background: %2; } Banner#%1 > QLabel { color: %3; }"_s.arg(objectName(), background, text);
    if (styleSheet() != style)
        setStyleSheet(style);
}
