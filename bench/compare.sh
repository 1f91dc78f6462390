#!/usr/bin/env bash
# Compares builds of Fundament on the request/response hot path with everything on
# (bench/fundament-bench.yaml): for each run, each build in turn is started fresh, given a team key,
# and measured by the shared harness (../shared/bench) at the same pinning and connections. Builds
# alternate run by run, so drift of the machine hits both alike. Prints, per build and pinning, the
# median of the runs with min and max.
#
#   bench/compare.sh --runs 3 before=/path/to/old/app/target/quarkus-app/quarkus-run.jar after=app/target/quarkus-app/quarkus-run.jar
#
# Extra harness options after `--` (default: --conns 64 --duration 10 --warmup 30 --pin both).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HARNESS="${HARNESS:-$HERE/../shared/bench}"
PORT="${FUNDAMENT_BENCH_PORT:-18300}"
RUNS=3
BUILDS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --) shift; break ;;
    *=*) BUILDS+=("$1"); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
HARNESS_ARGS=("$@")
[[ ${#HARNESS_ARGS[@]} -gt 0 ]] || HARNESS_ARGS=(--conns 64 --duration 10 --warmup 30 --pin both)
[[ ${#BUILDS[@]} -gt 0 ]] || { echo "name one or more builds: NAME=path/to/quarkus-run.jar" >&2; exit 2; }
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then "$HARNESS/setup.sh"; fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="/tmp/fundament-compare/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

measure() { # name jar run
  local name="$1" jar="$2" run="$3" data pid key
  data="$(mktemp -d)"
  "$JAVA_HOME/bin/java" -Xms512m -Xmx1g -XX:+UseParallelGC -Dfundament.bootstrap-key=sk-bench-admin \
    --enable-native-access=ALL-UNNAMED -jar "$jar" serve --port "$PORT" --config "$HERE/bench/fundament-bench.yaml" \
    --data "$data" > "$OUT/$name-$run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/$name-$run.log"; exit 1; }
    sleep 0.5
  done
  key="$(curl -sf "http://127.0.0.1:$PORT/admin/v1/keys" -H 'Authorization: Bearer sk-bench-admin' \
    -H 'Content-Type: application/json' -d '{"name": "bench", "team": "bench", "service": true}' \
    | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')"
  [[ -n "$key" ]] || { echo "could not create the benchmark key for $name" >&2; kill "$pid"; exit 1; }
  "$HARNESS/gateway-bench.sh" --no-baseline --target "$name=http://127.0.0.1:$PORT/v1/chat/completions" \
    --key "$name=$key" --pid "$name=$pid" --out "$OUT/$name-$run" "${HARNESS_ARGS[@]}" > "$OUT/$name-$run.harness" 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  tail -n +2 "$OUT/$name-$run/results.tsv" | awk -v run="$run" -F'\t' '{print run "\t" $0}' >> "$OUT/all.tsv"
}

for run in $(seq 1 "$RUNS"); do
  for build in "${BUILDS[@]}"; do
    measure "${build%%=*}" "${build#*=}" "$run"
    echo "[compare] run $run of ${build%%=*} done"
  done
done

# run mode target conns rps p50 p90 p99 ... bg
{
  printf '| build | pinning | conns | req/s median (min-max) | p50 ms median (min-max) | p99 ms median (min-max) | bg%% max | runs |\n'
  printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
  awk -F'\t' '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { k = $3 "\t" $2 "\t" $4; n[k]++; rps[k, n[k]] = $5; p50[k, n[k]] = $6 / 1000; p99[k, n[k]] = $8 / 1000
      if ($17 + 0 > bg[k]) bg[k] = $17 + 0; keys[k] = 1 }
    END { for (k in keys) { m = n[k]; split("", a); split("", b); split("", c)
        for (i = 1; i <= m; i++) { a[i] = rps[k, i]; b[i] = p50[k, i]; c[i] = p99[k, i] }
        split(k, f, "\t"); ma = med(a, m); mb = med(b, m); mc = med(c, m)
        printf "| %s | %s | %s | %.0f (%.0f-%.0f) | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) | %.0f | %d |\n", f[1], f[2], f[3],
          ma, a[1], a[m], mb, b[1], b[m], mc, c[1], c[m], bg[k], m } }' "$OUT/all.tsv" | sort
} | tee "$OUT/summary.md"
echo "[compare] raw rows: $OUT/all.tsv"
