"""Imported applications as kompalloc YAML: an 'applications:' section keyed by id.

Written by hand rather than with a YAML library, so that it reads like the files people write:
money as text ('1 250 000 kr'), dates as YYYY-MM-DD, text plain where no YAML reader could take it
for anything else and double-quoted otherwise, and each entry's row in the export as a comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from kompalloc import model
from kompalloc.importing.mapping import APPLICATION_FIELDS, CellType, cell_type_of
from kompalloc.importing.rows import Imported
from kompalloc.money import format_kr
from kompalloc.yamltext import quoted, scalar


def _comment(text: str) -> str:
    """A file name fit for a comment: one line, no control characters."""
    return "".join(char if char.isprintable() else "?" for char in text)


def _value(key: str, value: object) -> str:
    """One value as it would be written in an application file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return (
            quoted(format_kr(value, space=" "))
            if cell_type_of(key) is CellType.MONEY
            else str(value)
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return quoted(format(value.normalize(), "f").replace(".", ","))
    if isinstance(value, model.Company):
        if value.org_number is None:
            return scalar(value.name)
        return f"{{name: {scalar(value.name)}, org_number: {quoted(value.org_number)}}}"
    if isinstance(value, model.Partner):
        return f"{{name: {scalar(value.name)}, role: {value.role}}}"
    return scalar(str(value))


def applications_yaml(
    applications: Sequence[Imported],
    *,
    version: str,
    export: str,
    export_sha256: str,
    mapping: str,
    mapping_sha256: str,
    sheet: str | None = None,
) -> str:
    """The whole file: a header comment naming its sources, then the applications in row order."""
    where = f" (worksheet '{_comment(sheet)}')" if sheet else ""
    lines = [
        f"# Applications imported by kompalloc {version} (kompalloc import).",
        f"#   export:  {_comment(export)}{where}",
        f"#            sha256 {export_sha256}",
        f"#   mapping: {_comment(mapping)}",
        f"#            sha256 {mapping_sha256}",
        "# Each id's comment gives its row in the export. Check the file with",
        "# 'kompalloc validate' together with the schemes, pools and institutions.",
        "kompalloc: 1",
        "",
    ]
    if not applications:
        lines.append("applications: {}")
        return "\n".join(lines) + "\n"
    lines.append("applications:")
    for i, entry in enumerate(applications):
        if i:
            lines.append("")
        lines.append(f"  {scalar(entry.id)}:  # row {entry.row}")
        for key in APPLICATION_FIELDS:
            if key not in entry.values:
                continue
            value = entry.values[key]
            if isinstance(value, tuple):
                if not value:
                    continue
                lines.append(f"    {key}:")
                lines.extend(f"      - {_value(key, item)}" for item in value)
            else:
                lines.append(f"    {key}: {_value(key, value)}")
    return "\n".join(lines) + "\n"
