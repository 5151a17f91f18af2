"""Tables for people written as text without Rich's printing: the same text as Rich prints."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, rich_printed
from kompalloc.allocation import allocate
from kompalloc.loading import load
from kompalloc.reporting.output import people_view, plain_text
from kompalloc.reporting.tables import (
    Column,
    Kind,
    Table,
    applications_table,
    funding_notes,
    report_tables,
    rounds_table,
)


@pytest.mark.parametrize("example", ["national-2021", "kongsberg-2021", "apportion-2022"])
@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
@pytest.mark.parametrize("money", ["kr", "mnok"])
def test_reports_are_the_text_rich_prints(example: str, width: int, money: str) -> None:
    bundle, _ = load([str(ROOT / "schemes"), str(ROOT / "examples" / example)])
    allocation = allocate(bundle)
    tables = [
        *report_tables(bundle, allocation),
        applications_table(bundle, allocation),
        rounds_table(bundle, allocation),
    ]
    for fit in (None, width):
        shown = people_view(
            tables, money, fit, notes=funding_notes(bundle, allocation), footer="stamp"
        )
        assert plain_text(shown, width) == rich_printed(shown, width)


CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([Kind.TEXT, Kind.MONEY, Kind.COUNT]), min_size=1, max_size=5),
    st.data(),
    st.integers(10, 140),
)
def test_any_table_is_the_text_rich_prints(
    kinds: list[Kind], data: st.DataObject, width: int
) -> None:
    columns = tuple(
        Column(f"c{i}", data.draw(CELL), kind, wrap=data.draw(st.booleans()))
        for i, kind in enumerate(kinds)
    )

    def cell(kind: Kind) -> str | int | None:
        if kind is Kind.TEXT:
            return data.draw(st.none() | CELL)
        return data.draw(st.none() | st.integers(0, 10**12))

    rows = tuple(tuple(cell(k) for k in kinds) for _ in range(data.draw(st.integers(0, 6))))
    totals = data.draw(st.none() | st.just(tuple(cell(k) for k in kinds)))
    table = Table("t", data.draw(CELL), columns, rows, totals)
    shown = people_view([table], "kr", data.draw(st.none() | st.just(width)))
    assert plain_text(shown, width) == rich_printed(shown, width)
