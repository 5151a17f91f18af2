"""The library pipeline: load -> validate -> apply scenarios -> allocate -> compare or sweep.

Callable without the command line: every function returns data, or raises the tool's own
errors (kompalloc.pipeline.errors) that the command line maps to exit codes.
"""
