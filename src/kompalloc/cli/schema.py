"""``kompalloc schema``: print the JSON Schema of the format, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (atomically) instead of standard output."
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the YAML format, for editors with yaml-language-server.

    Save it next to your files and put this line at the top of each YAML file:
    '# yaml-language-server: $schema=kompalloc.schema.json'

    Example: kompalloc schema --output kompalloc.schema.json
    """
    from kompalloc.loading.schema import json_schema
    from kompalloc.pipeline.files import write_output, write_stdout
    from kompalloc.reporting.render import json_text

    text = json_text(json_schema())
    if output is None:
        write_stdout(text)
    else:
        write_output(text, output)
