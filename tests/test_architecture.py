"""The import contracts in pyproject.toml hold, and they can fail.

``lint-imports`` (import-linter) checks three contracts: the layers (cli > pipeline > reporting >
scenarios > validation | importing > allocation > pooltree | eligibility | asof > loading > model >
base modules), no typer, rich, tabulate or openpyxl below the presentation layers, and yaml only in
loading/. The tests run it on the package as it is, then on copies of the package with one import
that breaks one contract, so a contract that has stopped checking anything fails here too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(project / "pyproject.toml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("model.py", "import kompalloc.allocation", "Layers"),
        ("pipeline/run.py", "import kompalloc.cli.app", "Layers"),
        ("allocation/caps.py", "import kompalloc.reporting", "Layers"),
        ("validation/__init__.py", "import kompalloc.importing", "Layers"),
        ("money.py", "import rich", "The core is a library"),
        ("pipeline/errors.py", "import typer", "The core is a library"),
        ("allocation/results.py", "import tabulate", "The core is a library"),
        ("scenarios/__init__.py", "import openpyxl", "The core is a library"),
        ("reporting/tables.py", "import yaml", "Only loading/ reads YAML"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "kompalloc",
        tmp_path / "src" / "kompalloc",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    target = tmp_path / "src" / "kompalloc" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    verdicts = " ".join(result.stdout.split())
    after = verdicts.split(broken, 1)[1]
    assert after.index("BROKEN") < after.index("KEPT") if "KEPT" in after else "BROKEN" in after
    assert re.search(r"Contracts: \d kept, [12] broken", verdicts), verdicts


def test_every_module_is_described_in_docs_architecture() -> None:
    """docs/architecture.md has a sentence for every module, and names no module that is gone."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "kompalloc"
    modules = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    }
    named = set(re.findall(r"`([a-z_/]+\.py)`", text))
    assert sorted(modules - named) == [], "modules docs/architecture.md does not describe"
    assert sorted(named - modules) == [], "modules docs/architecture.md names that do not exist"
