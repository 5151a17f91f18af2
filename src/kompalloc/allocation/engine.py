"""The allocation engine: every cap at once, for every root pool, by the pool's method.

Caps are shared objects with room left: a pool (cap less committed money), an institution's
cap in a pool, a share of a pool per cluster, institution or type, a cross-pool limit, an
earmark, an apportioned share. Each application is charged to every cap it falls under, so
caps overlap freely. The council's fixed grants are charged first; then root pools are
allocated one after another in id order (only limits span several of them): priority rounds
by the priority pass (:mod:`~kompalloc.allocation.priority`), the others by progressive
filling (:mod:`~kompalloc.allocation.filling`).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence

from kompalloc.allocation import earlier
from kompalloc.allocation.caps import Cap, Memo
from kompalloc.allocation.claims import make_claim
from kompalloc.allocation.filling import filling_round
from kompalloc.allocation.lots import Context
from kompalloc.allocation.priority import priority_round
from kompalloc.allocation.results import Allocation, Grant, PoolResult, RoundResult
from kompalloc.eligibility import breaches
from kompalloc.model import Application, Bundle, Method, Pool
from kompalloc.pooltree import PoolTree, build


def allocate(
    bundle: Bundle, methods: dict[str, str] | None = None, *, stories: bool = False
) -> Allocation:
    """Allocate every root pool of a validated bundle.

    ``methods`` overrides pools' methods by root pool id ('*' for all), e.g. from the command line.
    ``stories`` also tells each grant's whole story (for ``kompalloc explain``); it costs time.
    """
    # The engine makes no reference cycles, so the cyclic collector would only walk the whole
    # bundle again and again as claims and grants pile up (a third of the time for 100 000
    # applications, and more the more there are); it is switched back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _allocate(bundle, methods, stories)
    finally:
        if collecting:
            gc.enable()


def method_of(root: Pool, methods: dict[str, str] | None) -> Method:
    """The root pool's method: an override for it, or for all ('*'), or its own."""
    override = (methods or {}).get(root.id) or (methods or {}).get("*")
    return Method(override) if override else root.allocation_method


def by_priority(root: Pool, method: Method) -> bool:
    """Whether a round with this method decides by the priority pass (apportioned shares
    with priority inside them included)."""
    if method is Method.APPORTION and root.apportion is not None:
        return root.apportion.inner_method is Method.PRIORITY
    return method is Method.PRIORITY


def committed_money(bundle: Bundle, tree: PoolTree) -> dict[str, int]:
    """Each pool's committed money, its sub-pools' included: lump sums and earlier grants,
    net of what came back (see :mod:`kompalloc.ledger`); and the earlier grants charged to
    every other cap they fall under, by the cap's key (see :mod:`~kompalloc.allocation.earlier`)."""
    return earlier.committed_money(bundle, tree)


def _allocate(bundle: Bundle, methods: dict[str, str] | None, stories: bool) -> Allocation:
    tree = build(bundle)
    committed = committed_money(bundle, tree)
    caps: dict[str, Cap] = {}
    memo = Memo()
    grants: list[Grant] = []
    context = Context(bundle, tree, committed, caps, memo)
    by_chain: dict[tuple[str, ...], list[int]] = {}
    rounds: dict[str, RoundResult] = {}
    rounds_apps = by_root(bundle, tree)
    roots = sorted(root_id for root_id in rounds_apps if root_id)
    for root_id in roots:
        reserve_fixed_grants(bundle, tree, rounds_apps[root_id], committed, caps, memo)
    for root_id in roots:
        root = bundle.pools[root_id]
        method = method_of(root, methods)
        if by_priority(root, method):
            round_grants, result = priority_round(
                context, root, method, rounds_apps[root_id], stories
            )
        else:
            round_grants, result = filling_round(
                context, root, method, rounds_apps[root_id], stories
            )
            for ids, sums in _chain_sums(round_grants).items():
                _add_sums(by_chain, ids, sums)
        grants.extend(round_grants)
        rounds[root_id] = result
    for lot in context.lots.values():
        _add_sums(by_chain, lot.ids, [lot.granted, lot.requested, lot.count])
    return Allocation(tuple(grants), _pool_results(bundle, committed, by_chain), rounds)


