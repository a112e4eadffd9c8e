#!/usr/bin/env bash
# The console's page latency with JOBS jobs (and their callbacks) in the embedded database, beside
# the CI API's list of the same jobs: bench/console.sh [JOBS] [REPEAT]
source "$(dirname "$0")/lib.sh"
JOBS=${1:-100000}
REPEAT=${2:-30}
build_classpath
java -cp "$CP" io.jobhook.bench.ConsoleBench "$JOBS" "$REPEAT" 2>&1 \
  | grep -E '^(seeded|page) ' | sed 's/^/RESULT /'
