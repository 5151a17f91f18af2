"""The table format to a file or a pipe (people_text): the text Rich prints, for tables of many
rows with repeated, wrapped and sectioned cells, and the garbage collector left as it was."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, ConsoleOptions, RenderResult

from conftest import ROOT, rich_printed
from kompalloc.allocation import allocate
from kompalloc.loading import load
from kompalloc.reporting.output import people_text, people_view, plain_text
from kompalloc.reporting.render import section_totals
from kompalloc.reporting.tables import (
    Column,
    Kind,
    Table,
    applications_table,
    funding_notes,
    rounds_table,
)

# Few distinct texts, so that cells repeat; some long enough to wrap in a narrow column, some
# with markup, wide or odd characters that Rich renders itself.
WORDS = st.sampled_from(
    [
        "Oslo",
        "Høgskolen i Østfold",
        "Sør-Trøndelag fylkeskommune",
        "max grant; no room left in pool bench-2021",
        "full request",
        "Cluster sunnhordland",
        "[bold]x[/]",
        "宽字符",
        " lead",
        "",
        "A000001",
    ]
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    kinds = draw(st.lists(st.sampled_from([Kind.TEXT, Kind.MONEY, Kind.COUNT]), min_size=2))
    kinds = [Kind.TEXT, *kinds[:5]]  # the first is the group: sections by its value
    columns = tuple(
        Column(f"c{i}", draw(WORDS) or f"C{i}", kind, wrap=draw(st.booleans()))
        for i, kind in enumerate(kinds)
    )

    def cell(kind: Kind) -> str | int | None:
        if kind is Kind.TEXT:
            return draw(st.none() | WORDS)
        return draw(st.none() | st.integers(0, 10**11))

    groups = draw(st.lists(st.sampled_from(["r1", "r2", "r3"]), min_size=1, max_size=80))
    rows = tuple((g, *(cell(k) for k in kinds[1:])) for g in sorted(groups))
    totals = draw(st.none() | st.just(tuple(cell(k) for k in kinds)))
    return Table("t", draw(WORDS), columns, rows, totals, group=draw(st.none() | st.just("c0")))


@settings(max_examples=120, deadline=None)
@given(tables(), st.integers(30, 160), st.sampled_from(["kr", "mnok"]))
def test_many_rows_are_the_text_rich_prints(table: Table, width: int, money: str) -> None:
    text = people_text([table], money, width, notes=["a note"], footer="stamp")
    shown = people_view([table], money, width, notes=["a note"], footer="stamp")
    assert text == plain_text(shown, width) == rich_printed(shown, width)


@pytest.mark.parametrize("width", [60, 120])
def test_an_allocation_is_the_text_rich_prints(width: int) -> None:
    bundle, _ = load([str(ROOT / "schemes"), str(ROOT / "examples" / "national-2021")])
    allocation = allocate(bundle)
    tables = [applications_table(bundle, allocation), rounds_table(bundle, allocation)]
    notes = funding_notes(bundle, allocation)
    shown = people_view(tables, "kr", width, notes=notes, footer="stamp")
    assert people_text(tables, "kr", width, notes=notes, footer="stamp") == rich_printed(
        shown, width
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        seen: list[bool] = []

        class Probe:
            def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
                seen.append(gc.isenabled())
                yield "probe"

        people_text([], extra=[Probe()])
        assert seen == [False]  # paused while the text is made
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@settings(max_examples=60, deadline=None)
@given(tables(), st.sets(st.integers(0, 5)))
def test_section_totals_of_some_columns_are_those_of_all(table: Table, only: set[int]) -> None:
    every = section_totals(table, table.rows)
    some = section_totals(table, table.rows, sorted(only))
    assert some == tuple(v if i in only else None for i, v in enumerate(every))
