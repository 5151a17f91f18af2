"""--lang nb and the project file's lang: Norwegian words for people, English keys for machines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import invoke
from kompalloc.reporting.labels import Lang, reason, status, value, word

NATIONAL = ["schemes", "examples/national-2021"]


def test_the_words_of_a_council() -> None:
    assert [status(s, Lang.NB) for s in ("funded", "partial", "not funded", "rejected")] == [
        "innvilget",
        "delvis innvilget",
        "ikke innvilget",
        "avvist",
    ]
    assert reason("pool exhausted; no partial", Lang.NB) == (
        "potten er brukt opp; tar ikke delvis tilskudd"
    )
    assert reason("missing partner: employee_representative", Lang.NB) == (
        "mangler partner: tillitsvalgt"
    )
    assert reason("privat_tilbyder not eligible", Lang.EN) == "private provider not eligible"
    assert reason("late (2021-09-16)", Lang.NB) == "for sent (2021-09-16)"
    assert reason("something new", Lang.NB) == "something new"  # unknown parts stay
    assert value("institution_type", "universitet, fagskole_offentlig", Lang.NB) == (
        "universitet, offentlig fagskole"
    )
    assert word("Granted", Lang.NB) == "Innvilget" and word("Granted") == "Granted"


def test_report_in_norwegian(runner: CliRunner) -> None:
    result = invoke(runner, "report", *NATIONAL, "--lang", "nb")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for shown in ("Ordninger og potter", "Søknader: Industrifagskolen 2021", "delvis innvilget"):
        assert shown in out
    assert "ikke innvilget" in out and "Beløp i kroner." in out
    assert "Industrifagskolen 2021" in out  # names as written
    assert "funded" not in out.replace("not funded", "")


def test_machine_formats_keep_english_keys(runner: CliRunner) -> None:
    result = invoke(runner, "allocate", *NATIONAL, "--lang", "nb", "--format", "json")
    document = json.loads(result.stdout)
    rows = document["tables"]["applications"]["rows"]
    assert {r["status"] for r in rows} == {"funded", "partial", "not funded", "rejected"}
    csv = invoke(runner, "allocate", *NATIONAL, "--lang", "nb", "--format", "csv").stdout
    assert "not funded" in csv and "innvilget" not in csv


def test_list_names_types_in_words(runner: CliRunner) -> None:
    english = invoke(runner, "list", "institutions", *NATIONAL).stdout
    assert "private provider" in english and "privat_tilbyder" not in english
    norsk = invoke(runner, "list", "institutions", *NATIONAL, "--lang", "nb").stdout
    assert "privat tilbyder" in norsk and "Institusjoner" in norsk


def test_the_project_file_sets_the_language(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kompalloc.pipeline import project

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "kompalloc.toml").write_text(
        f'paths = ["{root / "schemes"}", "{root / "examples" / "kongsberg-2021"}"]\nlang = "nb"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    project.current.cache_clear()
    try:
        result = invoke(runner, "report")
        assert result.exit_code == 0, result.output
        assert "Søknader" in result.stdout
        assert "Applications" in invoke(runner, "report", "--lang", "en").stdout
        (tmp_path / "kompalloc.toml").write_text('lang = "de"\n', encoding="utf-8")
        project.current.cache_clear()
        bad = invoke(runner, "report", *[str(root / p) for p in NATIONAL])
        assert bad.exit_code == 2 and "'lang' must be" in bad.stderr
    finally:
        project.current.cache_clear()


def test_an_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, "report", *NATIONAL, "--lang", "de")
    assert result.exit_code == 2 and "--lang" in result.stderr


def test_the_workbook_speaks_norwegian_with_lang_nb(runner: CliRunner, tmp_path: Path) -> None:
    import openpyxl

    sheets = {}
    for lang in ("en", "nb"):
        out = tmp_path / f"{lang}.xlsx"
        result = invoke(
            runner, "report", *NATIONAL, "--format", "xlsx", "--lang", lang, "-o", str(out)
        )
        assert result.exit_code == 0, result.output
        sheets[lang] = openpyxl.load_workbook(out)["applications"]
    en, nb = sheets["en"], sheets["nb"]
    assert en["A1"].value == "Applications" and nb["A1"].value == "Søknader"
    headers = [c.value for c in nb[2]]
    assert "Innvilget" in headers and "Granted" not in headers
    statuses = {row[headers.index("Status")] for row in nb.iter_rows(min_row=3, values_only=True)}
    assert "innvilget" in statuses and "funded" not in statuses
    # Amounts are the same numbers whatever the language.
    column = [c.value for c in en[2]].index("Granted")
    assert [r[column] for r in en.iter_rows(min_row=3, values_only=True)] == [
        r[headers.index("Innvilget")] for r in nb.iter_rows(min_row=3, values_only=True)
    ]
