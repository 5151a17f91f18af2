"""kompalloc's benchmark suite: every figure as a ratio to a reference measured in the same run.

    python benchmarks/run.py                 # the full suite (several minutes on 2 cores)
    python benchmarks/run.py --quick         # smaller sizes, fewer repeats
    python benchmarks/run.py --json out.json # also write the results as JSON

It generates synthetic data sets (schemes, yearly pools, cluster sub-pools, institution caps)
under benchmarks/out/, then measures start-up, validation against a bare C-loader read of the
same files (one reference discards each file once read, one keeps them all, as validation
must), the allocation engine in memory, a 100-step sweep of one root pool's cap (with
kompalloc's sweep, in an archive of 16 rounds and in one round holding every application)
against one allocation of the same data, and report rendering. Wall times are medians; peak
memory is each child process's maximum RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
SCHEMES = (
    "industrifagskolen",
    "kompetanseloft-utsatte-industriklynger",
    "bransjeprogram-industri-bygg",
    "bransjeprogram-maritim",
)
CLUSTERS = ("kongsberg", "raufoss", "sunnmore", "sunnhordland", "agder", "grenland")


def generate(folder: Path, applications: int, per_file: int = 5_000) -> list[Path]:
    """A national archive: 4 schemes x (applications // 2 500) years, 6 cluster sub-pools each."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ".complete"
    if marker.exists():
        return sorted(folder.glob("*.yaml"))
    for old in folder.glob("*.yaml"):
        old.unlink()
    years = list(range(2000, 2000 + max(1, applications // 2_500)))
    institutions = [f"inst{n:03d}" for n in range(60)]
    lines = ["kompalloc: 1", "schemes:"]
    for s in SCHEMES:
        lines += [
            f"  {s}:",
            f"    name: Scheme {s}",
            "    administrator: HK-dir",
            "    institution_types: [universitet, fagskole_offentlig, hogskole_statlig]",
        ]
    lines.append("clusters:")
    lines += [f"  {c}: {{name: Cluster {c}, region: Region}}" for c in CLUSTERS]
    lines.append("institutions:")
    types = ("universitet", "fagskole_offentlig", "hogskole_statlig")
    lines += [
        f"  {i}: {{name: Institution {i}, type: {types[n % 3]}}}"
        for n, i in enumerate(institutions)
    ]
    lines.append("pools:")
    for s in SCHEMES:
        for y in years:
            root = f"{s}-{y}"
            lines += [
                f"  {root}:",
                f"    scheme: {s}",
                f"    year: {y}",
                '    cap: "400 MNOK"',
                '    committed: "10 MNOK"',
                '    institution_cap: "12 MNOK"',
            ]
            for c in CLUSTERS:
                lines += [
                    f"  {root}-{c}:",
                    f"    parent: {root}",
                    f"    clusters: [{c}]",
                    '    cap: "70 MNOK"',
                    '    max_grant: "3 MNOK"',
                ]
    (folder / "registry.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for start in range(0, applications, per_file):
        chunk = ["kompalloc: 1", "applications:"]
        for n in range(start, min(start + per_file, applications)):
            chunk += [
                f"  A{n:07d}:",
                f"    scheme: {SCHEMES[n % 4]}",
                f"    year: {years[(n // 4) % len(years)]}",
                f"    institution: {institutions[n % len(institutions)]}",
                f"    cluster: {CLUSTERS[n % len(CLUSTERS)]}",
                f'    title: "Kurs {n} i industriell digitalisering"',
                "    companies: [Eksempel Industri AS, Eksempel Mekaniske AS]",
                f'    requested: "{1 + n % 20 // 10},{n % 10} MNOK"',  # 1,0 to 2,9 MNOK
                f"    participants: {10 + n % 50}",
                f"    submitted: 2021-09-{1 + n % 14:02d}",
                f"    rank: {1 + n // 24 % 500}",
                f"    partial: {'true' if n % 3 else 'false'}",
            ]
        (folder / f"applications-{start // per_file:03d}.yaml").write_text(
            "\n".join(chunk) + "\n", encoding="utf-8"
        )
    marker.write_text("ok", encoding="utf-8")
    return sorted(folder.glob("*.yaml"))


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Children keep their bytecode caches, as an installed kompalloc does (some sandboxes switch
them off, which would make every start-up compile kompalloc's sources again)."""


def run(command: list[str], repeats: int) -> tuple[float, int]:
    """Median wall seconds and the largest peak RSS (KiB) over ``repeats`` runs, after a warm-up."""
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False, env=ENV)
    times, peaks = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"failed: {' '.join(command)}")
    return statistics.median(times), max(peaks)


def in_process(code: str, repeats: int) -> tuple[float, int]:
    """Run a snippet in a fresh interpreter that prints its own timing of the part that matters."""
    wrapper = (
        "import time, resource, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        + code
        + "\nprint(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    results = []
    for _ in range(repeats):
        done = subprocess.run(
            [PY, "-c", wrapper], cwd=ROOT, capture_output=True, text=True, check=True, env=ENV
        )
        seconds, peak = done.stdout.split()[-2:]
        results.append((float(seconds), int(peak)))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


ENGINE = """
from synthetic import bundle_of
b = bundle_of({n}, one_round={one_round})
from kompalloc.allocation import allocate
start = time.perf_counter(); allocate(b); elapsed = time.perf_counter() - start
"""
SWEEP = """
from synthetic import bundle_of
from kompalloc.scenarios.sweep import sweep
b = bundle_of({n}, one_round={one_round})
root = min(p.id for p in b.pools.values() if p.parent is None and p.scheme == "ifs")
cap = b.pools[root].cap
caps = [cap * (50 + step) // 100 for step in range({steps})]  # half the cap to one and a half
start = time.perf_counter(); sweep(b, root, caps); elapsed = time.perf_counter() - start
"""
RENDER = """
import io
from rich.console import Console
from synthetic import bundle_of
from kompalloc.allocation import allocate
from kompalloc.reporting.render import rich_tables
from kompalloc.reporting.tables import applications_table
b = bundle_of({n}); a = allocate(b)
start = time.perf_counter()
console = Console(file=io.StringIO(), width=120, color_system=None)
for t in rich_tables(applications_table(b, a)):
    console.print(t)
elapsed = time.perf_counter() - start
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    engine_sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    rows: list[tuple[str, str, float, float, int | None, int | None]] = []

    def add(group: str, name: str, value: tuple[float, int], ref: tuple[float, int]) -> None:
        rows.append((group, name, value[0], value[0] / ref[0], value[1], ref[1]))

    typer_ref = run([PY, "-c", "import typer"], repeats * 3)
    keep_refs: list[tuple[int, tuple[float, int]]] = []
    one = generate(OUT / "one", 1)
    add(
        "start-up",
        "kompalloc --version",
        run([PY, "-m", "kompalloc", "--version"], repeats * 3),
        typer_ref,
    )
    add(
        "start-up",
        "validate, 1 application",
        run([PY, "-m", "kompalloc", "validate", *map(str, one)], repeats * 3),
        typer_ref,
    )
    for n in sizes:
        files = [str(f) for f in generate(OUT / f"n{n}", n)]
        bare = [
            PY,
            "-c",
            "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)",
            *files,
        ]
        ref = run(bare, repeats)
        validate = run([PY, "-m", "kompalloc", "validate", *files], repeats)
        add("validate vs yaml.load(CSafeLoader)", f"{n:,} applications", validate, ref)
        # Validation needs every file at once (references cross files): a reference that keeps
        # every loaded file is the fair one for memory.
        keeping = [
            PY,
            "-c",
            "import sys, yaml\nkept = [yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader) for f in sys.argv[1:]]",
            *files,
        ]
        keep_refs.append((n, run(keeping, repeats)))
        add(
            "validate vs yaml.load(CSafeLoader), every file kept",
            f"{n:,} applications",
            validate,
            keep_refs[-1][1],
        )
    base = in_process(ENGINE.format(n=engine_sizes[0], one_round=False), repeats)
    for n in engine_sizes:
        add(
            "allocation engine (vs the smallest)",
            f"{n:,} applications",
            in_process(ENGINE.format(n=n, one_round=False), 1 if n >= 1_000_000 else repeats),
            base,
        )
    one_alloc = in_process(ENGINE.format(n=10_000, one_round=False), repeats)
    add(
        "sweep vs one allocation",
        "100 caps x 10,000 applications, 16 rounds",
        in_process(SWEEP.format(n=10_000, steps=100, one_round=False), repeats),
        one_alloc,
    )
    add(
        "sweep vs one allocation",
        "100 caps x 10,000 applications, 1 round",
        in_process(SWEEP.format(n=10_000, steps=100, one_round=True), repeats),
        in_process(ENGINE.format(n=10_000, one_round=True), repeats),
    )
    add(
        "report rendering vs one allocation",
        "10,000 decisions",
        in_process(RENDER.format(n=10_000), repeats),
        one_alloc,
    )
    groups = list(dict.fromkeys(r[0] for r in rows))
    rows.sort(key=lambda r: groups.index(r[0]))  # each group's rows together, in order
    width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>9}  {'ratio':>7}  {'peak MiB':>8}  {'ref MiB':>7}")
    group = None
    for g, name, seconds, ratio, peak, ref_peak in rows:
        if g != group:
            print(f"-- {g}")
            group = g
        print(
            f"{name:<{width}}  {seconds:9.3f}  {ratio:7.2f}  {(peak or 0) / 1024:8.1f}  {(ref_peak or 0) / 1024:7.1f}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    dict(
                        zip(
                            ("group", "name", "seconds", "ratio", "peak_kib", "ref_peak_kib"),
                            r,
                            strict=True,
                        )
                    )
                    for r in rows
                ],
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
