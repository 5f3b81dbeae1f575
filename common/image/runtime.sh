# runtime.sh JAR: the Java runtime and JVM options of an action image (see README.md in this folder).
#
# Runs in the build stage (eclipse-temurin:25-jdk, `RUN sh /build/runtime.sh <action>.jar`), after the Dockerfile
# has copied the action's jar to /opt/gantry/JAR and its runtime dependencies to /opt/gantry/lib/. Leaves beside
# them what the runtime image takes over (all of /opt/gantry/):
#   jvm.args  the JVM options and the classpath, in one argument file, so that the training run (train.sh) and
#             the ENTRYPOINT cannot drift apart. Options: serial GC and C1 only (a short-lived process that
#             mostly waits on the network); no perf-data file.
#   jre/      a runtime with only the modules the action uses: jdeps finds them; jdk.crypto.ec is added for TLS
#             (ECDHE), which nothing names statically.
#
# Then the runtime loses what the action never loads:
# - java.desktop is among the modules because Feign's QueryMap.MapEncoder builds a java.beans encoder in its
#   static initializer; its AWT, 2D, font, image and sound native libraries (6 MB) are removed, since only those
#   toolkits load them and no Gantry code uses one (the container tests fail on any NoClassDefFoundError or
#   UnsatisfiedLinkError).
# - lib/jrt-fs.jar (110 kB) and lib/classlist (85 kB): the JVM does not read either when the action runs.
#   jrt-fs.jar is the jrt:/ file system provider for tools running on *another* JDK that read this runtime's
#   modules (the running JVM has the provider built in); classlist is the default class list of -Xshare:dump,
#   which builds a CDS archive (our AOT cache comes from train.sh's training run instead).
# - libjvm.so's symbol table (5 MB; only crash reports would name native frames) goes with strip; binutils is
#   in the JDK image because jlink --strip-debug needs it.
#
# Plain POSIX sh with only sh built-ins, rm and strip: the stand-in JDK image of .ci/setup-docker has no more.
set -eu
[ $# -eq 1 ] || { echo "usage: runtime.sh JAR (the action jar's file name in /opt/gantry/)" >&2; exit 2; }
jar=/opt/gantry/$1
[ -f "$jar" ] || { echo "runtime.sh: no $jar (the Dockerfile copies target/<action>.jar there)" >&2; exit 2; }

cp=$jar; for j in /opt/gantry/lib/*.jar; do cp="$cp:$j"; done
printf '%s\n' '-XX:+UseSerialGC' '-XX:TieredStopAtLevel=1' '-XX:-UsePerfData' "-cp $cp" > /opt/gantry/jvm.args

deps=$(jdeps --ignore-missing-deps -q --multi-release 25 --print-module-deps --class-path "$cp" "$jar")
echo "jlink --add-modules $deps,jdk.crypto.ec"
jlink --add-modules "$deps,jdk.crypto.ec" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output /opt/gantry/jre

for l in awt awt_headless awt_xawt fontmanager freetype javajpeg jawt jsound lcms mlib_image splashscreen; do
  rm -f /opt/gantry/jre/lib/lib$l.so
done
rm -f /opt/gantry/jre/lib/jrt-fs.jar /opt/gantry/jre/lib/classlist
strip --strip-unneeded /opt/gantry/jre/lib/server/libjvm.so
