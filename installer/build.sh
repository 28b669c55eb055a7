#!/usr/bin/env bash
# `make bundle`: what a ward's IT installs on Linux, built from this checkout.
#
#   dist/koordinator/                              PyInstaller onedir bundle; runs without Python
#   dist/koordinator-VERSION-linux-ARCH.tar.gz     the same folder as a tarball (unpack anywhere, run ./koordinator)
#   dist/koordinator_VERSION_ARCH.deb              /opt/koordinator, /usr/bin/koordinator, menu entry and icons
#
# Needs the venv (`make setup`) and dpkg-deb. Prints the bundle's size and the build time at the end.
# The Windows installer is built on Windows (installer/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

PY=.venv/bin/python
ICONS=resources/icons
DIST=dist
WORK=build

die() {
  echo "installer/build.sh: $*" >&2
  exit 1
}

[ -x "$PY" ] || die "mangler .venv — kør 'make setup' først."
command -v dpkg-deb >/dev/null || die "mangler dpkg-deb (apt-get install dpkg)."
# The .deb installs these as the menu icon; they are drawn by hand (resources/icons/render_icons.py), never made here.
for icon in koordinator.svg koordinator-256.png; do
  [ -f "$ICONS/$icon" ] || die "mangler $ICONS/$icon (programikonet til .deb-pakken og menuen)."
done

version=$("$PY" -c 'import coordinator_app; print(coordinator_app.__version__)')
arch=$(dpkg --print-architecture)
tarball="$DIST/koordinator-$version-linux-$(uname -m).tar.gz"
deb="$DIST/koordinator_${version}_${arch}.deb"

echo "== PyInstaller: $DIST/koordinator/ (Koordinator $version) =="
rm -rf "$DIST/koordinator" "$DIST"/koordinator-*.tar.gz "$DIST"/koordinator_*.deb
# No --clean: PyInstaller's analysis cache in build/ is keyed on the sources and speeds up a rebuild; `make clean`
# (or a fresh checkout, as in CI) gives a clean build.
.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" installer/koordinator.spec

# Debug sections only (symbols stay): libpython, sqlcipher3 and cryptography ship with theirs, ~30 MB.
if command -v strip >/dev/null && command -v file >/dev/null; then
  find "$DIST/koordinator" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 |
    xargs -0 file | grep 'ELF.*not stripped' | cut -d: -f1 | xargs -r strip --strip-debug
fi
"$DIST/koordinator/koordinator" --version >/dev/null || die "den byggede $DIST/koordinator/koordinator starter ikke."

echo "== $tarball =="
# gzip -1: a quarter of the time of the default level for ~8 % more (the bundle is mostly compiled libraries).
tar -C "$DIST" -cf - koordinator | gzip -1 >"$tarball"

echo "== $deb =="
root="$WORK/deb/koordinator_${version}_${arch}"
rm -rf "$WORK/deb"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/koordinator"
cp -al "$DIST/koordinator" "$root/opt/koordinator" 2>/dev/null || cp -a "$DIST/koordinator" "$root/opt/koordinator"
ln -s /opt/koordinator/koordinator "$root/usr/bin/koordinator"
install -m 644 installer/linux/koordinator.desktop "$root/usr/share/applications/koordinator.desktop"
install -m 644 "$ICONS/koordinator.svg" "$root/usr/share/icons/hicolor/scalable/apps/koordinator.svg"
for png in "$ICONS"/koordinator-*.png; do
  size=$(basename "$png" .png)
  size=${size#koordinator-}
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/koordinator.png"
done
install -m 644 installer/linux/copyright "$root/usr/share/doc/koordinator/copyright"
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
  installer/linux/control.in >"$root/DEBIAN/control"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/koordinator.desktop"
fi
# zstd: seconds instead of a minute (xz/gzip) on one core, and smaller. dpkg reads it from 1.21.18 (Debian 12;
# Ubuntu since 21.10); the bundle needs Debian 12's glibc (2.36) anyway.
dpkg-deb --build --root-owner-group -Zzstd "$root" "$deb" >/dev/null

size_mb=$(du -sm "$DIST/koordinator" | cut -f1)
echo "Bundle: $DIST/koordinator ${size_mb} MB; $(basename "$tarball") $(du -m "$tarball" | cut -f1) MB;" \
  "$(basename "$deb") $(du -m "$deb" | cut -f1) MB; bygget på $(($(date +%s) - start)) s"
