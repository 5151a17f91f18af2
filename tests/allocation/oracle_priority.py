"""The test oracle: the claim-by-claim priority path the engine had before its one priority pass.

Kept only here, as it was (one claim per application, every step told when asked), to check
the pass (kompalloc.allocation.priority) and its phases on generated rounds: both must decide
the same grants, tell the same stories, and give the same pool results and round facts.
Rounds by other methods are left to the engine's filling rounds, sharing the same caps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from kompalloc.allocation import wording
from kompalloc.allocation.apportion import apportion
from kompalloc.allocation.caps import Cap, Memo, claim_caps, group_of, shared, sorted_limits
from kompalloc.allocation.engine import by_root, committed_money, method_of
from kompalloc.allocation.filling import filling_round
from kompalloc.allocation.lots import Context
from kompalloc.allocation.ordering import order
from kompalloc.allocation.results import Allocation, Grant, PoolResult, RoundResult, Status
from kompalloc.eligibility import breaches, own_limit
from kompalloc.model import Application, Bundle, Pool
from kompalloc.pooltree import PoolTree, build

ORE = 100
_kr = wording.kr


def allocate(
    bundle: Bundle, methods: dict[str, str] | None = None, *, stories: bool = False
) -> Allocation:
    """As kompalloc.allocation.allocate, priority rounds decided claim by claim."""
    tree = build(bundle)
    committed = committed_money(bundle, tree)
    caps: dict[str, Cap] = {}
    memo = Memo()
    context = Context(bundle, tree, committed, caps, memo)
    rounds_apps = by_root(bundle, tree)
    roots = sorted(r for r in rounds_apps if r)
    for root_id in roots:
        for app in rounds_apps[root_id]:
            if app.fixed_grant is None:
                continue
            chain, ids, _ = memo.chain(bundle, tree, app)
            if breaches(bundle, app, chain):
                continue
            for cap in _claim(bundle, app, chain, committed, caps, memo, ids).caps:
                cap.room -= app.fixed_grant
    grants: list[Grant] = []
    rounds: dict[str, RoundResult] = {}
    for root_id in roots:
        root = bundle.pools[root_id]
        method = method_of(root, methods)
        inner = root.apportion.then if method == "apportion" and root.apportion else method
        if inner != "priority":
            round_grants, result = filling_round(
                context, root, method, rounds_apps[root_id], stories
            )
        else:
            claims, result = _round(
                bundle, tree, root, method, rounds_apps[root_id], committed, caps, memo, stories
            )
            round_grants = [_grant(c) for c in claims]
        grants.extend(round_grants)
        rounds[root_id] = result
    return Allocation(tuple(grants), _pool_results(bundle, committed, grants), rounds)


def _pool_results(
    bundle: Bundle, committed: dict[str, int], grants: list[Grant]
) -> dict[str, PoolResult]:
    granted: dict[str, int] = defaultdict(int)
    requested: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for g in grants:
        for pid in g.pools:
            granted[pid] += g.granted
            requested[pid] += g.requested
            counts[pid] += 1
    return {
        pid: PoolResult(pid, p.cap, committed[pid], granted[pid], requested[pid], counts[pid])
        for pid, p in bundle.pools.items()
    }


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
        raise AssertionError(f"not a priority round: {inner}")
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
