#!/usr/bin/env bash
# Measures Fundament beside a direct call to the same mock upstream and beside the Portkey gateway,
# with the shared harness (../shared/bench): nginx mock, wrk, CPU pinning, one table per run.
# Fundament runs bench/fundament-bench.yaml: keys, limits, budgets, ledger, guardrails, audit and
# metrics on; the harness calls it with an ordinary team key created here.
#
#   bench/gateway.sh --conns 64 --duration 10 --warmup 30     # request/response
#   FUNDAMENT_BENCH_PEERS= bench/gateway.sh                    # Fundament and the direct baseline only
#   FUNDAMENT_BENCH_JAVA_OPTS="-Xmx1g -Dquarkus.vertx.event-loops-pool-size=1" bench/gateway.sh
#
# Results: /tmp/gwbench/results/<date>/results.md; copy the table into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$HERE/../shared/bench}"
PORT="${FUNDAMENT_BENCH_PORT:-18300}"
DATA=/tmp/fundament-bench-data

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || [[ ! -d /tmp/peers ]]; then
  "$HARNESS/setup.sh"
fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$HERE" && ./mvnw -q -B -DskipTests -pl app -am package)

JAVA_OPTS="${FUNDAMENT_BENCH_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseParallelGC}"
rm -rf "$DATA"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $JAVA_OPTS -Dfundament.bootstrap-key=sk-bench-admin --enable-native-access=ALL-UNNAMED \
  -jar "$HERE/app/target/quarkus-app/quarkus-run.jar" \
  serve --port "$PORT" --config "${FUNDAMENT_BENCH_CONFIG:-$HERE/bench/fundament-bench.yaml}" --data "$DATA" \
  > /tmp/fundament-bench.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  kill -0 $PID 2>/dev/null || { cat /tmp/fundament-bench.log; exit 1; }
  sleep 0.5
done
KEY=$(FUNDAMENT_KEY=sk-bench-admin "$HERE/fundament" keys create --url "http://127.0.0.1:$PORT" --name bench --team bench \
  --service --json | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
[[ -n "$KEY" ]] || { echo "could not create the benchmark key" >&2; exit 1; }

PEERS="${FUNDAMENT_BENCH_PEERS---peer portkey}"
# shellcheck disable=SC2086
"$HARNESS/gateway-bench.sh" $PEERS \
  --target "fundament=http://127.0.0.1:$PORT/v1/chat/completions" --key "fundament=$KEY" --pid "fundament=$PID" "$@"
