"""Allocation by priority: worked cases for every cap, and hypothesis properties for the invariants."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import application, bundle, cluster, institution, pool, scheme
from kompalloc.allocation import Status, allocate, priority_key
from kompalloc.pooltree import build, descendants

MNOK = 100_000_000  # øre


def grants_of(b):  # type: ignore[no-untyped-def]
    return {g.application: (g.granted, g.status) for g in allocate(b).grants}


def test_rank_order_until_the_pool_runs_out_then_skip():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("a", 6 * MNOK, rank=1),
            application("b", 5 * MNOK, rank=2),  # does not fit, no partial: skipped
            application("c", 4 * MNOK, rank=3),  # fits what is left
        ],
    )
    assert grants_of(b) == {
        "a": (6 * MNOK, Status.FUNDED),
        "b": (0, Status.NOT_FUNDED),
        "c": (4 * MNOK, Status.FUNDED),
    }


def test_partial_grant_only_when_accepted_and_at_least_the_minimum():
    b = bundle(
        pools=[pool("p", 10 * MNOK)],
        applications=[
            application("a", 7 * MNOK, rank=1),
            application("b", 5 * MNOK, rank=2, partial=True, min_grant=4 * MNOK),
            application("c", 5 * MNOK, rank=3, partial=True, min_grant=2 * MNOK),
        ],
    )
    g = grants_of(b)
    assert g["b"] == (0, Status.NOT_FUNDED)  # 3 MNOK left is below its minimum of 4
    assert g["c"] == (3 * MNOK, Status.PARTIAL)
    reason = allocate(b).by_application["b"].reason
    assert "below its minimum" in reason


def test_committed_money_is_not_available():
    b = bundle(
        pools=[pool("p", 20 * MNOK, committed=13 * MNOK)],
        applications=[application("a", 8 * MNOK, rank=1, partial=True)],
    )
    result = allocate(b)
    assert result.by_application["a"].granted == 7 * MNOK
    r = result.pools["p"]
    assert (r.available, r.granted, r.remaining) == (7 * MNOK, 7 * MNOK, 0)


def test_sub_pool_and_parent_caps_hold_together():
    b = bundle(
        pools=[
            pool("p", 10 * MNOK),
            pool("p-k1", 4 * MNOK, parent="p", clusters=("k1",)),
        ],
        applications=[
            application("a", 3 * MNOK, rank=1, cluster="k1"),
            application("b", 3 * MNOK, rank=2, cluster="k1", partial=True),  # sub-pool has 1 left
            application("c", 9 * MNOK, rank=3, cluster="k2", partial=True),  # parent has 6 left
        ],
    )
    result = allocate(b)
    g = {k: v.granted for k, v in result.by_application.items()}
    assert g == {"a": 3 * MNOK, "b": 1 * MNOK, "c": 6 * MNOK}
    assert result.by_application["b"].limit == "pool"
    assert result.by_application["b"].pools == ("p", "p-k1")
    assert result.pools["p-k1"].granted == 4 * MNOK
    assert result.pools["p"].granted == 10 * MNOK


def test_institution_cap_and_max_grant():
    b = bundle(
        pools=[pool("p", 50 * MNOK, institution_cap=5 * MNOK, max_grant=3 * MNOK)],
        applications=[
            application("a", 4 * MNOK, rank=1, partial=True),  # max grant binds: 3
            application("b", 4 * MNOK, rank=2, partial=True),  # institution cap binds: 2
            application("c", 1 * MNOK, rank=3, institution="i2"),
        ],
    )
    result = allocate(b).by_application
    assert (result["a"].granted, result["a"].limit) == (3 * MNOK, "max_grant")
    assert (result["b"].granted, result["b"].limit) == (2 * MNOK, "institution_cap")
    assert result["c"].status is Status.FUNDED


def test_pool_minimum_grant():
    b = bundle(
        pools=[pool("p", 10 * MNOK, min_grant=2 * MNOK)],
        applications=[
            application("a", 9 * MNOK, rank=1),
            application("b", 3 * MNOK, rank=2, partial=True),  # 1 left < pool minimum
            application("c", 1 * MNOK, rank=3),  # asks less than the pool minimum
        ],
    )
    g = grants_of(b)
    assert g["b"] == (0, Status.NOT_FUNDED)
    assert g["c"] == (0, Status.NOT_FUNDED)


def test_ineligible_applications_are_rejected_and_get_nothing():
    b = bundle(
        schemes=[scheme(institution_types=("universitet",), required_partners=("company",))],
        pools=[pool("p", 10 * MNOK)],
        institutions=[institution("i1", "privat_tilbyder"), institution("i2", "universitet")],
        applications=[
            application("bad", 1 * MNOK, rank=1),
            application("good", 1 * MNOK, rank=2, institution="i2"),
        ],
    )
    result = allocate(b).by_application
    assert result["bad"].status is Status.REJECTED
    assert "privat_tilbyder not eligible" in result["bad"].reason
    assert "missing partner: company" in result["bad"].reason
    assert result["good"].status is Status.REJECTED  # no company partner either
    assert result["good"].reason == "missing partner: company"


def test_ties_go_to_earlier_submission_then_smaller_id():
    from datetime import date

    apps = [
        application("b", 1, rank=1, submitted=date(2021, 9, 2)),
        application("c", 1, rank=1, submitted=date(2021, 9, 1)),
        application("a", 1, rank=1, submitted=date(2021, 9, 2)),
        application("z", 1, rank=None, submitted=date(2021, 1, 1)),
    ]
    assert [a.id for a in sorted(apps, key=priority_key)] == ["c", "a", "b", "z"]


# --- properties -------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=5_000_000_00)


@st.composite
def rounds(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    cap = draw(st.integers(min_value=0, max_value=20_000_000_00))
    committed = draw(st.integers(min_value=0, max_value=cap))
    pools = [
        pool(
            "p",
            cap,
            committed=committed,
            institution_cap=draw(st.none() | amounts),
            max_grant=draw(st.none() | amounts),
            min_grant=draw(st.none() | st.integers(0, 1_000_000_00)),
        )
    ]
    for cid in draw(st.sets(st.sampled_from(["k1", "k2"]))):
        sub_cap = draw(st.integers(min_value=0, max_value=cap))
        pools.append(
            pool(
                f"p-{cid}",
                sub_cap,
                parent="p",
                clusters=(cid,),
                committed=draw(st.integers(0, sub_cap // 4)),
                institution_cap=draw(st.none() | amounts),
            )
        )
    apps = []
    for n in range(draw(st.integers(0, 25))):
        requested = draw(amounts)
        partial = draw(st.booleans())
        apps.append(
            application(
                f"a{n:02d}",
                requested,
                rank=draw(st.none() | st.integers(1, 10)),
                cluster=draw(st.sampled_from([None, "k1", "k2"])),
                institution=draw(st.sampled_from(["i1", "i2"])),
                partial=partial,
                min_grant=draw(st.none() | st.integers(0, requested)) if partial else None,
            )
        )
    # Committed money of sub-pools must still fit the root cap (validation enforces it).
    total_committed = sum(p.committed for p in pools)
    if total_committed > cap:
        pools[0] = replace(pools[0], committed=0)
        pools[1:] = [replace(p, committed=0) for p in pools[1:]]
    return bundle(
        pools=pools,
        applications=apps,
        clusters=[cluster("k1"), cluster("k2")],
    )


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_every_pool_reconciles_to_the_ore(b):  # type: ignore[no-untyped-def]
    result = allocate(b)
    tree = build(b)
    for pid, r in result.pools.items():
        assert r.committed + r.granted + r.remaining == r.cap
        below = set(descendants(tree, pid))
        assert r.granted == sum(g.granted for g in result.grants if set(g.pools) & {pid})
        assert r.committed == sum(b.pools[d].committed for d in below)
    # No pool is ever overdrawn, whatever its sub-pools do.
    assert all(r.remaining >= 0 for r in result.pools.values())


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_every_grant_respects_its_application_and_every_cap(b):  # type: ignore[no-untyped-def]
    result = allocate(b)
    per_institution: dict[tuple[str, str], int] = {}
    for g in result.grants:
        app = b.applications[g.application]
        assert 0 <= g.granted <= g.requested == app.requested
        if g.status is Status.FUNDED:
            assert g.granted == app.requested
        elif g.status is Status.PARTIAL:
            assert app.partial and 0 < g.granted < app.requested
            assert g.granted >= (app.min_grant or 0)
        else:
            assert g.granted == 0
        for pid in g.pools:
            p = b.pools[pid]
            if g.granted and p.max_grant is not None:
                assert g.granted <= p.max_grant
            if g.granted and p.min_grant is not None:
                assert g.granted >= p.min_grant
            key = (pid, app.institution)
            per_institution[key] = per_institution.get(key, 0) + g.granted
            if p.institution_cap is not None:
                assert per_institution[key] <= p.institution_cap


@settings(max_examples=100, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter(b, rnd: random.Random):  # type: ignore[no-untyped-def]
    apps = list(b.applications.values())
    rnd.shuffle(apps)
    shuffled = replace(b, applications={a.id: a for a in apps})
    assert allocate(shuffled) == allocate(b)


def test_scheme_rates_cap_the_grant_per_participant_and_per_study_point():
    from decimal import Decimal

    rated = scheme(max_per_participant=50_000_00, max_per_study_point=1_000_00)
    b = bundle(
        schemes=[rated],
        pools=[pool("p", 100 * MNOK)],
        applications=[
            # 20 participants: 1 000 000 kr per participant rate, 20 x 7,5 x 1 000 = 150 000 kr
            application(
                "a", 2 * MNOK, rank=1, participants=20, study_points=Decimal("7.5"), partial=True
            ),
            # 10 x 50 000 = 500 000 kr per participant binds before 10 x 100 x 1 000 = 1 000 000
            application(
                "b", 2 * MNOK, rank=2, participants=10, study_points=Decimal(100), partial=True
            ),
            application("c", 1 * MNOK, rank=3),  # no participants: the rate cannot be checked
            application("d", 1 * MNOK, rank=4, participants=3),  # no study points either
        ],
    )
    result = allocate(b).by_application
    assert (result["a"].granted, result["a"].limit) == (150_000_00, "rate")
    assert (result["b"].granted, result["b"].limit) == (500_000_00, "rate")
    assert result["c"].status is Status.REJECTED
    assert result["c"].reason == "no participants or study_points for the rate"
    assert result["d"].reason == "no study_points for the rate"


def test_a_root_pool_can_limit_which_clusters_and_institution_types_are_eligible():
    b = bundle(
        pools=[pool("p", 10 * MNOK, clusters=("k1",), institution_types=("fagskole_offentlig",))],
        institutions=[institution("i1"), institution("i2", "universitet")],
        applications=[
            application("in", 1 * MNOK, rank=1, cluster="k1"),
            application("other", 1 * MNOK, rank=2, cluster="k2"),
            application("none", 1 * MNOK, rank=3),
            application("uni", 1 * MNOK, rank=4, cluster="k1", institution="i2"),
        ],
    )
    result = allocate(b).by_application
    assert result["in"].status is Status.FUNDED
    assert result["other"].reason == "cluster not eligible"
    assert result["none"].reason == "cluster not eligible"
    assert result["uni"].reason == "universitet not eligible for pool"
