"""Turns bench/prisma-gate/run.sh's measurements into the table in bench/README.md.

Scoring is per category of the corpus's hand-checked classification.csv, one to one: a finding matches a row of
the same migration and category whose lines contain it. Each tool's findings are put in the category they claim,
and only there: squawk's require-concurrent-index-creation is a unique-index claim only on a CREATE UNIQUE INDEX
(on a plain index it is a claim the classification has no category for, like the gate's own non-concurrent-index),
and the gate's findings are counted in every category the same way as squawk's.
"""
import argparse
import collections
import datetime
import json
import re
import statistics
from pathlib import Path

p = argparse.ArgumentParser()
for a in ("work", "corpus", "dir", "readme", "machine", "java", "squawk", "runs", "baseline", "pg"):
    p.add_argument("--" + a, required=True)
args = p.parse_args()
work, corpus = Path(args.work), Path(args.corpus)


def read_times(name):
    t = collections.defaultdict(list)
    path = work / name
    if path.exists():
        for line in path.read_text().splitlines():
            k, v = line.split("\t")
            t[k].append(int(v))
    return t


times = read_times("times.tsv")
dbtimes = read_times("times-db.tsv")


def outputs(path):
    text, out, i = path.read_text(), {}, 0
    lines = text.split("\n")
    while i < len(lines):
        m = re.match(r"^([^<=]+)<<(.+)$", lines[i])
        if m:
            name, delim, body = m.group(1), m.group(2), []
            i += 1
            while lines[i] != delim:
                body.append(lines[i]); i += 1
            out[name] = "\n".join(body)
        i += 1
    return out


plan = json.loads(outputs(work / "out.txt")["plan"])
gate = collections.Counter()
gate_rows = []
for m in plan["migrations"]:
    for f in m["findings"]:
        gate[f["rule"]] += 1
        gate_rows.append((m["name"], f["line"], f["line"], f["rule"]))
sq_fair = json.loads((work / "squawk.json").read_text())
sq_default = json.loads((work / "squawk-default.json").read_text())
squawk = collections.Counter(f["rule_name"] for f in sq_fair)
squawk_default_counts = collections.Counter(f["rule_name"] for f in sq_default)

files = {}


def statement_text(f):
    """The lines of squawk's finding (0-based, inclusive) in its file."""
    path = corpus / f["file"]
    if path not in files:
        files[path] = path.read_text(errors="replace").split("\n")
    return "\n".join(files[path][f["line"]:f["line_end"] + 1])


GATE_CAT = {"drop-table": "DROP_TABLE", "drop-column": "DROP_COLUMN", "column-type-change": "TYPE_CHANGE",
            "rename-table": "RENAME_TABLE", "rename-column": "RENAME_COLUMN", "rename-type": "RENAME_TYPE",
            "set-not-null": "SET_NOT_NULL", "add-required-column": "ADD_NOT_NULL_NO_DEFAULT",
            "enum-value-removed": "ENUM_VALUES_REMOVED", "enum-value-renamed": "ENUM_VALUE_RENAMED",
            "unique-constraint": "UNIQUE_NONCONCURRENT", "update-without-where": "UPDATE_NO_WHERE",
            "delete-without-where": "DELETE_NO_WHERE", "truncate": "TRUNCATE",
            # claims the classification has no category for
            "non-concurrent-index": "INDEX_NONCONCURRENT", "constraint-not-valid": "CONSTRAINT_NOT_VALID"}


