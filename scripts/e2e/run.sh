#!/usr/bin/env bash
# End-to-end tests of the extension in a real VS Code, offline: code-server (VS Code server + web
# workbench) driven by headless Debian chromium through playwright-core.
#   npm run test:e2e       -> the integration suite (out/vscode-test/test/vscode/index.js) in the extension host
#                             then E2E_MODE=multi-root: the *.multi-root.test.js files in a two-folder workspace,
#                             and E2E_MODE=no-sources: the *.no-sources.test.js files in a workspace without TS/JS
#   npm run test:vsix      -> E2E_MODE=vsix: the same suite against readiness.vsix, installed with --install-extension
#   npm run screenshots    -> E2E_MODE=screenshots: scripts/e2e/screenshots.js writes docs/images/*.png
# All build first (dist/, out/vscode-test). Tools are installed by install.sh into
# ${READINESS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/readiness-e2e} (reused when present).
# Env: E2E_INSTALL_ONLY=1 (install and stop), E2E_PORT (default: a free port), E2E_TIMEOUT (seconds, default 600),
#      E2E_KEEP_RUNS (run dirs kept in the cache, default 10), READINESS_TEST_GREP (mocha grep).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
MODE=${E2E_MODE:-test}
T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "[e2e] $* ($(elapsed))"; }

. "$HERE/install.sh"
log "tools ready"
if [ "${E2E_INSTALL_ONLY:-}" = 1 ]; then exit 0; fi

# The development extension the workbench loads: the repository itself, or (vsix) an empty harness,
# because VS Code runs extension tests only for a development extension; the suite then exercises
# the Readiness installed from the package.
EXT_DIR=$REPO
VSIX=
case "$MODE" in
  test | multi-root | no-sources) ENTRY=$REPO/out/vscode-test/test/vscode/index.js ;;
  vsix) ENTRY=$REPO/out/vscode-test/test/vscode/index.js; EXT_DIR=$REPO/test/vscode/vsix-harness; VSIX=${E2E_VSIX:-$REPO/readiness.vsix} ;;
  screenshots) ENTRY=$HERE/screenshots.js ;;
  *) echo "[e2e] unknown E2E_MODE=$MODE (test | multi-root | no-sources | vsix | screenshots)" >&2; exit 2 ;;
esac
for f in "$REPO/dist/extension.js" "$REPO/dist/server.js" "$ENTRY" ${VSIX:+"$VSIX"}; do
  [ -f "$f" ] || { echo "[e2e] missing $f: build first (npm run test:e2e / npm run screenshots do)" >&2; exit 2; }
done

