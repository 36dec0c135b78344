#!/usr/bin/env bash
# Idempotent install of what the real-VS-Code tests need (scripts/host/run.sh):
#   - Debian packages: chromium (browser driven by playwright-core), ripgrep (stands in for the GitHub
#     download of @vscode/ripgrep), libkrb5-dev (headers for code-server's kerberos addon), neovim (a client
#     that is not ours for the language server: test/lsp/neovim.test.mjs);
#   - code-server 4.100.3 from npm (VS Code 1.100.3 server + web workbench, real Node extension host)
#     into $TOOLS_DIR/code-server (default: <repo>/.tools/code-server, gitignored).
# The machines reach only the npm registry and Debian mirrors; nothing here goes elsewhere.
# Recipe and pitfalls: ../shared/vscode-host/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
T0=$(date +%s)
step() { echo "== [setup $(( $(date +%s) - T0 ))s] $*"; }

CS_VERSION=4.100.3             # last code-server whose engines.node is 20 (4.103+: node 22 or 24)
RG_PKG_VERSION=1.15.11         # @vscode/ripgrep pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz   # what its postinstall would fetch from GitHub
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
CS_HOME="$TOOLS/code-server"
CS="$CS_HOME/node_modules/.bin/code-server"
# `code-server --version` writes a default config file: keep it out of ~/.config.
export XDG_CONFIG_HOME="$TOOLS/xdg-config" XDG_DATA_HOME="$TOOLS/xdg-data"

# ---- 1. Debian packages (apt-get update only when something is missing)
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || [ ! -f /usr/include/gssapi/gssapi.h ] || ! command -v nvim >/dev/null; then
  step "apt-get install chromium ripgrep libkrb5-dev neovim"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium ripgrep libkrb5-dev neovim >/dev/null
else
  step "apt packages present"
fi

# ---- 2. code-server from npm (builds native modules: argon2, node-pty, spdlog, parcel watcher, kerberos, ...)
if [ -x "$CS" ] && "$CS" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  step "code-server $CS_VERSION present in $CS_HOME"
else
  step "install code-server@$CS_VERSION into $CS_HOME (a few minutes cold)"
  # Seed @vscode/ripgrep's download cache with Debian's rg so its postinstall never goes to GitHub.
  RG_CACHE="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-$RG_PKG_VERSION"
  if [ ! -f "$RG_CACHE/$RG_ASSET" ]; then
    mkdir -p "$RG_CACHE" "$TOOLS/rgseed"; cp "$(command -v rg)" "$TOOLS/rgseed/rg"
    tar czf "$RG_CACHE/$RG_ASSET" -C "$TOOLS/rgseed" rg
  fi
  rm -rf "$CS_HOME"; mkdir -p "$CS_HOME"
  echo '{"name":"code-server-host","private":true}' > "$CS_HOME/package.json"
  # Local install in a throw-away folder (not -g / --prefix: the nested `npm install` in lib/vscode would
  # inherit npm_config_global and reinstall code-server over itself). unsafe_perm: its postinstall refuses
  # root without it. yes: node-pty's post-install runs `npx node-gyp` (this machine's npmrc sets yes=false).
  # nodedir: build native addons against the installed Node headers instead of downloading them.
  ( cd "$CS_HOME" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" )
fi
"$CS" --version | head -1
step "done"
