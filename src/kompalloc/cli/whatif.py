"""What-if runs for the commands: load the files, apply --scenario and --set, validate, refuse.

Also --effective (print the data a run allocates, as kompalloc YAML) and --export (what a
report-like command shows, as HTML, SVG or Markdown to share), which several commands share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.policy import Policy
    from kompalloc.reporting.tables import Table
    from kompalloc.scenarios import Outcome, Plan, Scenario

BASE_NAME = "base"
EXPORT_SUFFIXES = (".html", ".htm", ".svg", ".md", ".markdown")
EXPORT_WIDTH = 100
"""Exported tables are laid out for 100 columns, like the goldens and the meeting papers."""
LOADING_CODES = "KA3"
"""Codes below this are found while reading files (the rest by validation, which re-runs on
the effective data of every what-if run)."""


def load_what_if(
    paths: list[Path] | None,
    scenarios: list[str] | None,
    sets: list[str] | None,
    *,
    effective: bool = False,
    output: Path | None = None,
) -> Bundle:
    """The bundle to allocate: the files, then every --scenario in order, then --set.

    Input with errors is refused as ``load_checked`` does (exit 1, or 2 for a path or a
    --set path that does not exist). With ``effective``, the data is printed as kompalloc YAML
    and the command stops (exit 0), to ``output`` when given.
    """
    from kompalloc.cli.common import load_checked, refuse_if_invalid

    if not scenarios and not sets and not effective:
        bundle, diagnostics = load_checked(paths)
        refuse_if_invalid(bundle, diagnostics)
        return bundle
    base, outcomes = what_if_runs(paths, ["+".join(scenarios or [])], sets)
    outcome = outcomes[0]
    assert outcome.bundle is not None
    if effective:
        print_effective(base, outcome, output)
    return outcome.bundle


def print_effective(base: Bundle, outcome: Outcome, output: Path | None = None) -> None:
    """Print the effective data as YAML (or write it to ``output``, atomically) and stop."""
    import typer

    from kompalloc.cli.common import check_output_path, console, write_output
    from kompalloc.scenarios.effective import effective_yaml

    assert outcome.bundle is not None
    text = effective_yaml(
        outcome.bundle,
        sources=outcome.applied.sources,
        removed=outcome.applied.removed,
        base_files=base.files,
        scenarios=[s.source for s in outcome.plan.scenarios],
    )
    if output is None:
        console().file.write(text)
    else:
        check_output_path(output, outcome.bundle)
        write_output(text, output)
    raise typer.Exit(0)


def run_policy() -> Policy:
    """The run's severity policy from the project file (the command line has none here)."""
    from kompalloc.cli.common import project
    from kompalloc.policy import Policy, parse_codes

    settings = project()
    ignored, _ = parse_codes(settings.ignore)
    promoted, _ = parse_codes(settings.error)
    return Policy(ignored, promoted, settings.strict)


def what_if_runs(
    paths: list[Path] | None, specs: Sequence[str], sets: list[str] | None
) -> tuple[Bundle, list[Outcome]]:
    """The base bundle and one outcome per spec ('' is the base itself), all valid.

    The files are loaded and validated once. Each spec names scenario files joined by '+';
    --set applies after the scenarios of every spec. Any error in the files, in a scenario or
    in a run's effective data stops the command with every diagnostic on stderr.
    """
    from dataclasses import replace

    from kompalloc.cli.common import (
        EXIT_OK,
        EXIT_USAGE,
        exit_code,
        fail,
        load_checked,
        refuse_if_invalid,
    )
    from kompalloc.policy import apply as apply_policy
    from kompalloc.scenarios import SET_SOURCE, SetPathError, read_plan, read_sets, what_if
    from kompalloc.scenarios.changes import Plan

    base, diagnostics = load_checked(paths)
    if exit_code(diagnostics) != EXIT_OK:
        refuse_if_invalid(base, diagnostics)
    loading = [d for d in diagnostics if d.code.value < LOADING_CODES]
    problems: list[Diagnostic] = []
    cache: dict[str, tuple[Scenario | None, list[Diagnostic]]] = {}

    def read(path: str) -> tuple[Scenario | None, list[Diagnostic]]:
        from kompalloc.scenarios import read_scenario

        if path not in cache:
            cache[path] = read_scenario(path)
            problems.extend(cache[path][1])
        return cache[path]

    plans: list[Plan | None] = []
    for spec in specs:
        plans.append(Plan((), "") if not spec else read_plan(spec, read)[0])
    try:
        overrides, set_problems = read_sets(list(sets or []))
    except SetPathError as exc:
        fail(str(exc), EXIT_USAGE)
        raise  # unreachable: fail exits
    problems.extend(set_problems)
    files = [*base.files, *cache]
    policy, own = run_policy(), file_policies()
    found: list[Diagnostic] = [*loading, *apply_policy(problems, policy, own)]
    failing: list[str] = []
    outcomes: list[Outcome] = []
    for spec, plan in zip(specs, plans, strict=True):
        if plan is None:  # a scenario file that cannot be read at all: reported above
            failing.append(spec)
            continue
        outcome = what_if(base, plan, overrides)
        for d in outcome.diagnostics:
            if d.code.value == "KA701" and d.span.path.startswith(SET_SOURCE):
                fail(f"{d.span.path}: {d.message.split(': ', 1)[-1]}: {d.hint}", EXIT_USAGE)
        mine = apply_policy(outcome.diagnostics, policy, own)
        if outcome.bundle is None or exit_code(mine) != EXIT_OK:
            failing.append(outcome.name)
        found += mine
        outcomes.append(outcome)
    unique = list(dict.fromkeys(found))
    if exit_code(unique) != EXIT_OK and not failing:
        _refuse(unique, len(files), "a scenario or --set has errors")
    if failing == [BASE_NAME] and sets:
        _refuse(unique, len(files), "the data after --set has errors")
    if failing:
        _refuse(unique, len(files), "errors in " + ", ".join(map(repr, failing)))
    refuse_if_invalid(replace(base, files=tuple(files)), unique)  # only warnings are left
    return base, outcomes


