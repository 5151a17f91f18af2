"""Turning the paths a user names into a Bundle: find files, read them strictly, convert entries."""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, warning
from kompalloc.loading.convert import TOP_LEVEL_KEYS, Reader, read_entry
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, parse, position
from kompalloc.source import Span, file_span

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before reading: no funding file comes near it."""
YAML_SUFFIXES = (".yaml", ".yml")
FORMAT_VERSIONS = ("1",)
SECTIONS = frozenset(s.value for s in model.Section)
NULLS = ("", "~", "null", "Null", "NULL")
"""Plain scalars YAML reads as null: an empty file or section, however it is written."""


_AMOUNT_PART = re.compile(
    r"(?i:mnok|nok|kr|kroner|mill\.?|millioner|øre|%)|[0-9][0-9 .,]*(?i: ?(?:mnok|kr|%))?"
)
"""A 'path' that is rather a piece of an amount (8 MNOK unquoted gives '8' and 'MNOK')."""


def find_files(paths: Sequence[str]) -> tuple[list[str], list[Diagnostic]]:
    """The YAML files the paths name: files as given, folders searched recursively in sorted order."""
    files: list[str] = []
    out: list[Diagnostic] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        key = os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            files.append(name)

    def visit(raw: str) -> None:
        """Add a regular file, or the YAML files in a folder; report any other path."""
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            hint = "a symbolic link whose target is missing" if path.is_symlink() else None
            if hint is None and _AMOUNT_PART.fullmatch(raw.strip()):
                hint = (
                    f"'{raw}' looks like part of an amount the shell split at a space: quote "
                    "amounts, e.g. --from '8 MNOK' or --set 'pools.ID.cap=8 MNOK'"
                )
            out.append(
                error(
                    Code.PATH_NOT_FOUND, f"no such file or folder: {raw}", file_span(raw), hint=hint
                )
            )
            return
        except OSError as exc:
            out.append(
                error(Code.PATH_UNREADABLE, f"cannot read {raw}: {exc.strerror}", file_span(raw))
            )
            return
        if stat.S_ISDIR(mode):
            known = len(out)
            found = sorted(str(p) for p in _walk(path, out) if p.suffix.lower() in YAML_SUFFIXES)
            if not found and len(out) == known:  # not when the folder itself was unreadable
                out.append(
                    error(
                        Code.NO_YAML_FILES,
                        f"no .yaml or .yml files in folder {raw}",
                        file_span(raw),
                    )
                )
            for name in found:
                visit(name)  # a FIFO or a dangling link in the folder is reported, not read
        elif stat.S_ISREG(mode):
            add(raw)
        else:
            out.append(
                error(
                    Code.PATH_UNREADABLE, f"{raw} is not a regular file or folder", file_span(raw)
                )
            )

    for raw in paths:
        visit(raw)
    return files, out


def _walk(folder: Path, out: list[Diagnostic]) -> Iterable[Path]:
    def unreadable(exc: OSError) -> None:
        name = exc.filename or str(folder)
        out.append(
            error(
                Code.PATH_UNREADABLE, f"cannot read folder {name}: {exc.strerror}", file_span(name)
            )
        )

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath, name)


def read_text(name: str) -> tuple[str | None, list[Diagnostic]]:
    """A file's text, strictly UTF-8 (a leading byte-order mark is allowed), or diagnostics."""
    too_large = error(
        Code.FILE_TOO_LARGE,
        f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
        file_span(name),
    )
    try:
        # Non-blocking, so that a FIFO (swapped in after find_files) cannot hang the open.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, [
                    error(
                        Code.PATH_UNREADABLE,
                        f"{name} is not a regular file or folder",
                        file_span(name),
                    )
                ]
            if info.st_size > MAX_FILE_BYTES:
                return None, [too_large]
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [
            error(Code.PATH_UNREADABLE, f"cannot read {name}: {exc.strerror}", file_span(name))
        ]
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, [_not_utf8(name, data, 0, utf16=True)]
    if _looks_like_utf16(data):  # UTF-16 without a BOM: NUL bytes beside the ASCII characters
        return None, [_not_utf8(name, data, data.find(b"\x00"), utf16=True)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(name, data, exc.start, utf16=False)]
    bom = text.find("\ufeff")
    if bom >= 0:
        line, column = position(text, bom)
        span = Span(name, line, column, line, column + 1)
        return None, [
            error(Code.CONTROL_CHARACTER, "byte-order mark inside the file", span, hint="remove it")
        ]
    return text, []


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:1024]
    return sample.count(0) * 4 >= len(sample) > 0


