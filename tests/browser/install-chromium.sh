#!/usr/bin/env bash
# Installs Debian's Chromium for the browser specs (tests/ActorRpc.Tests/Browser) when it is missing.
# Run by .ci/run before the tests and by the specs' Chromium fixture on first use, so the README's
# test command needs no step by hand. Exit 0 when /usr/bin/chromium is there afterwards.
# "There" means executable: the same test as the fixture's (Chromium.IsInstalled).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

install_command="apt-get update && apt-get install -y --no-install-recommends chromium"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  # Without passwordless sudo nothing can be installed unattended: say what to run instead.
  if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
    echo "chromium is missing (/usr/bin/chromium) and this user cannot install it without a password." >&2
    echo "Run once: sudo sh -c '$install_command'" >&2
    exit 1
  fi
  sudo="sudo -n"
fi

# Waits up to 2 minutes for dpkg's lock (unattended-upgrades, another apt) instead of failing at once.
apt_options=(-o DPkg::Lock::Timeout=120)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "Installing chromium for the browser specs..."
# apt's output is kept quiet, but shown when a step fails.
if ! $sudo apt-get "${apt_options[@]}" update -qq >"$log" 2>&1 \
  || ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y -qq --no-install-recommends chromium >>"$log" 2>&1; then
  cat "$log" >&2
  echo "Installing chromium failed; as root run: $install_command" >&2
  exit 1
fi
test -x /usr/bin/chromium
