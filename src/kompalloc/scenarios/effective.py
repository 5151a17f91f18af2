"""The effective data of a run as kompalloc YAML: what ``--effective`` prints.

Written by hand, so that it reads like the files people write (money as '20 000 000 kr',
shares as '40 %', dates as YYYY-MM-DD) and loads back to exactly the same data: a value is
plain only where no YAML reader could take it for anything else, and double-quoted otherwise.
Every value a scenario or --set changed ends with a comment naming where it was changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from kompalloc import __version__, model
from kompalloc.loading.convert import FIELDS, MONEY, YEARS
from kompalloc.money import format_kr, format_share
from kompalloc.scenarios.applying import Key, default_of
from kompalloc.scenarios.reading import SET_SOURCE
from kompalloc.source import Span
from kompalloc.yamltext import scalar


def _money(value: int) -> str:
    return scalar(format_kr(value, space=" "))


def value_text(section: model.Section, key: str, value: object) -> str:
    """One value as it would be written in a data file (one line, flow style)."""
    spec = FIELDS[section].get(key)
    money = spec is not None and (spec.read is MONEY.read or spec.read is YEARS.read)
    return _value(value, money=money, key=key)


def _value(value: object, *, money: bool = False, key: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _money(value) if money else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return scalar(format_share(value))
    if isinstance(value, model.Company):
        if value.org_number is None:
            return scalar(value.name)
        return f"{{name: {scalar(value.name)}, org_number: {scalar(value.org_number)}}}"
    if isinstance(value, model.Partner):
        return f"{{name: {scalar(value.name)}, role: {value.role}}}"
    if isinstance(value, model.Apportion):
        parts = [f"by: {value.by}", f"weights: {_value(value.weights)}", f"rule: {value.rule}"]
        if value.floors:
            parts.append(f"floors: {_value(value.floors, money=True)}")
        if value.caps:
            parts.append(f"caps: {_value(value.caps, money=True)}")
        parts.append(f"then: {value.then}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, model.Return):
        amount = "" if value.amount is None else f", amount: {_money(value.amount)}"
        return f"{{status: {value.status}, returned_on: {value.returned_on.isoformat()}{amount}}}"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{scalar(str(k))}: {_value(v, money=money)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v, money=money) for v in value) + "]"
    return scalar(str(value))


def _where(span: Span) -> str:
    if span.path.startswith(SET_SOURCE):
        return span.path
    return f"{span.path}:{span.line}:{span.column}" if span.end_line else span.path


def effective_yaml(
    bundle: model.Bundle,
    *,
    sources: Sequence[str] = (),
    removed: Mapping[Key, tuple[str, Span]] | None = None,
    base_files: Sequence[str] = (),
    scenarios: Sequence[str] = (),
) -> str:
    """The whole bundle as one kompalloc file; changed values carry a comment saying where from."""
    wanted = set(sources)
    lines = [
        f"# Effective data of a kompalloc {__version__} run: the files, then the scenarios and",
        "# --set overrides in order. It loads back to exactly the data that was allocated.",
    ]
    lines += [f"#   file:     {name}" for name in base_files]
    lines += [f"#   scenario: {name}" for name in scenarios]
    lines += [f"#   {source}" for source in sources if source.startswith(SET_SOURCE)]
    for (section, ident), (name, span) in sorted((removed or {}).items()):
        lines.append(f"#   removed:  {section.value}.{ident} (by '{name}' at {_where(span)})")
    lines += ["# A comment after a value names the scenario line that set it.", "kompalloc: 1"]
    for section in model.Section:
        entries: Mapping[str, model.Entry] = getattr(bundle, section.value)
        if not entries:
            continue
        lines.append(f"{section.value}:")
        for entry in entries.values():
            whole = entry.span.path in wanted  # added or replaced by a scenario
            body = []
            for key in FIELDS[section]:
                value = getattr(entry, key)
                if isinstance(entry, model.EarlierRound) and key == "decisions":
                    from kompalloc.loading.decisions import decisions_path

                    value = str(decisions_path(entry).resolve())  # the output may be elsewhere
                if value is None or (key not in entry.spans and value == default_of(section, key)):
                    continue
                line = f"    {key}: {value_text(section, key, value)}"
                at = entry.spans.get(key)
                if (
                    at is not None
                    and at.path in wanted
                    and not (whole and at.path == entry.span.path)
                ):
                    line += f"  # {_where(at)}"
                body.append(line)
            head = f"  {scalar(entry.id)}:" + ("" if body else " {}")
            lines.append(head + (f"  # from {_where(entry.span)}" if whole else ""))
            lines += body
    return "\n".join(lines) + "\n"