def _not_utf8(name: str, data: bytes, start: int, *, utf16: bool) -> Diagnostic:
    """KA005 at the bad byte's line and column, counted in characters as an editor does."""
    before = data[:start].decode("utf-8", errors="replace")
    line, column = position(before, len(before))
    span = Span(name, line, column, line, column + 1)
    hint = "the file is UTF-16: save it as UTF-8" if utf16 else "save the file as UTF-8"
    message = f"not UTF-8: byte 0x{data[start]:02x} cannot be decoded"
    if utf16 and data[start] == 0:
        message = "not UTF-8: NUL bytes between the characters"
    return error(Code.NOT_UTF8, message, span, hint=hint)


class _Collector:
    """Gathers entries across files; the first definition of an id wins, later ones are duplicates."""

    def __init__(self) -> None:
        self.entries: dict[model.Section, dict[str, model.Entry]] = {s: {} for s in model.Section}
        self.broken: dict[model.Section, set[str]] = {s: set() for s in model.Section}
        self.duplicates: list[tuple[model.Section, model.Entry, model.Entry]] = []
        self.partial: list[tuple[model.Section, model.Entry]] = []

    def add(self, section: model.Section, entry: model.Entry) -> None:
        kept = self.entries[section].get(entry.id)
        if kept is None:
            self.entries[section][entry.id] = entry
        else:
            self.duplicates.append((section, kept, entry))


def check_version(node: Node, out: list[Diagnostic]) -> bool:
    """Whether a ``kompalloc:`` version is one this kompalloc reads (reported when not)."""
    version = node.value if isinstance(node, Scalar) else None
    if version in FORMAT_VERSIONS:
        return True
    out.append(
        error(
            Code.UNSUPPORTED_VERSION,
            f"unsupported format version {version!r}",
            node.span,
            "kompalloc",
            hint=f"this kompalloc reads version {', '.join(FORMAT_VERSIONS)}",
        )
    )
    return False


_EarlyReads = dict[tuple[str, str], tuple[list[Diagnostic], model.Entry | None, bool]]
"""Entries converted while parsing, by (section, id): their diagnostics, entry and wholeness."""


def read_file(name: str, collector: _Collector, out: list[Diagnostic]) -> None:
    """Read one file's sections into the collector."""
    text, problems = read_text(name)
    out.extend(problems)
    if text is None:
        return
    reader = Reader(out)
    read: _EarlyReads = {}

    def read_now(section: str, id_node: Scalar, node: Node) -> Node:
        """Convert an entry as soon as it is parsed, keeping its diagnostics for later."""
        if section not in SECTIONS:
            return node
        problems: list[Diagnostic] = []
        reader.out = problems
        entry, whole = read_entry(model.Section(section), id_node, node, reader)
        reader.out = out
        read[(section, id_node.value)] = (problems, entry, whole)
        return Bad(node.span)  # the entry's nodes can go: only their span is needed again

    root, problems = parse(text, name, read_now)
    out.extend(problems)
    top = _top_level(name, root, problems, out)
    if top is None:
        return
    for key, (key_node, node) in top.items.items():
        found = _section(key, key_node, node, out)
        if found is not None:
            section, entries = found
            _read_section(section, entries, read, reader, collector, out)


