#pragma once

// Whole files in one call, for tests that write inputs and check outputs.
#include <QByteArray>
#include <QString>

bool writeFile(const QString &path, const QByteArray &bytes);

// Empty when the file cannot be read.
QByteArray readFile(const QString &path);