def _add_sums(
    by_chain: dict[tuple[str, ...], list[int]], ids: tuple[str, ...], sums: list[int]
) -> None:
    mine = by_chain.setdefault(ids, [0, 0, 0])
    for i, value in enumerate(sums):
        mine[i] += value


def by_root(bundle: Bundle, tree: PoolTree) -> dict[str, list[Application]]:
    """The applications of each root pool, in the bundle's order ('' for those without one)."""
    by_year: dict[tuple[str, int], list[Application]] = defaultdict(list)
    for app in bundle.applications.values():  # attribute access: cheaper than attrgetter
        by_year[app.scheme, app.year].append(app)
    out: dict[str, list[Application]] = defaultdict(list)
    for key, members in by_year.items():
        root = tree.roots.get(key)
        out[root.id if root else ""].extend(members)
    return out


def reserve_fixed_grants(
    bundle: Bundle,
    tree: PoolTree,
    applications: list[Application],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
) -> None:
    """Charge the council's fixed grants to their caps before any round runs, so a limit
    shared with a round allocated earlier keeps room for a later round's decisions."""
    fixed = [(app, app.fixed_grant) for app in applications if app.fixed_grant is not None]
    for app, amount in fixed:  # few or none: the others are passed over in one comprehension
        chain, ids, _ = memo.chain(bundle, tree, app)
        if breaches(bundle, app, chain):
            continue
        for cap in make_claim(bundle, app, chain, committed, caps, memo, ids).caps:
            cap.room -= amount


def _chain_sums(grants: Sequence[Grant]) -> dict[tuple[str, ...], list[int]]:
    """Granted, requested and count per chain of pools (few chains, many grants)."""
    by_chain: dict[tuple[str, ...], list[int]] = {}
    for g in grants:
        sums = by_chain.get(g.pools)
        if sums is None:
            sums = by_chain[g.pools] = [0, 0, 0]
        sums[0] += g.granted
        sums[1] += g.requested
        sums[2] += 1
    return by_chain


def _pool_results(
    bundle: Bundle, committed: dict[str, int], by_chain: dict[tuple[str, ...], list[int]]
) -> dict[str, PoolResult]:
    """Every pool's money: each chain's sums spread over its pools."""
    granted: dict[str, int] = defaultdict(int)
    requested: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for pools, (chain_granted, chain_requested, chain_count) in by_chain.items():
        for pid in pools:
            granted[pid] += chain_granted
            requested[pid] += chain_requested
            counts[pid] += chain_count
    return {
        pid: PoolResult(pid, p.cap, committed[pid], granted[pid], requested[pid], counts[pid])
        for pid, p in bundle.pools.items()
    }


def fixed_grant_overdrafts(bundle: Bundle) -> list[tuple[Cap, list[str]]]:
    """The caps the council's fixed grants alone overdraw, with the applications charged to each."""
    tree = build(bundle)
    committed = committed_money(bundle, tree)
    caps: dict[str, Cap] = {}
    memo = Memo()
    charged: dict[str, list[str]] = defaultdict(list)
    for app in sorted(bundle.applications.values(), key=lambda a: a.id):
        if app.fixed_grant is None or app.institution not in bundle.institutions:
            continue
        chain, ids, _ = memo.chain(bundle, tree, app)
        if not chain or breaches(bundle, app, chain):
            continue
        claim = make_claim(bundle, app, chain, committed, caps, memo, ids)
        for cap in claim.caps:
            cap.room -= app.fixed_grant
            charged[cap.key].append(app.id)
    # Caps no fixed grant is charged to are left out: earlier grants alone over a cap are KA805.
    return [(cap, charged[cap.key]) for cap in caps.values() if cap.room < 0 and charged[cap.key]]
