"""How ``kompalloc compare`` shows a comparison: neutral tables, summary sentences, Rich blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kompalloc.money import format_kr
from kompalloc.reporting import labels
from kompalloc.reporting.labels import Lang
from kompalloc.reporting.tables import Cell, Column, Kind, Table
from kompalloc.scenarios.compare import (
    Block,
    Comparison,
    Metric,
    Row,
    Summary,
    change,
    visible_rows,
)

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

BASE_NAME = "base"
"""The name of the run of the files as loaded."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _kind(metric: Metric) -> Kind:
    return Kind.MONEY if metric.money else Kind.COUNT


def _signed(amount: int) -> str:
    if amount == 0:
        return "±0 kr"
    return ("+" if amount > 0 else "-") + format_kr(abs(amount))


def summary_line(summary: Summary) -> str:
    """What one run changes against the baseline, as one sentence for people."""
    head = f"{summary.name} vs {summary.baseline}: "
    if not summary.changed:
        return head + "nothing changes."
    delta = summary.granted - summary.granted_before
    parts = [
        f"granted {_signed(delta)} ({format_kr(summary.granted_before)} -> "
        f"{format_kr(summary.granted)})"
    ]
    gains = (
        f"{summary.gainers} gain {format_kr(summary.gained)}" if summary.gainers else "none gains"
    )
    losses = f"{summary.losers} lose {format_kr(summary.lost)}" if summary.losers else "none loses"
    parts.append(f"{gains}, {losses}")
    parts.append("newly funded: " + (", ".join(summary.newly_funded) or "none"))
    parts.append("dropped: " + (", ".join(summary.dropped) or "none"))
    if summary.added:
        parts.append("added: " + ", ".join(summary.added))
    if summary.removed:
        parts.append("removed: " + ", ".join(summary.removed))
    parts += [
        f"cap of {name} {format_kr(before)} -> {format_kr(after)}"
        for name, before, after in summary.caps
    ]
    return head + "; ".join(parts) + "."


def summary_lines(result: Comparison) -> list[str]:
    """One sentence per scenario (the notes of the machine and tabulate formats)."""
    return [summary_line(s) for s in result.summaries]


def shown_blocks(result: Comparison, *, short: bool) -> list[Block]:
    """The blocks compare shows: none with ``short``, else applications, pools and clusters."""
    return [] if short else [result.applications, result.pools, result.clusters]


def comparison_tables(result: Comparison, blocks: Sequence[Block], *, full: bool) -> list[Table]:
    """The summary table, the plan (every change, one row each), then each block's table (only
    changed rows unless ``full``)."""
    names = [r.name for r in result.runs]
    tables = [summary_table(result.summaries), plan_table(plan(result))]
    tables += [block_table(b, names, 0, visible_rows(b, 0, full=full)) for b in blocks]
    return tables


def block_table(
    block: Block,
    names: Sequence[str],
    baseline: int,
    rows: Sequence[Row],
    lang: Lang = Lang.EN,
) -> Table:
    """A block as a neutral table: per run its metrics, and the change where the metric has one.

    Column keys are ``<run>_<metric>`` (and ``<run>_change``, ``<run>_status``), e.g.
    ``ifs-plus-5-mnok_granted``; machine formats add ``_ore`` to amounts as everywhere.
    """
    columns: list[Column] = []
    if block.key != "applications":
        columns.append(Column(f"{block.key[:-1]}_id", f"{block.label} id", people=False))
    key = "application" if block.key == "applications" else block.key[:-1]
    columns.append(Column(key, block.label, wrap=block.key != "applications"))
    for c, name in enumerate(names):
        for metric in block.metrics:
            columns.append(
                Column(
                    f"{name}_{metric.key}",
                    f"{name} {labels.word(metric.title, lang).lower()}",
                    _kind(metric),
                    people=metric.people,
                )
            )
            if metric.change and c != baseline:
                columns.append(Column(f"{name}_change", f"{name} +/-", _kind(metric), signed=True))
        if block.key == "applications":
            columns.append(Column(f"{name}_status", f"{name} status", people=False, vocab="status"))
    out: list[tuple[Cell, ...]] = []
    for row in rows:
        cells: list[Cell] = [row.label] if block.key == "applications" else [row.key, row.label]
        for c in range(len(names)):
            values = row.values[c]
            for m, metric in enumerate(block.metrics):
                cells.append(None if values is None else values[m])
                if metric.change and c != baseline:
                    cells.append(change(row, c, baseline, m))
            if block.key == "applications":
                cells.append(row.statuses[c] if row.statuses else None)
        out.append(tuple(cells))
    return Table(block.key, block.title, tuple(columns), tuple(out))


