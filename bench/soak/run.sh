#!/usr/bin/env bash
# Soak benchmark: nginx (Debian, one worker) on 127.0.0.1, over plain http and over TLS (a throwaway self-signed
# certificate, TLS 1.3), measured side by side in one run by wrk (closed loop; it speaks TLS), hey (closed loop, http)
# and our open-loop soak at increasing rates. Finds the highest rate our soak sustains, for each scheme, with
# schedule-lag p99 < 10 ms, slot-wait p99 < 10 ms (no due request waited for a connection: the server kept up, so the
# row measures the generator), >= 95% of the rate sent and no errors, and its CPU per 1,000 requests. Writes the table
# into bench/README.md between the soak markers. Installs what it needs (apt-get); not run in CI.
#   bench/soak/run.sh            # full run (~5 minutes)
#   SECONDS_PER_RUN=5 RATES="10000 20000" TLS_RATES="10000 20000" bench/soak/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/gantry-bench-soak.XXXXXX)
PORT=${PORT:-8089}
SECS=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP_SECONDS:-2}
INFLIGHT=${MAX_IN_FLIGHT:-64}
RATES=${RATES:-"5000 10000 20000 30000 40000"}
TLS_RATES=${TLS_RATES:-"5000 10000 15000 20000 25000 30000"}
TLS_PORT=${TLS_PORT:-8443}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
missing=()
need nginx || missing+=(nginx-light)
need wrk || missing+=(wrk)
need hey || missing+=(hey)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get)"
  # policy-rc.d keeps the package from starting a system nginx on port 80
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; RM_POLICY=1; fi
  apt-get install -y -qq "${missing[@]}" >"$WORK/apt.log" 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >"$WORK/apt.log" 2>&1; }
  [ "${RM_POLICY:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
HEY=$(command -v hey || true)

# the soak's jar, its runtime classpath, and SoakBench (test code: it is no part of the action)
if [ ! -f actions/smoke-test/target/smoke-test.jar ] || [ ! -d actions/smoke-test/target/lib ] \
   || [ ! -f actions/smoke-test/target/test-classes/dev/gantry/smoketest/soak/SoakBench.class ]; then
  ./mvnw -B -q -pl actions/smoke-test -am package -DskipTests
fi
CP="actions/smoke-test/target/test-classes:actions/smoke-test/target/smoke-test.jar:$(ls actions/smoke-test/target/lib/*.jar | tr '\n' ':')"

mkdir -p "$WORK/html" "$WORK/logs"; chmod 755 "$WORK"
printf 'ok' > "$WORK/html/index.html"
# a throwaway certificate for 127.0.0.1, and a trust store holding only it for the soak's JVM
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >"$WORK/openssl.log" 2>&1
"$JAVA_HOME/bin/keytool" -importcert -noprompt -alias nginx -file "$WORK/cert.pem" -keystore "$WORK/trust.p12" \
  -storetype PKCS12 -storepass changeit >"$WORK/keytool.log" 2>&1
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
daemon on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$PORT; root $WORK/html; location / { } }
  server {
    listen 127.0.0.1:$TLS_PORT ssl; root $WORK/html; location / { }
    ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:1m;
  }
}
CONF
mkdir -p "$WORK/tmp"
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK"
stop() { [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; }
trap stop EXIT
sleep 0.5
URL="http://127.0.0.1:$PORT/index.html"
TLS_URL="https://127.0.0.1:$TLS_PORT/index.html"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
curl -fsS "$URL" >/dev/null
curl -fsS --cacert "$WORK/cert.pem" "$TLS_URL" >/dev/null

cpu_of() { # user+sys seconds of a finished command, from /usr/bin/time -f
  awk '/^cpu / {print $2 + $3}' "$1"
}
ctx_of() { # voluntary + involuntary context switches per 1,000 requests
  awk -v n="$2" '/^cpu / {printf "%.0f", ($5 + $6) * 1000 / n}' "$1"
}
rows=()

wrk_run() { # scheme url -> appends a row
  local scheme=$1 url=$2
  echo "== wrk -t2 -c32 -d${SECS}s $url"
  /usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/wrk-$scheme.time" wrk -t2 -c32 -d"${SECS}s" --latency "$url" >"$WORK/wrk-$scheme.out"
  local rps p50 p99 n cpu
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$scheme.out")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$scheme.out"); p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$scheme.out")
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk-$scheme.out")
  cpu=$(cpu_of "$WORK/wrk-$scheme.time")
  rows+=("| wrk 4.1 \`-t2 -c32\` (closed loop) | $scheme | — | $(printf '%.0f' "$rps") | — | — | $p50 | $p99 | $(awk -v c="$cpu" -v n="$n" 'BEGIN{printf "%.1f", c*1000*1000/n}') | $(ctx_of "$WORK/wrk-$scheme.time" "$n") | — |")
}
wrk_run http "$URL"
wrk_run https "$TLS_URL"

if [ -n "$HEY" ]; then
  echo "== hey -z ${SECS}s -c 32"
  /usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/hey.time" hey -z "${SECS}s" -c 32 "$URL" >"$WORK/hey.out"
  hey_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/hey.out")
  hey_p50=$(awk '/50% in/ {print $3*1000 " ms"}' "$WORK/hey.out"); hey_p99=$(awk '/99% in/ {print $3*1000 " ms"}' "$WORK/hey.out")
  hey_n=$(awk '/\[200\]/ {print $2}' "$WORK/hey.out")
  hey_cpu=$(cpu_of "$WORK/hey.time")
  rows+=("| hey 0.1.4 \`-c 32\` (closed loop) | http | — | $(printf '%.0f' "$hey_rps") | — | — | $hey_p50 | $hey_p99 | $(awk -v c="$hey_cpu" -v n="$hey_n" 'BEGIN{printf "%.1f", c*1000*1000/n}') | $(ctx_of "$WORK/hey.time" "$hey_n") | — |")
