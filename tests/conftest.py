"""Shared fixtures: paths to the bundled data, and a CLI runner that lets bugs show."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SCHEMES = ROOT / "schemes"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def runner() -> CliRunner:
    """A runner with a fixed terminal width and no colour, so golden output is stable."""
    return CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
