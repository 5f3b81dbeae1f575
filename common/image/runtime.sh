# runtime.sh: the Java runtime all action images share, /opt/gantry/jre (see README.md in this folder).
#
# Runs in the build stage of the runtime image (common/image/Dockerfile: `RUN sh /build/runtime.sh`), with this
# folder's jre-modules copied to /build/. Makes a runtime with jlink of the modules listed there (the union of
# what the five actions use), then removes what no action ever loads:
# - java.desktop is among the modules because Feign's QueryMap.MapEncoder builds a java.beans encoder in its
#   static initializer; its AWT, 2D, font, image and sound native libraries (6 MB) are removed, since only those
#   toolkits load them and no Gantry code uses one (the container tests fail on any NoClassDefFoundError or
#   UnsatisfiedLinkError).
# - lib/jrt-fs.jar (110 kB) and lib/classlist (85 kB): the JVM does not read either when an action runs.
#   jrt-fs.jar is the jrt:/ file system provider for tools running on *another* JDK that read this runtime's
#   modules (the running JVM has the provider built in); classlist is the default class list of -Xshare:dump,
#   which builds a CDS archive (each action's AOT cache comes from train.sh's training run instead).
# - libjvm.so's symbol table (5 MB; only crash reports would name native frames) goes with strip; binutils is
#   in the JDK image because jlink --strip-debug needs it.
#
# Plain POSIX sh with only sh built-ins, rm and strip: the stand-in JDK image of .ci/setup-docker has no more.
set -eu
[ $# -eq 0 ] || { echo "usage: runtime.sh (reads /build/jre-modules)" >&2; exit 2; }
[ -s /build/jre-modules ] || { echo "runtime.sh: no /build/jre-modules (the Dockerfile copies it there)" >&2; exit 2; }

modules=
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in '#'* | '') continue ;; esac
  modules="${modules:+$modules,}$line"
done < /build/jre-modules
echo "jlink --add-modules $modules"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output /opt/gantry/jre

for l in awt awt_headless awt_xawt fontmanager freetype javajpeg jawt jsound lcms mlib_image splashscreen; do
  rm -f /opt/gantry/jre/lib/lib$l.so
done
rm -f /opt/gantry/jre/lib/jrt-fs.jar /opt/gantry/jre/lib/classlist
strip --strip-unneeded /opt/gantry/jre/lib/server/libjvm.so
