#!/usr/bin/env bash
# The pipeline of bench/pipeline.sh on a cluster's engines: jobhook nodes (java -jar target/jobhook.jar
# serve, one process each) on one PostgreSQL and one S3 store (S3Proxy, its own process), with one
# node and with two; then, in the same run and on the same PostgreSQL, db-scheduler executing empty
# one-time tasks (its lock-and-fetch polling, the same durability: every commit flushed). Twice:
# the pipeline's tiny job (its objects small enough to live in the database's index), and a job of
# 2.2 s of 16 kHz audio, whose input and output are blobs in S3. Also what each job costs the
# database: statements, transactions, WAL fsyncs, CPU.
#   bench/cluster.sh [JOBS] [CONCURRENT_SUBMITTERS]        (default 20000 64)
#   (INPUTS="0.05" NODES="1" PEER=no bench/cluster.sh ... measures a part; NODE_JAVA_OPTIONS="..."
#   is given to the nodes' JVMs alone; PG_SETTINGS="-c commit_delay=100 ..." to the PostgreSQL server)
source "$(dirname "$0")/lib.sh"
JOBS=${1:-20000}
CONCURRENCY=${2:-64}
build_classpath

# A PostgreSQL of the benchmark's own (Debian's server binaries), with pg_stat_statements loaded;
# the server's defaults otherwise (fsync on, synchronous_commit on).
need /usr/lib/postgresql postgresql
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin
PGDIR=$(mktemp -d)
chown postgres "$PGDIR"
PGPORT=15432
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c max_connections=300 ${PG_SETTINGS:-}" \
  start >/dev/null
trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null; rm -rf "$PGDIR"' EXIT
psql() { runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p $PGPORT -qAt "$@"; }
psql -d postgres -c "CREATE USER bench SUPERUSER PASSWORD 'bench'"
psql -d postgres -c "CREATE DATABASE bench OWNER bench"
psql -d bench -c "CREATE SCHEMA stats; CREATE EXTENSION pg_stat_statements SCHEMA stats"
export JOBHOOK_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PGPORT/bench JOBHOOK_TEST_PG_USER=bench JOBHOOK_TEST_PG_PASSWORD=bench
echo "PostgreSQL $(psql -d bench -c 'SHOW server_version'): fsync=$(psql -d bench -c 'SHOW fsync') synchronous_commit=$(psql -d bench -c 'SHOW synchronous_commit') commit_delay=$(psql -d bench -c 'SHOW commit_delay')"

figure() { # figure TEXT PHASE FIELD
  echo "$1" | sed -n "s/^$2 .* $3=\([0-9.]*\).*/\1/p"
}
declare -A RATE
for input in ${INPUTS:-0.05 2.2}; do
  jobs=$JOBS
  [ "$input" = 0.05 ] || jobs=$((JOBS / 10))
  for nodes in ${NODES:-1 2}; do
    out=$(java -cp "$CP" io.jobhook.bench.ClusterBench "$jobs" "$CONCURRENCY" "$nodes" "$input" 2>&1 \
      | grep -aoE '(warm-up|saturation|database|statement) .*')
    echo "$out" | sed "s/^/RESULT jobhook(nodes=$nodes input=${input}s) /"
    RATE[$input-$nodes]=$(figure "$out" saturation jobs_per_s)
  done
  [ -n "${RATE[$input-2]:-}" ] && [ -n "${RATE[$input-1]:-}" ] && echo "RESULT ratio two nodes / one node (input ${input}s): $(awk -v a="${RATE[$input-2]}" -v b="${RATE[$input-1]}" 'BEGIN{printf "%.2f", a/b}')"
done
[ "${PEER:-yes}" = yes ] || exit 0
peer=$(java -cp "$CP" io.jobhook.bench.DbSchedulerBench "$JOBS" "$CONCURRENCY" 1000 postgresql 16 8 2>&1 \
  | grep -aoE '(saturation|database) .*')
echo "$peer" | sed "s/^/RESULT db-scheduler(postgresql lock-and-fetch threads=16 pool=8) /"
peer_rate=$(figure "$peer" saturation jobs_per_s)
for nodes in 1 2; do
  echo "RESULT ratio saturation jobhook(nodes=$nodes input=0.05s)/db-scheduler: $(awk -v a="${RATE[0.05-$nodes]}" -v b="$peer_rate" 'BEGIN{printf "%.2f", a/b}')"
done
