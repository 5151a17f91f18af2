"""Report-like output as one self-contained HTML5 page, for council papers and browsers.

``--format html`` and ``--export FILE.html`` both give this page: a title, the round(s), the
as-of date and the inputs' stamp at the top; each table as a real ``<table>`` (every column
people read, none dropped for width; amounts right-aligned in tabular figures; long text
wrapping); the notes as paragraphs; the stamp line at the foot. One inline stylesheet and
nothing else: no script, no font, no image, no link, so the page reads the same offline, in a
ministry's locked-down network and on paper (A4 landscape, header rows repeated on every page).

Built with the standard library's ``html.escape``: every text that reaches the page goes
through :func:`_text`, and the page's structure is fixed here, so a template engine (and its
dependency and template files) would add nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from kompalloc.reporting import labels
from kompalloc.reporting.labels import Lang
from kompalloc.reporting.tables import Cell, Column, Kind, Table

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 1.5rem; line-height: 1.35; font-size: 15px; }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; break-after: avoid; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem;
  margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0 0 .3rem; }
caption { caption-side: bottom; text-align: left; color: #555; font-size: .85rem;
  padding-top: .2rem; }
th, td { padding: .15rem .6rem .15rem 0; vertical-align: top; text-align: left; }
thead th { border-bottom: 1px solid #333; vertical-align: bottom; min-width: 4rem; }
.scroll { overflow-x: auto; }
tbody tr:nth-child(even) td { background: #f4f4f4; }
tfoot td { border-top: 1px solid #333; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { min-width: 10rem; max-width: 26rem; overflow-wrap: anywhere; }
td.id { white-space: nowrap; }
.notes p, pre.chart { max-width: 60rem; }
.notes p { margin: .3rem 0; overflow-wrap: anywhere; }
pre.chart { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .8rem; white-space: pre-wrap; }
footer { margin-top: 1.5rem; color: #555; font-size: .85rem; overflow-wrap: anywhere; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr { break-inside: avoid; }
  tbody tr:nth-child(even) td { background: none; }
  .scroll { overflow: visible; }
}
""".strip()
"""The page's only stylesheet: local fonts, numeric alignment and the print layout."""

INDENT_EM = 1.2
"""How far each level of a tree (sub-pools under their pool) is indented, in em."""


def _text(value: object) -> str:
    """Any text for the page, escaped (quotes too: it may end up in an attribute)."""
    return escape(str(value), quote=True)


def _classes(column: Column) -> str:
    if column.kind is not Kind.TEXT:
        return ' class="num"'
    if column.wrap:
        return ' class="wrap"'
    return ""


def _table_html(
    title: str,
    table: Table,
    shown: Sequence[int],
    rows: Sequence[tuple[str, ...]],
    depths: Sequence[Cell],
    footers: tuple[str, ...] | None,
    caption: Sequence[str],
    lang: Lang,
) -> list[str]:
    """One ``<table>`` under its heading: a head row, the body, the totals in a foot. ``rows``
    and ``footers`` are the shown columns' texts as people read them; ``depths`` each row's
    level in a tree (its first cell is indented by it)."""
    columns = table.columns
    out = [f"<section>\n<h2>{_text(title)}</h2>", '<div class="scroll">', "<table>"]
    if caption:
        out.append(f"<caption>{_text(' '.join(caption))}</caption>")
    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if columns[i].kind is not Kind.TEXT else ""}>'
        f"{_text(labels.word(columns[i].title, lang))}</th>"
        for i in shown
    )
    out += ["<thead>", f"<tr>{head}</tr>", "</thead>"]
    if footers is not None:
        foot = "".join(
            f"<td{_classes(columns[i])}>{_text(text)}</td>"
            for i, text in zip(shown, footers, strict=True)
        )
        out += ["<tfoot>", f"<tr>{foot}</tr>", "</tfoot>"]
    out.append("<tbody>")
    for texts, depth in zip(rows, depths, strict=True):
        cells = []
        for n, (i, text) in enumerate(zip(shown, texts, strict=True)):
            attrs = _classes(columns[i])
            if n == 0 and isinstance(depth, int) and depth > 0:
                attrs += f' style="padding-left: {depth * INDENT_EM:.1f}em"'
            cells.append(f"<td{attrs}>{_text(text)}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>", "</div>", "</section>"]
    return out


