"""The YAML loading layer, in the style of yamllint's tests: small sources, expected (code, line, column).

Lines and columns are 1-based, as editors show them. Each case writes its source to a
temporary file and runs :func:`kompalloc.loading.load` (or the CLI, for exit codes).
Pathological inputs are kept small enough to be quick, and simply have to finish.
"""

from __future__ import annotations

import itertools
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kompalloc.cli.app import app
from kompalloc.diagnostics import Code, Diagnostic, Severity, has_errors
from kompalloc.loading import load, loader
from kompalloc.loading.nodes import MAX_DEPTH, Map, Scalar, Seq, parse
from kompalloc.model import Bundle
from kompalloc.source import Span
from kompalloc.validation import validate

Problem = tuple[str, int, int]

BASE = """\
schemes:
  kul:
    name: Kompetanseløft
    administrator: HK-dir
    institution_types: [universitet]
    deadline: 2021-09-15
pools:
  kul-2021:
    scheme: kul
    year: 2021
    cap: 20 MNOK
clusters:
  kongsberg:
    name: Kongsberg
    region: Viken
institutions:
  usn:
    name: Universitetet i Sørøst-Norge
    type: universitet
applications:
  A-1:
    scheme: kul
    year: 2021
    institution: usn
    cluster: kongsberg
    title: Kurs
    requested: 1 MNOK
    participants: 20
    submitted: 2021-09-01
    partial: false
"""
"""A clean file with one entry per section; the cases below change one value in it."""

# Where BASE's values start, as (line, column).
DEADLINE = (6, 15)
CAP = (11, 10)
TITLE = (26, 12)
REQUESTED = (27, 16)
PARTICIPANTS = (28, 19)
SUBMITTED = (29, 16)
PARTIAL = (30, 14)


def base_with(old: str, new: str) -> str:
    """BASE with one line's text replaced, e.g. base_with('cap: 20 MNOK', 'cap: 2e7')."""
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def write(folder: Path, source: str | bytes, name: str = "input.yaml") -> Path:
    """Write a source byte for byte (no newline translation)."""
    path = folder / name
    path.write_bytes(source.encode("utf-8") if isinstance(source, str) else source)
    return path


def ordered(diagnostics: list[Diagnostic]) -> list[Problem]:
    return sorted((d.code.value, d.span.line, d.span.column) for d in diagnostics)


Problems = Callable[[str | bytes], list[Problem]]
Loaded = Callable[[str | bytes], tuple[Bundle, list[Diagnostic]]]


@pytest.fixture
def loaded(tmp_path: Path) -> Loaded:
    """Load a source from a file of its own; returns the bundle and the diagnostics."""
    count = 0

    def run(source: str | bytes) -> tuple[Bundle, list[Diagnostic]]:
        nonlocal count
        count += 1
        return load([str(write(tmp_path, source, f"case-{count}.yaml"))])

    return run


@pytest.fixture
def problems(loaded: Loaded) -> Problems:
    """The sorted (code, line, column) of every diagnostic a source gives."""
    return lambda source: ordered(loaded(source)[1])


