#!/usr/bin/env bash
# The whole pipeline in one process: signed API submits of tiny NoiseReduction jobs (0.05 s of 8 kHz
# audio) over keep-alive connections, processing with a durable output object, XML callback.
#   bench/pipeline.sh [JOBS] [CONCURRENT_SUBMITTERS]     (default 20000 64)
source "$(dirname "$0")/lib.sh"
build_classpath
java -cp "$CP" io.jobhook.bench.PipelineBench "${1:-20000}" "${2:-64}" 2>&1 | grep -v WARNING | tail -1 | sed 's/^/RESULT /'