def squawk_cat(f):
    r = f["rule_name"]
    fixed = {"ban-drop-table": "DROP_TABLE", "ban-drop-column": "DROP_COLUMN", "changing-column-type": "TYPE_CHANGE",
             "renaming-table": "RENAME_TABLE", "renaming-column": "RENAME_COLUMN",
             "adding-not-nullable-field": "SET_NOT_NULL", "adding-required-field": "ADD_NOT_NULL_NO_DEFAULT",
             "disallowed-unique-constraint": "UNIQUE_NONCONCURRENT",
             "adding-serial-primary-key-field": "UNIQUE_NONCONCURRENT",
             "require-concurrent-index-deletion": "INDEX_NONCONCURRENT",
             "constraint-missing-not-valid": "CONSTRAINT_NOT_VALID",
             "adding-foreign-key-constraint": "CONSTRAINT_NOT_VALID"}
    if r == "require-concurrent-index-creation":
        unique = re.search(r"CREATE\s+UNIQUE\s+INDEX", statement_text(f), re.I)
        return "UNIQUE_NONCONCURRENT" if unique else "INDEX_NONCONCURRENT"
    return fixed.get(r)


def squawk_found(findings):
    out = []
    for f in findings:
        c = squawk_cat(f)
        if c:
            mig = f["file"][len(args.dir) + 1:-len("/migration.sql")]
            out.append((mig, f["line"] + 1, f["line_end"] + 1, c))
    # two squawk rules on one statement for one claim (constraint-missing-not-valid + adding-foreign-key-constraint)
    return sorted(set(out))


truth = []
for line in (corpus / "classification.csv").read_text().splitlines()[1:]:
    f = line.split(",", 4)
    truth.append((f[0], int(f[1]), int(f[2]), f[3]))
CATEGORIES = sorted({t[3] for t in truth}, key=lambda c: -sum(1 for t in truth if t[3] == c))


def score(found, category=None):
    rows = [t for t in truth if category is None or t[3] == category]
    mine = [f for f in found if (category is None and f[3] in CATEGORIES) or f[3] == category]
    used, hit = [False] * len(mine), 0
    for (mig, lo, hi, c) in rows:
        for i, (fm, fl, fh, fc) in enumerate(mine):
            if not used[i] and fm == mig and fc == c and fl <= hi and fh >= lo:
                used[i] = True; hit += 1; break
    return len(mine), hit, len(rows)


ours = [(m, l, h, GATE_CAT[r]) for (m, l, h, r) in gate_rows if r in GATE_CAT]
fair = squawk_found(sq_fair)
default = squawk_found(sq_default)
SQUAWK_HAS_RULE = {"DROP_TABLE", "DROP_COLUMN", "TYPE_CHANGE", "RENAME_TABLE", "RENAME_COLUMN", "SET_NOT_NULL",
                   "ADD_NOT_NULL_NO_DEFAULT", "UNIQUE_NONCONCURRENT"}


def pr(found, hit):
    return f"{hit / found:.3f}" if found else "—"


def stat(t, k):
    v = t.get(k, [])
    return f"{statistics.median(v):.0f} ms ({min(v)}–{max(v)})" if v else "n/a"


out = []
out.append(f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC} on {args.machine}; {args.java}; "
           f"{args.squawk} (npm `squawk-cli`). Corpus: langfuse, 434 migrations (`{args.dir}`), "
           f"{args.runs} interleaved runs each after a warm-up; median (min–max) wall time, process start included. "
           f"Command: `{'BASELINE_REF=' + args.baseline + ' ' if args.baseline else ''}bench/prisma-gate/run.sh {args.runs}`.")
out.append("")
out.append("#### Findings against the hand-checked classification, per category")
out.append("")
out.append(f"`classification.csv` has {len(truth)} rows. A finding matches a row of the same migration and category whose "
           "lines contain it, one to one. squawk runs as a Prisma user would run it, with `--assume-in-transaction` "
           "(Prisma runs each `migration.sql` in one transaction); its findings count in the category they claim: "
           "`require-concurrent-index-creation` is a unique-index claim only on a `CREATE UNIQUE INDEX` (on a plain "
           "index it is the same claim as the gate's own `non-concurrent-index`, a category the classification does "
           "not have). Found / matched per tool; \"no rule\" where the tool has none for the category.")
