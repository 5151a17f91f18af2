"""Diagnostics for people (path:line:col lines with the source line and a caret) and for machines (JSON)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never

from kompalloc.diagnostics import Diagnostic, Severity
from kompalloc.reporting.formats import DiagnosticFormat

if TYPE_CHECKING:
    from rich.text import Text

JSON_FORMAT_VERSION = 1
WINDOW = 80
"""The most characters of a source line shown under a diagnostic: a window around the column,
so that output grows with the number of diagnostics, not with the square of a line's length."""
_ELLIPSIS = "…"
_ONE_LINE = str.maketrans(
    {
        "\n": "\\n",
        "\r": "\\r",
        "\v": "\\v",
        "\f": "\\f",
        "\x1c": "\\x1c",
        "\x1d": "\\x1d",
        "\x1e": "\\x1e",
        "\x85": "\\x85",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)
"""Line breaks a value can bring into a message, written as escapes: each diagnostic stays one
line that starts with its path:line:col."""


def one_line(text: str) -> str:
    """``text`` with its line breaks written as escapes (``\\n``), so it prints on one line."""
    return text.translate(_ONE_LINE)


def window(line: str, column: int, width: int) -> tuple[str, int, int]:
    """At most WINDOW characters of ``line`` around ``column`` (1-based), with an ellipsis
    where it is cut; returns the text, the caret's 1-based column in it, and the caret width."""
    column = max(1, min(column, len(line) + 1))
    if len(line) <= WINDOW:
        return line, column, max(1, min(width, len(line) - column + 1))
    start = max(0, min(column - 1 - WINDOW // 4, len(line) - WINDOW))
    end = start + WINDOW
    shown = line[start:end]
    caret = column - start
    if start > 0:
        shown = _ELLIPSIS + shown
        caret += 1
    if end < len(line):
        shown += _ELLIPSIS
    return shown, caret, max(1, min(width, end - column + 1))


@lru_cache(maxsize=64)
def _lines(path: str) -> tuple[str, ...]:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return ()
    text = data.decode("utf-8", errors="replace")
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def source_line(d: Diagnostic) -> str | None:
    """The line a diagnostic points at, or None when there is none to show."""
    if d.span.end_line < 1:
        return None
    lines = _lines(d.span.path)
    if d.span.line > len(lines):
        return None
    line = lines[d.span.line - 1].lstrip("\ufeff")
    return line if line.strip() else None


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """One line with the counts, e.g. '2 errors, 1 warning in 7 files'."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}"
    )


def _pieces(diagnostics: Sequence[Diagnostic], files: int) -> Iterator[tuple[str, str | None]]:
    """The text of as_text as (text, style) pieces, in order."""
    _lines.cache_clear()  # files may have changed since the last call in this process
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        colour = "red" if d.severity is Severity.ERROR else "yellow"
        yield f"{d.span}: ", "bold"
        yield f"{d.severity.value} {d.code.value}", f"bold {colour}"
        yield f" {one_line(d.message)}\n", None
        line = source_line(d)
        if line is not None:
            number = str(d.span.line)
            width = d.span.end_column - d.span.column if d.span.end_line == d.span.line else 1
            shown, caret, width = window(line.expandtabs(1), d.span.column, width)
            yield f"  {number} | ", "dim"
            yield shown + "\n", None
            pad = " " * (len(number) + 4 + caret)  # under "  N | " and the caret-1 before it
            yield f"{pad}{'^' * width}\n", colour
        if d.hint:
            yield f"  hint: {one_line(d.hint)}\n", "cyan"
    yield summary(diagnostics, files) + "\n", "bold"


def as_text(diagnostics: Sequence[Diagnostic], files: int) -> Text:
    """Every diagnostic with its source line and hint, then the summary line."""
    from rich.text import Text

    out = Text()
    for text, style in _pieces(diagnostics, files):
        if style is None:
            out.append(text)
        else:
            out.append(text, style=style)
    return out


_RICH_CHANGES = frozenset("\t\a\b\v\f\r")
"""Characters Rich would not print as they are: tabs it expands, control codes it strips."""


def as_plain_text(diagnostics: Sequence[Diagnostic], files: int) -> str | None:
    """as_text without its styles, exactly as Rich prints it where there is no colour.

    None when Rich would print the text differently (it expands tabs and strips some
    control codes): the caller prints as_text with Rich then. Saves importing Rich.
    """
    text = "".join(piece for piece, _ in _pieces(diagnostics, files))
    return None if _RICH_CHANGES.intersection(text) else text


def as_json(diagnostics: Sequence[Diagnostic], files: Sequence[str]) -> dict[str, Any]:
    """A stable, versioned document: counts, then every diagnostic with its positions."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    errors = sum(d.severity is Severity.ERROR for d in ordered)
    return {
        "format_version": JSON_FORMAT_VERSION,
        "valid": errors == 0,
        "errors": errors,
        "warnings": len(ordered) - errors,
        "files": list(files),
        "diagnostics": [
            {
                "code": d.code.value,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
                "file": d.span.path,
                "path": d.path,
                "start": {"line": d.span.line, "column": d.span.column},
                "end": {"line": d.span.end_line, "column": d.span.end_column},
            }
            for d in ordered
        ],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic, on the lines they concern."""
    lines = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        kind = "error" if d.severity is Severity.ERROR else "warning"
        props = [
            f"file={_escape_property(d.span.path)}",
            f"line={d.span.line}",
            f"col={d.span.column}",
        ]
        if d.span.end_line >= d.span.line:
            props += [f"endLine={d.span.end_line}", f"endColumn={d.span.end_column}"]
        props.append(f"title={_escape_property(f'kompalloc {d.code.value}')}")
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{kind} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_sarif(diagnostics: Sequence[Diagnostic], version: str) -> dict[str, Any]:
    """A SARIF 2.1.0 log, for code-scanning views; every code is a rule with its explanation."""
    from kompalloc.diagnostics import Code
    from kompalloc.explanations import EXPLANATIONS

    rules = [
        {
            "id": code.value,
            "name": code.name.title().replace("_", ""),
            "shortDescription": {"text": EXPLANATIONS[code][0]},
            "help": {"text": EXPLANATIONS[code][1] or EXPLANATIONS[code][0]},
        }
        for code in Code
    ]
    index = {code: i for i, code in enumerate(Code)}
    results = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        region: dict[str, int] = {"startLine": d.span.line, "startColumn": d.span.column}
        if d.span.end_line >= d.span.line:
            region |= {"endLine": d.span.end_line, "endColumn": d.span.end_column}
        results.append(
            {
                "ruleId": d.code.value,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": Path(d.span.path).as_posix()},
                            "region": region,
                        },
                        "logicalLocations": [{"fullyQualifiedName": d.path}] if d.path else [],
                    }
                ],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kompalloc",
                        "version": version,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def render_diagnostics(
    fmt: DiagnosticFormat,
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    *,
    version: str,
    plain: bool,
) -> tuple[str, Text | None]:
    """The diagnostics in ``fmt``: text to write as it is, then Rich text to print after it
    (None when the text is all). ``plain``: the output shows no colour, so the text list can
    be written without Rich where Rich would print it the same."""
    match fmt:
        case DiagnosticFormat.JSON | DiagnosticFormat.SARIF:
            from kompalloc.reporting.render import json_text

            document = (
                as_json(diagnostics, files)
                if fmt is DiagnosticFormat.JSON
                else as_sarif(diagnostics, version)
            )
            return json_text(document), None
        case DiagnosticFormat.GITHUB:
            text, rich = _text_list(diagnostics, len(files), plain)
            return as_github(diagnostics) + text, rich
        case DiagnosticFormat.TEXT:
            return _text_list(diagnostics, len(files), plain)
        case _:
            assert_never(fmt)


def _text_list(
    diagnostics: Sequence[Diagnostic], files: int, plain: bool
) -> tuple[str, Text | None]:
    text = as_plain_text(diagnostics, files) if plain else None
    if text is not None:
        return text, None
    return "", as_text(diagnostics, files)
