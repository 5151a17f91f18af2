"""Positions in input files: 1-based line and column spans that print as path:line:col."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple


class Span(NamedTuple):
    """Where a value stands in a file; lines and columns are 1-based, the end exclusive.

    A named tuple rather than a dataclass: the loader makes one for every value, and a tuple
    is several times cheaper to create.
    """

    path: str
    """The file as the user named it (or as found inside a named folder)."""
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int]:
        """Order by file, then position."""
        return (self.path, self.line, self.column)


def file_span(path: str) -> Span:
    """A span for a whole file (or a path), used when a problem has no better position.

    It prints as path:1:1 for editors; ``end_line`` 0 marks it as having no source line to show.
    """
    return Span(path, 1, 1, 0, 0)


class SpanMap(Mapping[str, Span]):
    """The spans of an entry's values by key: a read-only mapping in a fraction of a dict's memory.

    The entries of a large file hold one span per value, so they are packed: the path once,
    four unsigned ints per span in an array, and an index of the keys that entries with the
    same keys share (see span_map). Each lookup makes a new, equal Span.
    """

    __slots__ = ("_data", "_index", "_path")

    def __init__(self, index: dict[str, int], path: str, data: array[int]) -> None:
        self._index = index
        self._path = path
        self._data = data

    def __getitem__(self, key: str) -> Span:
        i = self._index[key] * 4
        d = self._data
        return Span(self._path, d[i], d[i + 1], d[i + 2], d[i + 3])

    def get(self, key: str, /, default: Any = None) -> Any:
        i = self._index.get(key)
        if i is None:
            return default
        i *= 4
        d = self._data
        return Span(self._path, d[i], d[i + 1], d[i + 2], d[i + 3])

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"SpanMap({dict(self)!r})"


_INDEXES: dict[tuple[str, ...], dict[str, int]] = {}


def span_map(keys: tuple[str, ...], spans: list[Span]) -> Mapping[str, Span]:
    """The spans of distinct keys as a mapping; packed (SpanMap) when they share one file."""
    path = spans[0].path if spans else ""
    if len({s.path for s in spans}) > 1:  # pragma: no cover - entries come from one file
        return dict(zip(keys, spans, strict=True))
    index = _INDEXES.get(keys)
    if index is None:
        if len(_INDEXES) >= 4096:  # bound the cache: odd files may order their keys every way
            _INDEXES.clear()
        index = _INDEXES[keys] = {key: i for i, key in enumerate(keys)}
    numbers: list[int] = []
    for s in spans:
        numbers += s[1:]
    return SpanMap(index, path, array("I", numbers))
