"""Writing YAML text by hand, as people write kompalloc files: scalars plain where no YAML reader
could take them for anything else, double-quoted (with escapes) otherwise."""

from __future__ import annotations

import re

_PLAIN = re.compile(r"[^\W\d_](?:[\w .()&'/+-]*[\w.)])?")
"""Text that is safe unquoted: starts with a letter (so never a number, date or null), has no
':', '#', ',', brackets or quotes that YAML gives a meaning, and no spaces at either end."""
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
"""Words YAML 1.1 readers turn into booleans or null: always quoted."""
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}


def scalar(text: str) -> str:
    """Text as a YAML scalar: plain when unambiguous, else double-quoted with escapes."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """Text double-quoted; line breaks and characters kompalloc refuses raw are escaped."""
    return '"' + "".join(_ESCAPES.get(char, char) for char in text) + '"'
