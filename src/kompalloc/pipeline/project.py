"""The project file: ``kompalloc.toml`` (or ``[tool.kompalloc]`` in pyproject.toml), found by
walking up from the working directory, giving defaults the command line can override."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompalloc.reporting.formats import Format
    from kompalloc.reporting.labels import Lang

PROJECT_FILE = "kompalloc.toml"
KEYS = ("paths", "strict", "ignore", "error", "format", "money", "lang")


@dataclass(frozen=True, slots=True)
class Project:
    """Settings from a project file; every path is already made relative to the working directory."""

    file: Path | None = None
    paths: tuple[Path, ...] = ()
    strict: bool = False
    ignore: tuple[str, ...] = ()
    error: tuple[str, ...] = ()
    format: str | None = None
    money: str | None = None
    lang: str | None = None
    """The language of people's outputs: 'en' (the default) or 'nb'."""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """What is wrong with the file, one line each (``settings`` refuses these with exit 2)."""


def find(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest project file at or above ``start`` and its settings, or None."""
    import tomllib

    for folder in (start, *start.parents):
        own = folder / PROJECT_FILE
        if own.is_file():
            with own.open("rb") as handle:
                return own, tomllib.load(handle)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            with pyproject.open("rb") as handle:
                table = tomllib.load(handle).get("tool", {}).get("kompalloc")
            if table is not None:
                return pyproject, table
    return None


@lru_cache(maxsize=1)
def current() -> Project:
    """The project of the working directory (read once per process)."""
    import tomllib

    try:
        found = find(Path.cwd())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return Project(problems=(f"cannot read the project file: {exc}",))
    if found is None:
        return Project()
    path, table = found
    return read(path, table)


def read(path: Path, table: dict[str, Any]) -> Project:
    """Check a project file's settings and resolve its paths against its folder."""
    problems = [
        f"{path}: unknown key '{k}' (known: {', '.join(KEYS)})" for k in table if k not in KEYS
    ]

    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{path}: '{key}' must be a list of text")
            return ()
        return tuple(value)

    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        problems.append(f"{path}: 'strict' must be true or false")
        strict = False
    base = path.parent
    paths = tuple(Path(os.path.relpath(base / p)) for p in strings("paths"))
    fmt, money = table.get("format"), table.get("money")
    for key, value in (("format", fmt), ("money", money)):
        if value is not None and not isinstance(value, str):
            problems.append(f"{path}: '{key}' must be text")
    if money not in (None, "kr", "mnok"):
        problems.append(f'{path}: \'money\' must be "kr" or "mnok"')
    lang = table.get("lang")
    if lang not in (None, "en", "nb"):
        problems.append(f'{path}: \'lang\' must be "en" or "nb"')
    return Project(
        path,
        paths,
        strict,
        strings("ignore"),
        strings("error"),
        fmt if isinstance(fmt, str) else None,
        money if isinstance(money, str) else None,
        lang if lang in ("en", "nb") else None,
        tuple(problems),
    )


def settings() -> Project:
    """The project file's settings; a broken project file is a usage error."""
    from kompalloc.pipeline.errors import UsageError

    found = current()
    if found.problems:
        raise UsageError("; ".join(found.problems))
    return found


def resolve_paths(paths: Sequence[Path] | None) -> list[Path]:
    """The paths given, else the project file's, else a usage error."""
    from kompalloc.pipeline.errors import UsageError

    if paths:
        return list(paths)
    found = settings()
    if found.paths:
        return list(found.paths)
    raise UsageError(
        "no paths given, and no kompalloc.toml with 'paths' here or above (see 'kompalloc init')"
    )


def display(fmt: str | None, money: str | None) -> tuple[Format, str]:
    """The output format and money display: command line, else project file, else the defaults."""
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.reporting.formats import Format

    found = settings()
    if fmt is None:
        try:
            fmt = Format(found.format or "table")
        except ValueError:
            raise UsageError(f"{found.file}: unknown format {found.format!r}") from None
    money = money or found.money or "kr"
    if money not in ("kr", "mnok"):
        raise UsageError(f"--money: {money!r} is neither kr nor mnok")
    return Format(fmt), money


def language(lang: str | None) -> Lang:
    """The language of people's outputs: command line, else project file, else English."""
    from kompalloc.pipeline.errors import UsageError
    from kompalloc.reporting.labels import parse_lang

    chosen = lang or settings().lang or "en"
    found = parse_lang(chosen)
    if found is None:
        raise UsageError(f"--lang: {chosen!r} is neither en nor nb")
    return found
