"""``kompalloc init``: a working folder with a project file, the real schemes and an applications file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

PROJECT = """\
# kompalloc project file: 'kompalloc validate', 'allocate' and 'report' run here without
# arguments. Every key is optional; the command line overrides each one.
paths = ["schemes", "applications.yaml"]   # files and folders to load
strict = false                              # true: warnings fail 'kompalloc validate'
ignore = []                                 # warning codes to silence, e.g. ["KA402"]
error = []                                  # warning codes to treat as errors
format = "table"                            # table, plain, markdown, csv, json, xlsx, ...
money = "kr"                                # amounts in tables: "kr" or "mnok"
"""

APPLICATIONS = """\
# yaml-language-server: $schema=kompalloc.schema.json
# Applications, one entry per id. Copy the commented example, fill it in, and run
# 'kompalloc validate'. Every key is described in README ('applications' in the format
# reference); money is whole kroner (2500000) or text such as "2,5 MNOK" or "2 500 000 kr".
kompalloc: 1

applications: {}
#  IFS-01:                               # the application's id
#    scheme: industrifagskolen           # a scheme id from schemes/
#    year: 2021                          # the budget year: with the scheme it picks the pool
#    institution: fagskolen-viken        # an institution id (schemes/institutions.yaml)
#    cluster: kongsberg                  # a cluster id (schemes/clusters.yaml); optional
#    title: "CNC-maskinering og automasjon (10 stp)"
#    companies: [Kongsberg Gruppen]      # firms whose employees take part
#    partners:                           # co-applicants; some schemes require roles
#      - {name: Klubben ved Kongsberg Gruppen, role: employee_representative}
#    requested: "2,5 MNOK"               # the amount applied for
#    participants: 60                    # planned participants
#    study_points: 10                    # credits the offer gives
#    level: tertiary_vocational          # upper_secondary, tertiary_vocational, higher_education, other
#    submitted: 2021-09-14               # YYYY-MM-DD
#    rank: 1                             # the council's priority: 1 first
#    partial: true                       # a smaller grant is acceptable ...
#    min_grant: "1,5 MNOK"               # ... down to this
"""


def command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="The folder to create or fill; '.' for the current folder (never by default).",
            metavar="FOLDER",
            show_default=False,
        ),
    ],
) -> None:
    """Create a working folder with a project file, the real schemes and an applications file.

    kompalloc.toml, the bundled real schemes under schemes/, an applications file that explains
    each key, and the JSON Schema for editors.

    Existing files are never overwritten (exit 2 names them). The folder must be named:
    'kompalloc init .' fills the current one.

    Example: kompalloc init my-round
    """
    import shutil

    from kompalloc.bundled import schemes_folder
    from kompalloc.cli.console import stdout_console
    from kompalloc.loading.schema import json_schema
    from kompalloc.pipeline.errors import OutputError, UsageError
    from kompalloc.pipeline.files import write_output
    from kompalloc.reporting.render import json_text

    source = schemes_folder()
    if source is None:
        raise OutputError("this installation has no bundled schemes")
    schemes = sorted(source.glob("*.yaml"))
    targets = {
        folder / "kompalloc.toml": PROJECT,
        folder / "applications.yaml": APPLICATIONS,
        folder / "kompalloc.schema.json": json_text(json_schema()),
    }
    copies = {folder / "schemes" / p.name: p for p in schemes}
    existing = [str(p) for p in [*targets, *copies] if p.exists()]
    if existing:
        raise UsageError(f"will not overwrite: {', '.join(existing)}")
    try:
        (folder / "schemes").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder / 'schemes'}: {exc.strerror}") from None
    for path, text in targets.items():
        write_output(text, path)
    for target, original in copies.items():
        shutil.copyfile(original, target)
    with stdout_console() as out:
        out.print(
            f"Created {folder}: kompalloc.toml, applications.yaml, kompalloc.schema.json and "
            f"{len(copies)} files in schemes/. Next: cd {folder} && kompalloc validate",
            soft_wrap=True,
            markup=False,
        )
