"""The output formats of report-like commands (kept apart so the CLI can name them cheaply)."""

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
    LATEX = "latex"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    """An Excel workbook; binary, so only with --output."""


TABULATE_FORMATS = {
    Format.PLAIN: "plain",
    Format.SIMPLE: "simple",
    Format.GITHUB: "github",
    Format.MARKDOWN: "pipe",
    Format.GRID: "grid",
    Format.HTML: "html",
    Format.LATEX: "latex",
}
