#!/usr/bin/env bash
# Set-up and daily use on Debian 12, from a fresh clone:
#   packaging/debian/dev.sh demo        install what is missing, build, open the editor on the Demo environment
#   packaging/debian/dev.sh test        install what is missing, build (warnings are errors), run every test
#   packaging/debian/dev.sh sanitize    the same tests on a Debug build with AddressSanitizer and UBSan (preset dev)
#   packaging/debian/dev.sh screenshot  build, then save screenshots of the real editor under Xvfb to packaging/screenshots/
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

usage() {
    sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing_packages() {
    local missing=()
    while read -r pkg; do
        case "$pkg" in '' | '#'*) continue ;; esac
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done <packaging/debian/build-deps.txt
    # Node.js runs the third-party peers in tests/peers; any Node 18+ will do, Debian's included.
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        missing+=(nodejs npm)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing: ${missing[*]}"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
}

# Tests get a keychain of their own: a private D-Bus session with an unlocked gnome-keyring, and a throw-away
# HOME, so they never touch the user's real secrets and behave the same on a headless machine.
run_tests() {
    local preset=$1
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    mkdir -m 700 "$scratch/runtime"
    # Sanitized runs stop at the first report, with a stack; leaks are reported when each test ends.
    HOME="$scratch" XDG_RUNTIME_DIR="$scratch/runtime" QT_QPA_PLATFORM=offscreen PRESET="$preset" \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        dbus-run-session -- sh -c '
            echo -n autoclose-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
            exec ctest --preset "$PRESET" --output-on-failure
        '
}

case "${1:-}" in
demo)
    install_missing_packages
    build release
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo "No display found: run this from a desktop session (or under xvfb-run -a)." >&2
        exit 1
    fi
    exec build/release/app/autoclose-editor
    ;;
test)
    install_missing_packages
    (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)
    build ci
    run_tests ci
    ;;
sanitize)
    install_missing_packages
    (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)
    build dev
    run_tests dev
    ;;
screenshot)
    install_missing_packages
    tests/gui/screenshots.sh packaging/screenshots
    ;;
*)
    usage
    ;;
esac
