"""Where the bundled real schemes are: inside the installed package, or in a source checkout."""

from __future__ import annotations

from pathlib import Path


def schemes_folder() -> Path | None:
    """The folder of bundled scheme files, or None when this installation has none."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / "schemes", here.parent.parent / "schemes"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None