out.append("")
out.append("| category | rows | gate found | gate matched | squawk found | squawk matched |")
out.append("| --- | --- | --- | --- | --- | --- |")
for c in CATEGORIES:
    gf, gh, n = score(ours, c)
    sf, sh, _ = score(fair, c)
    has = c in SQUAWK_HAS_RULE
    out.append(f"| `{c}` | {n} | {gf} | {gh} | {sf if has else 'no rule'} | {sh if has else '—'} |")
gf, gh, n = score(ours)
sf, sh, _ = score(fair)
df, dh, _ = score(default)
OLD = {"ban-drop-table": "DROP_TABLE", "ban-drop-column": "DROP_COLUMN", "changing-column-type": "TYPE_CHANGE",
       "renaming-table": "RENAME_TABLE", "renaming-column": "RENAME_COLUMN",
       "adding-not-nullable-field": "SET_NOT_NULL", "adding-required-field": "ADD_NOT_NULL_NO_DEFAULT",
       "require-concurrent-index-creation": "UNIQUE_NONCONCURRENT",
       "disallowed-unique-constraint": "UNIQUE_NONCONCURRENT", "adding-serial-primary-key-field": "UNIQUE_NONCONCURRENT"}
old = [(f["file"][len(args.dir) + 1:-len("/migration.sql")], f["line"] + 1, f["line_end"] + 1, OLD[f["rule_name"]])
       for f in sq_default if f["rule_name"] in OLD]
of_, oh, _ = score(old)
out.append(f"| **all** | **{n}** | **{gf}** | **{gh}** | **{sf}** | **{sh}** |")
out.append("")
ruled = [t for t in truth if t[3] in SQUAWK_HAS_RULE]
sfr, shr = len([f for f in fair if f[3] in SQUAWK_HAS_RULE]), score([f for f in fair if f[3] in SQUAWK_HAS_RULE])[1]
gfr = len([f for f in ours if f[3] in SQUAWK_HAS_RULE])
ghr = score([f for f in ours if f[3] in SQUAWK_HAS_RULE])[1]
out.append("| tool | scope | findings | matched | precision | recall |")
out.append("| --- | --- | --- | --- | --- | --- |")
out.append(f"| gate | all {n} rows | {gf} | {gh} | {pr(gf, gh)} | {gh / n:.3f} |")
out.append(f"| squawk `--assume-in-transaction` | all {n} rows | {sf} | {sh} | {pr(sf, sh)} | {sh / n:.3f} |")
out.append(f"| squawk, default, scored as before (every `CREATE INDEX` finding a unique-index claim) | all {n} rows | {of_} | {oh} | {pr(of_, oh)} | {oh / n:.3f} |")
out.append(f"| squawk, default, scored as above | all {n} rows | {df} | {dh} | {pr(df, dh)} | {dh / n:.3f} |")
out.append(f"| gate | the {len(ruled)} rows of categories squawk has a rule for | {gfr} | {ghr} | {pr(gfr, ghr)} | {ghr / len(ruled):.3f} |")
out.append(f"| squawk `--assume-in-transaction` | the {len(ruled)} rows of categories squawk has a rule for | {sfr} | {shr} | {pr(sfr, shr)} | {shr / len(ruled):.3f} |")
out.append("")
no_rule = [t for t in truth if t[3] not in SQUAWK_HAS_RULE]
by = collections.Counter(t[3] for t in no_rule)
out.append(f"Where the gate's advantage lies: in the categories squawk has no rule for, {len(no_rule)} of the {n} rows "
           f"({', '.join(f'{k} {v}' for k, v in by.most_common())}). In the categories both tools cover, squawk with "
           f"`--assume-in-transaction` matches {shr} of {len(ruled)} rows at precision {pr(sfr, shr)}, the gate "
           f"{ghr} at {pr(gfr, ghr)}.")
out.append("")

