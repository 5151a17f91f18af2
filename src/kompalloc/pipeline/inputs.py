"""Loading with validation and severity policy: the checked input every command starts from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import EXIT_OK, Refused, UsageError, exit_code_of

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.pipeline.cache import Cache
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
    *,
    cache: bool = False,
) -> tuple[Bundle, list[Diagnostic]]:
    """Load and validate, then apply the run's, the project's and each file's severity policy.

    Without paths, the project file's are used. The bundle is safe to allocate only when no
    diagnostic left is an error (``require_valid``). With ``cache``, files whose bytes are
    unchanged since a run that stored them are not read again (see pipeline.cache), unless
    the environment or the project file turns the cache off.
    """
    bundle, _, diagnostics = _checked(paths, policy, progress, cache, need_bundle=True)
    assert bundle is not None
    return bundle, diagnostics


def check_files(
    paths: Sequence[Path] | None,
    policy: Policy | None = None,
    progress: Progress | None = None,
    *,
    cache: bool = False,
) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """What :func:`load_checked` finds, without the bundle: the files read and the diagnostics
    (all that validate shows; from a cache entry, the bundle is not even decoded)."""
    _, files, diagnostics = _checked(paths, policy, progress, cache, need_bundle=False)
    return files, diagnostics


def _checked(
    paths: Sequence[Path] | None,
    policy: Policy | None,
    progress: Progress | None,
    cache: bool,
    *,
    need_bundle: bool,
) -> tuple[Bundle | None, tuple[str, ...], list[Diagnostic]]:
    from kompalloc.pipeline.cache import open_cache
    from kompalloc.pipeline.project import resolve_paths
    from kompalloc.policy import Policy, enforce

    run = project_policy().merged(policy or Policy())
    names = [str(p) for p in resolve_paths(paths)]
    bundle, files, diagnostics = _loaded(names, progress, open_cache(cache), need_bundle)
    return bundle, files, enforce(diagnostics, run, file_policies(files))


def _loaded(
    names: list[str], progress: Progress | None, cache: Cache | None, need_bundle: bool
) -> tuple[Bundle | None, tuple[str, ...], list[Diagnostic]]:
    """What loading and validating the files find: from the cache when their bytes are known."""
    from kompalloc.loading import load
    from kompalloc.validation import validate

    key = None
    if cache is not None:
        from kompalloc.loading.loader import find_files
        from kompalloc.pipeline.cache import inputs_key, lookup

        found_files, problems = find_files(names)
        key = None if problems else inputs_key(names, found_files)
        found = lookup(cache, key, bundle=need_bundle) if key is not None else None
        if found is not None:
            if progress is not None:
                progress(len(found.files), len(found.files))
            return found.bundle, found.files, list(found.diagnostics)
    bundle, diagnostics = load(names, progress)
    diagnostics.extend(validate(bundle))
    if cache is not None and key is not None:
        from kompalloc.pipeline.cache import inputs_key, store

        # Stored only when the files are as they were hashed before loading them.
        if inputs_key(names, bundle.files) == key:
            store(cache, key, bundle, diagnostics)
    return bundle, bundle.files, diagnostics


def require_valid(bundle: Bundle, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The warnings, when there is no error; else Refused with every diagnostic."""
    if exit_code_of(diagnostics) != EXIT_OK:
        raise Refused(diagnostics, len(bundle.files))
    return list(diagnostics)
