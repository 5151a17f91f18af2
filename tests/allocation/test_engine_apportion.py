"""apportion(): textbook seat tables for every rule, floors and caps, and properties checked
against slow references that hand out one unit at a time."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kompalloc.allocation.apportion import apportion

RULES = ("hamilton", "sainte_lague", "modified_sainte_lague", "dhondt")
DIVISOR_RULES = ("sainte_lague", "modified_sainte_lague", "dhondt")


def fr(**weights: int) -> dict[str, Fraction]:
    return {g: Fraction(w) for g, w in weights.items()}


# --- textbook cases -------------------------------------------------------------------------

# Votes A 100 000, B 80 000, C 30 000, D 20 000; 8 seats.
VOTES = fr(A=100_000, B=80_000, C=30_000, D=20_000)


def test_dhondt_seat_table():
    # Quotients v/1, v/2, v/3, ...:
    #   A 100 000  50 000  33 333  25 000 | 20 000
    #   B  80 000  40 000  26 667 | 20 000
    #   C  30 000 | 15 000
    #   D | 20 000
    # The 8 largest: 100k A, 80k B, 50k A, 40k B, 33.3k A, 30k C, 26.7k B, 25k A.
    assert apportion(8, VOTES, "dhondt") == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_seat_table():
    # Quotients v/1, v/3, v/5, ...:
    #   A 100 000  33 333  20 000 | 14 286
    #   B  80 000  26 667  16 000 | 11 429
    #   C  30 000 | 10 000
    #   D  20 000 |  6 667
    # The 8 largest: 100k A, 80k B, 33.3k A, 30k C, 26.7k B, 20k A, 20k D, 16k B.
    # D'Hondt favours the large party A; Sainte-Laguë gives D its seat.
    assert apportion(8, VOTES, "sainte_lague") == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_modified_sainte_lague_keeps_a_small_party_out():
    # Votes A 50 000, B 31 000, C 13 000; 5 seats.
    # Plain Sainte-Laguë (1, 3, 5, 7):
    #   A 50 000  16 667 | 10 000  7 143
    #   B 31 000  10 333 |  6 200
    #   C 13 000 |  4 333
    #   5 largest: 50k A, 31k B, 16.7k A, 13k C, 10.3k B -> A 2, B 2, C 1.
    # Modified (1.4, 3, 5, 7): first quotients shrink, so C's 13 000 / 1.4 = 9 286 drops out:
    #   A 35 714  16 667  10 000 | 7 143
    #   B 22 143  10 333 |  6 200
    #   C  9 286 |  4 333
    #   5 largest: 35.7k A, 22.1k B, 16.7k A, 10.3k B, 10k A -> A 3, B 2, C 0.
    # With 7 seats both give C its seat: plain adds 10k A, 7 143 A; modified 9 286 C, 7 143 A.
    votes = fr(A=50_000, B=31_000, C=13_000)
    assert apportion(5, votes, "sainte_lague") == {"A": 2, "B": 2, "C": 1}
    assert apportion(5, votes, "modified_sainte_lague") == {"A": 3, "B": 2, "C": 0}
    assert apportion(7, votes, "sainte_lague") == {"A": 4, "B": 2, "C": 1}
    assert apportion(7, votes, "modified_sainte_lague") == {"A": 4, "B": 2, "C": 1}


def test_hamilton_and_the_alabama_paradox():
    # Populations 1500, 1500, 900, 500, 500, 200 (5 100 in all).
    # 25 seats: quotas 7.35 7.35 4.41 2.45 2.45 0.98 -> floors 7 7 4 2 2 0 (22); the 3 left
    #   go to the largest remainders F .98, D .45, E .45 -> 7 7 4 3 3 1.
    # 26 seats: quotas 7.65 7.65 4.59 2.55 2.55 1.02 -> floors 7 7 4 2 2 1 (23); the 3 left
    #   go to A .65, B .65, C .59 -> 8 8 5 2 2 1: D and E lose a seat in a larger house.
    pops = fr(A=1500, B=1500, C=900, D=500, E=500, F=200)
    assert apportion(25, pops, "hamilton") == {"A": 7, "B": 7, "C": 4, "D": 3, "E": 3, "F": 1}
    assert apportion(26, pops, "hamilton") == {"A": 8, "B": 8, "C": 5, "D": 2, "E": 2, "F": 1}
    # The divisor methods never do that.
    for rule in DIVISOR_RULES:
        small, large = apportion(25, pops, rule), apportion(26, pops, rule)
        assert all(large[g] >= small[g] for g in pops), rule


@pytest.mark.parametrize("rule", RULES)
def test_ties_go_to_the_smaller_group_id(rule: str):
    assert apportion(1, fr(b=1, a=1), rule) == {"a": 1, "b": 0}
    assert apportion(2, fr(c=1, b=1, a=1), rule) == {"a": 1, "b": 1, "c": 0}
    assert apportion(4, fr(y=2, x=2, z=1), rule)["x"] >= apportion(4, fr(y=2, x=2, z=1), rule)["y"]


@pytest.mark.parametrize("rule", RULES)
def test_zero_weights_get_nothing_but_their_floor(rule: str):
    assert apportion(10, fr(a=0, b=1, c=3), rule) == {
        "a": 0,
        "b": apportion(10, fr(b=1, c=3), rule)["b"],
        "c": apportion(10, fr(b=1, c=3), rule)["c"],
    }
    shares = apportion(10, fr(a=0, b=1), rule, floors={"a": 2})
    assert shares == {"a": 2, "b": 8}
    assert apportion(10, fr(a=0, b=0), rule) == {"a": 0, "b": 0}


@pytest.mark.parametrize("rule", RULES)
def test_zero_total(rule: str):
    assert apportion(0, fr(a=1, b=2), rule) == {"a": 0, "b": 0}


@pytest.mark.parametrize("rule", RULES)
def test_a_cap_passes_the_surplus_to_the_others_by_weight(rule: str):
    # Unbounded, a would get 60 of 100; capped at 30, the other 70 go 1 : 3 -> 17.5 : 52.5.
    shares = apportion(100, fr(a=6, b=1, c=3), rule, caps={"a": 30})
    assert shares["a"] == 30
    assert shares["b"] + shares["c"] == 70
    assert shares["b"] in (17, 18) and shares["c"] in (52, 53)


@pytest.mark.parametrize("rule", RULES)
def test_a_floor_is_taken_from_the_others_by_weight(rule: str):
    # Unbounded a would get 10 of 100; held up to 40, the other 60 go 3 : 6 -> 20 : 40.
    shares = apportion(100, fr(a=1, b=3, c=6), rule, floors={"a": 40})
    assert shares == {"a": 40, "b": 20, "c": 40}


@pytest.mark.parametrize("rule", RULES)
def test_a_floor_and_a_cap_at_once_treat_equal_weights_equally(rule: str):
    # a is held up to 10; b's cap of 8 does not bind once a has its floor: 14 left for b and c.
    shares = apportion(24, fr(a=1, b=10, c=10), rule, floors={"a": 10}, caps={"b": 8})
    assert shares == {"a": 10, "b": 7, "c": 7}
    # The mirror image: c's cap releases units, and then a's floor no longer binds.
    shares = apportion(30, fr(a=4, b=10, c=16), rule, floors={"a": 5}, caps={"c": 2})
    assert shares["c"] == 2
    assert shares["a"] + shares["b"] == 28
    assert shares["a"] in (7, 8), shares  # 28 x 4/14 = 8: more than its floor


# --- slow references ------------------------------------------------------------------------


def _first_divisor(rule: str) -> Fraction:
    return {
        "dhondt": Fraction(1),
        "sainte_lague": Fraction(1),
        "modified_sainte_lague": Fraction(7, 5),
    }[rule]


def divisor_reference(
    total: int,
    weights: dict[str, Fraction],
    rule: str,
    floors: dict[str, int],
    caps: dict[str, int],
) -> dict[str, int]:
    """Highest averages, one unit at a time from the floors up, skipping groups at their cap.

    Divisors as printed in election law: D'Hondt 1, 2, 3, ...; Sainte-Laguë 1, 3, 5, ...;
    the Norwegian modified method 1.4, 3, 5, ...
    """

    def div(n: int) -> Fraction:
        if rule == "dhondt":
            return Fraction(n + 1)
        return _first_divisor(rule) if n == 0 else Fraction(2 * n + 1)

    shares = {g: floors.get(g, 0) for g in weights} | _zero_weight_shares(weights, floors, caps)
    heap = [(-(w / div(shares[g])), g) for g, w in weights.items() if w > 0]
    heapq.heapify(heap)
    while sum(shares.values()) < total and heap:
        _, g = heapq.heappop(heap)
        if g in caps and shares[g] >= caps[g]:
            continue
        shares[g] += 1
        heapq.heappush(heap, (-(weights[g] / div(shares[g])), g))
    return shares


def _zero_weight_shares(
    weights: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int]
) -> dict[str, int]:
    """Groups without weight keep their floor (never above their cap) and nothing more."""
    return {
        g: min(floors.get(g, 0), caps.get(g, floors.get(g, 0)))
        for g, w in weights.items()
        if w == 0
    }


def bounded_quotas(
    total: int, weights: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int]
) -> dict[str, Fraction]:
    """Exact quotas clamp(lam x w, floor, cap) that add up to the total (or to every cap)."""
    fixed = _zero_weight_shares(weights, floors, caps)
    free = {g: w for g, w in weights.items() if w > 0}
    target = total - sum(fixed.values())

    def at(lam: Fraction) -> dict[str, Fraction]:
        out: dict[str, Fraction] = {}
        for g, w in free.items():
            q = max(lam * w, Fraction(floors.get(g, 0)))
            out[g] = min(q, Fraction(caps[g])) if g in caps else q
        return out

    def reach(lam: Fraction) -> Fraction:
        return sum(at(lam).values(), Fraction(0))

    bends = sorted(
        {Fraction(0)}
        | {Fraction(floors[g]) / w for g, w in free.items() if g in floors}
        | {Fraction(caps[g]) / w for g, w in free.items() if g in caps}
    )
    # reach(lam) is piecewise linear and non-decreasing: find the piece where it hits the target.
    previous = bends[0]
    for bend in bends:
        if reach(bend) >= target:
            if reach(previous) >= target:
                return {**fixed, **at(previous)}
            lo, hi = reach(previous), reach(bend)
            lam = previous + (bend - previous) * (target - lo) / (hi - lo)
            return {**fixed, **at(lam)}
        previous = bend
    slope = sum(w for g, w in free.items() if g not in caps)
    if not slope:
        return {**fixed, **at(previous)}  # every cap is full: infeasible
    return {**fixed, **at(previous + (target - reach(previous)) / slope)}


def hamilton_reference(
    total: int, weights: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int]
) -> dict[str, int]:
    """Largest remainder, one unit at a time: each unit to the group furthest below its
    (bounded) quota, ties to the smaller id. Only for feasible problems."""
    quotas = bounded_quotas(total, weights, floors, caps)
    shares = dict.fromkeys(weights, 0)
    heap = [(-q, g) for g, q in quotas.items()]
    heapq.heapify(heap)
    for _ in range(total):
        _, g = heapq.heappop(heap)
        shares[g] += 1
        heapq.heappush(heap, (-(quotas[g] - shares[g]), g))
    return shares


def test_the_references_agree_with_the_textbook():
    assert divisor_reference(8, VOTES, "dhondt", {}, {}) == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert divisor_reference(8, VOTES, "sainte_lague", {}, {}) == {"A": 3, "B": 3, "C": 1, "D": 1}
    pops = fr(A=1500, B=1500, C=900, D=500, E=500, F=200)
    assert hamilton_reference(26, pops, {}, {}) == {"A": 8, "B": 8, "C": 5, "D": 2, "E": 2, "F": 1}


# --- properties -----------------------------------------------------------------------------

GROUPS = ["a", "b", "c", "d", "e"]


@st.composite
def problems(draw: st.DrawFn, bounded: bool = True, max_total: int = 60):  # type: ignore[no-untyped-def]
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=5, unique=True))
    weights = {g: Fraction(draw(st.integers(0, 50)), draw(st.integers(1, 7))) for g in groups}
    total = draw(st.integers(0, max_total))
    floors: dict[str, int] = {}
    caps: dict[str, int] = {}
    if bounded:
        for g in groups:
            if draw(st.booleans()):
                floors[g] = draw(st.integers(0, max(0, total // 3)))
            if draw(st.booleans()):
                caps[g] = draw(st.integers(floors.get(g, 0), total + 1))
    assume(sum(floors.values()) <= total)
    return total, weights, floors, caps


def feasible(
    total: int, weights: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int]
) -> bool:
    """Whether the groups with weight can take what the groups without leave."""
    fixed = sum(_zero_weight_shares(weights, floors, caps).values())
    free = [g for g, w in weights.items() if w > 0]
    if not free:
        return False
    return any(g not in caps for g in free) or fixed + sum(caps[g] for g in free) >= total


@settings(max_examples=300, deadline=None)
@given(problems(), st.sampled_from(RULES))
def test_sum_is_the_total_and_bounds_hold(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, floors, caps = problem
    shares = apportion(total, weights, rule, floors, caps)
    assert set(shares) == set(weights)
    assert all(n >= 0 for n in shares.values())
    assert all(shares[g] >= f for g, f in floors.items())
    assert all(shares[g] <= c for g, c in caps.items())
    if feasible(total, weights, floors, caps):
        assert sum(shares.values()) == total
    else:
        assert sum(shares.values()) <= total


@settings(max_examples=300, deadline=None)
@given(problems(bounded=False), st.sampled_from(RULES))
def test_sum_is_the_total_without_bounds(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, _, _ = problem
    shares = apportion(total, weights, rule)
    expected = total if any(w > 0 for w in weights.values()) else 0
    assert sum(shares.values()) == expected


@settings(max_examples=300, deadline=None)
@given(problems(bounded=False, max_total=10_000))
def test_hamilton_meets_the_quota_rule(problem):  # type: ignore[no-untyped-def]
    total, weights, _, _ = problem
    whole = sum(weights.values())
    assume(whole > 0)
    shares = apportion(total, weights, "hamilton")
    for g, w in weights.items():
        quota = total * w / whole
        assert shares[g] in (math.floor(quota), math.ceil(quota))


@settings(max_examples=200, deadline=None)
@given(problems(), st.sampled_from(DIVISOR_RULES))
def test_divisor_methods_are_house_monotone(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, floors, caps = problem
    smaller = apportion(total, weights, rule, floors, caps)
    larger = apportion(total + 1, weights, rule, floors, caps)
    assert all(larger[g] >= smaller[g] for g in weights)


@settings(max_examples=300, deadline=None)
@given(problems(), st.sampled_from(RULES))
def test_a_heavier_group_never_gets_less_unless_a_bound_holds_it(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, floors, caps = problem
    shares = apportion(total, weights, rule, floors, caps)
    for a in weights:
        for b in weights:
            heavier = weights[a] > weights[b] or (weights[a] == weights[b] and a < b)
            if heavier and weights[b] > 0 and shares[a] < shares[b]:
                assert shares[a] == caps.get(a) or shares[b] == floors.get(b), (a, b, shares)


@settings(max_examples=300, deadline=None)
@given(problems(bounded=False), st.sampled_from(RULES))
def test_fast_agrees_with_one_unit_at_a_time_without_bounds(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, _, _ = problem
    assume(any(w > 0 for w in weights.values()))
    fast = apportion(total, weights, rule)
    if rule == "hamilton":
        assert fast == hamilton_reference(total, weights, {}, {})
    else:
        assert fast == divisor_reference(total, weights, rule, {}, {})


@settings(max_examples=400, deadline=None)
@given(problems(), st.sampled_from(DIVISOR_RULES))
def test_fast_agrees_with_one_unit_at_a_time_with_floors_and_caps(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, floors, caps = problem
    assume(feasible(total, weights, floors, caps))
    fast = apportion(total, weights, rule, floors, caps)
    assert fast == divisor_reference(total, weights, rule, floors, caps)


@settings(max_examples=300, deadline=None)
@given(problems(), st.sampled_from(RULES))
def test_bounds_the_plain_result_meets_change_nothing(problem, rule: str):  # type: ignore[no-untyped-def]
    total, weights, floors, caps = problem
    assume(any(w > 0 for w in weights.values()))
    plain = apportion(total, weights, rule)
    assume(all(plain[g] >= f for g, f in floors.items()))
    assume(all(plain[g] <= c for g, c in caps.items()))
    assert apportion(total, weights, rule, floors, caps) == plain


@settings(max_examples=300, deadline=None)
@given(problems())
def test_hamilton_with_bounds_stays_within_a_unit_of_the_bounded_quota(problem):  # type: ignore[no-untyped-def]
    # Hamilton with bounds fixes the groups whose rounded share breaks a bound (so a floor the
    # plain result meets changes nothing) rather than clamping the exact quotas first; the two
    # definitions can differ by a unit, never more.
    total, weights, floors, caps = problem
    assume(feasible(total, weights, floors, caps))
    shares = apportion(total, weights, "hamilton", floors, caps)
    quotas = bounded_quotas(total, weights, floors, caps)
    assert all(abs(shares[g] - quotas[g]) < 1 for g in weights), (shares, quotas)


@pytest.mark.parametrize("rule", RULES)
def test_a_huge_total_is_apportioned_exactly_and_at_once(rule: str):
    total = 10**12
    weights = {
        g: Fraction(n, 7) for g, n in zip(GROUPS, (3, 1_000_003, 11, 999_999_937, 0), strict=True)
    }
    # Unbounded, a would get about 3 000 units and b about 999 million.
    shares = apportion(total, weights, rule, floors={"a": 10**6}, caps={"b": 10**8})
    assert sum(shares.values()) == total
    assert shares["a"] == 10**6 and shares["b"] == 10**8 and shares["e"] == 0
    unbounded = apportion(total + 12_345, weights, rule)
    assert sum(unbounded.values()) == total + 12_345
