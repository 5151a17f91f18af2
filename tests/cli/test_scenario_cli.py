"""--scenario, --set, --effective and --export on the allocating commands, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app

KONGSBERG = ["schemes", "examples/kongsberg-2021"]
NATIONAL = ["schemes", "examples/national-2021"]
K = "examples/kongsberg-2021/scenarios/"
N = "examples/national-2021/scenarios/"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def grants(runner: CliRunner, *args: str) -> dict[str, int]:
    result = invoke(runner, "allocate", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["tables"]["applications"]["rows"]
    return {r["application"]: r["granted_ore"] for r in rows}


def test_a_scenario_changes_the_allocation_and_is_stamped(runner: CliRunner) -> None:
    base = grants(runner, *KONGSBERG)
    what_if = grants(runner, *KONGSBERG, "--scenario", K + "kb-08-accepts-partial.scenario")
    changed = {k for k in base if base[k] != what_if[k]}
    assert changed == {"KB-08", "KB-09", "KB-10"}
    assert what_if["KB-08"] == 120_000_000
    result = invoke(
        runner, "allocate", *KONGSBERG, "--scenario", K + "kb-08-withdraws.scenario", "-f", "json"
    )
    document = json.loads(result.stdout)
    assert K + "kb-08-withdraws.scenario" in document["files"]
    assert "KB-08" not in {r["application"] for r in document["tables"]["applications"]["rows"]}
    text = invoke(runner, "report", *KONGSBERG, "--scenario", K + "kb-08-withdraws.scenario").stdout
    assert "· 11 input files ·" in text


def test_repeated_scenarios_apply_in_order_like_a_composed_one(runner: CliRunner) -> None:
    a, b = K + "kb-08-accepts-partial.scenario", K + "fagskole-share-4-5-mnok.scenario"
    repeated = grants(runner, *KONGSBERG, "--scenario", a, "--scenario", b)
    composed = grants(runner, *KONGSBERG, "--scenario", f"{a}+{b}")
    assert repeated == composed
    assert repeated != grants(runner, *KONGSBERG, "--scenario", a)


def test_set_overrides_one_value(runner: CliRunner) -> None:
    more = grants(runner, *KONGSBERG, "--set", "pools.kompetanseloft-kongsberg-2021.cap=12 MNOK")
    assert sum(more.values()) == 1_200_000_000
    unset = grants(runner, *KONGSBERG, "--set", "applications.KB-08.rank=null")
    assert unset["KB-08"] == 0


@pytest.mark.parametrize(
    ("argument", "code", "message"),
    [
        (
            "pools.kompetanseloft-kongsberg-2012.cap=12 MNOK",
            2,
            "did you mean 'kompetanseloft-kongsberg-2021'?",
        ),
        (
            "pools.kompetanseloft-kongsberg-2021.cop=1",
            2,
            "a pool has no key 'cop': did you mean 'cap'?",
        ),
        ("pools.kompetanseloft-kongsberg-2021.cap", 2, "no '='"),
        ("pools.kompetanseloft-kongsberg-2021.cap=12.5 MNOK", 1, "error KA205"),
        ("pools.kompetanseloft-kongsberg-2021.committed=11 MNOK", 1, "error KA401"),
    ],
)
def test_bad_set_paths_are_exit_2_and_bad_values_exit_1(
    runner: CliRunner, argument: str, code: int, message: str
) -> None:
    result = invoke(runner, "allocate", *KONGSBERG, "--set", argument)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""


def test_a_scenario_with_errors_is_refused_with_every_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.scenario"
    bad.write_text(
        "applications:\n  KB-8: remove\n  KB-10: {set: {requested: 1.2 MNOK}}\n", encoding="utf-8"
    )
    result = invoke(runner, "report", *KONGSBERG, "--scenario", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2:3: error KA701 scenario 'bad': there is no application 'KB-8'" in result.stderr
    assert "hint: did you mean 'KB-08'?" in result.stderr
    assert f"{bad}:3:28: error KA205" in result.stderr
    assert "kompalloc: not allocating: errors in 'bad'" in result.stderr
    missing = invoke(runner, "allocate", *KONGSBERG, "--scenario", "no/such.scenario")
    assert missing.exit_code == 2
    assert "error KA001 no such scenario file: no/such.scenario" in missing.stderr


def test_effective_prints_the_data_that_runs_and_loads_back(
    runner: CliRunner, tmp_path: Path
) -> None:
    scenario = K + "kb-13-late-offer.scenario"
    result = invoke(
        runner,
        "allocate",
        *KONGSBERG,
        "--scenario",
        scenario,
        "--set",
        "applications.KB-13.partial=true",
        "--effective",
    )
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# Effective data of a kompalloc")
    assert f"#   scenario: {scenario}" in text
    assert f"  KB-13:  # from {scenario}:11:3" in text
    assert "    partial: true  # --set applications.KB-13.partial" in text
    target = tmp_path / "effective.yaml"
    written = invoke(
        runner, "report", *KONGSBERG, "--scenario", scenario, "--effective", "-o", str(target)
    )
    assert written.exit_code == 0 and written.stdout == ""
    again = grants(runner, str(target))
    assert again == grants(runner, *KONGSBERG, "--scenario", scenario)
    over = invoke(
        runner, "allocate", *KONGSBERG, "--effective", "-o", "examples/kongsberg-2021/pools.yaml"
    )
    assert over.exit_code == 2 and "refusing to write over the input file" in over.stderr


def test_effective_excerpt_in_readme_is_what_kompalloc_prints(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    result = invoke(
        runner,
        "allocate",
        *KONGSBERG,
        "--scenario",
        K + "kb-08-accepts-partial.scenario",
        "--effective",
    )
    for line in ("    partial: true  # ", '    min_grant: "1 000 000 kr"  # '):
        shown = next(x for x in readme.splitlines() if x.startswith(line))
        assert shown in result.stdout.splitlines()


def test_explain_and_check_take_scenarios(runner: CliRunner, tmp_path: Path) -> None:
    scenario = K + "kb-08-accepts-partial.scenario"
    result = invoke(runner, "explain", "KB-08", *KONGSBERG, "--scenario", scenario)
    assert result.exit_code == 0
    assert "Decision: partial, 1\u00a0200\u00a0000\u00a0kr" in result.stdout
    decisions = tmp_path / "decisions.json"
    assert invoke(runner, "allocate", *KONGSBERG, "-f", "json", "-o", str(decisions)).exit_code == 0
    same = invoke(
        runner, "check", str(decisions), *KONGSBERG, "--set", "applications.KB-12.title=Ny tittel"
    )
    assert same.exit_code == 0
    changed = invoke(runner, "check", str(decisions), *KONGSBERG, "--scenario", scenario)
    assert changed.exit_code == 1
    assert "~ KB-08: not funded 0\u00a0kr -> partial 1\u00a0200\u00a0000\u00a0kr" in changed.stdout


@pytest.mark.parametrize("suffix", [".html", ".svg", ".md"])
def test_report_exports_what_it_shows(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"report{suffix}"
    result = invoke(runner, "report", *KONGSBERG, "--export", str(target), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tables"]  # the chosen format still goes to stdout
    text = target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # written whole, nothing left
    if suffix == ".md":
        assert "## Schemes and pools" in text and "| Pool" in text
        assert "funding line at KB-07" in text
    elif suffix == ".html":
        assert text.lstrip().startswith("<!DOCTYPE html>") and "Fagskoleandel" in text
    else:
        assert text.lstrip().startswith("<svg") and "Fagskoleandel" in text


def test_export_refuses_unknown_kinds_inputs_and_unwritable_places(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = invoke(runner, "report", *KONGSBERG, "--export", str(tmp_path / "report.pdf"))
    assert result.exit_code == 2 and "must end in .html, .svg or .md" in result.stderr
    scenario = ROOT / K / "kb-08-withdraws.scenario"
    before = scenario.read_bytes()
    result = invoke(
        runner,
        "report",
        *KONGSBERG,
        "--scenario",
        str(scenario),
        "--export",
        str(scenario.with_suffix(".md")),
    )
    assert result.exit_code == 0
    scenario.with_suffix(".md").unlink()
    assert scenario.read_bytes() == before
    result = invoke(runner, "report", *KONGSBERG, "--export", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 3


def test_a_scenario_file_can_silence_its_own_warnings(runner: CliRunner, tmp_path: Path) -> None:
    same = "applications:\n  KB-08: {set: {rank: 8}}\n"
    loud = tmp_path / "loud.scenario"
    loud.write_text(same, encoding="utf-8")
    quiet = tmp_path / "quiet.scenario"
    quiet.write_text("# kompalloc: ignore KA706\n" + same, encoding="utf-8")
    result = invoke(runner, "--verbose", "allocate", *KONGSBERG, "--scenario", str(loud))
    assert result.exit_code == 0 and "warning KA706" in result.stderr
    result = invoke(runner, "--verbose", "allocate", *KONGSBERG, "--scenario", str(quiet))
    assert result.exit_code == 0 and "KA706" not in result.stderr
