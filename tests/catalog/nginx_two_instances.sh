#!/usr/bin/env bash
# Two catalog-server instances behind nginx on 127.0.0.1, sharing one PostgreSQL (from
# with_postgres.sh) and one Redis (started here):
#   1. an order retried with its Idempotency-Key on the other instance is replayed, not re-run;
#   2. a restart of one instance (SIGTERM, start again) under a bounded load loses no request;
#   3. the rate limit is shared: both instances together admit the limit, not twice it.
#
#   with_postgres.sh SECONDS nginx_two_instances.sh CATALOG_SERVER
# A missing nginx or redis-server skips (77), or fails under CI=true.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
skip="$here/../support/skip.sh"
server=${1:?usage: nginx_two_instances.sh CATALOG_SERVER}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
redis=$(command -v redis-server || true)
[[ -x $nginx ]] || exec "$skip" catalog_nginx "nginx is not installed (apt-get install nginx-light)"
[[ -n $redis ]] || exec "$skip" catalog_nginx "redis-server is not installed"
[[ -n ${CATALOG_TEST_PG_HOST:-} ]] || { echo "catalog_nginx: run me under with_postgres.sh" >&2; exit 2; }

dir=$(mktemp -d /tmp/catalog-nginx.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
fail() {
  echo "catalog_nginx: FAILED: $*" >&2
  for log in "$dir"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done
  exit 1
}

# A port nothing listens on (bash's /dev/tcp connects or fails), below the kernel's ephemeral range:
# the tests running beside this one take ports in that range for every connection they open, and
# one took an instance's port between its choice and its bind (a CI run, 2026-12-07). A race with
# another server choosing the same port is still possible, and fails loudly.
read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
((ephemeral_low > 12000)) || fail "the ephemeral port range starts at $ephemeral_low: no room below it"
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_for() {  # URL: until it answers, at most 60 s (a loaded CI machine starts servers slowly)
  for _ in $(seq 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "$1 did not come up"
}

redis_port=$(free_port)
"$redis" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$dir/redis.log" 2>&1 &
pids+=($!)

limit=400
window=86400  # seconds: one request refills every 216 s, so the count below barely moves
url="postgresql://${CATALOG_TEST_PG_USER}@/postgres?host=${CATALOG_TEST_PG_HOST}&port=${CATALOG_TEST_PG_PORT}"
port_a=$(free_port)
port_b=$(free_port)
start_instance() {  # NAME PORT: starts it, appends its pid to pids
  DATABASE_URL=$url CATALOG_SECRET=shared-secret-shared-secret-shared-secret \
  CATALOG_ADMIN_EMAIL=admin@example.com CATALOG_ADMIN_PASSWORD=admin-password-1 \
  OASGEN_PORT=$2 OASGEN_THREADS=4 OASGEN_RATE_LIMIT="$limit/${window}s" \
  OASGEN_REDIS_URL="redis://127.0.0.1:$redis_port" OASGEN_TRUSTED_PROXIES=127.0.0.1 \
  OASGEN_DRAIN_GRACE_MS=5000 OASGEN_ACCESS_LOG=off \
    "$server" >>"$dir/$1.log" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
start_instance a "$port_a"
start_instance b "$port_b"
wait_for "http://127.0.0.1:$port_a/readyz"
wait_for "http://127.0.0.1:$port_b/readyz"

nginx_port=$(free_port)
mkdir -p "$dir/nginx"
chmod 777 "$dir/nginx"
cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  upstream catalog {
    server 127.0.0.1:$port_a max_fails=0;
    server 127.0.0.1:$port_b max_fails=0;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://catalog;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
CONF
"$nginx" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/nginx.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$nginx_port"
wait_for "$base/v2/products"
requests=1  # anonymous requests admitted through nginx so far (wait_for's)
counting_since=$SECONDS

# --- 1. an order retried on the other instance is replayed -------------------------------------
call() {  # METHOD PATH [BODY] [HEADER...]: the response (headers and body) in $dir/last
  local method=$1 path=$2 body=${3:-}
  shift $(($# < 3 ? $# : 3))
  local args=(-sS -i -X "$method")
  for header in "$@"; do args+=(-H "$header"); done
  [[ -n $body ]] && args+=(-H "Content-Type: application/json" --data-binary "$body")
  curl "${args[@]}" "$base$path" | tr -d '\r' >"$dir/last"
  # The limiter counts a signed-in caller under its principal, apart from the address's count.
  [[ " $* " == *" Authorization: "* ]] || requests=$((requests + 1))
}
status() { head -1 "$dir/last" | cut -d' ' -f2; }
header() { sed -n "s/^$1: //Ip" "$dir/last" | head -1; }

call POST /v2/auth/login '{"email": "admin@example.com", "password": "admin-password-1"}'
[[ $(status) == 200 ]] || fail "login answered $(status)"
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$dir/last")
call POST /v2/products '{"sku": "NGINX-1", "name": "Lamp", "category": "tools", "price_cents": 100, "stock": 5}' \
  "Authorization: Bearer $token"
[[ $(status) == 201 ]] || fail "create answered $(status)"
product=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$dir/last")
order='{"lines": [{"product_id": '"$product"', "quantity": 2}]}'
call POST /v2/orders "$order" "Authorization: Bearer $token" 'Idempotency-Key: "nginx-1"'
[[ $(status) == 201 ]] || fail "the order answered $(status)"
first_upstream=$(header X-Upstream)
first_body=$(tail -1 "$dir/last")
call POST /v2/orders "$order" "Authorization: Bearer $token" 'Idempotency-Key: "nginx-1"'
[[ $(status) == 201 && $(header Idempotent-Replayed) == true ]] || fail "the retry was not replayed"
[[ $(header X-Upstream) != "$first_upstream" ]] || fail "both went to $first_upstream (no round robin?)"
[[ $(tail -1 "$dir/last") == "$first_body" ]] || fail "the replay differs from the first answer"
call GET "/v2/products/$product"
grep -q '"stock":3' "$dir/last" || fail "the stock was taken twice: $(tail -1 "$dir/last")"
echo "catalog_nginx: an order retried on the other instance ($(header X-Upstream)) was replayed"

# --- 2. a restart under load loses no request --------------------------------------------------
load() {  # N: N sequential GETs through nginx; prints the statuses that were not 200
  for _ in $(seq "$1"); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v2/products?limit=5")
    [[ $code == 200 ]] || echo "$code"
  done
}
workers=()
for worker in 1 2 3; do
  load 50 >"$dir/load-$worker.out" &
  workers+=($!)
done
sleep 0.3
kill -TERM "$pid_a"
wait "$pid_a"
echo "catalog_nginx: instance a drained: $(grep -m1 drained "$dir/a.log")"
start_instance a "$port_a"
wait_for "http://127.0.0.1:$port_a/readyz"
wait "${workers[@]}"
requests=$((requests + 150))
lost=$(cat "$dir"/load-*.out | wc -l)
((lost == 0)) || fail "$lost of 150 requests failed during the restart: $(sort "$dir"/load-*.out | uniq -c | tr '\n' ' ')"
echo "catalog_nginx: 150 requests while instance a restarted, none lost"

# --- 3. the rate limit is shared ---------------------------------------------------------------
admitted=$requests
for _ in $(seq $((limit + 20))); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v2/products?limit=1")
  [[ $code == 429 ]] && break
  [[ $code == 200 ]] || fail "answered $code before the limit"
  admitted=$((admitted + 1))
done
# The bucket refills one request every window/limit seconds while the test runs: that many more
# may pass, and no others.
refilled=$(((SECONDS - counting_since) * limit / window + 1))
((admitted >= limit && admitted <= limit + refilled)) ||
  fail "both instances admitted $admitted requests; the shared limit is $limit (+$refilled refilled)"
echo "catalog_nginx: both instances together admitted $admitted requests for a limit of $limit"
