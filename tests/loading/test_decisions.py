"""check's decisions file: read as strictly as data files, every problem located (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import invoke
from kompalloc.loading.decisions import read_decisions


def _read(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    saved, diagnostics = read_decisions(str(path))
    assert (saved is None) == bool(diagnostics)
    return [(d.code.value, d.span.line, d.span.column) for d in diagnostics]


def _rows(*rows: str) -> str:
    return '{\n "tables": {"applications": {"rows": [\n' + ",\n".join(rows) + "\n]}}\n}\n"


ROW = '{"application": "A", "granted_ore": 100, "status": "funded"}'


def test_a_good_file_reads(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(_rows(ROW).replace("{\n", '{\n "inputs_sha256": "ab",\n', 1), encoding="utf-8")
    saved, diagnostics = read_decisions(str(path))
    assert diagnostics == []
    assert saved is not None and saved.grants == {"A": (100, "funded")}
    assert saved.inputs_sha256 == "ab"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100000, [("KA105", 1, 1001)]),
        (_rows('{"application": null, "granted_ore": 1, "status": "funded"}'), [("KA204", 3, 17)]),
        (_rows('{"application": "A", "granted_ore": 150000000.9, "status": "funded"}'), [("KA206", 3, 37)]),
        (_rows('{"application": "A", "granted_ore": "5", "status": "funded"}'), [("KA206", 3, 37)]),
        (_rows('{"application": "A", "granted_ore": 1e3, "status": "funded"}'), [("KA206", 3, 37)]),
        (_rows('{"application": "A", "granted_ore": -1, "status": "funded"}'), [("KA206", 3, 37)]),
        (_rows('{"application": "A", "status": "funded"}'), [("KA203", 3, 1)]),
        (_rows('{"application": "A", "granted_ore": 1, "status": [1]}'), [("KA204", 3, 50)]),
        (_rows(ROW, ROW), [("KA301", 4, 17)]),
        (_rows("7"), [("KA204", 3, 1)]),
        ("{}", [("KA203", 1, 1)]),
        ('{"tables": 1}', [("KA204", 1, 12)]),
        ('{"tables": {}, "tables": {}}', [("KA102", 1, 16), ("KA203", 1, 12)]),
        ('{"tables": ', [("KA101", 1, 12)]),
        ("", [("KA214", 1, 1)]),
    ],
)
def test_every_problem_is_located(
    tmp_path: Path, text: str, expected: list[tuple[str, int, int]]
) -> None:
    assert _read(tmp_path, text) == expected


def test_a_raw_line_separator_in_a_string_is_text(tmp_path: Path) -> None:
    assert _read(tmp_path, _rows(ROW.replace('"funded"', '"fun\u2028ded"'))) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_for(tmp_path: Path, runner: CliRunner) -> None:
    fifo = tmp_path / "d.json"
    os.mkfifo(fifo)
    result = invoke(runner, "check", str(fifo), "schemes")
    assert result.exit_code == 2
    assert f"{fifo}:1:1: error KA002" in result.stderr


def test_check_lists_every_problem_and_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "d.json"
    path.write_text(
        _rows(
            '{"application": null, "granted_ore": 1, "status": "funded"}',
            '{"application": "B", "granted_ore": 150000000.9, "status": "funded"}',
        ),
        encoding="utf-8",
    )
    result = invoke(runner, "check", str(path), "schemes")
    assert result.exit_code == 2
    assert f"{path}:3:17: error KA204 expected text, found null" in result.stderr
    assert f"{path}:4:37: error KA206" in result.stderr and "150000000.9" in result.stderr
    assert "Traceback" not in result.stderr
