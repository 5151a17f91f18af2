"""A strict YAML reader: C-parser events to a node tree in which every value keeps its span.

It resolves no types (every scalar stays text, with a flag saying whether it was plain),
and refuses what funding files never need: anchors and aliases, explicit tags, complex
keys, duplicate keys, deep nesting and more than one document. Each refusal is a
diagnostic, never an exception.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

from kompalloc.diagnostics import Code, Diagnostic, error
from kompalloc.source import Span

MAX_DEPTH = 32
"""Funding files need about 5 levels; the C composer crashes near 30,000."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNPRINTABLE = "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""Characters YAML allows nowhere: control characters, lone surrogates, U+FFFE and U+FFFF."""
_NOT_IN_FILE = "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""What parse refuses in a file: the characters above, and NEL, LS and PS, which YAML 1.1
counts as line breaks and editors do not (every later line number would differ)."""
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""The ASCII characters of both classes above: all of them an ASCII text can hold.

The two classes take milliseconds to compile, so they are compiled (by re, once) only for
text that is not ASCII: see first_bad."""
_LIBYAML_PROBLEMS: dict[str, tuple[Code, str, str | None]] = {
    "found invalid Unicode character escape code": (
        Code.CONTROL_CHARACTER,
        "escape code that is not a character (a lone surrogate such as '\\ud800')",
        "write the character itself; YAML has no surrogate pairs, use '\\U0001F600' above U+FFFF",
    ),
    "exceeded maximum nesting depth": (
        Code.TOO_DEEP,
        f"nesting far deeper than {MAX_DEPTH} levels",
        "funding files need only a few levels; check the brackets",
    ),
}
"""libyaml errors that have a code of their own rather than KA101."""


class Scalar(NamedTuple):
    """A scalar exactly as written; ``plain`` is False for quoted and block scalars."""

    value: str
    plain: bool
    span: Span


class Seq(NamedTuple):
    """A sequence of nodes."""

    items: list[Node]
    span: Span


class Map(NamedTuple):
    """A mapping with text keys, in file order; each key keeps its own scalar (and span)."""

    items: dict[str, tuple[Scalar, Node]]
    span: Span


class Bad(NamedTuple):
    """A value already reported as an error (alias, tag, complex key): later stages skip it."""

    span: Span


Node = Scalar | Seq | Map | Bad


class _Frame:
    """A mapping or a sequence being read: where it starts, and what it holds so far."""

    __slots__ = ("is_map", "items", "key", "mapping", "start")

    def __init__(self, is_map: bool, start: Span) -> None:
        self.is_map = is_map
        self.start = start
        self.items: list[Node] = []
        self.mapping: dict[str, tuple[Scalar, Node]] = {}
        self.key: Scalar | Bad | None = None


def _span(path: str, start: Any, end: Any) -> Span:
    # PyYAML marks are 0-based; this is the one place they become 1-based.
    return Span(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def first_bad(text: str, allowed_nowhere: bool = True) -> re.Match[str] | None:
    """The first character of _UNPRINTABLE in text (of _NOT_IN_FILE when not allowed_nowhere)."""
    if text.isascii():
        return _ASCII_CONTROL.search(text)
    return re.search(_UNPRINTABLE if allowed_nowhere else _NOT_IN_FILE, text)


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``; CRLF, CR and LF each end a line, as in YAML."""
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, index - start + 1


_LINE_BREAK = re.compile("\r\n|\r|\n")


def inside(text: str, span: Span) -> Span:
    """``span`` moved to the end of the last line when it starts past it.

    libyaml reads a file as if it ended in a line break, so an error at the end of a file
    without one would point at a line the file does not have.
    """
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the break ends the last line; it does not start another
    if span.line <= len(lines):
        return span
    line = max(1, len(lines))
    column = len(lines[-1]) + 1 if lines else 1
    return Span(span.path, line, column, line, column)


def _bad_character(text: str, path: str, index: int) -> Diagnostic:
    char = text[index]
    line, column = position(text, index)
    span = Span(path, line, column, line, column + 1)
    if char in "\x85\u2028\u2029":
        return error(
            Code.CONTROL_CHARACTER,
            f"unusual line break U+{ord(char):04X}",
            span,
            hint="YAML counts it as a line break and editors do not; use an ordinary line break",
        )
    hint = "remove it"
    if char == "\x00":
        hint = "remove it; a file full of NUL characters is probably UTF-16: save it as UTF-8"
    return error(
        Code.CONTROL_CHARACTER,
        f"character U+{ord(char):04X} is not allowed in YAML",
        span,
        hint=hint,
    )


