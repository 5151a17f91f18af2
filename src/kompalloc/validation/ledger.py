"""Rules for earlier grants and rounds: references, pools of every year, returns, money within caps.

Each rule is a plain function ``(bundle, tree) -> iterable of diagnostics`` like those in
:mod:`kompalloc.validation.rules`; :func:`after_as_of` needs the run's date and is called by
the pipeline when there is one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from kompalloc import ledger
from kompalloc.allocation import earlier as earlier_caps
from kompalloc.diagnostics import Code, Diagnostic, error
from kompalloc.model import Bundle, EarlierRound, LedgerGrant, Return, Section
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree, descendants
from kompalloc.source import Span
from kompalloc.validation.rules import _reference


def ledger_references(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """An earlier grant's scheme, institution and cluster are loaded; it has a pool every year."""
    partial = [e for _, e in bundle.partial if isinstance(e, LedgerGrant)]
    for grant in [*bundle.grants.values(), *partial]:
        for key, target in (
            ("scheme", Section.SCHEMES),
            ("institution", Section.INSTITUTIONS),
            ("cluster", Section.CLUSTERS),
        ):
            yield from _reference(bundle, grant, Section.GRANTS, key, target, getattr(grant, key))
    for grant in bundle.grants.values():
        if grant.scheme not in bundle.schemes:
            continue  # reported above
        for year in sorted(grant.years):
            if (grant.scheme, year) in tree.roots:
                continue
            years = sorted(y for s, y in tree.roots if s == grant.scheme)
            yield error(
                Code.GRANT_NO_POOL,
                f"earlier grant '{grant.id}' has money in {year}, but scheme '{grant.scheme}' "
                f"has no pool for {year}",
                grant.at("years"),
                f"grants.{grant.id}.years.{year}",
                hint=(
                    f"pools of '{grant.scheme}' exist for {', '.join(map(str, years))}"
                    if years
                    else f"add a pool with 'scheme: {grant.scheme}' and 'year: {year}'"
                ),
            )
    for earlier in bundle.earlier_rounds.values():
        missing = sorted({p for g in earlier.grants for p in g.pools if p not in bundle.pools})
        if missing:
            apps = sorted({g.application for g in earlier.grants if set(g.pools) & set(missing)})
            yield error(
                Code.GRANT_NO_POOL,
                f"earlier round '{earlier.id}' granted money from pools that are not loaded: "
                f"{', '.join(missing)} ({', '.join(apps)})",
                earlier.at("decisions"),
                f"earlier_rounds.{earlier.id}.decisions",
                hint="load the files that define them, as the earlier round did",
            )


