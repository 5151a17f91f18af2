"""The workbook as a secretariat prints and pivots it: ids, plain indented names, page setup,
and every cell's value against a golden file (values, not bytes: a zip's bytes vary)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc.reporting.tables import APPLICATION_FIELDS
from kompalloc.reporting.xlsx import HEADER_ROW, money_value


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from openpyxl import load_workbook

    out = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    result = invoke(
        CliRunner(),
        "report",
        str(ROOT / "schemes"),
        str(ROOT / "examples" / "national-2021"),
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    return load_workbook(io.BytesIO(out.read_bytes()))


def test_every_cell_matches_the_golden(workbook: Any) -> None:
    lines = []
    for ws in workbook.worksheets:
        lines.append(f"== {ws.title}")
        for row in ws.iter_rows():
            values = [c.value for c in row]
            while values and values[-1] is None:
                values.pop()
            text = "\t".join("" if v is None else repr(v) for v in values)
            lines.append(text.replace(str(ROOT), "ROOT"))  # where the checkout is varies
    check_golden("report-national.xlsx.txt", "\n".join(lines) + "\n")


def test_pools_have_ids_and_names_indented_not_drawn(workbook: Any) -> None:
    ws = workbook["pools"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert {"Pool ID", "Parent ID", "Level"} <= set(header)
    names = [ws.cell(row=r, column=1) for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert not any("└" in str(c.value) for c in names)
    share = next(c for c in names if c.value == "Kongsberg-andel")
    assert share.alignment.indent == 1 and share.alignment.horizontal == "left"
    assert workbook["clusters"][HEADER_ROW][-1].value == "Cluster ID"
    assert workbook["rounds"][HEADER_ROW][-1].value == "Round ID"


def test_the_applications_sheet_is_flat_with_every_field(workbook: Any) -> None:
    ws = workbook["applications"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert [c.title for c in APPLICATION_FIELDS] == header[-len(APPLICATION_FIELDS) :]
    table = ws.tables["applications"]
    assert table.ref == f"A{HEADER_ROW}:{ws.cell(row=1, column=len(header)).column_letter}38"
    ids = [ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, 39)]
    assert len(ids) == len(set(ids)) == 36  # one row per application


@pytest.mark.parametrize("sheet", ["pools", "clusters", "applications", "rounds", "about"])
def test_each_sheet_prints_landscape_one_page_wide(workbook: Any, sheet: str) -> None:
    ws = workbook[sheet]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    if sheet != "about":
        assert ws.print_title_rows == f"$1:${HEADER_ROW}"
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    # the print area ends with the columns people read (ids and details stay on the sheet)
    assert ws.print_area


def test_amounts_a_number_could_not_hold_are_exact_text() -> None:
    assert str(money_value(999_999_999_999_999)) == "9999999999999.99"  # 15 digits: a number
    assert money_value(1_000_000_000_000_001) == "10000000000000,01"
    assert money_value(-1_000_000_000_000_001) == "-10000000000000,01"
    assert money_value(10**20) == 10**18  # whole kroner: trailing zeros are not digits lost


def test_the_workbook_path_is_not_in_the_checkout(tmp_path: Path) -> None:
    assert not (ROOT / "report.xlsx").exists()