@pytest.fixture
def cli() -> Callable[..., Any]:
    """Run the CLI; a real exception (not SystemExit) is a bug and fails the test."""
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})

    def run(*args: str) -> Any:
        result = runner.invoke(app, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            pytest.fail("".join(traceback.format_exception(result.exception)))
        return result

    return run


# Clean input, and positions


def test_base_is_clean(loaded: Loaded, tmp_path: Path, cli: Callable[..., Any]) -> None:
    bundle, diagnostics = loaded(BASE)
    assert diagnostics == []
    assert [len(s) for s in (bundle.schemes, bundle.pools, bundle.clusters)] == [1, 1, 1]
    assert [len(s) for s in (bundle.institutions, bundle.applications)] == [1, 1]
    result = cli("validate", str(write(tmp_path, BASE, "base.yaml")))
    assert result.exit_code == 0, result.output


def test_positions_are_one_based_and_exact(loaded: Loaded) -> None:
    bundle, _ = loaded(BASE)
    path = bundle.files[0]
    pool = bundle.pools["kul-2021"]
    assert pool.span == Span(path, 8, 3, 8, 11)
    assert pool.at("cap") == Span(path, 11, 10, 11, 17)
    assert pool.at("year") == Span(path, 10, 11, 10, 15)
    assert bundle.schemes["kul"].at("institution_types") == Span(path, 5, 24, 5, 37)
    assert bundle.applications["A-1"].at("requested") == Span(path, 27, 16, 27, 22)
    assert bundle.clusters["kongsberg"].span == Span(path, 13, 3, 13, 12)
    assert pool.at("committed") == pool.span  # a key not written points at the entry's id


def test_values_are_read_exactly(loaded: Loaded) -> None:
    bundle, _ = loaded(BASE)
    app_ = bundle.applications["A-1"]
    assert (app_.requested, app_.participants, app_.partial) == (100_000_000, 20, False)
    assert app_.submitted == date(2021, 9, 1)
    assert bundle.pools["kul-2021"].cap == 2_000_000_000
    assert bundle.institutions["usn"].name == "Universitetet i Sørøst-Norge"


def test_columns_count_characters_not_bytes(problems: Problems) -> None:
    source = "clusters: {kongsberg: {name: Sørøst, nme: x}}\n"
    assert problems(source) == [("KA202", 1, 38)]


def test_parse_gives_nodes_with_spans() -> None:
    root, diagnostics = parse("a:\n  b: [x, 'y']\n", "f.yaml")
    assert diagnostics == []
    assert isinstance(root, Map)
    key, inner = root.items["a"]
    assert key.span == Span("f.yaml", 1, 1, 1, 2)
    assert isinstance(inner, Map)
    seq = inner.items["b"][1]
    assert isinstance(seq, Seq)
    assert seq.span == Span("f.yaml", 2, 6, 2, 14)
    assert seq.items == [
        Scalar("x", True, Span("f.yaml", 2, 7, 2, 8)),
        Scalar("y", False, Span("f.yaml", 2, 10, 2, 13)),
    ]


# Duplicate keys


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "clusters:\n  a:\n    name: x\nclusters:\n  b:\n    name: y\n",
            [("KA102", 4, 1)],
            id="section",
        ),
        pytest.param(
            "clusters:\n  a:\n    name: x\n  a:\n    name: y\n", [("KA102", 4, 3)], id="id"
        ),
        pytest.param(
            "clusters:\n  a:\n    name: x\n    name: y\n", [("KA102", 4, 5)], id="entry-key"
        ),
        pytest.param("clusters:\n  a: {name: x, name: y}\n", [("KA102", 2, 16)], id="flow"),
        pytest.param(
            "clusters:\n  a:\n    name: x\n    description: {x: {y: 1, y: 2}}\n",
            [("KA102", 4, 29), ("KA204", 4, 18)],
            id="depth-5",
        ),
        pytest.param(
            base_with(
                "    partial: false\n",
                "    partial: false\n    partners:\n      - name: NITO\n"
                "        role: union\n        role: union\n",
            ),
            [("KA102", 34, 9)],
            id="in-a-list-item",
        ),
        pytest.param(
            'clusters:\n  a:\n    name: x\n  "a":\n    name: y\n', [("KA102", 4, 3)], id="quoted"
        ),
        pytest.param(
            "clusters:\n  1:\n    name: x\n  '1':\n    name: y\n", [("KA102", 4, 3)], id="number"
        ),
    ],
)
def test_duplicate_keys(problems: Problems, source: str, expected: list[Problem]) -> None:
    assert problems(source) == expected


def test_duplicate_key_message_names_both_positions(loaded: Loaded) -> None:
    _, diagnostics = loaded("clusters:\n  a:\n    name: x\n    region: y\n    name: z\n")
    [d] = diagnostics
    assert (d.code, d.span.line, d.span.column) == (Code.DUPLICATE_KEY, 5, 5)
    assert "line 3, column 5" in d.message


def test_keys_are_text_so_yaml11_spellings_do_not_collide(loaded: Loaded) -> None:
    bundle, diagnostics = loaded(
        "clusters:\n  NO:\n    name: x\n  no:\n    name: y\n  'on':\n    name: z\n"
    )
    assert diagnostics == []
    assert sorted(bundle.clusters) == ["NO", "no", "on"]


# Booleans and text: no Norway problem


@pytest.mark.parametrize(
    "value", ["yes", "no", "NO", "on", "off", "True", "FALSE", "y", "n", "1", "0", "'true'"]
)
def test_yaml11_booleans_are_errors_where_a_boolean_is_meant(
    problems: Problems, value: str
) -> None:
    assert problems(base_with("partial: false", f"partial: {value}")) == [("KA207", *PARTIAL)]


def test_boolean_hint_names_the_yaml11_problem(loaded: Loaded) -> None:
    _, [d] = loaded(base_with("partial: false", "partial: NO"))
    assert d.hint is not None and "true or false" in d.hint and "'NO'" in d.hint


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("false", False)])
def test_true_and_false_are_booleans(loaded: Loaded, value: str, expected: bool) -> None:
    bundle, diagnostics = loaded(base_with("partial: false", f"partial: {value}"))
    assert diagnostics == []
    assert bundle.applications["A-1"].partial is expected


def test_yaml11_booleans_stay_literal_text_where_text_is_meant(loaded: Loaded) -> None:
    bundle, diagnostics = loaded(
        "clusters:\n  NO:\n    name: NO\n    region: off\n  yes:\n    name: on\n    description: y\n"
    )
    assert not has_errors(diagnostics)  # at most a warning that other tools read it differently
    assert (bundle.clusters["NO"].name, bundle.clusters["NO"].region) == ("NO", "off")
    assert (bundle.clusters["yes"].name, bundle.clusters["yes"].description) == ("on", "y")
    bundle, diagnostics = loaded(base_with("title: Kurs", "title: NO"))
    assert not has_errors(diagnostics)
    assert bundle.applications["A-1"].title == "NO"
    bundle, diagnostics = loaded(base_with("title: Kurs", 'title: "NO"'))
    assert diagnostics == []
    assert bundle.applications["A-1"].title == "NO"


