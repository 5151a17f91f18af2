"""``kompalloc explain``: the whole story of one application's grant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kompalloc.cli.console import Verbosity
from kompalloc.cli.params import (
    AsOfOption,
    MethodOption,
    NoCacheOption,
    Paths,
    ScenarioOption,
    SetOption,
)

if TYPE_CHECKING:
    from kompalloc.allocation.gaps import FundingGap, Target


def command(
    verbosity: Verbosity,
    application: Annotated[
        str, typer.Argument(help="The application's id, e.g. KUI-03.", show_default=False)
    ],
    paths: Paths = None,
    method: MethodOption = None,
    as_of: AsOfOption = None,
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="The decision as JSON.")] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Tell the whole story of one application's grant.

    Its round and method, its place in the order, every cap it met, what bound it, and why it
    got what it got.

    Example: kompalloc explain KUI-03 schemes examples/national-2021
    """
    from kompalloc.cli.console import stdout_console
    from kompalloc.cli.runs import allocation_run
    from kompalloc.money import format_kr
    from kompalloc.pipeline.files import write_stdout
    from kompalloc.pipeline.run import Request
    from kompalloc.reporting.render import json_text
    from kompalloc.reporting.tables import funding_note, round_label

    request = Request(
        paths,
        method or (),
        as_of,
        scenario or (),
        set_ or (),
        application=application,
        cache=not no_cache,
    )
    run = allocation_run(request, verbosity)
    bundle, allocation = run.bundle, run.allocation
    grant = allocation.by_application[application]
    app = bundle.applications[application]
    binding = run.bindings().get(application)
    info = allocation.rounds.get(grant.pools[0]) if grant.pools else None
    gaps = {}
    if info is not None and info.funding_line:
        from kompalloc.allocation.gaps import funding_gap

        found = funding_gap(bundle, allocation, info.pool, run.methods)
        gaps = {info.pool: found} if found is not None else {}
    if json_output:
        document = {
            "application": grant.application,
            "pools": list(grant.pools),
            "requested_ore": grant.requested,
            "granted_ore": grant.granted,
            "status": grant.status.value,
            "reason": grant.reason,
            "detail": grant.detail,
            "limit": grant.limit,
            "position": grant.position,
            "story": list(grant.story),
            "binding": None
            if binding is None
            else {
                "cap": binding.cap,
                "kind": binding.kind,
                "label": binding.label,
                "room_ore": binding.room,
                "requested_ore": binding.asked,
            },
            "funding_line": None
            if info is None or not info.funding_line
            else {
                "application": info.funding_line,
                "note": funding_note(allocation, info.pool, gaps),
                **({"gap": _gap_json(gaps[info.pool])} if info.pool in gaps else {}),
            },
        }
        write_stdout(json_text(document))
        return
    institution = bundle.institutions[app.institution]
    cluster = bundle.clusters.get(app.cluster) if app.cluster else None
    lines = [
        f"{app.id}: {app.title}",
        f"  {institution.name} ({institution.type})"
        + (f", cluster {cluster.name}" if cluster else ", no cluster"),
        f"  asks {format_kr(app.requested)}"
        + (", accepts a partial grant" if app.partial else ", does not accept a partial grant")
        + (f" of at least {format_kr(app.min_grant)}" if app.partial and app.min_grant else ""),
        "",
        f"Decision: {grant.status.value}, {format_kr(grant.granted)} ({grant.reason})",
        "",
    ]
    lines += [f"{n}. {step}" for n, step in enumerate(grant.story, start=1)]
    if info is not None and info.funding_line:
        lines += [
            "",
            f"Funding line of {round_label(bundle, info.pool)}: {info.funding_line}; "
            f"{funding_note(allocation, info.pool, gaps)}.",
        ]
    with stdout_console() as out:
        out.print("\n".join(lines), soft_wrap=True, markup=False, highlight=False)


def _gap_json(gap: FundingGap) -> dict[str, object]:
    """A funding gap as JSON: the amount sought, and each cap with the extra øre it needs."""

    def moves(target: Target) -> dict[str, object]:
        return {
            "amount_ore": target.amount,
            "single": [{"cap": m.key, "extra_ore": m.extra, "room_ore": m.room} for m in target.single],
            "together": [{"cap": m.key, "extra_ore": m.extra} for m in target.together],
        }

    return {
        "full": moves(gap.full),
        "minimum": None if gap.minimum is None else moves(gap.minimum),
    }
