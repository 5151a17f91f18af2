"""Properties of every method over generated rounds: money reconciles, no cap is overdrawn
(except by the council's fixed grants alone), grants respect their applications and the unit,
the input order does not matter, capped-equal is max-min fair and pro-rata proportional.

Caps are worked out here from the bundle, independently of the engine."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kompalloc.allocation import Allocation, Status, allocate
from kompalloc.model import Application, Bundle, Pool
from kompalloc.pooltree import build
from strategies import worlds

# --- caps, worked out from the bundle ---------------------------------------------------------


@dataclass
class CapUse:
    room: int
    fixed: int = 0
    method: int = 0
    members: list[str] | None = None


def _group(grouping: str, app: Application, kind: str) -> str | None:
    return {"cluster": app.cluster, "institution": app.institution, "institution_type": kind}[
        grouping
    ]


def caps_of(b: Bundle, result: Allocation, app: Application) -> Iterator[tuple[str, int]]:
    """Every shared cap the application falls under, with its room before this allocation."""
    grant = result.by_application[app.id]
    kind = b.institutions[app.institution].type
    chain = [b.pools[pid] for pid in grant.pools]
    for p in chain:
        yield f"pool:{p.id}", result.pools[p.id].available
        if p.institution_cap is not None:
            yield f"inst:{p.id}:{app.institution}", p.institution_cap
        for grouping, share in (
            ("cluster", p.max_share_per_cluster),
            ("institution", p.max_share_per_institution),
            ("institution_type", p.max_share_per_institution_type),
        ):
            group = _group(grouping, app, kind)
            if share is not None and group is not None:
                yield (
                    f"share:{p.id}:{grouping}:{group}",
                    (p.cap * share.numerator) // share.denominator,
                )
    for lim in b.limits.values():
        if (
            (lim.year is None or lim.year == app.year)
            and (lim.schemes is None or app.scheme in lim.schemes)
            and (lim.pools is None or any(p.id in lim.pools for p in chain))
            and (lim.clusters is None or app.cluster in lim.clusters)
            and (lim.institutions is None or app.institution in lim.institutions)
            and (lim.institution_types is None or kind in lim.institution_types)
        ):
            group = _group(lim.per, app, kind) if lim.per else ""
            if group is not None:
                yield f"limit:{lim.id}:{group}", lim.cap
    root = chain[0]
    spec = root.apportion
    if root.method == "apportion" and spec is not None and app.fixed_grant is None:
        group = _group(spec.by, app, kind)
        shares_ = result.rounds[root.id].shares
        if group in shares_:
            yield f"apportion:{root.id}:{group}", shares_[group]


def cap_uses(b: Bundle, result: Allocation) -> tuple[dict[str, CapUse], dict[str, list[str]]]:
    uses: dict[str, CapUse] = {}
    keys: dict[str, list[str]] = defaultdict(list)
    for g in result.grants:
        app = b.applications[g.application]
        for key, room in caps_of(b, result, app):
            use = uses.setdefault(key, CapUse(room, members=[]))
            assert use.room == room
            keys[app.id].append(key)
            assert use.members is not None
            use.members.append(app.id)
            if app.fixed_grant is not None:
                use.fixed += g.granted
            else:
                use.method += g.granted
    return uses, keys


def own_limit(b: Bundle, app: Application, chain: list[Pool]) -> int:
    limits_ = [app.requested]
    for p in chain:
        if p.max_grant is not None:
            limits_.append(p.max_grant)
        if p.aid_intensity is not None and app.budget is not None:
            limits_.append(app.budget * p.aid_intensity.numerator // p.aid_intensity.denominator)
    return min(limits_)


def unit_of(b: Bundle, grant_pools: tuple[str, ...]) -> int:
    return b.pools[grant_pools[0]].unit or 100


def method_of(b: Bundle, root_id: str) -> str:
    root = b.pools[root_id]
    method = root.method or "priority"
    if method == "apportion" and root.apportion is not None:
        return root.apportion.then
    return method


def exact_fill(
    method: str,
    active: list[str],
    upper: dict[str, int],
    members_of: dict[str, set[str]],
    room: dict[str, Fraction],
) -> dict[str, Fraction]:
    """Progressive filling, one segment at a time: between two saturation points each rising
    application's amount is linear in the common level, and so is each cap's use."""

    def at(i: str, level: Fraction) -> Fraction:
        return level * upper[i] if method == "pro_rata" else min(level, Fraction(upper[i]))

    def top(i: str) -> Fraction:
        return Fraction(1) if method == "pro_rata" else Fraction(upper[i])

    amount: dict[str, Fraction] = {}
    rising = set(active)
    level = Fraction(0)
    while rising:
        end = min(top(i) for i in rising)
        first: tuple[Fraction, str] | None = None
        for key, members in sorted(members_of.items()):
            moving = [i for i in members if i in rising]
            if not moving:
                continue
            used = sum((amount[i] for i in members if i in amount), Fraction(0))
            used += sum((at(i, level) for i in moving), Fraction(0))
            slope = sum(upper[i] if method == "pro_rata" else 1 for i in moving)
            fills = level if used >= room[key] else level + (room[key] - used) / slope
            if fills <= end and (first is None or fills < first[0]):
                first = (fills, key)
        if first is None:
            done = [i for i in rising if top(i) == end]
            level = end
        else:
            level = first[0]
            done = [i for i in members_of[first[1]] if i in rising]
        for i in done:
            amount[i] = at(i, level)
            rising.discard(i)
    return amount


# --- the properties -----------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(worlds())
def test_invariants_hold_for_every_method(b: Bundle):
    """Every pool reconciles to the øre; no cap is overdrawn except by fixed grants alone;
    grants stay within their request, own limits, minimums and unit; exclusive groups hold;
    under shortfall 'stop' nothing is granted after the funding line."""
    result = allocate(b)
    tree = build(b)
    assert {g.application for g in result.grants} == set(b.applications)

    # Every pool reconciles to the øre.
    for pid, r in result.pools.items():
        assert r.cap == r.committed + r.granted + r.remaining
        assert r.granted == sum(g.granted for g in result.grants if pid in g.pools)
        below, todo = [], [pid]
        while todo:
            below.append(todo.pop())
            todo.extend(c.id for c in tree.children.get(below[-1], ()))
        assert r.committed == sum(b.pools[d].committed for d in below)

    # No cap is overdrawn, except by the council's fixed grants alone.
    uses, _ = cap_uses(b, result)
    for key, use in uses.items():
        if key.startswith("apportion:"):
            assert use.method <= use.room, key  # fixed grants come before the split
        elif use.fixed > use.room:
            assert use.method == 0, (key, use)
        else:
            assert use.fixed + use.method <= use.room, (key, use)

    # Grants respect their application, their pools and the unit.
    for g in result.grants:
        app = b.applications[g.application]
        chain = [b.pools[pid] for pid in g.pools]
        assert 0 <= g.granted <= g.requested == app.requested
        if g.status is Status.FUNDED:
            assert g.granted == app.requested
        elif g.status is Status.PARTIAL:
            assert 0 < g.granted < app.requested
        else:
            assert g.granted == 0
        if app.fixed_grant is not None and g.status is not Status.REJECTED:
            assert g.granted == app.fixed_grant and g.limit == "fixed"
            continue
        if g.status is Status.PARTIAL:
            assert app.partial
            assert g.granted >= (app.min_grant or 0)
        if g.granted:
            assert g.granted <= own_limit(b, app, chain)
            assert all(g.granted >= (p.min_grant or 0) for p in chain)
            if g.granted != app.requested:
                assert g.granted % unit_of(b, g.pools) == 0, (g, unit_of(b, g.pools))

    # At most one application of an exclusive group gets money in a round, and none beside a
    # council decision.
    winners: dict[tuple[str, str], list[str]] = defaultdict(list)
    fixed: set[tuple[str, str]] = set()
    for g in result.grants:
        app = b.applications[g.application]
        if not app.exclusive_group or g.status is Status.REJECTED:
            continue
        if app.fixed_grant is not None:
            fixed.add((g.pools[0], app.exclusive_group))
        elif g.granted:
            winners[(g.pools[0], app.exclusive_group)].append(app.id)
    for key, ids in winners.items():
        assert len(ids) <= (0 if key in fixed else 1), (key, ids)

    # Shortfall 'stop': after the funding line only earmarks and council decisions give money.
    for root_id, rnd in result.rounds.items():
        if method_of(b, root_id) != "priority" or b.pools[root_id].shortfall != "stop":
            continue
        stops = [a for a in rnd.order if result.by_application[a].limit == "stop"]
        for later in rnd.order[rnd.order.index(stops[0]) :] if stops else ():
            app = b.applications[later]
            if app.fixed_grant is None and "young" not in app.target_groups:
                assert result.by_application[later].granted == 0, later


@settings(max_examples=80, deadline=None)
@given(worlds(), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter(b: Bundle, rnd: random.Random):
    def shuffled(mapping):  # type: ignore[no-untyped-def]
        items = list(mapping.items())
        rnd.shuffle(items)
        return dict(items)

    other = replace(
        b,
        applications=shuffled(b.applications),
        pools=shuffled(b.pools),
        limits=shuffled(b.limits),
    )
    assert allocate(other) == allocate(b)


@settings(max_examples=250, deadline=None)
@given(worlds(methods=("pro_rata", "capped_equal", "apportion"), dense=True))
def test_filling_is_exact_progressive_filling_rounded_to_the_unit(b: Bundle):
    """Recompute the exact filling of each pro-rata or capped-equal round over the applications
    that got money (the others dropped out, lost their exclusive group, or never competed):
    it is max-min fair (capped equal) or proportional (pro rata) at every bottleneck, and the
    grants are those exact amounts rounded down to the unit, with the leftover whole units
    handed out by largest remainder (then order) wherever every cap still has room."""
    result = allocate(b)
    uses, keys = cap_uses(b, result)
    earlier: dict[str, int] = defaultdict(int)  # method grants of rounds already allocated
    for root_id in sorted(result.rounds):
        method = method_of(b, root_id)
        rnd = result.rounds[root_id]
        in_round = [result.by_application[a] for a in rnd.order]
        if method in ("pro_rata", "capped_equal"):
            unit = b.pools[root_id].unit or 100
            active = [
                g.application
                for g in in_round
                if g.granted > 0 and b.applications[g.application].fixed_grant is None
            ]
            upper = {
                a: own_limit(
                    b, b.applications[a], [b.pools[p] for p in result.by_application[a].pools]
                )
                for a in active
            }
            members_of: dict[str, set[str]] = defaultdict(set)
            for a in active:
                for key in keys[a]:
                    members_of[key].add(a)
            room = {
                key: Fraction(uses[key].room - uses[key].fixed - earlier[key]) for key in members_of
            }
            exact = exact_fill(method, active, upper, members_of, room)

            share = {a: exact[a] / upper[a] if method == "pro_rata" else exact[a] for a in active}

            # Exact: each application below its own limit sits under a full cap, and gets
            # at least as much there as anyone under it (max-min fair / the same fraction).
            for a in active:
                if exact[a] < upper[a]:
                    assert any(
                        sum(exact[m] for m in members_of[k]) == room[k]
                        and all(share[a] >= share[m] for m in members_of[k])
                        for k in keys[a]
                    ), a
            # Rounded: down to the unit (a full request as it is), plus at most one unit.
            base: dict[str, int] = {}
            for a in active:
                full = exact[a] >= upper[a] == b.applications[a].requested
                base[a] = upper[a] if full else int(exact[a] // unit) * unit
            granted = {a: result.by_application[a].granted for a in active}
            extra = {a for a in active if granted[a] != base[a]}
            assert all(granted[a] == base[a] + unit for a in extra), (granted, base)
            leftover = int((sum(exact.values()) - sum(base.values())) // unit)
            assert len(extra) <= leftover
            left_in = {k: room[k] - sum(granted[m] for m in members_of[k]) for k in members_of}
            position = {a: n for n, a in enumerate(rnd.order)}
            for a in active:
                could = base[a] + unit <= upper[a] and all(left_in[k] >= unit for k in keys[a])
                if a in extra or not could:
                    continue
                assert len(extra) == leftover, (a, granted, base)
                mine = (exact[a] - base[a], -position[a])
                assert all((exact[d] - base[d], -position[d]) > mine for d in extra), a
        for g in in_round:
            if b.applications[g.application].fixed_grant is None:
                for key in keys[g.application]:
                    earlier[key] += g.granted


@settings(max_examples=150, deadline=None)
@given(worlds(methods=("pro_rata", "apportion"), dense=True))
def test_pro_rata_gives_the_same_fraction_under_the_same_caps(b: Bundle):
    result = allocate(b)
    _, keys = cap_uses(b, result)
    by_caps: dict[tuple[str, ...], list[tuple[int, int, int]]] = defaultdict(list)
    for g in result.grants:
        app = b.applications[g.application]
        if method_of(b, g.pools[0]) != "pro_rata" or app.fixed_grant is not None or not g.granted:
            continue
        limit = own_limit(b, app, [b.pools[p] for p in g.pools])
        by_caps[tuple(sorted(keys[app.id]))].append((g.granted, limit, unit_of(b, g.pools)))
    for members in by_caps.values():
        for granted_a, limit_a, unit in members:
            for granted_b, limit_b, _ in members:
                # |a/A - b/B| < unit/A + unit/B, without dividing.
                gap = abs(granted_a * limit_b - granted_b * limit_a)
                assert gap < unit * (limit_a + limit_b), members
