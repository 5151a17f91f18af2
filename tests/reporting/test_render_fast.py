"""The fast table renderer prints byte for byte what Rich's table prints (issue #6)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement

from conftest import ROOT
from kompalloc.allocation import allocate
from kompalloc.loading import load
from kompalloc.reporting.render import FastColumn, FastTable, rich_tables
from kompalloc.reporting.tables import report_tables, rounds_table


class _AsciiFile(io.StringIO):
    """A file that says it is ASCII, so Rich substitutes its box characters."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "ascii"


CONSOLES: dict[str, Callable[[int], Console]] = {
    "plain": lambda w: Console(file=io.StringIO(), width=w, color_system=None),
    "cli-pipe": lambda w: Console(
        file=io.StringIO(), width=w, color_system=None, highlight=False, soft_wrap=False
    ),
    "no-markup": lambda w: Console(
        file=io.StringIO(), width=w, color_system=None, markup=False, emoji=False
    ),
    "colour": lambda w: Console(
        file=io.StringIO(), width=w, color_system="truecolor", force_terminal=True
    ),
    "no-color": lambda w: Console(
        file=io.StringIO(), width=w, color_system="256", force_terminal=True, no_color=True
    ),
    "record": lambda w: Console(
        file=io.StringIO(), width=w, color_system="truecolor", force_terminal=True, record=True
    ),
    "ascii": lambda w: Console(file=_AsciiFile(), width=w, color_system=None),
    "legacy-windows": lambda w: Console(
        file=io.StringIO(), width=w, color_system="standard", legacy_windows=True
    ),
}


def _printed(kind: str, width: int, renderables: list[Any], **kw: Any) -> str:
    console = CONSOLES[kind](width)
    for renderable in renderables:
        console.print(renderable, **kw)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    if console.record:
        out += console.export_html()
    return str(out)


def assert_same(kind: str, width: int, fast: list[FastTable], **kw: Any) -> None:
    rich = [t.rich_table() for t in fast]
    assert _printed(kind, width, list(fast), **kw) == _printed(kind, width, list(rich), **kw)
    console = CONSOLES[kind](width)
    if console.color_system is not None or console.record:
        # Where styles can show, the very segments are Rich's.
        for t, r in zip(fast, rich, strict=True):
            assert list(console.render(t)) == list(console.render(r))


PIECES = st.sampled_from(
    [
        "Oslo",
        "Tromsø",
        "Ålesund",
        "Høgskolen i Østfold",
        "Sør-Trøndelag fylkeskommune",
        "1\u00a0234\u00a0567",
        "12\u00a0000\u00a0kr",
        "–",
        "10,5 %",
        "institution cap; no partial",
        "Fagskolen Innlandet avdeling Gjøvik og Lillehammer",
        "Donaudampfschifffahrtsgesellschaftskapitän",
        " ",
        "  ",
        "\u00a0",
        "└ ",
        "[bold]fet[/bold]",
        "[",
        "a]b",
        "\\[x]",
        ":smile:",
        "kl. 10:30:00",
        "漢字",
        "e\u0301",
        "\t",
        "\n",
        "\x07",
        "",
    ]
)
TEXTS = st.lists(
    st.one_of(PIECES, st.text(alphabet="abcxyzæøåÆØÅ -\u00a0.,:;[]", max_size=14)), max_size=5
).map("".join)


@st.composite
def fast_tables(draw: st.DrawFn) -> FastTable:
    count = draw(st.integers(1, 8))
    columns = [
        FastColumn(
            draw(st.one_of(st.sampled_from(["ID", "Asked", "Reason", "Institution"]), TEXTS)),
            draw(TEXTS),
            right=draw(st.booleans()),
            wrap=draw(st.booleans()),
            width=draw(st.one_of(st.none(), st.integers(1, 30))),
        )
        for _ in range(count)
    ]
    rows = draw(st.lists(st.tuples(*[TEXTS] * count), max_size=12))
    return FastTable(
        draw(st.one_of(st.just("Applications: KUI 2021"), TEXTS)),
        draw(st.one_of(st.none(), st.just("Amounts in kroner."), TEXTS)),
        columns,
        rows,
        show_footer=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fast_tables(),
    st.integers(10, 160),
    st.sampled_from(sorted(CONSOLES)),
    st.sampled_from([{}, {"style": "bold"}, {"justify": "center"}, {"crop": False}]),
)
def test_random_tables_print_as_rich_prints_them(
    table: FastTable, width: int, kind: str, kw: dict[str, Any]
) -> None:
    assert_same(kind, width, [table], **kw)


@settings(max_examples=50, deadline=None)
@given(fast_tables(), st.integers(60, 160))
def test_it_measures_as_rich_does(table: FastTable, width: int) -> None:
    console = CONSOLES["plain"](width)
    assert Measurement.get(console, console.options, table) == Measurement.get(
        console, console.options, table.rich_table()
    )


@pytest.fixture(scope="module")
def national() -> Any:
    bundle, _ = load([str(ROOT / "schemes"), str(ROOT / "examples" / "national-2021")])
    allocation = allocate(bundle)
    return [*report_tables(bundle, allocation, all_pools=True), rounds_table(bundle, allocation)]


@pytest.mark.parametrize(
    ("kind", "money", "widths"),
    [
        ("cli-pipe", "kr", (40, 60, 70, 80, 90, 100, 120, 160)),
        ("cli-pipe", "mnok", (60, 80, 100)),
        ("colour", "kr", (80, 120)),
        ("record", "mnok", (100,)),
    ],
)
def test_the_report_tables_print_as_rich_prints_them(
    national: Any, kind: str, money: str, widths: tuple[int, ...]
) -> None:
    for width in widths:
        for table in national:
            assert_same(kind, width, rich_tables(table, money, width))
            assert_same(kind, width, rich_tables(table, money, None))
