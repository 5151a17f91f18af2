"""The one priority pass decides as the claim-by-claim path it replaced (the oracle in
oracle_priority.py), stories included, on generated rounds: nested and overlapping caps,
limits across rounds, earmarks, apportioned shares, exclusive groups, fixed grants, minimum
grants, every shortfall policy and unit. And the tracer: absent, nothing is told."""

from __future__ import annotations

from decimal import Decimal

import oracle_priority
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import application, bundle, pool
from kompalloc.allocation import Allocation, allocate
from kompalloc.allocation.caps import Memo
from kompalloc.allocation.engine import committed_money
from kompalloc.allocation.lots import Context, prepare
from kompalloc.allocation.priority import State, run_pass
from kompalloc.model import Apportion, Bundle
from kompalloc.pooltree import build
from strategies import priority_rounds as rounds
from strategies import worlds

MNOK = 100_000_000


def _untold(result: Allocation) -> Allocation:
    return Allocation(
        tuple(g._replace(story=()) for g in result.grants), result.pools, result.rounds
    )


def _same(world: Bundle, methods: dict[str, str] | None = None) -> None:
    told = allocate(world, methods, stories=True)
    expected = oracle_priority.allocate(world, methods, stories=True)
    assert told.grants == expected.grants  # the stories explain tells, word for word
    assert told.pools == expected.pools
    assert told.rounds == expected.rounds
    plain = allocate(world, methods)
    assert all(g.story == () for g in plain.grants)
    assert plain.grants == _untold(expected).grants
    assert plain.pools == expected.pools
    assert plain.rounds == expected.rounds


@settings(max_examples=400, deadline=None)
@given(worlds(methods=("priority", "apportion")))
def test_the_pass_decides_and_tells_as_the_claim_by_claim_path(world: Bundle) -> None:
    _same(world)


@settings(max_examples=150, deadline=None)
@given(worlds(methods=("priority", "apportion"), dense=True))
def test_the_pass_decides_as_the_claim_by_claim_path_when_money_is_short(world: Bundle) -> None:
    _same(world)


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_the_pass_decides_as_the_claim_by_claim_path_under_scheme_rules(world: Bundle) -> None:
    _same(world)


@settings(max_examples=100, deadline=None)
@given(worlds(), st.sampled_from(["priority", "pro_rata", "capped_equal"]))
def test_method_overrides_and_filling_rounds_beside_priority_rounds(
    world: Bundle, method: str
) -> None:
    _same(world, {"ps": method})


def test_an_earmark_funds_in_full_before_the_pass_and_tells_why_not_when_it_cannot() -> None:
    world = bundle(
        pools=[pool("p", 3 * MNOK, scheme="s", earmarks={"young": 1 * MNOK})],
        applications=[
            application("a1", 2 * MNOK, rank=1),
            application("a2", 3 * MNOK, rank=2, target_groups=("young",), partial=True),
            application("a3", 1 * MNOK, rank=3, target_groups=("young",)),
        ],
    )
    told = allocate(world, stories=True).by_application
    assert told["a3"].reason == "earmark young"
    assert told["a3"].granted == 1 * MNOK
    assert "The earmark for young had 1 000 000 kr left" in told["a2"].story[3].replace(
        "\u00a0", " "
    )
    assert told["a2"].story[4].startswith("At its turn: pool p had")
    assert told["a2"].granted == 0  # a1 took 2 MNOK, a3 the whole earmark
    _same(world)


def test_a_pass_started_from_a_state_decides_the_rest_only() -> None:
    world = bundle(
        pools=[pool("p", 3 * MNOK, scheme="s")],
        applications=[application(f"a{n}", MNOK, rank=n) for n in range(1, 5)],
    )
    tree = build(world)
    context = Context(world, tree, committed_money(world, tree), {}, Memo())
    prepared = prepare(context, world.pools["p"], list(world.applications.values()))
    whole = run_pass(prepared)
    assert [d[0] if d else None for d in whole.decided] == [MNOK, MNOK, MNOK, 0]
    # From the third application, with the room the first two left (1 MNOK):
    for lot in prepared.distinct:
        for cap in lot.caps:
            cap.room = 1 * MNOK
    start = State(2, [*whole.decided[:2], None, None], {}, None, (None, None, ""))
    rest = run_pass(prepared, start=start)
    assert rest.start == 2
    assert [d[0] if d else None for d in rest.decided] == [MNOK, MNOK, MNOK, 0]
    assert rest.line[0] == "a4"


def test_apportioned_shares_with_priority_inside_go_through_the_pass() -> None:
    world = bundle(
        pools=[
            pool(
                "p",
                4 * MNOK,
                scheme="s",
                method="apportion",
                apportion=Apportion(by="cluster", weights={"k1": Decimal(1), "k2": Decimal(3)}),
            )
        ],
        applications=[
            application("a1", 3 * MNOK, rank=1, cluster="k1", partial=True),
            application("a2", 2 * MNOK, rank=2, cluster="k2"),
            application("a3", 1 * MNOK, rank=3),
        ],
    )
    result = allocate(world, stories=True)
    assert result.rounds["p"].shares == {"k1": 1 * MNOK, "k2": 3 * MNOK}
    assert [(g.granted, g.reason) for g in result.grants] == [
        (1 * MNOK, "rest of share"),  # it had 1 MNOK left: not exhausted when it was offered
        (2 * MNOK, "full request"),
        (0, "no share"),
    ]
    assert result.grants[0].story[3].startswith("Pool p is apportioned by cluster (hamilton)")
    assert result.rounds["p"].funding_line == "a1"
    _same(world)
