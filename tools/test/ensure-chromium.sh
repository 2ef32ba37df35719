#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (playwright-core drives it): installed only when
# missing. Prints the executable's path.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
path="$(find_chromium)"
if [ -z "$path" ]; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing: install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  path="$(find_chromium)"
fi
echo "$path"