EntryHook = Callable[[str, Scalar, Node], Node]
"""Called with each entry (section name, id, value) as soon as it is read; returns what the
tree keeps in its place."""


def parse(
    text: str, path: str, on_entry: EntryHook | None = None
) -> tuple[Node | None, list[Diagnostic]]:
    """Read one YAML document into nodes; None when the file is empty or unreadable as YAML.

    ``on_entry`` sees every collection two levels down a top-level mapping that the tree will
    keep (not under a duplicate key), in file order: the loader converts entries there, so that
    a large file's nodes never exist all at once. The tree holds what it returns instead.
    """
    diagnostics: list[Diagnostic] = []
    bad = first_bad(text, allowed_nowhere=False)
    if bad is not None:
        # libyaml reports these with a byte offset only, and cannot encode lone surrogates at all.
        return None, [_bad_character(text, path, bad.start())]
    loader = _Loader(text)
    try:
        root = _build(loader, path, diagnostics, on_entry)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(path, mark, mark) if mark is not None else Span(path, 1, 1, 1, 1)
        span = inside(text, span)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        begun = exc.context_mark
        if context and begun is not None and span != _span(path, begun, begun):
            # Where the unclosed '[' or quote began: the problem mark is often the end of the file.
            context = f" ({exc.context} at line {begun.line + 1}, column {begun.column + 1})"
        code, message, hint = _LIBYAML_PROBLEMS.get(
            problem, (Code.YAML_SYNTAX, f"YAML syntax error: {problem}{context}", None)
        )
        diagnostics.append(error(code, message, span, hint=hint))
        return None, diagnostics
    except yaml.YAMLError as exc:  # errors without a mark, e.g. from the reader
        diagnostics.append(error(Code.YAML_SYNTAX, f"YAML error: {exc}", Span(path, 1, 1, 1, 1)))
        return None, diagnostics
    finally:
        loader.dispose()
    return root, diagnostics


def _kept_key(frame: _Frame) -> Scalar | None:
    """The key of the value being read in a mapping, unless add() will drop the value."""
    key = frame.key
    return key if type(key) is Scalar and key.value not in frame.mapping else None


