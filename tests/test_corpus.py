"""The corpus of bad inputs: `kompalloc validate` must report exactly what each case expects.

Every file in ``corpus/bad`` starts with comment lines ``# expect: KA102 3:3, KA202 7:5``
listing the (code line:column) diagnostics it must produce, duplicates included. Cases that
are about bytes (encodings, control characters, line ends, byte-order marks) are written by
``BYTE_CASES`` below into a temporary folder instead of being committed.
"""

from __future__ import annotations

import json
import re
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kompalloc.cli.app import app

CORPUS = Path(__file__).parent / "corpus" / "bad"
FILES = sorted(CORPUS.glob("*.yaml"))
EXPECT_LINE = re.compile(r"# expect: (.*)")
ITEM = re.compile(r"(KA\d{3}) (\d+):(\d+)")
PATH_CODES = {"KA001", "KA002", "KA003"}
"""Codes for paths that cannot be used: the CLI exits 2 for them."""
WARNING_CODES = {"KA214", "KA417", "KA420"}
"""The only warnings the corpus expects; every other expected code is an error."""

Problem = tuple[str, int, int]


def parse_expectation(items: str) -> Counter[Problem]:
    """'KA102 3:3, KA202 7:5' as a multiset of (code, line, column)."""
    found: Counter[Problem] = Counter()
    for item in items.split(","):
        match = ITEM.fullmatch(item.strip())
        assert match, f"bad expectation {item!r}"
        found[(match[1], int(match[2]), int(match[3]))] += 1
    return found


def expectation_of(path: Path) -> Counter[Problem]:
    """The expectation in a corpus file's leading '# expect:' lines."""
    found: Counter[Problem] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT_LINE.fullmatch(line)
        if match is None:
            break
        found += parse_expectation(match[1])
    assert found, f"{path.name} has no '# expect:' line"
    return found


def validate(runner: CliRunner, path: Path) -> tuple[Counter[Problem], int, dict[str, Any]]:
    """Run `kompalloc validate PATH --format json` and check it ends without a traceback."""
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        pytest.fail("".join(traceback.format_exception(result.exception)))
    document = json.loads(result.stdout)
    got: Counter[Problem] = Counter(
        (d["code"], d["start"]["line"], d["start"]["column"]) for d in document["diagnostics"]
    )
    return got, result.exit_code, document


def check(runner: CliRunner, path: Path, want: Counter[Problem]) -> None:
    got, exit_code, document = validate(runner, path)
    assert got == want, f"{path.name}: unexpected {got - want}, missing {want - got}"
    assert {d["file"] for d in document["diagnostics"]} == {str(path)}
    codes = {code for code, _, _ in want}
    if codes & PATH_CODES:
        assert exit_code == 2
    elif codes <= WARNING_CODES:
        assert (exit_code, document["valid"], document["errors"]) == (0, True, 0)
    else:
        assert (exit_code, document["valid"]) == (1, False)
        assert document["errors"] == sum(
            n for (c, _, _), n in want.items() if c not in WARNING_CODES
        )
    # The text format reads the same file again to show source lines: it must not fail either.
    text = runner.invoke(app, ["validate", str(path)])
    assert text.exception is None or isinstance(text.exception, SystemExit), text.exception
    assert text.exit_code == exit_code


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_corpus_file(path: Path, runner: CliRunner) -> None:
    check(runner, path, expectation_of(path))


CLUSTER = b"clusters:\n  kongsberg:\n"
BYTE_CASES: dict[str, tuple[bytes, str]] = {
    # Not UTF-8: the bad byte's line and column, in characters as an editor counts them.
    "latin1": (CLUSTER + "    name: Sunnm\xf8re\n".encode("latin-1"), "KA005 3:16"),
    "latin1-crlf": (
        CLUSTER.replace(b"\n", b"\r\n") + "    name: Sunnm\xf8re\r\n".encode("latin-1"),
        "KA005 3:16",
    ),
    "latin1-cr-only": (
        CLUSTER.replace(b"\n", b"\r") + "    name: Sunnm\xf8re\r".encode("latin-1"),
        "KA005 3:16",
    ),
    "latin1-after-utf8": (CLUSTER + "    name: Sør-".encode() + b"\xf8\n", "KA005 3:15"),
    "utf16-le-without-bom": (
        (CLUSTER + b"    name: Kongsberg\n").decode().encode("utf-16-le"),
        "KA005 1:2",
    ),
    "utf16-be-without-bom": (
        (CLUSTER + b"    name: Kongsberg\n").decode().encode("utf-16-be"),
        "KA005 1:1",
    ),
    "utf16-with-bom": ((CLUSTER + b"    name: Kongsberg\n").decode().encode("utf-16"), "KA005 1:1"),
    # Characters YAML does not allow, and line breaks editors do not count.
    "nul": (CLUSTER + b"    name: Kongs\x00berg\n", "KA108 3:16"),
    "bell": (CLUSTER + b"    name: \x07Kongsberg\n", "KA108 3:11"),
    "escape": (CLUSTER + b"    name: K\n    region: \x1b[31mViken\n", "KA108 4:13"),
    "delete": (CLUSTER + b"    name: Kongsberg\x7f\n", "KA108 3:20"),
    "c1-control": (CLUSTER + "    name: Kongs\x9bberg\n".encode(), "KA108 3:16"),
    "next-line": (CLUSTER + "    name: Kongs\x85berg\n".encode(), "KA108 3:16"),
    "line-separator": (CLUSTER + "    name: Kongs\u2028berg\n".encode(), "KA108 3:16"),
    # A byte-order mark is fine at the start (and does not shift columns), an error elsewhere.
    "bom-at-start": (b"\xef\xbb\xbf" + CLUSTER + b"    nme: Kongsberg\n", "KA202 3:5, KA203 3:5"),
    "bom-in-the-middle": (CLUSTER + "    name: Kongs\ufeffberg\n".encode(), "KA108 3:16"),
    "bom-twice": (b"\xef\xbb\xbf\xef\xbb\xbf" + CLUSTER + b"    name: Kongsberg\n", "KA108 1:1"),
    # Line ends: CRLF and CR-only count as one line break each, as in editors.
    "crlf": (
        b'clusters:\r\n  kongsberg:\r\n    name: "Kongs\r\n      berg"\r\n    nme: x\r\n',
        "KA202 5:5",
    ),
    "cr-only": (b"clusters:\r  kongsberg:\r    name: K\r\r    nme: x\r", "KA202 5:5"),
    "mixed-line-ends": (b"clusters:\n  kongsberg:\r\n    name: K\r    nme: x\n", "KA202 4:5"),
    # Empty: a warning, not an error.
    "empty": (b"", "KA214 1:1"),
    "blank-lines": (b"\n\n  \n", "KA214 1:1"),
}


@pytest.mark.parametrize("name", BYTE_CASES)
def test_byte_case(name: str, runner: CliRunner, tmp_path: Path) -> None:
    data, expect = BYTE_CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    check(runner, path, parse_expectation(expect))
