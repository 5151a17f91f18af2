"""The reproducibility stamp every report ends with: tool version, inputs digest, file count."""

from __future__ import annotations

from typing import Any

from kompalloc import __version__
from kompalloc.cli.common import inputs_digest
from kompalloc.model import Bundle

REPORT_FORMAT_VERSION = 1


def stamp(bundle: Bundle) -> dict[str, Any]:
    """The stamp as JSON-ready data."""
    return {
        "format_version": REPORT_FORMAT_VERSION,
        "kompalloc_version": __version__,
        "inputs_sha256": inputs_digest(bundle.files),
        "files": list(bundle.files),
        "amounts": "øre",
    }


def stamp_line(bundle: Bundle) -> str:
    """The stamp as one line for people."""
    n = len(bundle.files)
    return (
        f"kompalloc {__version__} · {n} input file{'s' * (n != 1)} · "
        f"sha256 {inputs_digest(bundle.files)[:16]}"
    )
