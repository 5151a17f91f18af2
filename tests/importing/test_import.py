"""kompalloc import: portal exports (CSV, XLSX) to application YAML that validates clean.

Every test makes its own export in tmp_path; no binary fixture is committed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app
from kompalloc.importing.emit import scalar
from kompalloc.importing.sheets import column_letter, detect_delimiter

HEADER = [
    "Søknads-ID",
    "Søker",
    "Tittel",
    "Klynge",
    "Bedrifter",
    "Tillitsvalgt",
    "Omsøkt beløp",
    "Antall deltakere",
    "Studiepoeng",
    "Innsendt",
    "Prioritet",
    "Delfinansiering",
    "Minste beløp",
]
MAPPING = """\
columns:
  id: Søknads-ID
  institution:
    column: Søker
    map:
      Fagskolen i Viken: fagskolen-viken
      Fagskolen Innlandet: fagskolen-innlandet
      Fagskolen i Ålesund: fagskolen-alesund
  title: Tittel
  cluster: {column: Klynge, map: {Kongsberg: kongsberg, Raufoss: raufoss, Sunnmøre: sunnmore}}
  companies: {column: Bedrifter, split: ","}
  partners:
    - {column: Tillitsvalgt, role: employee_representative}
  requested: Omsøkt beløp
  participants: Antall deltakere
  study_points: Studiepoeng
  submitted: {column: Innsendt, date_format: "%d.%m.%Y"}
  rank: Prioritet
  partial: {column: Delfinansiering, map: {Ja: true, Nei: false}}
  min_grant: Minste beløp
defaults:
  scheme: industrifagskolen
  year: 2021
  level: tertiary_vocational
