#!/usr/bin/env bash
# Runs the three programs as a user gets them from the .deb: from /usr/bin, with the installed desktop files.
# .ci/run calls it after installing the package; it fails on the first thing that does not work.
set -euo pipefail
for program in autoclose-editor autoclose-cli autoclose-sandbox; do
    [ "$(command -v "$program")" = "/usr/bin/$program" ] || { echo "$program is not installed in /usr/bin" >&2; exit 1; }
done
test -f /usr/share/applications/org.autocloseeditor.AutoCloseEditor.desktop
test -f /usr/share/metainfo/org.autocloseeditor.AutoCloseEditor.metainfo.xml
test -f /usr/share/icons/hicolor/scalable/apps/org.autocloseeditor.AutoCloseEditor.svg
test -f /usr/share/man/man1/autoclose-cli.1

echo "== autoclose-editor --version"
# (No "tee /dev/stderr": when stderr is a file, that reopens it from the start and overwrites the log.)
version=$(QT_QPA_PLATFORM=offscreen autoclose-editor --version)
echo "$version"
grep -q 'autoclose-editor 0\.[0-9.]* (commit [0-9a-f]' <<<"$version"
echo "== autoclose-cli --help"
# (Not "| grep -q": grep stops reading at the first match and the CLI, still writing, dies of SIGPIPE.)
help=$(autoclose-cli --help)
grep -q 'Exit codes' <<<"$help"

echo "== autoclose-cli list against the installed autoclose-sandbox"
data=$(mktemp -d)
out=$(mktemp)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$data" "$out"' EXIT
export SMOKE_TOKEN=smoke-test-token
autoclose-sandbox --port 0 --data-dir "$data" --token "$SMOKE_TOKEN" >"$out" &
sandbox=$!
for _ in $(seq 100); do grep -q '^Listening on ' "$out" && break; sleep 0.1; done
url=$(sed -n 's/^Listening on //p' "$out")
[ -n "$url" ] || { echo "autoclose-sandbox did not start" >&2; exit 1; }
listed=$(autoclose-cli --url "$url" --access-token-env SMOKE_TOKEN list)
echo "$listed"
grep -q 'Live chat' <<<"$listed"
echo "== autoclose-cli on the Demo environment (it starts the installed autoclose-sandbox beside it)"
listed=$(autoclose-cli --profile "Demo environment" --demo-data-dir "$data/demo" list)
echo "$listed"
grep -q 'Live chat' <<<"$listed"
echo "== the installed programs work"