else
  rows+=("| hey | not installable here | | | | | | | | | |")
fi

soak_run() { # scheme url rate -> appends a row; sets ok and last_cpu
  local scheme=$1 url=$2 rate=$3 line sent
  echo "== gantry soak ($scheme) at $rate req/s"
  line=$(/usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/soak-$scheme-$rate.time" \
        "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m -Djavax.net.ssl.trustStore="$WORK/trust.p12" \
        -Djavax.net.ssl.trustStorePassword=changeit -cp "$CP" dev.gantry.smoketest.soak.SoakBench \
        "$url" "$rate" "$SECS" "$WARMUP" "$INFLIGHT" 2>"$WORK/soak-$scheme-$rate.err")
  echo "   $line"
  get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }
  ok="yes"
  if [ "$(get shortfall)" = "true" ] || [ "$(get errors)" != "0" ]; then ok="no"; fi
  if awk -v l="$(get lag_p99_ms)" 'BEGIN{exit !(l>=10)}'; then ok="no"; fi
  # a due request that waited for one of the connections means the server did not keep up: the row then measures
  # the server (nginx on the same two cores), not the generator, so it is not within the bar either
  if awk -v l="$(get slot_wait_p99_ms)" 'BEGIN{exit !(l>=10)}'; then ok="no"; fi
  sent=$(( $(get sent) > 0 ? $(get sent) : 1 ))
  rows+=("| gantry soak, NIO HTTP/1.1 client (open loop, max-in-flight $INFLIGHT) | $scheme | $rate | $(get achieved) | $(get lag_p99_ms) ms | $(get slot_wait_p99_ms) ms | $(get p50_ms) ms ($(get u_p50_ms); $(get f_p50_ms)) | $(get p99_ms) ms ($(get u_p99_ms); $(get f_p99_ms)) | $(get cpu_ms_per_1000) | $(ctx_of "$WORK/soak-$scheme-$rate.time" "$sent") | $ok |")
  last_cpu=$(get cpu_ms_per_1000)
}
best=0; best_cpu=""
for rate in $RATES; do
  soak_run http "$URL" "$rate"
  if [ "$ok" = "yes" ]; then best=$rate; best_cpu=$last_cpu; fi
done
tls_best=0; tls_best_cpu=""
for rate in $TLS_RATES; do
  soak_run https "$TLS_URL" "$rate"
  if [ "$ok" = "yes" ]; then tls_best=$rate; tls_best_cpu=$last_cpu; fi
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(cat <<MD
Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr),
JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2); nginx $(/usr/sbin/nginx -v 2>&1 | cut -d/ -f2) with one worker on
127.0.0.1, 2-byte static file, access log off; https: TLS 1.3, ECDSA P-256 certificate, keep-alive. ${SECS} s per run
(soak: +${WARMUP} s warm-up, not measured). Generator
and server share the same 2 cores, and the machine was shared with other jobs during the run (load average
$LOAD_BEFORE before, $LOAD_AFTER after, on 2 cores): numbers are noisy.

**Highest open-loop rate with schedule-lag p99 < 10 ms, slot-wait p99 < 10 ms (the server kept up), no errors,
>= 95% sent: http ${best} req/s
(${best_cpu:-?} ms of generator CPU per 1,000 requests); https ${tls_best} req/s (${tls_best_cpu:-?} ms per 1,000).**

| generator | scheme | asked req/s | achieved req/s | schedule lag p99 | slot wait p99 | p50 corrected (uncorrected; floor) | p99 corrected (uncorrected; floor) | CPU ms / 1,000 req | context switches / 1,000 req | within the bar |
|---|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

CPU is user+system time of the generator process (for the soak: measured inside the JVM over the soak itself,
all threads, JIT and GC included) divided by the requests it sent; context switches (voluntary + involuntary, from
\`/usr/bin/time\`, whole process) per 1,000 requests. The soak serves schedule, sockets and TLS (the JDK's
SSLEngine) from one thread. "Floor" is the soak's latency with every delay the generator could have added taken
out (what the verdict holds against the app when the generator fell behind). wrk and hey are closed-loop: their
latency is from the actual send, so it is the "uncorrected" kind. Command: \`bench/soak/run.sh\`.
MD
)
readme=bench/README.md
[ -f "$readme" ] || printf '# Benchmarks\n\nResults of the scripts in bench/. Not run in CI; numbers depend on the machine.\n' > "$readme"
if ! grep -q '<!-- BEGIN soak -->' "$readme"; then
  printf '\n## Soak load generator\n\n<!-- BEGIN soak -->\n<!-- END soak -->\n' >> "$readme"
fi
python3 - "$readme" "$table" <<'PY'
import sys, re
path, table = sys.argv[1], sys.argv[2]
s = open(path).read()
s = re.sub(r'<!-- BEGIN soak -->.*?<!-- END soak -->', lambda m: '<!-- BEGIN soak -->\n' + table + '\n<!-- END soak -->', s, flags=re.S)
open(path, 'w').write(s)
PY
echo "wrote $readme"
