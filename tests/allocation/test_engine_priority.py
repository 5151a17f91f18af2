"""Priority allocation: every kind of cap binding, caps overlapping, shortfall policies, units,
council decisions, exclusive groups, earmarks and apportioned shares."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from factories import SPAN, application, bundle, cluster, institution, pool, scheme
from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.model import Apportion, Bundle, Limit

MNOK = 100_000_000  # øre
KR = 100


def limit(id: str, cap: int, **kw: Any) -> Limit:
    return Limit(id=id, span=SPAN, spans={}, cap=cap, **kw)


def with_limits(b: Bundle, *limits: Limit) -> Bundle:
    return replace(b, limits={lim.id: lim for lim in limits})


def granted(result: Allocation) -> dict[str, int]:
    return {g.application: g.granted for g in result.grants}


def decided(result: Allocation) -> dict[str, tuple[int, Status, str | None]]:
    return {g.application: (g.granted, g.status, g.limit) for g in result.grants}


# --- every cap kind -------------------------------------------------------------------------


def test_the_root_pool_binds():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("a", 7 * MNOK, rank=1),
            application("b", 5 * MNOK, rank=2, partial=True),
        ],
    )
    assert decided(allocate(b))["b"] == (3 * MNOK, Status.PARTIAL, "pool")


def test_a_sub_pool_binds_and_counts_against_its_parent():
    b = bundle(
        pools=[pool("p", 10 * MNOK), pool("p-k1", 2 * MNOK, parent="p", clusters=("k1",))],
        applications=[
            application("a", 3 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 9 * MNOK, rank=2, cluster="k2", partial=True),
        ],
    )
    result = allocate(b)
    assert decided(result) == {
        "a": (2 * MNOK, Status.PARTIAL, "pool"),
        "b": (8 * MNOK, Status.PARTIAL, "pool"),
    }
    assert result.by_application["a"].pools == ("p", "p-k1")
    assert "sub-pool" in result.by_application["a"].reason


def test_an_institution_cap_binds_per_institution():
    b = bundle(
        pools=[pool("p", 10 * MNOK, institution_cap=4 * MNOK)],
        applications=[
            application("a", 3 * MNOK, rank=1),
            application("b", 3 * MNOK, rank=2, partial=True),  # i1 has 1 MNOK left
            application("c", 3 * MNOK, rank=3, institution="i2"),
        ],
    )
    assert decided(allocate(b)) == {
        "a": (3 * MNOK, Status.FUNDED, "request"),
        "b": (1 * MNOK, Status.PARTIAL, "institution_cap"),
        "c": (3 * MNOK, Status.FUNDED, "request"),
    }


def test_a_share_per_cluster_is_rounded_down_to_whole_ore():
    # A third of 10 000 000,01 kr is 3 333 333,336⅔ kr: the cap is 3 333 333,33 kr.
    cap = 10 * MNOK + 1
    b = bundle(
        pools=[pool("p", cap, max_share_per_cluster=Fraction(1, 3), unit=1)],
        applications=[
            application("a", 4 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 4 * MNOK, rank=2, cluster="k2", partial=True),
            application("c", 1 * MNOK, rank=3),  # no cluster: no cluster share applies
        ],
    )
    assert decided(allocate(b)) == {
        "a": (333_333_333, Status.PARTIAL, "share"),
        "b": (333_333_333, Status.PARTIAL, "share"),
        "c": (1 * MNOK, Status.FUNDED, "request"),
    }


def test_a_share_per_institution_and_per_institution_type():
    b = bundle(
        pools=[
            pool(
                "p",
                10 * MNOK,
                max_share_per_institution=Fraction(3, 10),
                max_share_per_institution_type=Fraction(1, 2),
            )
        ],
        institutions=[institution("i1"), institution("i2"), institution("u", "universitet")],
        applications=[
            application("a", 4 * MNOK, rank=1, institution="i1", partial=True),  # 3 per institution
            application(
                "b", 4 * MNOK, rank=2, institution="i2", partial=True
            ),  # 2 left for the type
            application("c", 4 * MNOK, rank=3, institution="u", partial=True),  # 3 per institution
        ],
    )
    assert decided(allocate(b)) == {
        "a": (3 * MNOK, Status.PARTIAL, "share"),
        "b": (2 * MNOK, Status.PARTIAL, "share"),
        "c": (3 * MNOK, Status.PARTIAL, "share"),
    }
    reason = allocate(b).by_application["b"].detail
    assert "per institution type (fagskole_offentlig)" in reason


def test_a_limit_across_two_root_pools():
    b = bundle(
        schemes=[scheme("s"), scheme("t")],
        pools=[pool("ps", 10 * MNOK, scheme="s"), pool("pt", 10 * MNOK, scheme="t")],
        applications=[
            application("a", 4 * MNOK, rank=1, scheme="s"),
            application("b", 3 * MNOK, rank=1, scheme="t", partial=True),
            application("c", 3 * MNOK, rank=2, scheme="t", institution="i2"),
            application("d", 3 * MNOK, rank=1, scheme="s", year=2022),  # another year, no pool
        ],
    )
    b = replace(b, pools={**b.pools, "ps22": pool("ps22", 10 * MNOK, scheme="s", year=2022)})
    b = with_limits(b, limit("inst", 5 * MNOK, year=2021, institutions=("i1",), name="I1 per year"))
    result = allocate(b)
    assert decided(result)["a"] == (4 * MNOK, Status.FUNDED, "request")
    assert decided(result)["b"] == (1 * MNOK, Status.PARTIAL, "limit")
    assert decided(result)["c"] == (3 * MNOK, Status.FUNDED, "request")
    assert decided(result)["d"] == (3 * MNOK, Status.FUNDED, "request")
    assert "limit I1 per year" in result.by_application["b"].detail


def test_a_limit_per_group_holds_for_each_group_separately():
    b = bundle(
        pools=[pool("p", 20 * MNOK)],
        applications=[
            application("a", 3 * MNOK, rank=1, cluster="k1"),
            application("b", 3 * MNOK, rank=2, cluster="k1", partial=True),
            application("c", 3 * MNOK, rank=3, cluster="k2"),
            application("d", 5 * MNOK, rank=4),  # no cluster: a per-cluster limit cannot apply
        ],
    )
    b = with_limits(b, limit("per-cluster", 4 * MNOK, per="cluster"))
    assert decided(allocate(b)) == {
        "a": (3 * MNOK, Status.FUNDED, "request"),
        "b": (1 * MNOK, Status.PARTIAL, "limit"),
        "c": (3 * MNOK, Status.FUNDED, "request"),
        "d": (5 * MNOK, Status.FUNDED, "request"),
    }


def test_a_limit_selects_by_pool_scheme_cluster_and_type():
    b = bundle(
        pools=[pool("p", 20 * MNOK), pool("p-k1", 10 * MNOK, parent="p", clusters=("k1",))],
        institutions=[institution("i1"), institution("u", "universitet")],
        applications=[
            application("a", 2 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 2 * MNOK, rank=2, cluster="k2", partial=True),
            application("c", 2 * MNOK, rank=3, cluster="k1", institution="u", partial=True),
        ],
    )
    for lim, selected in [
        (limit("L", 1 * MNOK, pools=("p-k1",)), {"a", "c"}),
        (limit("L", 1 * MNOK, schemes=("other",)), set()),
        (limit("L", 1 * MNOK, clusters=("k2",)), {"b"}),
        (limit("L", 1 * MNOK, institution_types=("universitet",)), {"c"}),
    ]:
        result = granted(allocate(with_limits(b, lim)))
        assert all(result[k] == 2 * MNOK for k in result if k not in selected), (lim, result)
        if selected:
            assert sum(result[k] for k in selected) == 1 * MNOK, (lim, result)


@pytest.mark.parametrize(
    ("kw", "kind", "amount"),
    [
        ({"max_grant": 2 * MNOK}, "max_grant", 2 * MNOK),
        ({"aid_intensity": Fraction(2, 5)}, "aid_intensity", 4 * MNOK),  # 40 % of 10 MNOK
    ],
)
def test_a_pools_own_limits_on_each_application(kw: dict[str, Any], kind: str, amount: int):
    b = bundle(
        pools=[pool("p", 50 * MNOK, **kw)],
        applications=[application("a", 5 * MNOK, rank=1, partial=True, budget=10 * MNOK)],
    )
    assert decided(allocate(b))["a"] == (amount, Status.PARTIAL, kind)


def test_a_sub_pools_aid_intensity_and_max_grant_hold_too():
    b = bundle(
        pools=[
            pool("p", 50 * MNOK, aid_intensity=Fraction(1, 2)),
            pool("p-k1", 50 * MNOK, parent="p", clusters=("k1",), aid_intensity=Fraction(3, 10)),
        ],
        applications=[
            application("a", 5 * MNOK, rank=1, cluster="k1", partial=True, budget=10 * MNOK),
            application("b", 5 * MNOK, rank=2, cluster="k2", partial=True, budget=8 * MNOK),
        ],
    )
    assert decided(allocate(b)) == {
        "a": (3 * MNOK, Status.PARTIAL, "aid_intensity"),
        "b": (4 * MNOK, Status.PARTIAL, "aid_intensity"),
    }


def test_a_scheme_rate_binds_and_is_rounded_down_to_the_unit():
    rated = scheme(max_per_participant=33_333_33)  # 33 333,33 kr per participant
    b = bundle(
        schemes=[rated],
        pools=[pool("p", 50 * MNOK)],
        applications=[application("a", 5 * MNOK, rank=1, partial=True, participants=7)],
    )
    # 7 x 33 333,33 = 233 333,31 kr, rounded down to whole kroner.
    assert decided(allocate(b))["a"] == (233_333_00, Status.PARTIAL, "rate")


# --- caps overlapping -----------------------------------------------------------------------


def test_a_share_an_institution_cap_and_a_limit_at_once():
    b = bundle(
        pools=[
            pool("p", 20 * MNOK, max_share_per_cluster=Fraction(1, 4), institution_cap=6 * MNOK)
        ],
        applications=[
            # Share k1 5, institution i1 6, limit on k1 and k2 together 7.
            application("a", 4 * MNOK, rank=1, cluster="k1"),  # all three have room
            application("b", 3 * MNOK, rank=2, cluster="k1", partial=True),  # share: 1 left
            application("c", 3 * MNOK, rank=3, cluster="k2", partial=True),  # i1: 1 left
            application(
                "d", 3 * MNOK, rank=4, cluster="k2", institution="i2", partial=True
            ),  # limit: 1
            application(
                "e", 3 * MNOK, rank=5, cluster="k2", institution="i2", partial=True
            ),  # limit: 0
        ],
    )
    b = with_limits(b, limit("L", 7 * MNOK, clusters=("k1", "k2")))
    assert decided(allocate(b)) == {
        "a": (4 * MNOK, Status.FUNDED, "request"),
        "b": (1 * MNOK, Status.PARTIAL, "share"),
        "c": (1 * MNOK, Status.PARTIAL, "institution_cap"),
        "d": (1 * MNOK, Status.PARTIAL, "limit"),
        "e": (0, Status.NOT_FUNDED, "limit"),
    }


def test_every_cap_is_charged_with_every_grant():
    b = bundle(
        pools=[
            pool("p", 20 * MNOK, max_share_per_cluster=Fraction(1, 2), institution_cap=8 * MNOK)
        ],
        applications=[
            application("a", 6 * MNOK, rank=1, cluster="k1"),
            # After a: share k1 4, institution i1 2, limit 5: the institution cap binds.
            application("b", 5 * MNOK, rank=2, cluster="k1", partial=True),
            # After b: share k1 2, i1 0, limit 3: nothing for i1; i2 gets the share's 2.
            application("c", 5 * MNOK, rank=3, cluster="k1", partial=True),
            application("d", 5 * MNOK, rank=4, cluster="k1", institution="i2", partial=True),
        ],
    )
    b = with_limits(b, limit("L", 11 * MNOK))
    assert decided(allocate(b)) == {
        "a": (6 * MNOK, Status.FUNDED, "request"),
        "b": (2 * MNOK, Status.PARTIAL, "institution_cap"),
        "c": (0, Status.NOT_FUNDED, "institution_cap"),
        "d": (2 * MNOK, Status.PARTIAL, "share"),
    }


# --- shortfall policies ---------------------------------------------------------------------


def _shortfall(policy: str | None) -> Bundle:
    return bundle(
        pools=[pool("p", 10 * MNOK, shortfall=policy)],
        applications=[
            application("a", 6 * MNOK, rank=1),
            application("b", 6 * MNOK, rank=2, partial=True),
            application("c", 2 * MNOK, rank=3),
            application("d", 1 * MNOK, rank=4),
        ],
    )


def test_shortfall_part_fund_is_the_default():
    for policy in (None, "part_fund"):
        result = allocate(_shortfall(policy))
        assert granted(result) == {"a": 6 * MNOK, "b": 4 * MNOK, "c": 0, "d": 0}
        assert result.rounds["p"].funding_line == "b"
        assert result.rounds["p"].funding_gap == 2 * MNOK


def test_shortfall_part_fund_without_partial_goes_on():
    b = _shortfall("part_fund")
    b = replace(
        b, applications={**b.applications, "b": replace(b.applications["b"], partial=False)}
    )
    assert granted(allocate(b)) == {"a": 6 * MNOK, "b": 0, "c": 2 * MNOK, "d": 1 * MNOK}


def test_shortfall_skip_gives_nothing_and_goes_on():
    result = allocate(_shortfall("skip"))
    assert granted(result) == {"a": 6 * MNOK, "b": 0, "c": 2 * MNOK, "d": 1 * MNOK}
    assert result.by_application["b"].reason == "too little in pool; skipped"


def test_shortfall_stop_gives_nothing_to_it_and_everyone_after():
    result = allocate(_shortfall("stop"))
    assert decided(result) == {
        "a": (6 * MNOK, Status.FUNDED, "request"),
        "b": (0, Status.NOT_FUNDED, "stop"),
        "c": (0, Status.NOT_FUNDED, "stop"),
        "d": (0, Status.NOT_FUNDED, "stop"),
    }
    assert result.rounds["p"].funding_line == "b"
    assert result.pools["p"].remaining == 4 * MNOK


def test_shortfall_applies_only_when_a_shared_cap_binds():
    # a's own max_grant binds (not a shared cap): the pool does not stop there.
    b = bundle(
        pools=[pool("p", 10 * MNOK, shortfall="stop", max_grant=3 * MNOK)],
        applications=[
            application("a", 5 * MNOK, rank=1),  # no partial: nothing, but no stop
            application("b", 2 * MNOK, rank=2),
        ],
    )
    assert decided(allocate(b)) == {
        "a": (0, Status.NOT_FUNDED, "partial"),
        "b": (2 * MNOK, Status.FUNDED, "request"),
    }


def test_shortfall_stop_is_triggered_by_any_shared_cap():
    b = bundle(
        pools=[pool("p", 10 * MNOK, shortfall="stop", institution_cap=1 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 1 * MNOK, rank=2, institution="i2"),
        ],
    )
    assert granted(allocate(b)) == {"a": 0, "b": 0}


# --- units and rounding ---------------------------------------------------------------------


def test_partial_grants_are_rounded_down_to_the_unit_and_full_requests_never():
    b = bundle(
        pools=[pool("p", 1_000_000_00, unit=10_000_00)],  # 1 MNOK, in steps of 10 000 kr
        applications=[
            application("a", 123_456_78, rank=1),  # full: 123 456,78 kr as asked
            application("b", 900_000_00, rank=2, partial=True),  # 876 543,22 left -> 870 000
            application("c", 6_543_22, rank=3),  # exactly what is left: full, not rounded
        ],
    )
    result = allocate(b)
    assert granted(result) == {"a": 123_456_78, "b": 870_000_00, "c": 6_543_22}
    assert result.pools["p"].remaining == 0


def test_the_default_unit_is_one_krone():
    b = bundle(
        pools=[pool("p", 10_000_50)],
        applications=[
            application("a", 5_000_00, rank=1),
            application("b", 6_000_00, rank=2, partial=True),
        ],
    )
    assert granted(allocate(b))["b"] == 5_000_00  # 5 000,50 left: the 50 øre stay


def test_an_offer_below_one_unit_is_nothing():
    b = bundle(
        pools=[pool("p", 1_050_000_00, unit=100_000_00)],
        applications=[
            application("a", 1 * MNOK, rank=1),
            application("b", 1 * MNOK, rank=2, partial=True),  # 50 000 kr left < one unit
        ],
    )
    assert decided(allocate(b))["b"] == (0, Status.NOT_FUNDED, "pool")


def test_an_own_limit_below_the_request_is_rounded_to_the_unit_too():
    b = bundle(
        pools=[pool("p", 50 * MNOK, max_grant=1_234_567_89, unit=100_000_00)],
        applications=[application("a", 5 * MNOK, rank=1, partial=True)],
    )
    assert decided(allocate(b))["a"] == (1_200_000_00, Status.PARTIAL, "max_grant")


def test_rounding_can_push_a_partial_grant_below_its_minimum():
    b = bundle(
        pools=[pool("p", 2_599_999_00, unit=1 * MNOK)],
        applications=[application("a", 5 * MNOK, rank=1, partial=True, min_grant=2_500_000_00)],
    )
    assert decided(allocate(b))["a"] == (0, Status.NOT_FUNDED, "min_grant")


# --- minimums -------------------------------------------------------------------------------


def test_every_chain_pools_min_grant_counts():
    b = bundle(
        pools=[
            pool("p", 10 * MNOK, min_grant=1 * MNOK),
            pool("p-k1", 10 * MNOK, parent="p", clusters=("k1",), min_grant=3 * MNOK),
        ],
        applications=[
            application("a", 8 * MNOK, rank=1),
            application("b", 5 * MNOK, rank=2, cluster="k1", partial=True),  # 2 left < 3
            application("c", 5 * MNOK, rank=3, partial=True),  # 2 left >= 1
            application(
                "d", 2 * MNOK, rank=0, cluster="k1"
            ),  # asks less than the sub-pool's minimum
        ],
    )
    assert decided(allocate(b)) == {
        "d": (0, Status.NOT_FUNDED, "min_grant"),
        "a": (8 * MNOK, Status.FUNDED, "request"),
        "b": (0, Status.NOT_FUNDED, "min_grant"),
        "c": (2 * MNOK, Status.PARTIAL, "pool"),
    }


# --- council decisions ----------------------------------------------------------------------


def test_a_fixed_grant_is_exact_and_charged_before_anyone_else():
    b = bundle(
        pools=[pool("p", 10 * MNOK, unit=1 * MNOK, min_grant=5 * MNOK, max_grant=6 * MNOK)],
        applications=[
            application("a", 8 * MNOK, rank=1, partial=True),
            application("z", 9 * MNOK, rank=99, fixed_grant=4_321_00),  # last in order
        ],
    )
    result = allocate(b)
    # The council's 4 321 kr: neither rounded, nor held to min/max grant, nor partial-checked.
    assert decided(result)["z"] == (4_321_00, Status.PARTIAL, "fixed")
    # a's max grant is 6, but only 9,99995679 MNOK is left: 6 fits.
    assert decided(result)["a"] == (6 * MNOK, Status.PARTIAL, "max_grant")
    b = replace(b, pools={"p": pool("p", 10 * MNOK, unit=1 * MNOK)})
    b = replace(
        b, applications={**b.applications, "z": replace(b.applications["z"], fixed_grant=5 * MNOK)}
    )
    assert granted(allocate(b)) == {"a": 5 * MNOK, "z": 5 * MNOK}


def test_a_fixed_grant_of_the_request_is_funded_and_of_nothing_is_not():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("full", 2 * MNOK, rank=1, fixed_grant=2 * MNOK),
            application("zero", 2 * MNOK, rank=2, fixed_grant=0),
        ],
    )
    assert decided(allocate(b)) == {
        "full": (2 * MNOK, Status.FUNDED, "fixed"),
        "zero": (0, Status.NOT_FUNDED, "fixed"),
    }


def test_a_fixed_grant_is_charged_to_every_cap_it_falls_under():
    b = bundle(
        pools=[
            pool("p", 20 * MNOK, institution_cap=5 * MNOK, max_share_per_cluster=Fraction(1, 5))
        ],
        applications=[
            application("a", 3 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 3 * MNOK, rank=2, cluster="k2", partial=True, institution="i2"),
            application("f", 3 * MNOK, rank=3, cluster="k1", fixed_grant=3 * MNOK),
        ],
    )
    b = with_limits(b, limit("L", 4 * MNOK, institutions=("i2",)))
    # f takes 3 of i1's 5 and 3 of k1's 4: a gets 1 (the cluster share); b is untouched.
    assert granted(allocate(b)) == {"a": 1 * MNOK, "b": 3 * MNOK, "f": 3 * MNOK}


def test_a_fixed_grant_in_a_later_round_is_charged_to_a_shared_limit_first():
    # Round ps (allocated first) must leave room in the limit for pt's council decision.
    b = bundle(
        schemes=[scheme("s"), scheme("t")],
        pools=[pool("ps", 10 * MNOK, scheme="s"), pool("pt", 10 * MNOK, scheme="t")],
        applications=[
            application("a", 5 * MNOK, rank=1, scheme="s", partial=True),
            application("f", 3 * MNOK, rank=1, scheme="t", fixed_grant=3 * MNOK),
        ],
    )
    b = with_limits(b, limit("L", 6 * MNOK))
    result = allocate(b)
    assert decided(result) == {
        "a": (3 * MNOK, Status.PARTIAL, "limit"),
        "f": (3 * MNOK, Status.FUNDED, "fixed"),
    }


# --- exclusive groups -----------------------------------------------------------------------


def test_the_first_of_an_exclusive_group_that_gets_money_wins():
    b = bundle(
        pools=[pool("p", 10 * MNOK, max_grant=4 * MNOK)],
        applications=[
            application("a", 5 * MNOK, rank=1, exclusive_group="g"),  # max grant: no partial
            application("b", 3 * MNOK, rank=2, exclusive_group="g"),  # first to get money
            application("c", 3 * MNOK, rank=3, exclusive_group="g"),
            application("d", 3 * MNOK, rank=4, exclusive_group="h"),
        ],
    )
    result = decided(allocate(b))
    assert result == {
        "a": (0, Status.NOT_FUNDED, "partial"),
        "b": (3 * MNOK, Status.FUNDED, "request"),
        "c": (0, Status.NOT_FUNDED, "exclusive"),
        "d": (3 * MNOK, Status.FUNDED, "request"),
    }
    assert allocate(b).by_application["c"].reason == "group g: b funded"


def test_a_fixed_grant_excludes_the_rest_of_its_group():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("a", 3 * MNOK, rank=1, exclusive_group="g"),
            application("f", 3 * MNOK, rank=9, exclusive_group="g", fixed_grant=1 * MNOK),
        ],
    )
    assert decided(allocate(b)) == {
        "a": (0, Status.NOT_FUNDED, "exclusive"),
        "f": (1 * MNOK, Status.PARTIAL, "fixed"),
    }


# --- earmarks -------------------------------------------------------------------------------


def test_an_earmark_reserves_money_for_its_target_group_then_releases_the_rest():
    b = bundle(
        pools=[pool("p", 10 * MNOK, earmarks={"young": 5 * MNOK})],
        applications=[
            application("a", 9 * MNOK, rank=1, partial=True),
            application("y1", 3 * MNOK, rank=2, target_groups=("young",)),
            application("y2", 3 * MNOK, rank=3, target_groups=("young",), partial=True),
        ],
    )
    result = allocate(b)
    # y1 fits the earmark in full (5 -> 2); y2 does not (3 > 2) and competes for the rest;
    # the 2 left of the earmark are released: a gets 10 - 3 = 7, y2 nothing.
    assert decided(result) == {
        "a": (7 * MNOK, Status.PARTIAL, "pool"),
        "y1": (3 * MNOK, Status.FUNDED, "request"),
        "y2": (0, Status.NOT_FUNDED, "pool"),
    }
    assert result.by_application["y1"].reason == "earmark young"
    # Without the earmark, rank decides: a takes 9, y1 does not fit, y2 gets the last 1.
    plain = replace(b, pools={"p": pool("p", 10 * MNOK)})
    assert granted(allocate(plain)) == {"a": 9 * MNOK, "y1": 0, "y2": 1 * MNOK}


def test_an_earmark_funds_only_in_full_and_only_where_every_other_cap_allows():
    b = bundle(
        pools=[pool("p", 10 * MNOK, earmarks={"young": 5 * MNOK}, institution_cap=2 * MNOK)],
        applications=[
            application("a", 2 * MNOK, rank=1, institution="i2"),
            application("y", 3 * MNOK, rank=2, target_groups=("young",), partial=True),
        ],
    )
    # y's institution cap (2) is below its request: not from the earmark; then partial 2.
    assert decided(allocate(b)) == {
        "a": (2 * MNOK, Status.FUNDED, "request"),
        "y": (2 * MNOK, Status.PARTIAL, "institution_cap"),
    }


def test_earmarks_come_before_a_stop():
    b = bundle(
        pools=[pool("p", 10 * MNOK, earmarks={"young": 2 * MNOK}, shortfall="stop")],
        applications=[
            application("a", 9 * MNOK, rank=1),
            application("b", 1 * MNOK, rank=2),
            application("y", 2 * MNOK, rank=3, target_groups=("young",)),
        ],
    )
    assert decided(allocate(b)) == {
        "a": (0, Status.NOT_FUNDED, "stop"),
        "b": (0, Status.NOT_FUNDED, "stop"),
        "y": (2 * MNOK, Status.FUNDED, "request"),
    }


def test_an_earmark_funds_at_most_one_of_an_exclusive_group():
    b = bundle(
        pools=[pool("p", 10 * MNOK, earmarks={"young": 5 * MNOK})],
        applications=[
            application("y1", 2 * MNOK, rank=1, exclusive_group="g", target_groups=("young",)),
            application("y2", 2 * MNOK, rank=2, exclusive_group="g", target_groups=("young",)),
            application("a", 2 * MNOK, rank=3, exclusive_group="g"),
        ],
    )
    assert decided(allocate(b)) == {
        "y1": (2 * MNOK, Status.FUNDED, "request"),
        "y2": (0, Status.NOT_FUNDED, "exclusive"),
        "a": (0, Status.NOT_FUNDED, "exclusive"),
    }


def test_a_group_funded_from_an_earmark_excludes_an_earlier_one():
    b = bundle(
        pools=[pool("p", 10 * MNOK, earmarks={"young": 2 * MNOK})],
        applications=[
            application("a", 3 * MNOK, rank=1, exclusive_group="g"),
            application("y", 2 * MNOK, rank=2, exclusive_group="g", target_groups=("young",)),
        ],
    )
    assert granted(allocate(b)) == {"a": 0, "y": 2 * MNOK}


# --- apportioned shares ---------------------------------------------------------------------


def test_apportioned_shares_become_caps_inside_a_priority_round():
    spec = Apportion(by="cluster", weights={"k1": Decimal(1), "k2": Decimal(3)}, rule="hamilton")
    b = bundle(
        # 8,5 MNOK is 8 whole units: half a unit stays in the pool, so the shares bind first.
        pools=[pool("p", 8_500_000_00, method="apportion", apportion=spec, unit=1 * MNOK)],
        clusters=[cluster("k1"), cluster("k2"), cluster("k3")],
        applications=[
            application("a", 5 * MNOK, rank=1, cluster="k1", partial=True),
            application("b", 4 * MNOK, rank=2, cluster="k2"),
            application("c", 3 * MNOK, rank=3, cluster="k2", partial=True),
            application("d", 1 * MNOK, rank=4, cluster="k3"),
            application("e", 1 * MNOK, rank=5),
        ],
    )
    result = allocate(b)
    assert result.rounds["p"].shares == {"k1": 2 * MNOK, "k2": 6 * MNOK}
    assert result.rounds["p"].method == "apportion"
    assert decided(result) == {
        "a": (2 * MNOK, Status.PARTIAL, "apportion"),
        "b": (4 * MNOK, Status.FUNDED, "request"),
        "c": (2 * MNOK, Status.PARTIAL, "apportion"),
        "d": (0, Status.NOT_FUNDED, "apportion"),
        "e": (0, Status.NOT_FUNDED, "apportion"),
    }
    assert result.by_application["d"].reason == "no share"


def test_apportionment_splits_the_room_after_fixed_grants_in_whole_units():
    spec = Apportion(by="cluster", weights={"k1": Decimal(1), "k2": Decimal(1)}, rule="dhondt")
    b = bundle(
        pools=[pool("p", 10 * MNOK, method="apportion", apportion=spec, unit=1 * MNOK)],
        applications=[
            application("f", 3 * MNOK, rank=1, cluster="k2", fixed_grant=2_500_000_00),
            application("a", 9 * MNOK, rank=2, cluster="k1", partial=True),
            application("b", 9 * MNOK, rank=3, cluster="k2", partial=True),
        ],
    )
    result = allocate(b)
    # 7,5 MNOK left is 7 whole units: 4 and 3 (the tie goes to k1).
    assert result.rounds["p"].shares == {"k1": 4 * MNOK, "k2": 3 * MNOK}
    assert granted(result) == {"f": 2_500_000_00, "a": 4 * MNOK, "b": 3 * MNOK}


def test_apportionment_with_floors_caps_and_a_then_method():
    spec = Apportion(
        by="institution",
        weights={"i1": Decimal(9), "i2": Decimal(1)},
        rule="sainte_lague",
        floors={"i2": 3 * MNOK},
        caps={"i1": 6 * MNOK},
        then="pro_rata",
    )
    b = bundle(
        pools=[pool("p", 10 * MNOK, method="apportion", apportion=spec, unit=1 * MNOK)],
        applications=[
            application("a", 4 * MNOK, rank=1, partial=True),
            application("b", 4 * MNOK, rank=2, partial=True),
            application("c", 8 * MNOK, rank=3, institution="i2", partial=True),
        ],
    )
    result = allocate(b)
    assert result.rounds["p"].shares == {"i1": 6 * MNOK, "i2": 4 * MNOK}
    assert granted(result) == {"a": 3 * MNOK, "b": 3 * MNOK, "c": 4 * MNOK}


def test_a_methods_override_replaces_the_pools_method():
    b = bundle(
        pools=[pool("p", 6 * MNOK), pool("q", 6 * MNOK, scheme="t")],
        schemes=[scheme("s"), scheme("t")],
        applications=[
            application("a", 2 * MNOK, rank=1, partial=True),
            application("b", 6 * MNOK, rank=2, partial=True),
            application("c", 2 * MNOK, rank=1, partial=True, scheme="t"),
            application("d", 6 * MNOK, rank=2, partial=True, scheme="t"),
        ],
    )
    assert granted(allocate(b)) == {"a": 2 * MNOK, "b": 4 * MNOK, "c": 2 * MNOK, "d": 4 * MNOK}
    everyone = allocate(b, methods={"*": "pro_rata"})
    assert granted(everyone) == {
        "a": 1_500_000_00,
        "b": 4_500_000_00,
        "c": 1_500_000_00,
        "d": 4_500_000_00,
    }
    one = allocate(b, methods={"q": "capped_equal", "*": "pro_rata"})
    assert granted(one)["c"] == 2 * MNOK and granted(one)["a"] == 1_500_000_00
    assert one.rounds["q"].method == "capped_equal"