def _top_level(
    name: str, root: Node | None, problems: list[Diagnostic], out: list[Diagnostic]
) -> Map | None:
    """The file's top-level mapping, or None after reporting an empty file or a non-mapping."""
    if root is None:
        if not problems:
            out.append(warning(Code.EMPTY_FILE, "file holds no data", file_span(name)))
        return None
    if isinstance(root, Scalar) and root.plain and root.value in NULLS:
        out.append(warning(Code.EMPTY_FILE, "file holds no data", file_span(name)))
        return None
    if not isinstance(root, Map):
        out.append(
            error(
                Code.NOT_A_MAPPING,
                "the top level must be a mapping of sections (schemes, pools, clusters, ...)",
                root.span,
            )
        )
        return None
    return root


def _section(
    key: str, key_node: Node, node: Node, out: list[Diagnostic]
) -> tuple[model.Section, Map] | None:
    """The section a top-level key names and its entries, or None for the version, an empty
    section, or a key or value that is reported as wrong."""
    if key == "kompalloc":
        check_version(node, out)
        return None
    try:
        section = model.Section(key)
    except ValueError:
        hint = did_you_mean(key, TOP_LEVEL_KEYS) or f"sections are: {', '.join(TOP_LEVEL_KEYS)}"
        out.append(error(Code.UNKNOWN_KEY, f"unknown section '{key}'", key_node.span, key, hint))
        return None
    if isinstance(node, Scalar) and node.plain and node.value in NULLS:
        return None  # an empty section, e.g. 'applications:' waiting to be filled
    if not isinstance(node, Map):
        out.append(
            error(
                Code.NOT_A_MAPPING,
                f"section '{key}' must be a mapping from id to entry",
                node.span,
                key,
                hint=f"write '{key}:' then one indented 'ID:' per entry",
            )
        )
        return None
    return section, node


def _read_section(
    section: model.Section,
    entries: Map,
    read: _EarlyReads,
    reader: Reader,
    collector: _Collector,
    out: list[Diagnostic],
) -> None:
    """Add a section's entries to the collector, whole, partial or broken, in file order."""
    for entry_key, (id_node, entry_node) in entries.items.items():
        early = read.pop((section.value, entry_key), None)
        if early is None:
            entry, whole = read_entry(section, id_node, entry_node, reader)
        else:  # read while parsing: its diagnostics take their place here, in file order
            problems, entry, whole = early
            out.extend(problems)
        if whole and entry is not None:
            collector.add(section, entry)
            continue
        collector.broken[section].add(entry_key)
        if entry is not None:
            collector.partial.append((section, entry))


def load(
    paths: Sequence[str], on_file: Callable[[int, int], None] | None = None
) -> tuple[model.Bundle, list[Diagnostic]]:
    """Load every YAML file the paths name into one Bundle, with every problem found on the way.

    ``on_file(done, total)`` is called after each file, e.g. to move a progress bar.
    """
    files, out = find_files(paths)
    collector = _Collector()
    # The node trees hold no reference cycles, so the cyclic collector only costs time here
    # (about a third of loading a large file); it is switched back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for done, name in enumerate(files, start=1):
            read_file(name, collector, out)
            if on_file is not None:
                on_file(done, len(files))
    finally:
        if collecting:
            gc.enable()
    e = collector.entries
    rounds = e[model.Section.EARLIER_ROUNDS]
    if rounds:
        from kompalloc.loading.earlier import resolve

        for key, entry in rounds.items():
            rounds[key] = resolve(entry, out)  # type: ignore[arg-type]
    bundle = model.Bundle(
        schemes=e[model.Section.SCHEMES],  # type: ignore[arg-type]
        pools=e[model.Section.POOLS],  # type: ignore[arg-type]
        clusters=e[model.Section.CLUSTERS],  # type: ignore[arg-type]
        institutions=e[model.Section.INSTITUTIONS],  # type: ignore[arg-type]
        applications=e[model.Section.APPLICATIONS],  # type: ignore[arg-type]
        limits=e[model.Section.LIMITS],  # type: ignore[arg-type]
        grants=e[model.Section.GRANTS],  # type: ignore[arg-type]
        earlier_rounds=rounds,  # type: ignore[arg-type]
        files=tuple(files),
        broken={s: frozenset(ids) for s, ids in collector.broken.items()},
        duplicates=tuple(collector.duplicates),
        partial=tuple(collector.partial),
    )
    return bundle, out
