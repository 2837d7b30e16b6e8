#!/usr/bin/env bash
# Builds QtKeychain at the tag QTKEYCHAIN_VERSION, for Qt 6, as a static library, and installs it in PREFIX: for the
# hosted Windows and macOS jobs of .github/workflows/build.yml (Debian packages QtKeychain; the others do not).
# Needs git, Ninja, a compiler and Qt (QT_ROOT_DIR, which jurplel/install-qt-action sets).
#   build-qtkeychain.sh PREFIX [more CMake arguments, e.g. -DCMAKE_OSX_ARCHITECTURES="arm64;x86_64"]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PREFIX [cmake arguments]" >&2; exit 2; }
prefix=$1
shift
: "${QTKEYCHAIN_VERSION:?set QTKEYCHAIN_VERSION, the tag to build (the workflow sets it)}"
: "${QT_ROOT_DIR:?set QT_ROOT_DIR to the Qt installation to build against}"
source=$(mktemp -d)
trap 'rm -rf "$source"' EXIT
git clone --quiet --depth 1 --branch "$QTKEYCHAIN_VERSION" https://github.com/frankosterfeld/qtkeychain.git "$source"
cmake -S "$source" -B "$source/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_WITH_QT6=ON -DBUILD_SHARED_LIBS=OFF -DBUILD_TRANSLATIONS=OFF \
    -DBUILD_TEST_APPLICATION=OFF -DCMAKE_PREFIX_PATH="$QT_ROOT_DIR" -DCMAKE_INSTALL_PREFIX="$prefix" "$@"
cmake --build "$source/build"
cmake --install "$source/build"
