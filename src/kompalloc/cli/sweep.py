"""``kompalloc sweep``: how a round's grants move as one pool's cap varies."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

from kompalloc.cli.output import (
    AsOfOption,
    ExportOption,
    FormatOption,
    MethodOption,
    MoneyOption,
    OutputOption,
    ScenarioOption,
    SetOption,
)
from kompalloc.cli.params import Paths

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kompalloc.model import Bundle
    from kompalloc.scenarios.sweep import Sweep

BAR_WIDTH = 44
"""Characters of the longest bar in the chart."""
_SEPARATOR = re.compile(r";|(?<=[^\d\s]),|(?<=[^\d\s])\s+,")
"""Between --values: ';', or ',' after a unit ('18 MNOK,20 MNOK'); a ',' after a digit is a
decimal comma ('17,5 MNOK')."""


def command(
    paths: Paths = None,
    pool: Annotated[
        str,
        typer.Option("--pool", help="The pool whose cap varies (a root pool or a sub-pool)."),
    ] = "",
    low: Annotated[
        str | None,
        typer.Option("--from", metavar="AMOUNT", help="The lowest cap, e.g. '18 MNOK'."),
    ] = None,
    high: Annotated[
        str | None,
        typer.Option("--to", metavar="AMOUNT", help="The highest cap (always included)."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option("--step", metavar="AMOUNT", help="The step between caps, e.g. '1 MNOK'."),
    ] = None,
    values: Annotated[
        str | None,
        typer.Option(
            "--values",
            metavar="AMOUNTS",
            help="Instead of --from/--to/--step: the caps, e.g. '18 MNOK,20 MNOK,22 MNOK' "
            "(or separated by ';').",
        ),
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    export: ExportOption = None,
    money: MoneyOption = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    scenario: ScenarioOption = None,
    set_: SetOption = None,
) -> None:
    """Vary one pool's cap and see where more money stops helping.

    How the round's total granted, the applications funded and the funding line move: a table
    and a chart.

    The files are loaded and validated once (and at the lowest and highest cap); each step
    re-runs only the allocation of the pool's round.

    Example: kompalloc sweep schemes examples/kongsberg-2021 --pool kompetanseloft-kongsberg-2021 --from 8MNOK --to 15MNOK --step 1MNOK
    """
    from kompalloc.cli.common import EXIT_USAGE, check_output_path, fail
    from kompalloc.cli.output import emit, parse_as_of, parse_methods, resolve_display
    from kompalloc.cli.stamp import stamp, stamp_line
    from kompalloc.cli.whatif import check_export, load_what_if
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.reporting.formats import Format
    from kompalloc.reporting.tables import round_label
    from kompalloc.scenarios.sweep import sweep, sweep_table

    if not pool:
        fail("sweep needs --pool POOL: the pool whose cap varies", EXIT_USAGE)
    caps = _caps(low, high, step, values)
    fmt, money = resolve_display(format, money)
    bundle = load_what_if(paths, scenario, set_)
    bundle, day, left_out = parse_as_of(as_of, bundle)
    if pool not in bundle.pools:
        hint = did_you_mean(pool, bundle.pools) or "see 'kompalloc list pools' for the ids"
        fail(f"--pool: no pool {pool!r}: {hint}", EXIT_USAGE)
    check_output_path(output, bundle)
    check_export(export, bundle)
    methods = parse_methods(method, bundle)
    _check_extremes(bundle, pool, min(caps), max(caps))
    result = sweep(bundle, pool, caps, methods)
    label = round_label(bundle, result.round)
    notes = result.findings(label)
    document = {
        **stamp(bundle, day, left_out, tuple(f"--set {v}" for v in set_ or ())),
        "sweep": {"pool": pool, "round": result.round, "caps_ore": [s.cap for s in result.steps]},
    }
    chart = [_chart(result, bundle, money)] if fmt is Format.TABLE or export else []
    emit(
        [sweep_table(result)],
        fmt,
        output,
        document=document,
        extra=chart,
        notes=notes,
        footer=stamp_line(bundle, day, left_out, tuple(f"--set {v}" for v in set_ or ())),
        money=money,
        export=export,
    )


def _amount(option: str, text: str) -> int:
    from kompalloc.cli.common import EXIT_USAGE, fail
    from kompalloc.money import MoneyError, parse_money

    value = parse_money(text.strip())
    if isinstance(value, MoneyError):
        hint = f" ({value.hint})" if value.hint else ""
        fail(f"{option}: {value.message}{hint}", EXIT_USAGE)
        raise AssertionError  # unreachable: fail exits
    return value


def _caps(low: str | None, high: str | None, step: str | None, values: str | None) -> list[int]:
    """The caps to try, from --values or from --from/--to/--step; a usage error otherwise."""
    from kompalloc.cli.common import EXIT_USAGE, fail
    from kompalloc.scenarios.sweep import MAX_STEPS, caps_between

    if values is not None:
        if low or high or step:
            fail("give either --values or --from/--to/--step, not both", EXIT_USAGE)
        parts = [p for p in _SEPARATOR.split(values) if p.strip()]
        if not parts:
            fail("--values: no amounts given", EXIT_USAGE)
        if len(parts) > MAX_STEPS:
            fail(f"--values: {len(parts)} amounts; at most {MAX_STEPS}", EXIT_USAGE)
        return [_amount("--values", p) for p in parts]
    if low is None or high is None or step is None:
        fail("give --from, --to and --step (or --values)", EXIT_USAGE)
        raise AssertionError  # unreachable
    try:
        return caps_between(_amount("--from", low), _amount("--to", high), _amount("--step", step))
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
        raise


def _check_extremes(bundle: Bundle, pool: str, low: int, high: int) -> None:
    """Validate the data at the lowest and the highest cap: the rules that depend on a cap
    only get stricter as it falls, so if both ends are valid, every cap between is."""
    from dataclasses import replace

    from kompalloc.cli.common import EXIT_USAGE, fail
    from kompalloc.diagnostics import Severity
    from kompalloc.money import format_kr
    from kompalloc.validation import validate

    for cap in dict.fromkeys((low, high)):
        changed = replace(
            bundle, pools={**bundle.pools, pool: replace(bundle.pools[pool], cap=cap)}
        )
        errors = [d for d in validate(changed) if d.severity is Severity.ERROR]
        if errors:
            problems = "; ".join(f"{d.message} ({d.code.value})" for d in errors[:3])
            fail(f"a cap of {format_kr(cap)} for {pool} is refused: {problems}", EXIT_USAGE)


def _chart(result: Sweep, bundle: Bundle, money: str) -> RenderableType:
    """One bar per cap: what the round grants, then what is left in the pool."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from kompalloc.reporting.render import text_cell
    from kompalloc.reporting.tables import Column, Kind

    amount = Column("amount", "", Kind.MONEY)
    longest = max((s.granted + max(s.remaining, 0) for s in result.steps), default=0) or 1
    plateau = result.plateau()
    falls = {id(b) for _, b in result.falls()}
    grid = RichTable.grid(padding=(0, 1))
    grid.title = f"Granted in the round as the cap of {result.pool} varies"
    grid.title_justify = "left"
    grid.title_style = "bold"
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    for i, s in enumerate(result.steps):
        used = s.granted * BAR_WIDTH // longest
        left = max(s.remaining, 0) * BAR_WIDTH // longest
        bar = Text("█" * used, style="green")
        bar.append("░" * left, style="dim")
        bar.append(" " * (BAR_WIDTH - used - left))
        mark = ""
        if plateau is not None and i == plateau and plateau > 0:
            mark = "◀ more money stops helping"
        elif id(s) in falls:
            mark = "◀ less than the step before"
        grid.add_row(
            text_cell(s.cap, amount, unit=False, money=money),
            bar,
            text_cell(s.granted, amount, unit=False, money=money),
            Text(mark, style="bold yellow" if mark else ""),
        )
    grid.caption = (
        "Cap, then █ granted in the round and ░ left in the pool, and the amount granted."
    )
    grid.caption_justify = "left"
    grid.caption_style = "dim"
    return grid
