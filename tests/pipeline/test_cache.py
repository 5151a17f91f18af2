"""The cache of unchanged inputs: it never changes a result, and never trusts a bad entry."""

from __future__ import annotations

import hmac
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from conftest import ROOT, invoke
from kompalloc.loading import load
from kompalloc.model import Bundle, Entry
from kompalloc.pipeline import cache as cache_module
from kompalloc.pipeline.cache import _decode, _encode, open_cache
from kompalloc.pipeline.project import current
from kompalloc.validation import validate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "allocation"))
from strategies import worlds

EXAMPLES = [
    ["schemes", "examples/national-2021"],
    ["schemes", "examples/kongsberg-2021"],
    ["schemes", "examples/apportion-2022"],
]


@pytest.fixture(autouse=True)
def _in_repo(repo_cache: Path) -> Path:
    return repo_cache


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.entry")) if folder.exists() else []


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading YAML fail: a run that still succeeds was answered by the cache."""

    def refuse(*_args: object, **_kw: object) -> None:
        raise AssertionError("loaded the files although the cache holds them")

    monkeypatch.setattr("kompalloc.loading.load", refuse)


@pytest.mark.parametrize("paths", EXAMPLES)
@pytest.mark.parametrize("command", [["allocate", "-f", "json"], ["report", "-f", "csv"]])
def test_outputs_with_and_without_the_cache_are_identical(
    paths: list[str], command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    without = invoke(runner, *command, *paths, "--no-cache")
    assert entries(Path(os.environ["KOMPALLOC_CACHE_DIR"])) == []
    filling = invoke(runner, *command, *paths)
    assert len(entries(Path(os.environ["KOMPALLOC_CACHE_DIR"]))) == 1
    no_loading(monkeypatch)
    hit = invoke(runner, *command, *paths)
    for result in (without, filling, hit):
        assert result.exit_code == 0, result.output
    assert without.stdout == filling.stdout == hit.stdout
    assert without.stderr == filling.stderr == hit.stderr


def test_validate_with_errors_is_the_same_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files full of problems (the corpus of bad input): the same diagnostics, exit code too."""
    runner = CliRunner()
    args = ["validate", "tests/corpus/bad", "schemes", "examples", "-f", "json"]
    without = invoke(runner, *args, "--no-cache")
    filling = invoke(runner, *args)
    no_loading(monkeypatch)
    hit = invoke(runner, *args)
    assert without.exit_code == filling.exit_code == hit.exit_code == 1
    assert without.stdout == filling.stdout == hit.stdout


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name in ("applications.yaml", "institutions.yaml", "pools.yaml"):
        (data / name).write_bytes((ROOT / "examples/kongsberg-2021" / name).read_bytes())
    runner = CliRunner()
    first = invoke(runner, "allocate", "schemes", str(data), "-f", "csv")
    apps = data / "applications.yaml"
    apps.write_text(apps.read_text(encoding="utf-8").replace("rank: 1\n", "rank: 9\n", 1), "utf-8")
    second = invoke(runner, "allocate", "schemes", str(data), "-f", "csv")
    fresh = invoke(runner, "allocate", "schemes", str(data), "-f", "csv", "--no-cache")
    assert first.stdout != second.stdout == fresh.stdout


def damage(entry: Path, how: str, tmp_path: Path) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[:60])
    elif how == "truncated body":
        entry.write_bytes(data[:-1])
    elif how == "corrupt head":
        entry.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    elif how == "corrupt body":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "not an entry":
        entry.write_text("cos\nsystem\n(S'echo pwned'\ntR.", encoding="utf-8")
    elif how == "another cache's key":
        key = entry.parent / "key"
        key.write_bytes(os.urandom(32))  # as if the entry had been copied from another cache
    elif how == "another key's entry":
        # Signed by this cache, but made for other files: only the key inside differs.
        secret = (entry.parent / "key").read_bytes()
        size = int.from_bytes(data[80:88], "big")
        _, files, diagnostics, also = marshal.loads(data[88 : 88 + size])
        head = marshal.dumps(("f" * 64, files, diagnostics, also))
        body = data[88 + size :]
        entry.write_bytes(
            cache_module.MAGIC
            + hmac.new(secret, head, "sha256").digest()
            + hmac.new(secret, body, "sha256").digest()
            + len(head).to_bytes(8, "big")
            + head
            + body
        )
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "truncated body",
        "corrupt head",
        "corrupt body",
        "empty",
        "not an entry",
        "another cache's key",
        "another key's entry",
    ],
)
@pytest.mark.parametrize("command", ["allocate", "validate"])
def test_a_bad_entry_is_ignored_with_a_warning(how: str, command: str, tmp_path: Path) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    runner = CliRunner()
    args = [command, *EXAMPLES[1], *(["-f", "json"] if command == "validate" else ["-f", "csv"])]
    good = invoke(runner, *args, "--no-cache")
    invoke(runner, *args)
    (entry,) = entries(folder)
    damage(entry, how, tmp_path)
    if how in ("corrupt body", "truncated body") and command == "validate":
        # validate reads only the entry's head (files and diagnostics), checked on its own
        result = invoke(runner, *args)
        assert result.stdout == good.stdout and "ignored" not in result.stderr
        return
    result = invoke(runner, *args)
    assert result.exit_code == good.exit_code
    assert result.stdout == good.stdout
    assert "kompalloc: warning: ignored the cache entry" in result.stderr
    again = invoke(runner, *args)  # the entry was written again, whole
    assert "ignored" not in again.stderr and again.stdout == good.stdout
    quiet = invoke(runner, "-q", *args, "--no-cache")
    assert "warning" not in quiet.stderr


