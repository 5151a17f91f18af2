"""Findings of the second hardening pass in loading: positions at the end of a file, and more."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompalloc.loading import load


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
