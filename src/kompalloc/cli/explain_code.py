"""``kompalloc explain-code``: what a diagnostic code means and how to fix it."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A code such as KA302; without one, every code is listed.", show_default=False
        ),
    ] = None,
) -> None:
    """Explain a diagnostic code, or list them all.

    Example: kompalloc explain-code KA302
    """
    from kompalloc.cli.console import stdout_console
    from kompalloc.diagnostics import Code, did_you_mean
    from kompalloc.explanations import EXPLANATIONS, explain
    from kompalloc.pipeline.errors import UsageError

    with stdout_console() as out:
        if code is None:
            for member in Code:
                out.print(
                    f"{member.value}  {EXPLANATIONS[member][0]}", soft_wrap=True, markup=False
                )
            return
        try:
            member = Code(code.strip().upper())
        except ValueError:
            hint = (
                did_you_mean(code.upper(), [c.value for c in Code])
                or "run 'kompalloc explain-code' for the list"
            )
            raise UsageError(f"unknown code {code!r}: {hint}") from None
        out.print(explain(member), soft_wrap=True, markup=False)
