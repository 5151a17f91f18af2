"""Shared fixtures: paths to the bundled data, and a CLI runner that lets bugs show."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

if TYPE_CHECKING:
    from kompalloc.reporting.output import Shown

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def invoke(runner: CliRunner, *args: str) -> Any:
    """Run the CLI and let a bug show as a traceback, not as an exit code."""
    from kompalloc.cli.app import app

    return runner.invoke(app, list(args), catch_exceptions=False)


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it, and a missing one fails once."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; run again")
    assert text == path.read_text(encoding="utf-8"), f"differs from golden/{name} (UPDATE_GOLDEN=1)"


@pytest.fixture(autouse=True)
def no_real_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs with HOME and the XDG folders in a temporary folder: none touches the
    real home folder (shell completion, caches), and child processes inherit the same."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


@pytest.fixture
def runner() -> CliRunner:
    """A runner with a fixed terminal width and no colour, so golden output is stable."""
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def repo_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The repository as the working folder, the cache on in an empty folder of tmp_path
    (yielded), COLUMNS unset, and the project file read afresh before and after."""
    from kompalloc.pipeline.project import current

    monkeypatch.chdir(ROOT)
    folder = tmp_path / "cache"
    monkeypatch.setenv("KOMPALLOC_CACHE_DIR", str(folder))
    monkeypatch.delenv("KOMPALLOC_NO_CACHE", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    current.cache_clear()
    yield folder
    current.cache_clear()


def rich_printed(shown: Sequence[Shown], width: int) -> str:
    """What Rich's own printing writes on a console without colour: the oracle of the text
    made without it."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    for item in shown:
        item.print_on(console)
    return buffer.getvalue()
