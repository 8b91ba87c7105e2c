#!/usr/bin/env bash
# Installs the pinned code-server (the VS Code host for integration/UI tests) into
# test/integration/code-server/node_modules, offline-safe: only the npm registry is contacted.
# Idempotent: a stamp of sha256(package-lock.json) + Node major skips the work when nothing changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { printf '[code-server install] %s\n' "$*"; }
die() {
  printf '[code-server install] ERROR: %s\n' "$*" >&2
  exit 1
}

node_major="$(node -p 'process.versions.node.split(".")[0]')"
lock_sha="$(sha256sum package-lock.json | cut -d' ' -f1)"
want_stamp="lock=${lock_sha} node=${node_major}"
stamp_file="node_modules/.sagemaker-ssh-install-stamp"
entry="node_modules/code-server/out/node/entry.js"

if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want_stamp" && -f "$entry" ]]; then
  log "up to date (${want_stamp})"
  exit 0
fi

# code-server's postinstall accepts exactly one Node major (20 for the pinned 4.100.3).
if [[ "$node_major" != "20" ]]; then
  die "code-server 4.100.3 needs Node 20 (found $(node --version)). Use Node 20, or re-pin code-server (4.103.2-4.117.0 for Node 22, >=4.133.0 for Node 24)."
fi

# --- build prerequisites (native modules: argon2, kerberos, node-pty, ...) ---------------------------
missing=()
for tool_pkg in gcc:gcc g++:g++ make:make python3:python3 pkg-config:pkg-config rg:ripgrep; do
  command -v "${tool_pkg%%:*}" >/dev/null 2>&1 || missing+=("${tool_pkg#*:}")
done
if ! pkg-config --exists krb5-gssapi 2>/dev/null && [[ ! -f /usr/include/gssapi/gssapi.h ]]; then
  missing+=(libkrb5-dev)
fi
if ((${#missing[@]})); then
  die "missing build prerequisites. Install them with:
  apt-get update && apt-get install -y ${missing[*]}"
fi

# --- Node headers, so node-gyp never tries to download them -------------------------------------------
find_nodedir() {
  if [[ -n "${npm_config_nodedir:-}" && -f "${npm_config_nodedir}/include/node/node.h" ]]; then
    echo "$npm_config_nodedir"
    return
  fi
  local node_prefix candidate
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  for candidate in /usr /usr/local "$node_prefix"; do
    if [[ -f "$candidate/include/node/node.h" ]]; then
      echo "$candidate"
      return
    fi
  done
}
nodedir="$(find_nodedir)"
[[ -n "$nodedir" ]] || die "no Node.js headers (include/node/node.h) under /usr, /usr/local or the prefix of $(command -v node). Install the Node.js development headers (Debian: apt-get install -y libnode-dev, or use an official Node.js tarball, which ships them)."
log "Node $(node --version), headers in ${nodedir}/include/node"

scratch="$here/.scratch"
rm -rf "$scratch"
mkdir -p "$scratch/tmp" "$scratch/home" "$scratch/xdg-config" "$scratch/xdg-data" "$scratch/xdg-cache"
trap 'rm -rf "$scratch"' EXIT

start=$SECONDS

# --- 1. fetch only (no lifecycle scripts yet) ---------------------------------------------------------
log "npm ci --ignore-scripts"
rm -f "$stamp_file"
npm ci --ignore-scripts --no-audit --no-fund

# --- 2. seed @vscode/ripgrep's download cache with the system rg (its postinstall would fetch from GitHub)
rg_version="$(node -p 'require("./node_modules/code-server/lib/vscode/npm-shrinkwrap.json").packages["node_modules/@vscode/ripgrep"].version')"
cache_dir="$scratch/tmp/vscode-ripgrep-cache-${rg_version}"
mkdir -p "$cache_dir/stage"
cp "$(command -v rg)" "$cache_dir/stage/rg"
for suffix in 10 4; do
  tar -czf "$cache_dir/ripgrep-v13.0.0-${suffix}-x86_64-unknown-linux-musl.tar.gz" -C "$cache_dir/stage" rg
done
rm -rf "$cache_dir/stage"
log "seeded ${cache_dir} with $(rg --version | head -1)"

# --- 3. run the install scripts with the workarounds ---------------------------------------------------
#  unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty runs `npx node-gyp`;
#  nodedir: local headers; TMPDIR: where the seeded ripgrep cache lives; loglevel: no node-gyp chatter;
#  strict_allow_scripts=false: the nested installs in lib/vscode must run their (unreviewed) build scripts.
log "npm rebuild --foreground-scripts (builds VS Code's native modules; ~30 s)"
env \
  TMPDIR="$scratch/tmp" \
  npm_config_unsafe_perm=true \
  npm_config_yes=true \
  npm_config_nodedir="$nodedir" \
  npm_config_update_notifier=false \
  npm_config_audit=false \
  npm_config_fund=false \
  npm_config_loglevel=warn \
  npm_config_strict_allow_scripts=false \
  JOBS="$(nproc)" \
  npm rebuild --foreground-scripts

# --- 4. verify --------------------------------------------------------------------------------------
vscode_dir="node_modules/code-server/lib/vscode"
bundled_rg="$vscode_dir/node_modules/@vscode/ripgrep/bin/rg"
[[ -x "$bundled_rg" ]] || die "code-server's bundled ripgrep is missing at $bundled_rg (the ripgrep postinstall did not run)"
native_count="$(find "$vscode_dir/node_modules" -name '*.node' -path '*/build/Release/*' | wc -l)"
((native_count > 0)) || die "no native modules were built under $vscode_dir/node_modules (install scripts were skipped?)"
[[ -f "$vscode_dir/node_modules/node-pty/build/Release/pty.node" ]] || die "node-pty was not built"

version_out="$(
  env -i PATH="$PATH" HOME="$scratch/home" TMPDIR="$scratch/tmp" \
    XDG_CONFIG_HOME="$scratch/xdg-config" XDG_DATA_HOME="$scratch/xdg-data" XDG_CACHE_HOME="$scratch/xdg-cache" \
    node "$entry" --version | tail -n 1
)" || die "code-server does not start: node $entry --version failed"
log "code-server --version: ${version_out}; ${native_count} native modules"

echo "$want_stamp" >"$stamp_file"
log "done in $((SECONDS - start)) s"