# claims outside the classification: agreement by statement
def claims(found, c):
    return {(m, l, h) for (m, l, h, cc) in found if cc == c}


for c, what in (("INDEX_NONCONCURRENT", "index built or dropped without CONCURRENTLY (not unique)"),
                ("CONSTRAINT_NOT_VALID", "foreign key or CHECK added without NOT VALID")):
    g, s = claims(ours, c), claims(fair, c)
    both = sum(1 for (m, l, h) in g if any(sm == m and sl <= l <= sh for (sm, sl, sh) in s))
    out.append(f"- Claims the classification has no category for, {what}: gate {len(g)} statements, squawk "
               f"`--assume-in-transaction` {len(s)}, both {both}.")
probe_out = work / "out-probe.txt"
if probe_out.exists() and (work / "squawk-probe.json").exists():
    pplan = json.loads(outputs(probe_out)["plan"])
    prules = [f"{f['rule']}@{f['line']}" for m in pplan["migrations"] for f in m["findings"]]
    psq = [f"{f['rule_name']}@{f['line'] + 1}" for f in json.loads((work / "squawk-probe.json").read_text())]
    out.append(f"- Statements inside a `DO` block (none in this corpus; a six-line probe with `UPDATE` without WHERE "
               f"at line 1, and inside a DO block `UPDATE` / `DELETE` without WHERE and `DROP COLUMN` at lines 3–5): "
               f"gate {', '.join(prules) or 'nothing'}; squawk {', '.join(psq) or 'nothing'}.")
out.append("")

out.append("#### Wall time")
out.append("")
out.append("| tool | what runs | wall time |")
out.append("| --- | --- | --- |")
out.append(f"| squawk | `squawk --assume-in-transaction --reporter json <434 files>` (default rules) | {stat(times, 'squawk')} |")
out.append(f"| gate | `java -cp … dev.gantry.prismagate.Main` (check, lint only, annotations + summary + plan) | {stat(times, 'gate')} |")
out.append(f"| gate, image flags | same, with the image's `jvm.args`: `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData` | {stat(times, 'gate-fast')} |")
if times.get("gate-aot"):
    out.append(f"| gate, image flags + AOT cache trained on the corpus | same, plus `-XX:AOTCache` (JDK 25) from a training run on these 434 migrations | {stat(times, 'gate-aot')} |")
if times.get("gate-aot-image"):
    out.append(f"| gate as the image runs it | the image's jlink'ed runtime (the modules jdeps finds, as `common/image/runtime.sh` makes it), its `jvm.args`, and the AOT cache from the Dockerfile's training run (`aot-training/`: three migrations); no container around it | {stat(times, 'gate-aot-image')} |")
out.append(f"| gate, empty folder, image flags | no migrations: the fixed cost of JVM start and the action runtime | {stat(times, 'gate-empty')} |")
if times.get("gate-empty-aot"):
    out.append(f"| gate, empty folder, image flags + AOT cache | the same with the AOT cache | {stat(times, 'gate-empty-aot')} |")
out.append("")
sq = statistics.median(times["squawk"]) if times.get("squawk") else None
for key, what in (("gate-aot", "AOT cache trained on the corpus"), ("gate-aot-image", "image's runtime and AOT cache (as the image runs it)")):
    if sq and times.get(key):
        g = statistics.median(times[key])
        out.append(f"- Gate with the {what}: {g:.0f} ms, {100 * g / sq:.0f} % of squawk's {sq:.0f} ms "
                   f"({'within' if g <= sq else 'above'} the target: not above squawk's wall time).")
out.append("")

