#!/usr/bin/env python3
"""Cold start of each action image: from `docker run` to the first request a loopback server receives.
With --pull, also writes the table of the bytes a runner pulls (pullbytes.py's result) into the same section.

Each action runs with the runner's `docker run` shape (--workdir /github/workspace, the file_commands, home,
workflow, workspace and runner_temp mounts, one `-e NAME` per variable with the value in the CLI's environment,
--network host) and inputs that point its API base URL (or database URL, or GitHub API URL) at a TCP server on
127.0.0.1. The clock starts just before `docker run` is spawned and stops when that server accepts its first
connection; then the container is removed. Configurations run round-robin (one run of each per round) so load
from other processes hits them alike. Two configurations per action: the image as published (AOT cache) and
the same image with the cache left out (--entrypoint java without -XX:AOTCache).

Usage: startup.py --rounds 11 --warmup 1 --out result.json  (run through bench/startup/run.sh)
"""
import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid

try:
    import yaml
except ImportError:  # pragma: no cover
    raise SystemExit("startup.py needs PyYAML (apt-get install python3-yaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = {"do-deploy": "dodeploy", "vercel-deploy": "verceldeploy", "prisma-migrate-gate": "prismagate",
            "smoke-test": "smoketest", "rollback": "rollback"}
FAKE_TOKEN = "bench_token_0123456789abcdef"


def scenario_inputs(action, port):
    """Inputs that make the action's first network call go to the loopback server (only declared ones are set)."""
    http = f"http://127.0.0.1:{port}"
    return {
        "do-deploy": {"token": FAKE_TOKEN, "api-url": http, "app-spec": ".do/app.yaml"},
        "vercel-deploy": {"vercel-token": FAKE_TOKEN, "api-url": http, "vercel-org-id": "team_bench",
                          "vercel-project-id": "prj_bench", "working-directory": "site"},
        "smoke-test": {"url": http + "/"},
        "rollback": {"provider": "digitalocean", "token": FAKE_TOKEN, "api-url": http, "app-id": "bench-app"},
        "prisma-migrate-gate": {"database-url": f"postgresql://bench:bench@127.0.0.1:{port}/bench", "mode": "check"},
    }[action]


WORKSPACE_FILES = {
    "do-deploy": {".do/app.yaml": "name: bench\nregion: fra\nservices:\n  - name: web\n    http_port: 8080\n"
                                  "    image:\n      registry_type: DOCKER_HUB\n      repository: library/nginx\n"
                                  "      tag: stable\n"},
    "vercel-deploy": {"site/index.html": "<!doctype html><title>bench</title><p>hello\n"},
    "prisma-migrate-gate": {
        "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
        "prisma/migrations/20250101000000_init/migration.sql":
            'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n'},
}


