"""The output formats of report-like commands, validate and --export (kept apart so the CLI can name them cheaply)."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Output formats of report-like commands."""

    TABLE = "table"
    """Rich tables (the default)."""
    PLAIN = "plain"
    SIMPLE = "simple"
    GITHUB = "github"
    MARKDOWN = "markdown"
    GRID = "grid"
    HTML = "html"
    """One self-contained HTML5 page (the same as ``--export FILE.html``)."""
    LATEX = "latex"
    CSV = "csv"
    """One table (``--table``), in a ``--csv-dialect``."""
    JSON = "json"
    XLSX = "xlsx"
    """An Excel workbook; binary, so only with --output."""


class CsvDialect(StrEnum):
    """How ``--format csv`` writes its one table."""

    PLAIN = "plain"
    """RFC 4180 with ',' and a line feed; amounts as integer øre in ``*_ore`` columns (the same
    numbers as JSON), shares as ratios with a '.'."""
    EXCEL_NB = "excel-nb"
    """What Norwegian Excel opens as columns: ';' between cells, CRLF, a UTF-8 byte-order mark,
    decimal commas; amounts in kroner with two decimals in ``*_kr`` columns (``1250000,00``)."""


TABULATE_FORMATS = {
    Format.PLAIN: "plain",
    Format.SIMPLE: "simple",
    Format.GITHUB: "github",
    Format.MARKDOWN: "pipe",
    Format.GRID: "grid",
    Format.LATEX: "latex",
}


class DiagnosticFormat(StrEnum):
    """How ``kompalloc validate`` prints its diagnostics."""

    TEXT = "text"
    """For people: each diagnostic with its source line and hint, then the counts."""
    JSON = "json"
    """A versioned JSON document, for machines."""
    GITHUB = "github"
    """GitHub Actions annotations, followed by the text list."""
    SARIF = "sarif"
    """A SARIF 2.1.0 log, for code-scanning views."""


class ExportFormat(StrEnum):
    """The kinds of file ``--export`` writes: what a person sees, to share."""

    HTML = "html"
    SVG = "svg"
    MARKDOWN = "markdown"

    @classmethod
    def for_suffix(cls, suffix: str) -> ExportFormat:
        """The kind a file name's suffix asks for ('.html' or '.htm', '.svg', '.md' or
        '.markdown'); a ValueError for any other."""
        lowered = suffix.lower()
        if lowered in (".md", ".markdown"):
            return cls.MARKDOWN
        if lowered == ".svg":
            return cls.SVG
        if lowered in (".html", ".htm"):
            return cls.HTML
        raise ValueError(f"no export format for {suffix!r}")