# A fresh run dir: the workspace (tests mutate it), code-server's user/extension dirs, TMPDIR, logs.
mkdir -p "$E2E_CACHE/runs"
RUN=$(mktemp -d "$E2E_CACHE/runs/$(date +%Y%m%d-%H%M%S)-$MODE-XXXX")
# Keep only the newest run dirs.
ls -1dt "$E2E_CACHE"/runs/*/ 2>/dev/null | tail -n +$(( ${E2E_KEEP_RUNS:-10} + 1 )) | xargs -r rm -rf
WS=$RUN/workspace/saas-api
mkdir -p "$RUN/workspace" "$RUN/ud/User" "$RUN/ext" "$RUN/xdg"
# Unix sockets (VS Code's IPC, chromium's singleton) live in TMPDIR, and their paths may not exceed 107
# bytes: a short folder in /tmp rather than one under the cache, removed at the end.
RUN_TMP=$(mktemp -d /tmp/readiness-e2e.XXXXXX)
cp -R "$REPO/examples/saas-api" "$WS"
if [ "$MODE" = no-sources ]; then
  # Nothing for Readiness to check: a Python service with a checklist file (which activates the extension).
  rm -rf "$WS" && mkdir -p "$WS"
  printf 'print("hello")\n' > "$WS/main.py"
  cp "$REPO/examples/saas-api/PRODUCTION_READINESS.md" "$WS/"
fi
if [ "$MODE" = multi-root ]; then
  # Two folders, two checklists: the example with every problem and the one with none.
  cp -R "$REPO/examples/saas-api-fixed" "$RUN/workspace/saas-api-fixed"
  WS=$RUN/workspace/readiness.code-workspace
  echo '{ "folders": [{ "path": "saas-api" }, { "path": "saas-api-fixed" }] }' > "$WS"
fi
cat > "$RUN/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "security.workspace.trust.enabled": false,
  // TypeScript's own diagnostics would only say that the example has no node_modules.
  "typescript.validate.enable": false,
  "javascript.validate.enable": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "files.autoSave": "off",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.commandCenter": false
}
JSON
AUTOMATION_LOG=$RUN/automation.log
SERVER_LOG=$RUN/code-server.log

PORT=${E2E_PORT:-$("$E2E_NODE24/bin/node" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
BASE=http://127.0.0.1:$PORT

# VS Code puts IPC sockets and tsserver dirs in os.tmpdir(), chromium its profile and crash reports in XDG dirs: all throwaway.
export TMPDIR=$RUN_TMP XDG_CONFIG_HOME=$RUN/xdg XDG_DATA_HOME=$RUN/xdg XDG_CACHE_HOME=$RUN/xdg
export PATH=$E2E_NODE24/bin:$PATH
# The extension host inherits it: the suite checks it runs the extension this mode is about.
export READINESS_E2E_MODE=$MODE
if [ -n "$VSIX" ]; then
  "$E2E_CODE_SERVER" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" --install-extension "$VSIX" > "$RUN/install-extension.log" 2>&1 \
    || { cat "$RUN/install-extension.log"; echo "[e2e] code-server --install-extension $VSIX failed" >&2; exit 1; }
  log "installed $(ls "$RUN/ext" | grep -m1 '^readiness\.') from $VSIX"
fi
setsid "$E2E_CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --config "$RUN/config.yaml" \
  --user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened \
  --reconnection-grace-time 10 --vscode-option enable-smoke-test-driver "$WS" > "$SERVER_LOG" 2>&1 &
CS=$!
CHILD=
cleanup() {
  if [ -n "$CHILD" ]; then
    kill -TERM "$CHILD" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$CHILD" 2>/dev/null || true
  fi
  # setsid: the pid is the process group of code-server and everything it started (extension hosts, servers).
  kill -TERM -- "-$CS" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$CS" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$CS" 2>/dev/null || true
  rm -rf "$RUN_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node -e '
  const [url, pid] = process.argv.slice(1); const until = Date.now() + 30000;
  (async function poll() {
    try { process.kill(Number(pid), 0); } catch { console.error("[e2e] code-server exited"); process.exit(1); }
    try { if ((await fetch(url)).ok) process.exit(0); } catch {}
    if (Date.now() > until) { console.error("[e2e] code-server did not answer " + url); process.exit(1); }
    setTimeout(poll, 200);
  })();' "$BASE/healthz" "$CS" || { tail -30 "$SERVER_LOG"; exit 1; }
log "code-server up on $BASE"

rc=0
export E2E_CS_DIR E2E_CHROMIUM AUTOMATION_LOG E2E_TIMEOUT=${E2E_TIMEOUT:-600}
# In the background + wait: a signal to this script is handled at once (the trap stops the driver and code-server).
if [ "$MODE" != screenshots ]; then
  node "$HERE/apitest.js" "$BASE" "$WS" "$EXT_DIR" "$ENTRY" &
else
  node "$HERE/screenshots.js" "$BASE" "$WS" "$REPO" "$REPO/docs/images" &
fi
CHILD=$!
wait "$CHILD" || rc=$?
CHILD=
log "$MODE finished: exit $rc"

if [ "$rc" -ne 0 ]; then
  # The extension host's own log and the extension's output channel (client + server log).
  while IFS= read -r f; do
    echo "----- tail of $f"; tail -40 "$f"
  done < <(find "$RUN/ud" \( -name 'remoteexthost.log' -o -name 'exthost.log' -o -name '*Readiness*.log' \) -type f 2>/dev/null)
  echo "----- tail of $SERVER_LOG"; tail -15 "$SERVER_LOG"
fi
echo "[e2e] logs: code-server $SERVER_LOG"
echo "[e2e]       automation (workbench + extension host console) $AUTOMATION_LOG"
echo "[e2e]       VS Code logs $RUN/ud/logs, workspace $WS"
exit "$rc"
