#!/usr/bin/env bash
# `make test`: start a broker if none of ours is running, run every test, stop only what we started.
set -euo pipefail
cd "$(dirname "$0")/.."
SYN=.venv/bin/syndicate
started=0
if [ "$($SYN broker status)" = "down" ]; then
  $SYN broker up
  started=1
fi
cleanup() { if [ "$started" = 1 ]; then $SYN broker down || true; fi; }
trap cleanup EXIT
.venv/bin/pytest "$@"