def test_other_yaml11_types_stay_literal_text(loaded: Loaded) -> None:
    source = "clusters:\n  a:\n    name: 010\n    region: 1:30\n    description: 2021-09-15\n"
    bundle, diagnostics = loaded(source)
    # A date-looking text is kept as text, with a warning that other YAML tools read a date.
    assert [(d.code.value, d.span.line, d.span.column) for d in diagnostics] == [("KA215", 5, 18)]
    cluster = bundle.clusters["a"]
    assert (cluster.name, cluster.region, cluster.description) == ("010", "1:30", "2021-09-15")


# Integers


@pytest.mark.parametrize(
    "value", ["010", "0x1F", "1:30", "1_000", "-5", "+5", "1.0", "0b101", "0o17", "1e3", "~"]
)
def test_integers_are_plain_digits_only(problems: Problems, value: str) -> None:
    source = base_with("participants: 20", f"participants: {value}")
    assert problems(source) == [("KA206", *PARTICIPANTS)]


def test_leading_zero_hint(loaded: Loaded) -> None:
    _, [d] = loaded(base_with("participants: 20", "participants: 010"))
    assert d.hint is not None and "octal" in d.hint


def test_year_is_an_integer_too(problems: Problems) -> None:
    assert problems(base_with("    year: 2021\n    cap", "    year: 20_21\n    cap")) == [
        ("KA206", 10, 11)
    ]


# Money


@pytest.mark.parametrize(
    "value",
    [
        "2e7",
        "2.0e+7",
        "1.0e+400",
        ".inf",
        "-.inf",
        ".nan",
        ".NaN",
        "20.000.000",
        "20,000,000",
        "-5",
        "12.345",
        "1.5",
        "010",
        "0x1F",
        "1_000",
        "1:30",
        "9" * 5000,
        "'20 MNOK 5'",
    ],
)
def test_money_that_is_refused(problems: Problems, value: str) -> None:
    assert problems(base_with("cap: 20 MNOK", f"cap: {value}")) == [("KA205", *CAP)]


@pytest.mark.parametrize(
    ("value", "ore"),
    [("20000000", 2_000_000_000), ('"20 000 000"', 2_000_000_000), ("1,5 MNOK", 150_000_000)],
)
def test_money_that_is_read(loaded: Loaded, value: str, ore: int) -> None:
    bundle, diagnostics = loaded(base_with("cap: 20 MNOK", f"cap: {value}"))
    assert diagnostics == []
    assert bundle.pools["kul-2021"].cap == ore


# Dates


@pytest.mark.parametrize(
    "value",
    [
        "2021-02-30",
        "2021-13-01",
        "2021-9-15",
        "15.09.2021",
        "2021-00-10",
        "20210915",
        "2021-09-15T10:00:00",
        "2021-09-15 10:00",
    ],
)
def test_dates_that_are_refused(problems: Problems, value: str) -> None:
    assert problems(base_with("deadline: 2021-09-15", f"deadline: {value}")) == [
        ("KA208", *DEADLINE)
    ]


def test_dates_that_are_read(loaded: Loaded) -> None:
    bundle, diagnostics = loaded(base_with("deadline: 2021-09-15", "deadline: 2024-02-29"))
    assert diagnostics == []
    assert bundle.schemes["kul"].deadline == date(2024, 2, 29)


# Explicit tags


def test_python_tags_are_refused_and_nothing_runs(problems: Problems, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    call = f"!!python/object/apply:os.system ['touch {marker}']"
    assert problems(f"clusters:\n  a:\n    name: {call}\n") == [("KA104", 3, 11), ("KA204", 3, 11)]
    assert problems(f"clusters: {call}\n") == [("KA104", 1, 11), ("KA201", 1, 11)]
    assert problems(f"--- {call}\n") == [("KA104", 1, 5), ("KA201", 1, 5)]
    scalar = f"!!python/object/apply:os.system 'touch {marker}'"
    assert problems(f"clusters:\n  a:\n    name: {scalar}\n") == [("KA104", 3, 11)]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("participants: 20", "participants: !!int abc", [("KA104", *PARTICIPANTS)]),
        ("title: Kurs", "title: !!binary aGk=", [("KA104", *TITLE)]),
        ("title: Kurs", "title: !custom Kurs", [("KA104", *TITLE)]),
        ("title: Kurs", "title: !!str Kurs", [("KA104", *TITLE)]),
        ("title: Kurs", "title: !<tag:yaml.org,2002:str> Kurs", [("KA104", *TITLE)]),
        ("title: Kurs", "title: !!set {a, b}", [("KA104", *TITLE), ("KA204", *TITLE)]),
        ("cap: 20 MNOK", "cap: !!float ''", [("KA104", *CAP)]),
        ("partial: false", "partial: !!bool maybe", [("KA104", *PARTIAL)]),
        ("submitted: 2021-09-01", "submitted: !!timestamp xx", [("KA104", *SUBMITTED)]),
    ],
)
def test_explicit_tags_are_refused(
    problems: Problems, old: str, new: str, expected: list[Problem]
) -> None:
    assert problems(base_with(old, new)) == expected


