"""The hypothesis strategies the tests share: generated bundles for the allocation properties.

- ``worlds``: one or two root pools (every method), sub-pools, limits, shares, earmarks and up
  to 16 applications, with their caps drawn so that they bind;
- ``priority_rounds``: priority rounds with the scheme rules that make each application's own
  fields matter (deadlines, partners, rates, score order, zero requests);
- ``sweep_rounds``: a small round with the caps a sweep test asks for, and two caps for the
  swept pool.

The fuzzing suite's strategies (files and bytes rather than bundles) are in
tests/fuzz/fuzz_inputs.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from factories import SPAN, application, bundle, cluster, institution, pool, scheme
from kompalloc.model import Application, Apportion, Bundle, Limit, Partner, Pool

MNOK = 100_000_000  # øre
METHODS = ("priority", "pro_rata", "capped_equal", "apportion")
INSTITUTIONS = {"i1": "fagskole_offentlig", "i2": "fagskole_offentlig", "u1": "universitet"}
UNITS = (None, 1, 100, 7_00, 10_000_00, 1 * MNOK)

money = st.integers(min_value=0, max_value=6 * MNOK)
shares = st.none() | st.sampled_from(
    [Fraction(1, 4), Fraction(1, 3), Fraction(2, 5), Fraction(1, 2)]
)


@st.composite
def root_pool(draw: st.DrawFn, pid: str, scheme_id: str) -> Pool:
    cap = draw(st.integers(0, 20 * MNOK))
    method = draw(st.sampled_from(METHODS))
    spec = None
    if method == "apportion":
        by = draw(st.sampled_from(["cluster", "institution", "institution_type"]))
        groups = {
            "cluster": ["k1", "k2"],
            "institution": list(INSTITUTIONS),
            "institution_type": ["fagskole_offentlig", "universitet"],
        }[by]
        weighted = draw(st.lists(st.sampled_from(groups), min_size=1, unique=True))
        weights = {g: Decimal(draw(st.integers(0, 9))) for g in weighted}
        spec = Apportion(
            by=by,
            weights=weights,
            rule=draw(
                st.sampled_from(["hamilton", "sainte_lague", "modified_sainte_lague", "dhondt"])
            ),
            floors={g: draw(st.integers(0, cap // 4)) for g in weighted if draw(st.booleans())},
            caps={g: draw(st.integers(0, cap)) for g in weighted if draw(st.booleans())},
            then=draw(st.sampled_from(["priority", "pro_rata", "capped_equal"])),
        )
    inner = spec.then if spec else method
    earmarks = None
    if inner == "priority" and draw(st.booleans()):
        earmarks = {"young": draw(money)}
    return pool(
        pid,
        cap,
        scheme=scheme_id,
        committed=draw(st.integers(0, cap // 4)),
        method=method,
        apportion=spec,
        unit=draw(st.sampled_from(UNITS)),
        shortfall=draw(st.sampled_from([None, "part_fund", "skip", "stop"])),
        ties=draw(st.sampled_from([None, "order", "lottery"])),
        seed=draw(st.none() | st.integers(0, 1000)),
        earmarks=earmarks,
        institution_cap=draw(st.none() | money),
        max_grant=draw(st.none() | money),
        min_grant=draw(st.none() | st.integers(0, 1 * MNOK)),
        max_share_per_cluster=draw(shares),
        max_share_per_institution=draw(shares),
        max_share_per_institution_type=draw(shares),
        aid_intensity=draw(
            st.none() | st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(7, 10)])
        ),
    )


@st.composite
def limits(draw: st.DrawFn) -> Limit:
    def maybe(values: list[str]) -> tuple[str, ...] | None:
        return (
            tuple(draw(st.lists(st.sampled_from(values), min_size=1, unique=True)))
            if draw(st.booleans())
            else None
        )

    return Limit(
        id=draw(st.sampled_from(["L1", "L2"])),
        span=SPAN,
        spans={},
        cap=draw(st.integers(0, 10 * MNOK)),
        year=draw(st.sampled_from([None, 2021, 2022])),
        schemes=maybe(["s", "t"]),
        pools=maybe(["ps", "pt", "ps-k1", "pt-k2"]),
        clusters=maybe(["k1", "k2"]),
        institutions=maybe(list(INSTITUTIONS)),
        institution_types=maybe(["fagskole_offentlig", "universitet"]),
        per=draw(st.sampled_from([None, "cluster", "institution", "institution_type"])),
    )


@st.composite
def worlds(draw: st.DrawFn, methods: tuple[str, ...] = METHODS, dense: bool = False) -> Bundle:
    """One or two root pools (schemes s and t), sub-pools, limits and up to 16 applications.

    ``dense`` makes most applications compete (partial, with a budget, few minimums and
    groups), so that filling rounds have many partial grants to round."""
    schemes_used = draw(st.sampled_from([("s",), ("s", "t")]))
    pools: list[Pool] = []
    for sid in schemes_used:
        root = draw(root_pool(f"p{sid}", sid))
        if root.method not in methods:
            plain = [m for m in methods if m != "apportion"]
            root = replace(root, method=draw(st.sampled_from(plain)), apportion=None, earmarks=None)
        pools.append(root)
        for cid in draw(st.sets(st.sampled_from(["k1", "k2"]))):
            sub_cap = draw(st.integers(0, root.cap))
            pools.append(
                pool(
                    f"p{sid}-{cid}",
                    sub_cap,
                    parent=root.id,
                    clusters=(cid,),
                    committed=draw(st.integers(0, sub_cap // 4)),
                    institution_cap=draw(st.none() | money),
                    max_grant=draw(st.none() | money),
                    min_grant=draw(st.none() | st.integers(0, 1 * MNOK)),
                    max_share_per_institution=draw(shares),
                    aid_intensity=draw(st.none() | st.just(Fraction(3, 5))),
                )
            )
    # Committed money of sub-pools must fit their root (validation enforces it).
    for root in list(pools):
        if root.parent is None:
            below = sum(p.committed for p in pools if p.parent == root.id)
            if root.committed + below > root.cap:
                pools = [
                    replace(p, committed=0) if root.id in (p.id, p.parent) else p for p in pools
                ]
    apps: list[Application] = []
    for n in range(draw(st.integers(0, 16))):
        requested = draw(money)
        partial = draw(st.integers(0, 9)) < (9 if dense else 5)
        fixed = (
            draw(st.none() | st.integers(0, requested)) if draw(st.integers(0, 7)) == 0 else None
        )
        rare = st.integers(0, 9).map(lambda n: n < (2 if dense else 5))
        apps.append(
            application(
                f"a{n:02d}",
                requested,
                scheme=draw(st.sampled_from(schemes_used)),
                rank=draw(st.none() | st.integers(1, 6)),
                tie_break=draw(st.none() | st.integers(0, 2)),
                cluster=draw(st.sampled_from([None, "k1", "k2"])),
                institution=draw(st.sampled_from(list(INSTITUTIONS))),
                partial=partial,
                min_grant=draw(st.integers(0, requested)) if partial and draw(rare) else None,
                budget=None
                if draw(rare) and not dense
                else draw(st.integers(requested, 3 * requested + 1)),
                fixed_grant=fixed,
                exclusive_group=draw(st.sampled_from(["g1", "g2"])) if draw(rare) else None,
                target_groups=draw(st.sampled_from([(), (), ("young",)])),
            )
        )
    b = bundle(
        schemes=[scheme(sid) for sid in ("s", "t")],
        pools=pools,
        applications=apps,
        institutions=[institution(i, t) for i, t in INSTITUTIONS.items()],
        clusters=[cluster("k1"), cluster("k2")],
    )
    return replace(b, limits={lim.id: lim for lim in draw(st.lists(limits(), max_size=2))})


@st.composite
def priority_rounds(draw: st.DrawFn) -> Bundle:
    """Generated priority rounds, with the scheme rules that make each application's own fields
    matter: deadlines, required partners, rates, ordering by score, and zero requests."""
    world = draw(worlds(methods=("priority",)))
    if draw(st.booleans()):
        world = replace(world, pools={k: replace(p, earmarks=None) for k, p in world.pools.items()})
    schemes = {}
    for sid, s in world.schemes.items():
        schemes[sid] = replace(
            s,
            deadline=draw(st.none() | st.just(date(2021, 9, 15))),
            required_partners=draw(st.sampled_from([(), (), ("company",), ("union",)])),
            max_per_participant=draw(st.none() | st.integers(1, 100_000_00)),
            max_per_study_point=draw(st.none() | st.integers(1, 10_000_00)),
        )
    pools = {}
    for pid, p in world.pools.items():
        if p.parent is None and draw(st.integers(0, 3)) == 0:
            p = replace(p, order="score", min_score=draw(st.none() | st.just(Decimal("2.5"))))
        if p.parent is None:
            p = replace(p, deadline=draw(st.none() | st.just(date(2021, 9, 10))))
        pools[pid] = p
    apps: dict[str, Application] = {}
    for aid, a in world.applications.items():
        apps[aid] = replace(
            a,
            requested=0 if draw(st.integers(0, 12)) == 0 else a.requested,
            submitted=draw(
                st.sampled_from([date(2021, 9, 1), date(2021, 9, 12), date(2021, 9, 20)])
            ),
            participants=draw(st.none() | st.integers(1, 40)),
            study_points=draw(st.none() | st.sampled_from([Decimal(5), Decimal("7.5")])),
            score=draw(st.none() | st.sampled_from([Decimal(1), Decimal(3), Decimal("4.5")])),
            partners=draw(st.sampled_from([(), (Partner("LO", "union"),)])),
        )
    return replace(world, schemes=schemes, pools=pools, applications=apps)


STEP = MNOK // 10
"""Amounts in ``sweep_rounds`` are tenths of a MNOK."""


@st.composite
def sweep_rounds(draw: Any, method: str = "priority", **options: Any) -> tuple[Bundle, int, int]:
    """A round of up to 8 applications in tenths of a MNOK, with the caps the options ask for,
    and two caps for the swept pool (low < high)."""
    groups = ["k1", "k2", "k3"][: options.get("groups", 2)]
    all_partial = options.get("all_partial", False)
    apps = []
    for i in range(draw(st.integers(1, 8))):
        requested = draw(st.integers(1, 10)) * STEP
        partial = True if all_partial else draw(st.booleans())
        minimum = None
        if partial and not all_partial:
            minimum = draw(st.none() | st.integers(1, 10).map(lambda n: n * STEP))
            if minimum is not None and minimum > requested:
                minimum = None
        apps.append(
            application(
                f"a{i}",
                requested,
                rank=draw(st.integers(1, 4)),
                partial=partial,
                min_grant=minimum,
                cluster=draw(st.sampled_from(groups)),
                institution=draw(st.sampled_from(["i1", "i2"])),
                target_groups=("t",) if options.get("earmark") and draw(st.booleans()) else (),
            )
        )
    root: dict[str, Any] = {}
    if method != "priority":
        root["method"] = method
    if options.get("shortfall"):
        root["shortfall"] = options["shortfall"]
    if method == "apportion":
        weights = {g: Decimal(draw(st.integers(1, 9))) for g in groups}
        root["apportion"] = Apportion(by="cluster", weights=weights, rule=options["rule"])
    if options.get("shares"):
        root["max_share_per_cluster"] = Fraction(draw(st.integers(1, 9)), 10)
    if options.get("institution_cap"):
        root["institution_cap"] = draw(st.integers(1, 10)) * STEP
    if options.get("max_grant"):
        root["max_grant"] = draw(st.integers(1, 10)) * STEP
    if options.get("unit"):
        root["unit"] = draw(st.sampled_from([1, 3, 7])) * STEP
    if options.get("earmark"):
        root["earmarks"] = {"t": draw(st.integers(0, 10)) * STEP}
    pools = [pool("p", 30 * STEP, **root)]
    if options.get("sub_pool") or options.get("sweep") == "s":
        sub: dict[str, Any] = {}
        if options.get("institution_cap"):
            sub["institution_cap"] = draw(st.integers(1, 10)) * STEP
        pools.append(
            pool("s", draw(st.integers(0, 15)) * STEP, parent="p", clusters=("k1",), **sub)
        )
    b = bundle(pools=pools, applications=apps, clusters=[cluster(g) for g in ["k1", "k2", "k3"]])
    if options.get("limit"):
        limit = Limit(
            id="l", span=SPAN, spans={}, cap=draw(st.integers(1, 20)) * STEP, per="institution"
        )
        b = replace(b, limits={"l": limit})
    low = draw(st.integers(0, 30)) * STEP
    return b, low, low + draw(st.integers(1, 10)) * STEP
