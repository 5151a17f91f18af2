"""kompalloc: allocate Norwegian competence-funding money from YAML files."""

__version__ = "0.1.0"
