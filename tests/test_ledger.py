"""The ledger's identity over generated budgets: in every budget year and every pool an earlier
grant falls under (nested sub-pools by cluster and institution type included),

    remaining = cap - committed - earlier grants + returned - granted now

to the øre, in the engine's pool results and in the budget table; and nothing is overdrawn
when validation finds no error. The expected sums are worked out here from the generated
grants, independently of kompalloc.ledger (which chain each grant falls under included)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from factories import SPAN, application, bundle, cluster, institution, pool, scheme
from kompalloc.allocation import Allocation, allocate
from kompalloc.asof import ledger_by
from kompalloc.diagnostics import Code, has_errors
from kompalloc.model import Bundle, EarlierRound, LedgerGrant, Return, RoundGrant
from kompalloc.pooltree import build, descendants
from kompalloc.reporting.budget import budget_table
from kompalloc.validation import validate

MNOK = 100_000_000  # øre
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
