"""Typer parameter declarations shared by several commands: what each option means."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kompalloc.reporting.formats import CsvDialect, Format

Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="YAML files and folders (searched recursively for *.yaml and *.yml); "
        "default: the 'paths' of the project file (kompalloc.toml).",
        show_default=False,
    ),
]

FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="table (Rich), a tabulate format (plain, simple, github, markdown, grid, html, "
        "latex), csv, json, or xlsx (needs --output). Machine formats give amounts in øre.",
    ),
]
MoneyOption = Annotated[
    str | None,
    typer.Option(
        "--money",
        metavar="kr|mnok",
        help="Show amounts in kroner (20 000 000) or in MNOK with one decimal (20,0) in tables "
        "for people; machine formats always give øre. Default: the project file's, else kr.",
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="en|nb",
        help="The language of tables for people: en (English) or nb (Norwegian bokmål): "
        "headings, statuses, reasons, institution types and partner roles. Machine formats "
        "keep English keys. Default: the project file's 'lang', else en.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of standard output."
    ),
]


MethodOption = Annotated[
    list[str] | None,
    typer.Option(
        "--method",
        "-m",
        metavar="[POOL=]METHOD",
        help="Allocate with another method: priority, pro_rata, capped_equal or apportion; "
        "for every root pool, or for one with POOL=METHOD (repeatable).",
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Allocate the applications submitted on or before this date only (recorded in the stamp).",
    ),
]

ScenarioOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        metavar="FILE[+FILE...]",
        help="Apply a what-if scenario file (README: 'What-if scenarios'); repeatable, applied "
        "in order; a.scenario+b.scenario composes two into one.",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="SECTION.ID.KEY=VALUE",
        help="Override one value, read exactly like file content, after any scenario "
        "(repeatable), e.g. --set pools.industrifagskolen-2021.cap='25 MNOK'.",
    ),
]
EffectiveOption = Annotated[
    bool,
    typer.Option(
        "--effective",
        help="Print the data the scenarios and --set produce, as kompalloc YAML, and stop.",
    ),
]
ExportOption = Annotated[
    Path | None,
    typer.Option(
        "--export",
        metavar="FILE.html|FILE.svg|FILE.md",
        help="Also write what is shown to a file to share (HTML, SVG or Markdown, atomically).",
    ),
]
TableOption = Annotated[
    str | None,
    typer.Option(
        "--table",
        metavar="TABLE",
        help="Only this table (any format): applications, pools, clusters or rounds for "
        "report; applications or rounds for allocate; summary, applications, pools or clusters "
        "for compare. CSV always writes one table: by default the applications.",
    ),
]
CsvDialectOption = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help="plain: ',' and amounts in øre (*_ore); excel-nb: ';', a byte-order mark and "
        "kroner with a decimal comma (*_kr), as Norwegian Excel opens it.",
    ),
]
