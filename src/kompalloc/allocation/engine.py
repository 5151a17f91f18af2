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
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from kompalloc.allocation import filling
from kompalloc.allocation.apportion import apportion
from kompalloc.allocation.ordering import order
from kompalloc.allocation.results import Allocation, Grant, PoolResult, RoundResult, Status
from kompalloc.eligibility import breaches, own_limit
from kompalloc.model import Application, Bundle, Limit, Pool
from kompalloc.money import format_kr, format_share
from kompalloc.pooltree import PoolTree, build, descendants

ORE = 100
_kr = lru_cache(maxsize=1 << 14, typed=True)(format_kr)
"""``format_kr``, remembered: the same amounts come back again and again in grant details."""
MONEY_KINDS = ("pool", "share", "limit", "earmark", "apportion")
"""Caps that more money in a pool would lift (unlike an institution cap or a rate)."""


@dataclass(slots=True)
class Cap:
    """A cap with the room it has left, shared by every application charged to it."""

    key: str
    kind: str
    short: str
    """A few words for a table cell when this cap binds."""
    label: str
    room: int


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


ChainKey = tuple[str, int, str | None, str | None]
ClaimKey = tuple[tuple[str, ...], str, str | None, str | None, str, int]


@dataclass(slots=True)
class Memo:
    """What applications alike share within one allocation: their chain, and their caps.

    A chain depends only on the root (scheme, year), the cluster and the institution type; the
    caps on the chain, the institution, the cluster and its type. Caps are shared objects that
    are never replaced once made, so looking them up once per kind of application is exact.
    """

    chains: dict[ChainKey, tuple[list[Pool], tuple[str, ...], int]] = field(default_factory=dict)
    caps: dict[ClaimKey, list[Cap]] = field(default_factory=dict)
    limits: tuple[Limit, ...] | None = None
    sentences: dict[tuple[str, int], str] = field(default_factory=dict)
    """The sentence of each pool's max grant, by pool id and depth."""

    def chain(
        self, bundle: Bundle, tree: PoolTree, app: Application
    ) -> tuple[list[Pool], tuple[str, ...], int]:
        """The application's chain (as ``tree.chain``), its pool ids, and the pools' minimum grant."""
        institution = bundle.institutions.get(app.institution)
        key = (app.scheme, app.year, app.cluster, institution.type if institution else None)
        found = self.chains.get(key)
        if found is None:
            chain, _ = tree.chain(bundle, app)
            pool_min = max((p.min_grant for p in chain if p.min_grant is not None), default=0)
            found = self.chains[key] = (chain, tuple(p.id for p in chain), pool_min)
        return found


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
    committed = {
        pid: sum(bundle.pools[d].committed for d in descendants(tree, pid)) for pid in bundle.pools
    }
    caps: dict[str, Cap] = {}
    memo = Memo()
    claims: list[Claim] = []
    rounds: dict[str, RoundResult] = {}
    by_root: dict[str, list[Application]] = defaultdict(list)
    for app in bundle.applications.values():
        root = tree.roots.get((app.scheme, app.year))
        by_root[root.id if root else ""].append(app)
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
        round_claims, result = _round(
            bundle, tree, root, method, by_root[root_id], committed, caps, memo, stories
        )
        claims.extend(round_claims)
        rounds[root_id] = result
    grants = tuple(_grant(c) for c in claims)
    return Allocation(grants, _pool_results(bundle, tree, committed, grants), rounds)


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


def _pool_results(
    bundle: Bundle, tree: PoolTree, committed: dict[str, int], grants: Sequence[Grant]
) -> dict[str, PoolResult]:
    # Sum per chain first (few chains, many grants), then spread each chain over its pools.
    by_chain: dict[tuple[str, ...], list[int]] = {}
    for g in grants:
        sums = by_chain.get(g.pools)
        if sums is None:
            sums = by_chain[g.pools] = [0, 0, 0]
        sums[0] += g.granted
        sums[1] += g.requested
        sums[2] += 1
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
    committed = {
        pid: sum(bundle.pools[d].committed for d in descendants(tree, pid)) for pid in bundle.pools
    }
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


def _group(grouping: str, app: Application, institution_type: str | None) -> str | None:
    if grouping == "cluster":
        return app.cluster
    if grouping == "institution":
        return app.institution
    return institution_type


def _cap(caps: dict[str, Cap], cap: Cap) -> Cap:
    """The shared cap with this key: the first one made wins, so rooms carry over."""
    return caps.setdefault(cap.key, cap)


