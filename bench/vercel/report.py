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


def timings(mode, delay):
    p = os.path.join(work, f"ours-{mode}-{delay}.log")
    text = open(p).read() if os.path.exists(p) else ""
    m = re.search(r"\| Timings \| ([^|]+) \|", text)
    u = re.search(r"\| Uploaded \| ([^|]+) \|", text)
    return (m.group(1).strip() if m else "") + ("; uploaded " + u.group(1).strip() if u else "")


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


# rows: who mode delay exit wall requests uploads bytes creates blobs
wall = {(r[0], r[1], r[2]): float(r[4]) for r in rows}
tgz = dict(l.strip().split("=", 1) for l in open(os.path.join(work, "tgz.txt")) if "=" in l) \
    if os.path.exists(os.path.join(work, "tgz.txt")) else {}
lines = []
lines.append(f"Run {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {os.cpu_count()} cores "
             f"({cpu()}), {version([os.path.join(os.environ.get('JAVA_HOME', ''), 'bin', 'java'), '-version'])}, "
             f"node {version(['node', '--version'])}, Vercel CLI {cli_version}, load average at the end "
             f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (this benchmark's own load included). Timings vary by "
             f"a few tens of percent between runs on a busy machine; request and byte counts are exact.")
lines.append("")
lines.append(f"Tree: {fixture or n + ' files, ' + mb + ' MB'} (`bench/vercel/gen_fixture.py`). Simulator: "
             f"`VercelSimulator` at real speed, a fresh instance per run, 0.2 s queue + 1 s build + 0.5 s alias, every "
             f"answer delayed by the given time (`answerDelay`: a network's round trip; about 40 ms from a runner to "
             f"Vercel). Wall = the whole process, start to exit (JVM or Node start included), files to READY.")
lines.append("")
lines.append("| client | upload mode | delay per answer | exit | wall (s) | ratio to the CLI | requests | create calls | files uploaded | bytes uploaded | distinct blobs stored |")
lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    who = "gantry vercel-deploy" if r[0] == "ours" else "vercel CLI"
    base, _, variant = r[1].partition("@")
    mode = ("per file" if base == "none" else "tgz" if base == "tgz" else "per file, " + base.split("/")[1] + " at a time")
    if r[0] == "ours" and base in ("none", "tgz"):
        mode += ", upload-concurrency auto" if base == "none" else ""
    if variant == "image":
        mode += ", as the image runs it"
    cli = wall.get(("cli", base.split("/")[0], r[2]))
    ratio = f"{float(r[4]) / cli:.2f}x" if r[0] == "ours" and cli else ""
    lines.append(f"| {who} | {mode} | {r[2]} ms | {r[3]} | {float(r[4]):.2f} | {ratio} | {r[5]} | {r[8]} | {r[6]} | "
                 f"{int(r[7]) / 1024 / 1024:.1f} MiB | {r[9]} |")
lines.append("")
for delay in ("0", "20", "50"):
    if ("ours", "none", delay) in wall and ("cli", "none", delay) in wall:
        o, c = wall[("ours", "none", delay)], wall[("cli", "none", delay)]
        lines.append(f"- per file, {delay} ms per answer: our wall time is {o / c:.2f}x the CLI's ({o:.1f} s vs {c:.1f} s; "
                     f"target <= 0.5x). Our own timings: {timings('none', delay)}.")
if ("ours", "none/16", "50") in wall and ("cli", "none", "50") in wall:
    lines.append(f"- The same at 50 ms with the old default, 16 uploads at a time: "
                 f"{wall[('ours', 'none/16', '50')]:.1f} s, {wall[('ours', 'none/16', '50')] / wall[('cli', 'none', '50')]:.2f}x "
                 f"the CLI's; what `upload-concurrency: auto` changed.")
if ("ours", "tgz", "0") in wall and ("cli", "tgz", "0") in wall:
    lines.append(f"- tgz: {wall[('ours', 'tgz', '0')] / wall[('cli', 'tgz', '0')]:.2f}x the CLI's. Our own timings: "
                 f"{timings('tgz', '0')}.")
if tgz:
    lines.append(f"- ParallelGzip (`bench/vercel/TgzBench.java`, the archive step alone, best of 3): commons-compress's tar "
                 f"into ParallelGzip at level 1 on {os.cpu_count()} cores takes {tgz['tgz_parallel_s']} s "
                 f"({tgz['tgz_parallel_mib']} MiB); the same tar into one `GZIPOutputStream` at level 1 takes "
                 f"{tgz['tgz_plain_s']} s ({tgz['tgz_plain_mib']} MiB). ParallelGzip also stores blocks that do not "
                 f"shrink (this tree is random bytes, like the images and fonts of a real site).")
lines.append(f"- SHA-1 (our `FileHasher`, files in the page cache, best of 3): "
             f"{hash_kv.get('hash_threads_1_mib_s', '?')} MiB/s on 1 thread, "
             f"{hash_kv.get(f'hash_threads_{os.cpu_count()}_mib_s', '?')} MiB/s on {os.cpu_count()} threads "
             f"(target >= 500 MB/s on one core).")
lines.append("- `files uploaded` = `distinct blobs stored` means every duplicate content went up once.")
probe = os.path.join(work, "probe.txt")
if os.path.exists(probe):
    p = [l.strip() for l in open(probe) if l.strip()]
    lines.append("- What the simulator itself serves, probed from Node against a fresh instance (`upload_probe.mjs`, "
                 "20 KB uploads): " + "; ".join(p) + ". It answers uploads in parallel (outside its state lock) and "
                 "waits out each answer's delay on the request's own virtual thread, so with an idle core it is not the "
                 "limit (1280 uploads 128 at a time at 50 ms cannot take less than 0.5 s); on a machine whose cores are "
                 "taken by other work it is slowed as much as the clients are, for both clients alike.")
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
