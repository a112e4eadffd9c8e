#!/usr/bin/env bash
# The whole pipeline in one process: signed API submits of tiny NoiseReduction jobs (0.05 s of 8 kHz
# audio) over keep-alive connections, processing with a durable output object, XML callback to a
# minimal keep-alive receiver. After a 30 s warm-up: the saturation rate (submitters as fast as the
# API answers), then submit-to-callback latency with jobs submitted at a fixed RATE.
#   bench/pipeline.sh [JOBS] [CONCURRENT_SUBMITTERS] [RATE]     (default 20000 64 2100)
source "$(dirname "$0")/lib.sh"
build_classpath
java -cp "$CP" io.jobhook.bench.PipelineBench "${1:-20000}" "${2:-64}" "${3:-2100}" 2>&1 \
  | grep -E '^(saturation|paced) ' | sed 's/^/RESULT /'
