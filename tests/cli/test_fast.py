"""The fast paths (kompalloc.cli.fast) give what the Typer application gives, byte for byte."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from kompalloc import __version__
from kompalloc.cli.fast import parse_validate
from kompalloc.diagnostics import Code, Diagnostic, Severity
from kompalloc.reporting.diagnostics_view import as_plain_text, as_text
from kompalloc.source import Span

ROOT = Path(__file__).resolve().parents[2]
TYPER = "import sys; from kompalloc.cli.app import app; sys.argv[0] = 'kompalloc'; app()"
BAD = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "corpus" / "bad").glob("*.yaml"))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "100"
    return env


def both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The run through kompalloc's entry point (fast path) and through Typer alone."""
    fast = subprocess.run(
        [sys.executable, "-m", "kompalloc", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    typer = subprocess.run(
        [sys.executable, "-c", TYPER, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    return fast, typer


def test_version_fast_path_prints_what_typer_prints() -> None:
    fast, typer = both("--version")
    assert fast.stdout == typer.stdout == f"kompalloc {__version__}\n"
    assert fast.returncode == typer.returncode == 0
    assert fast.stderr == typer.stderr == ""


def test_version_fast_path_imports_no_typer() -> None:
    code = (
        "import sys; sys.argv = ['kompalloc', '--version']\n"
        "from kompalloc.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('typer', 'rich', 'yaml', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_validate_fast_path_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys; sys.argv = ['kompalloc', 'validate', 'schemes', 'examples/national-2021']\n"
        "from kompalloc.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('typer', 'rich', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "schemes", "examples/national-2021"),
        ("validate", "schemes", "examples/national-2021", "--strict"),
        ("-q", "validate", "schemes", "examples/national-2021", "-f", "github"),
        ("--verbose", "validate", "examples/national-2021", "schemes", "--format", "json"),
        ("validate", "schemes", "examples/national-2021", "-f", "sarif", "--ignore", "KA402"),
        ("validate", "schemes", "examples", "--error", "KA402", "--ignore", "KA407,KA406"),
        ("validate", "schemes", "--ignore", "KA999"),
        ("validate", "no/such/path", "tests/corpus/bad/../bad"),
        ("validate", "tests/corpus/bad"),
        ("validate", "tests/corpus/bad", "-f", "json"),
        ("validate", "tests/corpus/bad", "-f", "github", "-f", "text"),
        ("validate", *BAD[:5]),
    ],
)
def test_validate_fast_path_gives_what_typer_gives(args: tuple[str, ...]) -> None:
    assert parse_validate(list(args)) is not None  # it is the fast path that runs
    fast, typer = both(*args)
    assert fast.stdout == typer.stdout
    assert fast.stderr == typer.stderr
    assert fast.returncode == typer.returncode


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["validate", "--help"],
        ["--help"],
        ["-qv", "validate", "schemes"],
        ["validate", "--format=json", "schemes"],
        ["validate", "-fjson", "schemes"],
        ["validate", "schemes", "--format", "yaml"],
        ["validate", "schemes", "--format"],
        ["validate", "schemes", "--ignore", "--strict"],
        ["validate", "--", "schemes"],
        ["validate", "-", "schemes"],
        ["validate", ""],
        ["validate", "schemes", "--bogus"],
        ["--version", "validate"],
        ["allocate", "schemes"],
        ["--quiet", "allocate", "schemes"],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert parse_validate(argv) is None


def test_parse_validate_reads_what_typer_reads() -> None:
    args = parse_validate(
        [
            "-q",
            "-v",
            "validate",
            "a",
            "--strict",
            "-f",
            "json",
            "b",
            "--ignore",
            "X",
            "--error",
            "Y",
        ]
    )
    assert args is not None
    assert (args.quiet, args.verbose, args.strict, args.format) == (True, True, True, "json")
    assert args.paths == [Path("a"), Path("b")]
    assert (args.ignore, args.error) == (["X"], ["Y"])


def _rich(diagnostics: list[Diagnostic], files: int) -> str:
    """as_text printed as validate printed it with Rich, on a pipe."""
    out = io.StringIO()
    console = Console(file=out, highlight=False, soft_wrap=False)
    console.width = 120
    console.print(as_text(diagnostics, files), end="", soft_wrap=True)
    return out.getvalue()


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            _TEXT,
            st.one_of(st.none(), _TEXT),
            st.sampled_from(Severity),
            st.integers(1, 500),
            st.integers(1, 200),
        ),
        max_size=4,
    ),
    st.integers(0, 3),
)
def test_plain_text_is_what_rich_prints_without_colour(
    items: list[tuple[str, str | None, Severity, int, int]], files: int
) -> None:
    diagnostics = [
        Diagnostic(Code.YAML_SYNTAX, severity, message, Span("x.yaml", line, col, 0, 0), "", hint)
        for message, hint, severity, line, col in items
    ]
    plain = as_plain_text(diagnostics, files)
    if plain is not None:
        assert plain == _rich(diagnostics, files)
    else:
        assert any(c in m + (h or "") for m, h, *_ in items for c in "\t\a\b\v\f\r")


def test_plain_text_with_source_lines_is_what_rich_prints(tmp_path: Path) -> None:
    from kompalloc.loading import load
    from kompalloc.validation import validate

    bundle, diagnostics = load([str(ROOT / "tests" / "corpus" / "bad"), str(ROOT / "examples")])
    diagnostics.extend(validate(bundle))
    assert len(diagnostics) > 40
    plain = as_plain_text(diagnostics, len(bundle.files))
    assert plain is not None
    assert plain == _rich(diagnostics, len(bundle.files))


def test_span_maps_read_like_the_dicts_they_replace() -> None:
    from kompalloc.source import span_map

    spans = [Span("f.yaml", 300 + i, 5, 300 + i, 9 + i) for i in range(3)]
    packed = span_map(("a", "b", "c"), spans)
    plain = dict(zip(("a", "b", "c"), spans, strict=True))
    assert dict(packed) == plain and {**packed} == plain
    assert packed["b"] == spans[1] and packed.get("c") == spans[2]
    assert packed.get("x") is None and packed.get("x", spans[0]) == spans[0]
    assert "a" in packed and "x" not in packed and len(packed) == 3 and list(packed) == list(plain)
    with pytest.raises(KeyError):
        packed["x"]
