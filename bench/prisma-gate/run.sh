#!/usr/bin/env bash
# Benchmark: prisma-migrate-gate (check, lint only) vs squawk-cli from npm on the shared Prisma corpus
# (langfuse, 434 migrations), side by side in one run: wall time and findings per rule, plus precision/recall of
# both per category against the corpus's hand-checked classification. squawk runs as a Prisma user would run it,
# with --assume-in-transaction (Prisma runs each migration.sql in one transaction); its default run is scored too.
# Then the check against a real PostgreSQL (the first half of the corpus applied, every table seeded): the gate
# with its data check, without it, and (BASELINE_REF=<git ref>) the gate as it was at that ref. Writes its table
# into bench/README.md between the <!-- BEGIN prisma-gate --> / <!-- END prisma-gate --> markers.
#
# Usage: bench/prisma-gate/run.sh [runs]     (default 7 timed runs of each, after one warm-up)
#        BASELINE_REF=fa234f6 bench/prisma-gate/run.sh 7   (also time the gate of that commit against the database)
# Needs: JDK 21+ (JAVA_HOME), node + npm (squawk-cli is installed here, into bench/work, not in CI), python3,
#        PostgreSQL server binaries (initdb, pg_ctl, postgres; Debian's postgresql-15 here) for the database part.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-7}
SHARED=${GANTRY_SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus/prisma/langfuse-langfuse
DIR=packages/shared/prisma/migrations
WORK=$ROOT/bench/work/prisma-gate
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
SQUAWK_VERSION=2.66.0

[ -d "$CORPUS/$DIR" ] || { echo "corpus not found: $CORPUS" >&2; exit 2; }
mkdir -p "$WORK"

echo "== building the gate"
(cd "$ROOT" && ./mvnw -B -q -pl actions/prisma-migrate-gate -am package -DskipTests >"$WORK/build.log" 2>&1) \
  || { tail -30 "$WORK/build.log" >&2; exit 1; }
T=$ROOT/actions/prisma-migrate-gate/target
CP="$T/prisma-migrate-gate.jar:$T/lib/*"

echo "== installing squawk-cli@$SQUAWK_VERSION from npm (into $WORK/npm)"
if [ ! -x "$WORK/npm/node_modules/.bin/squawk" ]; then
  npm install --prefix "$WORK/npm" --no-audit --no-fund --silent "squawk-cli@$SQUAWK_VERSION" >"$WORK/npm.log" 2>&1 \
    || { cat "$WORK/npm.log" >&2; exit 1; }
fi
SQUAWK=$WORK/npm/node_modules/.bin/squawk
"$SQUAWK" --version

# squawk gets the 434 files in directory-name order (LC_ALL=C), relative to the corpus folder, as in the baseline
mapfile -t FILES < <(cd "$CORPUS" && LC_ALL=C ls -d "$DIR"/*/ | sed 's|/$|/migration.sql|')
echo "== ${#FILES[@]} migration files"

gate() { # $1 = output file for GITHUB_OUTPUT, rest = JVM flags
  local out=$1; shift
  : >"$out"; : >"$WORK/summary.md"
  GITHUB_WORKSPACE=$CORPUS GITHUB_OUTPUT=$out GITHUB_STEP_SUMMARY=$WORK/summary.md \
    "${GATE_JAVA:-$JAVA}" "$@" -cp "$CP" dev.gantry.prismagate.Main --input "migrations-dir=$DIR" >"$WORK/gate.log" 2>&1 || true
}
squawk() { # as a Prisma user runs it: each file is one transaction
  (cd "$CORPUS" && "$SQUAWK" --assume-in-transaction --reporter json "${FILES[@]}" >"$WORK/squawk.json" \
    2>"$WORK/squawk.err") || true
}
squawk_default() {
  (cd "$CORPUS" && "$SQUAWK" --reporter json "${FILES[@]}" >"$WORK/squawk-default.json" 2>/dev/null) || true
}
gate_empty() { # the fixed cost: JVM start + action runtime, on an empty migrations folder
  mkdir -p "$WORK/empty/prisma/migrations"
  : >"$WORK/out-empty.txt"
  GITHUB_WORKSPACE=$WORK/empty GITHUB_OUTPUT=$WORK/out-empty.txt GITHUB_STEP_SUMMARY=$WORK/summary-empty.md \
    "$JAVA" "$@" -cp "$CP" dev.gantry.prismagate.Main >/dev/null 2>&1 || true
}
ms() { local s; s=$(date +%s%N); "$@"; echo $(( ($(date +%s%N) - s) / 1000000 )); }

echo "== AOT cache training run (JDK 25 JEP 483/514; what a container image can ship)"
# short-lived CLI settings, the image's jvm.args: C1 only, serial GC, no perf-data file; the AOT cache is trained
# with the same flags it runs with. Two caches: one trained on this corpus, and one trained the way the published
# image is (the Dockerfile's training run: actions/prisma-migrate-gate/aot-training, mode check, a database URL
# nothing answers), which is what a user's run gets.
FAST=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
AOT=()
AOT_IMAGE=()
if "$JAVA" -XX:AOTCacheOutput="$WORK/probe.aot" -version >/dev/null 2>&1; then
  rm -f "$WORK/gate.aot" "$WORK/gate-image.aot"
  gate "$WORK/out-train.txt" "${FAST[@]}" -XX:AOTCacheOutput="$WORK/gate.aot"
  [ -f "$WORK/gate.aot" ] && AOT=("${FAST[@]}" -XX:AOTCache="$WORK/gate.aot")
  # the image's runtime, as common/image/runtime.sh makes it: the modules jdeps finds, plus jdk.crypto.ec
  IMAGE_JAVA=$JAVA
  if [ -x "${JAVA_HOME:-}/bin/jlink" ]; then
    jars=$T/prisma-migrate-gate.jar; for j in "$T"/lib/*.jar; do jars="$jars:$j"; done
    deps=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps -q --multi-release 25 --print-module-deps --class-path "$jars" \
      "$T/prisma-migrate-gate.jar")
    rm -rf "$WORK/jre"
    "$JAVA_HOME/bin/jlink" --add-modules "$deps,jdk.crypto.ec" --strip-debug --no-header-files --no-man-pages \
      --compress=zip-6 --output "$WORK/jre"
    IMAGE_JAVA=$WORK/jre/bin/java
  fi
  : >"$WORK/out-train-image.txt"
  GITHUB_WORKSPACE=$ROOT/actions/prisma-migrate-gate/aot-training GITHUB_OUTPUT=$WORK/out-train-image.txt \
    GITHUB_STEP_SUMMARY=$WORK/summary-train.md "$IMAGE_JAVA" "${FAST[@]}" -XX:AOTCacheOutput="$WORK/gate-image.aot" \
    -cp "$CP" dev.gantry.prismagate.Main --input database-url=postgresql://aot:aot@127.0.0.1:5432/aot \
    --input mode=check --input github-token=aot-training >/dev/null 2>&1 || true
  [ -f "$WORK/gate-image.aot" ] && AOT_IMAGE=("${FAST[@]}" -XX:AOTCache="$WORK/gate-image.aot")
fi

echo "== warm-up"
gate "$WORK/out.txt"; squawk; squawk_default

echo "== DO-block probe (the corpus has no DO block): the same risky statements, inside and outside one"
PROBE=$WORK/probe/prisma/migrations/20240101000000_probe
rm -rf "$WORK/probe"; mkdir -p "$PROBE" "$WORK/probe/prisma/migrations/20240100000000_init"
printf '%s\n' 'CREATE TABLE "T" (id int, a text);' >"$WORK/probe/prisma/migrations/20240100000000_init/migration.sql"
cat >"$PROBE/migration.sql" <<'SQL'
UPDATE "T" SET a = 'x';
DO $$ BEGIN
  UPDATE "T" SET a = 'y';
  DELETE FROM "T";
  ALTER TABLE "T" DROP COLUMN a;
END $$;
SQL
printf 'provider = "postgresql"\n' >"$WORK/probe/prisma/migrations/migration_lock.toml"
: >"$WORK/out-probe.txt"
GITHUB_WORKSPACE=$WORK/probe GITHUB_OUTPUT=$WORK/out-probe.txt GITHUB_STEP_SUMMARY=$WORK/summary-probe.md \
  "$JAVA" -cp "$CP" dev.gantry.prismagate.Main >/dev/null 2>&1 || true
(cd "$WORK/probe" && "$SQUAWK" --assume-in-transaction --reporter json prisma/migrations/20240101000000_probe/migration.sql \
  >"$WORK/squawk-probe.json" 2>/dev/null) || true

echo "== $RUNS timed runs of each, interleaved"
: >"$WORK/times.tsv"
for i in $(seq "$RUNS"); do
  printf 'squawk\t%s\n' "$(ms squawk)" >>"$WORK/times.tsv"
  printf 'gate\t%s\n' "$(ms gate "$WORK/out.txt")" >>"$WORK/times.tsv"
  printf 'gate-fast\t%s\n' "$(ms gate "$WORK/out-fast.txt" "${FAST[@]}")" >>"$WORK/times.tsv"
  [ ${#AOT[@]} -gt 0 ] && printf 'gate-aot\t%s\n' "$(ms gate "$WORK/out-aot.txt" "${AOT[@]}")" >>"$WORK/times.tsv"
  [ ${#AOT_IMAGE[@]} -gt 0 ] && printf 'gate-aot-image\t%s\n' \
    "$(GATE_JAVA=$IMAGE_JAVA ms gate "$WORK/out-aot-image.txt" "${AOT_IMAGE[@]}")" >>"$WORK/times.tsv"
  printf 'gate-empty\t%s\n' "$(ms gate_empty "${FAST[@]}")" >>"$WORK/times.tsv"
  [ ${#AOT[@]} -gt 0 ] && printf 'gate-empty-aot\t%s\n' "$(ms gate_empty "${AOT[@]}")" >>"$WORK/times.tsv"
done

echo "== the check against PostgreSQL (first half applied, tables seeded)"
DB_ROWS=${DB_ROWS:-200}
: >"$WORK/times-db.tsv"
if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  PGDATA_DIR=$WORK/pgdata
  PGPORT=${PGPORT:-55439}
  rm -rf "$PGDATA_DIR" "$WORK/pgsock"; mkdir -p "$PGDATA_DIR" "$WORK/pgsock"
  AS=() # the server refuses to run as root: then as the postgres user
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    AS=(runuser -u postgres --); chown postgres "$PGDATA_DIR" "$WORK/pgsock"
  fi
  "${AS[@]}" initdb -D "$PGDATA_DIR" -U postgres --auth=trust >"$WORK/initdb.log" 2>&1 \
    || { tail -5 "$WORK/initdb.log" >&2; exit 1; }
  "${AS[@]}" pg_ctl -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pgsock" -w start >/dev/null
  trap '"${AS[@]}" pg_ctl -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true' EXIT
  PSQL=(psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1)
  "${PSQL[@]}" -d postgres -c 'CREATE DATABASE corpus' >/dev/null
  URL="postgresql://postgres@127.0.0.1:$PGPORT/corpus"
  # the first half of the history, applied by the gate itself
  HALF=$WORK/half/$DIR
  rm -rf "$WORK/half"; mkdir -p "$HALF"
  cp "$CORPUS/$DIR/migration_lock.toml" "$HALF/"
  (cd "$CORPUS/$DIR" && LC_ALL=C ls -d */ | head -n $(( ${#FILES[@]} / 2 )) | xargs -I{} cp -r {} "$HALF/")
  : >"$WORK/out-half.txt"
  GITHUB_WORKSPACE=$WORK/half GITHUB_OUTPUT=$WORK/out-half.txt GITHUB_STEP_SUMMARY=$WORK/summary-half.md \
    "$JAVA" -cp "$CP" dev.gantry.prismagate.Main --input "migrations-dir=$DIR" --input "database-url=$URL" \
    --input mode=apply --input allow-destructive=true --input data-check=false --input rules=-invalid-encoding \
    >"$WORK/apply-half.log" 2>&1 || { tail -20 "$WORK/apply-half.log" >&2; exit 1; }
  "${PSQL[@]}" -d corpus -v rows="$DB_ROWS" -f "$ROOT/bench/prisma-gate/seed.sql" >"$WORK/seed.log" 2>&1
  SEEDED=$("${PSQL[@]}" -d corpus -At -c "SELECT count(*) || ' tables, ' || coalesce(sum(n_live_tup), 0) || ' rows'
    FROM pg_stat_user_tables WHERE relname <> '_prisma_migrations'")
  gate_db() { # $1 = class path, rest = extra inputs
    local cp=$1; shift
    : >"$WORK/out-db.txt"
    GITHUB_WORKSPACE=$CORPUS GITHUB_OUTPUT=$WORK/out-db.txt GITHUB_STEP_SUMMARY=$WORK/summary-db.md \
      "$JAVA" "${FAST[@]}" -cp "$cp" dev.gantry.prismagate.Main --input "migrations-dir=$DIR" \
      --input "database-url=$URL" "$@" >"$WORK/gate-db.log" 2>&1 || true
  }
  BASE_CP=
  if [ -n "${BASELINE_REF:-}" ]; then
    echo "== building the gate at $BASELINE_REF (into $WORK/baseline)"
    rm -rf "$WORK/baseline"; mkdir -p "$WORK/baseline"
    (cd "$ROOT" && git archive "$BASELINE_REF") | tar -x -C "$WORK/baseline"
    (cd "$WORK/baseline" && ./mvnw -B -q -pl actions/prisma-migrate-gate -am package -DskipTests \
      >"$WORK/baseline-build.log" 2>&1) || { tail -30 "$WORK/baseline-build.log" >&2; exit 1; }
    BT=$WORK/baseline/actions/prisma-migrate-gate/target
    BASE_CP="$BT/prisma-migrate-gate.jar:$BT/lib/*"
  fi
  gate_db "$CP"; cp "$WORK/gate-db.log" "$WORK/gate-db-first.log"   # warm-up (and the log kept)
  for i in $(seq "$RUNS"); do
    printf 'db-data-check\t%s\n' "$(ms gate_db "$CP")" >>"$WORK/times-db.tsv"
    printf 'db-no-data-check\t%s\n' "$(ms gate_db "$CP" --input data-check=false)" >>"$WORK/times-db.tsv"
    printf 'db-lint-only\t%s\n' "$(ms gate "$WORK/out-fast.txt" "${FAST[@]}")" >>"$WORK/times-db.tsv"
    [ -n "$BASE_CP" ] && printf 'db-baseline\t%s\n' "$(ms gate_db "$BASE_CP")" >>"$WORK/times-db.tsv"
  done
  grep -c '^::error title=data-' "$WORK/gate-db-first.log" >"$WORK/data-errors.txt" || true
  echo "$SEEDED" >"$WORK/seeded.txt"
else
  echo "(no initdb/pg_ctl: the database part is skipped)"
fi

MACHINE="$(uname -srm), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg)"
JVER=$("$JAVA" -version 2>&1 | head -1)
python3 "$ROOT/bench/prisma-gate/report.py" --work "$WORK" --corpus "$CORPUS" --dir "$DIR" --readme "$ROOT/bench/README.md" \
  --machine "$MACHINE" --java "$JVER" --squawk "$("$SQUAWK" --version)" --runs "$RUNS" \
  --baseline "${BASELINE_REF:-}" --pg "$(initdb --version 2>/dev/null || echo none)"
