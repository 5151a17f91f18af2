"""--export: what a report-like command shows, as HTML, SVG or Markdown to share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kompalloc.reporting.tables import Table


def check_export(export: Path | None) -> None:
    """A usage error for an export file of a kind kompalloc cannot write."""
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.reporting.formats import ExportFormat

    if export is None:
        return
    try:
        ExportFormat.for_suffix(export.suffix)
    except ValueError:
        raise UsageError(
            f"--export {export}: the name must end in .html, .svg or .md (the kind of file)"
        ) from None


def write_export(
    export: Path | None,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc report",
    document: Mapping[str, Any] | None = None,
    lang: str | None = None,
) -> None:
    """Write the export file atomically, if one was asked for (an HTML export is the page of
    ``--format html``, headed ``title``, with the facts of ``document``, the stamp)."""
    from kompalloc.pipeline.files import write_output
    from kompalloc.pipeline.project import language
    from kompalloc.reporting.formats import ExportFormat
    from kompalloc.reporting.output import export_text

    if export is None:
        return
    kind = ExportFormat.for_suffix(export.suffix)
    text = export_text(
        kind,
        tables,
        extra=extra,
        notes=notes,
        footer=footer,
        money=money,
        title=title,
        document=document,
        lang=language(lang),
    )
    write_output(text, export)
