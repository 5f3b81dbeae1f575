# app.sh JAR: the JVM options and classpath of an action image, /opt/gantry/app/jvm.args (see README.md here).
#
# Runs in an action image's build stage (`RUN sh /build/app.sh <action>.jar`), after the Dockerfile has copied
# the shared runtime from the runtime image to /opt/gantry/jre, the action's jar to /opt/gantry/app/JAR and its
# runtime dependencies to /opt/gantry/app/lib/. Writes jvm.args: the JVM options and the classpath in one
# argument file, so that the training run (train.sh) and the ENTRYPOINT cannot drift apart. Options: serial GC
# and C1 only (a short-lived process that mostly waits on the network); no perf-data file.
#
# Then checks that the shared runtime holds every module jdeps finds in the action: a module it lacks fails the
# build here, naming it, instead of failing a user's run with a NoClassDefFoundError (add it to jre-modules).
#
# Plain POSIX sh with only sh built-ins: the stand-in JDK image of .ci/setup-docker has no more.
set -eu
[ $# -eq 1 ] || { echo "usage: app.sh JAR (the action jar's file name in /opt/gantry/app/)" >&2; exit 2; }
jar=/opt/gantry/app/$1
[ -f "$jar" ] || { echo "app.sh: no $jar (the Dockerfile copies target/<action>.jar there)" >&2; exit 2; }
[ -x /opt/gantry/jre/bin/java ] || { echo "app.sh: no /opt/gantry/jre (the Dockerfile copies it from the runtime image)" >&2; exit 2; }

cp=$jar; for j in /opt/gantry/app/lib/*.jar; do cp="$cp:$j"; done
printf '%s\n' '-XX:+UseSerialGC' '-XX:TieredStopAtLevel=1' '-XX:-UsePerfData' "-cp $cp" > /opt/gantry/app/jvm.args

deps=$(jdeps --ignore-missing-deps -q --multi-release 25 --print-module-deps --class-path "$cp" "$jar")
have=" $(/opt/gantry/jre/bin/java --list-modules | while IFS=@ read -r m v; do printf '%s ' "$m"; done)"
echo "the action uses $deps"
missing=
IFS=,
for m in $deps; do
  case "$have" in *" $m "*) ;; *) missing="$missing $m" ;; esac
done
unset IFS
if [ -n "$missing" ]; then
  echo "app.sh: the shared runtime lacks module(s)$missing, which $1 uses: add them to common/image/jre-modules" >&2
  exit 1
fi