def summary_table(summaries: Sequence[Summary]) -> Table:
    """One row per scenario: the money before and after, what moved, who is newly funded or dropped."""
    columns = (
        Column("scenario", "Scenario"),
        Column("baseline", "Baseline"),
        Column("granted_before", "Granted before", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("change", "Change", Kind.MONEY, signed=True),
        Column("gained", "Gained", Kind.MONEY),
        Column("gainers", "Gainers", Kind.COUNT),
        Column("lost", "Lost", Kind.MONEY),
        Column("losers", "Losers", Kind.COUNT),
        Column("newly_funded", "Newly funded", wrap=True),
        Column("dropped", "Dropped", wrap=True),
        Column("changed", "Changed"),
    )
    rows = tuple(
        (
            s.name,
            s.baseline,
            s.granted_before,
            s.granted,
            s.granted - s.granted_before,
            s.gained,
            s.gainers,
            s.lost,
            s.losers,
            " ".join(s.newly_funded),
            " ".join(s.dropped),
            "yes" if s.changed else "no",
        )
        for s in summaries
    )
    return Table("summary", "Summary", columns, rows)


def _letter(column: int) -> str:
    """How people's tables head a run: 'Baseline', then A, B, C, ..."""
    if column == 0:
        return "Baseline"
    n = column - 1
    return LETTERS[n % 26] + (str(n // 26) if n >= 26 else "")


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the plan: what a scenario changes for one application, cluster or pool."""

    scenario: str
    kind: str
    """``application``, ``cluster`` or ``pool``."""
    group: str
    """The round an application is decided in (its root pool's name); empty for the others."""
    key: str
    """The id (of the application, cluster or pool)."""
    name: str
    """Who it is for people: an application's institution and cluster, a cluster's or pool's name."""
    before: str | None
    """The status in the baseline (applications), '' for clusters and pools; None: absent."""
    after: str | None
    granted_before: int
    granted: int
    cap_before: int | None = None
    cap: int | None = None

    @property
    def mark(self) -> str:
        """'+' for what only the scenario has, '-' for what it removes, '~' for a change."""
        return "+" if self.before is None else "-" if self.after is None else "~"

    @property
    def delta(self) -> int:
        """The change of the money granted (øre)."""
        return self.granted - self.granted_before


def _app_where(result: Comparison, app_id: str) -> tuple[str, str]:
    """An application's round, and its institution and cluster for people."""
    from kompalloc.reporting.tables import round_label

    for run in result.runs:
        grant = run.allocation.by_application.get(app_id)
        app = run.bundle.applications.get(app_id)
        if grant is None or app is None:
            continue
        root = grant.pools[0] if grant.pools else None
        where = round_label(run.bundle, root) if root and root in run.bundle.pools else app.scheme
        institution = run.bundle.institutions.get(app.institution)
        name = institution.label if institution else app.institution
        cluster = run.bundle.clusters.get(app.cluster) if app.cluster else None
        if cluster is not None:
            name += f" ({cluster.name})"
        return where, name
    return "", ""


def plan(result: Comparison) -> list[Change]:
    """Every change of every scenario against the baseline: per application (in the order of
    the rounds), then per cluster, then per pool."""
    out: list[Change] = []
    for c in range(1, len(result.runs)):
        scenario = result.runs[c].name
        apps = []
        for row in result.applications.rows:
            if not row.changed(c, 0):
                continue
            group, name = _app_where(result, row.key)
            first, then = row.values[0], row.values[c]
            statuses = row.statuses or [None] * len(row.values)
            apps.append(
                Change(
                    scenario,
                    "application",
                    group,
                    row.key,
                    name,
                    statuses[0] if first is not None else None,
                    statuses[c] if then is not None else None,
                    first[0] if first else 0,
                    then[0] if then else 0,
                )
            )
        rounds = list(dict.fromkeys(a.group for a in apps))
        out += sorted(apps, key=lambda a: rounds.index(a.group))
        for row in result.clusters.rows:
            if row.changed(c, 0):
                first, then = row.values[0], row.values[c]
                out.append(
                    Change(
                        scenario,
                        "cluster",
                        "",
                        row.key,
                        row.label,
                        "" if first is not None else None,
                        "" if then is not None else None,
                        first[0] if first else 0,
                        then[0] if then else 0,
                    )
                )
        for row in result.pools.rows:
            if row.changed(c, 0):
                first, then = row.values[0], row.values[c]
                out.append(
                    Change(
                        scenario,
                        "pool",
                        "",
                        row.key,
                        row.label.lstrip(" └"),
                        "" if first is not None else None,
                        "" if then is not None else None,
                        first[1] if first else 0,
                        then[1] if then else 0,
                        first[0] if first else None,
                        then[0] if then else None,
                    )
                )
    return out


def signed_kr(amount: int) -> str:
    """A change as every format writes it for people: '+1 900 000 kr', '-50 000 kr', '±0 kr'."""
    return _signed(amount)


def _state(status: str | None, amount: int, lang: Lang) -> str:
    """An application's state for the plan: 'not funded', 'partial 1 850 000 kr'."""
    if status is None:
        return labels.word("absent", lang) if lang is Lang.EN else "finnes ikke"
    shown = labels.status(status, lang)
    return f"{shown} {format_kr(amount)}" if amount else shown


def plan_line(change: Change, lang: Lang = Lang.EN) -> str:
    """One change as a line of the plan, without the mark:
    'IFS-07 Fagskolen i Hordaland (Stord/Sunnhordland): not funded -> funded +1 900 000 kr'."""
    if change.kind == "application":
        head = f"{change.key} {change.name}".rstrip()
        # The amount after is said only when there was one before: else the change says it.
        what = f"{_state(change.before, change.granted_before, lang)} -> "
        what += _state(change.after, change.granted if change.granted_before else 0, lang)
    else:
        head = labels.word(change.name, lang) if change.name == "(no cluster)" else change.name
        what = f"{format_kr(change.granted_before)} -> {format_kr(change.granted)}"
        if change.kind == "pool" and change.cap_before != change.cap:
            cap = labels.word("Cap", lang).lower()
            before = "–" if change.cap_before is None else format_kr(change.cap_before)
            after = "–" if change.cap is None else format_kr(change.cap)
            what += f" ({cap} {before} -> {after})"
    return f"{head}: {what} {_signed(change.delta)}"


def plan_table(changes: Sequence[Change]) -> Table:
    """The plan as a neutral table, one row per change (machine formats and tabulate text)."""
    columns = (
        Column("scenario", "Scenario"),
        Column("mark", "", people=True),
        Column("kind", "Kind"),
        Column("round", "Round", wrap=True),
        Column("id", "ID"),
        Column("name", "Name", wrap=True),
        Column("status_before", "Before", vocab="status"),
        Column("status", "After", vocab="status"),
        Column("granted_before", "Granted before", Kind.MONEY),
        Column("granted", "Granted", Kind.MONEY),
        Column("change", "Change", Kind.MONEY, signed=True),
    )
    rows = tuple(
        (
            c.scenario,
            c.mark,
            c.kind,
            c.group,
            c.key,
            c.name,
            c.before or "",
            c.after or "",
            c.granted_before,
            c.granted,
            c.delta,
        )
        for c in changes
    )
    return Table("plan", "Changes", columns, rows)


class Fitted:
    """A neutral table for people, laid out for the console it is printed on (nothing cropped)."""

    def __init__(self, table: Table, money: str, lang: Lang) -> None:
        self.table, self.money, self.lang = table, money, lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        from kompalloc.reporting.render import rich_tables

        for item in rich_tables(self.table, self.money, options.max_width, self.lang):
            yield item
            yield Text("")


def comparison_renderables(
    result: Comparison,
    blocks: Sequence[Block],
    money: str,
    *,
    full: bool,
    lang: Lang = Lang.EN,
) -> list[RenderableType]:
    """The legend, the summary lines, the plan of each scenario, and each block's table, laid
    out for the console they are printed on."""
    from rich.text import Text

    from kompalloc.reporting.render import Wrapped

    out: list[RenderableType] = []
    if blocks:
        for c, run in enumerate(result.runs):
            about = run.description or ("the files as loaded" if run.name == BASE_NAME else "")
            text = run.name + (f": {about}" if about else "")
            out.append(Wrapped([(f"{_letter(c)} = ", "bold"), (text, "")]))
        unit = "kroner" if money == "kr" else "MNOK"
        out.append(Text(f"Amounts in {unit}; – marks what a run does not have."))
        out.append(Text(""))
    for summary in result.summaries:
        line = summary_line(summary)
        name = summary.name
        style = "dim" if not summary.changed else ""
        out.append(Wrapped([(name, "bold " + style), (line[len(name) :], style)]))
    out.append(Text(""))
    if not blocks:
        return out
    changes = plan(result)
    for summary in result.summaries:
        mine = [c for c in changes if c.scenario == summary.name]
        if not mine:
            continue
        out.append(Text(f"{summary.name} vs {summary.baseline}:", style="bold"))
        heading = None
        for change_ in mine:
            group = change_.group if change_.kind == "application" else change_.kind
            if group != heading:
                heading = group
                words = {"cluster": "Per cluster", "pool": "Per pool"}
                head = labels.word(words[group], lang) if group in words else group
                out.append(Text("  " + head, style="bold"))
            line = plan_line(change_, lang)
            amount = _signed(change_.delta)
            colour = "bold green" if change_.delta > 0 else "bold red" if change_.delta < 0 else ""
            mark_style = {"+": "green", "-": "red", "~": "yellow"}[change_.mark]
            out.append(
                Wrapped(
                    [
                        ("    ", ""),
                        (change_.mark, mark_style),
                        (" " + line[: -len(amount)], ""),
                        (amount, colour),
                    ],
                    indent="      ",
                )
            )
        out.append(Text(""))
    names = [labels.word(_letter(c), lang) for c in range(len(result.runs))]
    for block in blocks:
        rows = visible_rows(block, 0, full=full)
        if not rows:
            out.append(Text(f"{block.title}: no change.", style="dim"))
            out.append(Text(""))
            continue
        out.append(Fitted(block_table(block, names, 0, rows, lang), money, lang))
    return out


def plan_records(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The plan for JSON: one record per change, amounts in øre."""
    return [
        {
            "scenario": c.scenario,
            "mark": c.mark,
            "kind": c.kind,
            "round": c.group or None,
            "id": c.key,
            "name": c.name,
            "status_before": c.before or None,
            "status": c.after or None,
            "granted_before_ore": c.granted_before,
            "granted_ore": c.granted,
            "change_ore": c.delta,
        }
        for c in changes
    ]
