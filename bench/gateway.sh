#!/usr/bin/env bash
# Measures Fundament beside a direct call to the same mock upstream and beside the Portkey gateway,
# with the shared harness (../shared/bench): nginx mock, wrk, CPU pinning, one table per run.
#
#   bench/gateway.sh                 # request/response at 16, 64, 256 connections
#   bench/gateway.sh --stream        # held-open streams
#   bench/gateway.sh --duration 30   # any harness option is passed through
#   FUNDAMENT_BENCH_PEERS= bench/gateway.sh       # Fundament and the direct baseline only
#   FUNDAMENT_BENCH_JAVA_OPTS="-Xmx1g -Dquarkus.vertx.event-loops-pool-size=1" bench/gateway.sh
#
# Results: /tmp/gwbench/results/<date>/results.md; copy the table into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$HERE/../shared/bench}"
PORT="${FUNDAMENT_BENCH_PORT:-18300}"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || [[ ! -d /tmp/peers ]]; then
  "$HARNESS/setup.sh"
fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$HERE" && ./mvnw -q -B -DskipTests -pl app -am package)

JAVA_OPTS="${FUNDAMENT_BENCH_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseParallelGC}"
# The harness runs this with bash's exec: one plain command, absolute paths.
# The harness sends 'Authorization: Bearer sk-bench'; it is the admin key of a throwaway data directory.
rm -rf /tmp/fundament-bench-data
START="$JAVA_HOME/bin/java $JAVA_OPTS -Dfundament.bootstrap-key=sk-bench --enable-native-access=ALL-UNNAMED -jar $HERE/app/target/quarkus-app/quarkus-run.jar \
  serve --port $PORT --config $HERE/bench/fundament-bench.yaml --data /tmp/fundament-bench-data"

PEERS="${FUNDAMENT_BENCH_PEERS---peer portkey}"
# shellcheck disable=SC2086
exec "$HARNESS/gateway-bench.sh" $PEERS \
  --start "fundament=$START" \
  --target "fundament=http://127.0.0.1:$PORT/v1/chat/completions" --key fundament=sk-bench "$@"
