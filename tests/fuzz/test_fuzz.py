"""The fuzzing suite: generated and mutated inputs through every reader, asserting what always holds.

- no traceback (the runner lets exceptions through; the library is called directly too);
- exit codes in README's table (0, 1, 2, 3, 4; 130 and 141 need a signal or a closed pipe);
- every diagnostic located inside its file: a line the file has;
- output linear in input size: at most a fixed multiple of the input, plus a constant;
- every cap held when validation passes: pools reconcile to the øre and are not overdrawn,
  no grant above its request.

The default run tries a fast slice; ``KOMPALLOC_FUZZ=long python -m pytest tests/fuzz`` runs
many more inputs (see README, "Fuzzing").
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from fuzz_inputs import (
    IMPORT_EXPORT,
    IMPORT_MAPPING,
    LONG,
    Round,
    bundle_text,
    bundled,
    examples,
    mutant,
    rounds,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES, SCHEMES
from kompalloc.allocation import allocate
from kompalloc.cli.app import app
from kompalloc.diagnostics import Diagnostic, has_errors
from kompalloc.loading import load
from kompalloc.loading.decisions import read_decisions
from kompalloc.model import Bundle
from kompalloc.validation import validate

DOCUMENTED_EXIT_CODES = frozenset({0, 1, 2, 3, 4, 130, 141})
"""README's exit-code table."""
PER_INPUT_BYTE = 60
"""Output may be at most this many bytes per input byte, plus OUTPUT_CONSTANT."""
OUTPUT_CONSTANT = 40_000
LOCATED = re.compile(r"^(?P<file>[^\s].*?):(?P<line>\d+):(?P<column>\d+): (?:error|warning) KA\d{3} ", re.M)
def fuzz(fast: int, long: int) -> settings:
    """Settings for a fuzz test: ``fast`` inputs in the default run, derandomized so that it
    is the same slice every time; ``long`` inputs, freshly random, with KOMPALLOC_FUZZ=long."""
    return settings(
        max_examples=examples(fast, long),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
        derandomize=not LONG,
    )


ROUNDS = rounds()
RUNNER = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})