"""
GOOD_ROWS = [
    [
        "H21-001",
        "Fagskolen i Viken",
        "CNC-maskinering og automasjon",
        "Kongsberg",
        "Kongsberg Gruppen, GKN Aerospace Norway",
        "Klubben ved GKN Aerospace Norway",
        "1 250 000,00",
        "60",
        "10",
        "10.09.2021",
        "1",
        "Ja",
        "900 000,00",
    ],
    [
        "H21-002",
        "Fagskolen Innlandet",
        "Sveising; modul 1 og 2",
        "Raufoss",
        "Nammo Raufoss AS",
        "Klubben ved Nammo Raufoss",
        "2400000",
        "1 200",
        "7,5",
        "13.09.2021",
        "",
        "Nei",
        "",
    ],
    [
        "H21-003",
        "Fagskolen i Ålesund",
        "Hydraulikk: grunnkurs",
        "Sunnmøre",
        "Ulstein Verft AS",
        "Tillitsvalgte ved Ulstein Verft",
        "980 000 kr",
        "40",
        "15",
        "14.09.2021",
        "2",
        "Ja",
        "500 000",
    ],
]


def csv_text(rows: list[list[str]], sep: str = ";") -> str:
    def cell(value: str) -> str:
        if sep in value or '"' in value or "\n" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"


def write_csv(
    path: Path, rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8-sig"
) -> Path:
    path.write_bytes(csv_text(rows, sep).encode(encoding))
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def validate_clean(runner: CliRunner, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out = run(runner, "validate", "schemes", str(path))
    assert code == 0, out
    assert re.search(r"\b0 errors, 0 warnings\b", out), out


# CSV ------------------------------------------------------------------------------------------


def test_a_realistic_csv_export_imports_and_validates_clean(
    runner: CliRunner, tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_csv(tmp_path / "søknader.csv", [HEADER, *GOOD_ROWS])
    assert export.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" has a BOM
    out = tmp_path / "applications.yaml"
    code, output = run(runner, "import", str(export), "--mapping", str(mapping), "-o", str(out))
    assert code == 0, output
    assert "imported 3 applications" in output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Applications imported by kompalloc")
    assert f"export:  {export}" in text and f"mapping: {mapping}" in text
    assert "  H21-001:  # row 2\n" in text
    assert 'requested: "1 250 000 kr"' in text
    assert 'min_grant: "900 000 kr"' in text
    assert "submitted: 2021-09-10" in text
    assert "participants: 1200" in text  # '1 200' with a thousands space
    assert 'study_points: "7,5"' in text
    assert "partial: true" in text and "partial: false" in text
    assert '"Sveising; modul 1 og 2"' in text and '"Hydraulikk: grunnkurs"' in text
    assert "- {name: Klubben ved GKN Aerospace Norway, role: employee_representative}" in text
    assert "rank:" not in text.split("H21-002:")[1].split("H21-003:")[0]  # empty: left out
    validate_clean(runner, out, monkeypatch)

    from kompalloc.loading import load

    bundle, diagnostics = load([str(out)])
    assert not diagnostics
    first = bundle.applications["H21-001"]
    assert first.requested == 125_000_000
    assert first.submitted == date(2021, 9, 10)
    assert [c.name for c in first.companies] == ["Kongsberg Gruppen", "GKN Aerospace Norway"]
    assert bundle.applications["H21-003"].requested == 98_000_000


def test_the_bundled_example_imports_and_validates(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "applications.yaml"
    code, output = run(
        runner,
        "import",
        "examples/import/soknader-industrifagskolen-2021.csv",
        "--mapping",
        "examples/import/portal.mapping",
        "--output",
        str(out),
    )
    assert code == 0, output
    assert 'requested: "1 750 000,50 kr"' in out.read_text(encoding="utf-8")
    validate_clean(runner, out, monkeypatch)


def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = [h for h in HEADER if h != "Antall deltakere"]  # a column the mapping needs
    rows = [
        [v for h, v in zip(HEADER, row, strict=True) if h != "Antall deltakere"]
        for row in GOOD_ROWS
    ]
    rows[0][header.index("Omsøkt beløp")] = "1.250.000"  # row 2: bad amount
    rows[1][header.index("Søker")] = "NTNU Gjøvik"  # row 3: not in the map
    rows[2][header.index("Innsendt")] = "31.09.2021"  # row 4: no such day
    rows.append(list(rows[0]))
    rows[3][0] = "H21-004"
    rows[3][header.index("Innsendt")] = "2021/09/14"  # row 5: not the format
    rows[3][header.index("Omsøkt beløp")] = "1 000 000"
    rows[3][header.index("Tittel")] = ""  # row 5: a required cell empty
    export = write_csv(tmp_path / "export.csv", [header, *rows])
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "applications.yaml"
    out.write_text("# an earlier import\n", encoding="utf-8")

    code, output = run(runner, "import", str(export), "-m", str(mapping), "-o", str(out))
    assert code == 1, output
    lines = [line for line in output.splitlines() if " error KA" in line]
    found = [(re.search(r"KA\d+", line)[0], line) for line in lines]  # type: ignore[index]
    expected = [
        ("KA603", "row 1: the header row has no column 'Antall deltakere'"),
        ("KA205", "row 2, column G 'Omsøkt beløp': '1.250.000' is ambiguous"),
        ("KA606", "row 3, column B 'Søker': 'NTNU Gjøvik' is not in the mapping's map"),
        ("KA607", "row 4, column I 'Innsendt': '31.09.2021' is not a real date"),
        ("KA605", "row 5, column C 'Tittel': the cell for title (required) is empty"),
        ("KA607", "row 5, column I 'Innsendt': '2021/09/14' is not a date like 15.09.2021"),
    ]
    assert len(found) == len(expected), output
    for (code_found, line), (code_expected, text) in zip(found, expected, strict=True):
        assert code_found == code_expected and text in line, line
    assert f"{export}:2:7: error KA205" in output
    assert "6 errors, 0 warnings" in output
    assert "nothing written" in output
    assert out.read_text(encoding="utf-8") == "# an earlier import\n"
    assert list(tmp_path.glob(".applications.yaml.*")) == []


def test_a_legacy_windows_export_is_read_with_a_warning(
    runner: CliRunner, tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_csv(tmp_path / "export.csv", [HEADER, *GOOD_ROWS], encoding="cp1252")
    out = tmp_path / "applications.yaml"
    code, output = run(runner, "import", str(export), "-m", str(mapping), "-o", str(out))
    assert code == 0, output
    assert "warning KA602" in output and "Windows-1252" in output
    assert "Hydraulikk" in out.read_text(encoding="utf-8")
    assert "institution: fagskolen-alesund" in out.read_text(encoding="utf-8")  # 'Ålesund' read
    validate_clean(runner, out, monkeypatch)


def test_a_comma_separated_export_with_quoted_decimal_commas(
    runner: CliRunner, tmp_path: Path, mapping: Path
) -> None:
    export = write_csv(tmp_path / "export.csv", [HEADER, *GOOD_ROWS], sep=",", encoding="utf-8")
    out = tmp_path / "applications.yaml"
    code, output = run(runner, "import", str(export), "-m", str(mapping), "-o", str(out))
    assert code == 0, output
    assert 'requested: "1 250 000 kr"' in out.read_text(encoding="utf-8")


def test_an_unquoted_decimal_comma_in_a_comma_separated_row_is_caught(
    runner: CliRunner, tmp_path: Path, mapping: Path
) -> None:
    text = csv_text([HEADER, GOOD_ROWS[2]], ",").replace('"980 000 kr"', "980 000 kr")
    text += csv_text([GOOD_ROWS[0]], ",").replace('"1 250 000,00"', "1 250 000,00")
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 1, output
    assert "error KA608 row 3 has 14 cells, but the header row has 13" in output
    assert "decimal comma" in output


def test_an_excel_sep_line_names_the_separator_and_is_no_row(
    runner: CliRunner, tmp_path: Path, mapping: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text("sep=,\r\n" + csv_text([HEADER, *GOOD_ROWS], ","), encoding="utf-8")
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 0, output
    assert "H21-001:  # row 2" in output and "H21-003:  # row 4" in output


def test_delimiter_detection() -> None:
    assert detect_delimiter("a;b;c\n1;2;3\n") == ";"
    assert detect_delimiter("a,b,c\n1,2,3\n") == ","
    assert detect_delimiter("a\tb\n1\t2\n") == "\t"
    assert detect_delimiter('"Beløp, kr";Navn\n1;2\n') == ";"  # commas inside quotes do not count
    assert detect_delimiter("a;b,c\n1;2,3\n4;5,6\n") == ";"  # a tie: ';' first
    assert detect_delimiter("x,y;z\n1,2\n3,4\n") == ","  # a tie settled by the rows' width
    assert detect_delimiter("single\n1\n") == ";"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA"
    ]  # fmt: skip


# XLSX -----------------------------------------------------------------------------------------


def make_workbook(path: Path, rows: list[list[object]], *, sheet: str = "Søknader") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = "Info"
    info.append(["Eksportert fra søknadsportalen"])
    ws = workbook.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def xlsx_rows() -> list[list[object]]:
    return [
        HEADER,
        [
            "H21-001",
            "Fagskolen i Viken",
            "CNC-maskinering",
            "Kongsberg",
            "Kongsberg Gruppen",
            "Klubben ved Kongsberg Gruppen",
            1250000,  # int kroner
            60,
            10,
            datetime(2021, 9, 10),  # a date cell
            1.0,  # a float that is a whole number
            True,  # a boolean cell in a mapped column
            900000.0,
        ],
        [
            "H21-002",
            "Fagskolen Innlandet",
            "Sveising",
            "Raufoss",
            "Nammo Raufoss AS",
            "Klubben ved Nammo Raufoss",
            "1 750 000,50",  # text
            120,
            7.5,
            "13.09.2021",  # a text date
            None,
            "Nei",
            None,
        ],
        [
            "H21-003",
            "Fagskolen i Ålesund",
            "Hydraulikk",
            "Sunnmøre",
            "Ulstein Verft AS",
            "Tillitsvalgte ved Ulstein Verft",
            980000.25,  # kroner and øre as a float
            40,
            "15",
            datetime(2021, 9, 14, 13, 45),  # a time stamp: the day counts
            2,
            "Ja",
            None,
        ],
    ]


def test_an_xlsx_export_with_numeric_and_text_cells(
    runner: CliRunner, tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = make_workbook(tmp_path / "export.xlsx", xlsx_rows())
    out = tmp_path / "applications.yaml"
    code, output = run(
        runner, "import", str(export), "-m", str(mapping), "--sheet", "søknader", "-o", str(out)
    )
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert "(worksheet 'Søknader')" in text
    assert 'requested: "1 250 000 kr"' in text
    assert 'requested: "1 750 000,50 kr"' in text
    assert 'requested: "980 000,25 kr"' in text
    assert "submitted: 2021-09-10" in text and "submitted: 2021-09-14" in text
    assert "rank: 1\n" in text and "rank: 2\n" in text
    assert 'study_points: "7,5"' in text
    assert text.count("partial: true") == 2 and text.count("partial: false") == 1
    validate_clean(runner, out, monkeypatch)


def test_an_xlsx_sheet_comes_from_the_mapping_or_is_the_first(
    runner: CliRunner, tmp_path: Path, mapping: Path
) -> None:
    export = make_workbook(tmp_path / "export.xlsx", xlsx_rows())
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 1, output  # the first worksheet, 'Info', has none of the columns: one error
    assert output.count("error KA603") == 1, output
    assert "the header row has none of the columns the mapping names" in output
    assert "Row 1 of this worksheet 'Info' has: 'Eksportert fra søknadsportalen'" in output
    mapping.write_text(MAPPING + "sheet: Søknader\n", encoding="utf-8")
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 0, output
    assert "applications:\n  H21-001:  # row 2\n" in output
    code, output = run(runner, "import", str(export), "-m", str(mapping), "--sheet", "Soknader")
    assert code == 2, output
    assert "error KA601" in output and "no worksheet 'Soknader'" in output
    assert "did you mean 'Søknader'?" in output


def test_bad_xlsx_rows_are_all_reported(runner: CliRunner, tmp_path: Path, mapping: Path) -> None:
    rows = xlsx_rows()
    rows[1][6] = 1250000.123  # finer than øre
    rows[2][1] = "NTNU"  # not in the map
    rows[3][9] = 44453  # a number where a date belongs
    rows.append(
        ["H21-004", "Fagskolen i Viken", "X", "Kongsberg", "A", "B", -5, 1, 1, "", 3, "Ja", 1]
    )
    rows.append(
        [
            "H21-001",
            "Fagskolen i Viken",
            "X",
            "Kongsberg",
            "A",
            "B",
            5,
            1,
            1,
            "01.10.2021",
            None,
            False,
            None,
        ]
    )
    rows.insert(3, [None] * len(HEADER))  # an empty row is skipped, but counts
    export = make_workbook(tmp_path / "export.xlsx", rows)
    out = tmp_path / "out.yaml"
    code, output = run(
        runner, "import", str(export), "-m", str(mapping), "--sheet", "Søknader", "-o", str(out)
    )
    assert code == 1, output
    for expected in (
        "row 2, column G 'Omsøkt beløp': the cell holds the number 1250000.123, which is not a "
        "whole number of øre",
        "row 3, column B 'Søker': 'NTNU' is not in the mapping's map for institution",
        "row 5, column J 'Innsendt': the cell holds 44453, not a date",
        "row 6, column G 'Omsøkt beløp': the cell holds the number -5: amounts cannot be negative",
        "row 6, column J 'Innsendt': the cell for submitted (required) is empty",
        "row 7, column A 'Søknads-ID': application id 'H21-001' is also in row 2",
    ):
        assert expected in output, output
    assert "6 errors" in output
    assert not out.exists()


# Mapping files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  title: Tittel\n", "  titel: Tittel\n"),
            "mapping.yaml:9:3: error KA202 unknown key 'titel'",
        ),
        (("fagskolen-viken", "fagskolen viken"), "error KA210 'fagskolen viken' is not a valid id"),
        (('"%d.%m.%Y"', '"%d.%m"'), "error KA204 '%d.%m' is not a date format"),
        (
            ("{Ja: true, Nei: false}", "{Ja: yes, Nei: false}"),
            "error KA207 'yes' is not true or false",
        ),
        (
            ("  year: 2021\n", ""),
            "error KA203 the mapping gives no column or default for the required key 'year'",
        ),
        (
            ('{column: Bedrifter, split: ","}', "{column: Bedrifter, date_format: x}"),
            "error KA202 'date_format' applies only to dates",
        ),
        (
            (
                "    - {column: Tillitsvalgt, role: employee_representative}\n",
                "    - Tillitsvalgt\n",
            ),
            "error KA203 a partners column needs the partners' role",
        ),
        (
            ("  scheme: industrifagskolen\n", "  id: x\n"),
            "error KA202 the id cannot have a default",
        ),
        (("columns:\n", "columns:\n  instituton: Bar\n"), "did you mean 'institution'?"),
    ],
)
def test_mistakes_in_the_mapping_are_located(
    runner: CliRunner, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MAPPING
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING.replace(old, new, 1), encoding="utf-8")
    export = write_csv(tmp_path / "export.csv", [HEADER, *GOOD_ROWS])
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 1, output
    assert expected in output, output
    assert "the mapping has errors" in output


def test_map_keys_that_differ_only_in_case_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        MAPPING.replace("{Ja: true, Nei: false}", "{Ja: true, ja: false}"), encoding="utf-8"
    )
    export = write_csv(tmp_path / "export.csv", [HEADER, *GOOD_ROWS])
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 1 and "error KA102 'ja' and 'Ja' are the same cell value" in output, output


def test_map_lookup_ignores_case_and_spacing_and_unmapped_keep(
    runner: CliRunner, tmp_path: Path, mapping: Path
) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][HEADER.index("Delfinansiering")] = " JA "
    rows[0][HEADER.index("Søker")] = "Fagskolen  i  Viken"
    text = MAPPING.replace(
        "map: {Kongsberg: kongsberg,", "unmapped: keep, map: {Kongsberg: kongsberg,"
    )
    mapping.write_text(text, encoding="utf-8")
    rows[1][HEADER.index("Klynge")] = "agder"  # kept as it is: a cluster id
    export = write_csv(tmp_path / "export.csv", [HEADER, *rows])
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 0, output
    assert "cluster: agder" in output


# Files that cannot be read, and usage -----------------------------------------------------------


def test_files_that_are_not_spreadsheets(runner: CliRunner, tmp_path: Path, mapping: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    code, output = run(runner, "import", str(xls), "-m", str(mapping))
    assert code == 2 and "error KA601" in output and "old Excel workbook" in output, output

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = run(runner, "import", str(broken), "-m", str(mapping))
    assert code == 2 and "error KA601" in output, output

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, output = run(runner, "import", str(empty), "-m", str(mapping))
    assert code == 2 and "is empty" in output, output

    code, output = run(runner, "import", str(tmp_path / "missing.csv"), "-m", str(mapping))
    assert code == 2 and "error KA001" in output, output

    export = write_csv(tmp_path / "export.csv", [HEADER, *GOOD_ROWS])
    code, output = run(runner, "import", str(export), "-m", str(tmp_path / "nope.yaml"))
    assert code == 2 and "error KA001" in output, output
    code, output = run(runner, "import", str(export), "-m", str(mapping), "--sheet", "Ark1")
    assert code == 2 and "CSV, which has none" in output, output
    code, output = run(runner, "import", str(export), "-m", str(mapping), "-o", str(export))
    assert code == 2 and "refusing to write over the input file" in output, output


def test_an_export_without_rows_gives_an_empty_section_that_loads(
    runner: CliRunner, tmp_path: Path, mapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = write_csv(tmp_path / "export.csv", [HEADER, [""] * len(HEADER)])
    out = tmp_path / "applications.yaml"
    code, output = run(runner, "import", str(export), "-m", str(mapping), "-o", str(out))
    assert code == 0, output
    assert "warning KA609" in output
    assert out.read_text(encoding="utf-8").endswith("applications: {}\n")
    validate_clean(runner, out, monkeypatch)


def test_a_header_below_title_rows(runner: CliRunner, tmp_path: Path, mapping: Path) -> None:
    rows = [["Søknader Industrifagskolen høsten 2021"], [], HEADER, *GOOD_ROWS]
    export = write_csv(tmp_path / "export.csv", rows)
    mapping.write_text(MAPPING + "header_row: 3\n", encoding="utf-8")
    code, output = run(runner, "import", str(export), "-m", str(mapping))
    assert code == 0, output
    assert "H21-001:  # row 4" in output


def test_importing_does_not_load_openpyxl_at_startup() -> None:
    code = "import sys; from kompalloc.cli.app import app; print('openpyxl' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"


# Writing YAML ---------------------------------------------------------------------------------


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t\"'#:,[]{}&*!|>%@` -"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=200, deadline=None)
@given(title=_TEXT)
def test_any_title_is_written_so_that_kompalloc_reads_it_back_unchanged(
    title: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from kompalloc.diagnostics import Severity
    from kompalloc.loading import load

    path = tmp_path_factory.mktemp("emit") / "a.yaml"
    path.write_text(
        "applications:\n  A-1:\n    scheme: s\n    year: 2021\n    institution: i\n"
        f"    title: {scalar(title)}\n    requested: 1\n    submitted: 2021-09-15\n",
        encoding="utf-8",
    )
    bundle, diagnostics = load([str(path)])
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []
    assert not any(d.code.value == "KA215" for d in diagnostics)
    assert bundle.applications["A-1"].title == title
