#!/usr/bin/env bash
# A single-node Kafka broker in KRaft mode from Maven jars, on 127.0.0.1 only, for tests and CI.
#   .ci/kafka/broker.sh start [PORT]   (default 19092; waits until it answers)
#   .ci/kafka/broker.sh stop
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PORT="${2:-19092}"
WORK="${KAFKA_WORK:-/tmp/fundament-kafka}"
LIB="$WORK/lib"

case "${1:-}" in
  start)
    mkdir -p "$WORK"
    if [[ ! -f "$LIB/.done" ]]; then
      "$ROOT/mvnw" -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" >&2
      touch "$LIB/.done"
    fi
    CONTROLLER=$((PORT + 1))
    cat > "$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$WORK/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=1
PROPS
    CP="$LIB/*"
    if [[ ! -f "$WORK/data/meta.properties" ]]; then
      "$JAVA_HOME/bin/java" -cp "$CP" kafka.tools.StorageTool format -t "$("$JAVA_HOME/bin/java" -cp "$CP" kafka.tools.StorageTool random-uuid)" \
        -c "$WORK/server.properties" --standalone >/dev/null 2>&1 || \
      "$JAVA_HOME/bin/java" -cp "$CP" kafka.tools.StorageTool format -t "$("$JAVA_HOME/bin/java" -cp "$CP" kafka.tools.StorageTool random-uuid)" \
        -c "$WORK/server.properties" >/dev/null
    fi
    nohup "$JAVA_HOME/bin/java" -Xmx512m -cp "$CP" kafka.Kafka "$WORK/server.properties" > "$WORK/broker.log" 2>&1 &
    echo $! > "$WORK/broker.pid"
    for _ in $(seq 1 60); do
      if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "Kafka on 127.0.0.1:$PORT"; exit 0; fi
      sleep 1
    done
    echo "Kafka did not start; see $WORK/broker.log" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$WORK/broker.pid" ]]; then kill "$(cat "$WORK/broker.pid")" 2>/dev/null || true; rm -f "$WORK/broker.pid"; fi
    ;;
  *)
    echo "usage: $0 start [PORT] | stop" >&2; exit 64 ;;
esac