# Anchors and aliases


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "clusters:\n  a: &k\n    name: x\n  b: *k\n",
            [("KA103", 2, 6), ("KA103", 4, 6)],
            id="anchor-and-alias",
        ),
        pytest.param(
            "clusters:\n  a:\n    name: &a [*a]\n",
            [("KA103", 3, 11), ("KA103", 3, 15), ("KA204", 3, 11)],
            id="alias-inside-itself",
        ),
        pytest.param("clusters:\n  a:\n    name: *nope\n", [("KA103", 3, 11)], id="undefined"),
        pytest.param(
            "clusters:\n  a: &k {name: x}\n  b:\n    <<: *k\n    region: y\n",
            [("KA103", 2, 6), ("KA103", 4, 9), ("KA202", 4, 5), ("KA203", 4, 5)],
            id="merge-key",
        ),
    ],
)
def test_anchors_and_aliases_are_refused(
    problems: Problems, source: str, expected: list[Problem]
) -> None:
    assert problems(source) == expected


def billion_laughs(levels: int = 9) -> str:
    names = "abcdefghijklmnopqrstuvwxyz"[: levels + 1]
    lines = [f"a: &a [{', '.join(['lol'] * 9)}]"]
    for prev, cur in itertools.pairwise(names):
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding(
    loaded: Loaded, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    bundle, diagnostics = loaded(billion_laughs(9))
    codes = [d.code for d in diagnostics]
    assert codes.count(Code.ALIAS) == 10 + 9 * 9  # every anchor and every alias, once
    assert set(codes) == {Code.ALIAS, Code.UNKNOWN_KEY}
    assert bundle.files and not bundle.clusters
    result = cli(
        "validate", "--format", "json", str(write(tmp_path, billion_laughs(9), "lol.yaml"))
    )
    assert result.exit_code == 1


# Complex keys, documents, empty files, the top level


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("clusters:\n  ? [1, 2]\n  : {name: x}\n", [("KA107", 2, 5)]),
        ("clusters:\n  {a: 1}: {name: x}\n", [("KA107", 2, 3)]),
        ("clusters:\n  a:\n    name: x\n    [region]: y\n", [("KA107", 4, 5)]),
        (
            "? {a: b}\n: x\nclusters:\n  k:\n    nme: y\n",
            [("KA107", 1, 3), ("KA202", 5, 5), ("KA203", 5, 5)],
        ),
    ],
)
def test_complex_keys(problems: Problems, source: str, expected: list[Problem]) -> None:
    assert problems(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("clusters: {}\n---\nclusters: {}\n", [("KA106", 2, 1)]),
        ("--- \nclusters: {}\n...\n--- \npools: {}\n", [("KA106", 4, 1)]),
        ("clusters: {}\n...\n---\n", [("KA106", 3, 1)]),
        ("---\nclusters: {}\n...\n", []),
    ],
)
def test_one_document_per_file(problems: Problems, source: str, expected: list[Problem]) -> None:
    assert problems(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "# only\n# comments\n",
        "---\n",
        "--- # c\n...\n",
        "\ufeff",
        "\r\n",
        "~\n",
        "null\n",
    ],
)
def test_empty_files_give_a_warning(loaded: Loaded, source: str) -> None:
    bundle, diagnostics = loaded(source)
    assert ordered(diagnostics) == [("KA214", 1, 1)]
    assert diagnostics[0].severity is Severity.WARNING
    assert len(bundle.files) == 1


@pytest.mark.parametrize(
    "source",
    ["- a\n- b\n", "[a, b]\n", "hello\n", "42\n", "'quoted'\n", "2021-09-15\n", "|\n  x\n"],
)
def test_the_top_level_must_be_a_mapping(problems: Problems, source: str) -> None:
    assert problems(source) == [("KA201", 1, 1)]


def test_sections_and_entries_must_be_mappings(problems: Problems) -> None:
    assert problems("clusters: [a]\n") == [("KA201", 1, 11)]
    assert problems("clusters:\n  a: x\n") == [("KA201", 2, 6)]
    assert problems("clusters:\napplications:\n") == []  # sections waiting to be filled
    assert problems("clusters: ~\napplications: null\n") == []
    assert problems("clusters: '~'\n") == [("KA201", 1, 11)]


# Unknown, missing and wrongly typed keys: all reported at once


