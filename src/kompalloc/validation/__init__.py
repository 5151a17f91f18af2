"""Validation: every rule over a loaded Bundle, all run, every problem returned as a diagnostic."""

from __future__ import annotations

from kompalloc.diagnostics import Diagnostic
from kompalloc.model import Bundle
from kompalloc.pooltree import build
from kompalloc.validation import feasibility, ledger, rules


def validate(bundle: Bundle) -> list[Diagnostic]:
    """Run every validation rule over the bundle and return what they found."""
    tree = build(bundle)
    out: list[Diagnostic] = []
    for rule in (*rules.ALL, *ledger.ALL, *feasibility.RULES):
        out.extend(rule(bundle, tree))
    return out
