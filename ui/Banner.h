#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

// A message across the top of a window, as KeePassXC's MessageWidget: one kind (error, notice, production,
// read-only), a text, and at most one button. Its colours come from Palette, so it reads in light and dark themes.
// Hidden until shown; tests and screen readers find it by its object name.
class Banner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Banner)
public:
    enum class Kind { Error, Notice, Production, ReadOnly };
    Banner(Kind kind, const QString &objectName, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    void setText(const QString &text);
    QString text() const;
    // The banner's one button, made on first use; clicked says when it is pressed.
    QPushButton *button();
    // Sets the text and shows the banner.
    void showMessage(const QString &text);

Q_SIGNALS:
    void clicked();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    Kind m_kind;
    QLabel *m_text;
    QPushButton *m_button = nullptr;
};
