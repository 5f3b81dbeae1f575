#!/usr/bin/env bash
# Benchmark: our vercel-deploy vs the real Vercel CLI, one after the other, each against a fresh instance of the
# same Vercel simulator (loopback only), on the same tree: 5,000 files, ~100 MB, 10 % duplicate contents, with
# every answer of the simulator delayed by 0, 20 and 50 ms (a real network's round trip; 40 ms is about a
# runner's to Vercel). Measures wall time (files -> READY, whole process), requests, files and bytes uploaded,
# our SHA-1 rate, the tgz archive step with and without ParallelGzip, and what the simulator itself can serve.
# Writes the table into bench/README.md between <!-- BEGIN vercel --> and <!-- END vercel -->.
# Usage: bench/vercel/run.sh [files] [total-MB]      Needs: JDK 21+, python3, the CLI (.ci/setup-vercel-cli).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
N=${1:-5000}
MB=${2:-100}
WORK=$ROOT/bench/work/vercel
mkdir -p "$WORK"
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
  [ -n "$d" ] && [ -x "$d/bin/javac" ] && { export JAVA_HOME=$d; break; }
done
JAVA=$JAVA_HOME/bin/java
TOKEN=vercel_sim_token_5f3a9c1e7b2d4a6f
BUILD_SECONDS=1.0

echo "== build"
./mvnw -B -q -o -pl action-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1 \
  || ./mvnw -B -q -pl action-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1
CP="$ROOT/action-tests/target/test-classes:$(cat "$WORK/cp.txt")"
# the action alone: its classes (with its action.yml at the root) and the libraries, no other action's action.yml
ACTION_CP="$ROOT/actions/vercel-deploy/target/classes:$ROOT/common/target/classes:$(tr ':' '\n' < "$WORK/cp.txt" | grep '\.jar$' | paste -sd:)"

# the action as its image holds it: the packaged jar and target/lib (the AOT cache needs jars, not class folders)
./mvnw -B -q -o -pl actions/vercel-deploy -am package -DskipTests >>"$WORK/build.log" 2>&1 \
  || ./mvnw -B -q -pl actions/vercel-deploy -am package -DskipTests >>"$WORK/build.log" 2>&1
