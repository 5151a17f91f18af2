"""kompalloc init needs its folder named: it never fills the current folder by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import invoke


def test_init_without_a_folder_is_a_usage_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(__import__("kompalloc.cli.app", fromlist=["app"]).app, ["init"])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_init_dot_fills_the_current_folder(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "init", ".")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "kompalloc.toml").is_file()
