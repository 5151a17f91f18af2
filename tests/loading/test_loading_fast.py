"""The loader's shortcuts give what the straightforward reading gives.

- nodes.first_bad answers ASCII text with a small pattern instead of the two large classes;
- Reader.record_partial reads a scalar it has met in the same field only once;
- loader.read_file converts each entry as soon as it is parsed (nodes.parse's on_entry).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from kompalloc.diagnostics import Diagnostic
from kompalloc.loading import load, loader
from kompalloc.loading.convert import FIELDS, Reader, read_entry
from kompalloc.loading.nodes import _NOT_IN_FILE, _UNPRINTABLE, Map, first_bad, parse
from kompalloc.model import Section

# ASCII with every control character, and a sample of the characters either class treats apart.
_CHARS = st.one_of(
    st.characters(max_codepoint=0x7F),
    st.sampled_from("\x85\xa0\u2027\u2028\u2029\u202a\ud7ff\ud800\udfff\ue000\ufffd\ufffe\uffff"),
    st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF),
)


@settings(max_examples=500, deadline=None)
@given(st.text(_CHARS, max_size=12))
def test_first_bad_is_the_full_class(text: str) -> None:
    for allowed_nowhere, pattern in ((True, _UNPRINTABLE), (False, _NOT_IN_FILE)):
        fast = first_bad(text, allowed_nowhere)
        full = re.search(pattern, text)
        assert (fast and (fast.start(), fast[0])) == (full and (full.start(), full[0]))


_VALUES = st.sampled_from(
    [
        "kul",
        "'kul'",
        "yes",
        "NO",
        "2021",
        "2021-09-01",
        "2021-02-30",
        "'1,5 MNOK'",
        "1.000",
        "7",
        "07",
        "0",
        "true",
        "[a, b]",
        "''",
        "{x: 1}",
        "Eksempel AS",
        "",
    ]
)
_KEYS = st.sampled_from([*sorted(FIELDS[Section.APPLICATIONS]), "unknown"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(_KEYS, _VALUES, max_size=8), min_size=1, max_size=6))
def test_one_reader_reads_as_a_fresh_reader_per_entry(entries: list[dict[str, str]]) -> None:
    lines = ["applications:"]
    for n, entry in enumerate(entries):
        lines.append(f"  a{n}:" if entry else f"  a{n}: {{}}")
        lines += [f"    {key}: {value}" for key, value in entry.items()]
    root, problems = parse("\n".join(lines) + "\n", "f.yaml")
    assert not problems and isinstance(root, Map)
    section = root.items["applications"][1]
    assert isinstance(section, Map)

    shared_out: list[Diagnostic] = []
    shared = Reader(shared_out)
    fresh_out: list[Diagnostic] = []
    for key, node in section.items.values():
        mine = read_entry(Section.APPLICATIONS, key, node, shared)
        theirs = read_entry(Section.APPLICATIONS, key, node, Reader(fresh_out))
        assert mine == theirs
        assert (mine[0] and mine[0].spans) == (theirs[0] and theirs[0].spans)
    assert shared_out == fresh_out


_SECTION_NAMES = st.sampled_from(["kompalloc", "applications", "clusters", "bogus"])
_ENTRY_IDS = st.sampled_from(["a", "b", "b c", "_x", "? [k]"])
_ENTRY_VALUES = st.sampled_from(
    [
        "{name: K}",
        "{name: K, region: yes}",
        "{title: T, requested: '1.000', scheme: s}",
        "{nme: K}",
        "[a, b]",
        "text",
        "",
        "{name: K, name: L}",
        "{name: !!str K}",
        "{name: &x K}",
    ]
)
_ENDINGS = st.sampled_from(["", "  z: [\n", "---\nclusters: {}\n", "oops\n"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_SECTION_NAMES, st.lists(st.tuples(_ENTRY_IDS, _ENTRY_VALUES), max_size=4)),
        min_size=1,
        max_size=4,
    ),
    _ENDINGS,
)
def test_entries_read_while_parsing_as_after_parsing(
    sections: list[tuple[str, list[tuple[str, str]]]], ending: str
) -> None:
    lines = []
    for name, entries in sections:
        lines.append(f"{name}:" if entries else f"{name}: 1")
        lines += [f"  {key}: {value}" for key, value in entries]
    text = "\n".join(lines) + "\n" + ending
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "f.yaml")
        Path(path).write_text(text, encoding="utf-8")
        streamed = load([path])
        with mock.patch.object(
            loader, "parse", lambda text, name, on_entry=None: parse(text, name)
        ):
            whole = load([path])
    assert streamed[1] == whole[1]
    assert streamed[0] == whole[0]
    for section in Section:
        mine, theirs = getattr(streamed[0], section.value), getattr(whole[0], section.value)
        assert [e.spans for e in mine.values()] == [e.spans for e in theirs.values()]
