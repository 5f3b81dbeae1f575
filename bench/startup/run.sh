#!/usr/bin/env bash
# Start-up benchmark of the action images: size, and cold start from `docker run` to the first request a
# loopback server receives, with and without the AOT cache. Writes its table into bench/README.md.
#
#   bench/startup/run.sh [rounds]      (default 11 rounds, plus one warm-up round)
#
# Builds the jars if they are missing, starts a Docker daemon through .ci/setup-docker if none answers (and
# stops it again at the end), builds every image from its Dockerfile, then times. Raw results:
# bench/work/startup.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-11}
mkdir -p bench/work .ci/work
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

started_daemon=0
cleanup() {
  if [ $started_daemon = 1 ]; then .ci/setup-docker --stop; fi
}
trap cleanup EXIT

had_pid=0; [ -f .ci/work/dockerd.pid ] && had_pid=1
.ci/setup-docker
if [ $had_pid = 0 ] && [ -f .ci/work/dockerd.pid ]; then started_daemon=1; fi

actions=$(ls actions/*/action.yml | xargs -n1 dirname | xargs -n1 basename)
for a in $actions; do
  if [ ! -f "actions/$a/target/$a.jar" ] || [ ! -d "actions/$a/target/lib" ] || [ ! -d "actions/$a/target/image" ]; then
    echo "building the jars (./mvnw package)"
    ./mvnw -B -q package -DskipTests
    break
  fi
done
for a in $actions; do
  ref=$(sed -n "s/^ *image: *'docker:\/\/\(.*\)'/\1/p" "actions/$a/action.yml")
  echo "docker build $ref"
  docker build -q --force-rm -t "$ref" "actions/$a" > /dev/null
  docker image prune -f --filter label=dev.gantry.stage=build > /dev/null
done
python3 bench/startup/startup.py --rounds "$ROUNDS" --warmup 1 --out bench/work/startup.json --readme bench/README.md
sed -n '/<!-- BEGIN startup -->/,/<!-- END startup -->/p' bench/README.md
