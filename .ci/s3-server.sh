#!/usr/bin/env bash
# Local S3 server for zipmine's integration tests: a throw-away single-node Ceph cluster
# (one monitor, one in-memory "memstore" OSD, no cephx) with radosgw serving S3 on 127.0.0.1.
#
#   bash .ci/s3-server.sh install              # apt-get radosgw ceph-mon ceph-osd (only when missing)
#   eval "$(bash .ci/s3-server.sh start)"      # start (or reuse) the server, export ZIPMINE_TEST_S3_*
#   bash .ci/s3-server.sh stop                 # stop the daemons (safe to repeat)
#   bash .ci/s3-server.sh status               # exit 0 when the S3 port answers
#
# Only the `export` lines of `start` go to stdout; every other message goes to stderr.
#
# Settings (environment):
#   RGW_PORT              S3 port on 127.0.0.1                  (default 7480)
#   ZIPMINE_RGW_DIR       cluster dir: config, logs, pid files   (default /tmp/zipmine-rgw)
#   ZIPMINE_RGW_MON_PORT  monitor port on 127.0.0.1             (default 6789)
#   ZIPMINE_RGW_TIMEOUT   seconds `start` may take in total      (default 120)
# The cluster keeps its data in RAM: after `stop` everything stored is gone, and the next `start`
# builds a fresh cluster in the same directory.
set -euo pipefail

PORT="${RGW_PORT:-7480}"
DIR="${ZIPMINE_RGW_DIR:-/tmp/zipmine-rgw}"
MON_PORT="${ZIPMINE_RGW_MON_PORT:-6789}"
TIMEOUT="${ZIPMINE_RGW_TIMEOUT:-120}"
ENDPOINT="http://127.0.0.1:${PORT}"
REGION="us-east-1"
ACCESS_KEY="ZIPMINETESTACCESSKEY"
SECRET_KEY="zipmine-test-secret-key-not-for-production"
RGW_USER="zipmine-test"
CONF="${DIR}/ceph.conf"
DAEMONS=(client.rgw.zipmine osd.0 mon.a) # stop order: gateway first, monitor last

say() { printf 's3-server: %s\n' "$*" >&2; }

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

# Seconds since $1 (an EPOCHREALTIME value), with one decimal.
since() {
  local start="${1/,/.}" end
  end="$(now)"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

LAUNCHING=0 # set while `start` brings daemons up: a failure then shows the logs and stops them

die() {
  say "ERROR: $*"
  if [ "$LAUNCHING" = 1 ]; then
    show_logs
    say "stopping the half-started cluster (logs kept in ${DIR}/log)"
    LAUNCHING=0
    cmd_stop
    say "ERROR: $*"
  fi
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

print_exports() {
  printf 'export ZIPMINE_TEST_S3_ENDPOINT=%q\n' "$ENDPOINT"
  printf 'export ZIPMINE_TEST_S3_REGION=%q\n' "$REGION"
  printf 'export ZIPMINE_TEST_S3_ACCESS_KEY_ID=%q\n' "$ACCESS_KEY"
  printf 'export ZIPMINE_TEST_S3_SECRET_ACCESS_KEY=%q\n' "$SECRET_KEY"
}

# Anything at all answering HTTP on the S3 port?
port_answers() {
  curl -s -o /dev/null --max-time 2 "${ENDPOINT}/"
}

# radosgw rejects SigV4 requests without x-amz-content-sha256, which curl does not add by itself.
EMPTY_SHA256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# Does a SigV4-signed ListBuckets with our key succeed (HTTP 200 and an S3 ListAllMyBucketsResult)?
credentials_work() {
  local out
  out="$(curl -s --max-time 5 -w '\n%{http_code}' \
    --aws-sigv4 "aws:amz:${REGION}:s3" --user "${ACCESS_KEY}:${SECRET_KEY}" \
    -H "x-amz-content-sha256: ${EMPTY_SHA256}" "${ENDPOINT}/" || true)"
  [ "${out##*$'\n'}" = "200" ] && [[ "$out" == *"<ListAllMyBucketsResult"* ]]
}

# Is a request signed with the wrong secret refused (HTTP 403)?
wrong_secret_refused() {
  local code
  code="$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' \
    --aws-sigv4 "aws:amz:${REGION}:s3" --user "${ACCESS_KEY}:not-the-secret" \
    -H "x-amz-content-sha256: ${EMPTY_SHA256}" "${ENDPOINT}/" || true)"
  [ "$code" = "403" ]
}

ceph_cli() {
  ceph -c "$CONF" --connect-timeout 5 "$@"
}

pid_of() {
  local f="${DIR}/run/$1.pid"
  [ -s "$f" ] && cat "$f"
}

# Has process $1 exited? An exited daemon can linger as a zombie until init reaps it (seconds, in
# some containers), so a zombie counts as gone.
pid_gone() {
  local state
  state="$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" || return 0
  [ -z "$state" ] || [ "$state" = "Z" ]
}

# Is the daemon named $1 running (its pid file points at a live ceph/radosgw process)?
daemon_alive() {
  local pid comm
  pid="$(pid_of "$1")" || return 1
  comm="$(cat "/proc/${pid}/comm" 2>/dev/null)" || return 1
  case "$comm" in ceph-* | radosgw*) ;; *) return 1 ;; esac
  ! pid_gone "$pid"
}