def _limit_applies(limit: Limit, app: Application, chain: Sequence[Pool], kind: str | None) -> bool:
    return (
        (limit.year is None or limit.year == app.year)
        and (limit.schemes is None or app.scheme in limit.schemes)
        and (limit.pools is None or any(p.id in limit.pools for p in chain))
        and (limit.clusters is None or app.cluster in limit.clusters)
        and (limit.institutions is None or app.institution in limit.institutions)
        and (limit.institution_types is None or kind in limit.institution_types)
    )


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
        mine = _claim_caps(bundle, app, chain, kind, committed, caps, _sorted_limits(bundle))
    else:
        if memo.limits is None:
            memo.limits = _sorted_limits(bundle)
        if pool_ids is None:
            pool_ids = tuple(p.id for p in chain)
        key = (pool_ids, app.institution, app.cluster, kind, app.scheme, app.year)
        shared = memo.caps.get(key)
        if shared is None:
            shared = memo.caps[key] = _claim_caps(
                bundle, app, chain, kind, committed, caps, memo.limits
            )
        mine = list(shared)  # a claim may add an apportioned share or an earmark to its own
    return Claim(app, chain, mine, upper, upper_kind, upper_short, upper_detail, lower)


def _sorted_limits(bundle: Bundle) -> tuple[Limit, ...]:
    return tuple(sorted(bundle.limits.values(), key=lambda lim: lim.id)) if bundle.limits else ()


def _claim_caps(
    bundle: Bundle,
    app: Application,
    chain: list[Pool],
    kind: str,
    committed: dict[str, int],
    caps: dict[str, Cap],
    limits: tuple[Limit, ...],
) -> list[Cap]:
    """Every shared cap the application is charged to, made where it is the first."""
    mine: list[Cap] = []
    for depth, pool in enumerate(chain):
        where = "pool" if depth == 0 else "sub-pool"
        key = f"pool:{pool.id}"
        cap = caps.get(key)
        if cap is None:
            room = pool.cap - committed[pool.id]
            cap = caps[key] = Cap(key, "pool", f"{where} exhausted", f"{where} {pool.label}", room)
        mine.append(cap)
        if pool.institution_cap is not None:
            key = f"institution_cap:{pool.id}:{app.institution}"
            cap = caps.get(key)
            if cap is None:
                label = f"the institution cap of {where} {pool.label}"
                cap = caps[key] = Cap(
                    key, "institution_cap", "institution cap", label, pool.institution_cap
                )
            mine.append(cap)
        for grouping, share in (
            ("cluster", pool.max_share_per_cluster),
            ("institution", pool.max_share_per_institution),
            ("institution_type", pool.max_share_per_institution_type),
        ):
            group = _group(grouping, app, kind)
            if share is None or group is None:
                continue
            key = f"share:{pool.id}:{grouping}:{group}"
            cap = caps.get(key)
            if cap is None:
                words = grouping.replace("_", " ")
                label = (
                    f"the {format_share(share)} share of {where} {pool.label} per {words} ({group})"
                )
                # A share is rounded down to whole øre.
                cap = caps[key] = Cap(key, "share", f"{words} share", label, int(pool.cap * share))
            mine.append(cap)
    for limit in limits:
        if not _limit_applies(limit, app, chain, kind):
            continue
        group = _group(limit.per, app, kind) if limit.per else None
        if limit.per and group is None:
            continue
        key = f"limit:{limit.id}" + (f":{group}" if group else "")
        label = f"limit {limit.name or limit.id}" + (f" for {group}" if group else "")
        mine.append(_cap(caps, Cap(key, "limit", f"limit {limit.id}", label, limit.cap)))
    return mine


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
            claim.decide(
                0,
                Status.REJECTED,
                "; ".join(b.short for b in broken),
                "Rejected: " + "; ".join(b.message for b in broken) + ".",
                "rules",
            )
            continue
        if app.fixed_grant is None and app.requested == 0:
            claim.decide(
                0,
                Status.NOT_FUNDED,
                "nothing requested",
                "Not funded: it requests 0 kr.",
                "request",
            )
            continue
        if app.fixed_grant is None and app.requested < pool_min:
            claim.decide(
                0,
                Status.NOT_FUNDED,
                "below pool minimum",
                f"Not funded: it asks {_kr(app.requested)}, less than the smallest grant "
                f"the pools make ({_kr(pool_min)}).",
                "min_grant",
            )
            continue
        if app.fixed_grant is not None:
            status = Status.FUNDED if app.fixed_grant >= app.requested else Status.PARTIAL
            if app.fixed_grant <= 0 < app.requested:
                status = Status.NOT_FUNDED
            for cap in claim.caps:
                cap.room += app.fixed_grant  # reserved in allocate(); charged again below
            claim.decide(
                app.fixed_grant,
                status,
                "council decision",
                f"Fixed by the council at {_kr(app.fixed_grant)}, charged to every cap.",
                "fixed",
            )
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
            c.decide(
                0,
                Status.NOT_FUNDED,
                f"group {group}: {fixed[group]} chosen",
                f"Not funded: the council funded {fixed[group]} of exclusive group {group}.",
                "exclusive",
            )


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
        group = _group(spec.by, c.app, kind)
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
        c.caps.append(_cap(caps, Cap(key, "apportion", "share exhausted", label, shares[group])))
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
            c.decide(
                0,
                Status.NOT_FUNDED,
                "after the funding line",
                f"Not funded: the pool stops at the first application it cannot fund in full ({stopped}).",
                "stop",
            )
            continue
        group = c.app.exclusive_group
        if group is not None:
            winner = next((o for o in members[group] if o is not c and o.granted > 0), None)
            if winner is not None:
                c.decide(
                    0,
                    Status.NOT_FUNDED,
                    f"group {group}: {winner.app.id} funded",
                    f"Not funded: {winner.app.id} of exclusive group {group} was funded before it.",
                    "exclusive",
                )
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
            why = f"{tightest.label} had {_kr(max(room, 0))} left"
            c.binding = tightest
            if shortfall == "stop":
                stopped = c.app.id
                c.decide(
                    0,
                    Status.NOT_FUNDED,
                    f"{tightest.short}; funding line",
                    f"Not funded: {why}; the pool stops here.",
                    "stop",
                )
            elif shortfall == "skip":
                c.decide(
                    0,
                    Status.NOT_FUNDED,
                    f"{tightest.short}; skipped",
                    f"Not funded: {why}; the pool skips to the next application that fits.",
                    tightest.kind,
                )
            else:
                _offer(c, offer, tightest.kind, tightest.short, why, unit)