def _tables_html(table: Table, money: str, lang: Lang) -> list[str]:
    """A table as people read it: split into one ``<table>`` per section (by its group column,
    with each section's totals), every column people read shown, in the words of ``lang`` and
    with amounts in MNOK rounded as the terminal rounds them (the parts add up to the total)."""
    from kompalloc.reporting.render import _caption, _people_sections, _sections

    shown = [i for i, c in enumerate(table.columns) if c.people and c.key != table.group]
    level = [c.key for c in table.columns].index(table.level) if table.level else None
    caption = _caption(table, money, lang)
    out: list[str] = []
    spans = _sections(table)
    for (label, start, end), section in zip(
        spans, _people_sections(table, shown, money, lang), strict=True
    ):
        depths = [row[level] if level is not None else None for row in table.rows[start:end]]
        title = labels.title(table.title, lang)
        heading = title if label is None else f"{title}: {label}"
        out += _table_html(
            heading, table, shown, section.rows, depths, section.footers, caption, lang
        )
    return out


def rounds_of(tables: Sequence[Table], document: Mapping[str, Any]) -> list[str]:
    """The rounds a page is about: the names in a 'round' column of its tables (a rounds table
    first), else the round a sweep varies."""
    names: list[str] = []
    for table in sorted(tables, key=lambda t: t.key != "rounds"):
        keys = [c.key for c in table.columns]
        if "round" not in keys:
            continue
        at = keys.index("round")
        for row in table.rows:
            name = row[at]
            if isinstance(name, str) and name and name not in names:
                names.append(name)
    sweep = document.get("sweep")
    if not names and isinstance(sweep, Mapping) and sweep.get("round"):
        names.append(str(sweep["round"]))
    return names


def _facts(tables: Sequence[Table], document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the head of the page says about the report: rounds, date, inputs, what was changed."""
    facts: list[tuple[str, str]] = []
    rounds = rounds_of(tables, document)
    if rounds:
        facts.append(("Round" if len(rounds) == 1 else "Rounds", "; ".join(rounds)))
    if "as_of" in document:
        as_of = document.get("as_of")
        left = document.get("left_out_as_of") or []
        when = str(as_of) if as_of else "no date used (every application loaded)"
        if as_of and left:
            when += f" ({len(left)} submitted later left out)"
        facts.append(("As of", when))
    if "baseline" in document:
        facts.append(("Baseline", str(document["baseline"])))
    files = document.get("files")
    if isinstance(files, list):
        digest = str(document.get("inputs_sha256", ""))[:16]
        facts.append(("Inputs", f"{len(files)} file{'s' * (len(files) != 1)}, sha256 {digest}"))
    overrides = document.get("overrides") or []
    if overrides:
        facts.append(("Overrides", "; ".join(map(str, overrides))))
    if document.get("kompalloc_version"):
        facts.append(("Made by", f"kompalloc {document['kompalloc_version']}"))
    return facts


def html_page(
    tables: Sequence[Table],
    *,
    document: Mapping[str, Any],
    title: str = "kompalloc report",
    money: str = "kr",
    notes: Sequence[str] = (),
    footer: str = "",
    figures: Sequence[str] = (),
    lang: Lang = Lang.EN,
) -> str:
    """The whole page. ``document`` is the report's stamp (as in JSON: rounds, as-of date,
    inputs); ``figures`` are preformatted text drawings (a sweep's chart), shown after the
    tables; ``footer`` is the stamp line; the words are in ``lang``."""
    chosen = lang
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_text(lang.value)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{_text(footer or "kompalloc")}">',
        f"<title>{_text(labels.word(title, lang))}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_text(labels.word(title, lang))}</h1>",
    ]
    facts = _facts(tables, document)
    if facts:
        out.append('<dl class="facts">')
        out += [
            f"<dt>{_text(labels.word(k, lang))}</dt><dd>{_text(labels.word(v, lang))}</dd>"
            for k, v in facts
        ]
        out.append("</dl>")
    out += ["</header>", "<main>"]
    for table in tables:
        out += _tables_html(table, money, chosen)
    for figure in figures:
        out.append(f'<pre class="chart">{_text(figure.rstrip())}</pre>')
    if notes:
        out.append(f'<section class="notes">\n<h2>{_text(labels.word("Notes", lang))}</h2>')
        out += [f"<p>{_text(note)}</p>" for note in notes]
        out.append("</section>")
    out.append("</main>")
    if footer:
        out.append(f"<footer>{_text(footer)}</footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
