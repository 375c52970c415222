#!/usr/bin/env bash
# Installs Debian packages for CI and the test suites: non-interactive, and waiting for an
# apt lock another run holds (a machine's first-boot provisioning, say) instead of failing.
#   bash .ci/apt-install.sh PACKAGE...
set -euo pipefail
[ $# -gt 0 ] || exit 0
export DEBIAN_FRONTEND=noninteractive
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "apt-install: $*"
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q </dev/null
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@" </dev/null
