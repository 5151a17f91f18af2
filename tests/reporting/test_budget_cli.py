"""Rounds that build on earlier rounds, through the CLI: the spring decisions file the autumn
reads, its digest, the budget tables in every format (golden files), --as-of, check and list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke

LEDGER = ROOT / "examples" / "industrifagskolen-ledger"
COMMON = ["schemes/institutions.yaml", "schemes/clusters.yaml", f"{LEDGER}/budget"]
SPRING = [*COMMON, f"{LEDGER}/spring"]
AUTUMN = [*COMMON, f"{LEDGER}/autumn"]
ALL_YEARS = [*AUTUMN, f"{LEDGER}/frame-2022"]
MNOK = 100_000_000


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def relative(paths: list[str]) -> list[str]:
    return [str(Path(p).relative_to(ROOT)) if Path(p).is_absolute() else p for p in paths]


def budget_rows(runner: CliRunner, *args: str) -> dict[str, dict[str, object]]:
    result = invoke(runner, "report", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["tables"]["budget"]["rows"]
    return {str(r["pool"]): r for r in rows}


def test_the_bundled_spring_decisions_file_is_what_the_spring_round_writes(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The command in spring/applications.yaml writes the committed file byte for byte, so the
    digest autumn/earlier.yaml pins is the spring round's."""
    out = tmp_path / "spring.decisions.json"
    result = invoke(runner, "allocate", *relative(SPRING), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (LEDGER / "spring.decisions.json").read_bytes()
    decided = json.loads(out.read_text(encoding="utf-8"))["decided_grants"]
    assert sum(g["granted_ore"] for g in decided) == 17_800_000_00  # 37,8 - "about 20" MNOK
    assert decided[0]["pools"] == ["ifs-2021", "ifs-2021-kongsberg"]
    check = invoke(runner, "check", str(LEDGER / "spring.decisions.json"), *relative(SPRING))
    assert check.exit_code == 0, check.output


def test_the_autumn_room_is_what_the_spring_left_derived_not_typed(runner: CliRunner) -> None:
    before = budget_rows(runner, *relative(AUTUMN), "--as-of", "2021-09-15")
    root, share = before["Industrifagskolen 2021"], before["Kongsberg-andel 2021"]
    assert root["committed_ore"] == 0  # nothing typed by hand
    assert root["earlier_spring-2021_ore"] == 17_800_000_00
    assert root["returned_ore"] == 0
    assert root["cap_ore"] - root["earlier_spring-2021_ore"] == 20 * MNOK  # "about 20 MNOK left"
    assert share["cap_ore"] - share["earlier_spring-2021_ore"] == 1_170_000_00
    after = budget_rows(runner, *relative(AUTUMN))
    root = after["Industrifagskolen 2021"]
    assert root["returned_ore"] == 550_000_00  # SPR-05 withdrawn, 150 000 kr of SPR-03 repaid
    assert root["granted_ore"] == 20_550_000_00 and root["remaining_ore"] == 0


def test_the_frame_grant_counts_in_each_of_its_years(runner: CliRunner) -> None:
    rows = budget_rows(runner, *relative(ALL_YEARS))
    for year in (2022, 2023, 2024):
        row = rows[f"Industrifagskolen {year}"]
        assert row["earlier_grants_ore"] == 23 * MNOK
        assert row["remaining_ore"] == 15_800_000_00


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("budget-ifs.txt", []),
        ("budget-ifs.csv", ["--format", "csv", "--table", "budget"]),
        ("budget-clusters-ifs.csv", ["--format", "csv", "--table", "budget_clusters"]),
        ("budget-ifs.html", ["--format", "html", "--table", "budget"]),
        ("budget-ifs.md", ["--format", "markdown"]),
    ],
)
def test_golden_budget_reports(runner: CliRunner, name: str, args: list[str]) -> None:
    result = invoke(runner, "report", *relative(ALL_YEARS), *args)
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)


def test_golden_earlier_grants_listing(runner: CliRunner) -> None:
    result = invoke(runner, "list", "grants", *relative(ALL_YEARS))
    assert result.exit_code == 0, result.output
    check_golden("list-grants-ifs.txt", result.stdout)


def test_json_budget_reconciles_in_every_row(runner: CliRunner) -> None:
    for row in budget_rows(runner, *relative(ALL_YEARS)).values():
        earlier = sum(int(v) for k, v in row.items() if str(k).startswith("earlier_"))  # type: ignore[call-overload]
        assert row["remaining_ore"] == (
            row["cap_ore"]
            - row["committed_ore"]
            - earlier
            + row["returned_ore"]
            - row["granted_ore"]  # type: ignore[operator]
        )


def copy_ledger(tmp_path: Path) -> Path:
    target = tmp_path / "ledger"
    shutil.copytree(LEDGER, target)
    return target


def test_a_changed_spring_file_is_refused_with_its_new_digest(
    runner: CliRunner, tmp_path: Path
) -> None:
    copy = copy_ledger(tmp_path)
    decisions = copy / "spring.decisions.json"
    decisions.write_text(decisions.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    paths = [*COMMON[:2], str(copy / "budget"), str(copy / "autumn")]
    result = invoke(runner, "allocate", *paths)
    assert result.exit_code == 1
    assert "error KA802" in result.stderr
    assert "if the change is meant, write: sha256: " in result.stderr


def test_an_earlier_round_decided_as_of_a_later_date_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    copy = copy_ledger(tmp_path)
    decisions = copy / "spring.decisions.json"
    result = invoke(
        runner,
        "allocate",
        *relative(SPRING),
        "--as-of",
        "2021-12-31",
        "--format",
        "json",
        "--output",
        str(decisions),
    )
    assert result.exit_code == 0, result.output
    import hashlib

    digest = hashlib.sha256(decisions.read_bytes()).hexdigest()
    earlier = copy / "autumn" / "earlier.yaml"
    text = earlier.read_text(encoding="utf-8")
    start = text.index("sha256: ") + len("sha256: ")
    earlier.write_text(text[:start] + digest + text[start + 64 :], encoding="utf-8")
    paths = [*COMMON[:2], str(copy / "budget"), str(copy / "autumn")]
    assert invoke(runner, "allocate", *paths).exit_code == 0
    result = invoke(runner, "allocate", *paths, "--as-of", "2021-09-15")
    assert result.exit_code == 1
    assert "error KA809" in result.stderr


def test_the_report_says_where_returned_money_came_from(runner: CliRunner) -> None:
    result = invoke(runner, "report", *relative(AUTUMN))
    assert (
        "Industrifagskolen 2021: returned 550 000 kr, SPR-03 repaid 2021-11-20; "
        "SPR-05 withdrawn 2021-10-01." in result.stdout.replace("\u00a0", " ")
    )


def test_reports_without_earlier_money_have_no_budget_tables(runner: CliRunner) -> None:
    result = invoke(runner, "report", "schemes", "examples/kongsberg-2021", "--format", "json")
    assert "budget" not in json.loads(result.stdout)["tables"]


def test_every_new_code_is_explained(runner: CliRunner) -> None:
    for code in ("KA801", "KA802", "KA803", "KA804", "KA805", "KA806", "KA807", "KA808", "KA809"):
        result = invoke(runner, "explain-code", code)
        assert result.exit_code == 0 and code in result.stdout
