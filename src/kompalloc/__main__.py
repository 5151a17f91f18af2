"""Run kompalloc as ``python -m kompalloc``."""

from kompalloc.cli.main import main

main()
