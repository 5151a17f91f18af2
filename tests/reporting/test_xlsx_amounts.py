"""--format xlsx: every amount survives to the øre, however large (issue 14, item 10)."""

from __future__ import annotations

import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kompalloc.reporting.tables import Column, Kind, Table
from kompalloc.reporting.xlsx import HEADER_ROW, xlsx_bytes


def _read_back(amounts: list[int]) -> list[object]:
    from openpyxl import load_workbook

    table = Table(
        "t", "T", (Column("amount", "Amount", Kind.MONEY),), tuple((a,) for a in amounts)
    )
    workbook = load_workbook(io.BytesIO(xlsx_bytes([table])), read_only=True)
    ws = workbook["t"]
    values = [row[0] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    workbook.close()
    return values


def _ore(value: object) -> int:
    """What a spreadsheet reader gets back, as øre: numbers as doubles, text as written."""
    if isinstance(value, str):
        kroner, _, ore = value.removesuffix(" kr").replace(" ", "").partition(",")
        sign = -1 if kroner.startswith("-") else 1
        return sign * (abs(int(kroner)) * 100 + int(ore or 0))
    assert isinstance(value, int | float)
    return int((Decimal(repr(float(value))) * 100).to_integral_value())


def test_the_issues_amount_survives() -> None:
    ore = 900719925474099301  # 9 007 199 254 740 993,01 kr
    (value,) = _read_back([ore])
    assert _ore(value) == ore
    assert value == "9007199254740993,01"


def test_ordinary_amounts_stay_numbers() -> None:
    values = _read_back([125_000_000, 125_000_050, 999_999_999_999_999])
    assert values == [1_250_000, 1_250_000.5, 9_999_999_999_999.99]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=-(10**20), max_value=10**20), min_size=1, max_size=20))
def test_every_amount_reads_back_to_the_ore(amounts: list[int]) -> None:
    assert [_ore(v) for v in _read_back(amounts)] == amounts
