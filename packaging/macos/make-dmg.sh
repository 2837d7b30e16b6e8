#!/usr/bin/env bash
# The macOS disk image, for the hosted macOS job of .github/workflows/build.yml (it needs macOS: codesign, hdiutil).
#   make-dmg.sh BUILD_DIR      makes BUILD_DIR/AutoCloseEditor-<version>-macOS.dmg
# 1. Installs the build into a staging folder; macdeployqt runs as part of the install (packaging/CMakeLists.txt).
# 2. Signs the bundle: with the Developer ID in MACOS_CERTIFICATE (a base64 .p12, its password in
#    MACOS_CERTIFICATE_PASSWORD, the identity in MACOS_SIGNING_IDENTITY, the team in MACOS_TEAM_ID) and the hardened
#    runtime when those are set; ad hoc otherwise, which Apple silicon needs to run it at all (a user then opens it
#    with a right-click → Open the first time). The keychain entitlement (autoclose-editor.entitlements.in) is a
#    restricted one: it is signed in only with the Developer ID provisioning profile that allows it
#    (MACOS_PROVISIONING_PROFILE, base64), embedded in the bundle — without one, macOS would refuse to start the
#    program (docs/packages.md).
# 3. Makes the .dmg (the bundle and a link to /Applications), signs it, and has Apple notarize it when
#    MACOS_NOTARY_APPLE_ID and MACOS_NOTARY_PASSWORD are set too.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || { echo "$build is not a configured build folder" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/image"
app=$(find "$work/image" -maxdepth 1 -name '*.app' -print -quit)
[ -n "$app" ] || { echo "the install made no .app bundle" >&2; exit 1; }
cp "$here/../NOTICE.txt" "$work/image/NOTICE.txt"

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
    : "${MACOS_CERTIFICATE_PASSWORD:?set with MACOS_CERTIFICATE}" "${MACOS_SIGNING_IDENTITY:?}" "${MACOS_TEAM_ID:?}"
    # A keychain of this run only, holding the certificate, searched before the user's.
    keychain="$work/signing.keychain-db"
    password=$(uuidgen)
    security create-keychain -p "$password" "$keychain"
    security set-keychain-settings -lut 3600 "$keychain"
    security unlock-keychain -p "$password" "$keychain"
    printf '%s' "$MACOS_CERTIFICATE" | base64 --decode >"$work/certificate.p12"
    security import "$work/certificate.p12" -k "$keychain" -P "$MACOS_CERTIFICATE_PASSWORD" -T /usr/bin/codesign
    security set-key-partition-list -S apple-tool:,apple: -s -k "$password" "$keychain" >/dev/null
    searched=() # (macOS's own bash is 3.2: no mapfile)
    while IFS= read -r searchedKeychain; do searched+=("$searchedKeychain"); done < <(security list-keychains -d user | tr -d '" ')
    security list-keychains -d user -s "$keychain" ${searched[@]+"${searched[@]}"}
    sign=(codesign --force --timestamp --options runtime --sign "$MACOS_SIGNING_IDENTITY")
    # The window and autoclose-cli, which read and write the secrets, in one keychain access group; never the sandbox.
    entitled=()
    if [ -n "${MACOS_PROVISIONING_PROFILE:-}" ]; then
        printf '%s' "$MACOS_PROVISIONING_PROFILE" | base64 --decode >"$app/Contents/embedded.provisionprofile"
        sed "s/@TEAM_ID@/$MACOS_TEAM_ID/" "$here/autoclose-editor.entitlements.in" >"$work/entitlements.plist"
        entitled=(--entitlements "$work/entitlements.plist")
    else
        echo "No MACOS_PROVISIONING_PROFILE: signing without the keychain access group."
    fi
    # Inside out: frameworks and plugins, the two command-line programs, then the bundle.
    find "$app/Contents/Frameworks" "$app/Contents/PlugIns" \( -name '*.dylib' -o -name '*.framework' \) -prune \
        -exec "${sign[@]}" {} \;
    "${sign[@]}" "$app/Contents/MacOS/autoclose-sandbox"
    "${sign[@]}" ${entitled[@]+"${entitled[@]}"} "$app/Contents/MacOS/autoclose-cli"
    "${sign[@]}" ${entitled[@]+"${entitled[@]}"} "$app"
else
    echo "No MACOS_CERTIFICATE: signing ad hoc (not notarized)."
    codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict --verbose=2 "$app"

mkdir "$work/dmg"
mv "$app" "$work/image/NOTICE.txt" "$work/dmg/"
ln -s /Applications "$work/dmg/Applications"
dmg="$build/AutoCloseEditor-$version-macOS.dmg"
rm -f "$dmg"
# hdiutil is known to fail now and then on hosted runners ("Resource busy"): a few tries.
for attempt in 1 2 3; do
    hdiutil create -volname "Auto-Close Editor" -srcfolder "$work/dmg" -fs HFS+ -format UDZO "$dmg" && break
    [ "$attempt" -lt 3 ] || exit 1
    sleep 5
done

if [ -n "${MACOS_CERTIFICATE:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$dmg"
    if [ -n "${MACOS_NOTARY_APPLE_ID:-}" ] && [ -n "${MACOS_NOTARY_PASSWORD:-}" ]; then
        xcrun notarytool submit "$dmg" --apple-id "$MACOS_NOTARY_APPLE_ID" --team-id "$MACOS_TEAM_ID" \
            --password "$MACOS_NOTARY_PASSWORD" --wait
        xcrun stapler staple "$dmg"
    fi
fi
echo "$dmg"
