"""Reading a saved decisions file (the JSON of ``kompalloc allocate --format json``) for ``check``.

JSON is read with the strict YAML reader every data file goes through (JSON is YAML's flow
style), so a decisions file gets the same rigour: a FIFO or device refused (KA002), a size
limit, strict UTF-8, a depth limit, duplicate keys, and every mistake located with a code.
Only what ``check`` compares is read: each row's application, granted øre and status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kompalloc.diagnostics import Code, Diagnostic, error
from kompalloc.loading.loader import read_text
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, Seq, parse
from kompalloc.source import Span, file_span

_WHOLE_ORE = re.compile(r"0|[1-9][0-9]{0,17}")
"""A JSON integer of øre, as allocate writes it: no sign, fraction or exponent; at most 18 digits."""
_JSON_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
"""Characters JSON strings may hold raw but YAML counts as line breaks: escaped before reading
(outside strings JSON allows none of them, so the escape is the same text)."""
_HINT = "check needs the JSON of 'kompalloc allocate --format json'"


@dataclass(frozen=True)
class SavedDecisions:
    """What a decisions file says was decided."""

    grants: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Each application's granted øre and status."""
    inputs_sha256: str | None = None
    """The digest of the input files the decisions were made from, when the file gives one."""


def read_decisions(path: str) -> tuple[SavedDecisions | None, list[Diagnostic]]:
    """The decisions in ``path``, or None with every reason it cannot be used."""
    if not Path(path).exists():  # a dangling link too
        return None, [error(Code.PATH_NOT_FOUND, f"no such file: {path}", file_span(path))]
    text, out = read_text(path)
    if text is None:
        return None, out
    root, out = parse(text.translate(_JSON_LINE_BREAKS), path)
    if root is None:
        if not out:
            out.append(
                error(Code.EMPTY_FILE, "the decisions file is empty", file_span(path), hint=_HINT)
            )
        return None, out
    tables = _key(root, "tables", "", out)
    tables = _key(tables, "applications", "tables", out)
    tables = _key(tables, "rows", "tables.applications", out)
    if tables is None:
        return None, out
    if not isinstance(tables, Seq):
        out.append(_wrong(tables, "a list of rows", "tables.applications.rows"))
        return None, out
    grants: dict[str, tuple[int, str]] = {}
    first: dict[str, Span] = {}
    for i, row in enumerate(tables.items):
        where = f"tables.applications.rows[{i}]"
        if not isinstance(row, Map):
            out.append(_wrong(row, "a row (a mapping)", where))
            continue
        app = _text(row, "application", where, out)
        granted = _ore(row, "granted_ore", where, out)
        status = _text(row, "status", where, out)
        if app is None or granted is None or status is None:
            continue
        span = row.items["application"][1].span
        if app in first:
            out.append(
                error(
                    Code.DUPLICATE_ID,
                    f"application '{app}' has a second row (the first is at {first[app]})",
                    span,
                    f"{where}.application",
                    hint="a decisions file has one row per application",
                )
            )
            continue
        first[app] = span
        grants[app] = (granted, status)
    digest = None
    if isinstance(root, Map) and "inputs_sha256" in root.items:
        node = root.items["inputs_sha256"][1]
        if isinstance(node, Scalar) and not node.plain:
            digest = node.value
    if out:
        return None, out
    return SavedDecisions(grants, digest), out


def _key(node: Node | None, key: str, where: str, out: list[Diagnostic]) -> Node | None:
    """The value under ``key`` of a mapping, or None (reported) when there is none."""
    if node is None or isinstance(node, Bad):
        return None
    if not isinstance(node, Map):
        out.append(_wrong(node, "a mapping", where or "the top level"))
        return None
    if key not in node.items:
        out.append(
            error(
                Code.MISSING_KEY,
                f"{'the top level' if not where else repr(where)} has no key '{key}': "
                "this is not a decisions file",
                node.span,
                where,
                hint=_HINT,
            )
        )
        return None
    return node.items[key][1]


def _wrong(node: Node, expected: str, where: str) -> Diagnostic:
    found = {Scalar: "a value", Seq: "a list", Map: "a mapping"}.get(type(node), "a value")
    if isinstance(node, Scalar):
        found = "null" if node.plain and node.value == "null" else f"'{node.value}'"
    return error(Code.WRONG_TYPE, f"expected {expected}, found {found}", node.span, where, _HINT)


def _text(row: Map, key: str, where: str, out: list[Diagnostic]) -> str | None:
    """A JSON string under ``key`` (allocate writes every text quoted), or None (reported)."""
    node = _key(row, key, where, out)
    if node is None or isinstance(node, Bad):
        return None
    if not isinstance(node, Scalar) or node.plain or not node.value:
        out.append(_wrong(node, "text", f"{where}.{key}"))
        return None
    return node.value


def _ore(row: Map, key: str, where: str, out: list[Diagnostic]) -> int | None:
    """A whole, non-negative number of øre under ``key``, or None (reported)."""
    node = _key(row, key, where, out)
    if node is None or isinstance(node, Bad):
        return None
    if isinstance(node, Scalar) and node.plain and _WHOLE_ORE.fullmatch(node.value):
        return int(node.value)
    shown = {Seq: "a list", Map: "a mapping"}.get(type(node), "")
    if isinstance(node, Scalar):
        shown = node.value if node.plain else f"'{node.value}'"
    out.append(
        error(
            Code.BAD_INTEGER,
            f"'{key}' must be a whole number of øre (at least 0), not {shown}",
            node.span,
            f"{where}.{key}",
            hint="amounts in a decisions file are exact øre; regenerate it with allocate",
        )
    )
    return None
