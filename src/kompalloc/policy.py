"""Severity policy: which warnings a run or a file silences, and which it treats as errors.

Only warnings can be silenced or promoted; an error always stays an error, because allocation
must never run on input it cannot read exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from kompalloc.diagnostics import Code, Diagnostic, Severity

DIRECTIVE = re.compile(
    r"^[ \t]*#[ \t]*kompalloc:[ \t]*(ignore|error)[ \t]+([A-Za-z0-9, \t]+?)[ \t]*$", re.M
)
"""A file-wide directive in a YAML comment, e.g. ``# kompalloc: ignore KA402, KA407``."""


@dataclass(frozen=True, slots=True)
class Policy:
    """Codes to silence and codes to treat as errors; ``strict`` treats every warning as an error."""

    ignore: frozenset[Code] = field(default_factory=frozenset)
    error: frozenset[Code] = field(default_factory=frozenset)
    strict: bool = False

    def merged(self, other: Policy) -> Policy:
        """This policy with another's codes added (a file's directives on top of the run's)."""
        return Policy(
            self.ignore | other.ignore, self.error | other.error, self.strict or other.strict
        )


def parse_codes(values: Iterable[str]) -> tuple[frozenset[Code], list[str]]:
    """Codes named on a command line or in a directive (comma or space separated), and unknown names."""
    codes: set[Code] = set()
    unknown: list[str] = []
    for value in values:
        for name in re.split(r"[,\s]+", value.strip()):
            if not name:
                continue
            try:
                codes.add(Code(name.upper()))
            except ValueError:
                unknown.append(name)
    return frozenset(codes), unknown


def file_policy(text: str) -> Policy:
    """The directives in one file's text (unknown codes in them are ignored)."""
    ignore: set[Code] = set()
    error: set[Code] = set()
    for kind, names in DIRECTIVE.findall(text):
        codes, _ = parse_codes([names])
        (ignore if kind == "ignore" else error).update(codes)
    return Policy(frozenset(ignore), frozenset(error))


def enforce(
    diagnostics: Iterable[Diagnostic],
    run: Policy,
    files: Mapping[str, Policy] | Callable[[str], Policy] | None = None,
) -> list[Diagnostic]:
    """The diagnostics after the run's and each file's policy: silenced ones dropped, promoted ones errors."""
    out: list[Diagnostic] = []
    for d in diagnostics:
        policy = run
        if files is not None:
            own = files(d.span.path) if callable(files) else files.get(d.span.path)
            if own is not None:
                policy = run.merged(own)
        if d.severity is Severity.WARNING:
            if d.code in policy.ignore:
                continue
            if policy.strict or d.code in policy.error:
                d = replace(d, severity=Severity.ERROR)
        out.append(d)
    return out
