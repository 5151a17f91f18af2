"""Setups that cannot hold, yamllint style: a small source and the (code, line, column) it must
produce; and the same setups one step back from the edge, which validate clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompalloc.loading import load
from kompalloc.validation import validate

BASE = """\
schemes:
  s: {name: S, administrator: HK-dir, institution_types: [universitet]}
clusters:
  a: {name: A}
  b: {name: B}
institutions:
  u: {name: U, type: universitet}
"""
# BASE has 7 lines; the sources below start at line 8.

APPORTION = """\
pools:
  p:
    scheme: s
    year: 2021
    cap: 10 MNOK
    method: apportion
    apportion:
      by: cluster
      weights: {weights}
      floors: {floors}
      caps: {caps}
"""


def problems(tmp_path: Path, source: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "round.yaml"
    path.write_text(BASE + source, encoding="utf-8")
    bundle, diagnostics = load([str(path)])
    diagnostics += validate(bundle)
    return sorted((d.code.value, d.span.line, d.span.column) for d in diagnostics)


def test_committed_below_is_committed_above(tmp_path: Path) -> None:
    source = """\
pools:
  p: {scheme: s, year: 2021, cap: 1 MNOK}
  p-a: {parent: p, clusters: [a], cap: 1 MNOK, committed: 600 TNOK}
  p-b: {parent: p, clusters: [b], cap: 1 MNOK, committed: 500 TNOK}
"""
    assert problems(tmp_path, source) == [
        ("KA402", 9, 35),  # the sub-pools' caps add up to more (a warning of its own)
        ("KA414", 10, 59),
        ("KA414", 11, 59),
    ]
    assert problems(tmp_path, source.replace("500 TNOK", "400 TNOK")) == [("KA402", 9, 35)]


@pytest.mark.parametrize(
    ("weights", "floors", "caps", "want"),
    [
        ("{a: 1, b: 9}", "{a: 3 MNOK}", "{a: 2 MNOK}", [("KA415", 15, 7)]),
        ("{a: 1, b: 9}", "{a: 2 MNOK}", "{a: 2 MNOK}", []),
        ("{a: 1, b: 1}", "{a: 6 MNOK, b: 5 MNOK}", "{}", [("KA416", 15, 7)]),
        ("{a: 1, b: 1}", "{a: 5 MNOK, b: 5 MNOK}", "{}", []),
        ("{a: 1, b: 1}", "{}", "{a: 4 MNOK, b: 5 MNOK}", [("KA417", 15, 7)]),
        ("{a: 1, b: 1}", "{}", "{a: 5 MNOK, b: 5 MNOK}", []),
        ("{a: 1, b: 0}", "{}", "{a: 4 MNOK}", [("KA417", 15, 7)]),
        ("{a: 1, b: 1}", "{}", "{a: 4 MNOK}", []),
        ("{a: 0, b: 0}", "{}", "{}", [("KA418", 15, 7)]),
        ("{}", "{}", "{}", [("KA418", 15, 7)]),
    ],
)
def test_apportioned_floors_caps_and_weights_must_hold_together(
    tmp_path: Path, weights: str, floors: str, caps: str, want: list[tuple[str, int, int]]
) -> None:
    source = APPORTION.format(weights=weights, floors=floors, caps=caps)
    assert problems(tmp_path, source) == want


def test_two_fixed_grants_in_one_exclusive_group(tmp_path: Path) -> None:
    def app(id: str, fixed: str) -> str:
        return (
            f"  {id}: {{scheme: s, year: 2021, institution: u, title: T, requested: 1 MNOK, "
            f"submitted: 2021-01-01, exclusive_group: g{fixed}}}\n"
        )

    pools = "pools:\n  p: {scheme: s, year: 2021, cap: 10 MNOK}\napplications:\n"
    both = pools + app("A", ", fixed_grant: 1 MNOK") + app("B", ", fixed_grant: 1 MNOK")
    assert [c for c, _, _ in problems(tmp_path, both)] == ["KA419"]
    assert problems(tmp_path, pools + app("A", ", fixed_grant: 1 MNOK") + app("B", "")) == []


def test_earmarks_cannot_reserve_more_than_the_pool_has(tmp_path: Path) -> None:
    source = """\
pools:
  p: {scheme: s, year: 2021, cap: 10 MNOK, committed: 5 MNOK, earmarks: {x: 3 MNOK, y: 3 MNOK}}
"""
    assert [c for c, _, _ in problems(tmp_path, source)] == ["KA420"]
    assert problems(tmp_path, source.replace("committed: 5 MNOK", "committed: 4 MNOK")) == []
