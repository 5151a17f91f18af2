"""The mapping file of ``kompalloc import``: which export column feeds which application key.

It is YAML read with kompalloc's strict loader (positions, no YAML 1.1 coercions), so every
mistake in it is a diagnostic at its line and column. Its values (defaults, the targets of a
``map``) are checked with the same field readers as an application file, before any row is read.

    columns:                       # application key -> column (or a spec, or a list of specs)
      id: Søknads-ID
      institution: {column: Institusjon, map: {"Universitetet i Sørøst-Norge": usn}}
      submitted: {column: Innsendt, date_format: "%d.%m.%Y"}
      companies: {column: Bedrifter, split: ";"}
      partners:
        - {column: Tillitsvalgt, role: employee_representative}
    defaults: {scheme: industrifagskolen, year: 2021}
    sheet: Søknader                # xlsx only; --sheet wins
    header_row: 1
    delimiter: ";"                 # CSV only; detected when left out
    encoding: utf-8                # CSV only; detected when left out
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, has_errors
from kompalloc.loading.convert import (
    BOOLEAN,
    COMPANY,
    DATE,
    DECIMAL,
    FIELDS,
    MONEY,
    Field,
    Reader,
    is_invalid,
)
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, Seq
from kompalloc.source import Span, file_span

APPLICATION_FIELDS: dict[str, Field] = FIELDS[model.Section.APPLICATIONS]
KEYS: tuple[str, ...] = ("id", *APPLICATION_FIELDS)
"""What a column can feed: the application's id and every key of an application."""
TOP_KEYS = ("columns", "defaults", "sheet", "header_row", "delimiter", "encoding")
SPEC_KEYS = ("column", "map", "unmapped", "split", "date_format", "role")
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
"""Dates a cell may hold when its column names no date_format: 2021-09-15 or 15.09.2021."""
DELIMITERS = (";", ",", "\t", "|")


class CellType(Enum):
    """How a key's cells are read."""

    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    LIST = "list"


def cell_type_of(key: str) -> CellType:
    """The kind of an application key, from the loader's own field table."""
    spec = APPLICATION_FIELDS.get(key)
    if spec is None:
        return CellType.TEXT  # the id
    if spec.read is MONEY.read:
        return CellType.MONEY
    if spec.read is DATE.read:
        return CellType.DATE
    if spec.read is BOOLEAN.read:
        return CellType.BOOLEAN
    if spec.read is DECIMAL.read:
        return CellType.DECIMAL
    kind = spec.schema.get("type")
    if kind == "integer":
        return CellType.INTEGER
    if kind == "array":
        return CellType.LIST
    return CellType.TEXT


def normal(text: str) -> str:
    """Header and map-key text as compared: NFC, trimmed, every run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column feeding one application key."""

    key: str
    column: str
    """The header text, normalised."""
    span: Span
    """Where the column is named in the mapping file."""
    map: dict[str, Node] | None = None
    """Cell text (normalised) to the value to use instead, as a node of the mapping file."""
    folded: dict[str, Node] = field(default_factory=dict)
    """The map by case-folded key, for cells that differ from a key only in case."""
    keep_unmapped: bool = False
    split: str | None = None
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    role: str | None = None
    """For partners: the role of every partner this column names."""

    def lookup(self, text: str) -> Node | None:
        """The mapped node for a cell's text, or None when the map does not name it."""
        if self.map is None:
            return None
        key = normal(text)
        found = self.map.get(key)
        return found if found is not None else self.folded.get(key.casefold())


@dataclass(frozen=True, slots=True)
class ImportMapping:
    """A whole mapping file, checked."""

    path: str
    columns: dict[str, tuple[ColumnSpec, ...]]
    """By application key, in the order of the application's keys (id first)."""
    defaults: dict[str, Node]
    sheet: str | None = None
    header_row: int = 1
    delimiter: str | None = None
    encoding: str | None = None


