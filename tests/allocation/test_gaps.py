"""The exact funding line: the stated gap, in the named cap, funds the application, and one øre
less does not; caps that must move together do so, and none of them can give up one øre.

Checked by allocating again from scratch (not through gaps.py's own search), on the named
bundles of the issue and on generated rounds of every kind the engine has (sub-pools, shares,
institution caps, limits, earmarks, lotteries, apportionments, fixed grants, exclusive groups)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import application, bundle, cluster, pool
from kompalloc.allocation import allocate
from kompalloc.allocation.gaps import FundingGap, Target, funding_gap, funding_gaps, gap_note, least
from kompalloc.model import Bundle
from strategies import worlds

MNOK = 100_000_000
KR = 100
EXAMPLES = 300


def _raised(b: Bundle, raises: Mapping[str, int]) -> Bundle:
    pools, limits = dict(b.pools), dict(b.limits)
    for key, extra in raises.items():
        kind, _, ident = key.partition(":")
        if kind == "pool":
            pools[ident] = replace(pools[ident], cap=pools[ident].cap + extra)
        else:
            limits[ident] = replace(limits[ident], cap=limits[ident].cap + extra)
    return replace(b, pools=pools, limits=limits)


def _granted(b: Bundle, app: str, raises: Mapping[str, int]) -> int:
    return allocate(_raised(b, raises)).by_application[app].granted


def _check_target(b: Bundle, app: str, target: Target) -> None:
    for move in target.single:
        assert move.extra > 0
        assert _granted(b, app, {move.key: move.extra}) >= target.amount
        assert _granted(b, app, {move.key: move.extra - 1}) < target.amount
    together = {m.key: m.extra for m in target.together}
    if together:
        assert len(together) >= 2
        assert _granted(b, app, together) >= target.amount
        for key in together:
            assert _granted(b, app, {**together, key: together[key] - 1}) < target.amount


def _check(b: Bundle, gap: FundingGap) -> None:
    _check_target(b, gap.application, gap.full)
    if gap.minimum is not None:
        _check_target(b, gap.application, gap.minimum)
    assert gap_note(gap)  # every gap can be said


def _round(cap_root: int, cap_sub: int, requests: list[tuple[int, str | None, bool]]) -> Bundle:
    return bundle(
        pools=[
            pool("p", cap_root),
            pool("p-k1", cap_sub, parent="p", clusters=("k1",)),
        ],
        applications=[
            application(f"a{n}", asked, rank=n + 1, cluster=c, partial=partial)
            for n, (asked, c, partial) in enumerate(requests)
        ],
        clusters=[cluster("k1"), cluster("k2")],
    )


def test_the_gap_is_what_the_sub_pool_lacks_not_the_request() -> None:
    # The sub-pool has 1,17 MNOK left at a3's turn, a3 asks 1,5 MNOK without partial: 330 000 kr.
    b = _round(
        20 * MNOK,
        8 * MNOK,
        [(683 * MNOK // 100, "k1", False), (2 * MNOK, None, False), (15 * MNOK // 10, "k1", False)],
    )
    result = allocate(b)
    assert result.rounds["p"].funding_line == "a2"
    gap = funding_gap(b, result, "p")
    assert gap is not None
    assert [(m.key, m.extra, m.room) for m in gap.full.single] == [
        ("pool:p-k1", 33 * MNOK // 100, 117 * MNOK // 100)
    ]
    assert gap_note(gap) == (
        "330\u00a0000\u00a0kr more in sub-pool p-k1 (it had 1\u00a0170\u00a0000\u00a0kr left at "
        "its turn) would fund a2 in full"
    )
    _check(b, gap)


def test_money_an_earlier_partial_grant_absorbs_counts() -> None:
    # a0 (partial) takes whatever the pool gives it first: a1 needs the whole of a0's shortfall
    # on top of its own, which subtraction misses.
    b = bundle(
        pools=[pool("p", 3 * MNOK)],
        applications=[
            application("a0", 4 * MNOK, rank=1, partial=True),
            application("a1", 1 * MNOK, rank=2),
        ],
    )
    result = allocate(b)
    assert result.rounds["p"].funding_line == "a0"
    gap = funding_gap(b, result, "p")
    assert gap is not None and gap.full.single[0].extra == 1 * MNOK
    # a1 itself: what funds it is 2 MNOK (a0 first takes 1 MNOK more)
    assert _granted(b, "a1", {"pool:p": 2 * MNOK}) == MNOK
    assert _granted(b, "a1", {"pool:p": 2 * MNOK - 1}) == 0
    _check(b, gap)


def test_when_no_single_cap_suffices_the_caps_move_together() -> None:
    # Both the root and the sub-pool are short for a1: each needs 1 MNOK more, together.
    b = _round(3 * MNOK, 2 * MNOK, [(2 * MNOK, "k2", False), (2 * MNOK, "k1", False)])
    b = replace(b, pools={**b.pools, "p-k1": replace(b.pools["p-k1"], cap=1 * MNOK)})
    result = allocate(b)
    gap = funding_gap(b, result, "p")
    assert gap is not None
    assert gap.full.single == ()
    assert {m.key: m.extra for m in gap.full.together} == {"pool:p": MNOK, "pool:p-k1": MNOK}
    assert gap_note(gap).startswith("no single cap would fund a1 in full: together, ")
    _check(b, gap)


def test_a_partial_application_that_got_nothing_also_gets_its_minimum() -> None:
    b = bundle(
        pools=[pool("p", 3 * MNOK)],
        applications=[
            application("a0", 28 * MNOK // 10, rank=1),
            application("a1", 2 * MNOK, rank=2, partial=True, min_grant=MNOK // 2),
        ],
    )
    gap = funding_gap(b, allocate(b), "p")
    assert gap is not None and gap.minimum is not None
    assert gap.full.single[0].extra == 18 * MNOK // 10
    assert gap.minimum.single[0].extra == 3 * MNOK // 10
    assert gap_note(gap).endswith(
        "; 300\u00a0000\u00a0kr more in pool p would give it its minimum of 500\u00a0000\u00a0kr"
    )
    _check(b, gap)


def test_least_bisects_to_the_threshold_from_a_wrong_guess() -> None:
    calls: list[int] = []

    def funds(raises: Mapping[str, int]) -> bool:
        calls.append(raises["x"])
        return raises["x"] >= 12_345

    assert least({}, "x", 1, 10**9, funds) == 12_345
    assert least({}, "x", 20_000, 10**9, funds) == 12_345  # a guess above the answer
    assert least({}, "x", 12_345, 10**9, funds) == 12_345
    assert least({}, "x", 1, 10_000, funds) is None


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(worlds(methods=("priority", "apportion")))
def test_raising_the_named_cap_by_the_gap_funds_it_and_one_ore_less_does_not(b: Bundle) -> None:
    result = allocate(b)
    for gap in funding_gaps(b, result).values():
        _check(b, gap)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.integers(0, 10 * MNOK),
            st.integers(0, 6 * MNOK),
            st.lists(
                st.tuples(
                    st.integers(1, 3 * MNOK).map(lambda v: v // KR * KR),
                    st.sampled_from([None, "k1", "k2"]),
                    st.booleans(),
                ),
                min_size=n,
                max_size=n,
            ),
        )
    )
)
def test_the_same_on_plain_rounds_with_a_sub_pool(
    drawn: tuple[int, int, list[tuple[int, str | None, bool]]],
) -> None:
    root, sub, requests = drawn
    b = _round(root, sub, requests)
    for gap in funding_gaps(b, allocate(b)).values():
        _check(b, gap)


def test_an_application_whose_own_limit_rounds_to_nothing_has_no_gap() -> None:
    """Hypothesis found it: an aid intensity of 3/5 of a 1-øre budget is an own limit of 0 øre,
    which it has; no raise can give it more, so no funding line in money is stated (it said
    'raise pool ps by 1 øre' where no raise at all gave it its 0 øre)."""
    from fractions import Fraction

    b = bundle(
        pools=[
            pool("ps", 0),
            pool("ps-k1", 0, parent="ps", clusters=("k1",), aid_intensity=Fraction(3, 5)),
        ],
        applications=[
            application("a01", 8_362_470, partial=True, fixed_grant=1_278_326),
            application("a08", 1, cluster="k1", partial=True, budget=1),
        ],
        clusters=[cluster("k1")],
    )
    allocation = allocate(b)
    assert allocation.by_application["a08"].granted == 0
    assert allocation.rounds["ps"].funding_line == "a08"  # the pool is overdrawn by a01
    for round_id in allocation.rounds:
        assert funding_gap(b, allocation, round_id) is None