# Kept whole on purpose: one loop over the C parser's events with the branch per event kind
# inline, the hot path of every file read (benchmarks/run.py 'validate'); splitting it into a
# function per event kind is a change to measure there first.
def _build(  # noqa: C901, PLR0912, PLR0915
    loader: Any, path: str, out: list[Diagnostic], on_entry: EntryHook | None
) -> Node | None:
    stack: list[_Frame] = []
    root: Node | None = None
    documents = 0

    def add(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        if not top.is_map:
            top.items.append(node)
        elif top.key is None:
            if isinstance(node, Scalar):
                top.key = node
            else:
                if not isinstance(node, Bad):
                    out.append(
                        error(
                            Code.COMPLEX_KEY,
                            "complex mapping keys ('? [a, b]' or a mapping as a key) are not allowed",
                            node.span,
                            hint="use a plain text key",
                        )
                    )
                top.key = Bad(node.span)
        else:
            key = top.key
            top.key = None
            if isinstance(key, Bad):
                return
            previous = top.mapping.get(key.value)
            if previous is not None:
                first = previous[0].span
                out.append(
                    error(
                        Code.DUPLICATE_KEY,
                        f"duplicate key '{key.value}': first defined at line {first.line}, "
                        f"column {first.column}",
                        key.span,
                        hint="YAML keeps only one of the two; remove or rename one",
                    )
                )
                return
            top.mapping[key.value] = (key, node)

    get = loader.get_event
    scalar_event, start_events = yaml.ScalarEvent, (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    end_events = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    new, intern = tuple.__new__, sys.intern
    last_line, line_number = -1, 0
    while (event := get()) is not None:  # None after the end of the stream
        kind = type(event)
        # Fast paths for what funding files are made of: untagged, unanchored scalars and
        # collections, and the ends of collections. Everything else falls through to the
        # careful checks below.
        if kind in end_events:
            frame = stack.pop()
            em = event.end_mark
            whole = new(
                Span, (path, frame.start.line, frame.start.column, em.line + 1, em.column + 1)
            )
            done: Node = Map(frame.mapping, whole) if frame.is_map else Seq(frame.items, whole)
            if on_entry is not None and len(stack) == 2 and stack[0].is_map and stack[1].is_map:
                section, entry_id = _kept_key(stack[0]), _kept_key(stack[1])
                if section is not None and entry_id is not None:
                    done = on_entry(section.value, entry_id, done)
            add(done)
            continue
        if event.__dict__.get("anchor", 0) is None and getattr(event, "tag", None) is None:
            if kind is scalar_event and (event.style != '"' or first_bad(event.value) is None):
                sm, em = event.start_mark, event.end_mark
                # Spans on one line share one int object for their line number: the entries
                # keep a span for every value, and most values sit on a line of their own.
                if sm.line != last_line:
                    last_line, line_number = sm.line, sm.line + 1
                end_line = line_number if em.line == last_line else em.line + 1
                span = new(Span, (path, line_number, sm.column + 1, end_line, em.column + 1))
                plain = not event.style and event.implicit[0]
                # Plain scalars are keys, ids and codes that recur in every entry: one copy each.
                value = intern(event.value) if plain else event.value
                node = new(Scalar, (value, plain, span))
                if not stack:
                    add(node)
                    continue
                # What add() does with a scalar in the common cases, without the call.
                top = stack[-1]
                if not top.is_map:
                    top.items.append(node)
                    continue
                key = top.key
                if key is None:
                    top.key = node
                    continue
                if type(key) is Scalar and key.value not in top.mapping:
                    top.key = None
                    top.mapping[key.value] = (key, node)
                    continue
                add(node)  # a duplicate key, or a value for a refused key
                continue
            if kind in start_events and len(stack) < MAX_DEPTH:
                sm, em = event.start_mark, event.end_mark
                span = new(Span, (path, sm.line + 1, sm.column + 1, em.line + 1, em.column + 1))
                stack.append(_Frame(kind is yaml.MappingStartEvent, span))
                continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                span = _span(path, event.start_mark, event.end_mark)
                out.append(
                    error(
                        Code.MULTIPLE_DOCUMENTS,
                        "more than one YAML document in a file",
                        span,
                        hint="put each document in a file of its own, or merge them",
                    )
                )
                return None
            continue
        if isinstance(event, yaml.AliasEvent):
            span = _span(path, event.start_mark, event.end_mark)
            out.append(
                error(
                    Code.ALIAS,
                    f"alias '*{event.anchor}' is not allowed",
                    span,
                    hint="write the value out in full; funding files use no anchors or aliases",
                )
            )
            add(Bad(span))
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        span = _span(path, event.start_mark, event.end_mark)
        bad = False
        if event.anchor is not None:
            out.append(
                error(
                    Code.ALIAS,
                    f"anchor '&{event.anchor}' is not allowed",
                    span,
                    hint="write the value out in full; funding files use no anchors or aliases",
                )
            )
            bad = True
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            out.append(
                error(
                    Code.TAG,
                    f"explicit tag '{tag}' is not allowed",
                    span,
                    hint="remove the tag; kompalloc reads each value by the key it belongs to",
                )
            )
            bad = True
        if isinstance(event, yaml.ScalarEvent):
            value = event.value
            found = first_bad(value) if event.style == '"' else None
            if found is not None:
                char = found[0]
                message = f"escaped character U+{ord(char):04X} is not allowed"
                if "\ud800" <= char <= "\udfff":
                    message = "escaped lone surrogate (e.g. '\\ud800') is not a character"
                out.append(error(Code.CONTROL_CHARACTER, message, span, hint="remove it"))
                bad = True
            plain = not event.style and event.implicit[0]
            add(Bad(span) if bad else Scalar(value, plain, span))
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                out.append(
                    error(
                        Code.TOO_DEEP,
                        f"nesting deeper than {MAX_DEPTH} levels",
                        span,
                        hint="funding files need only a few levels; check the indentation",
                    )
                )
                return None
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), span))
    return root
