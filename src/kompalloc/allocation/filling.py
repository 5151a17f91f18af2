"""Progressive filling for the pro-rata and capped-equal methods, exact in fractions of an øre.

Every open application rises together: pro-rata gives each the same fraction of its own limit
(``level x upper``), capped-equal the same amount (``min(upper, level)``, max-min fair). When a
cap fills up, its applications stop rising and the rest go on. Grants are then rounded down to
the pool's unit and the units left over go, by largest remainder, where every cap still has
room. An application that ends below its minimum (or below its request without accepting a
partial grant) drops out, the one latest in order first, and the filling starts again.

:func:`filling_round` prepares such a round as claims (one per application) and decides what
needs no money first, as the priority pass's rounds do.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from kompalloc.allocation import phases, story, wording
from kompalloc.allocation.caps import group_of
from kompalloc.allocation.claims import Claim, make_claim
from kompalloc.allocation.ordering import order
from kompalloc.allocation.results import Grant, RoundResult, Status
from kompalloc.eligibility import breaches
from kompalloc.model import Method
from kompalloc.money import format_kr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kompalloc.allocation.caps import Cap
    from kompalloc.allocation.lots import Context
    from kompalloc.model import Application, Pool


def filling_round(
    context: Context,
    root: Pool,
    method: Method,
    applications: Sequence[Application],
    stories: bool = False,
) -> tuple[list[Grant], RoundResult]:
    """Allocate one round by progressive filling (pro-rata or capped-equal, or apportion with
    one of them inside the shares): the grants in order, and the round's facts."""
    ordering = order(applications, root, ties=False)
    claims = [
        _claim(context, app, position)
        for position, app in enumerate(ordering.applications, start=1)
    ]
    if stories:
        head = story.intro(root, method, ordering.seed)
        for c in claims:
            assert c.position is not None
            c.story += [
                head,
                story.place(root, c.app, c.position, len(claims)),
                story.draws_on(c.chain),
            ]
    open_claims = [c for c in claims if c.status is None]
    _exclude_groups(claims)
    open_claims = [c for c in open_claims if c.status is None]
    shares: dict[str, int] = {}
    inner: str = method
    if method is Method.APPORTION and root.apportion is not None:
        shares = _apportion_caps(context, root, open_claims)
        inner = root.apportion.then
    fill(open_claims, inner, root.grant_unit)
    grants = [_grant(c, stories) for c in claims]
    ids = tuple(a.id for a in ordering.applications)
    return grants, RoundResult(root.id, method, ids, ordering.seed, None, None, "", shares)


def _claim(context: Context, app: Application, position: int) -> Claim:
    """The application's claim, decided already where that needs no money."""
    bundle, memo = context.bundle, context.memo
    chain, ids, pool_min = memo.chain(bundle, context.tree, app)
    claim = make_claim(bundle, app, chain, context.committed, context.caps, memo, ids, pool_min)
    claim.position = position
    claim.pool_ids = ids
    broken = breaches(bundle, app, chain)
    if broken:
        claim.decide(*wording.rejected(broken))
    elif app.fixed_grant is None and app.requested == 0:
        claim.decide(*wording.NOTHING_REQUESTED)
    elif app.fixed_grant is None and app.requested < pool_min:
        claim.decide(*wording.below_pool_minimum(app.requested, pool_min))
    elif app.fixed_grant is not None:
        for cap in claim.caps:
            cap.room += app.fixed_grant  # reserved by the engine; charged again below
        claim.decide(*wording.fixed(app.fixed_grant, app.requested))
    return claim


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


def _apportion_caps(context: Context, root: Pool, claims: list[Claim]) -> dict[str, int]:
    """Split the root pool's room into shares by weight and give each claim its share's cap."""
    spec = root.apportion
    assert spec is not None
    bundle = context.bundle
    amounts = phases.shares(root, context.caps)
    for c in claims:
        kind = bundle.institutions[c.app.institution].type
        group = group_of(spec.by, c.app, kind)
        if group is None or group not in amounts:
            c.decide(*phases.no_share(root, group))
            continue
        c.caps.append(phases.share_cap(bundle, root, group, amounts[group], context.caps))
        c.story.append(phases.share_line(root, group, amounts[group]))
    return amounts


