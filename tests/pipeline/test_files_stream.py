"""Output written from pieces as they are made: atomic for a regular file, whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompalloc.pipeline.files import BLOCK, encoded, write_output


def pieces(n: int, fail_at: int | None = None) -> Iterator[str]:
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("a bug while making the output")
        yield f"piece {i} æøå\n"


def test_pieces_make_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_output(pieces(200_000), target)
    assert target.read_text(encoding="utf-8") == "".join(pieces(200_000))


def test_blocks_are_bounded_and_whole_characters() -> None:
    blocks = list(encoded(pieces(200_000)))
    assert len(blocks) > 1
    assert all(len(b.decode("utf-8")) < BLOCK + 100 for b in blocks)
    assert b"".join(blocks).decode("utf-8") == "".join(pieces(200_000))


def test_a_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        write_output(pieces(200_000, fail_at=150_000), target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_pieces_go_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(pieces(3), fifo)
        assert os.read(reader, 1 << 16).decode("utf-8") == "".join(pieces(3))
    finally:
        os.close(reader)