IMAGE_CP=$ROOT/actions/vercel-deploy/target/vercel-deploy.jar
for j in "$ROOT"/actions/vercel-deploy/target/lib/*.jar; do IMAGE_CP="$IMAGE_CP:$j"; done

CLI=${VERCEL_CLI:-$ROOT/.ci/work/vercel-cli/node_modules/.bin/vercel}
[ -x "$CLI" ] || .ci/setup-vercel-cli >/dev/null || true
[ -x "$CLI" ] || { echo "the Vercel CLI is not installed (.ci/setup-vercel-cli needs npm)"; exit 1; }

SITE=$WORK/site-$N-$MB
if [ ! -f "$SITE/.complete" ]; then
  rm -rf "$SITE"
  echo "== fixture"; python3 bench/vercel/gen_fixture.py "$SITE" "$N" "$MB" | tee "$WORK/fixture.txt"
  touch "$SITE/.complete"
fi
echo "$SITE/.complete" > /dev/null
printf '.complete\n' > "$SITE/.vercelignore"

echo "== hashing"
"$JAVA" -cp "$CP" bench/vercel/HashBench.java "$SITE" | tee "$WORK/hash.txt"

SIM_PID=
DELAY=0
start_sim() { # answers delayed by $DELAY ms
  rm -f "$WORK/url"
  "$JAVA" -Xmx3g -Dsun.net.httpserver.nodelay=true -cp "$CP" dev.gantry.actiontests.vercel.VercelSimulator "$WORK/url" 1 "$BUILD_SECONDS" "$DELAY" >"$WORK/sim.log" 2>&1 &
  SIM_PID=$!
  echo "$SIM_PID" > "$WORK/sim.pid"
  for _ in $(seq 1 600); do [ -s "$WORK/url" ] && break; sleep 0.1; done
  URL=$(cat "$WORK/url")
}
stop_sim() {
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  SIM_PID=
  rm -f "$WORK/sim.pid"
}
trap stop_sim EXIT
stats() { python3 -c "import json,urllib.request;d=json.load(urllib.request.urlopen('$URL/_sim/stats'));print(d['requests'],d['uploads'],d['uploadedBytes'],d['creates'],d['blobs'])"; }
now() { date +%s.%N; }

# The image's JVM: its options (jvm.args) and an AOT cache trained the way its Dockerfile trains it (a one-page site,
# the API on a loopback server that answers 404, as jwebserver does in the build), for the rows "as the image runs it".
IMAGE_JVM=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
IMAGE_AOT=()
if "$JAVA" -XX:AOTCacheOutput="$WORK/probe.aot" -version >/dev/null 2>&1; then
  echo "== AOT cache, trained as the Dockerfile trains it"
  mkdir -p "$WORK/aot/www" "$WORK/aot/site"
  printf '<!doctype html><title>aot</title><p>training\n' > "$WORK/aot/site/index.html"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$(dirname "$JAVA")/jwebserver" -b 127.0.0.1 -p "$port" -d "$WORK/aot/www" -o none >"$WORK/aot/jwebserver.log" 2>&1 &
  jws=$!
  sleep 1
  rm -f "$WORK/vercel.aot"
  (cd "$WORK/aot/site" && GITHUB_WORKSPACE="$WORK/aot/site" RUNNER_TEMP="$WORK/aot" GITHUB_API_URL="http://127.0.0.1:$port" \
    "$JAVA" "${IMAGE_JVM[@]}" -XX:AOTCacheOutput="$WORK/vercel.aot" -cp "$IMAGE_CP" dev.gantry.verceldeploy.Main \
    --input vercel-token=aot-training --input api-url="http://127.0.0.1:$port" --input vercel-org-id=team_aottraining \
    --input vercel-project-id=prj_aottraining --input timeout=30s --input github-token=aot-training) \
    >"$WORK/aot/training.log" 2>&1 || true
  kill "$jws" 2>/dev/null || true
  [ -f "$WORK/vercel.aot" ] && IMAGE_AOT=("${IMAGE_JVM[@]}" -XX:AOTCache="$WORK/vercel.aot")
fi

run_ours() { # $1 = none|tgz, $2 = upload concurrency (default auto), $3 = "image": the image's JVM options and AOT cache
  start_sim
  local t0 t1 code=0 jvm=() cp=$ACTION_CP tag=$1${2:+/$2}
  if [ "${3:-}" = image ]; then jvm=("${IMAGE_AOT[@]}"); cp=$IMAGE_CP; tag=$1@image; fi
  t0=$(now)
  GITHUB_WORKSPACE="$SITE" RUNNER_TEMP="$WORK" "$JAVA" "${jvm[@]}" -cp "$cp" dev.gantry.verceldeploy.Main \
    --input vercel-token=$TOKEN --input vercel-org-id=team_sim --input vercel-project-id=prj_sim \
    --input api-url="$URL" --input github-comment=false --input archive="$1" \
    --input upload-concurrency="${2:-auto}" >"$WORK/ours-${tag//\//-}-$DELAY.log" 2>&1 || code=$?
  t1=$(now)
  echo "ours $tag $DELAY $code $(echo "$t1 - $t0" | bc) $(stats)" | tee -a "$WORK/results.txt"
  stop_sim
}
run_cli() { # $1 = none|tgz
  start_sim
  local t0 t1 code=0 args=()
  [ "$1" = tgz ] && args=(--archive=tgz)
  mkdir -p "$WORK/home"
  t0=$(now)
  (cd "$SITE" && HOME="$WORK/home" VERCEL_TELEMETRY_DISABLED=1 NO_UPDATE_NOTIFIER=1 CI=1 VERCEL_ORG_ID=team_sim \
    VERCEL_PROJECT_ID=prj_sim timeout 600 "$CLI" deploy --api "$URL" --token "$TOKEN" --yes "${args[@]}") \
    >"$WORK/cli-$1-$DELAY.out" 2>"$WORK/cli-$1-$DELAY.err" || code=$?
  t1=$(now)
  echo "cli $1 $DELAY $code $(echo "$t1 - $t0" | bc) $(stats)" | tee -a "$WORK/results.txt"
  stop_sim
}

: > "$WORK/results.txt"
echo "== tgz archive step: ParallelGzip vs one GZIPOutputStream"
"$JAVA" -cp "$ACTION_CP" bench/vercel/TgzBench.java "$SITE" "$WORK/tgzbench" | tee "$WORK/tgz.txt"
echo "== the simulator's own capacity (Node client, 20 KB uploads)"
: > "$WORK/probe.txt"
for DELAY in 0 50; do
  start_sim
  for c in 50 128; do echo "delay $DELAY ms: $(node bench/vercel/upload_probe.mjs "$URL" 1280 $c)" | tee -a "$WORK/probe.txt"; done
  stop_sim
done
echo "== deploys (simulated build: ${BUILD_SECONDS}s + 0.2s queue + 0.5s alias), answers delayed 0, 20, 50 ms"
for DELAY in 0 20 50; do
  run_cli none
  run_ours none
  if [ "$DELAY" = 50 ]; then run_ours none 16; fi
done
DELAY=0
run_cli tgz
run_ours tgz
if [ ${#IMAGE_AOT[@]} -gt 0 ]; then
  for DELAY in 0 50; do run_ours none "" image; done
  DELAY=0
fi

python3 bench/vercel/report.py "$WORK" "$N" "$MB" "$("$CLI" --version 2>/dev/null | tail -n1)"
