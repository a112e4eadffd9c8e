# Shared by the benchmark scripts: a JDK 21+, the compiled classes and their classpath, nginx.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null || true)
  if [ "${v:-0}" -ge 21 ]; then export JAVA_HOME=$candidate; break; fi
done
export PATH="$JAVA_HOME/bin:$PATH"

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
}

build_classpath() {
  mvn -B -q -Pbench -DskipTests package test-compile >/dev/null
  mvn -B -q -Pbench dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
  CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
}

# start_nginx PORT: a receiver that answers 200 to any POST, one worker, no access log; on PORT+1 the
# same, logging each request's arrival time and webhook-id to $NGINX_DIR/arrivals.log
start_nginx() {
  need nginx nginx
  NGINX_DIR=$(mktemp -d)
  cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $NGINX_DIR;
  log_format arrival '\$msec \$http_webhook_id';
  server { listen 127.0.0.1:$1; location / { return 200; } }
  server { listen 127.0.0.1:$(($1 + 1)); access_log $NGINX_DIR/arrivals.log arrival buffer=256k flush=1s;
           location / { return 200; } }
}
CONF
  nginx -c "$NGINX_DIR/nginx.conf"
  trap 'nginx -c "$NGINX_DIR/nginx.conf" -s stop 2>/dev/null || true' EXIT
}
