"""How a table for people fits a width without cropping anything: the columns it shows, in how
many parts, and how wide each column is. Pure arithmetic on the cells' texts; no Rich.

The rules, in order: numbers, amounts, ids and dates never wrap and never shrink below their
longest cell; columns of free text (names, reasons) wrap at spaces, down to their longest word
(up to :data:`WORD_LIMIT`); then optional columns are left out, the highest ``drop`` first;
then the table is split into parts that each repeat its first column. The caller says in a
note what was left out or split (see :mod:`kompalloc.reporting.labels`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

GAP = 2
"""Characters between two columns (a space of padding and the divider)."""
WORD_LIMIT = 24
"""A wrapping column is at least as wide as its longest word, up to this (longer words fold)."""
WRAP_MIN = 10
"""A wrapping column is at least this wide when its text is longer."""
_SPACES = re.compile(r"[ \t\n]+")
"""Where text may wrap: ordinary spaces only, never the no-break spaces inside amounts."""


@dataclass(frozen=True, slots=True)
class Spec:
    """What the layout needs of one column."""

    header: str
    texts: Sequence[str]
    """Every cell as people read it, footers included."""
    wrap: bool
    drop: int = 0


@dataclass(frozen=True, slots=True)
class Fit:
    """The layout of a table at one width."""

    parts: tuple[tuple[int, ...], ...]
    """Per part, the positions (into the specs) of its columns; the first column in each."""
    widths: tuple[tuple[int, ...], ...]
    """Per part, each of its columns' content width."""
    left_out: tuple[int, ...]
    """Positions of optional columns left out to fit."""
    whole: int
    """The width at which every column shows in one table."""
    stacked: bool = False
    """Even one column beside the first does not fit: show each row as a list of fields."""


def _longest_line(text: str) -> int:
    return max(map(len, text.split("\n"))) if text else 0


def _longest_word(text: str) -> int:
    return max((len(w) for w in _SPACES.split(text)), default=0)


def _bounds(spec: Spec) -> tuple[int, int]:
    """A column's narrowest and natural content widths."""
    distinct = set(spec.texts)
    longest = max(map(_longest_line, distinct), default=0)
    natural = max(_longest_line(spec.header), longest)
    header_word = _longest_word(spec.header)
    if not spec.wrap:
        return max(longest, header_word, 1), max(natural, 1)
    word = max(map(_longest_word, distinct), default=0)
    narrow = max(header_word, min(word, WORD_LIMIT), min(natural, WRAP_MIN), 1)
    return narrow, max(natural, narrow)


def total(widths: Sequence[int]) -> int:
    """The width of a table whose columns have these content widths."""
    return sum(widths) + GAP * (len(widths) - 1) if widths else 0


def fit(specs: Sequence[Spec], width: int | None) -> Fit:
    """The layout of columns ``specs`` in ``width`` characters (None: no limit)."""
    bounds = [_bounds(s) for s in specs]
    narrow = [b[0] for b in bounds]
    natural = [b[1] for b in bounds]
    every = tuple(range(len(specs)))
    whole = total(narrow)
    if width is None or total(natural) <= width:
        return Fit((every,), (tuple(natural[i] for i in every),), (), whole)
    keep = list(every)
    droppable = sorted((i for i in keep if specs[i].drop), key=lambda i: (-specs[i].drop, i))
    left_out: list[int] = []
    while total([narrow[i] for i in keep]) > width and droppable:
        gone = droppable.pop(0)
        keep.remove(gone)
        left_out.append(gone)
    parts: list[list[int]] = [keep]
    if total([narrow[i] for i in keep]) > width and len(keep) > 2:
        parts = _pack(keep, narrow, width)
        # As many parts as needed, made as even as they can be: the narrowest limit that
        # still needs no more parts.
        limit = width
        while limit > 1 and len(tighter := _pack(keep, narrow, limit - 1)) == len(parts):
            parts, limit = tighter, limit - 1
    widths = [_shrink(part, narrow, natural, specs, width) for part in parts]
    stacked = any(total(w) > width for w in widths)
    if stacked:  # every column again, one field under the other
        return Fit((every,), (tuple(natural[i] for i in every),), (), whole, stacked=True)
    return Fit(tuple(map(tuple, parts)), tuple(widths), tuple(sorted(left_out)), whole)


def _pack(keep: list[int], narrow: list[int], width: int) -> list[list[int]]:
    """Columns after the first in parts of at most ``width``, each part led by the first."""
    key, rest = keep[0], keep[1:]
    parts = [[key]]
    for i in rest:
        if len(parts[-1]) > 1 and total([narrow[j] for j in [*parts[-1], i]]) > width:
            parts.append([key])
        parts[-1].append(i)
    return parts


def _shrink(
    part: Sequence[int], narrow: list[int], natural: list[int], specs: Sequence[Spec], width: int
) -> tuple[int, ...]:
    """Natural widths, narrowed widest first, never below the narrowest: first the wrapping
    columns, then the others' headers (which then wrap; their cells never do)."""
    widths = {i: natural[i] for i in part}
    excess = total(list(widths.values())) - width
    for wrapping in (True, False):
        while excess > 0:
            room = [i for i in part if specs[i].wrap is wrapping and widths[i] > narrow[i]]
            if not room:
                break
            widest = max(room, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    while excess > 0:  # the last resort: long words of free text fold (never ids or numbers)
        room = [i for i in part if specs[i].wrap and widths[i] > WRAP_MIN]
        if not room:
            break
        widest = max(room, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return tuple(widths[i] for i in part)


def wrap(text: str, width: int) -> str:
    """``text`` wrapped at ordinary spaces to ``width`` (a word longer than that is folded);
    hyphens and no-break spaces hold, so ids and amounts stay whole."""
    if len(text) <= width and "\n" not in text:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(
            textwrap.wrap(
                paragraph,
                width,
                break_on_hyphens=False,
                break_long_words=True,
                replace_whitespace=False,
                expand_tabs=False,
            )
            or [""]
        )
    return "\n".join(lines)
