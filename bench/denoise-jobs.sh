#!/usr/bin/env bash
# NoiseReduction jobs in the server: jobs/s of 10-second 44.1 kHz mono files, submitted all at once
# through the signed API and complete at their callback, at each --max-running-jobs given (a node
# of its own each, after a warm-up); the cores the JVM sees are printed first.
#   bench/denoise-jobs.sh [JOBS] [MAX_RUNNING...]     (default 48 1 2 4)
source "$(dirname "$0")/lib.sh"
JOBS=${1:-48}
shift || true
SETTINGS=("$@")
[ ${#SETTINGS[@]} -gt 0 ] || SETTINGS=(1 2 4)
build_classpath
java -cp "$CP" io.jobhook.bench.DenoiseJobsBench "$JOBS" "${SETTINGS[@]}" 2>&1 | grep -E '^(cores|max_running)='

