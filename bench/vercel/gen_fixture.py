#!/usr/bin/env python3
"""Writes the benchmark tree: N files (default 5000), about TOTAL_MB (default 100) MB, 10 % of the files are
byte-for-byte copies of other files in the tree. Deterministic (seeded). Usage: gen_fixture.py DIR [N] [TOTAL_MB]"""
import os
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
total_mb = float(sys.argv[3]) if len(sys.argv) > 3 else 100
rnd = random.Random(20261123)
dup_count = n // 10
unique = n - dup_count
mean = total_mb * 1024 * 1024 / n
# sizes: mostly small, a long tail (lognormal), scaled to the target total
raw = [rnd.lognormvariate(0, 1.1) for _ in range(unique)]
scale = (total_mb * 1024 * 1024 * unique / n) / sum(raw)
sizes = [max(16, int(r * scale)) for r in raw]
exts = [".js", ".css", ".html", ".png", ".woff2", ".json", ".svg", ".map"]
paths = []
for i in range(unique):
    d = os.path.join(out, "public", f"d{i % 50:02d}")
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, f"f{i:05d}{exts[i % len(exts)]}")
    with open(p, "wb") as f:
        f.write(rnd.randbytes(sizes[i]))
    paths.append(p)
for j in range(dup_count):
    src = paths[rnd.randrange(unique)]
    d = os.path.join(out, "copies", f"c{j % 20:02d}")
    os.makedirs(d, exist_ok=True)
    with open(src, "rb") as f:
        data = f.read()
    with open(os.path.join(d, f"copy{j:05d}" + os.path.splitext(src)[1]), "wb") as f:
        f.write(data)
with open(os.path.join(out, "index.html"), "w") as f:
    f.write("<!doctype html><title>bench</title>\n")
total = sum(os.path.getsize(os.path.join(r, x)) for r, _, fs in os.walk(out) for x in fs)
print(f"{n + 1} files, {total / 1024 / 1024:.1f} MiB, {dup_count} duplicates")
