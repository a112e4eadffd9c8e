#!/usr/bin/env bash
# Callbacks to Kafka: jobhook's rate of callbacks delivered to a topic (acknowledged by the broker,
# idempotent producer, acks=all) and logged (SQLite WAL, every commit fsynced), beside Kafka's own
# kafka-producer-perf-test sending records of the same size to the same broker with the same
# producer settings. The broker (Apache Kafka, KRaft, one node) is started by the benchmark from
# the Maven Central artifacts the integration tests use.
#   bench/kafka-callbacks.sh [CALLBACKS]        (default 200000)
source "$(dirname "$0")/lib.sh"
N=${1:-200000}
build_classpath
out=$(java -cp "$CP" io.jobhook.bench.CallbackBench kafka "$N" 2>&1 | grep -oE '(sqlite_writer|kafka_producer_perf_test) .*|jobhook_delivered=.*' | tee /dev/stderr)
ours=$(echo "$out" | sed -n 's/^jobhook_delivered.* logged_rate=\([0-9]*\).*/\1/p')
peer=$(echo "$out" | sed -n 's/^kafka_producer_perf_test.* rate=\([0-9]*\).*/\1/p')
echo
echo "RESULT Kafka callbacks/s (delivered and logged): $ours; kafka-producer-perf-test records/s: $peer; ratio: $(awk -v a="$ours" -v b="$peer" 'BEGIN{printf "%.2f", a/b}')"
