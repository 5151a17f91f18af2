"""Validation rules, yamllint style: a small source and the (code, line, column) it must produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompalloc.loading import load
from kompalloc.validation import validate

BASE = """\
schemes:
  s:
    name: S
    administrator: HK-dir
    institution_types: [universitet]
clusters:
  k: {name: K}
  j: {name: J}
institutions:
  u: {name: U, type: universitet}
  f: {name: F, type: fagskole_offentlig}
"""
# BASE has 11 lines; the sources below start at line 12.


def problems(tmp_path: Path, source: str, base: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "round.yaml"
    path.write_text(base + source, encoding="utf-8")
    bundle, diagnostics = load([str(path)])
    diagnostics += validate(bundle)
    return sorted((d.code.value, d.span.line, d.span.column) for d in diagnostics)


def app(id: str, extra: str = "", **keys: str) -> str:
    fields = {
        "scheme": "s",
        "year": "2021",
        "institution": "u",
        "title": "T",
        "requested": "1 MNOK",
        "submitted": "2021-09-01",
    }
    fields.update(keys)
    body = ", ".join(f"{k}: {v}" for k, v in fields.items())
    return f"  {id}: {{{body}{extra}}}\n"


POOL = "pools:\n  p: {scheme: s, year: 2021, cap: 10 MNOK}\n"  # lines 12-13


RATED = "  t: {name: T, administrator: A, institution_types: [universitet], max_per_participant: 10 000}\n"
"""A second scheme, for cases that need one: inserted as line 2 of BASE, so later lines move by 1."""

CASES: dict[
    str, tuple[str, list[tuple[str, int, str]]] | tuple[str, list[tuple[str, int, str]], str]
] = {
    "clean": (POOL + "applications:\n" + app("A"), []),
    "unknown references with positions": (
        POOL + "applications:\n" + app("A", cluster="kk", institution="uu"),
        [("KA302", 15, "uu"), ("KA302", 15, "kk")],
    ),
    "no pool for the year": (
        POOL + "applications:\n" + app("A", year="2022"),
        [("KA303", 15, "2022")],
    ),
    "two root pools for one scheme and year": (
        POOL + "  q: {scheme: s, year: 2021, cap: 1 MNOK}\napplications:\n" + app("A"),
        [("KA304", 14, "q:")],
    ),
    "a cycle of parents": (
        POOL + "  a: {parent: b, clusters: [k], cap: 1}\n  b: {parent: a, clusters: [k], cap: 1}\n",
        [("KA305", 14, "b,"), ("KA305", 15, "a,")],
    ),
    "ambiguous sub-pools": (
        POOL
        + "  a: {parent: p, clusters: [k], cap: 1 MNOK}\n"
        + "  b: {parent: p, clusters: [k, j], cap: 1 MNOK}\n"
        + "applications:\n"
        + app("A", cluster="k"),
        [("KA306", 17, "A:")],
    ),
    "a sub-pool without a filter": (
        POOL + "  a: {parent: p, cap: 1 MNOK}\n",
        [("KA307", 14, "a:")],
    ),
    "a sub-pool with its own year": (
        POOL + "  a: {parent: p, year: 2020, clusters: [k], cap: 1 MNOK}\n",
        [("KA308", 14, "2020")],
    ),
    "a root pool without a year": (
        "pools:\n  p: {scheme: s, cap: 1 MNOK}\n",
        [("KA309", 13, "p:")],
    ),
    "committed over cap": (
        "pools:\n  p: {scheme: s, year: 2021, cap: 1 MNOK, committed: 2 MNOK}\n",
        [("KA401", 13, "2 MNOK")],
    ),
    "sub-pool caps over the parent, and one over the parent alone": (
        POOL
        + "  a: {parent: p, clusters: [k], cap: 6 MNOK}\n"
        + "  b: {parent: p, clusters: [j], cap: 11 MNOK}\n",
        [("KA402", 13, "10 MNOK"), ("KA403", 15, "11 MNOK")],
    ),
    "min over max in a pool": (
        "pools:\n  p: {scheme: s, year: 2021, cap: 9, min_grant: 5, max_grant: 4}\n",
        [("KA404", 13, "5,")],
    ),
    "application minimum over its request, and without partial": (
        POOL + "applications:\n" + app("A", extra=", min_grant: 2 MNOK"),
        [("KA405", 15, "2 MNOK"), ("KA406", 15, "2 MNOK")],
    ),
    "zero request": (POOL + "applications:\n" + app("A", requested="0"), [("KA407", 15, "0,")]),
    "request over max grant and below min grant": (
        "pools:\n  p: {scheme: s, year: 2021, cap: 10 MNOK, max_grant: 500 000}\n"
        + "  q: {parent: p, clusters: [k], cap: 1 MNOK, min_grant: 2 MNOK}\n"
        + "applications:\n"
        + app("A")
        + app("B", cluster="k"),
        [("KA408", 16, "1 MNOK"), ("KA408", 17, "1 MNOK"), ("KA409", 17, "1 MNOK")],
    ),
    "ineligible institution, late, missing partner": (
        "pools:\n  p: {scheme: t, year: 2021, cap: 10 MNOK}\n"
        + "applications:\n"
        + app("A", scheme="t", institution="f"),
        [("KA501", 16, "f,"), ("KA502", 16, "2021-09-01"), ("KA503", 16, "A:")],
        "  t: {name: T, administrator: A, institution_types: [universitet], "
        "deadline: 2021-08-31, required_partners: [union]}\n",
    ),
    "root pool eligibility and missing quantities for a rate": (
        "pools:\n  p: {scheme: t, year: 2021, cap: 10 MNOK, clusters: [k], "
        "institution_types: [fagskole_offentlig]}\n"
        + "applications:\n"
        + app("A", scheme="t", cluster="j"),
        [("KA504", 16, "j}"), ("KA505", 16, "u,"), ("KA506", 16, "A:")],
        RATED,
    ),
    "request over the rate": (
        "pools:\n  p: {scheme: t, year: 2021, cap: 10 MNOK}\n"
        + "applications:\n"
        + app("A", scheme="t", participants="5"),
        [("KA410", 16, "1 MNOK")],
        RATED,
    ),
}


def at(text: str, line: int, needle: str) -> int:
    """The 1-based column where ``needle`` first stands on a line of ``text`` (found by search)."""
    row = text.splitlines()[line - 1]
    assert needle in row, (needle, row)
    return row.index(needle) + 1


@pytest.mark.parametrize("name", list(CASES))
def test_rule(tmp_path: Path, name: str) -> None:
    source, expected, *scheme = CASES[name]
    base = BASE.replace("schemes:\n", "schemes:\n" + scheme[0], 1) if scheme else BASE
    text = base + source
    want = sorted((code, line, at(text, line, needle)) for code, line, needle in expected)
    assert problems(tmp_path, source, base) == want


def test_duplicate_ids_across_files_point_at_both(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("clusters:\n  k: {name: K again}\n", encoding="utf-8")
    bundle, diagnostics = load([str(tmp_path)])
    diagnostics += validate(bundle)
    [d] = diagnostics
    assert (d.code.value, d.span.path, d.span.line, d.span.column) == (
        "KA301",
        str(tmp_path / "b.yaml"),
        2,
        3,
    )
    assert f"already defined at {tmp_path / 'a.yaml'}:7:3" in d.message
    assert bundle.clusters["k"].name == "K"  # the first definition is kept


def test_did_you_mean_for_references(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        BASE.replace("k: {name: K}", "kongsberg: {name: Kongsberg}")
        + POOL
        + "applications:\n"
        + app("A", cluster="kongsbrg"),
        encoding="utf-8",
    )
    bundle, loaded = load([str(path)])
    assert loaded == []
    [d] = validate(bundle)
    assert d.message == "unknown cluster 'kongsbrg'"
    assert d.hint == "did you mean 'kongsberg'?"
