"""Shared caps: what an application is charged to, each cap made once and shared by all.

A cap is a pool (its cap less committed money), an institution's cap in a pool, a share of a
pool per cluster, institution or institution type, or a cross-pool limit; the engine adds
earmarks and apportioned shares. Every application is charged to every cap it falls under.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kompalloc.model import Application, Bundle, Limit, Pool
from kompalloc.money import format_share
from kompalloc.pooltree import PoolTree

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


def group_of(grouping: str, app: Application, institution_type: str | None) -> str | None:
    if grouping == "cluster":
        return app.cluster
    if grouping == "institution":
        return app.institution or None  # an earlier grant need not name one
    return institution_type


def shared(caps: dict[str, Cap], cap: Cap) -> Cap:
    """The shared cap with this key: the first one made wins, so rooms carry over."""
    return caps.setdefault(cap.key, cap)


def limit_applies(limit: Limit, app: Application, chain: Sequence[Pool], kind: str | None) -> bool:
    return (
        (limit.year is None or limit.year == app.year)
        and (limit.schemes is None or app.scheme in limit.schemes)
        and (limit.pools is None or any(p.id in limit.pools for p in chain))
        and (limit.clusters is None or app.cluster in limit.clusters)
        and (limit.institutions is None or app.institution in limit.institutions)
        and (limit.institution_types is None or kind in limit.institution_types)
    )


_SORTED: dict[int, tuple[Mapping[str, Limit], tuple[Limit, ...]]] = {}
_INDEXES: dict[int, tuple[tuple[Limit, ...], LimitIndex]] = {}
_KEPT = 8
"""How many bundles' limits (and indexes) are kept, by identity: a run has one or a few."""


def sorted_limits(bundle: Bundle) -> tuple[Limit, ...]:
    """The bundle's limits by id: the same tuple for the same mapping, so its index is reused."""
    if not bundle.limits:
        return ()
    found = _SORTED.get(id(bundle.limits))
    if found is not None and found[0] is bundle.limits:
        return found[1]
    limits = tuple(sorted(bundle.limits.values(), key=lambda lim: lim.id))
    if len(_SORTED) >= _KEPT:
        _SORTED.clear()
    _SORTED[id(bundle.limits)] = (bundle.limits, limits)
    return limits


@dataclass(slots=True)
class LimitIndex:
    """Limits filed by one thing each selects, so an application is checked only against the
    limits that could select it (not every limit): each limit is filed under the values of the
    first of pools, schemes, institutions, clusters, institution types and year that it names,
    or under ``everywhere`` when it names none."""

    everywhere: list[int] = field(default_factory=list)
    by: dict[tuple[str, object], list[int]] = field(default_factory=dict)
    """Positions in the limits tuple, by (what, value)."""

    def candidates(self, app: Application, chain: Sequence[Pool], kind: str | None) -> list[int]:
        """Positions of the limits that may apply, in the limits' order (each once)."""
        by = self.by
        found = list(self.everywhere)
        for what, value in (
            ("scheme", app.scheme),
            ("institution", app.institution),
            ("cluster", app.cluster),
            ("institution_type", kind),
            ("year", app.year),
        ):
            found += by.get((what, value), ())
        for pool in chain:
            found += by.get(("pool", pool.id), ())
        return sorted(set(found)) if len(found) > 1 else found


def index_limits(limits: tuple[Limit, ...]) -> LimitIndex:
    """The index of a limits tuple, made once per tuple (kept by identity)."""
    found = _INDEXES.get(id(limits))
    if found is not None and found[0] is limits:
        return found[1]
    index = LimitIndex()
    for position, limit in enumerate(limits):
        for what, values in (
            ("pool", limit.pools),
            ("scheme", limit.schemes),
            ("institution", limit.institutions),
            ("cluster", limit.clusters),
            ("institution_type", limit.institution_types),
            ("year", None if limit.year is None else (limit.year,)),
        ):
            if values is not None:
                for value in dict.fromkeys(values):
                    index.by.setdefault((what, value), []).append(position)
                break
        else:
            index.everywhere.append(position)
    if len(_INDEXES) >= _KEPT:
        _INDEXES.clear()
    _INDEXES[id(limits)] = (limits, index)
    return index


def claim_caps(
    bundle: Bundle,
    app: Application,
    chain: list[Pool],
    kind: str | None,
    committed: dict[str, int],
    caps: dict[str, Cap],
    limits: tuple[Limit, ...],
) -> list[Cap]:
    """Every shared cap the application is charged to, made where it is the first.

    A cap other than a pool starts with its room less the earlier grants charged to it, which
    ``committed`` holds under the cap's key (see :mod:`kompalloc.allocation.earlier`)."""
    mine: list[Cap] = []
    for depth, pool in enumerate(chain):
        where = "pool" if depth == 0 else "sub-pool"
        key = f"pool:{pool.id}"
        cap = caps.get(key)
        if cap is None:
            room = pool.cap - committed[pool.id]
            cap = caps[key] = Cap(key, "pool", f"{where} exhausted", f"{where} {pool.label}", room)
        mine.append(cap)
        if pool.institution_cap is not None and app.institution:
            key = f"institution_cap:{pool.id}:{app.institution}"
            cap = caps.get(key)
            if cap is None:
                label = f"the institution cap of {where} {pool.label}"
                room = pool.institution_cap - committed.get(key, 0)
                cap = caps[key] = Cap(key, "institution_cap", "institution cap", label, room)
            mine.append(cap)
        for grouping, share in (
            ("cluster", pool.max_share_per_cluster),
            ("institution", pool.max_share_per_institution),
            ("institution_type", pool.max_share_per_institution_type),
        ):
            group = group_of(grouping, app, kind)
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
                room = int(pool.cap * share) - committed.get(key, 0)
                cap = caps[key] = Cap(key, "share", f"{words} share", label, room)
            mine.append(cap)
    for position in index_limits(limits).candidates(app, chain, kind) if limits else ():
        limit = limits[position]
        if not limit_applies(limit, app, chain, kind):
            continue
        group = group_of(limit.per, app, kind) if limit.per else None
        if limit.per and group is None:
            continue
        key = f"limit:{limit.id}" + (f":{group}" if group else "")
        label = f"limit {limit.name or limit.id}" + (f" for {group}" if group else "")
        cap = caps.get(key)
        if cap is None:
            room = limit.cap - committed.get(key, 0)
            cap = caps[key] = Cap(key, "limit", f"limit {limit.id}", label, room)
        mine.append(cap)
    return mine
