"""Run kompalloc as ``python -m kompalloc``."""

from kompalloc.cli.app import main

main()