def read_mapping(path: str) -> tuple[ImportMapping | None, list[Diagnostic]]:
    """Read and check a mapping file; None when it has errors (all of them are returned)."""
    from kompalloc.loading.loader import read_text
    from kompalloc.loading.nodes import parse

    if not Path(path).exists():
        return None, [error(Code.PATH_NOT_FOUND, f"no such file: {path}", file_span(path))]
    text, out = read_text(path)
    if text is None:
        return None, out
    root, problems = parse(text, path)
    out.extend(problems)
    if root is None or (isinstance(root, Scalar) and root.plain and root.value in ("", "~")):
        if not problems:
            out.append(
                error(
                    Code.NOT_A_MAPPING,
                    "the mapping file is empty",
                    file_span(path),
                    hint="it needs at least 'columns:' (see 'kompalloc import' in README)",
                )
            )
        return None, out
    mapping = _MappingReader(path, out).read(root)
    return (None if has_errors(out) else mapping), out


class _MappingReader:
    def __init__(self, path: str, out: list[Diagnostic]) -> None:
        self.path = path
        self.out = out
        self.r = Reader(out)
        self.named: set[str] = set()
        """Keys the mapping names, readable or not (a broken one is not reported missing too)."""

    def fail(
        self, code: Code, message: str, span: Span, where: str, hint: str | None = None
    ) -> None:
        self.out.append(error(code, message, span, where, hint))

    def unknown(self, key: Scalar, known: tuple[str, ...], what: str, where: str) -> None:
        hint = did_you_mean(key.value, known) or f"known keys: {', '.join(known)}"
        self.fail(Code.UNKNOWN_KEY, f"unknown key '{key.value}' in {what}", key.span, where, hint)

    def read(self, root: Node) -> ImportMapping | None:
        if not isinstance(root, Map):
            self.fail(
                Code.NOT_A_MAPPING,
                "a mapping file is a mapping with 'columns:' and optionally 'defaults:'",
                root.span,
                "",
            )
            return None
        values: dict[str, Any] = {}
        for key, (key_node, node) in root.items.items():
            if key not in TOP_KEYS:
                self.unknown(key_node, TOP_KEYS, "the mapping", key)
                continue
            values[key] = node
        columns: dict[str, tuple[ColumnSpec, ...]] = {}
        defaults: dict[str, Node] = {}
        if "columns" not in values:
            self.fail(
                Code.MISSING_KEY,
                "the mapping is missing the required key 'columns'",
                root.span,
                "",
                "name the export's column for each application key, e.g. 'id: Søknads-ID'",
            )
        else:
            columns = self.columns(values["columns"])
        if "defaults" in values:
            defaults = self.defaults(values["defaults"])
        self.required(columns, defaults, values.get("columns", root))
        sheet = self.optional(values, "sheet", self.r.text)
        header_row = self.optional(values, "header_row", self.r.integer)
        if header_row == 0:
            self.fail(
                Code.BAD_INTEGER, "header_row starts at 1", values["header_row"].span, "header_row"
            )
            header_row = None
        delimiter = self.optional(values, "delimiter", self.delimiter)
        encoding = self.optional(values, "encoding", self.encoding)
        order = {key: i for i, key in enumerate(KEYS)}
        return ImportMapping(
            path=self.path,
            columns=dict(sorted(columns.items(), key=lambda item: order[item[0]])),
            defaults=defaults,
            sheet=sheet,
            header_row=header_row or 1,
            delimiter=delimiter,
            encoding=encoding,
        )

    def optional(self, values: dict[str, Any], key: str, read: Callable[[Node, str], Any]) -> Any:
        if key not in values:
            return None
        value = read(values[key], key)
        return None if is_invalid(value) else value

    def delimiter(self, node: Node, where: str) -> Any:
        value = self.r.text(node, where)
        if is_invalid(value) or value in DELIMITERS:
            return value
        shown = ", ".join(repr(d).replace("'\\t'", '"\\t"') for d in DELIMITERS)
        return self.r.fail(
            Code.BAD_CHOICE, f"unknown delimiter {value!r}", node, where, f"one of {shown}"
        )

    def encoding(self, node: Node, where: str) -> Any:
        value = self.r.text(node, where)
        if is_invalid(value):
            return value
        hint = "e.g. utf-8, cp1252 (Windows) or latin-1"
        try:
            info = codecs.lookup(value)
        except LookupError:
            return self.r.fail(Code.BAD_CHOICE, f"unknown encoding '{value}'", node, where, hint)
        # Codecs such as base64, rot13, hex, zlib or uu turn bytes into bytes (or text into
        # text): they are not the encoding of a text file.
        if not getattr(info, "_is_text_encoding", True):
            return self.r.fail(
                Code.BAD_CHOICE, f"'{value}' is not a text encoding", node, where, hint
            )
        return info.name

    def columns(self, node: Node) -> dict[str, tuple[ColumnSpec, ...]]:
        if isinstance(node, Bad):
            return {}
        if not isinstance(node, Map):
            self.fail(
                Code.NOT_A_MAPPING,
                "'columns' must map application keys to column names",
                node.span,
                "columns",
                "e.g. 'id: Søknads-ID' on its own line under 'columns:'",
            )
            return {}
        out: dict[str, tuple[ColumnSpec, ...]] = {}
        for key, (key_node, child) in node.items.items():
            where = f"columns.{key}"
            self.named.add(key)
            if key not in KEYS:
                self.unknown(key_node, KEYS, "columns (they are the keys of an application)", where)
                continue
            specs = self.specs(key, child, where)
            if specs:
                out[key] = specs
        return out

    def specs(self, key: str, node: Node, where: str) -> tuple[ColumnSpec, ...]:
        if isinstance(node, Seq):
            if cell_type_of(key) is not CellType.LIST:
                self.fail(
                    Code.WRONG_TYPE,
                    f"only list keys (companies, partners, ...) can come from several columns, not '{key}'",
                    node.span,
                    where,
                )
                return ()
            read = [self.spec(key, item, f"{where}[{i}]") for i, item in enumerate(node.items)]
            return tuple(s for s in read if s is not None)
        spec = self.spec(key, node, where)
        return (spec,) if spec is not None else ()

    def spec(self, key: str, node: Node, where: str) -> ColumnSpec | None:
        kind = cell_type_of(key)
        if isinstance(node, Scalar):
            name = self.r.text(node, where)
            if is_invalid(name):
                return None
            if key == "partners":
                self.fail(
                    Code.MISSING_KEY,
                    "a partners column needs the partners' role",
                    node.span,
                    where,
                    f"write {{column: {name}, role: employee_representative}}",
                )
                return None
            return ColumnSpec(key, normal(name), node.span)
        if not isinstance(node, Map):
            self.r.scalar(node, where, "a column name or {column: ..., ...}")
            return None
        ok = True
        spec = ColumnSpec(key, "", node.span)
        for option, (option_node, child) in node.items.items():
            at = f"{where}.{option}"
            if option not in SPEC_KEYS:
                self.unknown(option_node, SPEC_KEYS, "a column", at)
                ok = False
                continue
            value = self.option(key, kind, option, child, at)
            if value is None:
                ok = False
            else:
                spec = replace(spec, **value)
        if "column" not in node.items:
            self.fail(
                Code.MISSING_KEY, "a column is missing the required key 'column'", node.span, where
            )
            ok = False
        if key == "partners" and "role" not in node.items:
            self.fail(
                Code.MISSING_KEY,
                "a partners column needs the partners' role",
                node.span,
                where,
                "add e.g. 'role: employee_representative'",
            )
            ok = False
        return spec if ok else None

    def option(
        self, key: str, kind: CellType, option: str, node: Node, where: str
    ) -> dict[str, Any] | None:
        """One option of a column spec as fields of ColumnSpec, or None after reporting it."""
        if option == "column":
            name = self.r.text(node, where)
            return None if is_invalid(name) else {"column": normal(name), "span": node.span}
        if option == "map":
            return self.value_map(key, node, where)
        if option == "unmapped":
            value = self.r.choices(("error", "keep"), "choice")(node, where)
            return None if is_invalid(value) else {"keep_unmapped": value == "keep"}
        if option == "split":
            if kind is not CellType.LIST:
                return self.misplaced(
                    option, "list keys (companies, partners, target_groups)", node, where
                )
            value = self.r.text(node, where)
            return None if is_invalid(value) else {"split": value}
        if option == "date_format":
            if kind is not CellType.DATE:
                return self.misplaced(option, "dates (submitted)", node, where)
            return self.date_formats(node, where)
        if key != "partners":
            return self.misplaced(option, "partners", node, where)
        value = self.r.choices(model.PARTNER_ROLES, "partner role")(node, where)
        return None if is_invalid(value) else {"role": value}

    def misplaced(self, option: str, what: str, node: Node, where: str) -> dict[str, Any] | None:
        """Report an option given to a key it does not apply to."""
        self.fail(Code.UNKNOWN_KEY, f"'{option}' applies only to {what}", node.span, where)
        return None

    def date_formats(self, node: Node, where: str) -> dict[str, Any] | None:
        items = node.items if isinstance(node, Seq) else [node]
        formats: list[str] = []
        for i, item in enumerate(items):
            at = f"{where}[{i}]" if isinstance(node, Seq) else where
            text = self.r.text(item, at)
            if is_invalid(text):
                return None
            probe = date(2021, 9, 15)
            try:
                back = datetime.strptime(probe.strftime(text), text).date()
            except ValueError:
                back = None
            if back != probe:
                self.fail(
                    Code.WRONG_TYPE,
                    f"'{text}' is not a date format with a day, a month and a four-digit year",
                    item.span,
                    at,
                    "e.g. '%d.%m.%Y' for 15.09.2021 or '%Y-%m-%d' for 2021-09-15",
                )
                return None
            formats.append(text)
        if not formats:
            self.fail(Code.WRONG_TYPE, "date_format is an empty list", node.span, where)
            return None
        return {"date_formats": tuple(formats)}

    def value_map(self, key: str, node: Node, where: str) -> dict[str, Any] | None:
        if not isinstance(node, Map):
            self.fail(
                Code.NOT_A_MAPPING,
                "'map' must map cell values to what to write instead",
                node.span,
                where,
                "e.g. map: {Ja: true, Nei: false}",
            )
            return None
        check = self.value_reader(key)
        exact: dict[str, Node] = {}
        folded: dict[str, Node] = {}
        first: dict[str, Scalar] = {}
        ok = True
        for text, (key_node, value) in node.items.items():
            at = f"{where}.{text}"
            cell = normal(text)
            fold = cell.casefold()
            if fold in first:
                seen = first[fold]
                self.fail(
                    Code.DUPLICATE_KEY,
                    f"'{text}' and '{seen.value}' are the same cell value to the import "
                    f"(case and spaces are ignored): first at line {seen.span.line}",
                    key_node.span,
                    at,
                    "remove one of them",
                )
                ok = False
                continue
            first[fold] = key_node
            if is_invalid(check(value, at)):
                ok = False
                continue
            exact[cell] = value
            folded[fold] = value
        return {"map": exact, "folded": folded} if ok else None

    def value_reader(self, key: str) -> Callable[[Node, str], Any]:
        """What a map's values must be: a value of the key, or one item of a list key."""
        if key == "id":
            return self.r.ident
        if key == "companies":
            return COMPANY.read(self.r)
        if key == "partners":
            return self.r.text  # the partner's name; the column gives the role
        if cell_type_of(key) is CellType.LIST:
            return self.r.ident  # target_groups
        return APPLICATION_FIELDS[key].read(self.r)

    def defaults(self, node: Node) -> dict[str, Node]:
        if not isinstance(node, Map):
            self.fail(
                Code.NOT_A_MAPPING,
                "'defaults' must map application keys to values",
                node.span,
                "defaults",
                "e.g. 'scheme: industrifagskolen' on its own line under 'defaults:'",
            )
            return {}
        out: dict[str, Node] = {}
        for key, (key_node, value) in node.items.items():
            where = f"defaults.{key}"
            self.named.add(key)
            if key == "id":
                self.fail(
                    Code.UNKNOWN_KEY,
                    "the id cannot have a default: each application needs its own",
                    key_node.span,
                    where,
                )
                continue
            spec = APPLICATION_FIELDS.get(key)
            if spec is None:
                self.unknown(
                    key_node,
                    tuple(APPLICATION_FIELDS),
                    "defaults (they are the keys of an application)",
                    where,
                )
                continue
            if not is_invalid(spec.read(self.r)(value, where)):
                out[key] = value
        return out

    def required(
        self, columns: dict[str, tuple[ColumnSpec, ...]], defaults: dict[str, Node], node: Node
    ) -> None:
        needed = ["id", *(key for key, spec in APPLICATION_FIELDS.items() if spec.required)]
        for key in needed:
            if key not in columns and key not in defaults and key not in self.named:
                self.fail(
                    Code.MISSING_KEY,
                    f"the mapping gives no column or default for the required key '{key}'",
                    node.span,
                    "columns",
                    f"add '{key}: <column name>' under columns"
                    + ("" if key == "id" else f", or '{key}: <value>' under defaults"),
                )
