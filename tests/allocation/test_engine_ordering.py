"""The order a round takes its applications in: rank or score, tie_break, and each ties policy."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import application, bundle, pool
from kompalloc.allocation import Status, allocate
from kompalloc.allocation.ordering import default_seed, order
from kompalloc.diagnostics import Code
from kompalloc.validation import validate

MNOK = 100_000_000


def round_order(b, root: str = "p") -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return allocate(b).rounds[root].order


def test_rank_first_then_unranked_by_submission():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("u-late", 1, submitted=date(2021, 9, 3)),
            application("r2", 1, rank=2),
            application("u-early", 1, submitted=date(2021, 8, 1)),
            application("r1", 1, rank=1, submitted=date(2021, 9, 30)),
            application("r10", 1, rank=10),
        ],
    )
    assert round_order(b) == ("r1", "r2", "r10", "u-early", "u-late")
    positions = {g.application: g.position for g in allocate(b).grants}
    assert positions == {"r1": 1, "r2": 2, "r10": 3, "u-early": 4, "u-late": 5}


def test_score_order_highest_first_and_min_score_rejects():
    b = bundle(
        pools=[pool("p", 10 * MNOK, order="score", min_score=Decimal("4.0"))],
        applications=[
            application("low", 1, rank=1, score=Decimal("3.9")),
            application("mid", 1, rank=2, score=Decimal("5.5")),
            application("top", 1, rank=3, score=Decimal("6.25")),
            application("none", 1, rank=4),
        ],
    )
    result = allocate(b)
    assert result.rounds["p"].order[:2] == ("top", "mid")  # rank is ignored under order: score
    g = result.by_application
    assert g["low"].status is Status.REJECTED and g["low"].reason == "score below 4.0"
    assert g["none"].status is Status.REJECTED and g["none"].reason == "no score"
    assert g["top"].status is g["mid"].status is Status.FUNDED


def test_score_order_decides_who_gets_the_money():
    b = bundle(
        pools=[pool("p", 5 * MNOK, order="score")],
        applications=[
            application("a", 4 * MNOK, rank=1, score=Decimal(3)),
            application("b", 4 * MNOK, rank=2, score=Decimal(9)),
        ],
    )
    g = allocate(b).by_application
    assert (g["b"].granted, g["a"].granted) == (4 * MNOK, 0)
    # The same applications ordered by rank: a first.
    by_rank = replace(b, pools={"p": pool("p", 5 * MNOK)})
    g = allocate(by_rank).by_application
    assert (g["a"].granted, g["b"].granted) == (4 * MNOK, 0)


def test_tie_break_lower_first_and_before_those_without():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("none", 1, rank=1, submitted=date(2021, 1, 1)),
            application("tb2", 1, rank=1, tie_break=2),
            application("tb1", 1, rank=1, tie_break=1, submitted=date(2021, 12, 1)),
            application("r0", 1, rank=2, tie_break=0),
        ],
    )
    assert round_order(b) == ("tb1", "tb2", "none", "r0")


def test_ties_order_earlier_submission_then_smaller_id():
    b = bundle(
        pools=[pool("p", 10 * MNOK, ties="order")],
        applications=[
            application("b", 1, rank=1, submitted=date(2021, 9, 2)),
            application("c", 1, rank=1, submitted=date(2021, 9, 1)),
            application("a", 1, rank=1, submitted=date(2021, 9, 2)),
        ],
    )
    assert round_order(b) == ("c", "a", "b")
    assert allocate(b).rounds["p"].seed is None


def test_ties_refuse_is_reported_by_validation_and_ordered_as_order():
    apps = [
        application("b", 1, rank=1, submitted=date(2021, 9, 2)),
        application("c", 1, rank=1, submitted=date(2021, 9, 1)),
        application("a", 1, rank=1, submitted=date(2021, 9, 2)),
        application("d", 1, rank=2),
    ]
    refusing = bundle(pools=[pool("p", 10 * MNOK, ties="refuse")], applications=apps)
    plain = bundle(pools=[pool("p", 10 * MNOK)], applications=apps)
    assert round_order(refusing) == round_order(plain) == ("c", "a", "b", "d")
    tied = [d for d in validate(refusing) if d.code is Code.TIED_APPLICATIONS]
    assert len(tied) == 1 and "c, a, b" in tied[0].message
    assert not [d for d in validate(plain) if d.code is Code.TIED_APPLICATIONS]


def _lottery_bundle(seed: int | None, ids: str = "abcdefgh"):  # type: ignore[no-untyped-def]
    return bundle(
        pools=[pool("p", 10 * MNOK, ties="lottery", seed=seed)],
        applications=[application(i, 1, rank=1) for i in ids]
        + [application("first", 1, rank=0), application("last", 1)],
    )


def test_lottery_sorts_the_tied_by_sha256_of_seed_and_id_and_records_the_seed():
    result = allocate(_lottery_bundle(42))
    assert result.rounds["p"].seed == 42
    drawn = sorted("abcdefgh", key=lambda i: hashlib.sha256(f"42:{i}".encode()).hexdigest())
    assert result.rounds["p"].order == ("first", *drawn, "last")
    # Reproducible: the same seed, the same draw, whatever the input order.
    apps = list(_lottery_bundle(42).applications.values())
    random.Random(7).shuffle(apps)
    shuffled = replace(_lottery_bundle(42), applications={a.id: a for a in apps})
    assert allocate(shuffled).rounds["p"].order == result.rounds["p"].order
    assert result.by_application["a"].story == ()  # stories are told only when asked for
    told = allocate(_lottery_bundle(42), stories=True)
    assert "lottery seed 42" in told.by_application["a"].story[0]
    assert told.grants == tuple(
        g._replace(story=t.story) for g, t in zip(result.grants, told.grants, strict=True)
    )


def test_different_seeds_can_draw_different_orders():
    orders = {round_order(_lottery_bundle(seed)) for seed in range(10)}
    assert len(orders) > 1
    # Only the tied move: the ranked-first and the unranked keep their places.
    assert all(o[0] == "first" and o[-1] == "last" for o in orders)


def test_lottery_without_a_seed_derives_one_from_the_application_ids():
    result = allocate(_lottery_bundle(None))
    ids = [*"abcdefgh", "first", "last"]
    assert result.rounds["p"].seed == default_seed(ids)
    assert result.rounds["p"].seed == allocate(_lottery_bundle(default_seed(ids))).rounds["p"].seed
    assert round_order(_lottery_bundle(None)) == round_order(_lottery_bundle(default_seed(ids)))
    # Another set of applications, another derived seed.
    assert allocate(_lottery_bundle(None, "abcdefgz")).rounds["p"].seed != default_seed(ids)


def test_the_lottery_decides_who_is_funded():
    funded = set()
    for seed in range(20):
        b = bundle(
            pools=[pool("p", 1 * MNOK, ties="lottery", seed=seed)],
            applications=[application(i, 1 * MNOK, rank=1) for i in "xyz"],
        )
        g = allocate(b).by_application
        winners = [i for i in "xyz" if g[i].status is Status.FUNDED]
        assert len(winners) == 1
        assert allocate(b).rounds["p"].order[0] == winners[0]
        funded.add(winners[0])
    assert len(funded) > 1


def test_ties_are_only_among_equal_rank_and_tie_break():
    p = pool("p", 1, ties="lottery", seed=1)
    apps = [
        application("a", 1, rank=1, tie_break=1),
        application("b", 1, rank=1, tie_break=1),
        application("c", 1, rank=1, tie_break=2),
        application("d", 1, rank=1),
        application("e", 1),
        application("f", 1),
    ]
    ordering = order(apps, p)
    # Unranked applications are not a tie: they follow their submission order (then id).
    assert ordering.ties == (("a", "b"),)
    assert ordering.applications[2:] == tuple(a for a in apps if a.id in "cdef")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.none() | st.integers(1, 3), st.none() | st.integers(0, 2), st.integers(1, 3)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["order", "refuse", "lottery"]),
    st.integers(0, 2**32),
    st.randoms(use_true_random=False),
)
def test_order_is_a_permutation_sorted_by_rank_and_tie_break(rows, ties, seed, rnd):  # type: ignore[no-untyped-def]
    apps = [
        application(f"a{n:02d}", 1, rank=r, tie_break=t, submitted=date(2021, 9, d))
        for n, (r, t, d) in enumerate(rows)
    ]
    p = pool("p", 1, ties=ties, seed=seed)
    ordering = order(apps, p)
    assert sorted(a.id for a in ordering.applications) == sorted(a.id for a in apps)
    keys = [
        (a.rank is None, a.rank or 0, a.tie_break is None, a.tie_break or 0)
        for a in ordering.applications
    ]
    assert keys == sorted(keys)
    shuffled = list(apps)
    rnd.shuffle(shuffled)
    assert order(shuffled, p) == ordering
    if ties != "lottery":
        rest = [(a.submitted, a.id) for a in ordering.applications]
        for i in range(len(keys) - 1):
            if keys[i] == keys[i + 1]:
                assert rest[i] < rest[i + 1]
