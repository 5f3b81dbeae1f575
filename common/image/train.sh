# train.sh MAIN [ARG...]: the AOT cache of an action image, /opt/gantry/app/app.aot (see README.md in this folder).
#
# Runs in the build stage after app.sh (`RUN ... sh /build/train.sh dev.gantry.<pkg>.Main --input name=value
# ...`). JDK 25's AOT cache (JEP 483/514/515) comes from a training run: the action starts as on a runner and the
# classes it loads and links on the way are stored, so that the image's own start skips that work.
#
# The run: MAIN with the image's own runtime (/opt/gantry/jre, copied from the runtime image, so the cache
# matches the runtime the image starts with) and argument file (app/jvm.args), ARGs passed on (the action's
# inputs as `--input name=value`), working directory /tmp/aot/workspace (= GITHUB_WORKSPACE), empty file-command
# files, an empty event payload. Its first calls go to a loopback server inside the build container (jwebserver
# on 127.0.0.1:18080 serving /tmp/aot/www: no network needed). Those calls fail, since nothing real answers
# there, and that is expected: what counts is that start-up, inputs, Jackson, Feign and java.net.http are loaded
# and linked on the way to the first request. GITHUB_ACTIONS stays unset, so the action applies its own
# action.yml defaults. Files the action needs (an app spec, migrations, pages to serve) are written by the
# Dockerfile's RUN into /tmp/aot/workspace or /tmp/aot/www before it calls this script. The build fails if no
# cache came out.
#
# Plain POSIX sh with only sh built-ins, mkdir and sleep: the stand-in JDK image of .ci/setup-docker has no more.
set -eu
[ $# -ge 1 ] || { echo "usage: train.sh MAIN [ARG...] (the action's main class, then its --input arguments)" >&2; exit 2; }
main=$1; shift
[ -s /opt/gantry/app/jvm.args ] || { echo "train.sh: no /opt/gantry/app/jvm.args (app.sh runs first)" >&2; exit 2; }

mkdir -p /tmp/aot/www /tmp/aot/files /tmp/aot/workspace
cd /tmp/aot/workspace
jwebserver -b 127.0.0.1 -p 18080 -d /tmp/aot/www -o none & server=$!
sleep 1
for f in output env state path summary; do : > /tmp/aot/files/$f; done
echo '{}' > /tmp/aot/event.json

GITHUB_REPOSITORY=gantry-actions/aot-training GITHUB_SHA=0000000000000000000000000000000000000000 \
GITHUB_REF=refs/heads/main GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=/tmp/aot/event.json \
GITHUB_API_URL=http://127.0.0.1:18080 GITHUB_WORKSPACE=/tmp/aot/workspace RUNNER_TEMP=/tmp/aot \
GITHUB_OUTPUT=/tmp/aot/files/output GITHUB_ENV=/tmp/aot/files/env GITHUB_STATE=/tmp/aot/files/state \
GITHUB_PATH=/tmp/aot/files/path GITHUB_STEP_SUMMARY=/tmp/aot/files/summary \
/opt/gantry/jre/bin/java -XX:AOTCacheOutput=/opt/gantry/app/app.aot @/opt/gantry/app/jvm.args "$main" "$@" \
  || echo "training run ended with exit code $? (expected: nothing real answers inside the build)"
kill $server

[ -s /opt/gantry/app/app.aot ] || { echo "train.sh: the training run left no AOT cache (/opt/gantry/app/app.aot)" >&2; exit 1; }
