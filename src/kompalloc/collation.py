"""Sorting Norwegian text as a Norwegian reader expects: case-insensitive, with æ, ø, å after z."""

from __future__ import annotations

import unicodedata

# Placed just after 'z' in code-point order, in Norwegian alphabet order.
_AFTER_Z = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def norwegian_key(text: str) -> tuple[str, str]:
    """A sort key: letters compared without case or accents, but æ < ø < å after z."""
    folded = text.casefold().translate(_AFTER_Z)
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
    )
    return (stripped, text)
