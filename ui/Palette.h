#pragma once

#include <QColor>

// The product's colours, in one place: each role has a light and a dark shade, picked from the application's
// palette, so banners, marks and diff colours stay readable in either theme.
namespace Palette {

enum class Role {
    Error, // text and marks for what failed or needs the user: conflicts, refusals, risky values
    Warning, // changed values, things to look at
    Information, // edits, the left side of a comparison
    Success, // saved
    Other, // the right side of a comparison
    ErrorBackground, // behind error text
    NoticeBackground, // behind notices (restored edits, read-only)
    NoticeText,
    Production, // the production banner's background; its text is white
};

bool isDark();
QColor color(Role role);
// A style sheet colour, "#rrggbb".
QString css(Role role);
// The colour of the index-th series of a chart (one per channel): eight hues told apart in either theme, then again.
QColor seriesColor(int index);

} // namespace Palette