def test_unknown_section_with_a_hint(loaded: Loaded) -> None:
    _, diagnostics = loaded("schemas:\n  s: {}\npool:\n  p: {}\nfoo: 1\n")
    assert ordered(diagnostics) == [("KA202", 1, 1), ("KA202", 3, 1), ("KA202", 5, 1)]
    hints = [d.hint for d in sorted(diagnostics, key=Diagnostic.sort_key)]
    assert hints[0] == "did you mean 'schemes'?"
    assert hints[1] == "did you mean 'pools'?"
    assert hints[2] is not None and hints[2].startswith("sections are:")


def test_unknown_keys_with_hints(loaded: Loaded) -> None:
    source = base_with("    cap: 20 MNOK\n", "    cap: 20 MNOK\n    capp: 1\n    colour: red\n")
    _, diagnostics = loaded(source)
    assert ordered(diagnostics) == [("KA202", 12, 5), ("KA202", 13, 5)]
    first, second = sorted(diagnostics, key=Diagnostic.sort_key)
    assert first.hint == "did you mean 'cap'?"
    assert second.hint is not None and second.hint.startswith("known keys:")


def test_missing_keys_are_all_reported(loaded: Loaded) -> None:
    _, diagnostics = loaded("applications:\n  A:\n    scheme: s\n")
    assert ordered(diagnostics) == [("KA203", 3, 5)] * 5
    missing = {d.message.rsplit("'", 2)[1] for d in diagnostics}
    assert missing == {"year", "institution", "title", "requested", "submitted"}


def test_wrong_types_are_all_reported(problems: Problems) -> None:
    source = (
        "schemes:\n  s:\n    name: [S]\n    administrator: {who: HK-dir}\n"
        "    institution_types: universitet\n    required_partners: [union, {role: x}]\n"
        "    deadline: [2021-01-01]\n"
    )
    assert problems(source) == [
        ("KA204", 3, 11),
        ("KA204", 4, 20),
        ("KA204", 5, 24),
        ("KA204", 6, 32),
        ("KA204", 7, 15),
    ]


# Line ends, tabs, syntax errors


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_numbers_survive_every_line_end(
    loaded: Loaded, problems: Problems, newline: str
) -> None:
    source = base_with("cap: 20 MNOK", "cap: 2e7").replace("\n", newline)
    assert problems(source) == [("KA205", *CAP)]
    bundle, _ = loaded(BASE.replace("\n", newline))
    assert bundle.applications["A-1"].at("requested").line == REQUESTED[0]
    block = "clusters:\n  a:\n    name: x\n    description: |\n      one\n      two\n    nme: y\n"
    bundle, diagnostics = loaded(block.replace("\n", newline))
    assert ordered(diagnostics) == [("KA202", 7, 5)]
    assert bundle.clusters == {}
    bundle, _ = loaded(block.replace("    nme: y\n", "").replace("\n", newline))
    assert bundle.clusters["a"].description == "one\ntwo\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("clusters:\n\ta:\n\t\tname: x\n", [("KA101", 2, 1)]),
        ("clusters:\n  a:\n\tname: x\n", [("KA101", 3, 1)]),
        ("clusters:\n  a:\n    name: x\n\tregion: y\n", [("KA101", 4, 1)]),
        ("clusters:\n  a:\n    name: x\n   region: y\n", [("KA101", 4, 4)]),
        ("clusters:\n  a:\n    name: x\n      region: y\n", [("KA101", 4, 13)]),
    ],
)
def test_tabs_and_bad_indentation(problems: Problems, source: str, expected: list[Problem]) -> None:
    assert problems(source) == expected


def test_a_tab_inside_a_value_is_fine(loaded: Loaded) -> None:
    bundle, diagnostics = loaded("clusters:\n  a:\n    name: a\tb\n")
    assert diagnostics == []
    assert bundle.clusters["a"].name == "a\tb"


@pytest.mark.parametrize(
    ("source", "expected", "began"),
    [
        ("clusters: [a, b\n", ("KA101", 2, 1), "line 1, column 11"),
        ("clusters: {a: {name: x}\n", ("KA101", 2, 1), "line 1, column 11"),
        ('clusters:\n  a:\n    name: "x\n', ("KA101", 4, 1), "line 3, column 11"),
        ("clusters:\n  a:\n    name: 'x\n    region: y\n", ("KA101", 5, 1), "line 3, column 11"),
    ],
)
def test_unclosed_brackets_and_quotes_say_where_they_began(
    loaded: Loaded, source: str, expected: Problem, began: str
) -> None:
    _, diagnostics = loaded(source)
    assert ordered(diagnostics) == [expected]
    assert began in diagnostics[0].message


# Byte-order marks, encodings, control characters


