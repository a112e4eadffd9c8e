#!/usr/bin/env bash
# The whole pipeline in one process: signed API submits of tiny NoiseReduction jobs (0.05 s of 8 kHz
# audio) over keep-alive connections, processing with a durable output object, XML callback to a
# minimal keep-alive receiver. After a 30 s warm-up: the saturation rate (submitters as fast as the
# API answers), then submit-to-callback latency with jobs submitted at a fixed RATE.
# Then, in the same run, the peer: db-scheduler executing empty one-time tasks on SQLite (WAL), with
# every commit fsynced (jobhook's durability) and with synchronous=NORMAL (a power loss can undo
# commits), the same phases and figures; and the ratios.
#   bench/pipeline.sh [JOBS] [CONCURRENT_SUBMITTERS] [RATE]     (default 20000 64 2100)
source "$(dirname "$0")/lib.sh"
JOBS=${1:-20000}
CONCURRENCY=${2:-64}
RATE=${3:-2100}
build_classpath
OUT=$(mktemp -d)
figure() { # figure FILE PHASE FIELD
  sed -n "s/^$2 .* $3=\([0-9.]*\).*/\1/p" "$1"
}

java -cp "$CP" io.jobhook.bench.PipelineBench "$JOBS" "$CONCURRENCY" "$RATE" 2>&1 \
  | grep -E '^(saturation|paced) ' > "$OUT/jobhook.txt"
sed 's/^/RESULT jobhook /' "$OUT/jobhook.txt"
ours=$(figure "$OUT/jobhook.txt" saturation jobs_per_s)
# The peer's best settings on this machine (a grid of executor threads 16/64 and pools 1/4/8/16 differed
# by less than run-to-run noise): 16 threads, 8 connections.
for sync in FULL NORMAL; do
  java -cp "$CP" io.jobhook.bench.DbSchedulerBench "$JOBS" "$CONCURRENCY" "$RATE" "$sync" 16 8 2>&1 \
    | grep -E '^(saturation|paced) ' > "$OUT/db-scheduler-$sync.txt"
  sed "s/^/RESULT db-scheduler(synchronous=$sync threads=16 pool=8) /" "$OUT/db-scheduler-$sync.txt"
  peer=$(figure "$OUT/db-scheduler-$sync.txt" saturation jobs_per_s)
  echo "RESULT ratio saturation jobhook/db-scheduler(synchronous=$sync): $(awk -v a="$ours" -v b="$peer" 'BEGIN{printf "%.2f", a/b}')"
done
