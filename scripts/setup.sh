#!/usr/bin/env bash
# Idempotent set-up: system libraries Qt and the tests need, then the Python environment in .venv.
# Safe to run again; does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
need_apt=()
# Qt's runtime libraries (the first line for the offscreen platform the tests use and DejaVu for the text, the
# next two for a real window on X11; the package names are listed once, below: tests/installer reads them for the
# .deb's Depends), PostgreSQL for the storage tests, poppler-utils to look at PDFs.
for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core \
           libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
           libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libx11-xcb1 \
           postgresql poppler-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installerer systempakker: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  else
    echo "Mangler systempakker (kør som root): ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.koordinator-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # constraints.txt: the runtime libraries at the versions resources/licenser/biblioteker.csv lists
  .venv/bin/python -m pip install -q -c scripts/constraints.txt -e '.[dev]'
  touch "$stamp"
fi
