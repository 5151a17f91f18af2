"""Typed reading of node trees into model entries: one declarative field table per section.

Every scalar arrives as text; each field's kind decides how it is read, so a plain ``NO``
stays text where text is meant and is an error where a boolean is meant. Problems become
diagnostics that point at the offending value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, warning
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, Seq
from kompalloc.money import MoneyError, parse_money
from kompalloc.source import Span, span_map

_INVALID = object()
"""Marks a value already reported as wrong."""

ID_PATTERN = re.compile(r"[^\W_][\w.-]*")
ID_SCHEMA_PATTERN = r"^[^\s._-][^\s]*$"
"""A looser form of ID_PATTERN for JSON Schema, whose regexes have no Unicode \\w everywhere."""
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,8})([.,][0-9]{1,4})?")
_PERCENT = re.compile(r"((?:0|[1-9][0-9]{0,2})(?:[.,][0-9]{1,4})?) ?%")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
_YAML11_BOOL_WORDS = {
    spelling
    for word in ("yes", "no", "true", "false", "on", "off")
    for spelling in (word, word.title(), word.upper())
}
"""The plain scalars YAML 1.1 (PyYAML's safe_load) turns into booleans: the 'Norway problem'."""
_YAML11_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)")
"""Plain scalars YAML 1.1 turns into dates (or times)."""


_ID_HINT = "ids are letters, digits, '.', '_' and '-', starting with a letter or digit"
_NFC_HINT = (
    "retype it, or save the file with composed characters (Unicode NFC), as most editors do"
)


def bad_id(value: str) -> tuple[str, str]:
    """The message and hint for a value that is not a valid id.

    An id typed with decomposed letters (NFD: 'å' as 'a' and a combining ring, as some Mac
    programs write) looks exactly like a valid one: say so, or the message makes no sense.
    """
    composed = unicodedata.normalize("NFC", value)
    if composed != value and ID_PATTERN.fullmatch(composed):
        return (
            f"'{value}' is not a valid id: it differs from the id '{composed}' only in Unicode "
            "normalisation (its letters are decomposed, NFD)",
            _NFC_HINT,
        )
    return f"'{value}' is not a valid id", _ID_HINT


_MEMO_SIZE = 256
"""How many scalars record_partial remembers per field and Reader."""