def _offer(c: Claim, offer: int, kind: str, short: str, why: str, unit: int) -> None:
    """Decide on an offer: in full, partial (if acceptable), or nothing."""
    asked = c.app.requested
    if offer >= asked:
        c.decide(asked, Status.FUNDED, "full request", f"Funded in full: {_kr(asked)}.", "request")
        return
    offer = offer // unit * unit  # a partial grant, whatever bound it: whole units
    if offer <= 0:
        c.decide(
            0,
            Status.NOT_FUNDED,
            short if kind != "request" else "nothing left",
            f"Not funded: {why}.",
            kind,
        )
    elif not c.app.partial:
        c.decide(
            0,
            Status.NOT_FUNDED,
            f"{short}; no partial",
            f"Not funded: {_kr(offer)} of {_kr(asked)} was possible ({why}) and the "
            "application does not accept a partial grant.",
            "partial",
        )
    elif offer < c.lower:
        c.decide(
            0,
            Status.NOT_FUNDED,
            f"{short}; below its minimum",
            f"Not funded: {_kr(offer)} was possible ({why}), below the minimum of {_kr(c.lower)}.",
            "min_grant",
        )
    else:
        c.decide(
            offer,
            Status.PARTIAL,
            short,
            f"Partial grant of {_kr(offer)} of {_kr(asked)}: {why}.",
            kind,
        )


def _funding_line(claims: list[Claim], method: str) -> tuple[str | None, int | None, str]:
    """The first application in order not fully funded for want of money, and what would fund it."""
    if method != "priority":
        return None, None, ""
    for c in claims:
        if c.status in (Status.PARTIAL, Status.NOT_FUNDED) and c.binding is not None:
            if c.binding.kind not in MONEY_KINDS:
                note = (
                    f"{c.app.id} is bound by {c.binding.label}: more pool money would not fund it"
                )
                return c.app.id, None, note
            missing = min(c.upper, c.app.requested) - c.granted
            return (
                c.app.id,
                missing,
                f"{_kr(missing)} more in {c.binding.label} would fund {c.app.id}",
            )
    return None, None, ""


def _tell(c: Claim) -> None:
    if c.telling:
        c.story.append(c.detail)
