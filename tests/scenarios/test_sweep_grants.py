"""Sweeps compare grants, not totals: every change between steps is an application's grant or
status changing, and the point where 'more money stops helping' is exact to the øre (from there
on every grant is the last step's; one øre less, some grant differs)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompalloc.allocation import Status, allocate
from kompalloc.model import Bundle
from kompalloc.reporting.sweep import changes_table, clusters_table, findings, sweep_table
from kompalloc.scenarios.sweep import exact_plateau, sweep
from strategies import sweep_rounds as rounds

EXAMPLES = 300
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def grants_at(b: Bundle, pool_id: str, cap: int) -> dict[str, tuple[int, Status]]:
    changed = replace(b, pools={**b.pools, pool_id: replace(b.pools[pool_id], cap=cap)})
    return {g.application: (g.granted, g.status) for g in allocate(changed).grants}


@st.composite
def swept(draw: Any) -> tuple[Bundle, str, list[int]]:
    options = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "sub_pool": st.booleans(),
                "shares": st.booleans(),
                "institution_cap": st.booleans(),
                "max_grant": st.booleans(),
                "unit": st.booleans(),
                "shortfall": st.sampled_from(["part_fund", "skip", "stop"]),
            },
        )
    )
    target = draw(st.sampled_from(["p", "s"]))
    if target == "s":
        options["sweep"] = "s"
    b, low, high = draw(rounds(**options))
    steps = draw(st.integers(2, 6))
    caps = sorted(
        {low + (high - low) * i // (steps - 1) + draw(st.integers(0, 99)) for i in range(steps)}
    )
    return b, target, caps


@PROPERTY
@given(swept())
def test_each_step_holds_the_grants_of_an_allocation_at_its_cap(
    drawn: tuple[Bundle, str, list[int]],
) -> None:
    b, pool_id, caps = drawn
    result = sweep(b, pool_id, caps)
    for step in result.steps:
        assert dict(step.grants) == grants_at(b, pool_id, step.cap)
    for i in range(1, len(result.steps)):
        before, after = result.steps[i - 1].grants, result.steps[i].grants
        assert {c.application for c in result.changes(i)} == {
            k for k in after if after[k] != before[k]
        }
    for table in (sweep_table(result), changes_table(result), clusters_table(result)):
        assert all(len(row) == len(table.columns) for row in table.rows)
    assert findings(result, "the round")


@PROPERTY
@given(swept())
def test_more_money_stops_helping_exactly_where_the_sweep_says(
    drawn: tuple[Bundle, str, list[int]],
) -> None:
    b, pool_id, caps = drawn
    result = exact_plateau(b, sweep(b, pool_id, caps))
    plateau = result.plateau()
    last = result.steps[-1].grants
    if plateau is None:
        assert len(result.steps) < 2 or result.steps[-2].grants != last
        return
    for step in result.steps[plateau:]:
        assert step.grants == last
    if plateau == 0:
        assert result.exact is None
        return
    assert result.exact is not None
    assert result.steps[plateau - 1].cap < result.exact <= result.steps[plateau].cap
    assert grants_at(b, pool_id, result.exact) == last
    assert grants_at(b, pool_id, result.exact - 1) != last
    assert any("stops helping at a cap of" in line for line in findings(result, "the round"))


def test_the_sentences_for_no_change_and_for_change_at_every_step() -> None:
    from factories import application, bundle, pool

    mnok = 100_000_000
    b = bundle(pools=[pool("p", 10 * mnok)], applications=[application("a", mnok, rank=1)])
    flat = findings(sweep(b, "p", [5 * mnok, 6 * mnok]), "R")
    assert flat[0].startswith(
        "No cap in the range changes any grant in R: every application gets the same throughout, "
        "1\u00a0000\u00a0000\u00a0kr in all ("
    )
    b = bundle(
        pools=[pool("p", 10 * mnok)],
        applications=[application("a", 9 * mnok, rank=1, partial=True)],
    )
    rising = findings(sweep(b, "p", [1 * mnok, 2 * mnok, 3 * mnok]), "R")
    assert rising == ["Every cap up to 3\u00a0000\u00a0000\u00a0kr still changes a grant in R."]
