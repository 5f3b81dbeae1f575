#!/usr/bin/env bash
# Benchmark: how soon do-deploy notices that an App Platform deployment has ended, and how many requests it spends
# doing so, before and after the poll schedule of issue 22 (poll rarely while nothing is due, every second around
# the predicted end of the build and of the deployment). Real do-deploy processes of both versions, side by side,
# against App Platform simulators in real time (loopback only), each answer delayed like a real network round trip,
# phase lengths jittered ±15 % run to run, 60-second and 4-minute deployments of an app that was deployed before.
# Writes its table into bench/README.md between <!-- BEGIN do-deploy --> and <!-- END do-deploy -->.
#
# Usage: bench/do-deploy/run.sh [answer-delay-ms]        (default 150; about 13 minutes)
#   BEFORE=<git ref>  the version to compare with (default 951f4fc, the foundation this work started from)
#   RUNS_60S=9 RUNS_240S=3  deploys per stream
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DELAY=${1:-150}
BEFORE=${BEFORE:-951f4fc}
WORK=$ROOT/bench/work/do-deploy
mkdir -p "$WORK"
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
  [ -n "$d" ] && [ -x "$d/bin/javac" ] && { export JAVA_HOME=$d; break; }
done
JAVA=$JAVA_HOME/bin/java

echo "== build (this tree)"
./mvnw -B -q -o -pl action-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1 \
  || ./mvnw -B -q -pl action-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/build.log" 2>&1
CP="$ROOT/action-tests/target/test-classes:$(cat "$WORK/cp.txt")"
JARS=$(tr ':' '\n' < "$WORK/cp.txt" | grep '\.jar$' | grep -v '/dev/gantry/' | paste -sd:)
AFTER_CP="$ROOT/actions/do-deploy/target/classes:$ROOT/common/target/classes:$JARS"

echo "== build ($BEFORE, from git archive: no worktree, nothing installed)"
BEFORE_SHA=$(git rev-parse --short "$BEFORE")
OLD=$WORK/before-$BEFORE_SHA
if [ ! -f "$OLD/.built" ]; then
  rm -rf "$OLD" && mkdir -p "$OLD"
  git archive "$BEFORE" | tar -x -C "$OLD"
  (cd "$OLD" && ./mvnw -B -q -o -pl actions/do-deploy -am compile >"$WORK/build-before.log" 2>&1 \
    || ./mvnw -B -q -pl actions/do-deploy -am compile >"$WORK/build-before.log" 2>&1)
  touch "$OLD/.built"
fi
BEFORE_CP="$OLD/actions/do-deploy/target/classes:$OLD/common/target/classes:$JARS"
AFTER_SHA=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- common actions/do-deploy || echo "+changes")

echo "== run (answer delay ${DELAY} ms; both versions at once, one simulator per stream)"
"$JAVA" -cp "$CP" bench/do-deploy/NoticeBench.java "$WORK/samples.tsv" "$DELAY" \
  "before=$BEFORE_CP" "after=$AFTER_CP" | tee "$WORK/run.log"

python3 - "$WORK/samples.tsv" "$DELAY" "$BEFORE_SHA" "$AFTER_SHA" <<'PY'
import os, platform, statistics, subprocess, sys, datetime
path, delay, before, after = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows, peaks = [], {}
for line in open(path):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'variant': continue
    if f[0] == '#peak': peaks[(f[1], f[2])] = int(f[3]); continue
    rows.append(dict(variant=f[0], scenario=f[1], exit=int(f[3]), notice=int(f[4]), exitms=int(f[5]), req=int(f[6])))
def s(ms): return f"{ms/1000:.2f} s"
def med(v): return statistics.median(v)
lines = []
java = subprocess.run([os.environ.get('JAVA_HOME', '') + '/bin/java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
load = os.getloadavg()
lines.append(f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, {java}, "
             f"load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (this benchmark's own load included). "
             f"before = `{before}`, after = `{after}`. Every App Platform answer delayed {delay} ms; phases "
             f"(pending build, build, pending deploy, deploy) 5/30/5/20 s and 10/150/10/70 s, each ±15 % at random, "
             f"so each deploy's reference (the one serving before it) took a little more or less than it.")
lines.append("")
lines.append("| version | deployment | deploys | exit codes | median notice latency | max | median step end after the deployment's end | median requests per deploy | peak requests in any 60 s |")
lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for v in ['before', 'after']:
    for sc in ['60 s', '4 min']:
        r = [x for x in rows if x['variant'] == v and x['scenario'] == sc]
        if not r: continue
        codes = sorted(set(x['exit'] for x in r))
        lines.append(f"| {v} | {sc} | {len(r)} | {', '.join(map(str, codes))} | {s(med([x['notice'] for x in r]))} | "
                     f"{s(max(x['notice'] for x in r))} | {s(med([x['exitms'] for x in r]))} | "
                     f"{med([x['req'] for x in r]):.0f} | {peaks.get((v, sc), '?')} |")
for v in ['before', 'after']:
    r = [x for x in rows if x['variant'] == v]
    if r:
        lines.append(f"| {v} | all | {len(r)} | | **{s(med([x['notice'] for x in r]))}** | {s(max(x['notice'] for x in r))} | "
                     f"{s(med([x['exitms'] for x in r]))} | {med([x['req'] for x in r]):.0f} | |")
table = "\n".join(lines)
print(table)
readme = open('bench/README.md').read()
begin, end = '<!-- BEGIN do-deploy -->', '<!-- END do-deploy -->'
section = (begin + "\n## do-deploy: noticing the end of a deployment\n\n### Notice latency and requests (`bench/do-deploy/run.sh`)\n\n"
           + table + "\n\nNotice latency: from the moment the deployment reached its final phase to the moment the first answer "
           "showing it reached the action. Step end: to the process's exit (after the logs for `build_logs`/`deploy_logs`, "
           "the live URL and the report). Requests: API calls and log downloads of one deploy, start to exit. App "
           "Platform allows 250 requests a minute and 5,000 an hour per token.\n" + end)
if begin in readme:
    readme = readme[:readme.index(begin)] + section + readme[readme.index(end) + len(end):]
else:
    readme = readme.rstrip('\n') + "\n\n" + section + "\n"
open('bench/README.md', 'w').write(readme)
PY
