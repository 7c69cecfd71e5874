#!/usr/bin/env bash
# The load matrix of issue #5 (not in CI): builds the ActorRpc server, both baseline servers and bench/Load
# in Release, then runs ActorRpc, StreamJsonRpc and RawKestrel side by side on loopback and regenerates
# bench/RESULTS.md, bench/results.json and bench/results.png. See bench/README.md.
#
#   bench/run.sh              the standard matrix, 3 interleaved repetitions (about 15 minutes)
#   bench/run.sh --quick      a bounded development run (under 3 minutes once built)
#   bench/run.sh --reps 5     any other bench/Load matrix option passes through (--base-port, --out)
#
# Servers listen on 127.0.0.1:5400-5402 and the cluster nodes on 5410-5412 (Akka 4410-4412); they
# are started as processes and killed by PID at the end. Exit code 3 when the 30-minute deadline hit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 10k idle connections and 10k subscribers: one descriptor per socket, in the tool and in the servers
# (which inherit this limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (($(ulimit -n) < 12000)); then
  echo "warning: ulimit -n is $(ulimit -n); the 10k-connection cells need about 12000" >&2
fi

cd "$REPO_ROOT"
# The server under test is named once, in bench/Directory.Build.props (BenchServerProject).
SERVER_PROJECT="$(dotnet msbuild bench/Common/ActorRpc.Bench.Common.csproj -getProperty:BenchServerProject)"
for project in "$SERVER_PROJECT" bench/Baselines/RawKestrel bench/Baselines/StreamJsonRpcServer bench/Load; do
  dotnet build -c Release "$project" -nologo -v quiet
done

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
exec dotnet bench/Load/bin/Release/net10.0/ActorRpc.Bench.Load.dll matrix --commit "$commit" "$@"
