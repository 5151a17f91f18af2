"""A round loaded without its scheme files: one diagnostic says so, not one per reference."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import EXAMPLES, invoke
from kompalloc.loading import load
from kompalloc.validation import validate


def test_a_round_without_schemes_gives_one_error() -> None:
    bundle, diagnostics = load([str(EXAMPLES / "national-2021")])
    found = [d for d in [*diagnostics, *validate(bundle)] if d.severity.value == "error"]
    assert [d.code.value for d in found] == ["KA314"]
    assert found[0].message.startswith("no schemes loaded: 111 references")
    assert found[0].hint is not None and "schemes" in found[0].hint


def test_report_without_schemes_prints_one_error(runner: CliRunner) -> None:
    result = invoke(runner, "report", str(EXAMPLES / "national-2021"))
    assert result.exit_code == 1
    assert "1 error, 0 warnings in 6 files" in result.stderr
    assert "KA314 no schemes loaded" in result.stderr
