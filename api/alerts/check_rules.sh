#!/usr/bin/env bash
# Checks and unit-tests the Prometheus alert rules (zipmine.rules.yml, zipmine.rules.test.yml):
#
#     bash api/alerts/check_rules.sh
#
# Uses promtool from PATH, or $PROMTOOL; otherwise takes it from Debian's `prometheus` package: the .deb is
# fetched with apt (`apt-get download`, after an `apt-get update` when the lists are missing) and only
# promtool is unpacked into .zipmine/tools/, so no Prometheus server is installed, started or enabled.
# Exits non-zero when promtool cannot be found or installed, or when a rule or a rule test fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HERE}/../.." && pwd)"
TOOLS="${ROOT}/.zipmine/tools/prometheus"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_promtool() {
  echo "check_rules: promtool not found; unpacking it from Debian's prometheus package" >&2
  local work
  work="$(mktemp -d)"
  chmod 755 "$work" # apt's _apt user writes the download here
  if ! (cd "$work" && apt-get download prometheus >&2); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    (cd "$work" && apt-get download prometheus >&2)
  fi
  mkdir -p "$TOOLS"
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  install -m 755 "$work/root/usr/bin/promtool" "$TOOLS/promtool"
  dpkg-deb -f "$work"/prometheus_*.deb Version >"$TOOLS/VERSION"
  rm -rf "$work"
}

PROMTOOL="${PROMTOOL:-$(command -v promtool || true)}"
if [ -z "$PROMTOOL" ]; then
  [ -x "$TOOLS/promtool" ] || install_promtool
  PROMTOOL="$TOOLS/promtool"
fi

cd "$HERE"
"$PROMTOOL" --version | head -n 1
"$PROMTOOL" check rules zipmine.rules.yml
"$PROMTOOL" test rules zipmine.rules.test.yml
