"""The allocation engine: every cap at once, for every root pool, by the pool's method.

Caps are shared objects with room left: a pool (cap less committed money), an institution's
cap in a pool, a share of a pool per cluster, institution or type, a cross-pool limit, an
earmark, an apportioned share. Each application is charged to every cap it falls under, so
caps overlap freely. Root pools are allocated one after another in id order; only limits
span several of them.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from operator import attrgetter

from kompalloc import ledger
from kompalloc.allocation import express, filling, wording
from kompalloc.allocation.apportion import apportion
from kompalloc.allocation.caps import (
    Cap,
    Memo,
    claim_caps,
    group_of,
    shared,
    sorted_limits,
)
from kompalloc.allocation.ordering import order
from kompalloc.allocation.results import Allocation, Grant, PoolResult, RoundResult, Status
from kompalloc.eligibility import breaches, own_limit
from kompalloc.model import Application, Bundle, Pool
from kompalloc.pooltree import PoolTree, build

ORE = 100
_kr = wording.kr
_SCHEME_YEAR = attrgetter("scheme", "year")


@dataclass(slots=True)
class Claim:
    """An application inside its round: its caps, its own limits, and its decision so far."""

    app: Application
    chain: list[Pool]
    caps: list[Cap]
    upper: int
    """The most it can get from its own limits (request, max grant, rate, aid intensity)."""
    upper_kind: str
    upper_short: str
    upper_detail: str
    lower: int
    """The least it may get when it gets less than its request (its minimum, the pools' minimum)."""
    granted: int = 0
    status: Status | None = None
    reason: str = ""
    detail: str = ""
    limit: str | None = None
    position: int | None = None
    pool_ids: tuple[str, ...] = ()
    """The ids of its chain, root first (shared by every claim on the same chain)."""
    story: list[str] = field(default_factory=list)
    binding: Cap | None = None
    """The shared cap that stopped it getting more, if one did."""
    telling: bool = False
    """Whether to tell its story step by step (only kompalloc explain needs it)."""

    def decide(
        self, amount: int, status: Status, reason: str, detail: str, limit: str | None
    ) -> None:
        """Record the decision and charge every cap."""
        self.granted, self.status, self.reason, self.detail, self.limit = (
            amount,
            status,
            reason,
            detail,
            limit,
        )
        for cap in self.caps:
            cap.room -= amount

    def room(self) -> tuple[int, Cap | None]:
        """The least room among its caps (the first of the least), and that cap."""
        tightest: Cap | None = None
        least = 0
        for cap in self.caps:
            if tightest is None or cap.room < least:
                tightest, least = cap, cap.room
        return (least if tightest is not None else self.upper), tightest


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


def _allocate(bundle: Bundle, methods: dict[str, str] | None, stories: bool) -> Allocation:
    tree = build(bundle)
    committed = ledger.committed(bundle, tree)  # lump sums and earlier grants, net of returns
    caps: dict[str, Cap] = {}
    memo = Memo()
    grants: list[Grant] = []
    context = express.Context(bundle, tree, committed, caps, memo)
    by_chain: dict[tuple[str, ...], list[int]] = {}
    rounds: dict[str, RoundResult] = {}
    by_root = _by_root(bundle, tree)
    for root_id in sorted(by_root):
        if root_id:
            _reserve_fixed_grants(bundle, tree, by_root[root_id], committed, caps, memo)
    for root_id in sorted(by_root):
        if not root_id:
            continue
        root = bundle.pools[root_id]
        method = (
            (methods or {}).get(root_id) or (methods or {}).get("*") or root.method or "priority"
        )
        if express.applies(root, method, stories):
            round_grants, result = express.express_round(context, root, by_root[root_id])
        else:
            round_claims, result = _round(
                bundle, tree, root, method, by_root[root_id], committed, caps, memo, stories
            )
            round_grants = [_grant(c) for c in round_claims]
            for ids, sums in _chain_sums(round_grants).items():
                _add_sums(by_chain, ids, sums)
        grants.extend(round_grants)
        rounds[root_id] = result
    for kind in context.kinds.values():
        _add_sums(by_chain, kind.ids, [kind.granted, kind.requested, kind.count])
    return Allocation(tuple(grants), _pool_results(bundle, committed, by_chain), rounds)


@dataclass(frozen=True, slots=True)
class RoundAtCap:
    """One round decided at one cap of one of its pools: what a sweep step needs."""

    cap: int
    granted: int
    """Granted in the round."""
    remaining: int
    """Left in the pool whose cap changed."""
    funded: int
    """Applications of the round that get money (in full or in part)."""
    full: int
    partial: int
    result: RoundResult
    decided: tuple[wording.Decision | None, ...] = ()
    """Each application's decision, in the round's order (None: after the pass stopped, so
    not funded)."""


def round_at_caps(
    bundle: Bundle, pool_id: str, caps: Sequence[int], methods: dict[str, str] | None = None
) -> list[RoundAtCap] | None:
    """The round of ``pool_id`` decided at each of ``caps``, as :func:`allocate` decides it with
    the pool's cap replaced, but with the round ordered and prepared once: only the priority
    pass runs per cap. None when the round is not a lean priority round, or when cross-pool
    limits make rounds depend on each other (then allocate per cap)."""
    tree = build(bundle)
    root = bundle.pools[tree.root_of.get(pool_id, pool_id)]
    method = (methods or {}).get(root.id) or (methods or {}).get("*") or root.method or "priority"
    if bundle.limits or not express.applies(root, method, stories=False):
        return None
    committed = ledger.committed(bundle, tree)  # lump sums and earlier grants, net of returns
    apps = _by_root(bundle, tree).get(root.id, [])
    shared_caps: dict[str, Cap] = {}
    memo = Memo()
    _reserve_fixed_grants(bundle, tree, apps, committed, shared_caps, memo)
    prepared = express.prepare(
        express.Context(bundle, tree, committed, shared_caps, memo), root, apps
    )
    order_ids = tuple(a.id for a in prepared.ordering.applications)
    floors = express.floors(prepared)
    pool = bundle.pools[pool_id]
    under = [pool_id in k.ids for k in prepared.distinct]
    fixed = [a for a in apps if a.fixed_grant is not None]
    static = express.tally(prepared.decided)  # the decisions that need no money

    def rooms_at(cap: int) -> tuple[Bundle, dict[str, int]]:
        """The bundle with the pool's cap changed; its caps made for the round's kinds, with
        the room they have before the pass (fixed grants charged)."""
        changed = replace(bundle, pools={**bundle.pools, pool_id: replace(pool, cap=cap)})
        fresh: dict[str, Cap] = {}
        # The tree holds pool records: one of the changed bundle, for the changed cap.
        _reserve_fixed_grants(changed, build(changed), fixed, committed, fresh, Memo())
        express.recap(prepared, changed, committed, fresh)
        return changed, {c.key: c.room for k in prepared.distinct for c in k.caps}

    # The caps a higher pool cap raises (the pool's own, its shares): where none of them binds,
    # a higher cap decides as a lower one did, so each pass resumes where the last one could.
    low, high = rooms_at(min(caps, default=0))[1], rooms_at(max(caps, default=0))[1]
    watched = frozenset(k for k in low if low[k] != high.get(k))
    out = []
    last: tuple[int, dict[str, int], express.Resume] | None = None
    for cap in caps:
        _, initial = rooms_at(cap)
        resume = None
        if last is not None and last[0] <= cap and initial.keys() == last[1].keys():
            resume = last[2]
            for kind in prepared.distinct:
                for c in kind.caps:
                    c.room = initial[c.key] - last[1][c.key] + resume.rooms[c.key]
        done = express.run_pass(prepared, resume, watched, floors)
        if done.resume is not None:
            last = (cap, initial, done.resume)
        granted, funded, full, partial = map(sum, zip(static, done.tally, strict=True))
        below = sum(k.granted for k, mine in zip(prepared.distinct, under, strict=True) if mine)
        result = RoundResult(root.id, "priority", order_ids, prepared.ordering.seed, *done.line)
        out.append(
            RoundAtCap(
                cap,
                granted,
                cap - committed[pool_id] - below,
                funded,
                full,
                partial,
                result,
                tuple(done.decided),
            )
        )
    return out


def _add_sums(
    by_chain: dict[tuple[str, ...], list[int]], ids: tuple[str, ...], sums: list[int]
) -> None:
    mine = by_chain.setdefault(ids, [0, 0, 0])
    for i, value in enumerate(sums):
        mine[i] += value


def _by_root(bundle: Bundle, tree: PoolTree) -> dict[str, list[Application]]:
    """The applications of each root pool, in the bundle's order ('' for those without one)."""
    by_year: dict[tuple[str, int], list[Application]] = defaultdict(list)
    apps = bundle.applications.values()
    for key, app in zip(map(_SCHEME_YEAR, apps), apps, strict=True):
        by_year[key].append(app)
    by_root: dict[str, list[Application]] = defaultdict(list)
    for key, members in by_year.items():
        root = tree.roots.get(key)
        by_root[root.id if root else ""].extend(members)
    return by_root


def _reserve_fixed_grants(
    bundle: Bundle,
    tree: PoolTree,
    applications: list[Application],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
) -> None:
    """Charge the council's fixed grants to their caps before any round runs, so a limit
    shared with a round allocated earlier keeps room for a later round's decisions."""
    for app in applications:
        if app.fixed_grant is None:
            continue
        chain, ids, _ = memo.chain(bundle, tree, app)
        if breaches(bundle, app, chain):
            continue
        for cap in _claim(bundle, app, chain, committed, caps, memo, ids).caps:
            cap.room -= app.fixed_grant


def _grant(c: Claim) -> Grant:
    assert c.status is not None
    return Grant(
        c.app.id,
        c.pool_ids or tuple(p.id for p in c.chain),
        c.app.requested,
        c.granted,
        c.status,
        c.reason,
        c.detail,
        c.limit,
        c.position,
        tuple(c.story),
    )


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
    committed = ledger.committed(bundle, tree)  # lump sums and earlier grants, net of returns
    caps: dict[str, Cap] = {}
    memo = Memo()
    charged: dict[str, list[str]] = defaultdict(list)
    for app in sorted(bundle.applications.values(), key=lambda a: a.id):
        if app.fixed_grant is None or app.institution not in bundle.institutions:
            continue
        chain, ids, _ = memo.chain(bundle, tree, app)
        if not chain or breaches(bundle, app, chain):
            continue
        claim = _claim(bundle, app, chain, committed, caps, memo, ids)
        for cap in claim.caps:
            cap.room -= app.fixed_grant
            charged[cap.key].append(app.id)
    return [(cap, charged[cap.key]) for cap in caps.values() if cap.room < 0]


# --- building claims ----------------------------------------------------------------------


def _claim(
    bundle: Bundle,
    app: Application,
    chain: list[Pool],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo | None = None,
    pool_ids: tuple[str, ...] | None = None,
    pool_min: int | None = None,
) -> Claim:
    kind = bundle.institutions[app.institution].type
    upper, upper_kind, upper_short, upper_detail = own_limit(
        bundle, app, chain, memo.sentences if memo is not None else None
    )
    if pool_min is None:
        pool_min = max((p.min_grant for p in chain if p.min_grant is not None), default=0)
    lower = max(app.min_grant or 0, pool_min, 1)
    if memo is None:
        mine = claim_caps(bundle, app, chain, kind, committed, caps, sorted_limits(bundle))
    else:
        if memo.limits is None:
            memo.limits = sorted_limits(bundle)
        if pool_ids is None:
            pool_ids = tuple(p.id for p in chain)
        key = (pool_ids, app.institution, app.cluster, kind, app.scheme, app.year)
        shared = memo.caps.get(key)
        if shared is None:
            shared = memo.caps[key] = claim_caps(
                bundle, app, chain, kind, committed, caps, memo.limits
            )
        mine = list(shared)  # a claim may add an apportioned share or an earmark to its own
    return Claim(app, chain, mine, upper, upper_kind, upper_short, upper_detail, lower)


# --- a round --------------------------------------------------------------------------------


def _round(
    bundle: Bundle,
    tree: PoolTree,
    root: Pool,
    method: str,
    applications: list[Application],
    committed: dict[str, int],
    caps: dict[str, Cap],
    memo: Memo,
    stories: bool = False,
) -> tuple[list[Claim], RoundResult]:
    unit = root.unit or ORE
    ordering = order(applications, root)
    claims: list[Claim] = []
    open_claims: list[Claim] = []
    intro = f"Round {root.label}: method {method.replace('_', '-')}"
    if method in ("priority", "apportion"):
        intro += f", order by {root.order or 'rank'}, ties: {root.ties or 'order'}"
        if ordering.seed is not None:
            intro += f" (lottery seed {ordering.seed})"
        intro += f", shortfall: {(root.shortfall or 'part_fund').replace('_', '-')}"
    for position, app in enumerate(ordering.applications, start=1):
        chain, ids, pool_min = memo.chain(bundle, tree, app)
        claim = _claim(bundle, app, chain, committed, caps, memo, ids, pool_min)
        claim.position = position
        claim.pool_ids = ids
        claim.telling = stories
        if stories:
            rank = f"rank {app.rank}" if app.rank is not None else "unranked"
            if root.order == "score":
                rank = f"score {app.score}" if app.score is not None else "no score"
            claim.story += [
                intro + ".",
                f"Place {position} of {len(ordering.applications)} in the order ({rank}).",
                "Draws on " + ", then ".join(f"{p.label} ({p.id})" for p in chain) + ".",
            ]
        claims.append(claim)
        broken = breaches(bundle, app, chain)
        if broken:
            claim.decide(*wording.rejected(broken))
            continue
        if app.fixed_grant is None and app.requested == 0:
            claim.decide(*wording.NOTHING_REQUESTED)
            continue
        if app.fixed_grant is None and app.requested < pool_min:
            claim.decide(*wording.below_pool_minimum(app.requested, pool_min))
            continue
        if app.fixed_grant is not None:
            for cap in claim.caps:
                cap.room += app.fixed_grant  # reserved in allocate(); charged again below
            claim.decide(*wording.fixed(app.fixed_grant, app.requested))
            continue
        open_claims.append(claim)
    _exclude_groups(claims)
    open_claims = [c for c in open_claims if c.status is None]
    shares: dict[str, int] = {}
    inner = method
    if method == "apportion" and root.apportion is not None:
        shares = _apportion_caps(bundle, root, open_claims, caps, unit)
        inner = root.apportion.then
    if inner == "priority":
        for group, amount in sorted((root.earmarks or {}).items()):
            _earmark_phase(root, group, amount, open_claims, unit)
        _priority(root, open_claims, unit)  # it skips the decided, and sees earmark winners
    else:
        filling.fill(open_claims, inner, unit)
    line, gap, note = _funding_line(claims, inner)
    if stories:
        for c in claims:
            _tell(c)
    result = RoundResult(
        root.id,
        method,
        tuple(a.id for a in ordering.applications),
        ordering.seed,
        line,
        gap,
        note,
        shares,
    )
    return claims, result


def _exclude_groups(claims: list[Claim]) -> None:
    """In each exclusive group, a council decision excludes the others up front."""
    fixed: dict[str, str] = {}
    for c in claims:
        if c.app.exclusive_group and c.limit == "fixed":
            fixed.setdefault(c.app.exclusive_group, c.app.id)
    for c in claims:
        group = c.app.exclusive_group
        if c.status is None and group in fixed:
            c.decide(*wording.chosen_by_council(group, fixed[group]))


def _apportion_caps(
    bundle: Bundle, root: Pool, claims: list[Claim], caps: dict[str, Cap], unit: int
) -> dict[str, int]:
    """Split the root pool's room into shares by weight and give each share a cap."""
    spec = root.apportion
    assert spec is not None
    room = caps[f"pool:{root.id}"].room
    weights = {g: Fraction(w) for g, w in spec.weights.items()}
    units = apportion(
        room // unit,
        weights,
        spec.rule,
        {g: -(-v // unit) for g, v in spec.floors.items()},
        {g: v // unit for g, v in spec.caps.items()},
    )
    shares = {g: units[g] * unit for g in sorted(units)}  # in id order, whatever the hash seed
    for c in claims:
        kind = bundle.institutions[c.app.institution].type
        group = group_of(spec.by, c.app, kind)
        if group is None or group not in shares:
            c.decide(
                0,
                Status.NOT_FUNDED,
                "no share",
                f"Not funded: pool {root.label} is apportioned by {spec.by.replace('_', ' ')}, "
                f"and {group or 'its missing ' + spec.by} has no weight.",
                "apportion",
            )
            continue
        key = f"apportion:{root.id}:{group}"
        name = bundle.clusters[group].name if group in bundle.clusters else group
        label = f"the share of {name} in {root.label}"
        c.caps.append(shared(caps, Cap(key, "apportion", "share exhausted", label, shares[group])))
        c.story.append(
            f"Pool {root.label} is apportioned by {spec.by.replace('_', ' ')} "
            f"({spec.rule.replace('_', '-')}): the share of {group} is {_kr(shares[group])}."
        )
    return shares


def _earmark_phase(root: Pool, group: str, amount: int, claims: list[Claim], unit: int) -> None:
    """Reserved money funds target-group applications in full, in order; the rest is released."""
    earmark = Cap(
        f"earmark:{root.id}:{group}",
        "earmark",
        "earmark exhausted",
        f"the earmark for {group}",
        amount,
    )
    members = _exclusive_members(claims)
    for c in claims:
        if c.status is not None or group not in c.app.target_groups:
            continue
        exclusive = c.app.exclusive_group
        if exclusive is not None and any(o.granted > 0 for o in members[exclusive]):
            continue  # its group already has money: the priority pass excludes it
        room, _ = c.room()
        if min(room, earmark.room) >= c.upper == c.app.requested:
            c.caps.append(earmark)
            c.decide(
                c.upper,
                Status.FUNDED,
                f"earmark {group}",
                f"Funded in full ({_kr(c.upper)}) from the earmark for {group}.",
                "request",
            )
            c.caps.remove(earmark)
        else:
            c.story.append(
                f"The earmark for {group} had {_kr(earmark.room)} left: not enough to fund "
                "it in full, so it competes for the rest of the pool."
            )


def _exclusive_members(claims: list[Claim]) -> dict[str, list[Claim]]:
    """The claims of each exclusive group, in order."""
    members: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.app.exclusive_group is not None:
            members[c.app.exclusive_group].append(c)
    return members


def _priority(root: Pool, claims: list[Claim], unit: int) -> None:
    """Each application in order gets what every cap allows; the pool's shortfall policy decides the rest."""
    shortfall = root.shortfall or "part_fund"
    stopped: str | None = None
    members = _exclusive_members(claims)
    for c in claims:
        if c.status is not None:
            continue
        if stopped is not None:
            c.decide(*wording.after_funding_line(stopped))
            continue
        group = c.app.exclusive_group
        if group is not None:
            winner = next((o for o in members[group] if o is not c and o.granted > 0), None)
            if winner is not None:
                c.decide(*wording.funded_before(group, winner.app.id))
                continue
        room, tightest = c.room()
        if c.telling:
            c.story.append(
                "At its turn: "
                + "; ".join(f"{cap.label} had {_kr(max(cap.room, 0))} left" for cap in c.caps)
                + f". Its own limit: {c.upper_detail} ({_kr(c.upper)})."
            )
        if tightest is None or room >= c.upper:
            _offer(c, c.upper, c.upper_kind, c.upper_short, c.upper_detail, unit)
        else:
            offer = max(room, 0) // unit * unit
            why = wording.short_of(tightest.label, room)
            c.binding = tightest
            if shortfall == "stop":
                stopped = c.app.id
                c.decide(*wording.stops_here(tightest.short, why))
            elif shortfall == "skip":
                c.decide(*wording.skipped(tightest.short, why, tightest.kind))
            else:
                _offer(c, offer, tightest.kind, tightest.short, why, unit)


def _offer(c: Claim, offer: int, kind: str, short: str, why: str, unit: int) -> None:
    """Decide on an offer: in full, partial (if acceptable), or nothing."""
    c.decide(*wording.offer(c.app.requested, offer, kind, short, why, unit, c.app.partial, c.lower))


def _funding_line(claims: list[Claim], method: str) -> tuple[str | None, int | None, str]:
    """The first application in order not fully funded for want of money, and what would fund it."""
    if method != "priority":
        return None, None, ""
    for c in claims:
        if c.status in (Status.PARTIAL, Status.NOT_FUNDED) and c.binding is not None:
            return wording.funding_line(c.app.id, c.binding, c.upper, c.app.requested, c.granted)
    return None, None, ""


def _tell(c: Claim) -> None:
    if c.telling:
        c.story.append(c.detail)