if dbtimes:
    seeded = (work / "seeded.txt").read_text().strip() if (work / "seeded.txt").exists() else "?"
    errors = (work / "data-errors.txt").read_text().strip() if (work / "data-errors.txt").exists() else "?"
    out.append("#### The check against a database")
    out.append("")
    out.append(f"{args.pg}, on loopback: the first 217 migrations applied by the gate, then every table seeded "
               f"({seeded}; `bench/prisma-gate/seed.sql`); the check runs over all 434, so 217 are pending and the data "
               f"check queries the seeded tables they touch ({errors} data findings). Image flags, no AOT cache; "
               f"{args.runs} interleaved runs.")
    out.append("")
    out.append("| run | wall time |")
    out.append("| --- | --- |")
    out.append(f"| lint only (no database) | {stat(dbtimes, 'db-lint-only')} |")
    out.append(f"| with the database, `data-check: false` | {stat(dbtimes, 'db-no-data-check')} |")
    out.append(f"| with the database and the data check | {stat(dbtimes, 'db-data-check')} |")
    if dbtimes.get("db-baseline"):
        out.append(f"| with the database, the gate at `{args.baseline}` (before the data check: today's check) | {stat(dbtimes, 'db-baseline')} |")
    out.append("")
    if dbtimes.get("db-baseline"):
        new, base = statistics.median(dbtimes["db-data-check"]), statistics.median(dbtimes["db-baseline"])
        out.append(f"- The check with the data check takes {new / base:.2f}× the check at `{args.baseline}` "
                   f"({new:.0f} ms vs {base:.0f} ms; target: within 2×).")
        out.append("")

out.append("#### Findings per rule")
out.append("")
out.append("| gate rule | gate | squawk rule(s) | squawk `--assume-in-transaction` | squawk default |")
out.append("| --- | --- | --- | --- | --- |")
pairs = [
    ("drop-table", ["ban-drop-table"]), ("drop-column", ["ban-drop-column"]),
    ("drop-schema", []), ("drop-database", ["ban-drop-database"]),
    ("rename-table", ["renaming-table"]), ("rename-column", ["renaming-column"]), ("rename-type", []),
    ("enum-value-removed", []), ("enum-value-renamed", []), ("truncate", ["ban-truncate-cascade"]),
    ("delete-without-where", []), ("update-without-where", []),
    ("column-type-change", ["changing-column-type"]), ("set-not-null", ["adding-not-nullable-field"]),
    ("add-required-column", ["adding-required-field"]),
    ("non-concurrent-index", ["require-concurrent-index-creation", "require-concurrent-index-deletion"]),
    ("unique-constraint", ["disallowed-unique-constraint", "adding-serial-primary-key-field"]),
    ("constraint-not-valid", ["constraint-missing-not-valid", "adding-foreign-key-constraint"]),
    ("non-transactional-statement", ["ban-concurrent-index-creation-in-transaction"]),
    ("invalid-encoding", []),
]
paired = {r for _, rs in pairs for r in rs}
for rule, srs in pairs:
    out.append(f"| `{rule}` | {gate.get(rule, 0)} | {', '.join('`' + s + '`' for s in srs) or '—'} | "
               f"{' + '.join(str(squawk.get(s, 0)) for s in srs) or '—'} | "
               f"{' + '.join(str(squawk_default_counts.get(s, 0)) for s in srs) or '—'} |")
others = set(squawk) | set(squawk_default_counts)
for s in sorted(others - paired, key=lambda x: -squawk_default_counts.get(x, 0)):
    out.append(f"| — | — | `{s}` | {squawk.get(s, 0)} | {squawk_default_counts.get(s, 0)} |")
out.append(f"| **total** | **{sum(gate.values())}** | | **{sum(squawk.values())}** | **{sum(squawk_default_counts.values())}** |")
table = "\n".join(out) + "\n"

readme = Path(args.readme)
text = readme.read_text() if readme.exists() else "# Benchmarks\n"
begin, end = "<!-- BEGIN prisma-gate -->", "<!-- END prisma-gate -->"
section = f"{begin}\n### prisma-migrate-gate vs squawk on the Prisma corpus (`bench/prisma-gate/run.sh`)\n\n{table}{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
readme.write_text(text)
print(table)
