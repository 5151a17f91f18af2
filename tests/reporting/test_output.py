"""reporting's rendering entry points: every Format and every DiagnosticFormat renders."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from conftest import GOLDEN, ROOT
from kompalloc.allocation import allocate
from kompalloc.allocation.binding import bindings
from kompalloc.allocation.gaps import funding_gaps
from kompalloc.diagnostics import Code, Severity, error, warning
from kompalloc.loading import load
from kompalloc.reporting.diagnostics_view import render_diagnostics
from kompalloc.reporting.formats import DiagnosticFormat, ExportFormat, Format
from kompalloc.reporting.output import export_text, people_view, render_output
from kompalloc.reporting.tables import funding_notes, report_tables, rounds_table
from kompalloc.source import Span

FOOTER = "kompalloc 0.1.0 · 13 input files · sha256 4ada7f4162ddb8ef · no date used"
"""The stamp line of the national report's goldens."""
GOLDENS = {
    Format.TABLE: "report-national-120.txt",
    Format.MARKDOWN: "report-national.md",
    Format.CSV: "report-national.csv",
}


@pytest.fixture(scope="module")
def national() -> dict[str, Any]:
    bundle, _ = load([str(ROOT / "schemes"), str(ROOT / "examples" / "national-2021")])
    allocation = allocate(bundle)
    gaps = funding_gaps(bundle, allocation)
    return {
        "tables": [
            *report_tables(bundle, allocation, bound=bindings(bundle, allocation)),
            rounds_table(bundle, allocation, gaps),
        ],
        "notes": funding_notes(bundle, allocation, gaps),
    }


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_renders_the_national_report(fmt: Format, national: dict[str, Any]) -> None:
    rendered = render_output(
        national["tables"],
        fmt,
        document={"kompalloc": "0.1.0"},
        notes=national["notes"],
        footer=FOOTER,
        width=120,
    )
    if fmt is Format.XLSX:
        assert isinstance(rendered, bytes)
        assert rendered.startswith(b"PK")  # a zip archive, as every workbook
        return
    assert isinstance(rendered, str)
    assert "Industrifagskolen 2021" in rendered
    if fmt in GOLDENS:
        assert rendered == (GOLDEN / GOLDENS[fmt]).read_text(encoding="utf-8")
    if fmt is Format.JSON:
        document = json.loads(rendered)
        assert document["kompalloc"] == "0.1.0"
        assert set(document["tables"]) == {"pools", "clusters", "applications", "rounds"}
    if fmt is Format.HTML:  # a page, whose foot is the stamp
        assert rendered.endswith(f"<footer>{FOOTER}</footer>\n</body>\n</html>\n")
    elif fmt not in (Format.CSV, Format.JSON):  # formats for people end with the stamp
        assert rendered.rstrip("\n").endswith(FOOTER)


def test_the_terminal_view_prints_what_the_table_format_writes(national: dict[str, Any]) -> None:
    from rich.console import Console

    out = Console(file=io.StringIO(), width=120, color_system=None, highlight=False)
    for item in people_view(national["tables"], width=120, notes=national["notes"], footer=FOOTER):
        item.print_on(out)
    assert isinstance(out.file, io.StringIO)
    text = render_output(
        national["tables"], Format.TABLE, document={}, notes=national["notes"], footer=FOOTER
    )
    assert out.file.getvalue() == text


@pytest.mark.parametrize("kind", list(ExportFormat))
def test_every_export_format_renders(kind: ExportFormat, national: dict[str, Any]) -> None:
    text = export_text(kind, national["tables"], notes=national["notes"], footer=FOOTER)
    assert "Industrifagskolen" in text
    start = {
        ExportFormat.HTML: "<!DOCTYPE html>",
        ExportFormat.SVG: "<svg",
        ExportFormat.MARKDOWN: "## ",
    }
    assert text.lstrip().startswith(start[kind])


@pytest.mark.parametrize(
    ("suffix", "kind"),
    [
        (".html", ExportFormat.HTML),
        (".HTM", ExportFormat.HTML),
        (".svg", ExportFormat.SVG),
        (".md", ExportFormat.MARKDOWN),
        (".Markdown", ExportFormat.MARKDOWN),
    ],
)
def test_export_format_for_suffix(suffix: str, kind: ExportFormat) -> None:
    assert ExportFormat.for_suffix(suffix) is kind


DIAGNOSTICS = [
    error(Code.YAML_SYNTAX, "not YAML", Span("a.yaml", 2, 3, 2, 5), hint="fix it"),
    warning(
        Code.SUBPOOL_CAPS_OVER_PARENT, "sub-pool caps over the parent", Span("b.yaml", 1, 1, 1, 4)
    ),
]


@pytest.mark.parametrize("fmt", list(DiagnosticFormat))
@pytest.mark.parametrize("plain", [True, False])
def test_every_diagnostic_format_renders(fmt: DiagnosticFormat, plain: bool) -> None:
    text, rich = render_diagnostics(
        fmt, DIAGNOSTICS, ["a.yaml", "b.yaml"], version="0.1.0", plain=plain
    )
    summary = "1 error, 1 warning in 2 files"
    if fmt in (DiagnosticFormat.JSON, DiagnosticFormat.SARIF):
        assert rich is None
        document = json.loads(text)
        assert ("errors" in document) is (fmt is DiagnosticFormat.JSON)
        return
    if fmt is DiagnosticFormat.GITHUB:
        assert text.startswith("::error file=a.yaml,line=2,col=3")
    shown = text if rich is None else text + rich.plain
    assert (rich is None) is plain
    assert shown.endswith(summary + "\n")
    assert "  hint: fix it\n" in shown
    assert Severity.WARNING.value in shown
