"""kompalloc compare: goldens, the summary, highlighting, widths, --baseline, --exit-code, exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc.cli.app import app
from kompalloc.pipeline.errors import EXIT_CHANGED

KONGSBERG = ["schemes", "examples/kongsberg-2021"]
NATIONAL = ["schemes", "examples/national-2021"]
K = "examples/kongsberg-2021/scenarios/"
N = "examples/national-2021/scenarios/"
THREE = [
    "--scenario",
    N + "ifs-plus-5-mnok.scenario",
    "--scenario",
    N + "kongsberg-share-8-mnok.scenario",
    "--scenario",
    N + "ifs-07-first.scenario",
]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("compare-national.txt", ["compare", *NATIONAL, *THREE]),
        ("compare-national-short.txt", ["compare", *NATIONAL, *THREE, "--short"]),
        ("compare-national.md", ["compare", *NATIONAL, *THREE, "--format", "markdown"]),
        ("compare-national.csv", ["compare", *NATIONAL, *THREE, "--format", "csv"]),
        (
            "compare-kongsberg-full.txt",
            [
                "compare",
                *KONGSBERG,
                "--scenario",
                K + "kb-08-accepts-partial.scenario",
                "--scenario",
                K + "kb-13-late-offer.scenario",
                "--scenario",
                K + "kb-08-withdraws.scenario",
                "--full",
            ],
        ),
    ],
)
def test_golden_comparisons(runner: CliRunner, name: str, args: list[str]) -> None:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)


def test_tables_fit_100_columns(runner: CliRunner) -> None:
    every = [
        a
        for n in sorted((ROOT / N).glob("*.scenario"))
        for a in ("--scenario", str(n.relative_to(ROOT)))
    ]
    for args in (
        THREE,
        [*THREE, *every, "--set", "pools.industrifagskolen-2021.name=Industrifagskolen"],
    ):
        result = invoke(runner, "compare", *NATIONAL, *args, "--full")
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 0:
            assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_the_summary_says_who_gains_and_who_loses(runner: CliRunner) -> None:
    result = invoke(runner, "compare", *NATIONAL, *THREE, "--format", "json")
    document = json.loads(result.stdout)
    assert document["baseline"] == "base" and document["changed"] is True
    assert [r["name"] for r in document["runs"]] == [
        "base",
        "ifs-plus-5-mnok",
        "kongsberg-share-8-mnok",
        "ifs-07-first",
    ]
    summary = {r["scenario"]: r for r in document["tables"]["summary"]["rows"]}
    ifs07 = summary["ifs-07-first"]
    assert (ifs07["gainers"], ifs07["gained_ore"], ifs07["losers"], ifs07["lost_ore"]) == (
        2,
        205_000_000,
        1,
        220_000_000,
    )
    assert ifs07["newly_funded"] == "IFS-07" and ifs07["dropped"] == "IFS-06"
    assert ifs07["change_ore"] == ifs07["granted_ore"] - ifs07["granted_before_ore"] == -15_000_000
    rows = {r["application"]: r for r in document["tables"]["applications"]["rows"]}
    assert rows["IFS-06"]["ifs-07-first_change_ore"] == -220_000_000
    assert rows["IFS-06"]["ifs-07-first_status"] == "not funded"
    pools = {r["pool_id"]: r for r in document["tables"]["pools"]["rows"]}
    assert pools["industrifagskolen-2021"]["ifs-plus-5-mnok_cap_ore"] == 4_280_000_000
    files = document["files"]
    assert all(N + n in files for n in ("ifs-plus-5-mnok.scenario", "ifs-07-first.scenario"))


def test_any_run_can_be_the_baseline(runner: CliRunner) -> None:
    result = invoke(runner, "compare", *NATIONAL, *THREE, "--baseline", "ifs-07-first", "--short")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if " vs " in line]
    assert [line.split(" vs ")[0] for line in lines] == [
        "base",
        "ifs-plus-5-mnok",
        "kongsberg-share-8-mnok",
    ]
    assert lines[0].startswith("base vs ifs-07-first: granted +150\u00a0000\u00a0kr")
    bad = invoke(runner, "compare", *NATIONAL, *THREE, "--baseline", "ifs-07-frist")
    assert bad.exit_code == 2
    assert "--baseline: no run named 'ifs-07-frist': did you mean 'ifs-07-first'?" in bad.stderr


def test_composed_scenarios_are_one_run(runner: CliRunner) -> None:
    both = f"{N}ifs-plus-5-mnok.scenario+{N}ifs-07-first.scenario"
    result = invoke(runner, "compare", *NATIONAL, "--scenario", both, "--format", "json")
    document = json.loads(result.stdout)
    assert [r["name"] for r in document["runs"]] == ["base", "ifs-plus-5-mnok+ifs-07-first"]


def test_exit_code_tells_ci_whether_anything_changed(runner: CliRunner, tmp_path: Path) -> None:
    changed = invoke(
        runner,
        "compare",
        *KONGSBERG,
        "--scenario",
        K + "kb-08-accepts-partial.scenario",
        "--exit-code",
    )
    assert changed.exit_code == EXIT_CHANGED == 4
    withdrawn = invoke(
        runner,
        "compare",
        *KONGSBERG,
        "--scenario",
        K + "kb-08-withdraws.scenario",
        "--exit-code",
        "--short",
    )
    assert withdrawn.exit_code == 4  # an application fewer is a change, even with no money moved
    assert "removed: KB-08" in withdrawn.stdout
    same = tmp_path / "same.scenario"
    same.write_text("applications:\n  KB-12: {set: {title: Ny tittel}}\n", encoding="utf-8")
    unchanged = invoke(runner, "compare", *KONGSBERG, "--scenario", str(same), "--exit-code")
    assert unchanged.exit_code == 0
    assert "same vs base: nothing changes." in unchanged.stdout
    assert "Applications: no change." in unchanged.stdout
    without = invoke(
        runner, "compare", *KONGSBERG, "--scenario", K + "kb-08-accepts-partial.scenario"
    )
    assert without.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "compare needs at least one --scenario"),
        (["--scenario", K + "kb-08-withdraws.scenario", "--short", "--full"], "do not go together"),
        (
            ["--scenario", K + "kb-08-withdraws.scenario"] * 2,
            "two runs are named 'kb-08-withdraws'",
        ),
    ],
)
def test_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = invoke(runner, "compare", *KONGSBERG, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_broken_scenario_stops_the_comparison(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.scenario"
    broken.write_text(
        "pools:\n  kompetanseloft-kongsberg-2021: {expect: {cap: 9 MNOK}, set: {cap: 1}}\n",
        encoding="utf-8",
    )
    result = invoke(
        runner,
        "compare",
        *KONGSBERG,
        "--scenario",
        str(broken),
        "--scenario",
        K + "kb-08-withdraws.scenario",
        "--exit-code",
    )
    assert result.exit_code == 1  # an error, never mistaken for 'changed'
    assert "error KA703" in result.stderr and "errors in 'broken'" in result.stderr
    assert result.stdout == ""


def test_changed_values_are_highlighted_on_a_terminal_only(tmp_path: Path) -> None:
    args = ["compare", *KONGSBERG, "--scenario", K + "kb-08-accepts-partial.scenario"]
    colour = CliRunner(env={"COLUMNS": "100", "TERM": "xterm-256color", "FORCE_COLOR": "1"})
    result = colour.invoke(app, args, catch_exceptions=False)
    assert re.search("\x1b\\[1;32m *\\+1\u00a0200\u00a0000", result.stdout)  # a gain: bold green
    assert re.search("\x1b\\[1;31m *-700\u00a0000", result.stdout)  # a loss: bold red
    plain = CliRunner(
        env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "xterm-256color", "FORCE_COLOR": "1"}
    )
    assert "\x1b[3" not in plain.invoke(app, args, catch_exceptions=False).stdout


@pytest.mark.parametrize("suffix", [".html", ".svg", ".md"])
def test_compare_exports(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"compare{suffix}"
    result = invoke(
        runner,
        "compare",
        *KONGSBERG,
        "--scenario",
        K + "kb-08-accepts-partial.scenario",
        "--export",
        str(target),
    )
    assert result.exit_code == 0 and "kb-08-accepts-partial vs base" in result.stdout
    text = target.read_text(encoding="utf-8")
    assert "KB-09" in text
    if suffix == ".md":
        assert "| ID " in text or "| Application" in text
        assert "kb-08-accepts-partial vs base: granted" in text
    elif suffix == ".html":
        assert "color: #" in text  # the gains and losses keep their colours
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_the_example_in_readme_is_what_kompalloc_prints(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### kompalloc compare", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    result = invoke(
        runner, "compare", *KONGSBERG, "--scenario", K + "kb-08-accepts-partial.scenario"
    )
    shown = [line.rstrip() for line in result.stdout.replace("\u00a0", " ").splitlines()]
    for line in block.splitlines():
        assert line.rstrip() in shown, line
