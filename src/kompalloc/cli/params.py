"""Typer parameter declarations shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        help="YAML files and folders (searched recursively for *.yaml and *.yml); "
        "default: the 'paths' of the project file (kompalloc.toml).",
        show_default=False,
    ),
]
