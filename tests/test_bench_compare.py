"""benchmarks/compare.py: two runs' rows side by side, each as its ratio within its own run."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rows_of_both_runs_side_by_side(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "benchmarks/compare.py")
    assert spec is not None and spec.loader is not None
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    row = {"group": "g", "name": "10 rounds", "ratio": 2.0, "note": ""}
    (tmp_path / "a.json").write_text(json.dumps([row]), encoding="utf-8")
    grown = {**row, "name": "100 rounds", "ratio": 9.5, "growth": 9.5, "size_factor": 10}
    (tmp_path / "b.json").write_text(
        json.dumps([{**row, "ratio": 1.5, "note": "x"}, grown]), encoding="utf-8"
    )
    lines = compare.table(tmp_path / "a.json", tmp_path / "b.json").splitlines()
    assert lines[2] == "| 10 rounds | g | 2.00x | 1.50x; x |"
    assert lines[3] == "| 100 rounds | g | — | 9.50x (9.50x per 10x) |"
    assert len(lines) == 4
