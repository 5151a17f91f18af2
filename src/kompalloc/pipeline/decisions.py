"""The decisions file ``check`` compares with: read strictly, or refused with its diagnostics."""

from __future__ import annotations

from pathlib import Path

from kompalloc.loading.decisions import SavedDecisions, read_decisions
from kompalloc.pipeline.errors import BadDecisions


def saved_decisions(path: Path) -> SavedDecisions:
    """What ``path`` says was decided; raises BadDecisions (exit 2) with every problem."""
    saved, diagnostics = read_decisions(str(path))
    if saved is None:
        raise BadDecisions(diagnostics, str(path))
    return saved
