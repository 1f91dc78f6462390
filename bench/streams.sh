#!/usr/bin/env bash
# Held-open streams: STREAMS concurrent streaming requests (default 10,000), the simulator sending one
# chunk a second for 30 s, measured straight against the simulator and then through Fundament
# (bench/fundament-bench.yaml: keys, limits, budgets, ledger, guardrails, audit, metrics on; HTTP/2
# to the simulator) in one run on one machine. wrk holds one stream per connection for DURATION
# seconds, so each connection completes two streams; streams still open when wrk stops are not counted.
#
#   bench/streams.sh                        # 10,000 streams, 65 s per target
#   STREAMS=2000 DURATION=40 bench/streams.sh
#
# Prints one table row per target: streams completed, [DONE] seen, errors, stream duration p50/p99,
# peak RSS (sampled every 0.5 s) and CPU seconds per 1,000 streams. Raw wrk output in $OUT.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$HERE/../shared/bench}"
STREAMS="${STREAMS:-10000}"
DURATION="${DURATION:-65}"
SIM_PORT=18401
PORT="${FUNDAMENT_BENCH_PORT:-18300}"
OUT="${OUT:-/tmp/fundament-streams/$(date +%Y%m%d-%H%M%S)}"
DATA=/tmp/fundament-bench-data
mkdir -p "$OUT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || "$HARNESS/setup.sh"
[[ -n "${SKIP_BUILD:-}" ]] || (cd "$HERE" && ./mvnw -q -B -DskipTests -pl app -am package)
ulimit -n "$(ulimit -Hn)"
JAR="$HERE/app/target/quarkus-app/quarkus-run.jar"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

wait_http() { # url pid
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# run NAME URL PID MODEL [KEY]: one wrk run, with RSS sampled and CPU counted for PID
run() {
  local name=$1 url=$2 pid=$3 model=$4 key=${5:-}
  local peak=0 before after
  before=$(cpu_ticks "$pid")
  ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid"; sleep 0.5; done ) > "$OUT/$name.rss" &
  local sampler=$!
  local auth=()
  [[ -n "$key" ]] && auth=(-H "Authorization: Bearer $key")
  WRK_STREAM=1 WRK_MODEL="$model" wrk -t2 -c"$STREAMS" -d"${DURATION}s" --timeout 45s --latency "${auth[@]}" \
    -s "$HARNESS/lua/chat.lua" "$url" > "$OUT/$name.wrk" 2>&1 || true
  after=$(cpu_ticks "$pid")
  kill "$sampler" 2>/dev/null || true
  peak=$(sort -n "$OUT/$name.rss" | tail -1)
  local json
  json=$(sed -n 's/^WRK_JSON //p' "$OUT/$name.wrk")
  python3 - "$name" "$json" "$peak" "$((after - before))" "$(getconf CLK_TCK)" "$STREAMS" <<'PY'
import json, sys
name, raw, peak, ticks, hz, streams = sys.argv[1], sys.argv[2], int(sys.argv[3] or 0), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
w = json.loads(raw)
errors = w["err_connect"] + w["err_read"] + w["err_write"] + w["err_status"] + w["err_timeout"]
n = w["requests"]
cpu = ticks / hz
print(f"| {name} | {streams} | {n} | {w['stream_done']} | {errors} | {w['p50_us']/1e6:.2f} | {w['p99_us']/1e6:.2f} "
      f"| {peak/1024:.0f} | {cpu:.1f} | {cpu * 1000 / max(n, 1):.2f} |")
PY
}

echo "| target | streams | completed | [DONE] | errors | p50 s | p99 s | peak RSS MiB | CPU s | CPU s / 1,000 streams |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

"$JAVA_HOME/bin/java" -Xms256m -Xmx1g -XX:+UseParallelGC -jar "$JAR" simulate --port $SIM_PORT --ttft 0ms \
  --tokens-per-second 1 --output-tokens fixed:30 --seed 1 > "$OUT/simulator.log" 2>&1 &
SIM=$!
PIDS+=("$SIM")
wait_http "http://127.0.0.1:$SIM_PORT/v1/models" "$SIM" || { cat "$OUT/simulator.log"; exit 1; }
run direct "http://127.0.0.1:$SIM_PORT/v1/chat/completions" "$SIM" gpt-4o-mini

rm -rf "$DATA"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${FUNDAMENT_BENCH_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseParallelGC} -Dfundament.bootstrap-key=sk-bench-admin \
  --enable-native-access=ALL-UNNAMED -jar "$JAR" serve --port "$PORT" --config "${FUNDAMENT_BENCH_CONFIG:-$HERE/bench/fundament-bench.yaml}" \
  --data "$DATA" > "$OUT/fundament.log" 2>&1 &
FUN=$!
PIDS+=("$FUN")
wait_http "http://127.0.0.1:$PORT/q/health/ready" "$FUN" || { cat "$OUT/fundament.log"; exit 1; }
KEY=$(FUNDAMENT_KEY=sk-bench-admin "$HERE/fundament" keys create --url "http://127.0.0.1:$PORT" --name streams --team bench \
  --service --json | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
# Warm the JIT before the measured run: whole answers from the simulator (the HTTP/2 upstream path;
# the simulator answers them at once) and fast streams from the harness's mock (the streaming path).
"$HARNESS/mock-upstream.sh" start >/dev/null
WRK_MODEL=sim-stream wrk -t2 -c64 -d20s -H "Authorization: Bearer $KEY" -s "$HARNESS/lua/chat.lua" \
  "http://127.0.0.1:$PORT/v1/chat/completions" > "$OUT/warmup-whole.wrk" 2>&1 || true
WRK_STREAM=1 WRK_MODEL=gpt-4o-mini wrk -t2 -c64 -d20s -H "Authorization: Bearer $KEY" -s "$HARNESS/lua/chat.lua" \
  "http://127.0.0.1:$PORT/v1/chat/completions" > "$OUT/warmup-streams.wrk" 2>&1 || true
run fundament "http://127.0.0.1:$PORT/v1/chat/completions" "$FUN" sim-stream "$KEY"
echo
echo "raw output: $OUT"
