#!/usr/bin/env bash
# End-to-end check of the local cluster, no container engine needed:
#   1. deploy/local-cluster.sh start   (build, start NODES nodes on loopback, wait for /ready)
#   2. deploy/check-cluster.mjs        (/ready on every node; subscribe to 'news' over WebSocket on
#                                       node 1; publish over HTTP POST on the last node until node 1's
#                                       subscriber receives {"jsonrpc":"2.0","method":"news","params":{"x":1}})
#   3. deploy/local-cluster.sh stop    (always, also on failure or Ctrl+C), then verify that no node
#                                       process is left and that no node port still listens.
#
#   deploy/check-cluster.sh              the whole cycle
#   deploy/check-cluster.sh --no-start   only step 2, against a cluster that is already running
#
# Needs Node.js: 22+ as is; 20 runs with --experimental-websocket; older ones need the 'ws' package
# (npm install ws, reachable via NODE_PATH). Environment: NODES (3), HTTP_BASE_PORT (5000),
# AKKA_BASE_PORT (4053), CHECK_TIMEOUT (20 s), and everything deploy/local-cluster.sh reads.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export NODES="${NODES:-3}" HTTP_BASE_PORT="${HTTP_BASE_PORT:-5000}" AKKA_BASE_PORT="${AKKA_BASE_PORT:-4053}"

command -v node >/dev/null || { echo "check-cluster: node (Node.js) is not on PATH" >&2; exit 1; }

run_check() {
  local -a flags=()
  if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    # Node 20 has a WebSocket client behind a flag; without it the script falls back to 'ws'.
    if node --experimental-websocket -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
      flags+=(--experimental-websocket)
    fi
  fi
  node ${flags[@]+"${flags[@]}"} "$SCRIPT_DIR/check-cluster.mjs"
}

if [[ "${1:-}" == "--no-start" ]]; then
  run_check
  exit $?
fi

STATE_DIR="${LOCAL_CLUSTER_DIR:-$(cd "$SCRIPT_DIR/.." && pwd)/.local-cluster}"
declare -a PIDS=()

finish() {
  local status=$? leftover=0 pid i
  trap - EXIT INT TERM
  echo "== stop"
  "$SCRIPT_DIR/local-cluster.sh" stop || status=1
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "left over: PID $pid is still running"
      leftover=1
    fi
  done
  for ((i = 0; i < NODES; i++)); do
    for port in $((HTTP_BASE_PORT + i)) $((AKKA_BASE_PORT + i)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "left over: 127.0.0.1:$port still accepts connections"
        leftover=1
      fi
    done
  done
  if ((leftover)); then
    status=1
  else
    echo "no node process left (PIDs ${PIDS[*]:-none} gone; ports ${HTTP_BASE_PORT}+ and ${AKKA_BASE_PORT}+ closed)"
  fi
  echo "== result: $( ((status == 0)) && echo PASS || echo "FAIL (exit $status)")"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== start"
"$SCRIPT_DIR/local-cluster.sh" start "$NODES"
for ((i = 1; i <= NODES; i++)); do
  PIDS+=("$(cat "$STATE_DIR/node$i.pid")")
done

echo "== check"
run_check
