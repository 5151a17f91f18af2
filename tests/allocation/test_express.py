"""One priority pass decides the same with and without a story, and its sweeps as fresh runs.

- With ``stories=True`` the pass runs with the story tracer; without, with none. Both must give
  the same grants (but the story), pool results and round facts, whatever the caps, rules,
  rates, deadlines, exclusive groups and shortfall policies.
- A sweep prepares a priority round once and decides it at each cap
  (kompalloc.allocation.resume): each must be what a fresh allocation with that cap decides.
- The order of a round is made by three stable sorts; it must equal one sort by the whole key.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import application, bundle, pool
from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.allocation.ordering import _primary, draw_key, order
from kompalloc.allocation.resume import round_at_caps
from kompalloc.model import Application, Bundle
from kompalloc.pooltree import build
from strategies import MNOK, priority_rounds, worlds


def _untold(result: Allocation) -> Allocation:
    return Allocation(
        tuple(g._replace(story=()) for g in result.grants), result.pools, result.rounds
    )


def _same(world: Bundle) -> None:
    """The pass without a tracer (as report runs it) against the pass with the story tracer
    (as explain runs it): the same decisions, only the stories differ."""
    fast, general = allocate(world), _untold(allocate(world, stories=True))
    assert _untold(fast).grants == general.grants
    assert fast.pools == general.pools
    assert fast.rounds == general.rounds


@settings(max_examples=400, deadline=None)
@given(priority_rounds())
def test_the_lean_path_decides_as_the_general_path(world: Bundle) -> None:
    _same(world)


@settings(max_examples=150, deadline=None)
@given(worlds(methods=("priority",), dense=True))
def test_the_lean_path_decides_as_the_general_path_when_money_is_short(world: Bundle) -> None:
    _same(world)


def test_the_lean_path_is_taken_and_tells_the_funding_line() -> None:
    """A plain priority round: the lean path's grants carry no story; the general path's do."""
    world = bundle(
        pools=[pool("p", 3 * MNOK, scheme="s")],
        applications=[
            application("a1", 2 * MNOK, rank=1),
            application("a2", 2 * MNOK, rank=2, partial=True),
            application("a3", 1 * MNOK, rank=3),
        ],
    )
    fast = allocate(world)
    assert all(g.story == () for g in fast.grants)
    assert all(g.story for g in allocate(world, stories=True).grants)
    assert [g.granted for g in fast.grants] == [2 * MNOK, 1 * MNOK, 0]
    assert fast.rounds["p"].funding_line == "a2"
    assert fast.rounds["p"].funding_gap == 1 * MNOK
    _same(world)


def _one_sort(applications: list[Application], by_score: bool) -> list[str]:
    """The order as one sort by the whole key (primary, submitted, id)."""
    return [
        a.id for a in sorted(applications, key=lambda a: (_primary(a, by_score), a.submitted, a.id))
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.none() | st.integers(1, 4),
            st.none() | st.integers(0, 2),
            st.none() | st.sampled_from([Decimal(1), Decimal("2.5")]),
            st.sampled_from([date(2021, 9, 1), date(2021, 9, 2)]),
        ),
        max_size=14,
    ),
    st.booleans(),
    st.sampled_from([None, "order", "lottery"]),
)
def test_three_sorts_give_the_order_of_one(
    fields: list[tuple[int | None, int | None, Decimal | None, date]],
    by_score: bool,
    ties: str | None,
) -> None:
    apps = [
        application(f"a{n:02d}", MNOK, rank=r, tie_break=t, score=s, submitted=d)
        for n, (r, t, s, d) in enumerate(reversed(fields))
    ]
    root = pool("p", MNOK, scheme="s", order="score" if by_score else None, ties=ties, seed=7)
    got = order(apps, root)
    expected = _one_sort(apps, by_score)
    if ties != "lottery":
        assert [a.id for a in got.applications] == expected
    else:  # the same groups, each drawn by lot
        assert sorted(a.id for a in got.applications) == sorted(expected)
        for group in got.ties:
            positions = [expected.index(i) for i in group]
            assert positions == list(range(min(positions), min(positions) + len(group)))
            assert list(group) == sorted(group, key=lambda i: expected.index(i))
            drawn = [a.id for a in got.applications if a.id in group]
            assert drawn == sorted(group, key=lambda i: draw_key(7, i))
    ranked = [a for a in apps if (a.score if by_score else a.rank) is not None]
    keys = [_primary(a, by_score) for a in ranked]
    assert sum(len(g) for g in got.ties) == sum(1 for k in keys if keys.count(k) > 1)


def test_a_cap_with_exactly_the_request_left_funds_it_in_full() -> None:
    world = bundle(
        pools=[pool("p", 2 * MNOK, scheme="s", max_grant=MNOK)],
        applications=[
            application("a1", MNOK, rank=1),
            application("a2", MNOK, rank=2),
            application("a3", 3 * MNOK, rank=3, partial=True),
        ],
    )
    fast = allocate(world)
    assert [(g.granted, g.reason) for g in fast.grants] == [
        (MNOK, "full request"),
        (MNOK, "full request"),
        (0, "pool exhausted"),
    ]
    assert fast.rounds["p"].funding_line == "a3"
    _same(world)
    # room equal to a max grant below the request: the max grant binds, not the pool
    capped = replace(world, pools={"p": pool("p", 3 * MNOK, scheme="s", max_grant=MNOK)})
    assert allocate(capped).grants[2].reason == "max grant"
    assert allocate(capped).rounds["p"].funding_line is None
    _same(capped)


def test_the_first_fixed_grant_of_an_exclusive_group_is_the_one_named() -> None:
    world = bundle(
        pools=[pool("p", 10 * MNOK, scheme="s")],
        applications=[
            application("a1", MNOK, rank=1, exclusive_group="g"),
            application("a2", MNOK, rank=2, exclusive_group="g", fixed_grant=MNOK),
            application("a3", MNOK, rank=3, exclusive_group="g", fixed_grant=MNOK),
        ],
    )
    fast = allocate(world)
    assert fast.grants[0].reason == "group g: a2 chosen"
    _same(world)


@settings(max_examples=300, deadline=None)
@given(priority_rounds(), st.data())
def test_a_round_prepared_once_decides_each_cap_as_a_fresh_allocation(
    world: Bundle, data: st.DataObject
) -> None:
    world = replace(world, limits={})
    pool_id = data.draw(st.sampled_from(sorted(world.pools)))
    caps = data.draw(st.lists(st.integers(0, 30 * MNOK), min_size=1, max_size=6))
    if data.draw(st.booleans()):  # rising, as a sweep asks: each pass may resume the last
        caps.sort()
    _check_caps(world, pool_id, caps)


def _check_caps(world: Bundle, pool_id: str, caps: list[int]) -> None:
    """round_at_caps decides each cap as a fresh allocation with that cap does."""
    prepared = round_at_caps(world, pool_id, caps)
    root = build(world).root_of[pool_id]
    if prepared is None:  # earmarks: the general path, allocated per cap by the sweep
        assert world.pools[root].earmarks
        return
    for cap, got in zip(caps, prepared, strict=True):
        pools = {**world.pools, pool_id: replace(world.pools[pool_id], cap=cap)}
        fresh = allocate(replace(world, pools=pools))
        mine = [g for g in fresh.grants if g.pools and g.pools[0] == root]
        assert got.cap == cap
        assert got.granted == sum(g.granted for g in mine)
        assert got.remaining == fresh.pools[pool_id].remaining
        assert got.funded == sum(g.granted > 0 for g in mine)
        assert got.full == sum(g.status is Status.FUNDED for g in mine)
        assert got.partial == sum(g.status is Status.PARTIAL for g in mine)
        if root in fresh.rounds:
            assert got.result == fresh.rounds[root]
        else:  # a round without applications: nothing to say
            assert not mine
            assert (got.result.funding_line, got.result.funding_gap) == (None, None)


def test_a_pass_does_not_stop_while_a_partial_grant_fits_the_root() -> None:
    """After the funding line, the root has 5 MNOK: too little for a3's request, enough for
    part of it."""
    world = bundle(
        pools=[pool("p", 10 * MNOK, scheme="s")],
        applications=[
            application("a1", 5 * MNOK, rank=1),
            application("a2", 8 * MNOK, rank=2),
            application("a3", 8 * MNOK, rank=3, partial=True),
        ],
    )
    _check_caps(world, "p", [10 * MNOK, 11 * MNOK])
    assert round_at_caps(world, "p", [10 * MNOK])[0].partial == 1  # type: ignore[index]


def test_a_pass_does_not_stop_while_a_kind_has_room_for_its_last_application() -> None:
    """The sub-pool binds a2 (the funding line) but still has room for a3, the last of its
    kind; the root has plenty."""
    world = bundle(
        pools=[
            pool("p", 100 * MNOK, scheme="s"),
            pool("p-k1", 3 * MNOK, parent="p", clusters=("k1",)),
        ],
        applications=[
            application("a1", 2 * MNOK, rank=1, cluster="k1"),
            application("a2", 2 * MNOK, rank=2, cluster="k1"),
            application("a3", 1 * MNOK, rank=3, cluster="k1"),
        ],
    )
    _check_caps(world, "p", [100 * MNOK, 101 * MNOK])
    assert round_at_caps(world, "p", [100 * MNOK])[0].granted == 3 * MNOK  # type: ignore[index]