def returns(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Withdrawals and repayments agree with their grants: status, amount, dates and year."""
    for grant in bundle.grants.values():
        yield from _grant_return(grant)
    for earlier in bundle.earlier_rounds.values():
        yield from _round_returns(earlier)


def _grant_return(grant: LedgerGrant) -> Iterator[Diagnostic]:
    """An earlier grant's return keys agree with its status, its decision date and its years."""
    where = f"grants.{grant.id}"
    if grant.status == "granted":
        yield from _return_keys_on_granted(grant, where)
        return
    if grant.returned_on is None:
        yield error(
            Code.RETURN_STATUS,
            f"the grant is {grant.status}, but not when: 'returned_on' is missing",
            grant.at("status"),
            f"{where}.status",
            hint="add e.g. 'returned_on: 2021-10-01'",
        )
    elif grant.returned_on < grant.decided:
        yield error(
            Code.LEDGER_DATE_ORDER,
            f"{grant.status} on {grant.returned_on}, before it was decided on {grant.decided}",
            grant.at("returned_on"),
            f"{where}.returned_on",
        )
    if grant.status == "withdrawn" and grant.returned is not None:
        yield error(
            Code.RETURN_STATUS,
            "a withdrawn grant returns all of it: 'returned' is for repayments",
            grant.at("returned"),
            f"{where}.returned",
            hint="remove 'returned', or write 'status: repaid'",
        )
    if grant.status == "repaid":
        yield from _repayment(grant, where)


def _return_keys_on_granted(grant: LedgerGrant, where: str) -> Iterator[Diagnostic]:
    """A grant still granted sets none of the keys that describe a return."""
    for key in ("returned", "returned_on", "returned_year"):
        if getattr(grant, key) is not None:
            yield error(
                Code.RETURN_STATUS,
                f"'{key}' is set, but the grant's status is granted",
                grant.at(key),
                f"{where}.{key}",
                hint="write 'status: withdrawn' or 'status: repaid', or remove it",
            )


def _repayment(grant: LedgerGrant, where: str) -> Iterator[Diagnostic]:
    """A repaid grant says how much, to a year it has money in, and no more than that year's."""
    if grant.returned is None:
        yield error(
            Code.RETURN_STATUS,
            "the grant is repaid, but not how much: 'returned' is missing",
            grant.at("status"),
            f"{where}.status",
            hint="add e.g. 'returned: 400 000 kr'",
        )
        return
    years = sorted(grant.years)
    year = grant.returned_year if grant.returned_year is not None else years[-1]
    if year not in grant.years:
        yield error(
            Code.LEDGER_DATE_ORDER,
            f"the repayment goes back to {year}, and the grant has no money in {year}",
            grant.at("returned_year"),
            f"{where}.returned_year",
            hint=f"the grant has money in {', '.join(map(str, years))}",
        )
    elif grant.returned > grant.years[year]:
        yield error(
            Code.REPAID_OVER_GRANT,
            f"repaid {format_kr(grant.returned)}, more than the {format_kr(grant.years[year])} "
            f"granted for {year}",
            grant.at("returned"),
            f"{where}.returned",
        )


def _round_returns(earlier: EarlierRound) -> Iterator[Diagnostic]:
    """An earlier round's returns name applications it granted money, with dates and amounts
    that agree with the round."""
    granted = {g.application: g.granted for g in earlier.grants if g.granted > 0}
    for app, back in earlier.returns.items():
        span = back.span or earlier.at("returns")
        where = f"earlier_rounds.{earlier.id}.returns.{app}"
        if earlier.grants and app not in granted:
            yield error(
                Code.RETURN_UNKNOWN_GRANT,
                f"earlier round '{earlier.id}' granted no money to '{app}'",
                span,
                where,
                hint="the decisions file lists the applications that got money",
            )
            continue
        if back.returned_on < earlier.decided:
            yield error(
                Code.LEDGER_DATE_ORDER,
                f"{back.status} on {back.returned_on}, before the round was decided on {earlier.decided}",
                span,
                f"{where}.returned_on",
            )
        yield from _round_return_amount(app, back, granted, span, where)


def _round_return_amount(
    app: str, back: Return, granted: Mapping[str, int], span: Span, where: str
) -> Iterator[Diagnostic]:
    """A return in an earlier round: an amount only when repaid, and no more than was granted."""
    if back.status == "withdrawn" and back.amount is not None:
        yield error(
            Code.RETURN_STATUS,
            "a withdrawn grant returns all of it: 'amount' is for repayments",
            span,
            f"{where}.amount",
            hint="remove 'amount', or write 'status: repaid'",
        )
    elif back.status == "repaid" and back.amount is None:
        yield error(
            Code.RETURN_STATUS,
            "repaid, but not how much: 'amount' is missing",
            span,
            where,
            hint="add e.g. 'amount: 400 000 kr'",
        )
    elif back.amount is not None and app in granted and back.amount > granted[app]:
        yield error(
            Code.REPAID_OVER_GRANT,
            f"repaid {format_kr(back.amount)}, more than the {format_kr(granted[app])} "
            f"'{app}' was granted",
            span,
            f"{where}.amount",
        )


def room(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Earlier grants, net of returns and with the committed lump sum, fit every pool's cap,
    and every share, institution cap and limit they fall under."""
    if not bundle.grants and not bundle.earlier_rounds:
        return
    found = ledger.lines(bundle, tree)
    earlier = ledger.by_pool(found)
    first: dict[str, ledger.Line] = {}
    for line in found:
        for pid in line.pools:
            first.setdefault(pid, line)
    for pid in sorted(earlier):
        pool = bundle.pools[pid]
        lump = sum(bundle.pools[d].committed for d in descendants(tree, pid))
        net = earlier[pid].net
        if net <= 0 or lump + net <= pool.cap:
            continue  # the lump sum alone over the cap is KA401's
        line = first[pid]
        with_lump = f" and committed {format_kr(lump)}" if lump else ""
        year = f" ({pool.year})" if pool.year else ""
        yield error(
            Code.GRANTS_OVER_ROOM,
            f"earlier grants of {format_kr(net)}{with_lump} are more than the cap "
            f"{format_kr(pool.cap)} of pool {pool.label}{year}, by {format_kr(lump + net - pool.cap)}",
            line.span or pool.span,
            f"pools.{pid}",
            hint="check the grants and the cap (withdrawn and repaid money is counted back)",
        )
    for over in earlier_caps.charged(bundle, tree):
        cap = over.cap
        if over.net <= cap.room:
            continue
        line = over.lines[0]
        grants = sorted({x.label for x in over.lines if x.net > 0})
        years = sorted({x.year for x in over.lines})
        yield error(
            Code.GRANTS_OVER_ROOM,
            f"earlier grants of {format_kr(over.net)} ({', '.join(grants)}; "
            f"{', '.join(map(str, years))}) are more than {cap.label}, "
            f"{format_kr(cap.room)}, by {format_kr(over.net - cap.room)}",
            line.span or _cap_span(bundle, cap.key),
            _cap_path(cap.key, line),
            hint="earlier grants count against shares and limits as this round's do: check "
            "the grants and the share or limit",
        )


def _cap_path(key: str, line: ledger.Line) -> str:
    """Where the first earlier grant over a cap is written (the cap's key names the cap)."""
    if line.source == ledger.GRANTS_SOURCE:
        return f"grants.{line.grant}"
    return f"earlier_rounds.{line.source}"


def _cap_span(bundle: Bundle, key: str) -> Span:
    """Where the cap is written: its limit, or the pool it is a share or cap of."""
    kind, owner = key.split(":")[:2]
    if kind == "limit" and owner in bundle.limits:
        return bundle.limits[owner].span
    return bundle.pools[owner].span


def after_as_of(bundle: Bundle, day: date) -> list[Diagnostic]:
    """Earlier rounds whose decisions were made as of a date after the run's --as-of."""
    out = []
    for earlier in bundle.earlier_rounds.values():
        if earlier.as_of is not None and earlier.as_of > day:
            out.append(
                error(
                    Code.LEDGER_AFTER_AS_OF,
                    f"earlier round '{earlier.id}' was decided as of {earlier.as_of}, "
                    f"after this run's --as-of {day}",
                    earlier.at("decisions"),
                    f"earlier_rounds.{earlier.id}.decisions",
                    hint="that round saw applications this run leaves out",
                )
            )
    return out


ALL = (ledger_references, returns, room)
"""The ledger's rules, in the order they run (after those of kompalloc.validation.rules)."""
