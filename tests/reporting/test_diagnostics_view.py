"""The text view of diagnostics: a window of long lines, and messages that stay on their line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import invoke
from kompalloc.diagnostics import Code, error
from kompalloc.reporting.diagnostics_view import WINDOW, as_plain_text
from kompalloc.source import Span


def _flow_list(tmp_path: Path, items: list[str]) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(
        "schemes:\n  s: {name: S, administrator: HK-dir, institution_types: [universitet]}\n"
        "pools:\n  p:\n    scheme: s\n    year: 2021\n    cap: 1\n"
        f"    clusters: [{', '.join(items)}]\n",
        encoding="utf-8",
    )
    return path


def test_a_long_flow_list_gives_output_linear_in_its_size(tmp_path: Path, runner: CliRunner) -> None:
    """The issue's command: 5000 times the same unknown id in one flow list (150 MB before)."""
    path = _flow_list(tmp_path, ["x"] * 5000)
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    size = path.stat().st_size
    assert len(result.stdout.encode()) < 4 * size
    assert "unknown cluster 'x'" in result.stdout


def test_distinct_ids_grow_the_output_linearly(tmp_path: Path, runner: CliRunner) -> None:
    sizes = []
    for n in (500, 5000):
        folder = tmp_path / str(n)
        folder.mkdir()
        path = _flow_list(folder, [f"x{i}" for i in range(n)])
        result = invoke(runner, "validate", str(path))
        out = len(result.stdout.encode())
        assert out < 100 * path.stat().st_size  # one located line, window and hint per id
        shown = [line for line in result.stdout.splitlines() if line.startswith("  8 | ")]
        assert shown and max(len(line) for line in shown) < WINDOW + 10
        sizes.append(out)
    assert sizes[1] < 12 * sizes[0]  # ten times the input: about ten times the output


def test_the_window_keeps_the_caret_under_the_column(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    line = "k: [" + ", ".join(f"v{i:04d}" for i in range(400)) + "]"
    path.write_text(line + "\n", encoding="utf-8")
    column = line.index("v0200") + 1
    d = error(Code.UNKNOWN_REFERENCE, "unknown cluster 'v0200'", Span(str(path), 1, column, 1, column + 5))
    text = as_plain_text([d], 1)
    assert text is not None
    shown, caret = text.splitlines()[1:3]
    assert len(shown) < WINDOW + 20
    at = caret.index("^")
    assert shown[at : at + 5] == "v0200"
    assert caret.count("^") == 5
    assert "…" in shown


def test_a_caret_wider_than_the_window_is_cut_to_it(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    line = "k: " + "y" * 1000
    path.write_text(line + "\n", encoding="utf-8")
    d = error(Code.BAD_ID, "bad", Span(str(path), 1, 4, 1, 1004))
    text = as_plain_text([d], 1)
    assert text is not None
    assert all(len(s) < WINDOW + 20 for s in text.splitlines())


def test_line_breaks_in_a_message_stay_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("k: v\n", encoding="utf-8")
    d = error(
        Code.BAD_CHOICE, "'uni\nversitet' is not a type", Span(str(path), 1, 4, 1, 5), hint="a\r\nb"
    )
    text = as_plain_text([d], 1)
    assert text is not None
    lines = text.splitlines()
    assert lines[0].endswith("'uni\\nversitet' is not a type")
    assert "  hint: a\\r\\nb" in lines


def test_a_multi_line_value_gives_one_located_line(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "i.yaml"
    path.write_text('institutions:\n  u: {name: U, type: "uni\\nversitet"}\n', encoding="utf-8")
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:2:") and "uni\\nversitet" in first
