"""Two runs of benchmarks/run.py side by side, as a Markdown table of ratios.

    python benchmarks/run.py --quick --json before.json     # on the old code
    python benchmarks/run.py --quick --json after.json      # on the new code
    python benchmarks/compare.py before.json after.json

Each row's figure is its ratio to the reference measured in the same run (seconds are not
compared across runs: the machines are shared and noisy); growth factors are shown where the
row is part of a series. A row that only one run has is shown with a dash for the other.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _rows(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(str(r["group"]), str(r["name"])): r for r in json.loads(path.read_text("utf-8"))}


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "—"
    text = f"{row['ratio']:.2f}x"
    if "growth" in row:
        text += f" ({row['growth']:.2f}x per {row['size_factor']:g}x)"
    if row.get("note"):
        text += f"; {row['note']}"
    return text


def table(before: Path, after: Path) -> str:
    """The Markdown table of both runs' rows, grouped as run.py groups them."""
    old, new = _rows(before), _rows(after)
    keys = list(dict.fromkeys([*new, *old]))
    lines = ["| measure | reference | before | after |", "|---|---|---|---|"]
    for group, name in keys:
        cells = (_cell(old.get((group, name))), _cell(new.get((group, name))))
        lines.append(f"| {name} | {group} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    print(table(args.before, args.after))


if __name__ == "__main__":
    main()
