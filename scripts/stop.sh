#!/usr/bin/env bash
# `make stop`: stop the demo worker and the broker this project started (by their pids only).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -f .cache/worker.pid ]; then
  pid=$(cat .cache/worker.pid)
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "worker stopped (pid $pid)"
  fi
  rm -f .cache/worker.pid
fi
.venv/bin/syndicate broker down
