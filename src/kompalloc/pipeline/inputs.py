"""Loading with validation and severity policy: the checked input every command starts from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import EXIT_OK, Refused, UsageError, exit_code_of

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.policy import Policy

Progress = Callable[[int, int], None]
"""Told (files done, files in all) while loading, e.g. to draw a progress bar."""


def project_policy() -> Policy:
    """The severity policy of the project file (unknown codes in it are a usage error)."""
    from kompalloc.pipeline.project import settings
    from kompalloc.policy import Policy, parse_codes

    found = settings()
    ignored, unknown = parse_codes(found.ignore)
    promoted, unknown_too = parse_codes(found.error)
    if unknown or unknown_too:
        raise UsageError(f"{found.file}: unknown code {', '.join(unknown + unknown_too)}")
    return Policy(ignored, promoted, found.strict)


def command_policy(strict: bool, ignore: Sequence[str], error: Sequence[str]) -> Policy:
    """The severity policy a command line asks for (--strict, --ignore, --error)."""
    from kompalloc.policy import Policy, parse_codes

    ignored, unknown = parse_codes(ignore)
    promoted, unknown_too = parse_codes(error)
    if unknown or unknown_too:
        names = ", ".join(unknown + unknown_too)
        raise UsageError(f"unknown code {names} (see 'kompalloc explain-code')")
    return Policy(ignored, promoted, strict)


def file_policies(files: Sequence[str] | None = None) -> Callable[[str], Policy]:
    """Each file's own directives (``# kompalloc: ignore KA402``), read once per file.

    With ``files``, only those are read (the others have no directives); without, any
    regular file named by a diagnostic is (scenario files among them).
    """
    from kompalloc.loading.loader import read_text
    from kompalloc.policy import Policy, file_policy

    known = None if files is None else set(files)
    cache: dict[str, Policy] = {}

    def own(path: str) -> Policy:
        if path not in cache:
            text = None
            if (path in known) if known is not None else Path(path).is_file():
                text, _ = read_text(path)
            cache[path] = file_policy(text) if text else Policy()
        return cache[path]

    return own


def load_checked(
    paths: Sequence[Path] | None,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> tuple[Bundle, list[Diagnostic]]:
    """Load and validate, then apply the run's, the project's and each file's severity policy.

    Without paths, the project file's are used. The bundle is safe to allocate only when no
    diagnostic left is an error (``require_valid``).
    """
    from kompalloc.loading import load
    from kompalloc.pipeline.project import resolve_paths
    from kompalloc.policy import Policy, enforce
    from kompalloc.validation import validate

    run = project_policy().merged(policy or Policy())
    names = [str(p) for p in resolve_paths(paths)]
    bundle, diagnostics = load(names, progress)
    diagnostics.extend(validate(bundle))
    return bundle, enforce(diagnostics, run, file_policies(bundle.files))


def require_valid(bundle: Bundle, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The warnings, when there is no error; else Refused with every diagnostic."""
    if exit_code_of(diagnostics) != EXIT_OK:
        raise Refused(diagnostics, len(bundle.files))
    return list(diagnostics)
