"""The ledger: money decided before this round, and what came back of it, per pool and budget year.

Earlier grants come from two places: the ``grants`` section (older rounds, multi-year frame
grants, written by hand) and the decisions files of ``earlier_rounds`` (this year's spring
round, read by the loader). Each grant, in each budget year it spreads over, counts against
every pool of its chain, exactly as money granted in this round does (and every share and
limit it falls under: :mod:`kompalloc.allocation.earlier`); a withdrawn grant
returns all of it, a repaid one what was repaid. So, in every year and every pool:

    remaining = cap - committed - earlier grants + returned - granted now

The engine takes a pool's committed money from :func:`committed`: the lump sum written on
the pool (and its sub-pools) plus the earlier grants, net of what came back. Pure: no files,
no clock (``--as-of`` trims the bundle before it gets here, see :mod:`kompalloc.asof`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kompalloc.model import Application, Bundle, EarlierRound, LedgerGrant
from kompalloc.pooltree import PoolTree, descendants
from kompalloc.source import Span

GRANTS_SOURCE = "grants"
"""The source of lines from the ``grants`` section (earlier rounds are named by their id)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One earlier grant in one budget year, with what came back of it."""

    source: str
    """The earlier round's id, or GRANTS_SOURCE for the grants section."""
    grant: str
    """The grant's id (an earlier round's grants are named by their application)."""
    label: str
    """What to call it: the application, else the title."""
    scheme: str
    year: int
    pools: tuple[str, ...]
    """The loaded pools it counts against, root first (empty: no pool for its year)."""
    granted: int
    returned: int = 0
    """Øre that came back in this year: all of it when withdrawn, the repayment when repaid."""
    status: str = "granted"
    decided: date = date.min
    returned_on: date | None = None
    span: Span | None = None
    """Where it is written: the grant's id, or the earlier round's id."""
    institution: str | None = None
    cluster: str | None = None
    """Its institution and cluster, where known: they choose the shares and limits it counts
    against besides its pools (see :mod:`kompalloc.allocation.earlier`)."""

    @property
    def net(self) -> int:
        """What still counts against its pools."""
        return self.granted - self.returned

    @property
    def note(self) -> str:
        """How the money came back, e.g. 'KB-04 withdrawn 2021-10-01' (empty when it did not)."""
        if not self.returned or self.returned_on is None:
            return ""
        return f"{self.label} {self.status} {self.returned_on.isoformat()}"


def _chain(bundle: Bundle, tree: PoolTree, grant: LedgerGrant, year: int) -> tuple[str, ...]:
    """The pools a hand-written grant falls under in a year: found as an application's are."""
    probe = Application(
        id=grant.id,
        span=grant.span,
        spans={},
        scheme=grant.scheme,
        year=year,
        institution=grant.institution or "",
        cluster=grant.cluster,
    )
    chain, _ = tree.chain(bundle, probe)
    return tuple(p.id for p in chain)


def grant_lines(bundle: Bundle, tree: PoolTree, grant: LedgerGrant) -> list[Line]:
    """A hand-written grant, one line per budget year."""
    years = sorted(grant.years)
    back_to = grant.returned_year if grant.returned_year is not None else years[-1]
    out = []
    for year in years:
        amount = grant.years[year]
        returned = 0
        if grant.returned_on is not None or grant.status != "granted":
            if grant.status == "withdrawn":
                returned = amount
            elif grant.status == "repaid" and year == back_to:
                returned = grant.returned or 0  # more than the grant: KA806
        out.append(
            Line(
                GRANTS_SOURCE,
                grant.id,
                grant.label,
                grant.scheme,
                year,
                _chain(bundle, tree, grant, year),
                amount,
                returned,
                grant.status,
                grant.decided,
                grant.returned_on if returned else None,
                grant.span,
                grant.institution,
                grant.cluster,
            )
        )
    return out


def round_lines(bundle: Bundle, earlier: EarlierRound) -> list[Line]:
    """An earlier round's grants (those that got money), with its returns."""
    out = []
    for g in earlier.grants:
        if g.granted <= 0:
            continue
        back = earlier.returns.get(g.application)
        returned, status, on = 0, "granted", None
        if back is not None:
            status, on = back.status, back.returned_on
            returned = g.granted if back.status == "withdrawn" else (back.amount or 0)
        pools = tuple(p for p in g.pools if p in bundle.pools)
        if len(pools) != len(g.pools):
            pools = ()  # a pool it drew on is not loaded: reported (KA803), charged nowhere
        out.append(
            Line(
                earlier.id,
                g.application,
                g.application,
                g.scheme,
                g.year,
                pools,
                g.granted,
                returned,
                status,
                earlier.decided,
                on,
                earlier.span,
                g.institution,
                g.cluster,
            )
        )
    return out


def lines(bundle: Bundle, tree: PoolTree) -> list[Line]:
    """Every earlier grant in every budget year: the earlier rounds in id order, then the grants."""
    out: list[Line] = []
    for key in sorted(bundle.earlier_rounds):
        out.extend(round_lines(bundle, bundle.earlier_rounds[key]))
    for key in sorted(bundle.grants):
        out.extend(grant_lines(bundle, tree, bundle.grants[key]))
    return out


@dataclass(frozen=True, slots=True)
class PoolLedger:
    """A pool's earlier money: granted before this round, and what came back, by source."""

    granted: Mapping[str, int]
    """By source (earlier round id, or GRANTS_SOURCE)."""
    returned: int
    notes: tuple[str, ...]
    """How the money came back, one note per grant."""

    @property
    def net(self) -> int:
        """What counts against the pool."""
        return sum(self.granted.values()) - self.returned


def by_pool(found: Iterable[Line]) -> dict[str, PoolLedger]:
    """Each pool's earlier money (a grant counts in every pool of its chain)."""
    granted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    returned: dict[str, int] = defaultdict(int)
    notes: dict[str, list[str]] = defaultdict(list)
    for line in found:
        for pid in line.pools:
            granted[pid][line.source] += line.granted
            returned[pid] += line.returned
            if line.note:
                notes[pid].append(line.note)
    return {
        pid: PoolLedger(dict(sources), returned[pid], tuple(notes[pid]))
        for pid, sources in granted.items()
    }


def earlier_net(bundle: Bundle, tree: PoolTree) -> dict[str, int]:
    """Per pool, the earlier grants net of what came back (pools without any are left out)."""
    if not bundle.grants and not bundle.earlier_rounds:
        return {}
    return {pid: ledger.net for pid, ledger in by_pool(lines(bundle, tree)).items()}


def committed(bundle: Bundle, tree: PoolTree) -> dict[str, int]:
    """Each pool's committed money as the engine charges it: the lump sums written on it and
    its sub-pools, plus the earlier grants that fall under it, net of what came back."""
    earlier = earlier_net(bundle, tree)
    return {
        pid: sum(bundle.pools[d].committed for d in descendants(tree, pid)) + earlier.get(pid, 0)
        for pid in bundle.pools
    }
