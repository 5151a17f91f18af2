"""Norwegian names sort as a Norwegian reader expects."""

from __future__ import annotations

from kompalloc.collation import norwegian_key


def test_ae_oe_aa_come_after_z_in_that_order() -> None:
    names = ["Ålesund", "Ørsta", "Zeta", "Æsir", "abc", "Øvre", "Årdal", "Bø", "Bodø", "Étoile"]
    assert sorted(names, key=norwegian_key) == [
        "abc",
        "Bodø",
        "Bø",
        "Étoile",  # accents other than å are ignored: É sorts as E
        "Zeta",
        "Æsir",
        "Ørsta",
        "Øvre",
        "Ålesund",
        "Årdal",
    ]


def test_case_does_not_matter_but_ties_are_stable() -> None:
    assert sorted(["b", "A", "a", "B"], key=norwegian_key) == ["A", "a", "B", "b"]
