"""Findings of the second hardening pass in loading: positions at the end of a file, and more."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kompalloc.loading import load
from kompalloc.loading.convert import Reader
from kompalloc.loading.nodes import Scalar
from kompalloc.source import Span


def _load(tmp_path: Path, data: bytes) -> list[tuple[str, int, int]]:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    _, diagnostics = load([str(path)])
    return [(d.code.value, d.span.line, d.span.column) for d in diagnostics]


@pytest.mark.parametrize(
    "data",
    [b"clusters:\n  k: [a", b"clusters:\n  k: [a\n", b"clusters:\r\n  k: [a\r\n", b"clusters:\r  k: {a"],
)
def test_a_syntax_error_at_the_end_points_inside_the_file(tmp_path: Path, data: bytes) -> None:
    assert _load(tmp_path, data) == [("KA101", 2, 8)]


def _messages(tmp_path: Path, text: str) -> list[tuple[str, int, int, str, str | None]]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    _, diagnostics = load([str(path)])
    return [(d.code.value, d.span.line, d.span.column, d.message, d.hint) for d in diagnostics]


def test_an_nfd_id_says_it_differs_only_in_normalisation(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "ålesund")
    [(code, line, column, message, hint)] = _messages(tmp_path, f"clusters:\n  {nfd}: {{name: Å}}\n")
    assert (code, line, column) == ("KA210", 2, 3)
    assert "only in Unicode normalisation" in message and "'ålesund'" in message
    assert hint is not None and "NFC" in hint


def test_an_nfd_choice_says_it_differs_only_in_normalisation() -> None:
    reader = Reader([])
    read = reader.choices(("fagskole-å",), "institution type")
    read(Scalar(unicodedata.normalize("NFD", "fagskole-å"), True, Span("f", 1, 1, 1, 2)), "x")
    [d] = reader.out
    assert d.code.value == "KA209" and "only in Unicode normalisation" in d.message


@pytest.mark.parametrize(
    ("entry", "written", "column"),
    [
        ("schemes:\n  s: {name: S, administrator: HK-dir, institution_types: [universitet], deadline: 2021-09-15, max_per_study_point: 7,5}\n", "7,5", 116),
        ("pools:\n  p: {scheme: s, year: 2021, cap: 1 MNOK, max_share_per_cluster: 12,5%}\n", "12,5%", 66),
    ],
)
def test_a_decimal_comma_in_a_flow_mapping_says_to_quote_it(
    tmp_path: Path, entry: str, written: str, column: int
) -> None:
    found = [m for m in _messages(tmp_path, entry) if m[0] != "KA302"]
    assert [(c, line, col) for c, line, col, _, _ in found] == [("KA212", 2, column)]
    message, hint = found[0][3], found[0][4]
    assert f"'{written}'" in message and "flow mapping" in message
    assert hint is not None and f'"{written}"' in hint


def test_a_missing_required_key_names_the_entry(tmp_path: Path) -> None:
    found = _messages(tmp_path, "pools:\n  p-2021:\n    scheme: s\n    year: 2021\n")
    assert ("KA203", 3, 5, "pool 'p-2021' is missing the required key 'cap'", None) in found


@pytest.mark.parametrize("word", ["MNOK", "kr", "8", "12,5"])
def test_a_missing_path_that_looks_like_an_amount_hints_at_quoting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _, diagnostics = load([word])
    [d] = diagnostics
    assert d.code.value == "KA001"
    assert d.hint is not None and "quote amounts" in d.hint


def test_a_missing_path_that_is_a_path_gets_no_amount_hint(tmp_path: Path) -> None:
    _, diagnostics = load([str(tmp_path / "applications")])
    assert diagnostics[0].hint is None