def prepare_workspace(action, workspace):
    for rel, content in WORKSPACE_FILES.get(action, {}).items():
        p = os.path.join(workspace, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(content)


class FirstConnection:
    """A TCP server on 127.0.0.1 that notes when each run's first connection arrives and answers 404 JSON."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.first = None
        self.event = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def reset(self):
        with self.lock:
            self.first = None
            self.event.clear()

    def _serve(self):
        while True:
            conn, _ = self.sock.accept()
            now = time.monotonic()
            with self.lock:
                if self.first is None:
                    self.first = now
                    self.event.set()
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _answer(conn):
        try:
            conn.settimeout(2)
            try:
                conn.recv(65536)
            except OSError:
                pass
            body = b'{"id":"not_found","message":"startup benchmark"}'
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        except OSError:
            pass
        finally:
            conn.close()


BASELINE_ROOT = os.path.join(ROOT, "bench", "work", "baseline")


def action_inputs(action, root=ROOT):
    """action.yml's inputs and image; root: the tree whose action.yml the image was built with (the baseline's for
    the "before" images, whose inputs differ)."""
    with open(os.path.join(root, "actions", action, "action.yml")) as f:
        meta = yaml.safe_load(f)
    return meta.get("inputs") or {}, meta["runs"]["image"].removeprefix("docker://")


def runner_environment(action, port, run_dir, root=ROOT):
    """What the runner would pass, as host values, plus the host→container mounts."""
    dirs = {n: os.path.join(run_dir, n) for n in ("file_commands", "home", "workflow", "workspace", "runner_temp")}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(dirs["workflow"], "event.json"), "w") as f:
        f.write("{}")
    prepare_workspace(action, dirs["workspace"])
    env = {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_REPOSITORY_OWNER": "acme",
           "GITHUB_SHA": "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e", "GITHUB_REF": "refs/heads/main",
           "GITHUB_REF_NAME": "main", "GITHUB_EVENT_NAME": "push", "GITHUB_RUN_ID": "1", "GITHUB_RUN_NUMBER": "1",
           "GITHUB_RUN_ATTEMPT": "1", "GITHUB_ACTOR": "octocat", "GITHUB_WORKFLOW": "bench", "GITHUB_JOB": "bench",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_API_URL": f"http://127.0.0.1:{port}",
           "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "HOME": dirs["home"],
           "GITHUB_WORKSPACE": dirs["workspace"], "RUNNER_TEMP": dirs["runner_temp"],
           "GITHUB_EVENT_PATH": os.path.join(dirs["workflow"], "event.json")}
    guid = uuid.uuid4()
    for var, prefix in (("GITHUB_OUTPUT", "set_output_"), ("GITHUB_ENV", "set_env_"), ("GITHUB_PATH", "add_path_"),
                        ("GITHUB_STATE", "save_state_"), ("GITHUB_STEP_SUMMARY", "step_summary_")):
        p = os.path.join(dirs["file_commands"], f"{prefix}{guid}")
        open(p, "w").close()
        env[var] = p
    declared, _ = action_inputs(action, root)
    given = scenario_inputs(action, port)
    for name, spec in declared.items():
        spec = spec or {}
        value = given.get(name, spec.get("default", ""))
        value = "" if value is None else str(value)
        if "${{" in value:
            value = FAKE_TOKEN if "github.token" in value else ""
        env["INPUT_" + name.replace(" ", "_").upper()] = value
    mounts = [(dirs["runner_temp"], "/github/runner_temp"), (dirs["home"], "/github/home"),
              (dirs["workflow"], "/github/workflow"), (dirs["file_commands"], "/github/file_commands"),
              (dirs["workspace"], "/github/workspace")]
    return env, mounts


def translate(value, mounts):
    for host, container in sorted(mounts, key=lambda m: -len(m[0])):
        if value == host:
            return container
        if value.startswith(host + "/"):
            return container + value[len(host):]
    return value


def one_run(action, image, aot, server, timeout):
    """aot: True (the image as published), False (without the cache), "noop" (the same docker run, but the
    entrypoint is the dynamic loader printing its version: what starting the container alone costs) or "before"
    (the image before the shared runtime, run as published: its own entrypoint)."""
    run_dir = tempfile.mkdtemp(prefix=f"gantry-bench-{action}-")
    try:
        env, mounts = runner_environment(action, server.port, run_dir, BASELINE_ROOT if aot == "before" else ROOT)
        name = f"gantry_bench_{action}_{uuid.uuid4().hex[:6]}"
        args = ["docker", "run", "--name", name, "--workdir", "/github/workspace", "--rm"]
        cli_env = dict(os.environ)
        for k, v in env.items():
            args += ["-e", k]
            cli_env[k] = translate(v, mounts)
        args += ["--network", "host"]
        for host, container in mounts:
            args += ["-v", f"{host}:{container}"]
        main = f"dev.gantry.{PACKAGES[action]}.Main"
        if aot == "noop":
            args += ["--entrypoint", "/lib64/ld-linux-x86-64.so.2", image, "--version"]
        elif aot == "before":
            args.append(image)
        elif aot:
            args.append(image)
        else:
            args += ["--entrypoint", "/opt/gantry/jre/bin/java", image, "@/opt/gantry/app/jvm.args", main]
        server.reset()
        start = time.monotonic()
        proc = subprocess.Popen(args, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = start + timeout
        while time.monotonic() < deadline and proc.poll() is None and not server.event.is_set():
            server.event.wait(0.005)
        first = server.first
        if proc.poll() is None:
            subprocess.run(["docker", "rm", "-f", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out, _ = proc.communicate(timeout=60)
        end = time.monotonic()
        return {"first_request_ms": None if first is None else (first - start) * 1000,
                "exit_ms": (end - start) * 1000 if first is None else None,
                "exit_code": proc.returncode, "log": out.decode(errors="replace")[-2000:]}
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def image_breakdown(image):
    """Bytes per part of the image: the jlink'ed runtime, the AOT cache, the jars, and the rest (the base)."""
    import tarfile
    cid = subprocess.run(["docker", "create", image], capture_output=True, text=True, check=True).stdout.strip()
    parts = {"runtime": 0, "aot": 0, "jars": 0, "base": 0}
    try:
        with subprocess.Popen(["docker", "export", cid], stdout=subprocess.PIPE) as p:
            with tarfile.open(fileobj=p.stdout, mode="r|") as tar:
                for m in tar:
                    n = m.name.lstrip("./")
                    key = ("runtime" if n.startswith("opt/gantry/jre/") else "aot" if n == "opt/gantry/app/app.aot"
                           else "jars" if n.startswith("opt/gantry/") else "base")
                    parts[key] += m.size
    finally:
        subprocess.run(["docker", "rm", cid], stdout=subprocess.DEVNULL, check=False)
    return parts


