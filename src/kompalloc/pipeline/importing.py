"""Importing a portal export: the mapping read, the rows converted, the applications as YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import EXIT_INVALID, EXIT_USAGE

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic

UNREADABLE = frozenset({"KA001", "KA002", "KA004", "KA005", "KA601"})
"""Codes that mean a file could not be read at all (exit 2 rather than 1)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import made: the YAML (None when nothing may be written) and what was found."""

    text: str | None
    mapping_problems: list[Diagnostic] = field(default_factory=list)
    """Problems in the mapping file (shown with their source lines)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems in the export (shown by row and column)."""
    count: int = 0
    """How many applications were imported."""
    why: str = ""
    """Why nothing was written (when nothing was)."""

    @property
    def exit_code(self) -> int:
        """0 when written, 2 when a file could not be read at all, else 1."""
        if self.text is not None:
            return 0
        found = [*self.mapping_problems, *self.diagnostics]
        return EXIT_USAGE if any(d.code.value in UNREADABLE for d in found) else EXIT_INVALID


def import_applications(export: Path, mapping: Path, sheet: str | None = None) -> ImportResult:
    """Read the mapping and the export, convert every row, and make the applications' YAML."""
    from kompalloc import __version__
    from kompalloc.diagnostics import has_errors
    from kompalloc.importing import Imported, convert_rows, read_export, read_mapping
    from kompalloc.importing.emit import applications_yaml
    from kompalloc.importing.sheets import file_digest

    rules, problems = read_mapping(str(mapping))
    if rules is None:
        return ImportResult(None, problems, why="the mapping has errors")
    table, found = read_export(
        str(export),
        sheet=sheet if sheet is not None else rules.sheet,
        header_row=rules.header_row,
        delimiter=rules.delimiter,
        encoding=rules.encoding,
        sheet_given=sheet is not None,
    )
    diagnostics = list(found)
    imported: list[Imported] = []
    if table is not None:
        imported, found = convert_rows(table, rules)
        diagnostics += found
    if table is None or has_errors(diagnostics):
        return ImportResult(None, problems, diagnostics, why="nothing written")
    text = applications_yaml(
        imported,
        version=__version__,
        export=str(export),
        export_sha256=table.sha256,
        mapping=str(mapping),
        mapping_sha256=file_digest(str(mapping)),
        sheet=table.sheet,
    )
    return ImportResult(text, problems, diagnostics, len(imported))
