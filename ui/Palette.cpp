#include "ui/Palette.h"

#include <QApplication>
#include <QPalette>

#include <iterator>

bool Palette::isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor Palette::color(Role role)
{
    const bool dark = isDark();
    switch (role) {
    case Role::Error:
        return dark ? QColor(0xff, 0x99, 0xa4) : QColor(0xa8, 0x00, 0x00);
    case Role::Warning:
        return dark ? QColor(0xff, 0xc8, 0x3d) : QColor(0x8a, 0x5a, 0x00);
    case Role::Information:
        return dark ? QColor(0x6c, 0xb8, 0xff) : QColor(0x00, 0x5a, 0x9e);
    case Role::Success:
        return dark ? QColor(0x6c, 0xcb, 0x5f) : QColor(0x10, 0x7c, 0x10);
    case Role::Other:
        return dark ? QColor(0xd5, 0x9d, 0xff) : QColor(0x6b, 0x2f, 0xa8);
    case Role::ErrorBackground:
        return dark ? QColor(0x44, 0x27, 0x26) : QColor(0xfd, 0xe7, 0xe9);
    case Role::NoticeBackground:
        return dark ? QColor(0x43, 0x35, 0x19) : QColor(0xff, 0xf4, 0xce);
    case Role::NoticeText:
        return dark ? QColor(0xff, 0xe0, 0x8a) : QColor(0x4d, 0x38, 0x00);
    case Role::Production:
        return QColor(0xa8, 0x00, 0x00); // white text on it reads in both themes
    }
    return {};
}

QString Palette::css(Role role)
{
    return color(role).name();
}

QColor Palette::seriesColor(int index)
{
    // Blue, orange, green, purple, red, teal, brown, pink: dark shades on a light window, light ones on a dark one.
    static const QRgb light[] = {0x005a9e, 0xc35a00, 0x107c10, 0x6b2fa8, 0xb3261e, 0x00838f, 0x795548, 0xad1457};
    static const QRgb dark[] = {0x6cb8ff, 0xffa94d, 0x6ccb5f, 0xd59dff, 0xff8a80, 0x4dd0e1, 0xd7b59a, 0xf48fb1};
    constexpr int count = int(std::size(light));
    const int i = ((index % count) + count) % count;
    return QColor::fromRgb(isDark() ? dark[i] : light[i]);
}
