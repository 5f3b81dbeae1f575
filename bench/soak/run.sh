#!/usr/bin/env bash
# Soak benchmark: nginx (Debian, one worker) on 127.0.0.1, measured side by side in one run by wrk (closed loop),
# hey (closed loop) and our open-loop soak at increasing rates. Finds the highest rate our soak sustains with
# schedule-lag p99 < 10 ms (and >= 95% of the rate sent, no errors) and its CPU per 1,000 requests. Writes the
# table into bench/README.md between the soak markers. Installs what it needs (apt-get); not run in CI.
#   bench/soak/run.sh            # full run (~3 minutes)
#   SECONDS_PER_RUN=5 bench/soak/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/gantry-bench-soak.XXXXXX)
PORT=${PORT:-8089}
SECS=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP_SECONDS:-2}
INFLIGHT=${MAX_IN_FLIGHT:-64}
RATES=${RATES:-"5000 10000 15000 20000 25000 30000 35000 40000"}
JDK_RATES=${JDK_RATES:-"5000 10000 15000 20000"}
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

# the soak's jar and classpath
if [ ! -f actions/smoke-test/target/smoke-test.jar ] || [ ! -d actions/smoke-test/target/lib ]; then
  ./mvnw -B -q -pl actions/smoke-test -am package -DskipTests
fi
CP="actions/smoke-test/target/smoke-test.jar:$(ls actions/smoke-test/target/lib/*.jar | tr '\n' ':')"

mkdir -p "$WORK/html" "$WORK/logs"; chmod 755 "$WORK"
printf 'ok' > "$WORK/html/index.html"
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
}
CONF
mkdir -p "$WORK/tmp"
/usr/sbin/nginx -c "$WORK/nginx.conf" -p "$WORK"
stop() { [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; }
trap stop EXIT
sleep 0.5
URL="http://127.0.0.1:$PORT/index.html"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
curl -fsS "$URL" >/dev/null

cpu_of() { # user+sys seconds of a finished command, from /usr/bin/time -f
  awk '/^cpu / {print $2 + $3}' "$1"
}
ctx_of() { # voluntary + involuntary context switches per 1,000 requests
  awk -v n="$2" '/^cpu / {printf "%.0f", ($5 + $6) * 1000 / n}' "$1"
}
rows=()

echo "== wrk -t2 -c32 -d${SECS}s"
/usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/wrk.time" wrk -t2 -c32 -d"${SECS}s" --latency "$URL" >"$WORK/wrk.out"
wrk_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
wrk_p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out"); wrk_p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
wrk_n=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
wrk_cpu=$(cpu_of "$WORK/wrk.time")
rows+=("| wrk 4.1 \`-t2 -c32\` (closed loop) | — | $(printf '%.0f' "$wrk_rps") | — | $wrk_p50 | $wrk_p99 | $(awk -v c="$wrk_cpu" -v n="$wrk_n" 'BEGIN{printf "%.1f", c*1000*1000/n}') | $(ctx_of "$WORK/wrk.time" "$wrk_n") | — |")

if [ -n "$HEY" ]; then
  echo "== hey -z ${SECS}s -c 32"
  /usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/hey.time" hey -z "${SECS}s" -c 32 "$URL" >"$WORK/hey.out"
  hey_rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/hey.out")
  hey_p50=$(awk '/50% in/ {print $3*1000 " ms"}' "$WORK/hey.out"); hey_p99=$(awk '/99% in/ {print $3*1000 " ms"}' "$WORK/hey.out")
  hey_n=$(awk '/\[200\]/ {print $2}' "$WORK/hey.out")
  hey_cpu=$(cpu_of "$WORK/hey.time")
  rows+=("| hey 0.1.4 \`-c 32\` (closed loop) | — | $(printf '%.0f' "$hey_rps") | — | $hey_p50 | $hey_p99 | $(awk -v c="$hey_cpu" -v n="$hey_n" 'BEGIN{printf "%.1f", c*1000*1000/n}') | $(ctx_of "$WORK/hey.time" "$hey_n") | — |")
else
  rows+=("| hey | not installable here | | | | | | | |")
fi

best=0; best_cpu=""
soak_run() { # engine rate -> appends a row; sets ok
  local engine=$1 rate=$2 label
  echo "== gantry soak ($engine) at $rate req/s"
  line=$(/usr/bin/time -f "cpu %U %S ctx %w %c" -o "$WORK/soak-$engine-$rate.time" \
        "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m -cp "$CP" dev.gantry.smoketest.soak.SoakBench \
        "$URL" "$rate" "$SECS" "$WARMUP" "$INFLIGHT" "$engine" 2>"$WORK/soak-$engine-$rate.err")
  echo "   $line"
  get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k {print $2}'; }
  ok="yes"
  if [ "$(get saturated)" = "true" ] || [ "$(get errors)" != "0" ]; then ok="no"; fi
  if awk -v l="$(get lag_p99_ms)" 'BEGIN{exit !(l>=10)}'; then ok="no"; fi
  local sent=$(( $(get sent) > 0 ? $(get sent) : 1 ))
  [ "$engine" = nio ] && label="gantry soak, lean NIO HTTP/1.1 client" || label="gantry soak over java.net.http"
  rows+=("| $label (open loop, max-in-flight $INFLIGHT) | $rate | $(get achieved) | $(get lag_p99_ms) ms | $(get p50_ms) ms ($(get u_p50_ms)) | $(get p99_ms) ms ($(get u_p99_ms)) | $(get cpu_ms_per_1000) | $(ctx_of "$WORK/soak-$engine-$rate.time" "$sent") | $ok |")
  last_cpu=$(get cpu_ms_per_1000)
}
for rate in $RATES; do
  soak_run nio "$rate"
  if [ "$ok" = "yes" ]; then best=$rate; best_cpu=$last_cpu; fi
done
for rate in $JDK_RATES; do soak_run jdk "$rate"; done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(cat <<MD
Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr),
JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2); nginx $(/usr/sbin/nginx -v 2>&1 | cut -d/ -f2) with one worker on
127.0.0.1, 2-byte static file, access log off. ${SECS} s per run (soak: +${WARMUP} s warm-up, not measured). Generator
and server share the same 2 cores, and the machine was shared with other jobs during the run (load average
$LOAD_BEFORE before, $LOAD_AFTER after, on 2 cores): numbers are noisy.

**Highest open-loop rate with schedule-lag p99 < 10 ms, no errors, >= 95% sent: ${best} req/s
(${best_cpu:-?} ms of generator CPU per 1,000 requests).**

| generator | asked req/s | achieved req/s | schedule lag p99 | p50 corrected (uncorrected) | p99 corrected (uncorrected) | CPU ms / 1,000 req | context switches / 1,000 req | within the bar |
|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

CPU is user+system time of the generator process (for the soak: measured inside the JVM over the soak itself,
all threads, JIT and GC included) divided by the requests it sent; context switches (voluntary + involuntary, from
\`/usr/bin/time\`, whole process) per 1,000 requests show where java.net.http's time goes: every request crosses
threads (scheduler → client selector thread → executor → back), while the lean client serves schedule and sockets
from one thread. wrk and hey are closed-loop: their latency is from the actual send, so it is the
"uncorrected" kind. Command: \`bench/soak/run.sh\`.
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
