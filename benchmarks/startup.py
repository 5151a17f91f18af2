"""Wall time of whole kompalloc processes against a bare ``python -c "import typer"``, as ratios.

Run from the repository root, in the environment kompalloc is installed in:

    python benchmarks/startup.py [--runs 15]

Each command runs --runs times after one warm-up; the table shows the median and its ratio
to the reference measured in the same run (machines are shared and noisy: compare ratios).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

COMMANDS: list[tuple[str, list[str]]] = [
    ('python -c "import typer" (reference)', [PY, "-c", "import typer"]),
    ("kompalloc --version", [PY, "-m", "kompalloc", "--version"]),
    (
        "kompalloc validate national",
        [PY, "-m", "kompalloc", "validate", "schemes", "examples/national-2021"],
    ),
    (
        "kompalloc allocate national",
        [PY, "-m", "kompalloc", "allocate", "schemes", "examples/national-2021"],
    ),
    (
        "kompalloc report national",
        [PY, "-m", "kompalloc", "report", "schemes", "examples/national-2021"],
    ),
]


def median_seconds(command: list[str], runs: int) -> float:
    """The median wall time of a command, after one warm-up run."""
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = [(name, median_seconds(cmd, args.runs)) for name, cmd in COMMANDS]
    reference = results[0][1]
    width = max(len(name) for name, _ in results)
    print(f"{'command':<{width}}  {'median ms':>9}  {'ratio':>6}")
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds * 1000:9.1f}  {seconds / reference:6.2f}")


if __name__ == "__main__":
    main()
