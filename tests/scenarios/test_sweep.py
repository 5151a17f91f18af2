"""kompalloc sweep: the command, its agreement with separate runs, and monotonicity method by method.

README's 'Sweeps and monotonicity' lists what holds and the exceptions; every row of its table
is a hypothesis property here, and every exception is a worked example.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from factories import application, bundle, cluster, pool
from kompalloc.allocation import allocate
from kompalloc.loading import load
from kompalloc.model import Apportion, Bundle
from kompalloc.scenarios.sweep import caps_between, sweep
from strategies import sweep_rounds

KONGSBERG = ["schemes", "examples/kongsberg-2021"]
NATIONAL = ["schemes", "examples/national-2021"]
MNOK = 100_000_000


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (
            "sweep-kongsberg.txt",
            [
                "--pool",
                "kompetanseloft-kongsberg-2021",
                "--from",
                "8 MNOK",
                "--to",
                "15 MNOK",
                "--step",
                "1 MNOK",
            ],
        ),
        (
            "sweep-national-share.txt",
            [
                "--pool",
                "industrifagskolen-2021-kongsberg",
                "--values",
                "5 MNOK,6 MNOK;6,5 MNOK, 7 MNOK,8 MNOK",
            ],
        ),
    ],
)
def test_golden_sweeps(runner: CliRunner, name: str, args: list[str]) -> None:
    data = KONGSBERG if "kongsberg" in name else NATIONAL
    result = invoke(runner, "sweep", *data, *args)
    assert result.exit_code == 0, result.output
    assert (
        max(
            len(line)
            for line in result.stdout.splitlines()
            if "·" not in line and "stops" not in line
        )
        <= 100
    )
    check_golden(name, result.stdout)


def test_chart_in_readme_is_what_kompalloc_draws(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    result = invoke(
        runner,
        "sweep",
        *KONGSBERG,
        "--pool",
        "kompetanseloft-kongsberg-2021",
        "--from",
        "8MNOK",
        "--to",
        "15MNOK",
        "--step",
        "1MNOK",
    )
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    start = lines.index("Granted in the round as the cap of kompetanseloft-kongsberg-2021 varies")
    for line in lines[start : start + 11]:
        assert line.replace("\u00a0", " ") in readme, line


def test_json_has_one_row_per_cap_in_rising_order(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "sweep",
        *NATIONAL,
        "--pool",
        "industrifagskolen-2021",
        "--values",
        "45MNOK;37,8MNOK;40MNOK;40MNOK",
        "-f",
        "json",
    )
    document = json.loads(result.stdout)
    rows = document["tables"]["sweep"]["rows"]
    assert [r["cap_ore"] for r in rows] == [3_780_000_000, 4_000_000_000, 4_500_000_000]
    assert document["sweep"]["round"] == "industrifagskolen-2021"
    assert rows[0]["granted_ore"] == 2_000_000_000 and rows[0]["funding_line"] == "IFS-01"
    assert rows[0]["change_ore"] is None and rows[1]["change_ore"] == 205_000_000
    # every round counts in total_granted: the other three rounds grant 37 MNOK
    assert rows[0]["total_granted_ore"] == 5_700_000_000
    csv = invoke(
        runner,
        "sweep",
        *NATIONAL,
        "--pool",
        "industrifagskolen-2021",
        "--values",
        "40MNOK",
        "-f",
        "csv",
    )
    assert csv.stdout.splitlines()[0].startswith("cap_ore,granted_ore,change_ore,funded,full")


def test_the_sweep_agrees_with_separate_allocations(tmp_path: Path) -> None:
    """Only the pool's round is re-allocated per step; with limits, every round is."""
    limit = tmp_path / "limit.yaml"
    limit.write_text(
        "limits:\n  per-institution-2021: {year: 2021, per: institution, cap: 4 MNOK}\n",
        encoding="utf-8",
    )
    for extra in ([], [str(limit)]):
        data, _ = load([*NATIONAL, *extra])
        for pool_id in (
            "industrifagskolen-2021",
            "kompetanseloft-utsatte-industriklynger-2021-eksport",
        ):
            values = caps_between(8 * MNOK, 30 * MNOK, 4 * MNOK)
            steps = sweep(data, pool_id, values).steps
            for step in steps:
                pools = {**data.pools, pool_id: replace(data.pools[pool_id], cap=step.cap)}
                whole = allocate(replace(data, pools=pools))
                assert step.total == sum(g.granted for g in whole.grants)
                root = pool_id.removesuffix("-eksport")
                assert step.granted == sum(g.granted for g in whole.grants if g.pools[0] == root)
                assert step.remaining == whole.pools[pool_id].remaining


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "8 MNOK", "--to", "9 MNOK", "--step", "1 MNOK"], "sweep needs --pool"),
        (
            ["--pool", "kompetanseloft-kongsberg-2012", "--values", "8 MNOK"],
            "did you mean 'kompetanseloft-kongsberg-2021'?",
        ),
        (
            ["--pool", "kompetanseloft-kongsberg-2021", "--values", "8.5 MNOK"],
            "--values: '8.5 MNOK' is ambiguous",
        ),
        (
            [
                "--pool",
                "kompetanseloft-kongsberg-2021",
                "--from",
                "9 MNOK",
                "--to",
                "8 MNOK",
                "--step",
                "1 MNOK",
            ],
            "--to must not be below --from",
        ),
        (
            [
                "--pool",
                "kompetanseloft-kongsberg-2021",
                "--from",
                "1 kr",
                "--to",
                "9 MNOK",
                "--step",
                "1 kr",
            ],
            "at most 1000",
        ),
        (
            ["--pool", "kompetanseloft-kongsberg-2021", "--from", "8 MNOK", "--to", "9 MNOK"],
            "give --from, --to and --step",
        ),
        (
            ["--pool", "kompetanseloft-kongsberg-2021", "--values", "8 MNOK", "--step", "1 MNOK"],
            "not both",
        ),
        (
            ["--pool", "kompetanseloft-kongsberg-2021-fagskole", "--values", "1 MNOK"],
            "is refused: the fixed grants",
        ),
    ],
)
def test_usage_errors(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    extra = []
    if "fixed grants" in message:
        fixed = tmp_path / "fixed.yaml"
        fixed.write_text(
            "applications:\n  KB-99: {scheme: kompetanseloft-kongsberg, year: 2021, "
            "institution: fagskolen-viken, cluster: kongsberg, title: T, requested: 2 MNOK, "
            "submitted: 2020-11-20, fixed_grant: 2 MNOK}\n",
            encoding="utf-8",
        )
        extra = [str(fixed)]
    result = invoke(runner, "sweep", *KONGSBERG, *extra, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_a_cap_below_what_is_committed_is_refused(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "sweep",
        *NATIONAL,
        "--pool",
        "industrifagskolen-2021",
        "--values",
        "10 MNOK;40 MNOK",
    )
    assert result.exit_code == 2
    assert (
        "a cap of 10\u00a0000\u00a0000\u00a0kr for industrifagskolen-2021 is refused"
        in result.stderr
    )
    assert "(KA401)" in result.stderr


def test_scenarios_and_sets_apply_before_the_sweep(runner: CliRunner) -> None:
    plain = invoke(
        runner,
        "sweep",
        *KONGSBERG,
        "--pool",
        "kompetanseloft-kongsberg-2021",
        "--values",
        "10 MNOK",
        "-f",
        "json",
    )
    what_if = invoke(
        runner,
        "sweep",
        *KONGSBERG,
        "--pool",
        "kompetanseloft-kongsberg-2021",
        "--values",
        "10 MNOK",
        "-f",
        "json",
        "--scenario",
        "examples/kongsberg-2021/scenarios/kb-08-accepts-partial.scenario",
        "--set",
        "pools.kompetanseloft-kongsberg-2021-fagskole.cap=5 MNOK",
    )
    one = json.loads(plain.stdout)["tables"]["sweep"]["rows"][0]
    two = json.loads(what_if.stdout)["tables"]["sweep"]["rows"][0]
    assert one["funding_line"] == "KB-07" and two["funding_line"] != "KB-07"


def test_a_fall_is_marked_in_the_chart(runner: CliRunner, tmp_path: Path) -> None:
    """README's capped-equal example, as files: 6 MNOK grants more than 8 MNOK."""
    data = tmp_path / "round.yaml"
    data.write_text(
        "schemes:\n  s: {name: S, administrator: HK-dir, institution_types: [universitet]}\n"
        "institutions:\n  u: {name: U, type: universitet}\n"
        "pools:\n  p: {scheme: s, year: 2021, cap: 6 MNOK, method: capped_equal}\n"
        "applications:\n"
        "  A: {scheme: s, year: 2021, institution: u, title: A, requested: 6 MNOK, submitted: 2021-01-01, rank: 1}\n"
        "  B: {scheme: s, year: 2021, institution: u, title: B, requested: 4 MNOK, submitted: 2021-01-01, rank: 2}\n",
        encoding="utf-8",
    )
    result = invoke(runner, "sweep", str(data), "--pool", "p", "--values", "6 MNOK;8 MNOK;10 MNOK")
    assert result.exit_code == 0
    assert "◀ less than the step before" in result.stdout
    assert (
        "The round grants less at a higher cap: 6\u00a0000\u00a0000\u00a0kr at 6\u00a0000\u00a0000\u00a0kr, 4\u00a0000\u00a0000\u00a0kr at 8\u00a0000\u00a0000\u00a0kr"
        in result.stdout
    )


@pytest.mark.parametrize("suffix", [".html", ".svg", ".md"])
def test_sweep_exports_the_table_and_the_chart(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"sweep{suffix}"
    result = invoke(
        runner,
        "sweep",
        *KONGSBERG,
        "--pool",
        "kompetanseloft-kongsberg-2021",
        "--values",
        "9 MNOK;14 MNOK;15 MNOK",
        "--export",
        str(target),
        "-f",
        "csv",
    )
    assert result.exit_code == 0 and result.stdout.startswith("cap_ore")
    text = target.read_text(encoding="utf-8")
    assert "helping" in text and "KB-07" in text
    if suffix == ".md":
        assert "## Sweep of kompetanseloft-kongsberg-2021" in text and "```text\n" in text
        assert "█" in text


def test_caps_between_includes_the_end() -> None:
    assert caps_between(10, 20, 4) == [10, 14, 18, 20]
    assert caps_between(10, 10, 1) == [10]
    with pytest.raises(ValueError, match="more than 0"):
        caps_between(1, 2, 0)


# --- monotonicity: the exceptions README documents --------------------------------------------


def granted(b: Bundle, pool_id: str, cap: int) -> dict[str, int]:
    changed = replace(b, pools={**b.pools, pool_id: replace(b.pools[pool_id], cap=cap)})
    return {g.application: g.granted // MNOK for g in allocate(changed).grants}


def test_priority_one_grant_can_fall() -> None:
    b = bundle(
        pools=[pool("p", 0)],
        applications=[application("A", 8 * MNOK, rank=1), application("B", 4 * MNOK, rank=2)],
    )
    assert granted(b, "p", 5 * MNOK) == {"A": 0, "B": 4}
    assert granted(b, "p", 8 * MNOK) == {"A": 8, "B": 0}


def test_priority_total_can_fall_when_a_sub_pool_grows() -> None:
    b = bundle(
        pools=[pool("p", 10 * MNOK), pool("s", 0, parent="p", clusters=("k1",))],
        applications=[
            application("A", 6 * MNOK, rank=1, cluster="k1"),
            application("B", 7 * MNOK, rank=2, cluster="k2"),
            application("C", 3 * MNOK, rank=3, cluster="k2"),
        ],
    )
    assert granted(b, "s", 5 * MNOK) == {"A": 0, "B": 7, "C": 3}
    assert granted(b, "s", 6 * MNOK) == {"A": 6, "B": 0, "C": 3}


def test_priority_total_can_fall_when_a_pool_with_shares_grows() -> None:
    b = bundle(
        pools=[pool("p", 0, max_share_per_cluster=Fraction(1, 2), institution_cap=4 * MNOK)],
        applications=[
            application("A", 4 * MNOK, rank=1, cluster="k1", institution="i2"),
            application("B", 2 * MNOK, rank=2, cluster="k1", institution="i1"),
            application("C", 3 * MNOK, rank=3, cluster="k2", institution="i2"),
        ],
    )
    assert granted(b, "p", 6 * MNOK) == {"A": 0, "B": 2, "C": 3}
    assert granted(b, "p", 8 * MNOK) == {"A": 4, "B": 0, "C": 0}


def test_capped_equal_and_pro_rata_can_give_less_in_total() -> None:
    equal = bundle(
        pools=[pool("p", 0, method="capped_equal")],
        applications=[application("A", 6 * MNOK, rank=1), application("B", 4 * MNOK, rank=2)],
    )
    assert granted(equal, "p", 6 * MNOK) == {"A": 6, "B": 0}
    assert granted(equal, "p", 8 * MNOK) == {"A": 0, "B": 4}
    rata = bundle(
        pools=[pool("p", 0, method="pro_rata")],
        applications=[
            application("A", 1 * MNOK, rank=1),
            application("B", 9 * MNOK, rank=2),
            application("C", 6 * MNOK, rank=3, partial=True, min_grant=4 * MNOK),
        ],
    )
    assert granted(rata, "p", 10 * MNOK) == {"A": 1, "B": 9, "C": 0}
    assert granted(rata, "p", 11 * MNOK) == {"A": 1, "B": 0, "C": 6}


def test_hamilton_apportionment_alabama_paradox() -> None:
    spec = Apportion(by="cluster", weights={"k1": Decimal(4), "k2": Decimal(4), "k3": Decimal(1)})
    b = bundle(
        pools=[pool("p", 0, method="apportion", apportion=spec, unit=MNOK)],
        applications=[application("A", 1 * MNOK, rank=1, cluster="k3")],
        clusters=[cluster("k1"), cluster("k2"), cluster("k3")],
    )
    assert granted(b, "p", 5 * MNOK) == {"A": 1}
    assert granted(b, "p", 6 * MNOK) == {"A": 0}


# --- monotonicity: what holds (hypothesis) ---------------------------------------------------


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def totals_rise(b: Bundle, pool_id: str, low: int, high: int) -> None:
    steps = sweep(b, pool_id, [low, high]).steps
    assert steps[1].granted >= steps[0].granted


def no_grant_falls(b: Bundle, pool_id: str, low: int, high: int) -> None:
    before = {
        g.application: g.granted
        for g in allocate(
            replace(b, pools={**b.pools, pool_id: replace(b.pools[pool_id], cap=low)})
        ).grants
    }
    after = {
        g.application: g.granted
        for g in allocate(
            replace(b, pools={**b.pools, pool_id: replace(b.pools[pool_id], cap=high)})
        ).grants
    }
    assert all(after[k] >= before[k] for k in before), (before, after)


@pytest.mark.parametrize("shortfall", ["part_fund", "skip", "stop"])
@PROPERTY
@given(data=st.data())
def test_priority_total_never_falls_as_a_root_pool_without_shares_grows(
    shortfall: str, data: Any
) -> None:
    b, low, high = data.draw(
        sweep_rounds(
            shortfall=shortfall,
            sub_pool=True,
            institution_cap=True,
            max_grant=True,
            unit=True,
            earmark=True,
            limit=True,
        )
    )
    totals_rise(b, "p", low, high)


@pytest.mark.parametrize("swept", ["p", "s"])
@PROPERTY
@given(data=st.data())
def test_priority_stop_never_lowers_a_grant(swept: str, data: Any) -> None:
    b, low, high = data.draw(
        sweep_rounds(
            shortfall="stop",
            sweep=swept,
            sub_pool=True,
            institution_cap=True,
            max_grant=True,
            unit=True,
            shares=True,
        )
    )
    no_grant_falls(b, swept, low, high)


@PROPERTY
@given(data=st.data())
def test_priority_part_fund_with_partial_grants_never_lowers_a_grant(data: Any) -> None:
    b, low, high = data.draw(
        sweep_rounds(all_partial=True, sub_pool=True, institution_cap=True, max_grant=True)
    )
    no_grant_falls(b, "p", low, high)


@PROPERTY
@given(data=st.data())
def test_capped_equal_in_one_pool_with_partial_grants_never_lowers_a_grant(data: Any) -> None:
    b, low, high = data.draw(sweep_rounds("capped_equal", all_partial=True))
    no_grant_falls(b, "p", low, high)


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
@PROPERTY
@given(data=st.data())
def test_filling_with_partial_grants_never_lowers_the_total(method: str, data: Any) -> None:
    b, low, high = data.draw(
        sweep_rounds(method, all_partial=True, sub_pool=True, institution_cap=True, shares=True)
    )
    totals_rise(b, "p", low, high)


@pytest.mark.parametrize("rule", ["dhondt", "sainte_lague", "modified_sainte_lague"])
@PROPERTY
@given(data=st.data())
def test_apportioning_by_a_divisor_rule_never_lowers_the_total(rule: str, data: Any) -> None:
    b, low, high = data.draw(sweep_rounds("apportion", rule=rule, groups=3))
    totals_rise(b, "p", low, high)
