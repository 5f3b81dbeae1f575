#!/usr/bin/env bash
# The action images: the bytes a runner pulls for example-backend.yml (unique compressed layers) before and after
# the shared runtime image, and the cold start of each image from `docker run` to the first request a loopback
# server receives (with and without the AOT cache, and as the image was before the shared runtime). One run
# writes both tables into bench/README.md.
#
#   bench/startup/run.sh [rounds]      (default 11 rounds, plus one warm-up round)
#
# "Before" is the tree at BASELINE (default fa234f6, the last commit whose images each carried their own
# runtime): exported with git archive into bench/work/baseline, packaged with its own Maven wrapper, its five
# images built from its own Dockerfiles. "After" is this tree: the runtime image (common/image), then the five
# images. Both sets are pushed to a registry on loopback (.ci/setup-registry), whose manifests give the compressed
# layer sizes a runner downloads. Starts a Docker daemon through .ci/setup-docker and the registry through
# .ci/setup-registry if none answers (and stops what it started at the end). Raw results: bench/work/startup.json,
# bench/work/pull.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-11}
BASELINE=${BASELINE:-fa234f6}
mkdir -p bench/work .ci/work
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

started_daemon=0 started_registry=0
cleanup() {
  if [ $started_registry = 1 ]; then .ci/setup-registry --stop; fi
  if [ $started_daemon = 1 ]; then .ci/setup-docker --stop; fi
}
trap cleanup EXIT

had_pid=0; [ -f .ci/work/dockerd.pid ] && had_pid=1
.ci/setup-docker
if [ $had_pid = 0 ] && [ -f .ci/work/dockerd.pid ]; then started_daemon=1; fi
had_reg=0; [ -f .ci/work/registry.pid ] && had_reg=1
.ci/setup-registry
if [ $had_reg = 0 ] && [ -f .ci/work/registry.pid ]; then started_registry=1; fi
REG=$(cat .ci/work/registry.addr)
NS=bench-$(date +%s)

actions=$(ls actions/*/action.yml | xargs -n1 dirname | xargs -n1 basename)

# --- before: the baseline tree's own images ---------------------------------------------------------------------
echo "== before: the images of $BASELINE"
rm -rf bench/work/baseline && mkdir -p bench/work/baseline
git archive "$BASELINE" | tar -x -C bench/work/baseline
(cd bench/work/baseline && ./mvnw -B -q package -DskipTests) >bench/work/baseline-build.log 2>&1 \
  || { echo "baseline build failed: bench/work/baseline-build.log" >&2; exit 1; }
for a in $actions; do
  docker build -q --force-rm -t "$REG/$NS/before/$a:before" "bench/work/baseline/actions/$a" >/dev/null
  docker image prune -f --filter label=dev.gantry.stage=build >/dev/null
done

# --- after: this tree -----------------------------------------------------------------------------------------
echo "== after: this tree's runtime image and action images"
for a in $actions; do
  if [ ! -f "actions/$a/target/$a.jar" ] || [ ! -d "actions/$a/target/lib" ] || [ ! -d "actions/$a/target/image" ]; then
    echo "building the jars (./mvnw package)"
    ./mvnw -B -q package -DskipTests
    break
  fi
done
docker build -q --force-rm -t localhost/gantry/runtime common/image >/dev/null
for a in $actions; do
  ref=$(sed -n "s/^ *image: *'docker:\/\/\(.*\)'/\1/p" "actions/$a/action.yml")
  echo "docker build $ref"
  docker build -q --force-rm -t "$ref" "actions/$a" > /dev/null
  docker tag "$ref" "$REG/$NS/after/$a:bench"
  docker tag "$REG/$NS/before/$a:before" "$REG/$NS/before/$a:bench"
done
docker image prune -f --filter label=dev.gantry.stage=build > /dev/null

# --- the bytes a runner pulls -----------------------------------------------------------------------------------
echo "== push both sets to $REG and read their manifests"
for a in $actions; do
  docker push -q "$REG/$NS/before/$a:bench" >/dev/null
  docker push -q "$REG/$NS/after/$a:bench" >/dev/null
done
python3 bench/startup/pullbytes.py --registry "$REG" --set "before=$NS/before" --set "after=$NS/after" --tag bench \
  --workflow .github/workflows/example-backend.yml --all-actions "$(echo $actions | tr ' ' ,)" --out bench/work/pull.json
python3 - "$BASELINE" <<'EOF'
import json, sys
p = "bench/work/pull.json"
r = json.load(open(p)); r["baseline"] = sys.argv[1]; json.dump(r, open(p, "w"), indent=2)
EOF
for a in $actions; do docker rmi "$REG/$NS/after/$a:bench" "$REG/$NS/before/$a:bench" >/dev/null; done

# --- cold start -------------------------------------------------------------------------------------------------
python3 bench/startup/startup.py --rounds "$ROUNDS" --warmup 1 --before "$REG/$NS/before" --pull bench/work/pull.json \
  --out bench/work/startup.json --readme bench/README.md
for a in $actions; do docker rmi "$REG/$NS/before/$a:before" >/dev/null; done
sed -n '/<!-- BEGIN startup -->/,/<!-- END startup -->/p' bench/README.md
