#!/usr/bin/env bash
# Runs an ActorRpc cluster of N nodes on loopback, as plain processes (no container engine needed).
#
#   deploy/local-cluster.sh [start] [N]   build once, start N nodes (default 3), wait for /ready on each
#   deploy/local-cluster.sh stop          stop the nodes started by 'start' (by PID)
#   deploy/local-cluster.sh status        show each node's PID and its /healthz and /ready answers
#
# Each node is the demo host (src/DemoHost). Node i (1..N) listens on
# http://127.0.0.1:$((HTTP_BASE_PORT+i-1)) (JSON-RPC at /rpc, liveness at /healthz, readiness at
# /ready, metrics at /metrics) and on Akka.Remote port $((AKKA_BASE_PORT+i-1)). Node 1 is the seed: it starts with no
# seed nodes and so forms the cluster by itself; nodes 2..N join it through
# --Cluster:SeedNodes:0=akka.tcp://actor-rpc@127.0.0.1:$AKKA_BASE_PORT.
#
# Environment:
#   NODES              number of nodes when N is not given             (default 3)
#   HTTP_BASE_PORT     HTTP port of node 1                              (default 5000)
#   AKKA_BASE_PORT     Akka.Remote port of node 1                       (default 4053)
#   LOCAL_CLUSTER_DIR  logs (nodeI.log), PID files (nodeI.pid), URLs (nodeI.url), build.log
#                                                                       (default <repo>/.local-cluster)
#   HEALTH_TIMEOUT     seconds to wait for every /ready to answer 200   (default 60)
#   STOP_TIMEOUT       seconds to wait after SIGTERM before SIGKILL     (default 20)
#   CONFIGURATION      build configuration                              (default Release)
#   SKIP_BUILD=1       reuse the last build instead of building
# Extra node settings can be passed as ASP.NET Core environment variables, e.g.
#   ActorRpc__DetailedErrors=true deploy/local-cluster.sh
# Cluster TLS is off by default (a laptop). With Cluster__Tls__CertificatePath (and
# Cluster__Tls__CertificatePassword) in the environment, every node presents that certificate and
# the seed address uses akka.ssl.tcp:// (see deploy/README.md, "Cluster TLS", to make one).
set -euo pipefail

readonly HOST=127.0.0.1
readonly SYSTEM_NAME=actor-rpc
readonly DLL_NAME=ActorRpc.DemoHost.dll
readonly PROJECT=src/DemoHost/ActorRpc.DemoHost.csproj

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATE_DIR="${LOCAL_CLUSTER_DIR:-$REPO_ROOT/.local-cluster}"
HTTP_BASE_PORT="${HTTP_BASE_PORT:-5000}"
AKKA_BASE_PORT="${AKKA_BASE_PORT:-4053}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-60}"
STOP_TIMEOUT="${STOP_TIMEOUT:-20}"
CONFIGURATION="${CONFIGURATION:-Release}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[local-cluster] %s\n' "$*"; }
die() { printf '[local-cluster] error: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Something accepts connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# $1 is alive and is one of our nodes (guards against a PID reused by another program).
is_our_node() {
  local pid=$1 args
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    args="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  else
    args="$(ps -p "$pid" -o args= 2>/dev/null || true)"
  fi
  [[ "$args" == *"$DLL_NAME"* ]]
}

# Status code of GET $1$2 ("no answer" when nothing answers). /healthz is liveness (200 while the
# process serves HTTP); /ready is readiness (method routers up, an Up cluster member, accepting
# connections), the one that says a node has joined and can serve.
health_code() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1${2:-/ready}" 2>/dev/null || true)"
  [[ -z "$code" || "$code" == 000 ]] && code="no answer"
  printf '%s' "$code"
}

pid_files() {
  local f
  for f in "$STATE_DIR"/node*.pid; do
    [[ -e "$f" ]] && printf '%s\n' "$f"
  done | sort -V
}

