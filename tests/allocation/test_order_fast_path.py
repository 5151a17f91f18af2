"""The order's fast path (every application ranked, no tie-break: one sort of a decorated key)
against the general path's three stable sorts, on generated rounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import application, pool
from kompalloc.allocation.ordering import draw_key, order


def _by_three_sorts(apps, p):  # type: ignore[no-untyped-def]
    """The order as the general path makes it: id, then submission, then rank; the tied
    groups of equal rank in order, a lottery drawing among each."""
    out = sorted(apps, key=lambda a: a.id)
    out.sort(key=lambda a: a.submitted)
    out.sort(key=lambda a: a.rank)
    ties, drawn = [], []
    for _, group in groupby(out, key=lambda a: a.rank):
        members = list(group)
        if len(members) > 1:
            ties.append(tuple(a.id for a in members))
            if p.seed is not None and p.ties == "lottery":
                members.sort(key=lambda a: draw_key(p.seed, a.id))
        drawn.extend(members)
    return tuple(drawn), tuple(ties)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.integers(1, 4)), min_size=1, max_size=40),
    st.sampled_from(["order", "refuse", "lottery"]),
    st.integers(0, 2**32),
    st.randoms(use_true_random=False),
)
def test_the_ranked_fast_path_orders_as_three_stable_sorts(rows, ties, seed, rnd):  # type: ignore[no-untyped-def]
    apps = [
        application(f"a{n:02d}", 1, rank=r, submitted=date(2021, 9, d))
        for n, (r, d) in enumerate(rows)
    ]
    rnd.shuffle(apps)
    p = pool("p", 1, ties=ties, seed=seed)
    expected, tied = _by_three_sorts(apps, p)
    ordering = order(apps, p)
    assert (ordering.applications, ordering.ties) == (expected, tied)
    # Without the tied groups (as the engine asks): the same order, a lottery drawn the same.
    quick = order(apps, p, ties=False)
    assert (quick.applications, quick.ties, quick.seed) == (expected, (), ordering.seed)
    # One application with a tie-break sends the round down the general path: the same order
    # among the others' keys, since a tie-break of 0 only puts it first among its rank.
    if len(apps) > 1:
        general = order([replace(apps[0], tie_break=0), *apps[1:]], p)
        assert sorted(a.id for a in general.applications) == sorted(a.id for a in expected)