def run(*args: str) -> Any:
    """The CLI in-process; a traceback fails the test, an exit code must be documented."""
    result = RUNNER.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in DOCUMENTED_EXIT_CODES, (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def line_count(data: bytes) -> int:
    """The lines a file has, as the loader counts them (CRLF, CR and LF each end one)."""
    text = data.decode("utf-8", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return max(1, len(lines))


def assert_inside(
    files: Mapping[str, bytes], located: Iterable[tuple[str, int]], *, ends: bool = False
) -> None:
    """Every (file, line) of a diagnostic is a line of that file (when it is one we wrote).

    ``ends``: the lines are where spans end, exclusive: the end of the file (the line after the
    last line break) is a position of the file too.
    """
    for name, line in located:
        if name in files:
            lines = line_count(files[name]) + ends
            assert 1 <= line <= lines, (name, line, lines)


def text_positions(output: str) -> list[tuple[str, int]]:
    return [(m["file"], int(m["line"])) for m in LOCATED.finditer(output)]


def json_positions(document: dict[str, Any], end: bool = False) -> list[tuple[str, int]]:
    """Where each diagnostic of validate's JSON starts (or, with ``end``, ends when it has an end)."""
    key = "end" if end else "start"
    return [(d["file"], d[key]["line"]) for d in document["diagnostics"] if d[key]["line"] >= 1]


def assert_linear(output: str, inputs: int) -> None:
    size = len(output.encode("utf-8", errors="replace"))
    assert size <= PER_INPUT_BYTE * inputs + OUTPUT_CONSTANT, (size, inputs)


def assert_caps_held(bundle: Bundle) -> None:
    """Allocate a bundle that validated clean and check that the money adds up."""
    result = allocate(bundle)
    assert {g.application for g in result.grants} == set(bundle.applications)
    for pid, r in result.pools.items():
        assert r.cap == r.committed + r.granted + r.remaining, pid
        assert r.granted == sum(g.granted for g in result.grants if pid in g.pools), pid
        assert r.remaining >= 0 or r.granted == 0, pid
        pool = bundle.pools[pid]
        if pool.institution_cap is not None:
            used: dict[str, int] = {}
            for g in result.grants:
                if pid in g.pools:
                    app_ = bundle.applications[g.application]
                    used[app_.institution] = used.get(app_.institution, 0) + g.granted
            assert all(v <= pool.institution_cap for v in used.values()), pid
    for g in result.grants:
        assert 0 <= g.granted <= g.requested, g
        assert isinstance(g.granted, int)


def load_and_check(paths: list[str]) -> tuple[Bundle, list[Diagnostic]]:
    bundle, diagnostics = load(paths)
    diagnostics += validate(bundle)
    if not has_errors(diagnostics):
        assert_caps_held(bundle)
    return bundle, diagnostics


# Byte-level mutants of the bundled data files ------------------------------------------------


@st.composite
def round_mutant(draw: st.DrawFn) -> tuple[Round, int, bytes]:
    chosen = draw(st.sampled_from(ROUNDS))
    index = draw(st.integers(0, len(chosen.files) - 1))
    return chosen, index, draw(mutant(chosen.files[index].read_bytes()))


@fuzz(40, 3000)
@given(round_mutant())
def test_mutants_of_the_bundled_files(case: tuple[Round, int, bytes]) -> None:
    chosen, index, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, chosen.files[index].name)
        path.write_bytes(data)
        others = [str(p) for i, p in enumerate(chosen.files) if i != index]
        files = {str(path): data}
        inputs = sum(len(p.read_bytes()) for p in chosen.files) + len(data)

        result = run("validate", *others, str(path), "--format", "json")
        assert result.exit_code in (0, 1, 2)
        document = json.loads(result.stdout)
        assert_inside(files, json_positions(document))
        assert_inside(files, json_positions(document, end=True), ends=True)
        assert_linear(result.stdout, inputs)

        alone = run("validate", str(path))  # the text view: windows, carets, escapes
        assert alone.exit_code in (0, 1, 2)
        assert_inside(files, text_positions(alone.stdout))
        assert_linear(alone.stdout, len(data))
        for line in alone.stdout.splitlines():
            assert len(line) < 1000 or not line.startswith("  ")  # source lines are windowed

        _, diagnostics = load_and_check([*others, str(path)])
        assert (result.exit_code == 0) == (not has_errors(diagnostics))


# Well-formed bundles ---------------------------------------------------------------------------


@fuzz(60, 3000)
@given(bundle_text())
def test_well_formed_bundles_hold_every_cap(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "round.yaml")
        path.write_text(text, encoding="utf-8")
        _, diagnostics = load_and_check([str(path)])
        assert all(d.span.path == str(path) for d in diagnostics)
        assert_inside({str(path): text.encode()}, [(d.span.path, d.span.line) for d in diagnostics])


@fuzz(15, 600)
@given(bundle_text())
def test_well_formed_bundles_report_and_reconcile(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "round.yaml")
        path.write_text(text, encoding="utf-8")
        result = run("report", str(path), "--format", "json")
        assert result.exit_code in (0, 1)
        if result.exit_code == 0:
            pools = json.loads(result.stdout)["tables"]["pools"]["rows"]
            for row in pools:
                money = {k: v for k, v in row.items() if k.endswith("_ore")}
                if {"cap_ore", "committed_ore", "granted_ore", "remaining_ore"} <= set(money):
                    assert row["cap_ore"] == (
                        row["committed_ore"] + row["granted_ore"] + row["remaining_ore"]
                    )


@fuzz(10, 500)
@given(st.integers(1, 6000), st.booleans())
def test_output_is_linear_in_a_long_line(n: int, same: bool) -> None:
    items = ["x" if same else f"x{i}" for i in range(n)]
    text = (
        "pools:\n  p:\n    scheme: s\n    year: 2021\n    cap: 1\n"
        f"    clusters: [{', '.join(items)}]\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "f.yaml")
        path.write_text(text, encoding="utf-8")
        result = run("validate", str(path))
        assert result.exit_code == 1
        assert_linear(result.stdout, len(text))
        assert max(len(line) for line in result.stdout.splitlines()) < 400


# Scenarios --------------------------------------------------------------------------------------

SCENARIOS = bundled(".scenario")


@st.composite
def scenario_mutant(draw: st.DrawFn) -> tuple[Path, bytes]:
    original = draw(st.sampled_from(SCENARIOS))
    return original, draw(mutant(original.read_bytes()))


@fuzz(12, 800)
@given(scenario_mutant())
def test_mutants_of_scenarios(case: tuple[Path, bytes]) -> None:
    original, data = case
    round_folder = original.parent.parent
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, original.name)
        path.write_bytes(data)
        result = run(
            "compare", str(SCHEMES), str(round_folder), "--scenario", str(path), "--short"
        )
        assert result.exit_code in (0, 1, 2)
        output = result.stdout + result.stderr
        assert_inside({str(path): data}, text_positions(output))
        assert_linear(output, len(data) + 100_000)


# Imports ----------------------------------------------------------------------------------------


@st.composite
def import_mutant(draw: st.DrawFn) -> tuple[bytes, bytes]:
    export, mapping = IMPORT_EXPORT.read_bytes(), IMPORT_MAPPING.read_bytes()
    which = draw(st.sampled_from(("export", "mapping", "both")))
    if which in ("export", "both"):
        export = draw(mutant(export))
    if which in ("mapping", "both"):
        mapping = draw(mutant(mapping))
    return export, mapping


@fuzz(30, 2000)
@given(import_mutant())
def test_mutants_of_imports(case: tuple[bytes, bytes]) -> None:
    export_data, mapping_data = case
    with tempfile.TemporaryDirectory() as folder:
        export, mapping = Path(folder, "export.csv"), Path(folder, "portal.mapping")
        export.write_bytes(export_data)
        mapping.write_bytes(mapping_data)
        result = run("import", str(export), "--mapping", str(mapping))
        assert result.exit_code in (0, 1, 2)
        assert_inside(
            {str(export): export_data, str(mapping): mapping_data}, text_positions(result.stderr)
        )
        assert_linear(result.stdout + result.stderr, len(export_data) + len(mapping_data))
        if result.exit_code == 0:
            imported = Path(folder, "applications.yaml")
            imported.write_text(result.stdout, encoding="utf-8")
            _, diagnostics = load_and_check([str(SCHEMES), str(imported)])
            assert not any(d.code.value in ("KA101", "KA102", "KA108") for d in diagnostics)


# Decisions files --------------------------------------------------------------------------------

KONGSBERG = (str(SCHEMES), str(EXAMPLES / "kongsberg-2021"))


@pytest.fixture(scope="module")
def decisions() -> bytes:
    result = run("allocate", *KONGSBERG, "--format", "json")
    assert result.exit_code == 0
    return result.stdout.encode()


@fuzz(15, 1000)
@given(data=st.data())
def test_mutants_of_decisions_files(decisions: bytes, data: st.DataObject) -> None:
    mutated = data.draw(mutant(decisions))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "decisions.json")
        path.write_bytes(mutated)
        saved, diagnostics = read_decisions(str(path))
        assert (saved is None) == bool(diagnostics)
        assert_inside({str(path): mutated}, [(d.span.path, d.span.line) for d in diagnostics])
        if saved is None:  # check refuses it before allocating: cheap to run every time
            result = run("check", str(path), *KONGSBERG)
            assert result.exit_code == 2
            assert_inside({str(path): mutated}, text_positions(result.stderr))
            assert_linear(result.stderr, len(mutated))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)


