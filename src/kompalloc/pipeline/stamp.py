"""The reproducibility stamp every report ends with: tool version, inputs digest, as-of date."""

from __future__ import annotations

from datetime import date
from typing import Any

from kompalloc import __version__
from kompalloc.model import Bundle
from kompalloc.pipeline.files import inputs_digest

REPORT_FORMAT_VERSION = 1


def stamp(
    bundle: Bundle,
    as_of: date | None = None,
    left_out: list[str] | None = None,
    overrides: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The stamp as JSON-ready data."""
    return {
        "format_version": REPORT_FORMAT_VERSION,
        "kompalloc_version": __version__,
        "inputs_sha256": inputs_digest(bundle.files),
        "files": list(bundle.files),
        "as_of": as_of.isoformat() if as_of else None,
        "left_out_as_of": left_out or [],
        "overrides": list(overrides),
        "amounts": "øre",
    }


def stamp_line(
    bundle: Bundle,
    as_of: date | None = None,
    left_out: list[str] | None = None,
    overrides: tuple[str, ...] = (),
) -> str:
    """The stamp as one line for people: the command-line overrides are part of what was run."""
    n = len(bundle.files)
    when = "no date used"
    if as_of is not None:
        later = len(left_out or [])
        when = f"as of {as_of.isoformat()}" + (
            f" ({later} submitted later left out)" if later else ""
        )
    changed = "".join(f" · {o}" for o in overrides)
    return (
        f"kompalloc {__version__} · {n} input file{'s' * (n != 1)} · "
        f"sha256 {inputs_digest(bundle.files)[:16]} · {when}{changed}"
    )
