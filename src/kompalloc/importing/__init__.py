"""Spreadsheet import: application-portal exports (CSV, XLSX) to kompalloc application YAML.

``mapping`` reads the mapping file (which column feeds which application key), ``sheets`` reads
the export into rows of cells, ``rows`` turns each row into an application with the loader's own
field readers (so every problem is a Diagnostic at its row and column), and ``emit`` writes the
YAML. Nothing here prints or writes files; ``kompalloc.cli.import_`` does.
"""

from kompalloc.importing.mapping import ImportMapping, read_mapping
from kompalloc.importing.rows import Imported, convert_rows
from kompalloc.importing.sheets import Sheet, read_export

__all__ = [
    "ImportMapping",
    "Imported",
    "Sheet",
    "convert_rows",
    "read_export",
    "read_mapping",
]
