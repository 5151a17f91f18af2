"""CSV: one table per run (--table), plain or excel-nb, with ids and no tree glyphs, streamed."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc.reporting.formats import CsvDialect
from kompalloc.reporting.render import CSV_BATCH, csv_chunks, csv_text
from kompalloc.reporting.tables import Column, Kind, Table

NATIONAL = ("schemes", "examples/national-2021")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_without_table_csv_is_the_applications_one_row_each_with_every_field(
    runner: CliRunner,
) -> None:
    result = invoke(runner, "report", *NATIONAL, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert len(rows) == 36  # one per application; no totals row, no other table
    ifs07 = next(r for r in rows if r["application"] == "IFS-07")
    assert ifs07["institution_id"] and ifs07["scheme"] == "industrifagskolen"
    assert ifs07["title"] and ifs07["submitted"].startswith("2021-")
    assert ifs07["requested_ore"].isdigit() and "table" not in ifs07


@pytest.mark.parametrize("table", ["pools", "clusters", "rounds", "applications"])
def test_each_table_alone(table: str, runner: CliRunner) -> None:
    result = invoke(runner, "report", *NATIONAL, "--format", "csv", "--table", table)
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert rows and "└" not in result.stdout
    assert {"pools": "pool_id", "clusters": "cluster_id", "rounds": "round_id"}.get(
        table, "application"
    ) in rows[0]
    if table != "applications":  # that one is golden/report-national.csv
        check_golden(f"report-national-{table}.csv", result.stdout)


def test_pools_carry_their_ids_parents_and_levels(runner: CliRunner) -> None:
    result = invoke(runner, "report", *NATIONAL, "--format", "csv", "--table", "pools")
    rows = {r["pool_id"]: r for r in rows_of(result.stdout)}
    share = rows["industrifagskolen-2021-kongsberg"]
    assert share["pool"] == "Kongsberg-andel" and share["level"] == "1"
    assert share["parent_id"] == "industrifagskolen-2021"
    # the sub-pools' money reconciles as in every format: cap = committed + granted + remaining
    for r in rows.values():
        assert int(r["cap_ore"]) == sum(
            int(r[k]) for k in ("committed_ore", "granted_ore", "remaining_ore")
        )


def test_excel_nb_has_a_bom_semicolons_crlf_and_kroner_with_a_decimal_comma(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "pools.csv"
    args = ("report", *NATIONAL, "--format", "csv", "--table", "pools")
    result = invoke(runner, *args, "--csv-dialect", "excel-nb", "--output", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpool;cap_kr;committed_kr;")
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("utf-8-sig")
    check_golden("report-national-pools-excel-nb.csv", text.replace("\r\n", "\n"))
    nb = rows_of(text.replace("\r\n", "\n"), ";")
    plain = rows_of(invoke(runner, *args).stdout)
    for a, b in zip(nb, plain, strict=True):
        assert Decimal(a["granted_kr"].replace(",", ".")) * 100 == int(b["granted_ore"])
        assert a["granted_kr"].count(",") == 1 and len(a["granted_kr"].split(",")[1]) == 2


def test_an_unknown_table_is_a_usage_error_naming_the_tables(runner: CliRunner) -> None:
    result = invoke(runner, "allocate", *NATIONAL, "--format", "csv", "--table", "pools")
    assert result.exit_code == 2
    assert "--table pools: this command's tables are applications, rounds" in result.output


def test_compare_and_sweep_write_one_table(runner: CliRunner) -> None:
    scenario = "examples/national-2021/scenarios/ifs-plus-5-mnok.scenario"
    result = invoke(runner, "compare", *NATIONAL, "--scenario", scenario, "-f", "csv")
    assert result.stdout.startswith("application,base_granted_ore,")
    result = invoke(
        runner, "compare", *NATIONAL, "--scenario", scenario, "-f", "csv", "--table", "summary"
    )
    assert result.exit_code == 0 and len(rows_of(result.stdout)) == 1


MONEY = Column("amount", "Amount", Kind.MONEY)
SHARE = Column("share", "Share", Kind.SHARE)
NAME = Column("name", "Name")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=12),
            st.integers(min_value=-(10**17), max_value=10**17),
            st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)),
        ),
        max_size=CSV_BATCH * 2 + 3,
    ),
    st.sampled_from(list(CsvDialect)),
)
def test_every_row_reads_back_exactly_in_either_dialect(
    rows: list[tuple[str, int, tuple[int, int]]], dialect: CsvDialect
) -> None:
    table = Table("t", "T", (NAME, MONEY, SHARE), tuple(rows))
    chunks = list(csv_chunks(table, dialect))
    assert len(chunks) >= max(1, -(-len(rows) // CSV_BATCH))  # out a batch at a time
    text = "".join(chunks)
    assert text == csv_text(table, dialect)
    nb = dialect is CsvDialect.EXCEL_NB
    if nb:
        assert text.startswith("\ufeff")
        text = text[1:]
    back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if nb else ","))
    assert back[0] == ["name", "amount_kr" if nb else "amount_ore", "share"]
    assert len(back) == len(rows) + 1
    for (name, ore, _), got in zip(rows, back[1:], strict=True):
        assert got[0] == (name if nb else name.replace("\r\n", "\n").replace("\r", "\n"))
        if nb:
            assert Decimal(got[1].replace(",", ".")) * 100 == ore
        else:
            assert int(got[1]) == ore