show_logs() {
  local f
  for f in "${DIR}"/log/*; do
    [ -s "$f" ] || continue
    printf '\n----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
}

# launch <name> <daemon command...>: the ceph daemons fork into the background and keep the file
# descriptors they were started with. Give them their own stdio and close fd 3 (the real stdout of
# `start`), or `$(bash .ci/s3-server.sh start)` and pipes on stderr would wait for them forever.
launch() {
  local name="$1"
  shift
  "$@" </dev/null >>"${DIR}/log/${name}.out" 2>&1 3>&-
}

DEADLINE=0

# wait_for <what> <daemon> <command...>: poll until the command succeeds. Returns 1 when the daemon
# exits meanwhile; gives up (die) at the deadline.
wait_for() {
  local what="$1" daemon="$2"
  shift 2
  while ! "$@" >/dev/null 2>&1; do
    daemon_alive "$daemon" || return 1
    if [ "$(date +%s)" -ge "$DEADLINE" ]; then
      die "S3 server not ready: timed out after ${TIMEOUT}s waiting for ${what}"
    fi
    sleep 0.2
  done
}

osd_is_up() {
  ceph_cli osd dump 2>/dev/null | grep -q '^osd\.0 up'
}

write_conf() {
  cat >"$CONF" <<EOF
# Generated by .ci/s3-server.sh: single-node test cluster, data in RAM, no authentication.
[global]
fsid = $1
mon host = v1:127.0.0.1:${MON_PORT}
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
# Commit monitor map changes every 50 ms instead of every second: radosgw creates its pools one
# by one at first start, and this cuts the start from ~13 s to ~2 s.
paxos propose interval = 0.05
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 2147483648
osd max object name len = 256
osd max object namespace len = 64
mon osd full ratio = .99
mon osd nearfull ratio = .99
osd failsafe full ratio = .999
run dir = ${DIR}/run
pid file = ${DIR}/run/\$name.pid
admin socket = ${DIR}/run/\$name.asok
log file = ${DIR}/log/\$name.log
mon data = ${DIR}/mon.\$id
osd data = ${DIR}/osd.\$id

[client.rgw.zipmine]
rgw frontends = beast endpoint=127.0.0.1:${PORT} tcp_nodelay=1
rgw data = ${DIR}/rgw
rgw dns name = localhost
EOF
}

ensure_user() {
  if ! radosgw-admin -c "$CONF" user info --uid="$RGW_USER" >/dev/null 2>&1; then
    radosgw-admin -c "$CONF" user create --uid="$RGW_USER" --display-name="zipmine tests" \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  fi
}

cmd_install() {
  local missing=()
  local bin
  for bin in radosgw ceph-mon ceph-osd ceph radosgw-admin monmaptool curl; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "radosgw already installed ($(radosgw --version 2>/dev/null | head -n 1))"
    return 0
  fi
  say "missing: ${missing[*]}; installing radosgw ceph-mon ceph-osd with apt-get"
  local t0
  t0="$(now)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    radosgw ceph-mon ceph-osd curl >&2
  command -v radosgw >/dev/null 2>&1 || die "apt-get finished but radosgw is still not on PATH"
  say "installed $(radosgw --version 2>/dev/null | head -n 1) in $(since "$t0")s"
}

cmd_start() {
  # Keep stdout clean for the export lines: everything else goes to stderr.
  exec 3>&1 1>&2

  if port_answers; then
    if ! credentials_work && daemon_alive client.rgw.zipmine; then
      say "radosgw on port ${PORT} answers; creating the test user"
      ensure_user || die "radosgw-admin could not create the test user"
    fi
    credentials_work || die "something answers on ${ENDPOINT} but not as S3 with the zipmine test" \
      "credentials; stop it or choose another RGW_PORT"
    wrong_secret_refused || die "the S3 server on ${ENDPOINT} accepts a wrong secret key; the tests" \
      "need one that checks signatures (radosgw); stop it or choose another RGW_PORT"
    say "already running on ${ENDPOINT}"
    print_exports >&3
    return 0
  fi

  command -v radosgw >/dev/null 2>&1 || die "radosgw is not installed; run: bash .ci/s3-server.sh install"

  # Not answering: clear out whatever a previous run left behind and build a new cluster.
  cmd_stop
  if [ -e "$DIR" ]; then
    if [ -f "$CONF" ] || [ -z "$(ls -A "$DIR")" ]; then
      rm -rf "$DIR"
    else
      die "${DIR} exists and does not look like a zipmine test cluster; remove it or set ZIPMINE_RGW_DIR"
    fi
  fi
  mkdir -p "${DIR}"/{mon.a,osd.0,log,run,rgw}

  local t0 fsid osd_uuid osd_id
  t0="$(now)"
  DEADLINE=$(($(date +%s) + TIMEOUT))
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  write_conf "$fsid"

  monmaptool --create --add a "127.0.0.1:${MON_PORT}" --fsid "$fsid" "${DIR}/monmap" >/dev/null
  ceph-mon -c "$CONF" -i a --mkfs --monmap "${DIR}/monmap" >/dev/null 2>&1 ||
    die "ceph-mon --mkfs failed (is ${DIR} writable?)"
  LAUNCHING=1
  launch mon.a ceph-mon -c "$CONF" -i a || die "ceph-mon did not start (port ${MON_PORT} busy? set ZIPMINE_RGW_MON_PORT)"
  wait_for "the monitor" mon.a ceph_cli mon stat || die "ceph-mon exited during startup"
  say "monitor up after $(since "$t0")s"

  osd_id="$(ceph_cli osd new "$osd_uuid" 2>/dev/null)" || die "'ceph osd new' failed"
  [ "$osd_id" = "0" ] || die "expected OSD id 0, the monitor gave '${osd_id}'"
  # Now and then (4 starts in 25 here) the new OSD's first command reaches the monitor with a zero
  # fsid, the monitor answers "wrong fsid" and ceph-osd fails during init. A fresh try works.
  local attempt
  for attempt in 1 2 3; do
    rm -rf "${DIR}/osd.0" && mkdir -p "${DIR}/osd.0"
    ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1 || die "ceph-osd --mkfs failed"
    if launch osd.0 ceph-osd -c "$CONF" -i 0; then
      wait_for "the OSD to come up" osd.0 osd_is_up && break
    fi
    [ "$attempt" -lt 3 ] || die "ceph-osd exited during startup ${attempt} times"
    say "ceph-osd exited during startup (attempt ${attempt}: $(tail -n 1 "${DIR}/log/osd.0.log")); retrying"
  done
  say "osd up after $(since "$t0")s"

  launch client.rgw.zipmine radosgw -c "$CONF" -n client.rgw.zipmine || die "radosgw did not start"
  wait_for "radosgw on ${ENDPOINT}" client.rgw.zipmine port_answers || die "radosgw exited during startup"
  say "radosgw answering after $(since "$t0")s"

  ensure_user || die "radosgw-admin could not create the test user"
  wait_for "the test user to be accepted" client.rgw.zipmine credentials_work ||
    die "radosgw exited during startup"
  LAUNCHING=0
  say "ready after $(since "$t0")s: ${ENDPOINT} (data in ${DIR}, logs in ${DIR}/log)"
  print_exports >&3
}

cmd_stop() {
  local name pid stopped=0
  for name in "${DAEMONS[@]}"; do
    daemon_alive "$name" || continue
    pid="$(pid_of "$name")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      pid_gone "$pid" && break
      sleep 0.1
    done
    if ! pid_gone "$pid"; then
      say "${name} (pid ${pid}) ignored SIGTERM; sending SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
    stopped=$((stopped + 1))
  done
  rm -f "${DIR}"/run/*.pid 2>/dev/null || true
  if [ "$stopped" -gt 0 ]; then
    say "stopped ${stopped} daemon(s)"
  else
    say "nothing running"
  fi
}

cmd_status() {
  if port_answers; then
    say "answering on ${ENDPOINT}"
  else
    say "not answering on ${ENDPOINT}"
    return 1
  fi
}

case "${1:-}" in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash .ci/s3-server.sh install|start|stop|status" >&2
  exit 2
  ;;
esac
