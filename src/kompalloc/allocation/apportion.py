"""Apportionment: split an amount among groups by weight, exactly, with floors and caps per share.

Works in whole units (e.g. kroner or thousands); fast whatever the amount: Hamilton takes the
integer parts at once and hands out the few remaining units by largest remainder; the divisor
methods find a divisor from the quotas and then move at most one unit per group, never one
unit at a time across the whole amount.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from fractions import Fraction


def apportion(
    total: int,
    weights: Mapping[str, Fraction],
    rule: str = "hamilton",
    floors: Mapping[str, int] | None = None,
    caps: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Split ``total`` units among the groups in proportion to their weights.

    Floors and caps (in units) are honoured by fixing the groups that break them and
    apportioning the rest again among the others. Ties are broken by group id.
    """
    floors = dict(floors or {})
    caps = dict(caps or {})
    shares: dict[str, int] = {}
    free = {g: w for g, w in weights.items() if w > 0}
    for g in weights:
        if g not in free:
            shares[g] = min(floors.get(g, 0), caps.get(g, floors.get(g, 0)))
    left = total - sum(shares.values())
    while free:
        trial = _split(left, free, rule) if left > 0 else dict.fromkeys(free, 0)
        low = {g for g, n in trial.items() if n < floors.get(g, 0)}
        high = {g for g, n in trial.items() if g in caps and n > caps[g]}
        if not low and not high:
            shares.update(trial)
            break
        # Fix the groups of one side only, then share what is left among the others: if the
        # floors need more than the caps give back, the others get less and the low groups
        # stay low; otherwise they get more and the high groups stay high (variable fixing).
        # Fixing both at once could hold a group at a cap it no longer reaches.
        deficit = sum(floors[g] - trial[g] for g in low)
        excess = sum(trial[g] - caps[g] for g in high)
        fixing = low if deficit >= excess else high
        for g in fixing:
            shares[g] = floors[g] if fixing is low else caps[g]
        left = total - sum(shares.values())
        for g in fixing:
            free.pop(g)
    return shares


def _split(total: int, weights: Mapping[str, Fraction], rule: str) -> dict[str, int]:
    if rule == "hamilton":
        return _hamilton(total, weights)
    first = {
        "dhondt": Fraction(1),
        "sainte_lague": Fraction(1, 2),
        "modified_sainte_lague": Fraction(7, 10),
    }
    return _divisor(total, weights, rule, first[rule])


def _hamilton(total: int, weights: Mapping[str, Fraction]) -> dict[str, int]:
    whole = sum(weights.values())
    quotas = {g: Fraction(total) * w / whole for g, w in weights.items()}
    shares = {g: math.floor(q) for g, q in quotas.items()}
    rest = total - sum(shares.values())
    by_remainder = sorted(weights, key=lambda g: (-(quotas[g] - shares[g]), g))
    for g in by_remainder[:rest]:
        shares[g] += 1
    return shares


def _divisor(
    total: int, weights: Mapping[str, Fraction], rule: str, first: Fraction
) -> dict[str, int]:
    """Highest averages: D'Hondt divides by 1, 2, 3, ...; Sainte-Laguë by 1, 3, 5, ... (here
    halved: 0.5, 1.5, 2.5, ...); the modified method starts at 1.4 (halved: 0.7)."""

    def divisor(n: int) -> Fraction:
        # The divisor for a group's (n+1)-th unit.
        if rule == "dhondt":
            return Fraction(n + 1)
        return first if n == 0 else Fraction(2 * n + 1, 2)

    def units_at(w: Fraction, level: Fraction) -> int:
        # How many units a group gets when every quotient w / divisor(n) >= level counts.
        if rule == "dhondt":
            n = math.floor(w / level)
        else:
            n = max(0, math.floor(w / level + Fraction(1, 2)))
            if n >= 1 and w / first < level:
                n = 0
        while n > 0 and w / divisor(n - 1) < level:
            n -= 1
        while w / divisor(n) >= level:
            n += 1
        return n

    whole = Fraction(sum(weights.values()))
    level = whole / total
    shares = {g: units_at(w, level) for g, w in weights.items()}
    # Move unit by unit only for the few groups around the divisor found above.
    heap_add = [(-(w / divisor(shares[g])), g) for g, w in weights.items()]
    heapq.heapify(heap_add)
    while sum(shares.values()) < total:
        _, g = heapq.heappop(heap_add)
        shares[g] += 1
        heapq.heappush(heap_add, (-(weights[g] / divisor(shares[g])), g))
    # Drop the weakest last units; among equal quotients the larger id loses (ties favour the
    # smaller id, as when adding).
    after = {g: -i for i, g in enumerate(sorted(weights))}
    heap_drop = [
        (weights[g] / divisor(shares[g] - 1), after[g], g) for g in weights if shares[g] > 0
    ]
    heapq.heapify(heap_drop)
    while sum(shares.values()) > total:
        _, _, g = heapq.heappop(heap_drop)
        shares[g] -= 1
        if shares[g] > 0:
            heapq.heappush(heap_drop, (weights[g] / divisor(shares[g] - 1), after[g], g))
    return shares
