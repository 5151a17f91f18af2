"""Exact funding gaps grow with the rounds, not their square: each round's search re-decides
only the rounds that cross-pool limits join it to, not the whole archive."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import rounds_with_limits
from kompalloc.allocation import allocate, caps, gaps
from kompalloc.model import Bundle, Limit


def _work(monkeypatch: pytest.MonkeyPatch, bundle: Bundle) -> tuple[int, dict[str, object]]:
    """Applications, pools and limits the searches of every round went through, and the gaps."""
    work = [0]
    real = gaps.allocate
    real_index = caps.index_limits

    def counting(b: Bundle, methods: dict[str, str] | None = None) -> object:
        work[0] += len(b.applications) + len(b.pools)
        return real(b, methods)

    def indexing(limits: tuple[Limit, ...]) -> caps.LimitIndex:
        kept = caps._INDEXES.get(id(limits))
        if kept is None or kept[0] is not limits:
            work[0] += len(limits)  # an index made: every limit looked at
        return real_index(limits)

    monkeypatch.setattr(gaps, "allocate", counting)
    monkeypatch.setattr(gaps, "index_limits", indexing)
    monkeypatch.setattr(caps, "index_limits", indexing)
    found = gaps.funding_gaps(bundle, allocate(bundle))
    return work[0], dict(found)


def test_ten_times_the_rounds_make_ten_times_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    for n in (20, 200):
        work, found = _work(monkeypatch, rounds_with_limits(n))
        assert len(found) == n  # every round's limit binds, so every round has a funding line
        counts.append(work)
    assert counts[0] > 0
    assert counts[1] <= 10 * counts[0]  # re-deciding the whole archive each time makes 100x


def test_a_limit_over_two_rounds_joins_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit that two rounds share is re-decided with both (so the gap counts what the other
    round takes of it); rounds no limit joins are left out."""
    bundle = rounds_with_limits(3)
    shared = Limit(
        id="both",
        span=bundle.limits["L0"].span,
        spans={},
        cap=400,
        pools=("r0", "r1"),
    )
    limits = {k: v for k, v in bundle.limits.items() if k not in ("L0", "L1")}
    joined = Bundle(
        schemes=bundle.schemes,
        pools=bundle.pools,
        clusters=bundle.clusters,
        institutions=bundle.institutions,
        applications=bundle.applications,
        limits={**limits, "both": shared},
    )
    allocation = allocate(joined)
    prepared = gaps.prepare(joined, allocation)
    assert prepared.linked["r0"] == prepared.linked["r1"]
    assert prepared.linked["r2"] != prepared.linked["r0"]
    seen: list[set[str]] = []
    real = gaps.allocate

    def recording(b: Bundle, methods: dict[str, str] | None = None) -> object:
        seen.append({a.scheme for a in b.applications.values()})
        return real(b, methods)

    monkeypatch.setattr(gaps, "allocate", recording)
    gap = gaps.funding_gap(joined, allocation, "r1", None, prepared)
    assert gap is not None
    assert seen and all(s == {"s0", "s1"} for s in seen)
    moves = {m.key: m.extra for m in gap.full.single}
    assert "limit:both" in moves
    line = allocation.rounds["r1"].funding_line
    assert line is not None

    def granted_with(extra: int) -> int:
        more = Limit(
            id="both", span=shared.span, spans={}, cap=shared.cap + extra, pools=shared.pools
        )
        raised = replace(joined, limits={**limits, "both": more})
        return allocate(raised).by_application[line].granted

    asked = joined.applications[line].requested
    assert granted_with(moves["limit:both"]) == asked  # the stated gap funds it
    assert granted_with(moves["limit:both"] - 1) < asked  # one øre less does not
