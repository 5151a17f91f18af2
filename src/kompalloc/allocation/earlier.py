"""Earlier grants against the caps that are not pools: shares, institution caps and limits.

The ledger (:mod:`kompalloc.ledger`) charges earlier grants to the pools of their chain, as
committed money. An earlier grant counts against every other cap it falls under too, exactly
like money granted in this round: a pool's share per cluster, institution or institution
type, an institution's cap in a pool, and every limit that selects it (by scheme, year, pool,
cluster, institution or institution type). Each budget year of a grant is charged in its
year, net of what came back.

Those charges sit in the engine's committed money under the key of the cap they reduce (e.g.
``share:industrifagskolen-2021:cluster:k1``, ``limit:per-institution:i1``); pool ids never
contain ':', so they cannot be mistaken for a pool's. :func:`kompalloc.allocation.caps.claim_caps`
takes them off a cap's room when it makes the cap, so every place that makes caps (the
engine, sweeps, bindings, the fixed grants' check) sees them. Without earlier grants the
committed money is exactly the ledger's.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompalloc import ledger
from kompalloc.allocation.caps import Cap, claim_caps, sorted_limits
from kompalloc.model import Application, Bundle
from kompalloc.pooltree import PoolTree


@dataclass(frozen=True, slots=True)
class Charged:
    """A cap that is not a pool, with the earlier grants that fall under it."""

    cap: Cap
    """The cap as made before any earlier grant is charged (its room is the whole cap)."""
    net: int
    """The earlier grants, net of what came back, in øre."""
    lines: tuple[ledger.Line, ...]
    """The grants (one line per budget year) charged to it, in ledger order."""


def _probe(bundle: Bundle, line: ledger.Line) -> Application:
    """An application standing for the earlier grant in one budget year, to find its caps."""
    span = line.span or next(iter(bundle.pools.values())).span
    return Application(
        id=line.grant,
        span=span,
        spans={},
        scheme=line.scheme,
        year=line.year,
        institution=line.institution or "",
        cluster=line.cluster,
    )


def charged(bundle: Bundle, tree: PoolTree) -> list[Charged]:
    """Every cap other than a pool that earlier grants fall under, in the order first met."""
    if not bundle.grants and not bundle.earlier_rounds:
        return []
    committed = ledger.committed(bundle, tree)
    limits = sorted_limits(bundle)
    caps: dict[str, Cap] = {}
    net: dict[str, int] = {}
    lines: dict[str, list[ledger.Line]] = {}
    for line in ledger.lines(bundle, tree):
        if not line.pools:
            continue  # no pool for its year, or a pool not loaded: reported (KA803)
        chain = [bundle.pools[pid] for pid in line.pools]
        institution = bundle.institutions.get(line.institution or "")
        kind = institution.type if institution else None
        probe = _probe(bundle, line)
        for cap in claim_caps(bundle, probe, chain, kind, committed, caps, limits):
            if cap.kind == "pool":
                continue  # pools get it as committed money (kompalloc.ledger)
            net[cap.key] = net.get(cap.key, 0) + line.net
            lines.setdefault(cap.key, []).append(line)
    return [Charged(caps[key], net[key], tuple(lines[key])) for key in net]


def committed_money(bundle: Bundle, tree: PoolTree) -> dict[str, int]:
    """The engine's committed money: each pool's (lump sums and earlier grants, see
    :func:`kompalloc.ledger.committed`), and the earlier grants charged to each other cap,
    by the cap's key."""
    committed = ledger.committed(bundle, tree)
    for found in charged(bundle, tree):
        if found.net:
            committed[found.cap.key] = found.net
    return committed