def test_off_by_environment_and_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    runner = CliRunner()
    monkeypatch.setenv("KOMPALLOC_NO_CACHE", "1")
    invoke(runner, "validate", *EXAMPLES[1])
    assert entries(folder) == []
    monkeypatch.delenv("KOMPALLOC_NO_CACHE")
    project = tmp_path / "project"
    project.mkdir()
    for p in ("schemes", "examples"):
        (project / p).symlink_to(ROOT / p)
    monkeypatch.chdir(project)
    (project / "kompalloc.toml").write_text("cache = false\n", encoding="utf-8")
    current.cache_clear()
    invoke(runner, "validate", *EXAMPLES[1])
    assert entries(folder) == []
    (project / "kompalloc.toml").write_text('cache = ".kompalloc-cache"\n', encoding="utf-8")
    current.cache_clear()
    invoke(runner, "validate", *EXAMPLES[1])
    assert entries(folder) == [] and len(entries(project / ".kompalloc-cache")) == 1
    assert (project / ".kompalloc-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    (project / "kompalloc.toml").write_text("cache = 3\n", encoding="utf-8")
    current.cache_clear()
    result = invoke(runner, "validate", *EXAMPLES[1])
    assert result.exit_code == 2 and "'cache' must be a folder or false" in result.stderr


def test_the_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOMPALLOC_CACHE_DIR")
    found = open_cache()
    assert found is not None
    assert found.folder == Path(os.environ["XDG_CACHE_HOME"]) / "kompalloc"


def test_concurrent_runs_share_the_cache_safely() -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    command = [sys.executable, "-m", "kompalloc", "allocate", *EXAMPLES[0], "-f", "json"]
    children = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [child.communicate() for child in children]
    assert all(child.returncode == 0 for child in children)
    assert len({out for out, _ in outputs}) == 1
    assert not any(b"ignored" in err for _, err in outputs)
    assert len(entries(folder)) == 1
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    again = subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    assert again.stdout == outputs[0][0] and b"ignored" not in again.stderr


def same_entries(a: Bundle, b: Bundle) -> None:
    assert a == b
    for section in ("schemes", "pools", "clusters", "institutions", "applications", "limits"):
        for key, entry in getattr(a, section).items():
            other: Entry = getattr(b, section)[key]
            assert dict(entry.spans) == dict(other.spans)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_plain_data_gives_back_the_same_bundle(b: Bundle) -> None:
    """Generated bundles (every pool setting, limits, rates, Decimal and Fraction values)."""
    same_entries(_decode(_encode(b)), b)


def test_loaded_files_and_diagnostics_come_back_the_same() -> None:
    bundle, diagnostics = load(["schemes", "examples", "tests/corpus/bad"])
    diagnostics += validate(bundle)
    same_entries(_decode(_encode(bundle)), bundle)
    assert [_decode(_encode(d)) for d in diagnostics] == diagnostics


def test_an_entry_holds_only_while_the_decisions_files_it_read_are_the_same(
    tmp_path: Path,
) -> None:
    """An earlier round's decisions file is read by loading but not named on the command line:
    a changed one must be read again (and refused by its digest), never served from the cache."""
    import shutil

    ledger = tmp_path / "ledger"
    shutil.copytree(ROOT / "examples/industrifagskolen-ledger", ledger)
    args = ["validate", "schemes", str(ledger / "budget"), str(ledger / "autumn"), "-f", "json"]
    runner = CliRunner()
    first = invoke(runner, *args)
    assert first.exit_code == 0, first.output
    assert invoke(runner, *args).stdout == first.stdout  # the entry serves the second run
    spring = ledger / "spring.decisions.json"
    spring.write_text(spring.read_text(encoding="utf-8") + " ", encoding="utf-8")
    changed = invoke(runner, *args)
    assert changed.exit_code == 1, changed.output
    assert "KA802" in changed.stdout


def test_every_enum_and_record_of_the_model_can_be_cached() -> None:
    """A new enum or record in the model that the cache cannot hold makes every run that meets
    it a miss, silently; this fails instead."""
    import dataclasses
    import enum

    from kompalloc import model

    enums = {
        v.__name__
        for v in vars(model).values()
        if isinstance(v, type) and issubclass(v, enum.Enum) and v.__module__ == model.__name__
    }
    records = {
        v.__name__
        for v in vars(model).values()
        if isinstance(v, type)
        and dataclasses.is_dataclass(v)
        and v.__module__ == model.__name__
        and v is not model.Entry
    }
    assert enums <= set(cache_module._enums())
    assert records <= set(cache_module._classes())
