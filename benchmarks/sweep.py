"""A sweep of 100 caps against 100 separate runs, on a generated round of 10,000 applications.

Run from the repository root, in the environment kompalloc is installed in:

    python benchmarks/sweep.py                      # 100 caps, 10,000 applications
    python benchmarks/sweep.py --applications 2000 --processes 3

It writes one round (one root pool with six cluster sub-pools, an institution cap and a
maximum grant; priority order) as YAML files in a temporary folder, then times:

- the sweep as ``kompalloc sweep`` computes it: load and validate once, then 100 allocations
  (in process, and as one ``kompalloc sweep`` process);
- 100 separate runs in process: load, validate and allocate with the cap changed, each time;
- ``kompalloc allocate --set pools.P.cap=…`` as separate processes: ``--processes`` of them
  (default 5), scaled to 100 (pass ``--processes 100`` to run all of them).

Machines are shared and noisy: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLUSTERS = ("kongsberg", "raufoss", "sunnmore", "sunnhordland", "agder", "grenland")
POOL = "bench-2021"
MNOK = 100_000_000  # øre


def generate(folder: Path, applications: int) -> list[str]:
    """One round of ``applications`` applications, split into files of 2,500."""
    institutions = [f"inst{n:03d}" for n in range(60)]
    types = ("universitet", "fagskole_offentlig", "hogskole_statlig")
    lines = [
        "kompalloc: 1",
        "schemes:",
        "  bench:",
        "    name: Benchmark scheme",
        "    administrator: HK-dir",
        f"    institution_types: [{', '.join(types)}]",
        "clusters:",
        *(f"  {c}: {{name: Cluster {c}}}" for c in CLUSTERS),
        "institutions:",
        *(
            f"  {i}: {{name: Institution {i}, type: {types[n % 3]}}}"
            for n, i in enumerate(institutions)
        ),
        "pools:",
        f"  {POOL}:",
        "    scheme: bench",
        "    year: 2021",
        '    cap: "1 000 MNOK"',
        f"    institution_cap: {applications * 300_000}",  # whole kroner
    ]
    for c in CLUSTERS:
        lines += [
            f"  {POOL}-{c}:",
            f"    parent: {POOL}",
            f"    clusters: [{c}]",
            f"    cap: {applications * 300_000}",
            '    max_grant: "3 MNOK"',
        ]
    files = [folder / "round.yaml"]
    files[0].write_text("\n".join(lines) + "\n", encoding="utf-8")
    for start in range(0, applications, 2_500):
        chunk = ["kompalloc: 1", "applications:"]
        for n in range(start, min(start + 2_500, applications)):
            partial = "true" if n % 3 else "false"
            chunk += [
                f"  A{n:06d}:",
                "    scheme: bench",
                "    year: 2021",
                f"    institution: {institutions[n % 60]}",
                f"    cluster: {CLUSTERS[n % 6]}",
                f"    title: Kurs {n}",
                f'    requested: "{1 + n % 37 // 10},{n % 10} MNOK"',
                f"    submitted: 2021-09-{1 + n % 14:02d}",
                f"    rank: {1 + n // 20}",
                f"    partial: {partial}",
            ]
        path = folder / f"applications-{start // 2_500:02d}.yaml"
        path.write_text("\n".join(chunk) + "\n", encoding="utf-8")
        files.append(path)
    return [str(f) for f in files]


def caps(steps: int, applications: int) -> list[int]:
    """In equal steps from a tenth to about two thirds of what the round asks (2,3 MNOK each on
    average), so that the caps bind at first and the sub-pools and institution caps at last."""
    low, high = applications * MNOK // 5, applications * 3 * MNOK // 2
    return [low + (high - low) * i // max(steps - 1, 1) for i in range(steps)]


def load_and_validate(files: list[str]):  # type: ignore[no-untyped-def]
    from kompalloc.diagnostics import has_errors
    from kompalloc.loading import load
    from kompalloc.validation import validate

    bundle, diagnostics = load(files)
    diagnostics += validate(bundle)
    assert not has_errors(diagnostics), diagnostics[:3]
    return bundle


def time_sweep(files: list[str], values: list[int]) -> tuple[float, list[int]]:
    """kompalloc sweep's way: load and validate once, then allocate per cap."""
    from kompalloc.scenarios.sweep import sweep

    start = time.perf_counter()
    bundle = load_and_validate(files)
    result = sweep(bundle, POOL, values)
    return time.perf_counter() - start, [s.granted for s in result.steps]


def time_separate(files: list[str], values: list[int]) -> tuple[float, list[int]]:
    """One whole run per cap, in process: load, validate, change the cap, allocate."""
    from kompalloc.allocation import allocate

    granted = []
    start = time.perf_counter()
    for cap in values:
        bundle = load_and_validate(files)
        pools = {**bundle.pools, POOL: replace(bundle.pools[POOL], cap=cap)}
        allocation = allocate(replace(bundle, pools=pools))
        granted.append(sum(g.granted for g in allocation.grants))
    return time.perf_counter() - start, granted


def kompalloc(*args: str) -> list[str]:
    return [sys.executable, "-m", "kompalloc", "--quiet", *args]


def time_processes(files: list[str], values: list[int]) -> float:
    """``kompalloc allocate --set`` once per cap, as separate processes."""
    start = time.perf_counter()
    for cap in values:
        argument = f"pools.{POOL}.cap={cap // 100}"
        subprocess.run(
            kompalloc("allocate", *files, "--set", argument, "--format", "json"),
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    return time.perf_counter() - start


def time_sweep_process(files: list[str], values: list[int]) -> float:
    """One ``kompalloc sweep`` process over every cap."""
    listed = ";".join(str(v // 100) for v in values)
    start = time.perf_counter()
    subprocess.run(
        kompalloc("sweep", *files, "--pool", POOL, "--values", listed, "--format", "json"),
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument(
        "--processes",
        type=int,
        default=5,
        help="how many 'kompalloc allocate' processes to time (scaled to --steps)",
    )
    args = parser.parse_args()
    values = caps(args.steps, args.applications)
    with tempfile.TemporaryDirectory(prefix="kompalloc-sweep-") as tmp:
        files = generate(Path(tmp), args.applications)
        print(
            f"{args.applications} applications in one round, {args.steps} caps, {len(files)} files",
            flush=True,
        )
        swept, by_sweep = time_sweep(files, values)
        print(f"  sweep in process (load, validate once):   {swept:8.2f} s", flush=True)
        separate, by_runs = time_separate(files, values)
        assert by_sweep == by_runs, "the sweep and the separate runs disagree"
        print(f"  {args.steps:>3} separate runs in process:          {separate:8.2f} s", flush=True)
        one = time_sweep_process(files, values)
        print(f"  one 'kompalloc sweep' process:            {one:8.2f} s", flush=True)
        n = min(args.processes, args.steps)
        measured = time_processes(files, values[:n]) if n else 0.0
        scaled = measured / n * args.steps if n else float("nan")
        note = "" if n == args.steps else f" ({n} run, scaled to {args.steps})"
        print(f"  {args.steps:>3} 'kompalloc allocate' processes:    {scaled:8.2f} s{note}")
        print()
        print(f"  separate in-process runs / sweep:         {separate / swept:8.1f} x")
        print(f"  separate processes / one sweep process:   {scaled / one:8.1f} x")
        distinct = len(set(by_sweep))
        print(
            f"  granted: {by_sweep[0] // MNOK} MNOK at the lowest cap, {by_sweep[-1] // MNOK} MNOK "
            f"at the highest ({distinct} different totals)"
        )


if __name__ == "__main__":
    main()
