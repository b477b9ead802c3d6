#!/usr/bin/env bash
# Builds the local stack's infrastructure binaries from the pinned Go modules under tools/.
# Idempotent: a binary already in the per-user cache for its version is not rebuilt.
# Prints the cache directory's bin path on the last line of stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
cache="${SIDECAR_CAMPAIGNS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sidecar-campaigns}"
bin="$cache/bin"
mkdir -p "$bin" "$cache/logs"
export GOFLAGS=-buildvcs=false CGO_ENABLED=0

command -v go >/dev/null || { echo "go is not on PATH: the stack's binaries are built from Go modules (install Go >= 1.26)" >&2; exit 1; }

targets=(
  "temporal|$TEMPORAL_CLI_VERSION|temporal|github.com/temporalio/cli/cmd/temporal|"
  "etcd|$ETCD_VERSION|etcd|go.etcd.io/etcd/server/v3|"
  "kwok|$KWOK_VERSION|kwok|sigs.k8s.io/kwok/cmd/kwok|"
  "kube-apiserver|$KUBERNETES_VERSION|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver|-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
  "kube-controller-manager|$KUBERNETES_VERSION|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager|-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
  "kube-scheduler|$KUBERNETES_VERSION|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler|-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
)

total=${#targets[@]}
i=0
for t in "${targets[@]}"; do
  IFS='|' read -r name version module pkg ldflags <<<"$t"
  i=$((i + 1))
  out="$bin/$name-$version"
  if [[ -x "$out" ]]; then
    echo "[$i/$total] $name $version: cached" >&2
    continue
  fi
  log="$cache/logs/$name-$version.log"
  echo "[$i/$total] $name $version: building (cold builds take minutes; log: $log)" >&2
  start=$(date +%s)
  (
    while sleep 60; do echo "    … $name still building, $(( ($(date +%s) - start) / 60 )) min" >&2; done
  ) &
  ticker=$!
  if ! go -C "$here/$module" build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp.$$" "$pkg" >"$log" 2>&1; then
    kill "$ticker" 2>/dev/null || true
    echo "[$i/$total] $name $version: build FAILED; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  kill "$ticker" 2>/dev/null || true
  mv "$out.tmp.$$" "$out"
  echo "[$i/$total] $name $version: built in $(( $(date +%s) - start )) s" >&2
done
echo "$bin"