@st.composite
def decisions_document(draw: st.DrawFn) -> Any:
    """JSON shaped somewhat like a decisions file, with values of every JSON type."""
    row = st.fixed_dictionaries(
        {},
        optional={
            "application": JSON_VALUES | st.text(max_size=8),
            "granted_ore": JSON_VALUES | st.integers(-5, 10**20) | st.floats(0, 1e12),
            "status": JSON_VALUES | st.sampled_from(("funded", "partial", "rejected")),
        },
    )
    rows = st.lists(row, max_size=6)
    return draw(
        st.one_of(
            JSON_VALUES,
            st.fixed_dictionaries({"tables": st.fixed_dictionaries({"applications": st.fixed_dictionaries({"rows": rows | JSON_VALUES})})}),
        )
    )


@fuzz(60, 5000)
@given(decisions_document(), st.booleans())
def test_generated_decisions_files(document: Any, indent: bool) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2 if indent else None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "decisions.json")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        saved, diagnostics = read_decisions(str(path))
        assert (saved is None) == bool(diagnostics)
        assert_inside(
            {str(path): path.read_bytes()}, [(d.span.path, d.span.line) for d in diagnostics]
        )
        if saved is not None:  # whatever it read is what the JSON says
            rows = document["tables"]["applications"]["rows"]
            assert saved.grants == {
                r["application"]: (r["granted_ore"], r["status"]) for r in rows
            }
