#!/usr/bin/env bash
# Side-by-side serving benchmark: gunicorn (2 workers) + Flask + scikit-learn
# vs `cargo run --release --example serve`, both serving TF-IDF + logistic
# regression trained on the same BBC rows (i % 5 != 0), both hit by
# `wrk -t2 -c16 -d10s` with the same one-sentence POST to /predict.
# Prints requests/s, p50/p99 latency and the throughput ratio.
#
# Usage: scripts/compare_serving.sh        (from the crate root)
# Env:   PROBA_DATA_DIR (default ../shared/data), DURATION (10s), CONNECTIONS (16)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR="${PROBA_DATA_DIR:-../shared/data}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
FLASK_PORT=18081
PROBA_PORT=18082
[ -f "$DATA_DIR/bbc.jsonl" ] || { echo "SKIPPED: $DATA_DIR/bbc.jsonl not found"; exit 0; }
export PROBA_DATA_DIR="$(cd "$DATA_DIR" && pwd)"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# --- tools ---------------------------------------------------------------
python3 -c 'import flask, gunicorn' 2>/dev/null || python3 -m pip install -q flask gunicorn
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "The government announced new tax plans for small businesses ahead of the election."}'
LUA

wait_for() { # url
  for _ in $(seq 1 600); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server at $1 did not come up" >&2; return 1
}

bench() { # name url -> prints "rps p50_ms p99_ms"
  local out
  out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" "$2")"
  echo "$out" > "$WORK/$1.wrk"
  python3 - "$WORK/$1.wrk" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v):
    n, u = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(re.search(r"\s50%\s+(\S+)", t).group(1))
p99 = ms(re.search(r"\s99%\s+(\S+)", t).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
errors = re.search(r"Socket errors:.*", t)
print(f"{rps:.0f} {p50:.3f} {p99:.3f} {non2xx.group(1) if non2xx else 0}")
if errors: print(errors.group(0), file=sys.stderr)
PY
}

LOAD="$(cut -d" " -f1-3 /proc/loadavg)"

# --- proba model, trained by the train example ------------------------------
echo "building the examples (release)..."
cargo build --release -q --example serve --example train
BIN="${CARGO_TARGET_DIR:-target}/release/examples"
"$BIN/train" --data "$PROBA_DATA_DIR/bbc.jsonl" --split mod5 \
  --out "$WORK/bbc-lr.json" > "$WORK/train.log"
grep -E "^(trained|accuracy|log loss)" "$WORK/train.log"

# --- gunicorn + Flask + scikit-learn ------------------------------------------
echo "starting gunicorn (2 workers)..."
(cd scripts && exec python3 -m gunicorn -w 2 --preload -b "127.0.0.1:$FLASK_PORT" \
  --log-level warning flask_app:app) & PIDS+=($!)
wait_for "http://127.0.0.1:$FLASK_PORT/health"
curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"text": "The government announced new tax plans."}' "http://127.0.0.1:$FLASK_PORT/predict"; echo
read -r F_RPS F_P50 F_P99 F_BAD < <(bench flask "http://127.0.0.1:$FLASK_PORT/predict")
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

# --- proba serve -----------------------------------------------------------------
echo "starting proba serve..."
"$BIN/serve" --no-demo --predict "$WORK/bbc-lr.json" \
  --addr "127.0.0.1:$PROBA_PORT" 2> "$WORK/serve.log" & PIDS+=($!)
wait_for "http://127.0.0.1:$PROBA_PORT/health"
curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"text": "The government announced new tax plans."}' "http://127.0.0.1:$PROBA_PORT/predict"; echo
read -r P_RPS P_P50 P_P99 P_BAD < <(bench proba "http://127.0.0.1:$PROBA_PORT/predict")
kill -INT "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

echo
echo "wrk -t2 -c$CONNECTIONS -d$DURATION, one-sentence POST /predict, $(getconf _NPROCESSORS_ONLN) cores, load average before the runs: $LOAD"
printf "%-34s %12s %10s %10s %8s\n" "server" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf "%-34s %12s %10s %10s %8s\n" "gunicorn(2) + Flask + scikit-learn" "$F_RPS" "$F_P50" "$F_P99" "$F_BAD"
printf "%-34s %12s %10s %10s %8s\n" "proba serve (axum + tokio)" "$P_RPS" "$P_P50" "$P_P99" "$P_BAD"
python3 -c "print(f'throughput ratio: {$P_RPS / max($F_RPS, 1):.1f}x   (target >= 50x, p99 < 2 ms, logging and metrics on)')"
