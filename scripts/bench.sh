#!/usr/bin/env bash
# `make bench`: every benchmark, printed. Stage benchmarks need no broker; the end-to-end one starts ours if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpora/reuters21578}
SHARED=${2:-../shared}
SYN=.venv/bin/syndicate
echo "== normalize";  $SYN bench normalize "$CORPUS"
echo "== html";       $SYN bench html "$SHARED/corpora/aeb-dev/html"
echo "== tag";        $SYN bench tag "$CORPUS"
echo "== dedupe";     $SYN bench dedupe "$CORPUS"
echo "== route";      $SYN bench route "$CORPUS"
started=0
if [ "$($SYN broker status)" = "down" ]; then $SYN broker up; started=1; fi
trap '[ "$started" = 1 ] && $SYN broker down' EXIT
echo "== e2e (real broker: offline vs Kafka, latency exactly-once and at-least-once, 20 partners)"
$SYN bench e2e "$CORPUS"
echo "== e2e with two workers"; $SYN bench e2e "$CORPUS" --phases throughput --workers 2
echo "== recovery (real broker)"; $SYN bench recovery "$CORPUS"
echo "== rebalance (real broker)"; $SYN bench rebalance --attempts 10
echo "== crash (real broker)"; $SYN bench crash --kills 20
