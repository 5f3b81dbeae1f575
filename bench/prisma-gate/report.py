"""Turns bench/prisma-gate/run.sh's measurements into the table in bench/README.md."""
import argparse
import collections
import datetime
import json
import re
import statistics
from pathlib import Path

p = argparse.ArgumentParser()
for a in ("work", "corpus", "dir", "readme", "machine", "java", "squawk", "runs"):
    p.add_argument("--" + a, required=True)
args = p.parse_args()
work, corpus = Path(args.work), Path(args.corpus)

times = collections.defaultdict(list)
for line in (work / "times.tsv").read_text().splitlines():
    k, v = line.split("\t")
    times[k].append(int(v))

# findings per rule
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
squawk_json = json.loads((work / "squawk.json").read_text())
squawk = collections.Counter(f["rule_name"] for f in squawk_json)

pairs = [  # gate rule, nearest squawk rules
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

# precision / recall against classification.csv
cat = {"drop-table": "DROP_TABLE", "drop-column": "DROP_COLUMN", "column-type-change": "TYPE_CHANGE",
       "rename-table": "RENAME_TABLE", "rename-column": "RENAME_COLUMN", "rename-type": "RENAME_TYPE",
       "set-not-null": "SET_NOT_NULL", "add-required-column": "ADD_NOT_NULL_NO_DEFAULT",
       "enum-value-removed": "ENUM_VALUES_REMOVED", "enum-value-renamed": "ENUM_VALUE_RENAMED",
       "unique-constraint": "UNIQUE_NONCONCURRENT", "update-without-where": "UPDATE_NO_WHERE",
       "delete-without-where": "DELETE_NO_WHERE", "truncate": "TRUNCATE"}
sq_cat = {"ban-drop-table": "DROP_TABLE", "ban-drop-column": "DROP_COLUMN", "changing-column-type": "TYPE_CHANGE",
          "renaming-table": "RENAME_TABLE", "renaming-column": "RENAME_COLUMN",
          "adding-not-nullable-field": "SET_NOT_NULL", "adding-required-field": "ADD_NOT_NULL_NO_DEFAULT",
          "require-concurrent-index-creation": "UNIQUE_NONCONCURRENT",
          "disallowed-unique-constraint": "UNIQUE_NONCONCURRENT",
          "adding-serial-primary-key-field": "UNIQUE_NONCONCURRENT"}
truth = []
for line in (corpus / "classification.csv").read_text().splitlines()[1:]:
    f = line.split(",", 4)
    truth.append((f[0], int(f[1]), int(f[2]), f[3]))

def score(found):
    used, hit = [False] * len(found), 0
    for (mig, lo, hi, c) in truth:
        for i, (fm, fl, fh, fc) in enumerate(found):
            if not used[i] and fm == mig and fc == c and fl <= hi and fh >= lo:
                used[i] = True; hit += 1; break
    return len(found), hit, hit / max(1, len(found)), hit / len(truth)

ours = [(m, l, h, cat[r]) for (m, l, h, r) in gate_rows if r in cat]
theirs = []
for f in squawk_json:
    if f["rule_name"] in sq_cat:
        mig = f["file"][len(args.dir) + 1:-len("/migration.sql")]
        theirs.append((mig, f["line"] + 1, f["line_end"] + 1, sq_cat[f["rule_name"]]))
g_found, g_hit, g_p, g_r = score(ours)
s_found, s_hit, s_p, s_r = score(theirs)

def stat(k):
    v = times.get(k, [])
    return f"{statistics.median(v):.0f} ms ({min(v)}–{max(v)})" if v else "n/a"

out = []
out.append(f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC} on {args.machine}; {args.java}; "
           f"{args.squawk} (npm `squawk-cli`). Corpus: langfuse, 434 migrations (`{args.dir}`), "
           f"{args.runs} interleaved runs each after a warm-up; median (min–max) wall time, process start included. "
           f"Command: `bench/prisma-gate/run.sh {args.runs}`.")
out.append("")
out.append("| tool | what runs | wall time |")
out.append("| --- | --- | --- |")
out.append(f"| squawk | `squawk --reporter json <434 files>` (default rules) | {stat('squawk')} |")
out.append(f"| gate | `java -cp … dev.gantry.prismagate.Main` (check, lint only, annotations + summary + plan) | {stat('gate')} |")
out.append(f"| gate, image flags | same, with the image's `jvm.args`: `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData` | {stat('gate-fast')} |")
if times.get("gate-aot"):
    out.append(f"| gate, image flags + AOT cache trained on the corpus | same, plus `-XX:AOTCache` (JDK 25) from a training run on these 434 migrations | {stat('gate-aot')} |")
if times.get("gate-aot-image"):
    out.append(f"| gate as the image runs it | the image's jlink'ed runtime (the modules jdeps finds, as `common/image/runtime.sh` makes it), its `jvm.args`, and the AOT cache from the Dockerfile's training run (`aot-training/`: three migrations); no container around it | {stat('gate-aot-image')} |")
out.append(f"| gate, empty folder, image flags | no migrations: the fixed cost of JVM start and the action runtime | {stat('gate-empty')} |")
if times.get("gate-empty-aot"):
    out.append(f"| gate, empty folder, image flags + AOT cache | the same with the AOT cache | {stat('gate-empty-aot')} |")
out.append("")
sq = statistics.median(times["squawk"]) if times.get("squawk") else None
for key, what in (("gate-aot", "AOT cache trained on the corpus"), ("gate-aot-image", "image's runtime and AOT cache (as the image runs it)")):
    if sq and times.get(key):
        g = statistics.median(times[key])
        out.append(f"- Gate with the {what}: {g:.0f} ms, {100 * g / sq:.0f} % of squawk's {sq:.0f} ms "
                   f"({'within' if g <= sq else 'above'} the target: not above squawk's wall time).")
out.append("")
out.append(f"Against the hand-checked `classification.csv` ({len(truth)} rows; a finding matches a row of the same "
           "migration and category whose lines contain it, one to one):")
out.append("")
out.append("| tool | findings in the classified categories | matched | precision | recall |")
out.append("| --- | --- | --- | --- | --- |")
out.append(f"| gate | {g_found} | {g_hit} | {g_p:.3f} | {g_r:.3f} |")
out.append(f"| squawk | {s_found} | {s_hit} | {s_p:.3f} | {s_r:.3f} |")
out.append("")
out.append("Findings per rule (nearest squawk equivalents side by side):")
out.append("")
out.append("| gate rule | gate | squawk rule(s) | squawk |")
out.append("| --- | --- | --- | --- |")
for rule, srs in pairs:
    out.append(f"| `{rule}` | {gate.get(rule, 0)} | {', '.join('`' + s + '`' for s in srs) or '—'} | "
               f"{' + '.join(str(squawk.get(s, 0)) for s in srs) or '—'} |")
for s, n in sorted(squawk.items(), key=lambda x: -x[1]):
    if s not in paired:
        out.append(f"| — | — | `{s}` | {n} |")
out.append(f"| **total** | **{sum(gate.values())}** | | **{sum(squawk.values())}** |")
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
