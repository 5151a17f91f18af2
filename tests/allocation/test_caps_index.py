"""Limits indexed by what they select: the same caps as checking every limit, with work that
grows with the limits that could apply, not with all of them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import SPAN, application, pool, rounds_with_limits
from kompalloc.allocation import allocate, caps
from kompalloc.model import Limit

SCHEMES = ("s", "t")
POOLS = ("p", "q", "r")
CLUSTERS = ("c1", "c2")
INSTITUTIONS = ("i1", "i2")
TYPES = ("universitet", "fagskole_offentlig")


def maybe(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...] | None]:
    return st.none() | st.lists(st.sampled_from(values), min_size=1, max_size=3).map(tuple)


@st.composite
def limits(draw: st.DrawFn, k: int) -> Limit:
    return Limit(
        id=f"L{k}",
        span=SPAN,
        spans={},
        cap=draw(st.integers(0, 10)),
        year=draw(st.none() | st.sampled_from((2021, 2022))),
        schemes=draw(maybe(SCHEMES)),
        pools=draw(maybe(POOLS)),
        clusters=draw(maybe(CLUSTERS)),
        institutions=draw(maybe(INSTITUTIONS)),
        institution_types=draw(maybe(TYPES)),
        per=draw(st.none() | st.sampled_from(("cluster", "institution", "institution_type"))),
    )


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 8).flatmap(lambda n: st.tuples(*(limits(k) for k in range(n)))),
    st.sampled_from(SCHEMES),
    st.sampled_from((2021, 2022)),
    st.none() | st.sampled_from(CLUSTERS),
    st.sampled_from(INSTITUTIONS),
    st.none() | st.sampled_from(TYPES),
    st.lists(st.sampled_from(POOLS), max_size=3, unique=True),
)
def test_indexed_limits_are_every_limit_that_applies_in_order(
    drawn: tuple[Limit, ...],
    scheme_id: str,
    year: int,
    cluster_id: str | None,
    institution_id: str,
    kind: str | None,
    chain_ids: list[str],
) -> None:
    limits_ = tuple(sorted(drawn, key=lambda lim: lim.id))
    app = application(
        "a", 5, scheme=scheme_id, year=year, cluster=cluster_id, institution=institution_id
    )
    chain = [pool(p, 100) for p in chain_ids]
    found = caps.index_limits(limits_).candidates(app, chain, kind)
    assert found == sorted(set(found))
    applying = [i for i, lim in enumerate(limits_) if caps.limit_applies(lim, app, chain, kind)]
    assert set(applying) <= set(found)


def test_limit_checks_grow_with_the_rounds_not_their_square(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counting the work: every limit is checked a bounded number of times per round, so ten
    times the rounds make ten times the checks (checking every limit would make a hundred)."""
    checks = [0]
    real = caps.limit_applies

    def counting(*args: object) -> bool:
        checks[0] += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(caps, "limit_applies", counting)
    counts = []
    for n in (20, 200):
        checks[0] = 0
        result = allocate(rounds_with_limits(n))
        assert sum(g.granted for g in result.grants) == n * 300  # every round's limit binds
        counts.append(checks[0])
    assert counts[0] > 0
    assert counts[1] <= 10 * counts[0]
