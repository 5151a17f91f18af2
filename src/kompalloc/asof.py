"""The data as it stood on a date: applications submitted after it are left out.

kompalloc never reads the clock; a date that matters is always given (``--as-of``) and
recorded in the reproducibility stamp.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kompalloc.model import Bundle


def received_by(bundle: Bundle, day: date) -> tuple[Bundle, list[str]]:
    """The bundle with only the applications submitted on or before ``day``, and the ids left out."""
    kept = {k: a for k, a in bundle.applications.items() if a.submitted <= day}
    left_out = sorted(k for k in bundle.applications if k not in kept)
    return replace(bundle, applications=kept), left_out
