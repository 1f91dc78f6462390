#!/usr/bin/env bash
# Measures ingestion end to end: a folder collection read by the folder connector, through Tika,
# chunking and the embedding model, into the store and the index, on a running Fundament.
#
#   bench/ingest.sh                          # 1,000 SciFact abstracts as Markdown files, in-process model
#   bench/ingest.sh --docs 300               # fewer
#   bench/ingest.sh --big 3                  # memory: a folder of about 3 GB (large text files and
#                                            # binary attachments), embedded by the simulator, peak RSS
#
# The documents are written to /tmp from ../shared/datasets/scifact at run time (evaluation-only
# data; nothing of it enters the repository). Prints documents, chunks, seconds, chunks per second
# and the process's peak RSS; copy the line into docs/benchmarks.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${SCIFACT:-$HERE/../shared/datasets/scifact}/corpus.jsonl"
PORT="${FUNDAMENT_BENCH_PORT:-18310}"
WORK=/tmp/fundament-ingest-bench
DOCS=1000
BIG=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --docs) DOCS="$2"; shift 2 ;;
    --big) BIG="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
(cd "$HERE" && ./mvnw -q -B -DskipTests -pl app -am package)

rm -rf "$WORK" && mkdir -p "$WORK/folder" "$WORK/data"
if [[ "$BIG" == 0 ]]; then
  python3 - "$CORPUS" "$WORK/folder" "$DOCS" <<'EOF'
import json, sys, os
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(corpus) as f:
    for i, line in enumerate(f):
        if i >= n:
            break
        d = json.loads(line)
        with open(os.path.join(out, f"{d['_id']}.md"), "w") as o:
            o.write(f"# {d.get('title', '')}\n\n{d['text']}\n")
EOF
  MODEL="local/bge-small-en-v1.5"
  PROVIDERS=""
else
  # A share as companies have them: most bytes in attachments that carry little text (here random
  # bytes in .pdf files Tika rejects after reading their header, and 40 MB text files cut at the
  # per-document text limit), embedded by the simulator so the run measures the pipeline's memory.
  python3 - "$CORPUS" "$WORK/folder" "$BIG" <<'EOF'
import json, sys, os
corpus, out, gb = sys.argv[1], sys.argv[2], float(sys.argv[3])
texts = [json.loads(l)["text"] for l in open(corpus)]
target, written, i = int(gb * 1024**3), 0, 0
while written < target:
    if i % 8 == 0:
        path = os.path.join(out, f"report-{i}.txt")
        with open(path, "w") as o:
            size = 0
            while size < 40 * 1024**2:
                t = texts[(i * 7 + size) % len(texts)] + "\n\n"
                o.write(t); size += len(t)
    else:
        path = os.path.join(out, f"scan-{i}.pdf")
        with open(path, "wb") as o:
            for _ in range(64):
                o.write(os.urandom(1024**2))
    written += os.path.getsize(path)
    i += 1
print(f"{written / 1024**3:.2f} GB in {i} files", file=sys.stderr)
EOF
  "$HERE/fundament" simulate --port $((PORT + 1)) --ttft 0ms --embedding-dimensions 384 > "$WORK/simulator.log" 2>&1 &
  SIM=$!
  MODEL="sim/text-embedding-sim"
  PROVIDERS="  sim: {type: openai, base_url: http://127.0.0.1:$((PORT + 1))/v1}"
fi

{
  if [[ -n "$PROVIDERS" ]]; then printf 'providers:\n%s\n' "$PROVIDERS"; fi
  cat <<EOF
collections:
  bench:
    owner: default
    readers: [public]
    embedding_model: $MODEL
    languages: [en]
    sources:
      - {name: folder, type: folder, path: $WORK/folder, interval: 24h}
EOF
} > "$WORK/fundament.yaml"

"$JAVA_HOME/bin/java" ${FUNDAMENT_BENCH_JAVA_OPTS:-} -Dfundament.bootstrap-key=sk-bench-admin --enable-native-access=ALL-UNNAMED \
  -jar "$HERE/app/target/quarkus-app/quarkus-run.jar" serve --port "$PORT" --config "$WORK/fundament.yaml" --data "$WORK/data" \
  > "$WORK/fundament.log" 2>&1 &
PID=$!
trap 'kill $PID ${SIM:-} 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT

PEAK=0
while true; do
  sleep 2
  kill -0 $PID 2>/dev/null || { tail -30 "$WORK/fundament.log"; exit 1; }
  RSS=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
  (( RSS > PEAK )) && PEAK=$RSS
  STATUS=$(curl -sf -H "Authorization: Bearer sk-bench-admin" "http://127.0.0.1:$PORT/admin/v1/collections/bench" || true)
  [[ -z "$STATUS" ]] && continue
  STATE=$(python3 -c 'import json,sys; s=json.load(sys.stdin)["sources"][0]; p=s.get("progress") or {}; print(p.get("state","none"), p.get("seen",0), p.get("chunks",0), p.get("chunks_per_second",0), s["state"])' <<< "$STATUS")
  echo "$STATE" >&2
  read -r RUN SEEN CHUNKS RATE _ <<< "$STATE"
  [[ "$RUN" == "idle" || "$RUN" == "failing" ]] && break
done
python3 - "$STATUS" "$PEAK" <<'EOF'
import json, sys
s = json.loads(sys.argv[1]); p = s["sources"][0]["progress"]; peak = int(sys.argv[2]) // 1024
from datetime import datetime
secs = (datetime.fromisoformat(p["finished_at"].replace("Z", "+00:00")) - datetime.fromisoformat(p["started_at"].replace("Z", "+00:00"))).total_seconds()
print(f"documents {p['seen']} (indexed {p['indexed']}, failed {p['failed']}), chunks {p['chunks']}, {secs:.1f} s, "
      f"{p['chunks']/secs:.1f} chunks/s, {p['seen']/secs:.1f} documents/s, peak RSS {peak} MiB")
EOF
