"""JSON written as it is made: the same bytes as the whole document dumped at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc.reporting.render import json_chunks, json_text, table_json
from kompalloc.reporting.tables import Cell, Column, Kind, Table


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("allocate-national-2021.json", ["allocate", "schemes", "examples/national-2021"]),
        ("allocate-kongsberg-2021.json", ["allocate", "schemes", "examples/kongsberg-2021"]),
        ("allocate-apportion-2022.json", ["allocate", "schemes", "examples/apportion-2022"]),
        ("report-national.json", ["report", "schemes", "examples/national-2021"]),
    ],
)
def test_json_is_byte_for_byte_as_before(name: str, args: list[str], tmp_path: Path) -> None:
    """The goldens were written by the whole-document JSON writer this streaming one replaces."""
    runner = CliRunner()
    result = invoke(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)
    out = tmp_path / "out.json"
    result = invoke(runner, *args, "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / "tests" / "golden" / name).read_text(
        encoding="utf-8"
    )


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
KINDS = list(Kind)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    columns = tuple(
        Column(f"c{i}" if draw(st.booleans()) else draw(TEXT), draw(TEXT), kind)
        for i, kind in enumerate(kinds)
    )

    def cell(kind: Kind) -> Cell:
        if kind is Kind.SHARE:
            return draw(st.none() | st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)))
        if kind is Kind.TEXT:
            return draw(st.none() | TEXT)
        return draw(st.none() | st.integers(-(10**15), 10**15))

    rows = tuple(tuple(cell(k) for k in kinds) for _ in range(draw(st.integers(0, 4))))
    totals = draw(st.none() | st.just(tuple(cell(k) for k in kinds)) | st.just(()))
    return Table(
        draw(st.sampled_from(("a", "b", "tables", "ø"))), draw(TEXT), columns, rows, totals
    )


JSONISH: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT, JSONISH, max_size=4), st.lists(tables(), max_size=3))
def test_streamed_json_is_the_whole_dump(document: dict[str, Any], drawn: list[Table]) -> None:
    whole = {**document, "tables": {t.key: table_json(t) for t in drawn}}
    streamed = "".join(json_chunks(document, drawn))
    assert streamed == json_text(whole)
    json.loads(streamed)
