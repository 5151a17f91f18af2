"""Positions in input files: 1-based line and column spans that print as path:line:col."""

from __future__ import annotations

from typing import NamedTuple


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
