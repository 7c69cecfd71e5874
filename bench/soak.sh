#!/usr/bin/env bash
# The soak run (not in CI): builds the ActorRpc server and bench/Soak in Release, then runs a 3-node loopback
# cluster under a mixed load with one node restarted at half time. See bench/README.md.
#
#   bench/soak.sh                     the full run: 10 minutes
#   bench/soak.sh --duration 90s      a quick check; any other option of bench/Soak passes through
#
# Exit code: 0 when nothing was lost on the surviving nodes, 1 when something was, 2 bad options,
# 3 cut short (Ctrl+C, SIGTERM or the run's hard deadline), 4 the run itself failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The server the nodes run is named once, in bench/Directory.Build.props (BenchServerProject).
SERVER_PROJECT="$(dotnet msbuild "$REPO_ROOT/bench/Common/ActorRpc.Bench.Common.csproj" -getProperty:BenchServerProject)"
dotnet build -c Release "$REPO_ROOT/$SERVER_PROJECT" -nologo -v quiet
dotnet build -c Release "$REPO_ROOT/bench/Soak" -nologo -v quiet
exec dotnet "$REPO_ROOT/bench/Soak/bin/Release/net10.0/ActorRpc.Bench.Soak.dll" "$@"
