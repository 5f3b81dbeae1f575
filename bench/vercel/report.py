#!/usr/bin/env python3
"""Turns bench/work/vercel results into the table in bench/README.md (between the vercel markers)."""
import datetime
import os
import platform
import re
import subprocess
import sys

work, n, mb, cli_version = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
rows = [l.split() for l in open(os.path.join(work, "results.txt")) if l.strip()]
hash_kv = dict(l.strip().split("=", 1) for l in open(os.path.join(work, "hash.txt")) if "=" in l)
fixture = open(os.path.join(work, "fixture.txt")).read().strip() if os.path.exists(os.path.join(work, "fixture.txt")) else ""


def timings(mode):
    p = os.path.join(work, f"ours-{mode}.log")
    m = re.search(r"\| Timings \| ([^|]+) \|", open(p).read()) if os.path.exists(p) else None  # noqa
    return m.group(1).strip() if m else ""


def cpu():
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                return l.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stderr.splitlines()[0] if cmd[0].endswith("java") \
            else subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return "?"


wall = {(r[0], r[1]): float(r[3]) for r in rows}
lines = []
lines.append(f"Run {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {os.cpu_count()} cores "
             f"({cpu()}), {version([os.path.join(os.environ.get('JAVA_HOME', ''), 'bin', 'java'), '-version'])}, "
             f"node {version(['node', '--version'])}, Vercel CLI {cli_version}, load average at the end "
             f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (this benchmark's own load included). Timings vary by "
             f"a few tens of percent between runs on a busy machine; request and byte counts are exact.")
lines.append("")
lines.append(f"Tree: {fixture or n + ' files, ' + mb + ' MB'} (`bench/vercel/gen_fixture.py`). Simulator: "
             f"`VercelSimulator` at real speed, a fresh instance per run, 0.2 s queue + 1 s build + 0.5 s alias. "
             f"Wall = the whole process, start to exit (JVM or Node start included), files to READY.")
lines.append("")
lines.append("| client | upload mode | exit | wall (s) | requests | create calls | files uploaded | bytes uploaded | distinct blobs stored |")
lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    who = "gantry vercel-deploy" if r[0] == "ours" else "vercel CLI"
    base, _, variant = r[1].partition("@")
    mode = "per file" if base == "none" else "tgz" if base == "tgz" else "per file, " + base.split("/")[1] + " at a time"
    if variant == "image":
        mode += ", as the image runs it"
    lines.append(f"| {who} | {mode} | {r[2]} | {float(r[3]):.2f} | {r[4]} | {r[7]} | {r[5]} | {int(r[6]) / 1024 / 1024:.1f} MiB | {r[8]} |")
lines.append("")
for mode in ("none", "tgz"):
    for variant, what in (("", ""), ("@image", ", as the image runs it")):
        if ("ours", mode + variant) in wall and ("cli", mode) in wall:
            lines.append(f"- {'per file' if mode == 'none' else 'tgz'}{what}: our wall time is "
                         f"{wall[('ours', mode + variant)] / wall[('cli', mode)] * 100:.0f} % of the CLI's "
                         f"(target ≤ 50 %). Our own timings: {timings((mode + variant).replace('/', '-'))}.")
lines.append("- \"As the image runs it\": the image's JVM options (C1 only, serial GC) and an AOT cache trained the way "
             "its Dockerfile trains it (a one-page site against a loopback server that answers 404); the other gantry "
             "rows run a plain `java -cp`. Wall times include JVM or Node start.")
lines.append("- tgz: our archive is one gzip stream deflated on every core (pigz-style blocks, each with the previous "
             "32 KiB as its dictionary); a block whose sample does not shrink at level 1 is stored instead (this tree is "
             "random bytes, like the images and fonts that make up most of a real site's bytes). The CLI deflates on "
             "Node's zlib thread pool. Both runs also wait for the simulator to unpack the 100 MB archive inside the "
             "second create call, and for the same simulated build.")
lines.append(f"- SHA-1 (our `FileHasher`, files in the page cache, best of 3): "
             f"{hash_kv.get('hash_threads_1_mib_s', '?')} MiB/s on 1 thread, "
             f"{hash_kv.get(f'hash_threads_{os.cpu_count()}_mib_s', '?')} MiB/s on {os.cpu_count()} threads "
             f"(target ≥ 500 MB/s on one core).")
lines.append("- `files uploaded` = `distinct blobs stored` means every duplicate content went up once.")
probe = os.path.join(work, "probe.txt")
if os.path.exists(probe):
    p = [l.strip() for l in open(probe) if l.strip()]
    lines.append("- Caveat: the simulator runs on the JDK's built-in HTTP server, which slows down with many concurrent "
                 "connections. Probe from Node against a fresh simulator (`upload_probe.mjs`): " + "; ".join(p) + ". "
                 "The CLI uploads 50 at a time (ours: 16), so part of its per-file time is the simulator's; the row "
                 "with our client at 50 at a time shows the same effect on us. The tgz rows (2 uploads) are not affected.")
lines.append("")
lines.append("Reproduce: `.ci/setup-vercel-cli && bench/vercel/run.sh` (arguments: files, total MB).")
table = "\n".join(lines)

readme = os.path.join(root, "bench", "README.md")
text = open(readme).read() if os.path.exists(readme) else "# Benchmarks\n\nEach section is written by its script in `bench/<topic>/`.\n"
begin, end = "<!-- BEGIN vercel -->", "<!-- END vercel -->"
section = f"{begin}\n## vercel-deploy vs the Vercel CLI\n\n{table}\n{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(readme, "w").write(text)
print(table)
