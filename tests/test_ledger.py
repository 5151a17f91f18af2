"""The ledger's identity over generated budgets: in every budget year and every pool an earlier
grant falls under (nested sub-pools by cluster and institution type included),

    remaining = cap - committed - earlier grants + returned - granted now

to the øre, in the engine's pool results and in the budget table; and nothing is overdrawn
when validation finds no error: no pool, and (with shares, institution caps and limits) no
share or limit either, earlier grants counting against them as this round's do. The expected sums are worked out here from the generated
grants, independently of kompalloc.ledger (which chain each grant falls under included)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import event, given, settings, target
from hypothesis import strategies as st

from factories import SPAN, application, bundle, cluster, institution, pool, scheme
from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.asof import ledger_by
from kompalloc.diagnostics import Code, has_errors
from kompalloc.model import Bundle, EarlierRound, LedgerGrant, Limit, Return, RoundGrant
from kompalloc.pooltree import build, descendants
from kompalloc.reporting.budget import budget_table
from kompalloc.validation import validate

MNOK = 100_000_000  # øre
ORE_PER_KRONE = 100
YEARS = (2021, 2022, 2023)
INSTITUTIONS = {"i1": "fagskole_offentlig", "u1": "universitet"}
DAY0 = date(2021, 1, 1)


def chain_of(year: int, cluster_id: str | None, institution_id: str | None) -> tuple[str, ...]:
    """The pools a grant or an application of this year, cluster and institution falls under."""
    ids = [f"r{year}"]
    if cluster_id == "k1":
        ids.append(f"r{year}-k1")
        if institution_id is not None and INSTITUTIONS[institution_id] == "fagskole_offentlig":
            ids.append(f"r{year}-k1-f")
    return tuple(ids)


days = st.integers(0, 700).map(lambda n: DAY0 + timedelta(days=n))


@st.composite
def hand_grant(draw: st.DrawFn, n: int) -> LedgerGrant:
    years = draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=3, unique=True))
    amounts = {y: draw(st.integers(0, 8 * MNOK)) for y in sorted(years)}
    status = draw(st.sampled_from(["granted", "withdrawn", "repaid"]))
    decided = draw(days)
    back_to = draw(st.sampled_from(sorted(amounts)))
    returned = draw(st.integers(0, amounts[back_to])) if status == "repaid" else None
    return LedgerGrant(
        id=f"g{n}",
        span=SPAN,
        spans={},
        scheme="s",
        years=amounts,
        decided=decided,
        institution=draw(st.sampled_from([None, *INSTITUTIONS])),
        cluster=draw(st.sampled_from([None, "k1", "k2"])),
        status=status,
        returned=returned,
        returned_on=None if status == "granted" else decided + timedelta(draw(st.integers(0, 90))),
        returned_year=back_to if status == "repaid" and draw(st.booleans()) else None,
    )


@st.composite
def earlier_round(draw: st.DrawFn) -> EarlierRound:
    decided = draw(days)
    grants = []
    returns = {}
    for n in range(draw(st.integers(0, 5))):
        year = draw(st.sampled_from(YEARS))
        cid = draw(st.sampled_from([None, "k1", "k2"]))
        iid = draw(st.sampled_from(list(INSTITUTIONS)))
        granted = draw(st.integers(0, 6 * MNOK))
        app = f"e{n}"
        grants.append(
            RoundGrant(app, "s", year, chain_of(year, cid, iid), granted, "funded", iid, cid)
        )
        kind = draw(st.sampled_from([None, "withdrawn", "repaid"]))
        if kind is not None and granted > 0:
            on = decided + timedelta(draw(st.integers(0, 90)))
            amount = draw(st.integers(0, granted)) if kind == "repaid" else None
            returns[app] = Return(kind, on, amount)
    return EarlierRound(
        id="spring",
        span=SPAN,
        spans={},
        decisions="spring.json",
        sha256="",
        decided=decided,
        returns=returns,
        grants=tuple(grants),
    )


@st.composite
def budgets(draw: st.DrawFn) -> Bundle:
    pools = []
    for y in YEARS:
        cap = draw(st.integers(0, 40 * MNOK))
        pools.append(pool(f"r{y}", cap, year=y, committed=draw(st.integers(0, cap // 4))))
        pools.append(
            pool(
                f"r{y}-k1",
                draw(st.integers(0, cap)),
                parent=f"r{y}",
                clusters=("k1",),
                committed=draw(st.sampled_from([0, MNOK // 2])),
            )
        )
        pools.append(
            pool(
                f"r{y}-k1-f",
                draw(st.integers(0, cap)),
                parent=f"r{y}-k1",
                institution_types=("fagskole_offentlig",),
            )
        )
    apps = [
        application(
            f"a{n}",
            draw(st.integers(0, 10 * MNOK)),
            year=draw(st.sampled_from(YEARS)),
            cluster=draw(st.sampled_from([None, "k1", "k2"])),
            institution=draw(st.sampled_from(list(INSTITUTIONS))),
            rank=n + 1,
            partial=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    base = bundle(
        schemes=[scheme()],
        pools=pools,
        applications=apps,
        institutions=[institution(i, t) for i, t in INSTITUTIONS.items()],
        clusters=[cluster("k1"), cluster("k2")],
    )
    grants = [draw(hand_grant(n)) for n in range(draw(st.integers(0, 4)))]
    rounds = [draw(earlier_round())] if draw(st.booleans()) else []
    return Bundle(
        schemes=base.schemes,
        pools=base.pools,
        clusters=base.clusters,
        institutions=base.institutions,
        applications=base.applications,
        grants={g.id: g for g in grants},
        earlier_rounds={r.id: r for r in rounds},
    )


def expected_earlier(b: Bundle) -> tuple[dict[str, int], dict[str, int]]:
    """Per pool: earlier grants, and what came back of them (worked out from the grants)."""
    granted: dict[str, int] = defaultdict(int)
    returned: dict[str, int] = defaultdict(int)
    for g in b.grants.values():
        back_to = g.returned_year if g.returned_year is not None else max(g.years)
        for year, amount in g.years.items():
            back = 0
            if g.status == "withdrawn":
                back = amount
            elif g.status == "repaid" and year == back_to:
                back = g.returned or 0
            for pid in chain_of(year, g.cluster, g.institution):
                granted[pid] += amount
                returned[pid] += back
    for r in b.earlier_rounds.values():
        for rg in r.grants:
            ret = r.returns.get(rg.application)
            back = 0
            if ret is not None:
                back = rg.granted if ret.status == "withdrawn" else (ret.amount or 0)
            for pid in rg.pools:
                granted[pid] += rg.granted
                returned[pid] += back
    return granted, returned


def granted_now(allocation: Allocation) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for g in allocation.grants:
        for pid in g.pools:
            out[pid] += g.granted
    return out


def check_identity(b: Bundle) -> None:
    allocation = allocate(b)
    tree = build(b)
    earlier, returned = expected_earlier(b)
    now = granted_now(allocation)
    table = budget_table(b, allocation)
    keys = [c.key for c in table.columns]
    rows = {str(r[0]).lstrip(" └"): dict(zip(keys, r, strict=True)) for r in table.rows}
    valid = not has_errors(validate(b))
    for pid, p in b.pools.items():
        lump = sum(b.pools[d].committed for d in descendants(tree, pid))
        want = p.cap - lump - earlier[pid] + returned[pid] - now[pid]
        assert allocation.pools[pid].remaining == want, pid
        row = rows[pid]
        assert row["remaining"] == want
        assert (
            row["cap"]
            - row["committed"]
            + row["returned"]
            - row["granted"]
            - sum(v for k, v in row.items() if k.startswith("earlier_"))
            == want
        )
        assert row["granted"] == now[pid]
        if valid:
            assert want >= 0, f"{pid} overdrawn in a valid budget"


@settings(max_examples=300, deadline=None)
@given(budgets())
def test_remaining_is_cap_less_committed_less_earlier_plus_returned_less_granted(b: Bundle) -> None:
    check_identity(b)


@settings(max_examples=150, deadline=None)
@given(budgets(), days)
def test_the_identity_holds_as_of_any_date(b: Bundle, day: date) -> None:
    """--as-of trims the ledger (grants and rounds decided later, later returns), and the
    identity holds for what is left; what is left is exactly what was decided by the date."""
    trimmed = ledger_by(b, day)
    assert all(g.decided <= day for g in trimmed.grants.values())
    assert all(g.returned_on is None or g.returned_on <= day for g in trimmed.grants.values())
    for r in trimmed.earlier_rounds.values():
        assert r.decided <= day and all(x.returned_on <= day for x in r.returns.values())
    assert set(trimmed.grants) == {k for k, g in b.grants.items() if g.decided <= day}
    check_identity(trimmed)


@settings(max_examples=150, deadline=None)
@given(budgets())
def test_earlier_grants_over_a_pools_room_are_an_error(b: Bundle) -> None:
    """KA805 exactly when some pool's earlier money, net of returns, with the committed lump
    sum, exceeds its cap (a lump sum alone over the cap is KA401's)."""
    tree = build(b)
    earlier, returned = expected_earlier(b)
    over = any(
        sum(b.pools[d].committed for d in descendants(tree, pid)) + earlier[pid] - returned[pid]
        > p.cap
        for pid, p in b.pools.items()
        if earlier[pid] - returned[pid] > 0
    )
    codes = {d.code for d in validate(b)}
    assert (Code.GRANTS_OVER_ROOM in codes) == over


# --- shares, institution caps and limits ------------------------------------------------------
# An earlier grant counts against every cap it falls under, not only its pools: worked out here
# from the generated grants and caps, independently of kompalloc.allocation.earlier.

GROUPINGS = ("cluster", "institution", "institution_type")


@st.composite
def capped_budgets(draw: st.DrawFn) -> Bundle:
    """A budget of :func:`budgets` with shares on its pools, institution caps and limits, its
    pools made roomier (no lump sums in sub-pools, root pools of 20 MNOK or more) so that most
    budgets are valid and the shares and limits, not the pools, are what binds."""
    b = draw(budgets())
    pools = dict(b.pools)
    for pid, p in b.pools.items():
        shares = {
            f"max_share_per_{g}": draw(
                st.sampled_from([None, None, Fraction(1, 4), Fraction(1, 2)])
            )
            for g in GROUPINGS
        }
        institution_cap = draw(st.sampled_from([None, None, 10 * MNOK, 20 * MNOK]))
        if p.parent is None:
            roomy = replace(p, cap=p.cap + 20 * MNOK)
        else:
            whole = pools[p.parent].cap
            roomy = replace(p, committed=0, cap=draw(st.sampled_from([whole, whole // 2])))
        pools[pid] = replace(roomy, institution_cap=institution_cap, **shares)
    limits = {}
    for n in range(draw(st.sampled_from([0, 0, 1, 2]))):
        lid = f"L{n}"
        limits[lid] = Limit(
            id=lid,
            span=SPAN,
            spans={},
            cap=draw(st.integers(0, 30 * MNOK)),
            year=draw(st.sampled_from([None, *YEARS])),
            clusters=draw(st.sampled_from([None, ("k1",), ("k2",)])),
            institution_types=draw(st.sampled_from([None, ("universitet",)])),
            per=draw(st.sampled_from([None, "institution", "cluster"])),
        )
    # Larger requests, so that shares and limits bind often.
    apps = {k: replace(a, requested=a.requested * 3) for k, a in b.applications.items()}
    return replace(b, pools=pools, limits=limits, applications=apps)


CapKey = tuple[str, ...]


def caps_under(
    b: Bundle, year: int, pools: tuple[str, ...], cluster_id: str | None, institution_id: str | None
) -> dict[CapKey, int]:
    """The caps other than pools that money of this year, chain, cluster and institution falls
    under, each with its whole room."""
    kind = INSTITUTIONS.get(institution_id or "")
    groups = {"cluster": cluster_id, "institution": institution_id, "institution_type": kind}
    out: dict[CapKey, int] = {}
    for pid in pools:
        p = b.pools[pid]
        for g in GROUPINGS:
            share = getattr(p, f"max_share_per_{g}")
            if share is not None and groups[g] is not None:
                out[("share", pid, g, str(groups[g]))] = (
                    p.cap * share.numerator // share.denominator
                )
        if p.institution_cap is not None and institution_id is not None:
            out[("institution_cap", pid, institution_id)] = p.institution_cap
    for lim in b.limits.values():
        if lim.year is not None and lim.year != year:
            continue
        if lim.clusters is not None and cluster_id not in lim.clusters:
            continue
        if lim.institution_types is not None and kind not in lim.institution_types:
            continue
        group = groups[lim.per] if lim.per else ""
        if group is not None:
            out[("limit", lim.id, group)] = lim.cap
    return out


def earlier_by_cap(b: Bundle) -> tuple[dict[CapKey, int], dict[CapKey, int]]:
    """Per cap other than a pool: its whole room, and the earlier grants net of returns in it."""
    room: dict[CapKey, int] = {}
    net: dict[CapKey, int] = defaultdict(int)

    def charge(year: int, pools: tuple[str, ...], cid: str | None, iid: str | None, n: int) -> None:
        for key, whole in caps_under(b, year, pools, cid, iid).items():
            room[key] = whole
            net[key] += n

    for g in b.grants.values():
        back_to = g.returned_year if g.returned_year is not None else max(g.years)
        for year, amount in g.years.items():
            back = amount if g.status == "withdrawn" else 0
            if g.status == "repaid" and year == back_to:
                back = g.returned or 0
            charge(
                year,
                chain_of(year, g.cluster, g.institution),
                g.cluster,
                g.institution,
                amount - back,
            )
    for r in b.earlier_rounds.values():
        for rg in r.grants:
            if rg.granted <= 0:
                continue
            ret = r.returns.get(rg.application)
            back = (
                0 if ret is None else (rg.granted if ret.status == "withdrawn" else ret.amount or 0)
            )
            charge(rg.year, rg.pools, rg.cluster, rg.institution, rg.granted - back)
    return room, dict(net)


def pools_over(b: Bundle) -> bool:
    tree = build(b)
    earlier, returned = expected_earlier(b)
    return any(
        sum(b.pools[d].committed for d in descendants(tree, pid)) + earlier[pid] - returned[pid]
        > p.cap
        for pid, p in b.pools.items()
        if earlier[pid] - returned[pid] > 0
    )


@settings(max_examples=300, deadline=None)
@given(capped_budgets())
def test_earlier_grants_count_against_shares_and_limits_like_this_rounds(b: Bundle) -> None:
    """With shares, institution caps and limits: the pools' identity still holds; in a valid
    budget no share, institution cap or limit is overdrawn by earlier and current grants
    together; and an application cut short by one is cut where that cap's room after the
    earlier grants ran out (the search is steered to budgets where that happens)."""
    check_identity(b)
    room, earlier = earlier_by_cap(b)
    if has_errors(validate(b)):
        event("invalid")
        return
    allocation = allocate(b)
    left = {key: room[key] - earlier.get(key, 0) for key in room}
    mine: dict[str, dict[CapKey, int]] = {}
    for g in allocation.grants:
        app = b.applications[g.application]
        mine[g.application] = caps_under(b, app.year, g.pools, app.cluster, app.institution)
        for key, whole in mine[g.application].items():
            left[key] = left.get(key, whole) - g.granted
    assert all(v >= 0 for v in left.values()), {k: v for k, v in left.items() if v < 0}
    cut: dict[str, int] = defaultdict(int)
    for g in allocation.grants:
        if g.limit not in ("share", "limit", "institution_cap"):
            continue
        bound = [left[key] for key in mine[g.application] if key[0] == g.limit]
        assert bound, g
        if any(earlier.get(key, 0) > 0 for key in mine[g.application] if key[0] == g.limit):
            event(f"{g.status.value} by a {g.limit} with earlier money in it")
            cut[g.limit] += 1
        if g.status is Status.PARTIAL:
            # it got what the cap had left, in whole kroner (the default grant unit)
            assert min(bound) < ORE_PER_KRONE, (g, bound)
        elif g.status is Status.NOT_FUNDED:
            assert min(bound) < max(g.requested, ORE_PER_KRONE), (g, bound)
    for kind in ("share", "limit"):  # steer the search to cuts of both kinds
        target(cut[kind], label=f"cut short by a {kind} with earlier money in it")


@settings(max_examples=200, deadline=None)
@given(capped_budgets())
def test_earlier_grants_over_a_share_or_limit_are_an_error(b: Bundle) -> None:
    """KA805 exactly when earlier money alone, net of returns, overdraws a pool (with its lump
    sum), a share, an institution cap or a limit."""
    room, earlier = earlier_by_cap(b)
    over = pools_over(b) or any(n > room[key] for key, n in earlier.items())
    event("over" if over else "within")
    assert (Code.GRANTS_OVER_ROOM in {d.code for d in validate(b)}) == over


def test_a_share_with_room_only_after_earlier_grants_binds_where_it_runs_out() -> None:
    """The 50 % cluster share of a 10 MNOK pool, 3 MNOK of it granted earlier: a current
    application of 4 MNOK gets the 2 MNOK left; 1 MNOK of the grant withdrawn gives it 3 MNOK;
    without the earlier grant it is funded in full."""
    base = bundle(
        schemes=[scheme()],
        pools=[pool("r2021", 10 * MNOK, max_share_per_cluster=Fraction(1, 2))],
        applications=[application("a1", 4 * MNOK, cluster="k1", rank=1, partial=True)],
        institutions=[institution("i1")],
        clusters=[cluster("k1")],
    )
    spring = LedgerGrant(
        id="g1",
        span=SPAN,
        spans={},
        scheme="s",
        years={2021: 3 * MNOK},
        decided=DAY0,
        institution="i1",
        cluster="k1",
    )
    got = allocate(replace(base, grants={"g1": spring})).by_application["a1"]
    assert (got.status, got.granted, got.limit) == (Status.PARTIAL, 2 * MNOK, "share")
    repaid = replace(spring, status="repaid", returned=MNOK, returned_on=DAY0)
    assert allocate(replace(base, grants={"g1": repaid})).by_application["a1"].granted == 3 * MNOK
    assert allocate(base).by_application["a1"].status is Status.FUNDED
    other = replace(spring, cluster="k2")  # another cluster's share: no effect on k1
    with_k2 = replace(base, grants={"g1": other}, clusters={**base.clusters, "k2": cluster("k2")})
    assert allocate(with_k2).by_application["a1"].status is Status.FUNDED
