#!/usr/bin/env bash
# Callback delivery: jobhook's sustained rate to nginx beside wrk's raw rate POSTing the same body
# to the same nginx, then latency from commit to the receiver's first byte at half that rate.
#   bench/callbacks.sh [CALLBACKS]        (default 100000)
source "$(dirname "$0")/lib.sh"
N=${1:-100000}
PORT=18999
need wrk wrk
build_classpath
start_nginx $PORT

BODY_FILE=$(mktemp)
java -cp "$CP" io.jobhook.bench.PrintBody > "$BODY_FILE"
cat > "$NGINX_DIR/post.lua" <<LUA
local f = io.open("$BODY_FILE", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/xml"
LUA

echo "== wrk: raw POST rate to nginx (1 thread, 64 connections, 10 s)"
wrk_rate=$(wrk -t1 -c64 -d10s -s "$NGINX_DIR/post.lua" "http://127.0.0.1:$PORT/cb" | tee /dev/stderr | awk '/Requests\/sec/ {print $2}')

echo "== jobhook: $N callbacks queued, then delivered and logged (SQLite WAL, every commit fsynced before it is confirmed)"
line=$(java -cp "$CP" io.jobhook.bench.CallbackBench throughput "http://127.0.0.1:$PORT/cb" "$N" | tee /dev/stderr | tail -1)
rate=$(echo "$line" | sed -n 's/.* logged_rate=\([0-9]*\).*/\1/p')
half=$((rate / 2))

echo "== jobhook: latency, commit to receiver's first byte, at half that rate ($half/s, 10 s)"
lat=$(java -cp "$CP" io.jobhook.bench.CallbackBench latency "http://127.0.0.1:$((PORT + 1))/cb" "$half" 10 \
  "$NGINX_DIR/arrivals.log" | tee /dev/stderr | tail -1)

echo
echo "RESULT callbacks/s (delivered and logged): $rate; wrk raw POST/s: $wrk_rate; ratio: $(awk -v a="$rate" -v b="$wrk_rate" 'BEGIN{printf "%.2f", a/b}')"
echo "RESULT latency at $half/s offered: $(echo "$lat" | sed -n 's/.*\(achieved_rate=[0-9]*\).*\(p50_ms=[0-9.]*\) \(p99_ms=[0-9.]*\).*/\1 \2 \3/p')"