def _grant(c: Claim, stories: bool) -> Grant:
    assert c.status is not None
    return Grant(
        c.app.id,
        c.pool_ids,
        c.app.requested,
        c.granted,
        c.status,
        c.reason,
        c.detail,
        c.limit,
        c.position,
        (*c.story, c.detail) if stories else (),
    )


def fill(claims: list[Claim], method: str, unit: int) -> None:
    """Decide every open claim by progressive filling, dropping those that cannot accept their share."""
    candidates = [c for c in claims if c.status is None and c.upper > 0]
    for c in claims:
        if c.status is None and c.upper <= 0:
            c.decide(
                0, Status.NOT_FUNDED, c.upper_short, f"Not funded: {c.upper_detail}.", c.upper_kind
            )
    while True:
        active = _one_per_group(candidates)
        amounts, binding = _levels(active, method)
        grants = _round(active, amounts, unit)
        failing = [
            c
            for c in active
            if grants[id(c)] < c.app.requested and not _acceptable(c, grants[id(c)])
        ]
        if not failing:
            break
        worst = max(failing, key=lambda c: c.position or 0)
        worst.decide(0, Status.NOT_FUNDED, *_dropped(worst, grants[id(worst)]), "min_grant")
        candidates.remove(worst)
    for c in candidates:
        if c not in active:
            winner = next(o for o in active if o.app.exclusive_group == c.app.exclusive_group)
            c.decide(
                0,
                Status.NOT_FUNDED,
                f"group {c.app.exclusive_group}: {winner.app.id} funded",
                f"Not funded: {winner.app.id} of exclusive group {c.app.exclusive_group} comes "
                "first and was funded.",
                "exclusive",
            )
    for c in active:
        amount = grants[id(c)]
        cap = binding.get(id(c))
        word = "share of the request" if method == Method.PRO_RATA else "equal level"
        if amount >= c.app.requested:
            c.decide(
                c.app.requested,
                Status.FUNDED,
                "full request",
                f"Funded in full: {format_kr(amount)}.",
                "request",
            )
        elif cap is None:
            c.decide(
                amount,
                Status.PARTIAL,
                c.upper_short,
                f"Partial grant of {format_kr(amount)}: {c.upper_detail}.",
                c.upper_kind,
            )
        else:
            c.decide(
                amount,
                Status.PARTIAL,
                cap.short,
                f"Partial grant of {format_kr(amount)} of {format_kr(c.app.requested)}: its {word} "
                f"stopped rising when {cap.label} was used up.",
                cap.kind,
            )


def _dropped(worst: Claim, amount: int) -> tuple[str, str]:
    """Why a claim drops out of the filling: (reason, detail)."""
    if amount <= 0:
        return "nothing left", "Not funded: nothing was left for it."
    if not worst.app.partial:
        return "share too small; no partial", (
            f"Not funded: its share would be {format_kr(amount)} of "
            f"{format_kr(worst.app.requested)} and it does not accept a partial grant."
        )
    return "share below minimum", (
        f"Not funded: its share would be {format_kr(amount)}, below its minimum "
        f"{format_kr(worst.lower)}."
    )


def _acceptable(c: Claim, amount: int) -> bool:
    return c.app.partial and amount >= c.lower


def _one_per_group(active: list[Claim]) -> list[Claim]:
    """Only the first in order of each exclusive group competes; the others wait their turn."""
    seen: set[str] = set()
    out = []
    for c in sorted(active, key=lambda c: c.position or 0):
        group = c.app.exclusive_group
        if group is not None:
            if group in seen:
                continue
            seen.add(group)
        out.append(c)
    return out


