"""Hypothesis strategies for the fuzzing suite: byte-level mutants of the bundled files, and
well-formed bundles, scenarios, imports and decisions files generated from scratch.

Mutants start from real files (schemes/, examples/) and apply a few edits each, chosen from
edits that have found bugs before: brackets, quotes, colons and commas (flow mappings),
line breaks of every kind, tabs, anchors, tags, NUL and invalid UTF-8, a byte-order mark,
decimal commas, long runs of one character, lines duplicated or removed, truncation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, SCHEMES

LONG = os.environ.get("KOMPALLOC_FUZZ") == "long"
"""KOMPALLOC_FUZZ=long: the long run (many more examples per test); else the fast slice."""


def examples(fast: int, long: int) -> int:
    """How many inputs a test tries: ``fast`` in the default run, ``long`` in the long run."""
    return long if LONG else fast


NASTY: tuple[bytes, ...] = (
    b"[", b"]", b"{", b"}", b":", b": ", b",", b", ", b"'", b'"', b"\n", b"\r\n", b"\r", b"\t",
    b" ", b"  ", b"#", b"- ", b"&a ", b"*a", b"!!int ", b"!x ", b"? ", b"|\n", b">-\n", b"%",
    b"---\n", b"...\n", b"~", b"null", b"yes", b"NO", b"1e9", b"2.0e+7", b"-1", b"0x1F", b"010",
    b"1:30", b".inf", b"9" * 40, b"[" * 60, b"{a: " * 40, b"\\u", b'"\\ud800"', b"2021-02-30",
    b"MNOK", b" kr", b"7,5", b"12,5 %", b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\xc2\x85",
    b"\xef\xbb\xbf", b"\x1b[31m", b"a\xcc\x8a", b"=A1*2", b";", b"x" * 300,
)
"""Bytes that edits insert: YAML's indicators and traps, money and date traps, encodings."""


def bundled(*suffixes: str) -> list[Path]:
    """The bundled files with one of these suffixes, sorted."""
    found = [*SCHEMES.rglob("*"), *EXAMPLES.rglob("*")]
    return sorted(p for p in found if p.is_file() and p.suffix in suffixes)


@st.composite
def mutant(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to five edits."""
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        edit = draw(
            st.sampled_from(("insert", "insert", "delete", "replace", "line", "truncate", "byte"))
        )
        if edit == "insert":
            data = data[:at] + draw(st.sampled_from(NASTY)) + data[at:]
        elif edit == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif edit == "replace":
            data = data[:at] + draw(st.sampled_from(NASTY)) + data[at + draw(st.integers(1, 8)) :]
        elif edit == "line":
            lines = data.split(b"\n")
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            how = draw(st.sampled_from(("duplicate", "remove", "indent", "dedent")))
            if how == "duplicate":
                lines.insert(i, lines[i])
            elif how == "remove":
                del lines[i]
            elif how == "indent":
                lines[i] = b"  " + lines[i]
            else:
                lines[i] = lines[i].lstrip()
            data = b"\n".join(lines)
        elif edit == "truncate":
            data = data[:at]
        else:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


@dataclass(frozen=True)
class Round:
    """A round to fuzz: the files it is made of (and which of them a mutant replaces)."""

    name: str
    files: tuple[Path, ...]


def rounds() -> list[Round]:
    """The bundled rounds, each with the real schemes."""
    scheme_files = tuple(sorted(SCHEMES.glob("*.yaml")))
    out = [Round("schemes", scheme_files)]
    for folder in ("kongsberg-2021", "national-2021", "apportion-2022"):
        files = tuple(sorted((EXAMPLES / folder).glob("*.yaml")))
        out.append(Round(folder, scheme_files + files))
    return out


# Well-formed bundles ------------------------------------------------------------------------

KR = 100
"""Øre per krone."""
METHODS = ("priority", "pro_rata", "capped_equal")
TYPES = ("universitet", "fagskole_offentlig", "hogskole_privat")


def _kr(ore: int) -> str:
    kroner, rest = divmod(ore, KR)
    return f'"{kroner},{rest:02d} kr"' if rest else f'"{kroner} kr"'


@st.composite
def bundle_text(draw: st.DrawFn) -> str:
    """A round in one YAML file that validates clean (or nearly: caps can be over-committed,
    shares tight), with caps that bind: a scheme, a root pool with sub-pools, clusters,
    institutions and applications."""
    clusters = [f"k{i}" for i in range(draw(st.integers(1, 3)))]
    institutions = [(f"i{i}", draw(st.sampled_from(TYPES))) for i in range(draw(st.integers(1, 4)))]
    cap = draw(st.integers(0, 20_000_000)) * KR
    lines = [
        "kompalloc: 1",
        "schemes:",
        f"  s: {{name: S, administrator: HK-dir, institution_types: [{', '.join(TYPES)}]}}",
        "clusters:",
        *(f"  {k}: {{name: Klynge {k}}}" for k in clusters),
        "institutions:",
        *(f"  {i}: {{name: Skole {i}, type: {t}}}" for i, t in institutions),
        "pools:",
        "  p:",
        "    scheme: s",
        "    year: 2021",
        f"    cap: {_kr(cap)}",
        f"    method: {draw(st.sampled_from(METHODS))}",
    ]
    if draw(st.booleans()):
        lines.append(f"    committed: {_kr(draw(st.integers(0, cap // 4)))}")
    if draw(st.booleans()):
        lines.append(f"    institution_cap: {_kr(draw(st.integers(0, cap)))}")
    if draw(st.booleans()):
        lines.append(f"    max_share_per_cluster: \"{draw(st.integers(1, 100))} %\"")
    if draw(st.booleans()):
        lines.append(f"    max_grant: {_kr(draw(st.integers(1, max(1, cap))))}")
    for k in clusters:
        if draw(st.booleans()):
            lines += [
                f"  p-{k}:",
                "    parent: p",
                f"    clusters: [{k}]",
                f"    cap: {_kr(draw(st.integers(0, cap)))}",
            ]
    lines.append("applications:")
    for n in range(draw(st.integers(0, 12))):
        requested = draw(st.integers(1, 5_000_000)) * KR + draw(st.sampled_from((0, 0, 50)))
        institution = draw(st.sampled_from(institutions))[0]
        partial = draw(st.booleans())
        lines += [
            f"  A{n}:",
            "    scheme: s",
            "    year: 2021",
            f"    institution: {institution}",
            f"    cluster: {draw(st.sampled_from(clusters))}",
            f"    title: Kurs {n}",
            f"    requested: {_kr(requested)}",
            f"    submitted: 2021-09-{draw(st.integers(1, 14)):02d}",
            f"    rank: {n + 1}",
            f"    partial: {'true' if partial else 'false'}",
        ]
        if partial and draw(st.booleans()):
            lines.append(f"    min_grant: {_kr(draw(st.integers(0, requested)))}")
    return "\n".join(lines) + "\n"


# Imports ------------------------------------------------------------------------------------

IMPORT_EXPORT = EXAMPLES / "import" / "soknader-industrifagskolen-2021.csv"
IMPORT_MAPPING = EXAMPLES / "import" / "portal.mapping"


def rel(path: Path) -> str:
    """A bundled file's path as the repository names it."""
    return str(path.relative_to(ROOT))
