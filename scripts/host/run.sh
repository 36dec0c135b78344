#!/usr/bin/env bash
# Runs Rampart in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, real Node extension host):
#   1. the in-host mocha suite (test/integration -> dist/test/suite.js) via scripts/host/ext-tests.mjs,
#   2. the end-to-end UI tests test/e2e/*.mjs against the installed .vsix, in Debian Chromium.
# Needs scripts/host/setup.sh first. Exits non-zero if either part fails.
# Env: TOOLS_DIR (code-server install, default .tools), KEEP_SERVER=1 (leave code-server running),
#      SKIP_BUILD=1 (reuse dist/ and .run/rampart.vsix), SKIP_E2E=1 (in-host tests only), E2E_ONLY=name (only test/e2e/name.e2e.mjs),
#      VERBOSE=1 (echo the whole workbench console).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
T0=$(date +%s)
step() { echo "== [host $(( $(date +%s) - T0 ))s] $*"; }

TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
CS="$TOOLS/code-server/node_modules/.bin/code-server"
RUN="$ROOT/.run"
# Throw-away copies of test/fixtures/workspace, one per part: integration tests may edit and save files.
WS_IT="$RUN/ws-integration"; WS_E2E="$RUN/ws-e2e"
OUT="$ROOT/test-results/screenshots"
VSIX="$RUN/rampart.vsix"
[ -x "$CS" ] || { echo "code-server is not installed in $TOOLS: run bash scripts/host/setup.sh" >&2; exit 2; }
command -v chromium >/dev/null || { echo "chromium is missing: run bash scripts/host/setup.sh" >&2; exit 2; }

# ---- 1. build (extension, CLI, webview, in-host test bundle) and package the .vsix
if [ -z "${SKIP_BUILD:-}" ]; then
  step "build"
  npm run -s build
  [ -f dist/test/suite.js ] || { echo "dist/test/suite.js was not built (test/integration/suite.ts)" >&2; exit 1; }
  step "package $VSIX"
  mkdir -p "$RUN"
  # --no-rewrite-relative-links: the README's relative images stay relative (no public repository URL to prefix)
  npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$VSIX" >/dev/null
fi
[ -f "$VSIX" ] || { echo "$VSIX is missing (run without SKIP_BUILD)" >&2; exit 1; }

# ---- 2. fresh user data, extensions dir and workspace; install the .vsix; start code-server
step "start code-server"
rm -rf "$RUN/udd" "$RUN/exts" "$RUN/xdg-config" "$RUN/xdg-data" "$WS_IT" "$WS_E2E"
mkdir -p "$RUN/udd/User" "$RUN/exts" "$OUT"
rm -f "$OUT"/*.png
cp -R "$ROOT/test/fixtures/workspace" "$WS_IT"; cp -R "$ROOT/test/fixtures/workspace" "$WS_E2E"
cat > "$RUN/udd/User/settings.json" <<'JSON'
{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false,
  "update.mode": "none", "workbench.enableExperiments": false, "chat.commandCenter.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "git.openRepositoryInParentFolders": "never", "files.autoSave": "off" }
JSON
# "files.autoSave": code-server, like every VS Code for the web, saves after a delay by default; desktop VS Code
# (where @vscode/test-electron runs the same suite) does not. Off, an unsaved edit stays unsaved until a test saves it.
export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data"   # keep code-server out of ~/.config
"$CS" --user-data-dir "$RUN/udd" --extensions-dir "$RUN/exts" --install-extension "$VSIX" --force >/dev/null
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# setsid: code-server gets its own process group, so stopping it also stops its file watcher and ext hosts.
setsid "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$RUN/udd" --extensions-dir "$RUN/exts" > "$RUN/code-server.log" 2>&1 &
CS_PID=$!
stop_cs() {
  if [ -n "${KEEP_SERVER:-}" ]; then echo "code-server left running: http://127.0.0.1:$PORT (kill -- -$CS_PID)"; return; fi
  kill -- -"$CS_PID" 2>/dev/null || true
}
trap stop_cs EXIT
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { cat "$RUN/code-server.log"; exit 1; }
export CS_URL="http://127.0.0.1:$PORT" EXT="$ROOT" OUT

# ---- 3. in-host integration tests (the extension under development, from this folder)
step "integration tests (mocha in the extension host)"
set +e
WS="$WS_IT" node scripts/host/ext-tests.mjs; IT_RC=$?
set -e

# ---- 4. end-to-end UI tests of the installed .vsix (a fresh browser each, same server)
E2E_RC=0
for t in test/e2e/${E2E_ONLY:-*}${E2E_ONLY:+.e2e}.mjs; do
  [ -e "$t" ] && [ -z "${SKIP_E2E:-}" ] || continue
  step "e2e $t"
  # each UI test gets its own copy of the workspace, so edits one test makes never leak into the next
  WS_T="$WS_E2E-$(basename "$t" .mjs)"; rm -rf "$WS_T"; cp -R "$ROOT/test/fixtures/workspace" "$WS_T"
  set +e; WS="$WS_T" node "$t"; rc=$?; set -e
  [ "$rc" = 0 ] || E2E_RC=$rc
done
step "done: integration rc=$IT_RC, e2e rc=$E2E_RC; screenshots in ${OUT#$ROOT/}/"
[ "$IT_RC" = 0 ] && [ "$E2E_RC" = 0 ]
