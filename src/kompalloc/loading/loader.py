"""Turning the paths a user names into a Bundle: find files, read them strictly, convert entries."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, warning
from kompalloc.loading.convert import TOP_LEVEL_KEYS, Reader, read_entry
from kompalloc.loading.nodes import Map, Scalar, parse
from kompalloc.source import Span, file_span

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before reading: no funding file comes near it."""
YAML_SUFFIXES = (".yaml", ".yml")
FORMAT_VERSIONS = ("1",)


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

    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            hint = "a symbolic link whose target is missing" if path.is_symlink() else None
            out.append(
                error(
                    Code.PATH_NOT_FOUND, f"no such file or folder: {raw}", file_span(raw), hint=hint
                )
            )
            continue
        except OSError as exc:
            out.append(
                error(Code.PATH_UNREADABLE, f"cannot read {raw}: {exc.strerror}", file_span(raw))
            )
            continue
        if stat.S_ISDIR(mode):
            found = sorted(str(p) for p in _walk(path) if p.suffix.lower() in YAML_SUFFIXES)
            if not found:
                out.append(
                    error(
                        Code.NO_YAML_FILES,
                        f"no .yaml or .yml files in folder {raw}",
                        file_span(raw),
                    )
                )
            for name in found:
                add(name)
        elif stat.S_ISREG(mode):
            add(raw)
        else:
            out.append(
                error(
                    Code.PATH_UNREADABLE, f"{raw} is not a regular file or folder", file_span(raw)
                )
            )
    return files, out


def _walk(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath, name)


def read_text(name: str) -> tuple[str | None, list[Diagnostic]]:
    """A file's text, strictly UTF-8 (a leading byte-order mark is allowed), or diagnostics."""
    try:
        with Path(name).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [
            error(Code.PATH_UNREADABLE, f"cannot read {name}: {exc.strerror}", file_span(name))
        ]
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return None, [
            error(Code.FILE_TOO_LARGE, f"file is larger than {limit} MiB", file_span(name))
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "save the file as UTF-8"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file is UTF-16: save it as UTF-8"
        span = Span(name, line, column, line, column + 1)
        message = f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded"
        return None, [error(Code.NOT_UTF8, message, span, hint=hint)]
    bom = text.find("\ufeff")
    if bom >= 0:
        line = text.count("\n", 0, bom) + 1
        column = bom - (text.rfind("\n", 0, bom) + 1) + 1
        span = Span(name, line, column, line, column + 1)
        return None, [
            error(Code.CONTROL_CHARACTER, "byte-order mark inside the file", span, hint="remove it")
        ]
    return text, []


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


def read_file(name: str, collector: _Collector, out: list[Diagnostic]) -> None:
    """Read one file's sections into the collector."""
    text, problems = read_text(name)
    out.extend(problems)
    if text is None:
        return
    root, problems = parse(text, name)
    out.extend(problems)
    if root is None:
        if not problems:
            out.append(warning(Code.EMPTY_FILE, "file holds no data", file_span(name)))
        return
    if isinstance(root, Scalar) and root.plain and root.value == "":
        out.append(warning(Code.EMPTY_FILE, "file holds no data", file_span(name)))
        return
    reader = Reader(out)
    if not isinstance(root, Map):
        out.append(
            error(
                Code.NOT_A_MAPPING,
                "the top level must be a mapping of sections (schemes, pools, clusters, ...)",
                root.span,
            )
        )
        return
    for key, (key_node, node) in root.items.items():
        if key == "kompalloc":
            version = node.value if isinstance(node, Scalar) else None
            if version not in FORMAT_VERSIONS:
                out.append(
                    error(
                        Code.UNSUPPORTED_VERSION,
                        f"unsupported format version {version!r}",
                        node.span,
                        "kompalloc",
                        hint=f"this kompalloc reads version {', '.join(FORMAT_VERSIONS)}",
                    )
                )
            continue
        try:
            section = model.Section(key)
        except ValueError:
            hint = did_you_mean(key, TOP_LEVEL_KEYS) or f"sections are: {', '.join(TOP_LEVEL_KEYS)}"
            out.append(
                error(Code.UNKNOWN_KEY, f"unknown section '{key}'", key_node.span, key, hint)
            )
            continue
        if isinstance(node, Scalar) and node.plain and node.value == "":
            continue  # an empty section, e.g. 'applications:' waiting to be filled
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
            continue
        for entry_key, (id_node, entry_node) in node.items.items():
            entry, whole = read_entry(section, id_node, entry_node, reader)
            if whole and entry is not None:
                collector.add(section, entry)
                continue
            collector.broken[section].add(entry_key)
            if entry is not None:
                collector.partial.append((section, entry))


def load(paths: Sequence[str]) -> tuple[model.Bundle, list[Diagnostic]]:
    """Load every YAML file the paths name into one Bundle, with every problem found on the way."""
    files, out = find_files(paths)
    collector = _Collector()
    for name in files:
        read_file(name, collector, out)
    e = collector.entries
    bundle = model.Bundle(
        schemes=e[model.Section.SCHEMES],  # type: ignore[arg-type]
        pools=e[model.Section.POOLS],  # type: ignore[arg-type]
        clusters=e[model.Section.CLUSTERS],  # type: ignore[arg-type]
        institutions=e[model.Section.INSTITUTIONS],  # type: ignore[arg-type]
        applications=e[model.Section.APPLICATIONS],  # type: ignore[arg-type]
        files=tuple(files),
        broken={s: frozenset(ids) for s, ids in collector.broken.items()},
        duplicates=tuple(collector.duplicates),
        partial=tuple(collector.partial),
    )
    return bundle, out