def test_a_bom_at_the_start_is_fine_and_shifts_nothing(problems: Problems) -> None:
    assert problems("\ufeffclusters:\n  a:\n    nme: x\n") == [("KA202", 3, 5), ("KA203", 3, 5)]
    assert problems(b"\xef\xbb\xbfclusters: {a: {nme: x}}\n") == [
        ("KA202", 1, 16),
        ("KA203", 1, 15),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("clusters:\n  a:\n    name: x\ufeffy\n", ("KA108", 3, 12)),
        ("clusters:\r  a:\r    name: x\ufeffy\r", ("KA108", 3, 12)),
        ("\ufeff\ufeffclusters: {}\n", ("KA108", 1, 1)),
    ],
)
def test_a_bom_elsewhere_is_an_error(problems: Problems, source: str, expected: Problem) -> None:
    assert problems(source) == [expected]


LATIN1 = "clusters:\n  a:\n    name: Sunnm\xf8re\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(LATIN1.encode("latin-1"), ("KA005", 3, 16), id="lf"),
        pytest.param(LATIN1.replace("\n", "\r\n").encode("latin-1"), ("KA005", 3, 16), id="crlf"),
        pytest.param(LATIN1.replace("\n", "\r").encode("latin-1"), ("KA005", 3, 16), id="cr"),
        pytest.param("    name: æøå ".encode() + b"\xf8\n", ("KA005", 1, 15), id="after-utf8"),
        pytest.param(b"\xef\xbb\xbfa: \xe6\n", ("KA005", 1, 4), id="after-bom"),
    ],
)
def test_latin1_gives_the_line_and_column_of_the_bad_byte(
    loaded: Loaded, data: bytes, expected: Problem
) -> None:
    _, diagnostics = loaded(data)
    assert ordered(diagnostics) == [expected]
    assert diagnostics[0].hint == "save the file as UTF-8"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-16-le", ("KA005", 1, 2)), ("utf-16-be", ("KA005", 1, 1)), ("utf-16", ("KA005", 1, 1))],
)
def test_utf16_is_recognised(loaded: Loaded, encoding: str, expected: Problem) -> None:
    for text in ("clusters:\n  a:\n    name: x\n", "clusters:\n  a:\n    name: Sunnmøre\n"):
        _, diagnostics = loaded(text.encode(encoding))
        assert ordered(diagnostics) == [expected]
        assert diagnostics[0].hint is not None and "UTF-16" in diagnostics[0].hint


@pytest.mark.parametrize(
    ("char", "column"),
    [
        ("\x00", 13),
        ("\x01", 13),
        ("\x07", 13),
        ("\x08", 13),
        ("\x0b", 13),
        ("\x0c", 13),
        ("\x1b", 13),
        ("\x7f", 13),
        ("\x80", 13),
        ("\x9b", 13),
        ("\x85", 13),
        ("\u2028", 13),
        ("\u2029", 13),
        ("\ufffe", 13),
        ("\uffff", 13),
    ],
)
def test_control_characters_are_refused_with_their_position(
    problems: Problems, char: str, column: int
) -> None:
    assert problems(f"clusters:\n  a:\n    name: ab{char}c\n") == [("KA108", 3, column)]
    assert problems(f"clusters:\r\n  a:\r\n    name: ab{char}c\r\n") == [("KA108", 3, column)]


@pytest.mark.parametrize(
    ("escaped", "expected"),
    [
        ('"\\ud800"', [("KA108", 3, 14)]),
        ('"ab\\udfff"', [("KA108", 3, 16)]),
        ('"\\ud83d\\ude00"', [("KA108", 3, 14)]),
        ('"\\x00"', [("KA108", 3, 11)]),
        ('"a\\u0007b"', [("KA108", 3, 11)]),
        ('"\\e[31m"', [("KA108", 3, 11)]),
        ('"\\x7f"', [("KA108", 3, 11)]),
    ],
)
def test_escaped_surrogates_and_control_characters_are_refused(
    problems: Problems, escaped: str, expected: list[Problem]
) -> None:
    assert problems(f"clusters:\n  a:\n    name: {escaped}\n") == expected


def test_harmless_escapes_are_read(loaded: Loaded) -> None:
    bundle, diagnostics = loaded(
        'clusters:\n  a:\n    name: "a\\tb\\u00f8\\U0001F600"\n    region: "x\\ny"\n'
    )
    assert diagnostics == []
    assert bundle.clusters["a"].name == "a\tbø\U0001f600"
    assert bundle.clusters["a"].region == "x\ny"


def test_parse_reports_characters_that_cannot_be_encoded() -> None:
    # Text from elsewhere (e.g. decoded with surrogateescape) must not crash the C parser.
    root, diagnostics = parse("a: b\ud800\n", "f.yaml")
    assert root is None
    assert ordered(diagnostics) == [("KA108", 1, 5)]
    root, diagnostics = parse("a:\r\n  b: \x00\r\n", "f.yaml")
    assert ordered(diagnostics) == [("KA108", 2, 6)]


# Long keys and values