# Sends SIGTERM to every given PID that is still our node, waits up to STOP_TIMEOUT seconds for them
# to leave the cluster and exit, then SIGKILLs what is left.
stop_pids() {
  local pid waiting deadline
  local -a alive=()
  for pid in "$@"; do
    if is_our_node "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      alive+=("$pid")
    fi
  done
  ((${#alive[@]} == 0)) && return 0

  deadline=$((SECONDS + STOP_TIMEOUT))
  while ((SECONDS < deadline)); do
    waiting=0
    for pid in "${alive[@]}"; do
      kill -0 "$pid" 2>/dev/null && waiting=1
    done
    ((waiting == 0)) && return 0
    sleep 0.5
  done

  for pid in "${alive[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "PID $pid did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

cmd_stop() {
  local f pid name
  local -a pids=()
  local -a files=()
  while IFS= read -r f; do
    files+=("$f")
  done < <(pid_files)

  if ((${#files[@]} == 0)); then
    log "no PID files in $STATE_DIR; nothing to stop"
    return 0
  fi

  # Highest node first, so the seed is the last to go.
  for ((i = ${#files[@]} - 1; i >= 0; i--)); do
    f="${files[$i]}"
    pid="$(cat "$f" 2>/dev/null || true)"
    name="$(basename "$f" .pid)"
    if is_uint "$pid" && is_our_node "$pid"; then
      log "stopping $name (PID $pid)"
      pids+=("$pid")
    else
      log "$name (PID ${pid:-?}) is not running"
    fi
  done

  ((${#pids[@]} > 0)) && stop_pids "${pids[@]}"
  rm -f "${files[@]}" "$STATE_DIR"/node*.url
  log "stopped"
}

cmd_status() {
  local f pid name state url
  local found=0
  while IFS= read -r f; do
    found=1
    name="$(basename "$f" .pid)"
    pid="$(cat "$f" 2>/dev/null || true)"
    url="$(cat "${f%.pid}.url" 2>/dev/null || true)"
    if is_uint "$pid" && is_our_node "$pid"; then state="running"; else state="not running"; fi
    printf '%s  PID %-7s %-11s %s  healthz=%s  ready=%s\n' \
      "$name" "$pid" "$state" "${url:-?}" \
      "$(if [[ -n "$url" ]]; then health_code "$url" /healthz; else echo '?'; fi)" \
      "$(if [[ -n "$url" ]]; then health_code "$url" /ready; else echo '?'; fi)"
  done < <(pid_files)
  ((found)) || log "no nodes started from $STATE_DIR"
}

# ---- start ----------------------------------------------------------------------------------------

STARTING=0
declare -a STARTED_PIDS=()

on_exit() {
  local status=$?
  if ((STARTING == 1 && status != 0)); then
    log "start failed (exit $status); stopping the nodes started so far"
    ((${#STARTED_PIDS[@]} > 0)) && stop_pids "${STARTED_PIDS[@]}"
    rm -f "$STATE_DIR"/node*.pid "$STATE_DIR"/node*.url
  fi
  exit "$status"
}

cmd_start() {
  local nodes=$1 i f pid

  if ! is_uint "$nodes" || ((nodes < 1)); then
    die "N must be a positive integer (got '$nodes')"
  fi
  is_uint "$HTTP_BASE_PORT" || die "HTTP_BASE_PORT must be a number"
  is_uint "$AKKA_BASE_PORT" || die "AKKA_BASE_PORT must be a number"
  command -v dotnet >/dev/null || die "dotnet is not on PATH (the .NET 10 SDK is needed)"
  command -v curl >/dev/null || die "curl is not on PATH"

  mkdir -p "$STATE_DIR"
  # The folder ignores itself, so logs and PID files never show up in git status.
  [[ -e "$STATE_DIR/.gitignore" ]] || printf '# Written by deploy/local-cluster.sh\n*\n' >"$STATE_DIR/.gitignore"

  # Refuse to start over a cluster that is still running; clean up stale PID files.
  while IFS= read -r f; do
    pid="$(cat "$f" 2>/dev/null || true)"
    if is_uint "$pid" && is_our_node "$pid"; then
      die "$(basename "$f" .pid) is still running (PID $pid); run '$0 stop' first"
    fi
    rm -f "$f" "${f%.pid}.url"
  done < <(pid_files)

  for ((i = 1; i <= nodes; i++)); do
    port_open $((HTTP_BASE_PORT + i - 1)) && die "port $((HTTP_BASE_PORT + i - 1)) on $HOST is already in use (set HTTP_BASE_PORT)"
    port_open $((AKKA_BASE_PORT + i - 1)) && die "port $((AKKA_BASE_PORT + i - 1)) on $HOST is already in use (set AKKA_BASE_PORT)"
  done

  local dll
  if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
    log "SKIP_BUILD=1: reusing the last $CONFIGURATION build"
  else
    log "building src/DemoHost ($CONFIGURATION); output in $STATE_DIR/build.log"
    if ! (cd "$REPO_ROOT" && dotnet build -c "$CONFIGURATION" "$PROJECT" -nologo) >"$STATE_DIR/build.log" 2>&1; then
      tail -n 30 "$STATE_DIR/build.log" >&2
      die "build failed; see $STATE_DIR/build.log"
    fi
  fi
  dll="$(cd "$REPO_ROOT" && dotnet msbuild "$PROJECT" -nologo \
    -getProperty:TargetPath -p:Configuration="$CONFIGURATION" | tr -d '\r' | tail -n 1)"
  [[ -f "$dll" ]] || die "built app not found at '$dll'"

  rm -f "$STATE_DIR"/node*.log
  STARTING=1
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # TLS nodes only speak akka.ssl.tcp: the seed address must say so.
  local scheme=akka.tcp
  [[ -n "${Cluster__Tls__CertificatePath:-}" ]] && scheme=akka.ssl.tcp
  local seed="$scheme://$SYSTEM_NAME@$HOST:$AKKA_BASE_PORT"
  for ((i = 1; i <= nodes; i++)); do
    local http_port=$((HTTP_BASE_PORT + i - 1)) akka_port=$((AKKA_BASE_PORT + i - 1))
    local -a args=(
      "$dll"
      --urls "http://$HOST:$http_port"
      "--Cluster:Hostname=$HOST"
      "--Cluster:Port=$akka_port"
    )
    ((i > 1)) && args+=("--Cluster:SeedNodes:0=$seed")

    # stdin from /dev/null and output to the log, so the node outlives this script and never holds
    # the caller's terminal or pipe. 'dotnet app.dll' is the node process itself, so $! is its PID.
    nohup dotnet "${args[@]}" </dev/null >"$STATE_DIR/node$i.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    echo "$pid" >"$STATE_DIR/node$i.pid"
    echo "http://$HOST:$http_port" >"$STATE_DIR/node$i.url"
    log "node$i: PID $pid  http://$HOST:$http_port  $scheme://$SYSTEM_NAME@$HOST:$akka_port$( ((i == 1)) && echo '  (seed)')"
  done

  log "waiting up to ${HEALTH_TIMEOUT}s for /ready on every node (an Up cluster member that can serve)"
  local started_at=$SECONDS
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) pending
  local -a healthy=()
  while :; do
    pending=0
    for ((i = 1; i <= nodes; i++)); do
      [[ "${healthy[$i]:-0}" == 1 ]] && continue
      pid="${STARTED_PIDS[$((i - 1))]}"
      if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 30 "$STATE_DIR/node$i.log" >&2 || true
        die "node$i (PID $pid) exited during start-up; see $STATE_DIR/node$i.log"
      fi
      if [[ "$(health_code "http://$HOST:$((HTTP_BASE_PORT + i - 1))")" == 200 ]]; then
        healthy[i]=1
        log "node$i ready ($((SECONDS - started_at))s after start)"
      else
        pending=1
      fi
    done
    ((pending == 0)) && break
    if ((SECONDS >= deadline)); then
      for ((i = 1; i <= nodes; i++)); do
        [[ "${healthy[$i]:-0}" == 1 ]] || log "node$i: /ready answered '$(health_code "http://$HOST:$((HTTP_BASE_PORT + i - 1))")'; log: $STATE_DIR/node$i.log"
      done
      die "not every node was ready within ${HEALTH_TIMEOUT}s"
    fi
    sleep 0.5
  done

  STARTING=0
  trap - EXIT INT TERM

  echo
  echo "ActorRpc cluster of $nodes node(s) is up:"
  for ((i = 1; i <= nodes; i++)); do
    local http_port=$((HTTP_BASE_PORT + i - 1))
    printf '  node%-3s PID %-7s http://%s:%s/rpc  ws://%s:%s/rpc  http://%s:%s/ready  akka port %s\n' \
      "$i" "${STARTED_PIDS[$((i - 1))]}" "$HOST" "$http_port" "$HOST" "$http_port" "$HOST" "$http_port" \
      $((AKKA_BASE_PORT + i - 1))
  done
  echo "Logs and PID files: $STATE_DIR"
  echo "Stop with: $0 stop"
}

main() {
  local cmd="${1:-start}"
  case "$cmd" in
    start) cmd_start "${2:-${NODES:-3}}" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    -h | --help | help) usage 0 ;;
    *)
      # 'deploy/local-cluster.sh 5' is short for 'start 5'.
      if is_uint "$cmd"; then cmd_start "$cmd"; else usage 1 >&2; fi
      ;;
  esac
}

main "$@"