def _levels(active: list[Claim], method: str) -> tuple[dict[int, Fraction], dict[int, Cap]]:
    """Exact amounts from progressive filling, and the cap that froze each application."""
    weight = {
        id(c): (Fraction(c.upper) if method == Method.PRO_RATA else Fraction(1)) for c in active
    }
    top = {id(c): (Fraction(1) if method == Method.PRO_RATA else Fraction(c.upper)) for c in active}
    amount: dict[int, Fraction] = {}
    frozen_by: dict[int, Cap] = {}
    rising = {id(c): c for c in active}
    used: dict[int, Fraction] = {}  # per cap, what frozen claims take of it
    caps = {id(cap): cap for c in active for cap in c.caps}
    members_of: dict[int, list[Claim]] = {key: [] for key in caps}
    for c in active:
        for cap in c.caps:
            members_of[id(cap)].append(c)
    while rising:
        # The level at which each cap fills, given the claims still rising.
        best: Fraction | None = None
        best_cap: Cap | None = None
        for key, cap in caps.items():
            members = [c for c in members_of[key] if id(c) in rising]
            if not members:
                continue
            room = Fraction(cap.room) - used.get(key, Fraction(0))
            level = _fill_level(members, weight, top, room)
            if level is not None and (best is None or level < best):
                best, best_cap = level, cap
        saturate = min(top[k] for k in rising)
        if best is None or saturate <= best:
            done = [c for k, c in rising.items() if top[k] == saturate]
            level = saturate
            cap_hit = None
        else:
            assert best_cap is not None
            done = [c for c in members_of[id(best_cap)] if id(c) in rising]
            level = best
            cap_hit = best_cap
        for c in done:
            amount[id(c)] = weight[id(c)] * min(level, top[id(c)])
            if cap_hit is not None:
                frozen_by[id(c)] = cap_hit
            for cap in c.caps:
                used[id(cap)] = used.get(id(cap), Fraction(0)) + amount[id(c)]
            del rising[id(c)]
    return amount, frozen_by


def _fill_level(
    members: list[Claim], weight: dict[int, Fraction], top: dict[int, Fraction], room: Fraction
) -> Fraction | None:
    """The level at which the members' sum reaches ``room``, or None if it never does."""
    if room <= 0:
        return Fraction(0)
    full = sum(weight[id(c)] * top[id(c)] for c in members)
    if full <= room:
        return None
    # The sum is piecewise linear in the level, with a bend where each member saturates.
    done = Fraction(0)
    slope = sum(weight[id(c)] for c in members)
    previous = Fraction(0)
    for c in sorted(members, key=lambda c: top[id(c)]):
        bend = top[id(c)]
        reached = done + slope * bend
        if reached >= room:
            return (room - done) / slope if slope else previous
        done += weight[id(c)] * bend
        slope -= weight[id(c)]
        previous = bend
    return previous


def _round(active: list[Claim], amounts: dict[int, Fraction], unit: int) -> dict[int, int]:
    """Whole units by largest remainder, never beyond a claim's limit or a cap's room."""
    grants: dict[int, int] = {}
    for c in active:
        exact = amounts.get(id(c), Fraction(0))
        full = exact >= c.upper == c.app.requested  # only a full request is not rounded
        grants[id(c)] = c.upper if full else math.floor(exact / unit) * unit
    total_exact = sum(amounts.get(id(c), Fraction(0)) for c in active)
    # The whole units the rounding left over (full requests need not be whole units).
    left = math.floor((total_exact - sum(grants.values())) / unit) * unit
    room = {id(cap): cap.room for c in active for cap in c.caps}
    for c in active:
        for cap in c.caps:
            room[id(cap)] -= grants[id(c)]
    order = sorted(
        active,
        key=lambda c: (-(amounts.get(id(c), Fraction(0)) - grants[id(c)]), c.position or 0),
    )
    for c in order:
        if left < unit:
            break
        if grants[id(c)] + unit <= c.upper and all(room[id(cap)] >= unit for cap in c.caps):
            grants[id(c)] += unit
            left -= unit
            for cap in c.caps:
                room[id(cap)] -= unit
    return grants
