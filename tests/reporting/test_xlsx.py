"""--format xlsx: real numbers in kroner, read back cell by cell against the JSON report."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app
from kompalloc.reporting.tables import Column, Kind, Table
from kompalloc.reporting.xlsx import HEADER_ROW, KRONER, KRONER_ORE, PERCENT, sheet_name, xlsx_bytes


def load(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def as_decimal(value: object) -> Decimal:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@pytest.mark.parametrize(
    "command",
    [
        ["report", "schemes", "examples/national-2021"],
        ["report", "schemes", "examples/kongsberg-2021", "--all-pools"],
        ["allocate", "schemes", "examples/national-2021"],
    ],
)
def test_the_workbook_matches_the_json_report_cell_by_cell(
    command: list[str], runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.xlsx"
    done = runner.invoke(
        app, [*command, "--format", "xlsx", "--output", str(out)], catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, [*command, "--format", "json"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    workbook = load(out.read_bytes())

    assert workbook.sheetnames == [*document["tables"], "about"]
    money_cells = 0
    for key, table in document["tables"].items():
        ws = workbook[key]
        assert ws["A1"].value == table["title"] and ws["A1"].font.bold
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        header = [c.value for c in ws[HEADER_ROW]]
        assert all(c.font.bold for c in ws[HEADER_ROW])
        records = [*table["rows"], table["totals"]]
        # the rows, an empty row, the totals: pivots and sums over the data count each row once
        assert ws.max_row == HEADER_ROW + len(records) + 1
        assert all(c.value is None for c in ws[HEADER_ROW + len(records)])
        assert ws.print_title_rows == f"$1:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        for offset, record in enumerate(records, start=1):
            cells = ws[HEADER_ROW + offset + (offset == len(records))]
            assert len(cells) == len(record) == len(header)
            for cell, (name, expected) in zip(cells, record.items(), strict=True):
                where = f"{key}!{cell.coordinate} ({name})"
                if name.endswith("_ore") and expected is not None:
                    # money: a number in kroner equal to øre / 100, exactly
                    assert as_decimal(cell.value) == Decimal(expected) / 100, where
                    assert cell.number_format in (KRONER, KRONER_ORE), where
                    if expected % 100:
                        assert cell.number_format == KRONER_ORE, where
                    money_cells += 1
                elif isinstance(expected, float):  # a share, as a fraction
                    assert cell.value == pytest.approx(expected, abs=1e-9), where
                    assert cell.number_format == PERCENT, where
                elif expected in ("", None):
                    assert cell.value is None, where
                elif name in ("study_points", "score"):  # decimal text in JSON, a number here
                    assert as_decimal(cell.value) == Decimal(expected), where
                else:
                    assert cell.value == expected, where
                    assert type(cell.value) is type(expected), where
        totals = ws[HEADER_ROW + len(records) + 1]
        assert totals[0].value == "Total" and all(c.font.bold for c in totals)
    assert money_cells > 50

    # The totals in the workbook reconcile with its own rows.
    if "pools" in document["tables"]:
        ws = workbook["pools"]
        header = [c.value for c in ws[HEADER_ROW]]
        cap, committed, granted, remaining = (
            header.index(t) for t in ("Cap", "Committed", "Granted", "Remaining")
        )
        last = ws.max_row
        for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=last, values_only=True):
            if row[cap] is None:
                continue  # the empty row before the totals
            assert as_decimal(row[cap]) == sum(
                as_decimal(row[i]) for i in (committed, granted, remaining)
            )
    about = {r[0]: r[1] for r in workbook["about"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert about["inputs sha256"] == document["inputs_sha256"]
    assert about["kompalloc version"] == document["kompalloc_version"]


def test_xlsx_needs_an_output_file(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    done = runner.invoke(
        app,
        ["report", "schemes", "examples/kongsberg-2021", "--format", "xlsx"],
        catch_exceptions=False,
    )
    assert done.exit_code == 2
    assert done.stdout == ""
    assert "kompalloc: --format xlsx needs --output FILE.xlsx" in done.output


def test_an_unwritable_output_is_exit_3_and_leaves_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "missing-folder" / "report.xlsx"
    done = runner.invoke(
        app,
        ["report", "schemes", "examples/kongsberg-2021", "--format", "xlsx", "-o", str(out)],
        catch_exceptions=False,
    )
    assert done.exit_code == 3, done.output
    assert not out.parent.exists()


def test_cells_by_kind() -> None:
    columns = (
        Column("name", "Name"),
        Column("amount", "Amount", Kind.MONEY),
        Column("count", "Count", Kind.COUNT),
        Column("rank", "Rank", Kind.NUMBER),
        Column("share", "Share", Kind.SHARE),
    )
    rows = (
        ("=1+1", 125_000_050, 3, 1, (1, 8)),
        ("Sørøst", 100, 0, None, (0, 0)),
        ("big", 99_999_999_999_999, 1, 2, (2, 3)),
    )
    totals = ("Total", 125_000_150 + 99_999_999_999_999, 4, None, (3, 11))
    table = Table("t", "A table", columns, rows, totals)
    ws = load(xlsx_bytes([table]))["t"]
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"  # text, never a formula
    assert ws["B3"].value == 1_250_000.5 and ws["B3"].number_format == KRONER_ORE
    assert ws["B4"].value == 1 and ws["B4"].number_format == KRONER_ORE  # as its column
    assert as_decimal(ws["B5"].value) == Decimal("999999999999.99")
    assert ws["C3"].value == 3 and ws["D4"].value is None
    assert ws["E3"].value == 0.125 and ws["E3"].number_format == PERCENT
    assert ws["E4"].value is None  # 0 of 0: no share
    assert ws["E5"].value == pytest.approx(float(Fraction(2, 3)), abs=1e-6)
    assert ws["A6"].value is None
    assert ws["A7"].value == "Total" and ws["A7"].font.bold
    assert ws.tables["t"].ref == "A2:E5"  # an Excel table over the data, for pivots
    assert ws.column_dimensions["B"].width >= len("999,999,999,999.99")
    assert "about" not in load(xlsx_bytes([table])).sheetnames


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("pools", taken) == "pools"
    assert sheet_name("Pools", taken) == "Pools (2)"
    assert sheet_name("a/b:c?" + "x" * 40, taken) == "a_b_c_" + "x" * 25
    assert len(sheet_name("a/b:c?" + "x" * 40, taken)) <= 31
