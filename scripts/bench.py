"""Keyway's benchmark: release build, synthetic specs of N apps, Keyway against its peers.
Writes docs/performance-results.md (the table) and docs/performance.png (the plot)."""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench_spec import spec  # noqa: E402

COMPILE = ROOT / ".build" / "release" / "compile"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1,100,500,1000,2000,2500,8000,10000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# kubectl kustomize takes over a minute per run at 2 000 apps: timed once, up to this size.
KUSTOMIZE_MAX = int(os.environ.get("BENCH_KUSTOMIZE_MAX", "1000"))
# `--out` against `cp -r` of the same rendered tree, on the same disk, at these sizes.
# `compile import` of the rendered tree, at sizes up to this.
IMPORT_MAX = int(os.environ.get("BENCH_IMPORT_MAX", "10000"))
OUT_SIZES = [int(n) for n in os.environ.get("BENCH_OUT_SIZES", "2000").split(",") if n]


def measure(argv, runs=None, env=None, ok=(0,), stdin=None):
    """Median wall time of RUNS runs, peak RSS (KB, from GNU time) and output bytes; an exit status
    outside `ok` fails the benchmark."""
    times, peak, size = [], 0, 0
    with tempfile.NamedTemporaryFile() as rss:
        for _ in range(runs or RUNS):
            start = time.perf_counter()
            with open(stdin or os.devnull, "rb") as given:
                result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], stdin=given, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            if result.returncode not in ok:
                raise SystemExit(f"{argv[:2]} exited {result.returncode}")
            times.append(time.perf_counter() - start)
            size = len(result.stdout)
            peak = max(peak, int(pathlib.Path(rss.name).read_text().split()[-1]))
    return statistics.median(times), peak, size


def timed(argv, before=None):
    """Median wall time of RUNS runs of argv; `before` runs untimed ahead of each."""
    times = []
    for _ in range(RUNS):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_out(spec_path, rendered, tmp):
    """`compile --out` (the whole process) against `cp -r` of the tree it renders, both into an
    empty folder and over the same tree already there, in folders side by side in `tmp`."""
    keyway, copy = pathlib.Path(tmp) / "out-keyway", pathlib.Path(tmp) / "out-cp"
    write = [str(COMPILE), str(spec_path), "--out", str(keyway)]
    cp = ["cp", "-rT", str(rendered), str(copy / "bench")]
    def clear(folder):
        return lambda: (shutil.rmtree(folder, ignore_errors=True), folder.mkdir())
    result = {
        "files": sum(1 for item in rendered.rglob("*") if item.is_file()),
        "keyway_empty": timed(write, clear(keyway)),
        "cp_empty": timed(cp, clear(copy)),
        "keyway_over": timed(write),
        "cp_over": timed(cp),
    }
    shutil.rmtree(keyway, ignore_errors=True)
    shutil.rmtree(copy, ignore_errors=True)
    return result