def test_very_long_keys(loaded: Loaded, problems: Problems) -> None:
    _, diagnostics = loaded("clusters:\n  a:\n    name: x\n    " + "k" * 1000 + ": y\n")
    assert ordered(diagnostics) == [("KA202", 4, 5)]
    assert diagnostics[0].hint is not None and diagnostics[0].hint.startswith("known keys:")
    # YAML limits keys without '?' to 1024 characters.
    assert problems("clusters:\n  a:\n    name: x\n    " + "k" * 1100 + ": y\n") == [
        ("KA101", 4, 1105)
    ]
    assert problems("clusters:\n  a:\n    name: x\n    ? " + "k" * 100_000 + "\n    : y\n") == [
        ("KA202", 4, 7)
    ]


def test_very_long_ids_and_values_load(loaded: Loaded) -> None:
    long_id, long_name = "k" * 1000, "Kongsberg " * 100_000
    bundle, diagnostics = loaded(f"clusters:\n  {long_id}:\n    name: {long_name}\n")
    assert diagnostics == []
    assert bundle.clusters[long_id].name == long_name.strip()


# References across files


def test_the_same_id_in_two_files_points_at_both(tmp_path: Path) -> None:
    first = write(tmp_path, "clusters:\n  kongsberg:\n    name: Kongsberg\n", "a.yaml")
    second = write(tmp_path, "clusters:\n\n  kongsberg:\n    name: Igjen\n", "b.yaml")
    bundle, diagnostics = load([str(first), str(second)])
    assert diagnostics == []
    diagnostics = validate(bundle)
    assert ordered(diagnostics) == [("KA301", 3, 3)]
    assert diagnostics[0].span.path == str(second)
    assert f"{first}:2:3" in diagnostics[0].message


def test_unknown_references_have_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    write(folder, BASE.split("applications:")[0], "data.yaml")
    apps = "applications:" + BASE.split("applications:")[1]
    apps = apps.replace("scheme: kul", "scheme: kull").replace("cluster: kongsberg", "cluster: x")
    write(folder, apps, "applications.yaml")
    bundle, diagnostics = load([str(folder)])
    assert diagnostics == []
    found = sorted(validate(bundle), key=Diagnostic.sort_key)
    assert ordered(found) == [("KA302", 3, 13), ("KA302", 6, 14)]
    assert found[0].hint == "did you mean 'kul'?"
    assert found[1].hint is not None and "no cluster with that id" in found[1].hint


# Hostile input: it has to finish, in-process, without a crash


def test_30000_nested_brackets_do_not_crash(loaded: Loaded) -> None:
    root, diagnostics = parse("[" * 30_000 + "]" * 30_000 + "\n", "deep.yaml")
    assert root is None
    assert [(d.code, d.span.line) for d in diagnostics] == [(Code.TOO_DEEP, 1)]
    _, diagnostics = loaded("clusters: " + "[" * 30_000 + "]" * 30_000 + "\n")
    assert [d.code for d in diagnostics] == [Code.TOO_DEEP]


def test_100000_unterminated_brackets(loaded: Loaded) -> None:
    _, diagnostics = loaded("clusters: " + "[" * 100_000 + "\n")
    assert [d.code for d in diagnostics] == [Code.TOO_DEEP]


def test_nesting_stops_at_the_limit() -> None:
    assert parse("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f")[1] == []
    root, diagnostics = parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f")
    assert root is None
    assert ordered(diagnostics) == [("KA105", 1, MAX_DEPTH + 1)]


def test_500_levels_of_block_nesting(problems: Problems) -> None:
    source = "".join("  " * i + f"k{i}:\n" for i in range(500)) + "  " * 500 + "x\n"
    assert problems(source) == [("KA105", MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)]


def test_a_file_over_the_size_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 64)
    source = "clusters:\n  a:\n    name: " + "x" * 39 + "\n"
    assert len(source) == 65
    path = write(tmp_path, source)
    _, diagnostics = load([str(path)])
    assert ordered(diagnostics) == [("KA004", 1, 1)]
    assert cli("validate", str(path)).exit_code == 1
    write(tmp_path, source[:-2] + "\n")
    assert load([str(path)])[1] == []


def test_a_folder_of_2000_files_is_all_loaded(tmp_path: Path, cli: Callable[..., Any]) -> None:
    for i in range(2000):
        write(tmp_path, f"clusters:\n  c{i}:\n    name: C {i}\n", f"c{i:04d}.yaml")
    bundle, diagnostics = load([str(tmp_path)])
    assert diagnostics == []
    assert len(bundle.files) == len(bundle.clusters) == 2000
    assert list(bundle.files) == sorted(bundle.files)
    assert cli("validate", str(tmp_path)).output.endswith("in 2000 files\n")


# Paths that are not regular files