def file_policies() -> Callable[[str], Policy]:
    """Each file's own directives (``# kompalloc: ignore KA402``), scenario files included."""
    from kompalloc.loading.loader import read_text
    from kompalloc.policy import Policy, file_policy

    cache: dict[str, Policy] = {}

    def own(path: str) -> Policy:
        if path not in cache:
            text = None
            if Path(path).is_file():
                text, _ = read_text(path)
            cache[path] = file_policy(text) if text else Policy()
        return cache[path]

    return own


def _refuse(diagnostics: list[Diagnostic], files: int, why: str) -> None:
    """Every diagnostic on stderr, one line saying why nothing runs, then exit 1 (or 2)."""
    import typer

    from kompalloc.cli.common import console, exit_code
    from kompalloc.reporting.diagnostics_view import as_text

    err = console(stderr=True)
    err.print(as_text(diagnostics, files), end="", soft_wrap=True)
    err.print(f"kompalloc: not allocating: {why}", style="bold red", soft_wrap=True)
    raise typer.Exit(exit_code(diagnostics))


def check_export(export: Path | None, bundle: Bundle) -> None:
    """A usage error for an export file kompalloc cannot write (unknown kind, an input file)."""
    from kompalloc.cli.common import EXIT_USAGE, check_output_path, fail

    if export is None:
        return
    if export.suffix.lower() not in EXPORT_SUFFIXES:
        fail(
            f"--export {export}: the name must end in .html, .svg or .md (the kind of file)",
            EXIT_USAGE,
        )
    check_output_path(export, bundle)


def export_text(
    export: Path,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc",
) -> str:
    """What a command shows, as an HTML page, an SVG picture or Markdown, 100 columns wide."""
    import io

    from rich.console import Console

    from kompalloc.cli.output import print_tables
    from kompalloc.reporting import render
    from kompalloc.reporting.formats import Format

    if export.suffix.lower() in (".md", ".markdown"):
        text = render.tabulate_text(tables, Format.MARKDOWN, money) if tables else ""
        if extra:
            plain = Console(
                file=io.StringIO(), width=EXPORT_WIDTH, color_system=None, highlight=False
            )
            for item in extra:
                plain.print(item)
            assert isinstance(plain.file, io.StringIO)
            body = "\n".join(line.rstrip() for line in plain.file.getvalue().splitlines())
            text += ("\n" if text else "") + f"```text\n{body.strip(chr(10))}\n```\n"
        text += "".join(f"\n{note}\n" for note in notes)
        if footer:
            text += f"\n{footer}\n"
        return text
    console = Console(
        record=True,
        file=io.StringIO(),
        width=EXPORT_WIDTH,
        color_system="truecolor",
        force_terminal=True,
        no_color=False,
        highlight=False,
    )
    print_tables(console, tables, money, EXPORT_WIDTH, extra, notes, footer)
    if export.suffix.lower() == ".svg":
        return console.export_svg(title=title)
    return console.export_html(inline_styles=True)


def write_export(
    export: Path | None,
    tables: Sequence[Table],
    *,
    extra: Sequence[RenderableType] = (),
    notes: Sequence[str] = (),
    footer: str = "",
    money: str = "kr",
    title: str = "kompalloc",
) -> None:
    """Write the export file atomically, if one was asked for."""
    from kompalloc.cli.common import write_output

    if export is None:
        return
    text = export_text(
        export, tables, extra=extra, notes=notes, footer=footer, money=money, title=title
    )
    write_output(text, export)
