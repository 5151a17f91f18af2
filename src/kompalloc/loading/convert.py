"""Typed reading of node trees into model entries: one declarative field table per section.

Every scalar arrives as text; each field's kind decides how it is read, so a plain ``NO``
stays text where text is meant and is an error where a boolean is meant. Problems become
diagnostics that point at the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error
from kompalloc.loading.nodes import Bad, Map, Node, Scalar, Seq
from kompalloc.money import MoneyError, parse_money

_INVALID = object()
"""Marks a value already reported as wrong."""

ID_PATTERN = re.compile(r"[^\W_][\w.-]*")
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,8})([.,][0-9]{1,4})?")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


class Reader:
    """Reads values of one kind from nodes, adding diagnostics for what it cannot read."""

    def __init__(self, out: list[Diagnostic]) -> None:
        self.out = out

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
        return s.value

    def ident(self, node: Node, where: str) -> Any:
        """An id of an entry (a reference)."""
        value = self.text(node, where)
        if value is _INVALID:
            return value
        if not ID_PATTERN.fullmatch(value):
            return self.fail(
                Code.BAD_ID,
                f"'{value}' is not a valid id",
                node,
                where,
                "ids are letters, digits, '.', '_' and '-', starting with a letter or digit",
            )
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
        result = parse_money(s.value)
        if isinstance(result, MoneyError):
            return self.fail(Code.BAD_MONEY, result.message, node, where, result.hint)
        return result

    def decimal(self, node: Node, where: str) -> Any:
        """A non-negative decimal number such as study points (7.5 or 7,5)."""
        s = self.scalar(node, where, "a number")
        if not isinstance(s, Scalar):
            return s
        if _DECIMAL.fullmatch(s.value):
            try:
                return Decimal(s.value.replace(",", "."))
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                pass
        return self.fail(
            Code.BAD_NUMBER, f"'{s.value}' is not a number like 10 or 7.5", node, where
        )

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
            hint = did_you_mean(value, allowed) or f"choose one of: {', '.join(allowed)}"
            return self.fail(Code.BAD_CHOICE, f"unknown {what} '{value}'", node, where, hint)

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
        self, node: Node, where: str, fields: dict[str, Field], what: str
    ) -> tuple[dict[str, Any] | None, bool]:
        """The values that could be read (None if not a mapping), and whether all of them could."""
        if isinstance(node, Bad):
            return None, False
        if not isinstance(node, Map):
            self.fail(Code.NOT_A_MAPPING, f"expected {what} as a mapping of keys", node, where)
            return None, False
        values: dict[str, Any] = {}
        ok = True
        for key, (key_node, child) in node.items.items():
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
            value = spec.read(self)(child, f"{where}.{key}")
            if value is _INVALID:
                ok = False
            else:
                values[key] = value
        for key, spec in fields.items():
            if spec.required and key not in node.items:
                self.fail(
                    Code.MISSING_KEY, f"{what} is missing the required key '{key}'", node, where
                )
                ok = False
        return values, ok


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record: how to read it and whether it must be there."""

    read: Callable[[Reader], Callable[[Node, str], Any]]
    required: bool = False


def _f(reader: Callable[[Reader], Callable[[Node, str], Any]], required: bool = False) -> Field:
    return Field(reader, required)


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


TEXT = _f(lambda r: r.text)
ID = _f(lambda r: r.ident)
MONEY = _f(lambda r: r.money)
INSTITUTION_TYPE_LIST = _f(
    lambda r: r.list_of(r.choices(model.INSTITUTION_TYPES, "institution type"))
)
COMPANY_FIELDS = {"name": _f(lambda r: r.text, True), "org_number": _f(lambda r: r.org_number)}
PARTNER_FIELDS = {
    "name": _f(lambda r: r.text, True),
    "role": _f(lambda r: r.choices(model.PARTNER_ROLES, "partner role"), True),
}

FIELDS: dict[model.Section, dict[str, Field]] = {
    model.Section.SCHEMES: {
        "name": _f(lambda r: r.text, True),
        "administrator": _f(lambda r: r.text, True),
        "institution_types": Field(INSTITUTION_TYPE_LIST.read, True),
        "required_partners": _f(
            lambda r: r.list_of(r.choices(model.PARTNER_ROLES, "partner role"))
        ),
        "deadline": _f(lambda r: r.day),
        "max_per_participant": MONEY,
        "max_per_study_point": MONEY,
        "description": TEXT,
        "url": TEXT,
    },
    model.Section.POOLS: {
        "scheme": ID,
        "year": _f(lambda r: r.year),
        "parent": ID,
        "name": TEXT,
        "cap": Field(MONEY.read, True),
        "committed": MONEY,
        "clusters": _f(lambda r: r.list_of(r.ident)),
        "institution_types": INSTITUTION_TYPE_LIST,
        "min_grant": MONEY,
        "max_grant": MONEY,
        "institution_cap": MONEY,
    },
    model.Section.CLUSTERS: {
        "name": _f(lambda r: r.text, True),
        "region": TEXT,
        "description": TEXT,
    },
    model.Section.INSTITUTIONS: {
        "name": _f(lambda r: r.text, True),
        "type": _f(lambda r: r.choices(model.INSTITUTION_TYPES, "institution type"), True),
        "org_number": _f(lambda r: r.org_number),
        "region": TEXT,
    },
    model.Section.APPLICATIONS: {
        "scheme": Field(ID.read, True),
        "year": _f(lambda r: r.year, True),
        "institution": Field(ID.read, True),
        "cluster": ID,
        "title": _f(lambda r: r.text, True),
        "companies": _f(lambda r: r.list_of(_company(r))),
        "partners": _f(lambda r: r.list_of(_partner(r))),
        "requested": Field(MONEY.read, True),
        "participants": _f(lambda r: r.integer),
        "study_points": _f(lambda r: r.decimal),
        "level": _f(lambda r: r.choices(model.LEVELS, "level")),
        "submitted": _f(lambda r: r.day, True),
        "rank": _f(lambda r: r.rank),
        "partial": _f(lambda r: r.boolean),
        "min_grant": MONEY,
    },
}
"""Every key of every section, with how it is read; the format reference in README follows it."""

ENTRY_TYPES: dict[model.Section, type[model.Entry]] = {
    model.Section.SCHEMES: model.Scheme,
    model.Section.POOLS: model.Pool,
    model.Section.CLUSTERS: model.Cluster,
    model.Section.INSTITUTIONS: model.Institution,
    model.Section.APPLICATIONS: model.Application,
}

TOP_LEVEL_KEYS = ("kompalloc", *(s.value for s in model.Section))
SINGULAR = {
    model.Section.SCHEMES: "a scheme",
    model.Section.POOLS: "a pool",
    model.Section.CLUSTERS: "a cluster",
    model.Section.INSTITUTIONS: "an institution",
    model.Section.APPLICATIONS: "an application",
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
        r.fail(
            Code.BAD_ID,
            f"'{key.value}' is not a valid id",
            key,
            where,
            "ids are letters, digits, '.', '_' and '-', starting with a letter or digit",
        )
        return None, False
    values, ok = r.record_partial(node, where, FIELDS[section], SINGULAR[section])
    if values is None or not isinstance(node, Map):
        return None, False
    spans = {k: child.span for k, (_, child) in node.items.items()}
    return ENTRY_TYPES[section](id=key.value, span=key.span, spans=spans, **values), ok


def is_invalid(value: object) -> bool:
    """Whether a reader returned the invalid marker."""
    return value is _INVALID