def image_size(image):
    out = subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", image], capture_output=True, text=True,
                         check=True).stdout.strip()
    return int(out)


def fmt(ms):
    return "–" if ms is None else f"{ms:.0f} ms"


def mb(n):
    return f"{n / 1e6:.1f} MB"


def pull_lines(pull, result):
    """The pull-bytes table: unique compressed layers of the workflow's images, before and after."""
    wf = pull["workflow"].split("/")[-1]
    before, after = pull["sets"]["before"], pull["sets"]["after"]
    ratio = after["workflow"]["unique_bytes"] / before["workflow"]["unique_bytes"] * 100
    lines = [f"### What a runner pulls (`bench/startup/pullbytes.py`, same run)", "",
             f"The bytes a runner downloads in \"Set up job\" for `{wf}`, which uses "
             f"{', '.join('`' + a + '`' for a in pull['workflow_actions'])}: the compressed layers of those images, each "
             "distinct layer once (Docker skips a layer whose digest it already has), plus manifests and configs. Read "
             "from the manifests of a registry on loopback after `docker push`, which compresses layers as GHCR stores "
             "them. \"Before\" is the images as built at commit " + f"`{pull.get('baseline', '?')}`"
             + " (each image its own jlink'ed runtime); \"after\" is this tree (one runtime image, five thin images). "
             f"Target: after ≤ 55 % of before. **Result: {ratio:.0f} %.**", "",
             "| images | before: sum of images | before: pulled (distinct layers) | after: sum of images | after: pulled (distinct layers) | after / before (pulled) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key, label in (("workflow", f"`{wf}` ({len(pull['workflow_actions'])} images)"), ("all", "all five images")):
        b, a = before[key], after[key]
        lines.append(f"| {label} | {mb(b['sum_of_images'])} | {mb(b['unique_bytes'])} ({b['distinct_layers']}) | "
                     f"{mb(a['sum_of_images'])} | {mb(a['unique_bytes'])} ({a['distinct_layers']}) | "
                     f"{a['unique_bytes'] / b['unique_bytes'] * 100:.0f} % |")
    lines += ["", "Per image, compressed (own layers; the shared ones are counted in every image here):", "",
              "| action | before | after | after: layers shared with the other images |", "| --- | --- | --- | --- |"]
    for act in sorted(after["all"]["images"]):
        b, a = before["all"]["images"][act], after["all"]["images"][act]
        lines.append(f"| `{act}` | {mb(b['compressed'])} | {mb(a['compressed'])} | {a['layers'] - 1} of {a['layers']} |")
    lines.append("")
    return lines


def write_readme(result, path, base_size, pull=None):
    lines = pull_lines(pull, result) if pull else []
    has_before = any("before" in e for e in result["actions"].values())
    lines += ["### Start-up of the action images (`bench/startup/run.sh`)", "",
             f"{result['date']}, {result['machine']}, load average at the end "
             f"{' / '.join(f'{x:.2f}' for x in result['load'])}. Medians of {result['rounds']} runs per cell "
             "(round-robin, after a warm-up round), timed from spawning `docker run` (the runner's exact shape) to "
             "the first connection the loopback server accepts. \"AOT\" is the image as published; \"no AOT\" is the "
             "same image started without `-XX:AOTCache`; \"container alone\" is the same `docker run` with the dynamic "
             "loader as entrypoint (start to exit of a process that does nothing), the part no JVM setting can "
             "reduce" + ("; \"before\" is the image before the shared runtime (its own jlink'ed runtime), as published "
                         "then" if has_before else "") + ". Target: first request ≤ 400 ms.", "",
             "| action | image size (runtime + AOT cache + jars + base) | first request, AOT | "
             + ("before, AOT | " if has_before else "") + "first request, no AOT | AOT saves | container alone | requests seen (AOT / no AOT) |",
             "| --- | --- | --- | " + ("--- | " if has_before else "") + "--- | --- | --- | --- |"]
    for act, e in result["actions"].items():
        a, n = e["aot"], e["no_aot"]
        fa, fn = a["first_request_median_ms"], n["first_request_median_ms"]
        saves = f"{fn - fa:.0f} ms ({(fn - fa) / fn * 100:.0f} %)" if fa and fn else "–"
        if fa is None and a["exit_median_ms"] is not None:
            fa_text = f"no request; exits in {fmt(a['exit_median_ms'])}"
            fn_text = f"no request; exits in {fmt(n['exit_median_ms'])}"
        else:
            fa_text, fn_text = fmt(fa), fmt(fn)
        before = (fmt(e["before"]["first_request_median_ms"]) + " | ") if has_before else ""
        parts = " + ".join(f"{e['parts'][k] / 1e6:.1f}" for k in ("runtime", "aot", "jars", "base"))
        lines.append(f"| `{act}` | {e['size_bytes'] / 1e6:.1f} MB ({parts}) | {fa_text} | {before}{fn_text} | {saves} | "
                     f"{fmt(e['noop']['exit_median_ms'])} | {a['requests']}/{a['runs']} / {n['requests']}/{n['runs']} |")
    lines += ["", f"Image sizes are uncompressed, as `docker image inspect` reports them, on the local stand-in base "
              f"({base_size / 1e6:.1f} MB: Debian 12 glibc, CA bundle, time zones); the published images sit on "
              "`gcr.io/distroless/base-nossl-debian12` instead. The runtime and the base are the same layers in all five "
              "images. An action whose flow makes no request yet shows the time to its exit instead (a lower bound on "
              "its cold start)."]
    begin, end = "<!-- BEGIN startup -->", "<!-- END startup -->"
    block = begin + "\n" + "\n".join(lines) + "\n" + end
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n## Action images: pull bytes and cold start\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--actions", default=",".join(sorted(PACKAGES)))
    ap.add_argument("--out", required=True)
    ap.add_argument("--readme", help="write the table into this README between the startup markers")
    ap.add_argument("--base-image", default="gcr.io/distroless/base-nossl-debian12")
    ap.add_argument("--before", help="also time PREFIX/<action>:before, the images before the shared runtime")
    ap.add_argument("--pull", help="pullbytes.py's JSON result, written into the README section too")
    a = ap.parse_args()
    actions = a.actions.split(",")
    server = FirstConnection()
    kinds = (True, False, "noop") + (("before",) if a.before else ())
    configs = [(act, aot) for act in actions for aot in kinds]
    images = {act: action_inputs(act)[1] for act in actions}
    before_images = {act: f"{a.before}/{act}:before" for act in actions} if a.before else {}
    samples = {c: [] for c in configs}
    for r in range(a.warmup + a.rounds):
        for act, aot in configs:
            res = one_run(act, before_images[act] if aot == "before" else images[act], aot, server, a.timeout)
            if r >= a.warmup:
                samples[(act, aot)].append(res)
        print(f"round {r + 1}/{a.warmup + a.rounds} done", flush=True)
    result = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.platform()}",
              "load": os.getloadavg(), "rounds": a.rounds, "actions": {}}
    for act in actions:
        entry = {"image": images[act], "size_bytes": image_size(images[act]), "parts": image_breakdown(images[act])}
        for aot in kinds:
            runs = samples[(act, aot)]
            firsts = [x["first_request_ms"] for x in runs if x["first_request_ms"] is not None]
            exits = [x["exit_ms"] for x in runs if x["exit_ms"] is not None]
            entry[{True: "aot", False: "no_aot", "noop": "noop", "before": "before"}[aot]] = {
                "requests": len(firsts), "runs": len(runs),
                "first_request_median_ms": statistics.median(firsts) if firsts else None,
                "first_request_min_ms": min(firsts) if firsts else None,
                "exit_median_ms": statistics.median(exits) if exits else None,
                "exit_codes": sorted({x["exit_code"] for x in runs}),
                "last_log": runs[-1]["log"] if runs else ""}
        result["actions"][act] = entry
    pull = None
    if a.pull:
        with open(a.pull) as f:
            pull = json.load(f)
        result["pull"] = pull
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    if a.readme:
        write_readme(result, a.readme, image_size(a.base_image), pull)


if __name__ == "__main__":
    main()
