"""pro_rata and capped_equal: worked examples of progressive filling, binding caps, dropouts
and refills, units with the largest-remainder leftover, and exclusive groups."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from factories import SPAN, application, bundle, institution, pool
from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.model import Bundle, Limit

MNOK = 100_000_000  # øre
KR = 100


def granted(result: Allocation) -> dict[str, int]:
    return {g.application: g.granted for g in result.grants}


def run(b: Bundle, method: str) -> Allocation:
    return allocate(b, methods={"*": method})


def test_the_textbook_case_two_four_six_in_a_pool_of_six():
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2, partial=True),
            application("c", 6 * MNOK, rank=3, partial=True),
        ],
    )
    # pro rata: 6 of 12 asked, everyone gets 1/2 of the request.
    assert granted(run(b, "pro_rata")) == {"a": 1 * MNOK, "b": 2 * MNOK, "c": 3 * MNOK}
    # capped equal: the common level 2 (2 + 2 + 2 = 6); a is funded in full at that level.
    result = run(b, "capped_equal")
    assert granted(result) == {"a": 2 * MNOK, "b": 2 * MNOK, "c": 2 * MNOK}
    assert result.by_application["a"].status is Status.FUNDED
    assert result.by_application["b"].status is Status.PARTIAL
    assert result.by_application["b"].limit == "pool"
    assert result.rounds["p"].method == "capped_equal"


def test_the_pools_own_method_is_used_without_an_override():
    b = bundle(
        pools=[pool("p", 6 * MNOK, method="capped_equal")],
        applications=[
            application("a", 1 * MNOK, rank=1, partial=True),
            application("b", 9 * MNOK, rank=2, partial=True),
        ],
    )
    assert granted(allocate(b)) == {"a": 1 * MNOK, "b": 5 * MNOK}


def test_capped_equal_lets_small_requests_saturate_and_the_rest_rise():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("a", 1 * MNOK, rank=1, partial=True),
            application("b", 2 * MNOK, rank=2, partial=True),
            application("c", 5 * MNOK, rank=3, partial=True),
            application("d", 9 * MNOK, rank=4, partial=True),
        ],
    )
    # Level 3,5: 1 + 2 + 3,5 + 3,5 = 10.
    assert granted(run(b, "capped_equal")) == {
        "a": 1 * MNOK,
        "b": 2 * MNOK,
        "c": 3_500_000_00,
        "d": 3_500_000_00,
    }


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_a_binding_sub_pool_stops_its_applications_and_the_others_go_on(method: str):
    b = bundle(
        pools=[pool("p", 10 * MNOK), pool("p-k1", 2 * MNOK, parent="p", clusters=("k1",))],
        applications=[
            application("a", 4 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 4 * MNOK, rank=2, cluster="k1", partial=True),
            application("c", 12 * MNOK, rank=3, cluster="k2", partial=True),
        ],
    )
    # The sub-pool fills at 1 each (1/4 of the request, or level 1); c rises on to the 8 left.
    result = run(b, method)
    assert granted(result) == {"a": 1 * MNOK, "b": 1 * MNOK, "c": 8 * MNOK}
    assert result.by_application["a"].limit == "pool"
    assert "sub-pool p-k1 was used up" in result.by_application["a"].detail
    assert result.pools["p"].remaining == 0


def test_pro_rata_shares_each_binding_cap_pro_rata():
    b = bundle(
        pools=[pool("p", 12 * MNOK, institution_cap=3 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2, partial=True),
            application("c", 6 * MNOK, rank=3, institution="i2", partial=True),
            application("d", 3 * MNOK, rank=4, institution="i2", partial=True),
        ],
    )
    # i1 (6 asked) fills at 1/2: a 1, b 2. i2 (9 asked) fills at 1/3: c 2, d 1.
    result = run(b, "pro_rata")
    assert granted(result) == {"a": 1 * MNOK, "b": 2 * MNOK, "c": 2 * MNOK, "d": 1 * MNOK}
    assert {g.limit for g in result.grants} == {"institution_cap"}
    # capped equal: i1 level 1,5 (a 1,5, b 1,5), i2 level 1,5 (c 1,5, d 1,5).
    assert granted(run(b, "capped_equal")) == dict.fromkeys("abcd", 1_500_000_00)


def test_own_limits_are_what_pro_rata_takes_a_fraction_of():
    b = bundle(
        pools=[pool("p", 6 * MNOK, max_grant=4 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 10 * MNOK, rank=2, partial=True),  # its limit is 4, not 10
        ],
    )
    assert granted(run(b, "pro_rata")) == {"a": 2 * MNOK, "b": 4 * MNOK}
    b = replace(b, pools={"p": pool("p", 3 * MNOK, max_grant=4 * MNOK)})
    assert granted(run(b, "pro_rata")) == {"a": 1 * MNOK, "b": 2 * MNOK}


# --- dropouts and refills -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_an_application_below_its_minimum_drops_out_and_the_filling_is_redone(method: str):
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2, partial=True),
            application("c", 6 * MNOK, rank=3, partial=True, min_grant=4 * MNOK),
        ],
    )
    # pro rata gives c 3, capped equal 2: both below 4. Without c, a and b fit in full.
    result = run(b, method)
    assert granted(result) == {"a": 2 * MNOK, "b": 4 * MNOK, "c": 0}
    assert result.by_application["c"].reason == "share below minimum"
    assert result.by_application["c"].limit == "min_grant"


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_one_that_does_not_accept_a_partial_grant_drops_out(method: str):
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2),
            application("c", 6 * MNOK, rank=3, partial=True),
        ],
    )
    # b would get 2 of 4 and does not accept it; then a and c share 6.
    result = run(b, method)
    assert result.by_application["b"].reason == "share too small; no partial"
    expected = {"pro_rata": (1_500_000_00, 4_500_000_00), "capped_equal": (2 * MNOK, 4 * MNOK)}
    assert (granted(result)["a"], granted(result)["c"]) == expected[method]


def test_the_latest_in_order_drops_out_first():
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 4 * MNOK, rank=1, partial=True, min_grant=3 * MNOK),
            application("b", 4 * MNOK, rank=2, partial=True, min_grant=3 * MNOK),
            application("c", 4 * MNOK, rank=3, partial=True),
        ],
    )
    # 2 each: a and b are below their minimum; b (later) drops out; then a and c get 3 each.
    for method in ("pro_rata", "capped_equal"):
        assert granted(run(b, method)) == {"a": 3 * MNOK, "b": 0, "c": 3 * MNOK}


def test_a_pool_min_grant_is_everyones_minimum():
    b = bundle(
        pools=[pool("p", 5 * MNOK, min_grant=2 * MNOK)],
        applications=[application(i, 4 * MNOK, rank=n, partial=True) for n, i in enumerate("abc")],
    )
    # 5/3 each is below 2: c drops out, then a and b get 2,5 each.
    assert granted(run(b, "capped_equal")) == {"a": 2_500_000_00, "b": 2_500_000_00, "c": 0}


def test_applications_that_fit_in_full_need_no_partial():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[application("a", 3 * MNOK, rank=1), application("b", 4 * MNOK, rank=2)],
    )
    for method in ("pro_rata", "capped_equal"):
        result = run(b, method)
        assert granted(result) == {"a": 3 * MNOK, "b": 4 * MNOK}
        assert {g.status for g in result.grants} == {Status.FUNDED}


# --- units and the leftover -----------------------------------------------------------------


def test_capped_equal_rounds_to_the_unit_and_hands_out_the_leftover_in_order():
    b = bundle(
        pools=[pool("p", 1_000 * KR, unit=100 * KR)],
        applications=[
            application(i, 1_000 * KR, rank=n, partial=True) for n, i in enumerate("abc")
        ],
    )
    # 333,33 kr each; 300 each in whole units, one unit left over: equal remainders, so the
    # first in order gets it.
    result = run(b, "capped_equal")
    assert granted(result) == {"a": 400 * KR, "b": 300 * KR, "c": 300 * KR}
    assert result.pools["p"].remaining == 0


def test_pro_rata_hands_out_the_leftover_by_largest_remainder():
    b = bundle(
        pools=[pool("p", 1_000 * KR, unit=100 * KR)],
        applications=[
            application("a", 1_000 * KR, rank=1, partial=True),
            application("b", 2_000 * KR, rank=2, partial=True),
            application("c", 4_000 * KR, rank=3, partial=True),
        ],
    )
    # 1/7 each: 142,86 / 285,71 / 571,43 kr -> 100 / 200 / 500 (800); 2 units left go to the
    # largest remainders b (85,71) and c (71,43), not a (42,86).
    assert granted(run(b, "pro_rata")) == {"a": 100 * KR, "b": 300 * KR, "c": 600 * KR}


def test_the_leftover_goes_only_where_every_cap_has_room():
    b = bundle(
        pools=[pool("p", 1_000 * KR, unit=100 * KR, institution_cap=650 * KR)],
        applications=[
            application("a", 700 * KR, rank=1, partial=True),
            application("b", 700 * KR, rank=2, partial=True),
            application("c", 300 * KR, rank=3, institution="i2", partial=True),
        ],
    )
    # capped equal: c saturates at 300, a and b share i1's 650: 325 each -> 300 each in units.
    # 50 kr of i1's cap and 100 kr of the pool are left: not a whole unit under both caps.
    result = run(b, "capped_equal")
    assert granted(result) == {"a": 300 * KR, "b": 300 * KR, "c": 300 * KR}
    assert result.pools["p"].remaining == 100 * KR


def test_a_full_request_is_never_rounded_and_a_limit_below_the_request_is():
    b = bundle(
        pools=[pool("p", 100 * MNOK, unit=100_000 * KR, aid_intensity=Fraction(1, 3))],
        applications=[
            application("a", 123_456_78, rank=1, budget=10 * MNOK),  # full: 123 456,78 kr
            application("b", 9 * MNOK, rank=2, budget=10 * MNOK, partial=True),  # 1/3: 3 333 333,33
        ],
    )
    for method in ("pro_rata", "capped_equal"):
        assert granted(run(b, method)) == {"a": 123_456_78, "b": 3_300_000_00}


# --- exclusive groups and council decisions -------------------------------------------------


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_only_the_first_of_an_exclusive_group_competes(method: str):
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 4 * MNOK, rank=1, partial=True, exclusive_group="g"),
            application("b", 4 * MNOK, rank=2, partial=True, exclusive_group="g"),
            application("c", 4 * MNOK, rank=3, partial=True),
        ],
    )
    result = run(b, method)
    assert granted(result) == {"a": 3 * MNOK, "b": 0, "c": 3 * MNOK}
    assert result.by_application["b"].reason == "group g: a funded"
    assert result.by_application["b"].limit == "exclusive"


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_when_the_first_of_a_group_drops_out_the_next_competes(method: str):
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application(
                "a", 4 * MNOK, rank=1, partial=True, exclusive_group="g", min_grant=4 * MNOK
            ),
            application("b", 4 * MNOK, rank=2, partial=True, exclusive_group="g"),
            application("c", 4 * MNOK, rank=3, partial=True),
        ],
    )
    assert granted(run(b, method)) == {"a": 0, "b": 3 * MNOK, "c": 3 * MNOK}


@pytest.mark.parametrize("method", ["pro_rata", "capped_equal"])
def test_fixed_grants_are_charged_before_the_filling(method: str):
    b = bundle(
        pools=[pool("p", 6 * MNOK)],
        applications=[
            application("a", 4 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2, partial=True),
            application("f", 3 * MNOK, rank=3, fixed_grant=2 * MNOK, exclusive_group="g"),
            application("x", 3 * MNOK, rank=0, partial=True, exclusive_group="g"),
        ],
    )
    result = run(b, method)
    assert granted(result) == {"x": 0, "a": 2 * MNOK, "b": 2 * MNOK, "f": 2 * MNOK}
    assert result.by_application["x"].limit == "exclusive"


def test_a_full_request_off_the_unit_does_not_swallow_a_leftover_unit():
    b = bundle(
        pools=[pool("p", 100 * MNOK, unit=100 * KR, institution_cap=304 * KR)],
        institutions=[institution("i2"), institution("u1", "universitet")],
        applications=[
            application("a", 300 * KR, rank=1, institution="u1", cluster="k2", partial=True),
            application("b", 1 * KR, rank=2, institution="i2", cluster="k1"),
            application("c", 231 * KR, rank=3, institution="i2", cluster="k2", partial=True),
            application("d", 296 * KR, rank=4, institution="i2", cluster="k2", partial=True),
        ],
    )
    b = replace(b, limits={"k": Limit(id="k", span=SPAN, spans={}, cap=496 * KR, per="cluster")})
    # Capped equal: i2 (b 1 + c + d <= 304) fills at 151,50 for c and d; then a rises until
    # cluster k2 (a + c + d <= 496) fills at 193. Exact: 193 / 1 / 151,50 / 151,50 = 497 kr.
    # Rounded down to 100 kr (b's full 1 kr as it is): 100 / 1 / 100 / 100 = 301, so 196 kr
    # are left over: one whole unit, for the largest remainder, a (93 kr).
    assert granted(run(b, "capped_equal")) == {
        "a": 200 * KR,
        "b": 1 * KR,
        "c": 100 * KR,
        "d": 100 * KR,
    }
