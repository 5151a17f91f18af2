"""Saved outputs: a second allocate over unchanged files writes the same bytes without
allocating, every option that changes the output changes the key, a bad entry is ignored."""

from __future__ import annotations

import hmac
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from conftest import ROOT, invoke
from kompalloc.pipeline import cache as cache_module
from kompalloc.pipeline.project import current

sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from fuzz_inputs import bundle_text

EXAMPLES = [
    ["schemes", "examples/national-2021"],
    ["schemes", "examples/kongsberg-2021"],
    ["schemes", "examples/apportion-2022"],
    [
        "schemes",
        "examples/industrifagskolen-ledger/budget",
        "examples/industrifagskolen-ledger/autumn",
    ],
]
FORMATS = [
    ["-f", "csv"],
    ["-f", "json"],
    [],
    ["-f", "markdown"],
    ["-f", "csv", "--csv-dialect", "excel-nb", "--table", "rounds"],
    ["--money", "mnok", "--lang", "nb"],
]


@pytest.fixture(autouse=True)
def _in_repo(repo_cache: Path) -> Path:
    return repo_cache


def outputs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.output")) if folder.exists() else []


class Counted:
    """Counts allocations: a run that allocates nothing was answered by a saved output."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from kompalloc.allocation import engine

        self.calls = 0
        real = engine.allocate

        def counting(*args: object, **kw: object) -> object:
            self.calls += 1
            return real(*args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr("kompalloc.allocation.allocate", counting)


@pytest.mark.parametrize("paths", EXAMPLES)
@pytest.mark.parametrize("options", FORMATS)
def test_a_saved_output_is_the_same_byte_for_byte(
    paths: list[str], options: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    runner = CliRunner()
    without = invoke(runner, "allocate", *paths, *options, "--no-cache")
    filling = invoke(runner, "allocate", *paths, *options)
    assert len(outputs(folder)) == 1
    counted = Counted(monkeypatch)
    hit = invoke(runner, "allocate", *paths, *options)
    verbose = invoke(runner, "-v", "allocate", *paths, *options)
    verbose_fresh = invoke(runner, "-v", "allocate", *paths, *options, "--no-cache")
    assert counted.calls == 1  # only the --no-cache run allocated
    for result in (without, filling, hit):
        assert result.exit_code == 0, result.output
    assert without.stdout_bytes == filling.stdout_bytes == hit.stdout_bytes
    assert without.stderr == filling.stderr == hit.stderr
    assert verbose.stderr == verbose_fresh.stderr and verbose.stdout == verbose_fresh.stdout


def test_a_saved_output_file_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    fresh, first, second = (tmp_path / n for n in ("fresh.json", "first.json", "second.json"))
    invoke(runner, "allocate", *EXAMPLES[1], "-f", "json", "-o", str(fresh), "--no-cache")
    invoke(runner, "allocate", *EXAMPLES[1], "-f", "json", "-o", str(first))
    counted = Counted(monkeypatch)
    invoke(runner, "allocate", *EXAMPLES[1], "-f", "json", "-o", str(first))
    assert counted.calls == 0
    assert fresh.read_bytes() == first.read_bytes()
    invoke(runner, "allocate", *EXAMPLES[1], "-f", "json", "-o", str(second))
    assert counted.calls == 1  # another --output is another key
    assert second.read_bytes() == fresh.read_bytes()
    refused = invoke(runner, "allocate", *EXAMPLES[1], "-o", "examples/kongsberg-2021/pools.yaml")
    assert refused.exit_code == 2 and "refusing to write over" in refused.stderr


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=bundle_text())
def test_generated_bundles_are_the_same_from_a_saved_output(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / f"b{abs(hash(text))}.yaml"
    data.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for options in (["-f", "json"], ["-f", "csv"], []):
        without = invoke(runner, "allocate", str(data), *options, "--no-cache")
        filling = invoke(runner, "allocate", str(data), *options)
        hit = invoke(runner, "allocate", str(data), *options)
        assert without.exit_code == filling.exit_code == hit.exit_code
        assert without.stdout_bytes == filling.stdout_bytes == hit.stdout_bytes
        assert without.stderr == filling.stderr == hit.stderr


def test_a_generated_archive_is_the_same_from_a_saved_output(tmp_path: Path) -> None:
    from run import generate

    files = [str(f) for f in generate(tmp_path / "n400", 400, per_file=100)]
    runner = CliRunner()
    without = invoke(runner, "-q", "allocate", *files, "-f", "csv", "--no-cache")
    invoke(runner, "-q", "allocate", *files, "-f", "csv")
    hit = invoke(runner, "-q", "allocate", *files, "-f", "csv")
    assert without.exit_code == hit.exit_code == 0
    assert without.stdout_bytes == hit.stdout_bytes


BASE = ["allocate", *EXAMPLES[1], "-f", "csv"]
FLIPS: list[tuple[str, list[str]]] = [
    ("--method", [*BASE, "--method", "pro_rata"]),
    ("--as-of", [*BASE, "--as-of", "2021-09-10"]),
    ("--format", ["allocate", *EXAMPLES[1], "-f", "json"]),
    ("--table", [*BASE, "--table", "rounds"]),
    ("--csv-dialect", [*BASE, "--csv-dialect", "excel-nb"]),
    ("--money", [*BASE, "--money", "mnok"]),
    ("--lang", [*BASE, "--lang", "nb"]),
    ("paths", ["allocate", "schemes", str(ROOT / "examples/kongsberg-2021"), "-f", "csv"]),
    ("more paths", [*BASE, "examples/kongsberg-2021/pools.yaml"]),
]


@pytest.mark.parametrize(("what", "args"), FLIPS, ids=[w for w, _ in FLIPS])
def test_every_option_that_changes_the_output_changes_the_key(
    what: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    invoke(runner, *BASE)
    counted = Counted(monkeypatch)
    invoke(runner, *BASE)
    assert counted.calls == 0
    flipped = invoke(runner, *args)
    assert counted.calls == 1, f"{what}: served from the base run's saved output"
    fresh = invoke(runner, *args, "--no-cache")
    assert flipped.stdout_bytes == fresh.stdout_bytes


@pytest.mark.parametrize(
    ("variable", "value"),
    [("COLUMNS", "60"), ("KOMPALLOC_LANG", "nb"), ("NO_COLOR", "1"), ("LANG", "C")],
)
def test_the_environment_is_part_of_the_key(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    args = ["allocate", *EXAMPLES[1]]  # text tables: COLUMNS sets their width
    invoke(runner, *args)
    counted = Counted(monkeypatch)
    monkeypatch.setenv(variable, value)
    flipped = invoke(runner, *args)
    assert counted.calls == 1
    assert flipped.stdout == invoke(runner, *args, "--no-cache").stdout


def test_the_project_file_and_the_working_directory_are_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for p in ("schemes", "examples"):
        (project / p).symlink_to(ROOT / p)
    runner = CliRunner()
    invoke(runner, *BASE)
    counted = Counted(monkeypatch)
    monkeypatch.chdir(project)
    current.cache_clear()
    invoke(runner, *BASE)
    assert counted.calls == 1  # another working directory
    (project / "kompalloc.toml").write_text('money = "mnok"\n', encoding="utf-8")
    current.cache_clear()
    flipped = invoke(runner, *BASE)
    assert counted.calls == 2
    assert flipped.stdout == invoke(runner, *BASE, "--no-cache").stdout
    (project / "kompalloc.toml").write_text('money = "mnok"\nignore = ["KA402"]\n', "utf-8")
    current.cache_clear()
    invoke(runner, *BASE)
    assert counted.calls == 4


def test_a_changed_file_or_decisions_file_is_allocated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(ROOT / "examples/industrifagskolen-ledger", ledger)
    args = ["allocate", "schemes", str(ledger / "budget"), str(ledger / "autumn"), "-f", "csv"]
    runner = CliRunner()
    first = invoke(runner, *args)
    assert first.exit_code == 0, first.output
    spring = ledger / "spring.decisions.json"
    spring.write_text(spring.read_text(encoding="utf-8") + " ", encoding="utf-8")
    changed = invoke(runner, *args)
    assert changed.exit_code == 1 and "KA802" in changed.stderr  # refused, not replayed
    apps = next((ledger / "autumn").glob("*.yaml"))
    apps.write_text(apps.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert invoke(runner, *args).stderr == invoke(runner, *args, "--no-cache").stderr


def test_runs_that_are_not_saved(tmp_path: Path) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    runner = CliRunner()
    scenario = "examples/national-2021/scenarios/ifs-plus-5-mnok.scenario"
    done = invoke(runner, "allocate", *EXAMPLES[0], "--scenario", scenario, "-f", "csv")
    assert done.exit_code == 0, done.output
    pool = "pools.kompetanseloft-kongsberg-2021-fagskole.cap=1MNOK"
    done = invoke(runner, "allocate", *EXAMPLES[1], "--set", pool)
    assert done.exit_code == 0, done.output
    invoke(runner, "allocate", *EXAMPLES[1], "--effective")
    invoke(runner, "allocate", *EXAMPLES[1], "-f", "xlsx", "-o", str(tmp_path / "a.xlsx"))
    assert outputs(folder) == []


def damage(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[:20])
    elif how == "cut short":
        entry.write_bytes(data[:-1])
    elif how == "corrupt":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "another cache's key":
        (entry.parent / "key").write_bytes(os.urandom(32))
    elif how == "another key's entry":
        # Signed by this cache for another key: renamed, or its text replaced and re-signed.
        secret = (entry.parent / "key").read_bytes()
        text = b"forged,1\n"
        mac = hmac.new(secret, b"f" * 64 + b"\0" + text, "sha256").digest()
        entry.write_bytes(cache_module.OUTPUT_MAGIC + mac + text)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    ["truncated", "cut short", "corrupt", "empty", "another cache's key", "another key's entry"],
)
def test_a_bad_saved_output_is_ignored_with_a_warning(how: str) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])
    runner = CliRunner()
    good = invoke(runner, *BASE, "--no-cache")
    invoke(runner, *BASE)
    (entry,) = outputs(folder)
    damage(entry, how)
    result = invoke(runner, *BASE)
    assert result.exit_code == 0
    assert result.stdout_bytes == good.stdout_bytes
    assert "kompalloc: warning: ignored the cache entry" in result.stderr
    again = invoke(runner, *BASE)  # saved again, whole
    assert "ignored" not in again.stderr and again.stdout_bytes == good.stdout_bytes
    assert len(outputs(folder)) == 1


def test_a_closed_pipe_or_an_error_leaves_no_saved_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = Path(os.environ["KOMPALLOC_CACHE_DIR"])

    def broken(_data: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr("kompalloc.pipeline.files.write_stdout", broken)
    result = invoke(CliRunner(), *BASE)
    assert result.exit_code == 141
    assert outputs(folder) == []
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
