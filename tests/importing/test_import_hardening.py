"""Findings of the second hardening pass in import: encodings, formula cells, unreadable exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, invoke

EXPORT = ROOT / "examples" / "import" / "soknader-industrifagskolen-2021.csv"
MAPPING = ROOT / "examples" / "import" / "portal.mapping"


def _mapping(tmp_path: Path, first: str) -> Path:
    path = tmp_path / "m.mapping"
    path.write_text(first + "\n" + MAPPING.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["base64", "rot13", "hex", "zlib", "bz2", "uu", "quopri"])
def test_an_encoding_that_is_not_for_text_is_a_located_error(
    tmp_path: Path, runner: CliRunner, name: str
) -> None:
    mapping = _mapping(tmp_path, f"encoding: {name}")
    result = invoke(runner, "import", str(EXPORT), "--mapping", str(mapping))
    assert result.exit_code == 1
    assert f"{mapping}:1:11: error KA209 '{name}' is not a text encoding" in result.stderr


@pytest.mark.parametrize("name", ["nosuch", "utf-99"])
def test_an_unknown_encoding_is_a_located_error(
    tmp_path: Path, runner: CliRunner, name: str
) -> None:
    mapping = _mapping(tmp_path, f"encoding: {name}")
    result = invoke(runner, "import", str(EXPORT), "--mapping", str(mapping))
    assert result.exit_code == 1
    assert f"{mapping}:1:11: error KA209 unknown encoding '{name}'" in result.stderr


@pytest.mark.parametrize("name", ["undefined", "idna", "utf-16", "punycode"])
def test_a_text_encoding_that_fails_on_the_export_is_ka601(
    tmp_path: Path, runner: CliRunner, name: str
) -> None:
    mapping = _mapping(tmp_path, f"encoding: {name}")
    result = invoke(runner, "import", str(EXPORT), "--mapping", str(mapping))
    assert result.exit_code == 2
    assert "error KA601" in result.stderr


# Formula cells ------------------------------------------------------------------------------

HEADER = ["Søknads-ID", "Søker", "Tittel", "Klynge", "Omsøkt beløp", "Innsendt", "Minste beløp", "Notat"]
SMALL_MAPPING = """\
columns:
  id: Søknads-ID
  institution: {column: Søker, map: {Fagskolen i Viken: fagskolen-viken}}
  title: Tittel
  cluster: {column: Klynge, map: {Kongsberg: kongsberg}}
  requested: Omsøkt beløp
  submitted: Innsendt
  min_grant: Minste beløp
defaults: {scheme: industrifagskolen, year: 2021, partial: true}
"""


def _workbook(tmp_path: Path, min_grant: object, note: object = None) -> tuple[Path, Path]:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(["H-1", "Fagskolen i Viken", "T", "Kongsberg", 1000000, "2021-09-01", min_grant, note])
    export = tmp_path / "soknader.xlsx"
    workbook.save(export)  # openpyxl stores formulas without computed values
    mapping = tmp_path / "small.mapping"
    mapping.write_text(SMALL_MAPPING, encoding="utf-8")
    return export, mapping


def test_a_formula_without_a_value_in_a_used_column_is_a_located_error(
    tmp_path: Path, runner: CliRunner
) -> None:
    export, mapping = _workbook(tmp_path, "=E2*0.5")
    result = invoke(runner, "import", str(export), "--mapping", str(mapping))
    assert result.exit_code == 1
    assert f"{export}:2:7: error KA610" in result.stderr
    assert "'=E2*0.5'" in result.stderr
    assert result.stdout == ""


def test_a_formula_in_a_column_the_mapping_does_not_use_is_no_problem(
    tmp_path: Path, runner: CliRunner
) -> None:
    export, mapping = _workbook(tmp_path, 500000, note="=A2")
    result = invoke(runner, "import", str(export), "--mapping", str(mapping))
    assert result.exit_code == 0, result.stderr
    assert 'min_grant: "500 000 kr"' in result.stdout


# Positions and unreadable exports -----------------------------------------------------------


def test_ka602_points_at_the_line_of_the_bad_byte(tmp_path: Path, runner: CliRunner) -> None:
    export = tmp_path / "s.csv"
    export.write_bytes(EXPORT.read_bytes().replace("Sunnmøre".encode(), "Sunnm\xf8re".encode("cp1252"), 1))
    line = next(
        i for i, text in enumerate(export.read_bytes().split(b"\n"), start=1) if b"\xf8" in text
    )
    result = invoke(runner, "import", str(export), "--mapping", str(MAPPING))
    assert f"{export}:{line}:" in result.stderr and "warning KA602" in result.stderr
    assert f"{export}:{line}:1:" not in result.stderr  # the column of the byte, not of the line


def test_ka601_no_header_row_points_at_the_row(tmp_path: Path, runner: CliRunner) -> None:
    export = tmp_path / "s.csv"
    export.write_text("x;y\n;\n" + EXPORT.read_text(encoding="utf-8"), encoding="utf-8")
    mapping = _mapping(tmp_path, "header_row: 2")
    result = invoke(runner, "import", str(export), "--mapping", str(mapping))
    assert result.exit_code == 2
    assert f"{export}:2:1: error KA601" in result.stderr


def test_a_folder_as_the_export_is_ka002_and_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "import", str(tmp_path), "--mapping", str(MAPPING))
    assert result.exit_code == 2
    assert "error KA002" in result.stderr
