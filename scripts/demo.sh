#!/usr/bin/env bash
# `make demo`: broker, topics, a worker in the background, a backlog replayed, then what partners received.
set -euo pipefail
cd "$(dirname "$0")/.."
SYN=.venv/bin/syndicate
mkdir -p .cache
$SYN broker up
$SYN topics
if [ -f .cache/worker.pid ] && kill -0 "$(cat .cache/worker.pid)" 2>/dev/null; then
  echo "worker already running (pid $(cat .cache/worker.pid))"
else
  # the live dashboard and /metrics are on by default here (SYNDICATE_WEB_ENABLED=0 make demo turns them off)
  SYNDICATE_WEB_ENABLED=${SYNDICATE_WEB_ENABLED:-1} nohup $SYN worker > .cache/worker.log 2>&1 &
  echo $! > .cache/worker.pid
  echo "worker started (pid $(cat .cache/worker.pid)), log in .cache/worker.log"
fi
# our loops say this once each has started and subscribed (streams/runtime/app.py READY; the test harness waits
# for it too): records replayed from here on are theirs, from the group's committed offsets or the earliest
for _ in $(seq 1 120); do
  grep -q "syndicate worker ready" .cache/worker.log 2>/dev/null && break
  kill -0 "$(cat .cache/worker.pid)" 2>/dev/null || { echo "worker died:"; tail -30 .cache/worker.log; exit 1; }
  sleep 0.5
done
before=$($SYN summary --timeout 0 | awk 'NR == 1 {print $4}')
out=$($SYN replay --quiet "$@")
echo "$out"
sent=$(echo "$out" | awk '/^replayed/ {print $2}')
echo "waiting for the worker to decide on all $sent stories ..."
$SYN summary --expect $((before + sent)) --timeout 120 --show-article
echo
if [ "${SYNDICATE_WEB_ENABLED:-1}" != 0 ]; then
  echo "Live dashboard: http://127.0.0.1:${SYNDICATE_WEB_PORT:-6066}/dashboard/   Prometheus metrics: http://127.0.0.1:${SYNDICATE_WEB_PORT:-6066}/metrics"
fi
echo "Broker and worker are still running. Watch a topic:  .venv/bin/syndicate tail wire.decisions --from-beginning"
echo "Stop both with:  make stop"
