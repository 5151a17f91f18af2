"""The HTML report: one valid, self-contained HTML5 page, the same from --format html and --export."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc.reporting.formats import ExportFormat
from kompalloc.reporting.html import html_page
from kompalloc.reporting.output import export_text
from kompalloc.reporting.tables import Column, Kind, Table

NATIONAL = ("schemes", "examples/national-2021")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(page: str) -> object:
    """The page through html5lib, the WHATWG parser, strict: any parse error fails."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page)


@pytest.fixture
def national_page(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    result = invoke(runner, "report", *NATIONAL, "--format", "html")
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_the_report_page_is_valid_html5_and_matches_its_golden(national_page: str) -> None:
    tree = parse(national_page)
    check_golden("report-national.html", national_page)
    assert national_page.startswith("<!DOCTYPE html>\n")
    head = tree.find("h:head", NS)  # type: ignore[attr-defined]
    assert head.find("h:meta", NS).get("charset") == "utf-8"
    assert head.find("h:title", NS).text == "Allocation report"
    body = tree.find("h:body", NS)  # type: ignore[attr-defined]
    assert body.find("h:header/h:h1", NS).text == "Allocation report"
    facts = {
        dt.text: dd.text
        for dt, dd in zip(
            body.iterfind("h:header/h:dl/h:dt", NS),
            body.iterfind("h:header/h:dl/h:dd", NS),
            strict=True,
        )
    }
    assert "Industrifagskolen 2021" in facts["Rounds"]
    assert facts["As of"].startswith("no date used")
    assert facts["Inputs"] == "13 files, sha256 4ada7f4162ddb8ef"
    assert body.find("h:footer", NS).text.startswith("kompalloc 0.1.0 · 13 input files")
    tables = list(body.iter(f"{{{NS['h']}}}table"))
    # pools, clusters, one applications table per round (4), rounds
    assert len(tables) == 7
    for table in tables:
        head_cells = table.findall("h:thead/h:tr/h:th", NS)
        widths = {len(row.findall("h:td", NS)) for row in table.iterfind("h:tbody/h:tr", NS)}
        assert widths == {len(head_cells)}  # every row has every column
        for th in head_cells:
            assert th.get("scope") == "col"
    pools = tables[0]
    assert [th.text for th in pools.findall("h:thead/h:tr/h:th", NS)] == [
        "Pool",
        "Cap",
        "Committed",
        "Available",
        "Granted",
        "Remaining",
        "Used",
    ]  # nothing dropped for width
    first = pools.findall("h:tbody/h:tr", NS)
    assert first[1].find("h:td", NS).text == "Raufoss-andel"  # no tree glyph: an indent
    assert "padding-left" in first[1].find("h:td", NS).get("style")
    amounts = first[0].findall("h:td", NS)[1]
    assert amounts.get("class") == "num" and amounts.text == "16\u00a0000\u00a0000"
    assert "Kompetanseløft for utsatte industriklynger 2021" in national_page  # æøå as they are


def test_the_page_loads_nothing_from_outside_and_prints_landscape(national_page: str) -> None:
    assert not re.search(r"<(script|link|img|iframe|object)\b", national_page)
    assert "url(" not in national_page and "@import" not in national_page
    assert "http://" not in national_page and "https://" not in national_page
    assert "@page { size: A4 landscape" in national_page
    assert "thead { display: table-header-group; }" in national_page
    assert "font-variant-numeric: tabular-nums" in national_page


def test_format_html_and_export_html_give_the_same_page(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, national_page: str
) -> None:
    target = tmp_path / "report.html"
    result = invoke(runner, "report", *NATIONAL, "--export", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == national_page


@pytest.mark.parametrize(
    "args",
    [
        ("allocate", *NATIONAL),
        ("list", "pools", *NATIONAL),
        (
            "compare",
            *NATIONAL,
            "--scenario",
            "examples/national-2021/scenarios/ifs-plus-5-mnok.scenario",
        ),
        ("sweep", *NATIONAL, "--pool", "industrifagskolen-2021", "--values", "37,8MNOK;40MNOK"),
        ("report", *NATIONAL, "--money", "mnok", "--as-of", "2021-09-10"),
    ],
)
def test_every_command_s_page_is_valid(
    args: tuple[str, ...], runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(runner, *args, "--format", "html")
    assert result.exit_code == 0, result.output
    parse(result.stdout)
    if args[0] == "compare":
        shown = result.stdout.replace("\u00a0", " ")
        assert "ifs-plus-5-mnok vs base: granted +3 050 000 kr" in shown
    if args[0] == "sweep":
        assert '<pre class="chart">' in result.stdout  # the chart as text
    if "--as-of" in args:
        assert "<dt>As of</dt><dd>2021-09-10 (" in result.stdout
        assert "Amounts in MNOK." in result.stdout


def test_text_is_escaped_everywhere() -> None:
    columns = (Column("name", "<b>Name</b>"), Column("amount", "Amount", Kind.MONEY))
    table = Table("t", "A & B", columns, (("<script>alert(1)</script>", 100),), ("Total", 100))
    page = html_page([table], document={}, title='"Q" & <A>', notes=["1 < 2 & 3"], footer="<stamp>")
    parse(page)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<title>&quot;Q&quot; &amp; &lt;A&gt;</title>" in page
    assert "&lt;b&gt;Name&lt;/b&gt;" in page and "<p>1 &lt; 2 &amp; 3</p>" in page


def test_the_svg_export_is_light_without_window_or_web_fonts() -> None:
    columns = (Column("name", "Name"), Column("amount", "Amount", Kind.MONEY))
    table = Table("t", "Søknader", columns, (("Ålesund", 100),), ("Total", 100))
    svg = export_text(ExportFormat.SVG, [table], footer="stamp")
    assert svg.startswith("<svg")
    assert "https://" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "@font-face" not in svg and "Fira Code" not in svg
    assert 'fill="#ffffff"' in svg
    assert "<circle" not in svg  # no window buttons
    assert "#292929" not in svg  # Rich's dark background


def test_the_page_speaks_norwegian_with_lang_nb_and_mnok_parts_add_up(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(
        runner, "report", *NATIONAL, "--format", "html", "--lang", "nb", "--money", "mnok"
    )
    assert result.exit_code == 0, result.output
    page = result.stdout
    parse(page)
    assert '<html lang="nb">' in page
    assert "<h1>Tildelingsrapport</h1>" in page
    assert "<dt>Per dato</dt>" in page
    assert ">Innvilget</th>" in page and ">Granted</th>" not in page
    assert "største rest" in page  # the caption says the parts are rounded to add up
