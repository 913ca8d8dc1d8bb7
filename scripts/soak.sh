#!/usr/bin/env bash
# Soak test of the serve example: starts `cargo run --release --example
# serve` on loopback, drives it with wrk for DURATION (default 3m) using
# scripts/soak.lua (valid single and batch predictions on every route mixed
# with malformed, wrongly typed, oversized and mis-routed requests), then
# reports requests served, counts by status, resident memory (VmRSS) at
# start and end, and checks zero 5xx (on any request, so in particular on
# valid input) and that the server is still alive. Exit status 0 only if both checks pass.
#
#   scripts/soak.sh                      # 3 minutes, 2 threads, 16 connections
#   DURATION=30s CONNECTIONS=8 scripts/soak.sh
#
# Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-3m}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18080}
ADDR=127.0.0.1:$PORT
LOG=${LOG:-target/soak-server.log}

command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }

cargo build --release --example serve
mkdir -p target
./target/release/examples/serve --addr "$ADDR" >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap cleanup EXIT

# Wait for the demo models to train and the listener to come up.
for _ in $(seq 1 600); do
  if curl -fsS "http://$ADDR/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$PID" 2>/dev/null; then echo "server exited early:"; cat "$LOG"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://$ADDR/health" >/dev/null || { echo "server did not come up"; cat "$LOG"; exit 1; }

rss() { awk '/^VmRSS/ {print $2 " " $3}' "/proc/$PID/status"; }
# Warm up (first requests allocate the runtime's buffers), then measure.
wrk -t1 -c2 -d5s -s scripts/soak.lua "http://$ADDR" >/dev/null
RSS_START=$(rss)
echo "== soak: $DURATION, $THREADS threads, $CONNECTIONS connections, server pid $PID"
echo "VmRSS at start (after 5 s warm-up): $RSS_START"
OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s scripts/soak.lua "http://$ADDR")
RSS_END=$(rss)
echo "$OUT"
echo "VmRSS at end: $RSS_END"

ALIVE=no
if kill -0 "$PID" 2>/dev/null && curl -fsS "http://$ADDR/health" >/dev/null; then ALIVE=yes; fi
ALL_5XX=$(echo "$OUT" | awk '/^ALL_5XX/ {print $2}')
echo "== summary"
echo "requests served: $(echo "$OUT" | awk '/^REQUESTS/ {print $2}')"
echo "by status: $(echo "$OUT" | awk '/^STATUS/ {printf "%s=%s ", $2, $3}')"
echo "5xx (valid and invalid requests alike): ${ALL_5XX:-missing}"
echo "VmRSS start -> end: $RSS_START -> $RSS_END"
echo "server alive after soak: $ALIVE"
grep -c "internal error" "$LOG" | xargs echo "internal errors logged:"
[ "$ALIVE" = yes ] && [ "${ALL_5XX:-1}" = 0 ]
