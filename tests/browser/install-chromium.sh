#!/usr/bin/env bash
# Installs Debian's Chromium for the browser specs (tests/ActorRpc.Tests/Browser) when it is missing.
# Run by .ci/run before the tests and by the specs' Chromium fixture on first use, so the README's
# test command needs no step by hand. Exit 0 when /usr/bin/chromium is there afterwards.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
    exit 1
  fi
  sudo="sudo -n"
fi

echo "Installing chromium for the browser specs..."
$sudo apt-get update -qq >/dev/null
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
test -x /usr/bin/chromium
