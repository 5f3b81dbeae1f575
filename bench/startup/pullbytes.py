#!/usr/bin/env python3
"""What a runner downloads for a workflow's Gantry actions: the unique compressed layers across their images.

A runner pulls every action image of a job in "Set up job"; a layer whose digest it already has (from another
image of the same job) is not downloaded again. So the bytes are the sum of the compressed sizes of the distinct
layer digests across the images the workflow uses, plus each image's manifest and config (a few kB). Read from a
registry's manifests (the same layers, compressed the same way, as GHCR serves them after `docker push`).

Usage: pullbytes.py --registry 127.0.0.1:5000 --set before=bench-x/before --set after=bench-x/after \
                    --tag bench --workflow .github/workflows/example-backend.yml --out pull.json
Each --set NAME=PREFIX names images PREFIX/<action>:TAG.
"""
import argparse
import json
import re
import urllib.request

ACCEPT = ", ".join(["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"])


def manifest(registry, name, tag):
    req = urllib.request.Request(f"http://{registry}/v2/{name}/manifests/{tag}", headers={"Accept": ACCEPT})
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
        return json.loads(body), len(body)


def actions_of(workflow):
    with open(workflow) as f:
        text = f.read()
    return sorted(set(re.findall(r"gantry-actions/gantry/actions/([a-z][a-z0-9-]*)@", text)))


def measure(registry, prefix, tag, actions):
    images = {}
    layers = {}
    for a in actions:
        m, size = manifest(registry, f"{prefix}/{a}", tag)
        own = [(l["digest"], l["size"]) for l in m["layers"]]
        images[a] = {"layers": len(own), "compressed": sum(s for _, s in own),
                     "manifest_and_config": size + m["config"]["size"]}
        for d, s in own:
            layers.setdefault(d, {"size": s, "images": []})["images"].append(a)
    unique = sum(l["size"] for l in layers.values()) + sum(i["manifest_and_config"] for i in images.values())
    shared = {d: l for d, l in layers.items() if len(l["images"]) > 1}
    return {"images": images, "unique_bytes": unique, "distinct_layers": len(layers),
            "shared_layers": len(shared), "shared_bytes": sum(l["size"] for l in shared.values()),
            "sum_of_images": sum(i["compressed"] + i["manifest_and_config"] for i in images.values())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", required=True)
    ap.add_argument("--set", action="append", required=True, help="NAME=PREFIX")
    ap.add_argument("--tag", required=True)
    ap.add_argument("--workflow", required=True)
    ap.add_argument("--all-actions", required=True, help="comma-separated: every action, for the all-five row")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    used = actions_of(a.workflow)
    everything = a.all_actions.split(",")
    result = {"workflow": a.workflow, "workflow_actions": used, "sets": {}}
    for s in a.set:
        name, prefix = s.split("=", 1)
        result["sets"][name] = {"workflow": measure(a.registry, prefix, a.tag, used),
                                "all": measure(a.registry, prefix, a.tag, everything)}
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    for name, r in result["sets"].items():
        print(f"{name}: {r['workflow']['unique_bytes'] / 1e6:.1f} MB for {', '.join(used)}; "
              f"{r['all']['unique_bytes'] / 1e6:.1f} MB for all five")


if __name__ == "__main__":
    main()