class Reader:
    """Reads values of one kind from nodes, adding diagnostics for what it cannot read.

    What a reader returns for a scalar depends on its text and whether it is plain, never on
    where it stands (which only its diagnostics mention), and the values are immutable; so
    the reader remembers the values read without a diagnostic, and reads a scalar it has
    met before in the same field only once.
    """

    def __init__(self, out: list[Diagnostic]) -> None:
        self.out = out
        self._readers: dict[
            int, tuple[Field, Callable[[Node, str], Any], dict[tuple[str, bool], Any]]
        ] = {}
        """Each field's reader and the values it read, by the field's id (the field is kept)."""
        self._required: dict[int, tuple[Mapping[str, Field], tuple[str, ...]]] = {}
        """The required keys of each field table read, likewise."""

    def fail(
        self, code: Code, message: str, node: Node, where: str, hint: str | None = None
    ) -> object:
        """Report a wrong value and return the invalid marker."""
        self.out.append(error(code, message, node.span, where, hint))
        return _INVALID

    def scalar(self, node: Node, where: str, what: str) -> Scalar | object:
        """The node as a scalar, or a reported error."""
        if isinstance(node, Bad):
            return _INVALID
        if not isinstance(node, Scalar):
            kind = "a mapping" if isinstance(node, Map) else "a list"
            return self.fail(Code.WRONG_TYPE, f"expected {what}, found {kind}", node, where)
        return node

    def text(self, node: Node, where: str) -> Any:
        """Any scalar, taken literally."""
        s = self.scalar(node, where, "text")
        if not isinstance(s, Scalar):
            return s
        if s.plain and s.value in ("", "~", "null", "Null", "NULL"):
            return self.fail(Code.WRONG_TYPE, "expected text, found an empty value", node, where)
        meaning = None
        if s.plain and s.value in _YAML11_BOOL_WORDS:
            meaning = "true" if s.value.lower() in ("yes", "on", "true") else "false"
        elif s.plain and _YAML11_TIMESTAMP.match(s.value):
            meaning = "a date"
        if meaning is not None:
            self.out.append(
                warning(
                    Code.TEXT_LOOKS_BOOLEAN,
                    f"'{s.value}' is read as text here, but other YAML tools read it as {meaning}",
                    node.span,
                    where,
                    hint=f'quote it: "{s.value}"',
                )
            )
        return s.value

    def ident(self, node: Node, where: str) -> Any:
        """An id of an entry (a reference)."""
        value = self.text(node, where)
        if value is _INVALID:
            return value
        if not ID_PATTERN.fullmatch(value):
            message, hint = bad_id(value)
            return self.fail(Code.BAD_ID, message, node, where, hint)
        return value

    def integer(self, node: Node, where: str) -> Any:
        """A whole number written as plain digits."""
        s = self.scalar(node, where, "a whole number")
        if not isinstance(s, Scalar):
            return s
        if _INT.fullmatch(s.value):
            return int(s.value)
        hint = None
        if re.fullmatch(r"0[0-9]+", s.value):
            hint = "leading zeros are not allowed (YAML 1.1 reads them as octal)"
        return self.fail(Code.BAD_INTEGER, f"'{s.value}' is not a whole number", node, where, hint)

    def year(self, node: Node, where: str) -> Any:
        """A budget year."""
        value = self.integer(node, where)
        if value is not _INVALID and not 1900 <= value <= 2200:
            return self.fail(Code.BAD_INTEGER, f"{value} is not a plausible year", node, where)
        return value

    def rank(self, node: Node, where: str) -> Any:
        """A council priority, 1 or more."""
        value = self.integer(node, where)
        if value == 0:
            return self.fail(Code.BAD_INTEGER, "rank starts at 1", node, where)
        return value

    def boolean(self, node: Node, where: str) -> Any:
        """``true`` or ``false``, nothing else."""
        s = self.scalar(node, where, "true or false")
        if not isinstance(s, Scalar):
            return s
        if s.plain and s.value in ("true", "false"):
            return s.value == "true"
        hint = "write true or false"
        if s.value.lower() in _YAML11_BOOLS:
            hint = f"write true or false ('{s.value}' means different things to different YAML readers)"
        return self.fail(Code.BAD_BOOLEAN, f"'{s.value}' is not true or false", node, where, hint)

    def day(self, node: Node, where: str) -> Any:
        """A calendar date written YYYY-MM-DD."""
        s = self.scalar(node, where, "a date")
        if not isinstance(s, Scalar):
            return s
        m = _DATE.fullmatch(s.value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError as exc:
                return self.fail(
                    Code.BAD_DATE, f"'{s.value}' is not a real date: {exc}", node, where
                )
        return self.fail(
            Code.BAD_DATE,
            f"'{s.value}' is not a date",
            node,
            where,
            "write dates as YYYY-MM-DD, e.g. 2021-09-15",
        )

    def money(self, node: Node, where: str) -> Any:
        """An amount, read exactly into øre."""
        s = self.scalar(node, where, "an amount")
        if not isinstance(s, Scalar):
            return s
        result = _parse_money(s.value)
        if isinstance(result, MoneyError):
            return self.fail(Code.BAD_MONEY, result.message, node, where, result.hint)
        return result

    def decimal(self, node: Node, where: str) -> Any:
        """A non-negative decimal number such as study points (7.5 or 7,5)."""
        s = self.scalar(node, where, "a number")
        if not isinstance(s, Scalar):
            return s
        if _DECIMAL.fullmatch(s.value):
            from decimal import Decimal, InvalidOperation  # loaded only when a file has numbers

            try:
                return Decimal(s.value.replace(",", "."))
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                pass
        return self.fail(
            Code.BAD_NUMBER, f"'{s.value}' is not a number like 10 or 7.5", node, where
        )

    def percent(self, node: Node, where: str) -> Any:
        """A share written as a percentage, e.g. '40 %' or '12,5%', read exactly as a fraction."""
        s = self.scalar(node, where, "a percentage")
        if not isinstance(s, Scalar):
            return s
        m = _PERCENT.fullmatch(s.value.strip())
        if m:
            from decimal import Decimal
            from fractions import Fraction

            value = Fraction(Decimal(m[1].replace(",", "."))) / 100
            if value <= 1:
                return value
        return self.fail(
            Code.BAD_NUMBER,
            f"'{s.value}' is not a percentage from 0 % to 100 %",
            node,
            where,
            "write e.g. '40 %' or '12,5 %'",
        )

    def mapping_of(self, value: Callable[[Node, str], Any]) -> Callable[[Node, str], Any]:
        """A reader of a mapping from ids to values read by ``value``."""

        def read(node: Node, where: str) -> Any:
            if isinstance(node, Bad):
                return _INVALID
            if not isinstance(node, Map):
                return self.fail(
                    Code.NOT_A_MAPPING, "expected a mapping from id to value", node, where
                )
            out: dict[str, Any] = {}
            for key, (key_node, child) in node.items.items():
                if not ID_PATTERN.fullmatch(key):
                    message, hint = bad_id(key)
                    self.fail(Code.BAD_ID, message, key_node, f"{where}.{key}", hint)
                    out[key] = _INVALID
                    continue
                out[key] = value(child, f"{where}.{key}")
            return _INVALID if _INVALID in out.values() else out

        return read

    def seq(self, node: Node, where: str) -> list[Node] | object:
        """The items of a list, or a reported error."""
        if isinstance(node, Bad):
            return _INVALID
        if isinstance(node, Seq):
            return node.items
        if isinstance(node, Scalar) and node.plain and node.value in ("", "[]"):
            return []
        return self.fail(
            Code.WRONG_TYPE, "expected a list", node, where, "write [a, b] or one '- a' per line"
        )

    def choices(self, allowed: tuple[str, ...], what: str) -> Callable[[Node, str], Any]:
        """A reader of one value from a closed list."""

        def read(node: Node, where: str) -> Any:
            value = self.text(node, where)
            if value is _INVALID or value in allowed:
                return value
            message = f"unknown {what} '{value}'"
            hint = did_you_mean(value, allowed) or f"choose one of: {', '.join(allowed)}"
            composed = unicodedata.normalize("NFC", value)
            if composed != value and composed in allowed:
                message += f": it differs from '{composed}' only in Unicode normalisation (NFD)"
                hint = _NFC_HINT
            return self.fail(Code.BAD_CHOICE, message, node, where, hint)

        return read

    def list_of(self, item: Callable[[Node, str], Any]) -> Callable[[Node, str], Any]:
        """A reader of a list whose items are read by ``item``."""

        def read(node: Node, where: str) -> Any:
            items = self.seq(node, where)
            if items is _INVALID:
                return items
            assert isinstance(items, list)
            values = [item(child, f"{where}[{i}]") for i, child in enumerate(items)]
            return _INVALID if _INVALID in values else tuple(values)

        return read

    def org_number(self, node: Node, where: str) -> Any:
        """A Norwegian organisation number (9 digits, mod-11 check digit), kept as 9 digits."""
        value = self.text(node, where)
        if value is _INVALID:
            return value
        from stdnum.exceptions import ValidationError
        from stdnum.no import orgnr

        try:
            return str(orgnr.validate(value))
        except ValidationError as exc:
            return self.fail(
                Code.BAD_ORG_NUMBER,
                f"'{value}' is not a valid Norwegian organisation number: {exc}",
                node,
                where,
                "an organisation number has 9 digits; the last is a check digit (see brreg.no)",
            )

    def record(
        self, node: Node, where: str, fields: dict[str, Field], what: str
    ) -> dict[str, Any] | object:
        """A mapping read field by field; unknown keys and missing required keys are reported."""
        values, ok = self.record_partial(node, where, fields, what)
        return values if ok and values is not None else _INVALID

    def record_partial(
        self, node: Node, where: str, fields: dict[str, Field], what: str, name: str | None = None
    ) -> tuple[dict[str, Any] | None, bool]:
        """The values that could be read (None if not a mapping), and whether all of them could.

        ``name``: the entry's id, for messages that point at the whole entry.
        """
        if isinstance(node, Bad):
            return None, False
        if not isinstance(node, Map):
            self.fail(Code.NOT_A_MAPPING, f"expected {what} as a mapping of keys", node, where)
            return None, False
        values: dict[str, Any] = {}
        ok = True
        splits = _comma_splits(node) if any(k[:1].isdigit() for k in node.items) else None
        for key, (key_node, child) in node.items.items():
            if splits is not None and key in splits:
                split = splits[key]
                ok = False
                if split is None:
                    continue  # the digits after the comma: reported with the key before it
                self._comma_split(key, child, split, f"{where}.{key}")
                if key in fields:
                    continue
            spec = fields.get(key)
            if spec is None:
                hint = did_you_mean(key, fields) or f"known keys: {', '.join(fields)}"
                self.fail(
                    Code.UNKNOWN_KEY,
                    f"unknown key '{key}' in {what}",
                    key_node,
                    f"{where}.{key}",
                    hint,
                )
                ok = False
                continue
            value = self._field(spec, child, f"{where}.{key}")
            if value is _INVALID:
                ok = False
            else:
                values[key] = value
        has_required = self._has_required(node, where, fields, what, name)
        return values, ok and has_required

    def _field(self, spec: Field, child: Node, where: str) -> Any:
        """One field's value read by its (cached) reader, remembering plain scalars that read
        cleanly so repeated values are converted once."""
        made = self._readers.get(id(spec))
        if made is None:
            made = self._readers[id(spec)] = (spec, spec.read(self), {})
        if type(child) is not Scalar:
            return made[1](child, where)
        memo = made[2]
        text = child[:2]
        value = memo.get(text, _INVALID)
        if value is _INVALID:
            out = self.out
            known = len(out)
            value = made[1](child, where)
            if value is not _INVALID and len(out) == known and len(memo) < _MEMO_SIZE:
                memo[text] = value
        return value

    def _has_required(
        self, node: Map, where: str, fields: dict[str, Field], what: str, name: str | None
    ) -> bool:
        """Whether the mapping has every required key (each missing one is reported)."""
        ok = True
        for key in self._required_keys(fields):
            if key not in node.items:
                named = what if name is None else f"{what.split(' ', 1)[-1]} '{name}'"
                self.fail(
                    Code.MISSING_KEY, f"{named} is missing the required key '{key}'", node, where
                )
                ok = False
        return ok

    def _comma_split(self, key: str, value: Node, rest: Scalar, where: str) -> None:
        assert isinstance(value, Scalar)
        written = f"{value.value},{rest.value}"
        span = Span(value.span.path, value.span.line, value.span.column, rest.span.end_line,
                    rest.span.end_column)
        self.out.append(
            error(
                Code.BAD_NUMBER,
                f"'{written}' reads as '{value.value}' and a key '{rest.value}': in a flow "
                "mapping ({...}) a ',' ends the value",
                span,
                where,
                f'quote it: {key}: "{written}"',
            )
        )

    def _required_keys(self, fields: Mapping[str, Field]) -> tuple[str, ...]:
        made = self._required.get(id(fields))
        if made is None:
            keys = tuple(key for key, spec in fields.items() if spec.required)
            made = self._required[id(fields)] = (fields, keys)
        return made[1]


_DIGITS = re.compile(r"[0-9]+")
_AFTER_COMMA = re.compile(r"[0-9]+ ?%?")


def _comma_splits(node: Map) -> dict[str, Scalar | None]:
    """Keys of a flow mapping that a decimal comma split: ``{score: 7,5}`` is read as
    ``score: 7`` and a key ``5`` without a value. Maps the key before the comma to the rest
    ('5'), and the rest's key to None (reported with the first)."""
    found: dict[str, Scalar | None] = {}
    before: tuple[str, Node] | None = None
    for key, (key_node, child) in node.items.items():
        if (
            before is not None
            and isinstance(before[1], Scalar)
            and before[1].plain
            and _DIGITS.fullmatch(before[1].value)
            and key_node.plain
            and _AFTER_COMMA.fullmatch(key)
            and isinstance(child, Scalar)
            and child.plain
            and child.value == ""
            and key_node.span.line == before[1].span.end_line
            and key_node.span.column == before[1].span.end_column + 1
        ):
            found[before[0]] = key_node
            found[key] = None
        before = (key, child)
    return found


_parse_money = lru_cache(maxsize=4096)(parse_money)
"""parse_money, remembered: files repeat the same few amounts (its results are immutable)."""


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record: how to read it, its JSON Schema, and whether it must be there."""

    read: Callable[[Reader], Callable[[Node, str], Any]]
    schema: Mapping[str, Any]
    """What editors see (yaml-language-server); the reader stays the judge."""
    required: bool = False

    def needed(self) -> Field:
        """The same field, required."""
        return replace(self, required=True)


def record_schema(fields: Mapping[str, Field]) -> dict[str, Any]:
    """The JSON Schema of a mapping read by ``Reader.record``."""
    return {
        "type": "object",
        "properties": {key: dict(f.schema) for key, f in fields.items()},
        "required": [key for key, f in fields.items() if f.required],
        "additionalProperties": False,
    }


def _choice(values: tuple[str, ...], what: str) -> Field:
    return Field(lambda r: r.choices(values, what), {"enum": list(values)})


def _list(item: Field) -> Field:
    return Field(lambda r: r.list_of(item.read(r)), {"type": "array", "items": dict(item.schema)})


def _company(r: Reader) -> Callable[[Node, str], Any]:
    def read(node: Node, where: str) -> Any:
        if isinstance(node, Scalar):
            name = r.text(node, where)
            return name if name is _INVALID else model.Company(name)
        values = r.record(node, where, COMPANY_FIELDS, "a company")
        return values if values is _INVALID else model.Company(**values)  # type: ignore[arg-type]

    return read


def _partner(r: Reader) -> Callable[[Node, str], Any]:
    def read(node: Node, where: str) -> Any:
        values = r.record(node, where, PARTNER_FIELDS, "a partner")
        return values if values is _INVALID else model.Partner(**values)  # type: ignore[arg-type]

    return read


TEXT = Field(lambda r: r.text, {"type": "string"})
ID = Field(lambda r: r.ident, {"type": "string", "pattern": ID_SCHEMA_PATTERN})
MONEY = Field(
    lambda r: r.money,
    {
        "anyOf": [
            {"type": "integer", "minimum": 0, "description": "whole kroner"},
            {
                "type": "string",
                "pattern": r"^[^.]*[0-9][^.]*$",
                "description": "e.g. '20 MNOK', '7 000 000 kr', '1,5 mill.'",
            },
        ]
    },
)
INTEGER = Field(lambda r: r.integer, {"type": "integer", "minimum": 0})
YEAR = Field(lambda r: r.year, {"type": "integer", "minimum": 1900, "maximum": 2200})
RANK = Field(lambda r: r.rank, {"type": "integer", "minimum": 1})
BOOLEAN = Field(lambda r: r.boolean, {"type": "boolean"})
DATE = Field(lambda r: r.day, {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
DECIMAL = Field(
    lambda r: r.decimal,
    {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": r"^\d+([.,]\d+)?$"},
        ]
    },
)
ORG_NUMBER = Field(
    lambda r: r.org_number,
    {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^[0-9 ]{9,11}$"}]},
)
PERCENT = Field(
    lambda r: r.percent,
    {"type": "string", "pattern": r"^\d+([.,]\d+)? ?%$", "description": "e.g. '40 %'"},
)
INSTITUTION_TYPE = _choice(model.INSTITUTION_TYPES, "institution type")
PARTNER_ROLE = _choice(model.PARTNER_ROLES, "partner role")
COMPANY_FIELDS = {"name": TEXT.needed(), "org_number": ORG_NUMBER}
PARTNER_FIELDS = {"name": TEXT.needed(), "role": PARTNER_ROLE.needed()}
COMPANY = Field(_company, {"anyOf": [{"type": "string"}, record_schema(COMPANY_FIELDS)]})


def _mapping(value: Field) -> Field:
    return Field(
        lambda r: r.mapping_of(value.read(r)),
        {"type": "object", "additionalProperties": dict(value.schema)},
    )


APPORTION_FIELDS = {
    "by": _choice(model.GROUPINGS, "grouping").needed(),
    "weights": _mapping(DECIMAL).needed(),
    "rule": _choice(model.APPORTION_RULES, "apportionment rule"),
    "floors": _mapping(MONEY),
    "caps": _mapping(MONEY),
    "then": _choice(("priority", "pro_rata", "capped_equal"), "method"),
}


def _apportion(r: Reader) -> Callable[[Node, str], Any]:
    def read(node: Node, where: str) -> Any:
        values = r.record(node, where, APPORTION_FIELDS, "an apportionment")
        return values if values is _INVALID else model.Apportion(**values)  # type: ignore[arg-type]

    return read


APPORTION = Field(_apportion, record_schema(APPORTION_FIELDS))


def _years(r: Reader) -> Callable[[Node, str], Any]:
    """A mapping from budget year to amount, e.g. {2022: 23 MNOK, 2023: 23 MNOK}."""
    money = r.money

    def read(node: Node, where: str) -> Any:
        if isinstance(node, Bad):
            return _INVALID
        if not isinstance(node, Map):
            return r.fail(
                Code.NOT_A_MAPPING,
                "expected a mapping from budget year to amount",
                node,
                where,
                "write e.g. {2022: 23 MNOK, 2023: 23 MNOK}",
            )
        out: dict[int, Any] = {}
        ok = True
        for key, (key_node, child) in node.items.items():
            year = r.year(key_node, f"{where}.{key}")
            amount = money(child, f"{where}.{key}")
            if year is _INVALID or amount is _INVALID:
                ok = False
                continue
            out[year] = amount
        if ok and not out:
            return r.fail(Code.MISSING_KEY, "a grant needs at least one budget year", node, where)
        return out if ok else _INVALID

    return read


YEARS = Field(
    _years,
    {
        "type": "object",
        "propertyNames": {"pattern": r"^\d{4}$"},
        "additionalProperties": dict(MONEY.schema),
        "description": "amount per budget year, e.g. {2022: 23 MNOK}",
    },
)
RETURN_FIELDS = {
    "status": _choice(model.RETURN_STATUSES, "return status").needed(),
    "returned_on": DATE.needed(),
    "amount": MONEY,
}


def _return(r: Reader) -> Callable[[Node, str], Any]:
    """A grant of an earlier round withdrawn or repaid since: status, date, amount."""

    def read(node: Node, where: str) -> Any:
        values = r.record(node, where, RETURN_FIELDS, "a return")
        if values is _INVALID:
            return values
        return model.Return(span=node.span, **values)  # type: ignore[arg-type]

    return read


RETURNS = Field(
    lambda r: r.mapping_of(_return(r)),
    {"type": "object", "additionalProperties": record_schema(RETURN_FIELDS)},
)
PARTNER = Field(_partner, record_schema(PARTNER_FIELDS))

FIELDS: dict[model.Section, dict[str, Field]] = {
    model.Section.SCHEMES: {
        "name": TEXT.needed(),
        "administrator": TEXT.needed(),
        "institution_types": _list(INSTITUTION_TYPE).needed(),
        "required_partners": _list(PARTNER_ROLE),
        "deadline": DATE,
        "max_per_participant": MONEY,
        "max_per_study_point": MONEY,
        "description": TEXT,
        "url": TEXT,
    },
    model.Section.POOLS: {
        "scheme": ID,
        "year": YEAR,
        "parent": ID,
        "name": TEXT,
        "cap": MONEY.needed(),
        "committed": MONEY,
        "clusters": _list(ID),
        "institution_types": _list(INSTITUTION_TYPE),
        "min_grant": MONEY,
        "max_grant": MONEY,
        "institution_cap": MONEY,
        "max_share_per_cluster": PERCENT,
        "max_share_per_institution": PERCENT,
        "max_share_per_institution_type": PERCENT,
        "aid_intensity": PERCENT,
        "earmarks": _mapping(MONEY),
        "method": _choice(model.METHODS, "method"),
        "shortfall": _choice(model.SHORTFALLS, "shortfall policy"),
        "order": _choice(model.ORDERS, "order"),
        "min_score": DECIMAL,
        "ties": _choice(model.TIE_POLICIES, "tie policy"),
        "seed": INTEGER,
        "unit": MONEY,
        "deadline": DATE,
        "apportion": APPORTION,
    },
    model.Section.CLUSTERS: {
        "name": TEXT.needed(),
        "region": TEXT,
        "description": TEXT,
    },
    model.Section.INSTITUTIONS: {
        "name": TEXT.needed(),
        "type": INSTITUTION_TYPE.needed(),
        "short_name": TEXT,
        "org_number": ORG_NUMBER,
        "region": TEXT,
    },
    model.Section.APPLICATIONS: {
        "scheme": ID.needed(),
        "year": YEAR.needed(),
        "institution": ID.needed(),
        "cluster": ID,
        "title": TEXT.needed(),
        "companies": _list(COMPANY),
        "partners": _list(PARTNER),
        "requested": MONEY.needed(),
        "participants": INTEGER,
        "study_points": DECIMAL,
        "level": _choice(model.LEVELS, "level"),
        "submitted": DATE.needed(),
        "rank": RANK,
        "partial": BOOLEAN,
        "min_grant": MONEY,
        "score": DECIMAL,
        "tie_break": INTEGER,
        "budget": MONEY,
        "target_groups": _list(ID),
        "fixed_grant": MONEY,
        "exclusive_group": ID,
    },
    model.Section.LIMITS: {
        "name": TEXT,
        "cap": MONEY.needed(),
        "year": YEAR,
        "schemes": _list(ID),
        "pools": _list(ID),
        "clusters": _list(ID),
        "institutions": _list(ID),
        "institution_types": _list(INSTITUTION_TYPE),
        "per": _choice(model.GROUPINGS, "grouping"),
    },
    model.Section.GRANTS: {
        "scheme": ID.needed(),
        "years": YEARS.needed(),
        "decided": DATE.needed(),
        "title": TEXT,
        "application": ID,
        "institution": ID,
        "cluster": ID,
        "status": _choice(model.GRANT_STATUSES, "grant status"),
        "returned": MONEY,
        "returned_on": DATE,
        "returned_year": YEAR,
        "source": TEXT,
    },
    model.Section.EARLIER_ROUNDS: {
        "decisions": TEXT.needed(),
        "sha256": TEXT.needed(),
        "decided": DATE.needed(),
        "name": TEXT,
        "returns": RETURNS,
    },
}
"""Every key of every section, with how it is read; the format reference in README follows it."""

ENTRY_TYPES: dict[model.Section, type[model.Entry]] = {
    model.Section.SCHEMES: model.Scheme,
    model.Section.POOLS: model.Pool,
    model.Section.CLUSTERS: model.Cluster,
    model.Section.INSTITUTIONS: model.Institution,
    model.Section.APPLICATIONS: model.Application,
    model.Section.LIMITS: model.Limit,
    model.Section.GRANTS: model.LedgerGrant,
    model.Section.EARLIER_ROUNDS: model.EarlierRound,
}

TOP_LEVEL_KEYS = ("kompalloc", *(s.value for s in model.Section))
SINGULAR = {
    model.Section.SCHEMES: "a scheme",
    model.Section.POOLS: "a pool",
    model.Section.CLUSTERS: "a cluster",
    model.Section.INSTITUTIONS: "an institution",
    model.Section.APPLICATIONS: "an application",
    model.Section.LIMITS: "a limit",
    model.Section.GRANTS: "an earlier grant",
    model.Section.EARLIER_ROUNDS: "an earlier round",
}


def read_entry(
    section: model.Section, key: Scalar, node: Node, r: Reader
) -> tuple[model.Entry | None, bool]:
    """Read one entry of a section, and whether it is whole.

    An entry with errors comes back built from the values that could be read (the rest take
    their defaults), so that references in it can still be checked; it must never be allocated.
    None when not even that is possible.
    """
    where = f"{section.value}.{key.value}"
    if not ID_PATTERN.fullmatch(key.value):
        message, hint = bad_id(key.value)
        r.fail(Code.BAD_ID, message, key, where, hint)
        return None, False
    values, ok = r.record_partial(node, where, FIELDS[section], SINGULAR[section], key.value)
    if values is None or not isinstance(node, Map):
        return None, False
    items = node.items
    spans = span_map(tuple(items), [child.span for _, child in items.values()])
    return ENTRY_TYPES[section](id=key.value, span=key.span, spans=spans, **values), ok


def is_invalid(value: object) -> bool:
    """Whether a reader returned the invalid marker."""
    return value is _INVALID
