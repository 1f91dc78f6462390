#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the request reader, the config loader, the SSE decoder and the
# admin JSON readers, each for the time its @FuzzTest allows. Run after the tests have compiled the
# classes (`./mvnw verify`); a finding fails the run and is saved under app/src/test/resources/.../Inputs
# so that every later `./mvnw verify` replays it. Prints the cases each target ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
TARGETS=(
  "RequestReaderFuzzTest#chatBodiesAreReadOrRefusedWithA4xx"
  "RequestReaderFuzzTest#embeddingBodiesAreReadOrRefusedWithA4xx"
  "ConfigBinderFuzzTest#aMutatedExampleLoadsOrNamesItsProblems"
  "ConfigBinderFuzzTest#anyTextLoadsOrNamesItsProblems"
  "SseDecoderFuzzTest#theSameBytesGiveTheSameEventsHoweverTheyAreSplit"
  "AdminJsonFuzzTest#keyRequestsAreReadOrRefusedWithA4xx"
  "AdminJsonFuzzTest#limitRequestsAreReadOrRefusedWithA4xx"
)
total=0
for target in "${TARGETS[@]}"; do
  [[ -n "${1:-}" && "$target" != *"$1"* ]] && continue
  log="app/target/fuzz-${target//[#]/-}.log"
  if ! JAZZER_FUZZ=1 ./mvnw -B -o -q -pl app surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    echo "[fuzz] $target found a failing input:"
    grep -E "FAILURE|Exception|Error|crash-" "$log" | grep -v "^INFO" | head -40
    exit 1
  fi
  runs="$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)"
  echo "[fuzz] $target: $runs cases, no failure"
  total=$((total + runs))
done
echo "[fuzz] $total cases in all"