def import_inputs(folder):
    """A rendered tree as a repository hands it to `compile import`: its YAML files (manifests and
    patches, kustomization.yaml aside) joined into one stream per folder, as `kubectl kustomize`
    renders an overlay (each under the 16 MiB input limit, written beside the output folder), then
    the policies and the bootstrap script."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "kustomization.yaml")
    groups = {}
    for p in files:
        if p.suffix == ".yaml":
            groups.setdefault(p.parent, []).append(p)
    streams = []
    for index, (parent, members) in enumerate(sorted(groups.items())):
        stream = folder.parent.parent / f"{folder.parent.name}-stream-{index}.yaml"
        stream.write_text("".join("---\n" + p.read_text() for p in members))
        streams.append(str(stream))
    return streams + [str(p) for p in files if p.suffix != ".yaml"]


def openbao():
    """A dev OpenBao on a free loopback port for `compile plan`, or None where bao is missing."""
    bao = ROOT / ".tools" / "venv" / "bin" / "bao"
    if not bao.exists():
        return None
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(bao), "server", "-dev", f"-dev-listen-address=127.0.0.1:{port}", "-dev-root-token-id=bench-root", "-dev-no-store-token"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "VAULT_ADDR": f"http://127.0.0.1:{port}", "VAULT_TOKEN": "bench-root"}
    for _ in range(100):
        if subprocess.run([str(bao), "status"], env=env, capture_output=True).returncode == 0:
            return server, env
        time.sleep(0.1)
    server.terminate()
    return None


def has_plan():
    """Whether this build has `compile plan`."""
    usage = subprocess.run([str(COMPILE), "--help"], capture_output=True, text=True).stdout
    return any(line.split()[:1] == ["plan"] for line in usage.splitlines())


def commands(n, path, folder, vault):
    """Every command users run on a whole repository, at N apps: (name, measurement or None)."""
    inputs = import_inputs(folder / "bench")
    result = {
        "explain": measure([str(COMPILE), "explain", str(path), "--format", "json"]),
        "import": measure([str(COMPILE), "import", *inputs]) if n <= IMPORT_MAX else None,
        "out": measure([str(COMPILE), str(path), "--out", str(folder)]),
        "check": measure([str(COMPILE), str(path), "--out", str(folder), "--check"]),
    }
    if vault:
        result["plan"] = measure([str(COMPILE), "plan", str(path), "--format", "json"], env=vault[1], ok=(0, 2))
    return result


def every_command_table(every):
    """The table of every command at each N, each against `compile` of the same spec, and its growth."""
    names = ["explain", "import", "out", "check", "plan"]
    names = [name for name in names if any(c.get(name) for _, _, c in every)]
    lines = [
        "",
        "Every command, whole process, median wall time (and against `compile` of the same spec; `check` against `out`):",
        "",
        "| N apps | compile | " + " | ".join(f"{name} | ratio" for name in names) + " | peak (max) |",
        "| ---: | ---: | " + " | ".join("---: | ---:" for _ in names) + " | ---: |",
    ]
    for n, keyway, c in every:
        cells = []
        for name in names:
            m = c.get(name)
            base = c["out"][0] if name == "check" else keyway[0]
            cells.append(f"{m[0] * 1000:.0f} ms | {m[0] / base:.2f}x" if m else "not run |")
        peak = max([keyway[1]] + [m[1] for m in c.values() if m])
        lines.append(f"| {n} | {keyway[0] * 1000:.0f} ms | " + " | ".join(cells) + f" | {peak / 1024:.1f} MB |")
    sizes = {n: (keyway, c) for n, keyway, c in every}
    for name in ["compile"] + names:
        steps = []
        for a in sorted(sizes):
            b = 4 * a if a >= 500 else None
            pick = lambda k: sizes[k][0] if name == "compile" else sizes[k][1].get(name)
            if b in sizes and pick(a) and pick(b):
                steps.append(f"{a} -> {b}: {pick(b)[0] / pick(a)[0]:.2f}x")
        if steps:
            lines.append(f"\nGrowth of `{name}` (4x the apps): " + ", ".join(steps))
    return lines


def main():
    subprocess.run(["swift", "build", "-c", "release", "--product", "compile"], cwd=ROOT, check=True, capture_output=True)
    rows, outs, every = [], [], []
    vault = openbao() if has_plan() else None
    # On the disk of the build tree (not a tmpfs), so that `--out` and `cp -r` write where users write.
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / ".build") as tmp:
            seed = measure([str(COMPILE), str(ROOT / "specs" / "dev.yaml")])
            for n in SIZES:
                path = pathlib.Path(tmp) / f"spec-{n}.yaml"
                path.write_text(spec(n))
                keyway = measure([str(COMPILE), str(path)])
                python = measure([sys.executable, str(ROOT / "scripts" / "python_peer.py"), str(path)])
                folder = pathlib.Path(tmp) / f"out-{n}"
                subprocess.run([str(COMPILE), str(path), "--out", str(folder)], check=True, capture_output=True)
                kustomize = measure(["kubectl", "kustomize", str(folder / "bench")], runs=1) if n <= KUSTOMIZE_MAX else None
                rows.append((n, path.stat().st_size, keyway, python, kustomize))
                every.append((n, keyway, commands(n, path, folder, vault)))
                if n in OUT_SIZES:
                    outs.append((n, measure_out(path, folder / "bench", tmp)))
    finally:
        if vault:
            vault[0].terminate()
            vault[0].wait(timeout=10)
    lines = [
        f"Seed spec (specs/dev.yaml), whole process: {seed[0] * 1000:.1f} ms, peak {seed[1] / 1024:.1f} MB.",
        "",
        "| N apps | spec | Keyway | per app | peak | output | Python+libyaml | ratio | kubectl kustomize | ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, spec_bytes, k, p, z in rows:
        lines.append(
            f"| {n} | {spec_bytes / 1e6:.2f} MB | {k[0] * 1000:.1f} ms | {k[0] / n * 1e6:.0f} µs | {k[1] / 1024:.1f} MB | {k[2] / 1e6:.2f} MB "
            f"| {p[0] * 1000:.0f} ms | {p[0] / k[0]:.1f}x | "
            + (f"{z[0] * 1000:.0f} ms | {z[0] / k[0]:.1f}x |" if z else "not run | |")
        )
    growth = [(a[0], b[0], b[2][0] / a[2][0]) for a in rows for b in rows if a[0] >= 500 and b[0] in (4 * a[0], 5 * a[0])]
    if growth:
        lines += ["", "Growth: " + ", ".join(f"{a} -> {b} apps: {r:.2f}x the time" for a, b, r in growth)]
    lines += every_command_table(every)
    if outs:
        lines += [
            "",
            "`--out` (whole process: read, compile, render, write) against `cp -r` of the same rendered tree, same disk:",
            "",
            "| N apps | files | --out, empty folder | cp -r, empty folder | ratio | --out, over the tree | cp -r, over the tree | ratio |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for n, o in outs:
            lines.append(
                f"| {n} | {o['files']} | {o['keyway_empty'] * 1000:.0f} ms | {o['cp_empty'] * 1000:.0f} ms | {o['keyway_empty'] / o['cp_empty']:.2f}x "
                f"| {o['keyway_over'] * 1000:.0f} ms | {o['cp_over'] * 1000:.0f} ms | {o['keyway_over'] / o['cp_over']:.2f}x |"
            )
    (ROOT / "docs" / "performance-results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plt.figure(figsize=(7, 4.5))
        for label, index in (("Keyway", 2), ("Python + PyYAML/libyaml", 3), ("kubectl kustomize (re-emit)", 4)):
            points = [(r[0], r[index][0]) for r in rows if r[index]]
            plt.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
        for name in ("explain", "import", "check", "plan"):
            points = [(n, c[name][0]) for n, _, c in every if c.get(name)]
            if points:
                plt.plot([p[0] for p in points], [p[1] for p in points], linestyle="--", marker=".", label=f"Keyway {name}")
        plt.xscale("log")
        plt.yscale("log")
        plt.xlabel("apps in the spec")
        plt.ylabel("wall time, median (s)")
        plt.title("Keyway against its peers (release build, 2 cores)")
        plt.legend()
        plt.grid(True, which="both", alpha=0.3)
        plt.tight_layout()
        plt.savefig(ROOT / "docs" / "performance.png", dpi=100)
    except ImportError:
        print("matplotlib missing: no plot (scripts/bench.sh installs it)", file=sys.stderr)


if __name__ == "__main__":
    main()
