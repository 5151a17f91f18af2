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
