#!/usr/bin/env bash
# The dispatcher's claim while a destination with a due backlog is left out (its circuit open or its
# in-flight cap reached), beside a claim with nothing left out, on SQLite and, when
# JOBHOOK_TEST_PG_URL names one (as for the tests), on PostgreSQL.
#   bench/blocked-claim.sh [BACKLOG]        (default 200000)
source "$(dirname "$0")/lib.sh"
BACKLOG=${1:-200000}
build_classpath
databases=sqlite
[ -n "${JOBHOOK_TEST_PG_URL:-}" ] && databases="sqlite postgresql"
for database in $databases; do
  java -cp "$CP" io.jobhook.bench.BlockedClaimBench "$BACKLOG" "$database" 2>&1 | grep -a '^RESULT'
done
