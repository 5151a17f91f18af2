"""Loading: the only package that reads files and imports yaml; turns paths into a Bundle and diagnostics."""

from kompalloc.loading.loader import load

__all__ = ["load"]
