"""The project file: discovery by walking up, precedence (command line > project file > defaults)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app
from kompalloc.pipeline import project as project_module


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the Kongsberg round in a folder of its own, as the working directory's parent."""
    shutil.copytree(ROOT / "schemes", tmp_path / "schemes")
    shutil.copytree(ROOT / "examples" / "kongsberg-2021", tmp_path / "round")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")  # discovery must walk up two levels
    project_module.current.cache_clear()
    yield tmp_path
    project_module.current.cache_clear()


def run(*args: str):  # type: ignore[no-untyped-def]
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_without_paths_or_project_file_is_a_usage_error(work: Path) -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "no paths given, and no kompalloc.toml" in result.stderr


def test_kompalloc_toml_gives_the_paths_and_defaults(work: Path) -> None:
    (work / "kompalloc.toml").write_text(
        'paths = ["schemes", "round"]\nformat = "json"\nmoney = "mnok"\n', encoding="utf-8"
    )
    result = run("report")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)  # the project file's format
    assert {Path(f).parts[-2] for f in doc["files"]} == {"schemes", "round"}
    result = run("report", "--format", "plain")  # the command line wins
    assert "Amounts" not in result.stdout and "10,0" in result.stdout  # MNOK from the project


def test_pyproject_tool_table_works_too(work: Path) -> None:
    (work / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.kompalloc]\npaths = ["schemes", "round"]\nstrict = true\n'
        'ignore = ["KA215"]\n',
        encoding="utf-8",
    )
    assert run("validate").exit_code == 0


def test_project_strictness_and_codes_apply_and_the_command_line_adds_to_them(work: Path) -> None:
    (work / "round" / "extra.yaml").write_text(
        "clusters:\n  zz: {name: NO}\n", encoding="utf-8"
    )  # one KA215 warning
    (work / "kompalloc.toml").write_text(
        'paths = ["schemes", "round"]\nstrict = true\n', encoding="utf-8"
    )
    assert run("validate").exit_code == 1
    assert run("validate", "--ignore", "KA215").exit_code == 0
    (work / "kompalloc.toml").write_text(
        'paths = ["schemes", "round"]\nerror = ["KA215"]\n', encoding="utf-8"
    )
    assert run("validate").exit_code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('paths = "schemes"\ncolour = "red"\n', "unknown key 'colour'"),
        ("strict = 1\n", "'strict' must be true or false"),
        ('money = "euro"\n', '\'money\' must be "kr" or "mnok"'),
        ("paths = [1]\n", "'paths' must be a list of text"),
        ('ignore = ["KA9999"]\npaths = ["schemes"]\n', "unknown code KA9999"),
        ("paths = [\n", "cannot read the project file"),
    ],
)
def test_a_broken_project_file_is_a_usage_error(work: Path, content: str, message: str) -> None:
    (work / "kompalloc.toml").write_text(content, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 2
    assert message in result.stderr


def test_init_makes_a_folder_that_validates_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project_module.current.cache_clear()
    result = run("init", "round")
    assert result.exit_code == 0, result.output
    made = sorted(
        p.relative_to(tmp_path / "round").as_posix() for p in (tmp_path / "round").rglob("*")
    )
    assert {"kompalloc.toml", "applications.yaml", "kompalloc.schema.json", "schemes"} <= set(made)
    assert len([m for m in made if m.startswith("schemes/")]) == len(
        list((ROOT / "schemes").glob("*.yaml"))
    )
    monkeypatch.chdir(tmp_path / "round")
    project_module.current.cache_clear()
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout.endswith("0 errors, 0 warnings in 8 files\n")
    # The commented example in the applications file is a valid application once uncommented.
    text = (tmp_path / "round" / "applications.yaml").read_text(encoding="utf-8")
    body = "\n".join(line[1:] if line.startswith("#  ") else line for line in text.splitlines())
    body = body.replace("applications: {}", "applications:")
    (tmp_path / "round" / "applications.yaml").write_text(body, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path)
    project_module.current.cache_clear()
    again = run("init", "round")
    assert again.exit_code == 2
    assert "will not overwrite" in again.stderr


@pytest.mark.parametrize(
    "kind", ["schemes", "pools", "clusters", "institutions", "applications", "limits"]
)
def test_list_every_kind(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("list", kind, "schemes", "examples/apportion-2022", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["tables"][kind]["rows"]
    assert rows
    if kind == "clusters":  # Norwegian order: "Sunn..." before "Sør..." because ø comes after z
        names = [r["name"] for r in rows]
        assert names.index("Sunnmøre") < names.index("Sørlandet/Agder")