@contextmanager
def unblocking(fifo: Path) -> Iterator[None]:
    """Should a regression open the FIFO and wait for a writer, be that writer after a while.

    The test then fails (an empty file was read) instead of hanging the suite.
    """
    done = threading.Event()

    def writer() -> None:
        if done.wait(10):
            return
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # nobody is reading it, as it should be
            return
        os.close(fd)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_read(tmp_path: Path, cli: Callable[..., Any]) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    good = write(tmp_path, "clusters:\n  a:\n    name: x\n", "good.yaml")
    with unblocking(fifo):
        _, diagnostics = load([str(fifo)])
        assert ordered(diagnostics) == [("KA002", 1, 1)]
        assert "not a regular file" in diagnostics[0].message
        bundle, diagnostics = load([str(tmp_path)])  # found in a folder, beside a good file
        assert ordered(diagnostics) == [("KA002", 1, 1)]
        assert diagnostics[0].span.path == str(fifo)
        assert bundle.files == (str(good),)
        assert list(bundle.clusters) == ["a"]
        assert cli("validate", str(fifo)).exit_code == 2
        assert cli("validate", str(tmp_path)).exit_code == 2


def test_a_device_is_refused(tmp_path: Path) -> None:
    if not Path(os.devnull).exists():
        pytest.skip("no null device")
    link = tmp_path / "null.yaml"
    link.symlink_to(os.devnull)
    assert ordered(load([os.devnull])[1]) == [("KA002", 1, 1)]
    assert ordered(load([str(tmp_path)])[1]) == [("KA002", 1, 1)]


def test_dangling_and_looping_symlinks(tmp_path: Path, cli: Callable[..., Any]) -> None:
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    _, diagnostics = load([str(dangling)])
    assert ordered(diagnostics) == [("KA001", 1, 1)]
    assert diagnostics[0].hint == "a symbolic link whose target is missing"
    assert ordered(load([str(tmp_path)])[1]) == [("KA001", 1, 1)]  # found in a folder too
    assert cli("validate", str(dangling)).exit_code == 2
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert ordered(load([str(loop)])[1]) == [("KA002", 1, 1)]


def test_a_missing_path_exits_2_and_the_other_files_are_still_checked(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    good = write(tmp_path, "clusters:\n  a:\n    nme: x\n")
    result = cli("validate", str(tmp_path / "missing.yaml"), str(good))
    assert result.exit_code == 2
    assert "KA001" in result.output and "missing.yaml" in result.output
    assert "KA202" in result.output  # the good path was read all the same


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = write(tmp_path, "clusters: {}\n")
    path.chmod(0)
    try:
        assert ordered(load([str(path)])[1]) == [("KA002", 1, 1)]
        assert cli("validate", str(path)).exit_code == 2
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    write(inner, "clusters: {}\n")
    write(tmp_path, "clusters: {a: {name: x}}\n", "top.yaml")
    inner.chmod(0)
    try:
        bundle, diagnostics = load([str(tmp_path)])
        assert ordered(diagnostics) == [("KA002", 1, 1)]
        assert list(bundle.clusters) == ["a"]
    finally:
        inner.chmod(0o755)


def test_a_subfolder_that_cannot_be_listed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Works as root too: the listing itself fails, as it would for a folder without read access.
    inner = tmp_path / "inner"
    inner.mkdir()
    write(inner, "clusters: {b: {name: y}}\n")
    write(tmp_path, "clusters: {a: {name: x}}\n", "top.yaml")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(inner):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    bundle, diagnostics = load([str(tmp_path)])
    assert ordered(diagnostics) == [("KA002", 1, 1)]
    assert diagnostics[0].span.path == str(inner)
    assert list(bundle.clusters) == ["a"]
    monkeypatch.setattr(os, "scandir", lambda path=".": scandir(inner))
    _, diagnostics = load([str(tmp_path)])
    assert [d.code for d in diagnostics] == [Code.PATH_UNREADABLE]  # and no KA003 besides


def test_a_folder_without_yaml_files(tmp_path: Path, cli: Callable[..., Any]) -> None:
    (tmp_path / "readme.txt").write_text("x\n")
    (tmp_path / ".hidden.yaml").write_text("clusters: {}\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("clusters: {}\n")
    (tmp_path / "folder.yaml").mkdir()
    _, diagnostics = load([str(tmp_path)])
    assert ordered(diagnostics) == [("KA003", 1, 1)]
    result = cli("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "KA003" in result.output


# The CLI never shows a traceback, whatever the input


HOSTILE: dict[str, str | bytes] = {
    "billion-laughs": billion_laughs(9),
    "deep": "[" * 30_000,
    "tags": "clusters: !!python/object/apply:os.system ['echo hi']\n",
    "latin1": LATIN1.encode("latin-1"),
    "utf16": "clusters: {}\n".encode("utf-16-le"),
    "nul": b"clusters:\x00\n",
    "surrogate": 'a: "\\ud800"\n',
    "long-line": "clusters:\n  a:\n    name: " + "x" * 200_000 + "\n",
    "control-in-message": "clusters:\n  a:\n    nme: x\n  b\x1b:\n    name: y\n",
    "escaped-in-key": 'clusters:\n  "a\\e[2J":\n    name: x\n',
    "tab-key": 'clusters:\n  a:\n    "na\\tme": x\n',
    "empty": "",
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_cli_never_tracebacks(
    name: str, fmt: str, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = write(tmp_path, HOSTILE[name])
    result = cli("validate", "--format", fmt, str(path))
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
