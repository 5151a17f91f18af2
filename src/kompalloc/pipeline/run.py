"""An allocation run: the checked what-if data as of a date, allocated, with its stamp."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompalloc.pipeline.errors import UsageError
from kompalloc.pipeline.inputs import Progress

if TYPE_CHECKING:
    from kompalloc.allocation import Allocation
    from kompalloc.allocation.binding import Binding
    from kompalloc.allocation.gaps import FundingGap
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle


@dataclass(frozen=True, slots=True)
class Request:
    """What a command asks to be allocated, as the command line says it."""

    paths: Sequence[Path] | None = None
    """Files and folders; None: the project file's."""
    methods: Sequence[str] = ()
    """--method values: METHOD or POOL=METHOD."""
    as_of: str | None = None
    """--as-of, as written (YYYY-MM-DD)."""
    scenarios: Sequence[str] = ()
    """--scenario files, applied in order."""
    sets: Sequence[str] = ()
    """--set SECTION.ID.KEY=VALUE overrides, applied after the scenarios."""
    outputs: Sequence[Path] = ()
    """Files the command will write: refused before allocating if one is an input."""
    application: str | None = None
    """An application the run must contain, whose story is told (for explain)."""
    cache: bool = False
    """Whether loading may use the cache of unchanged inputs (the CLI's default; --no-cache)."""

    def override_words(self) -> tuple[str, ...]:
        """The command-line overrides as the stamp lists them."""
        return (
            *(f"--set {s}" for s in self.sets),
            *(f"--method {m}" for m in self.methods),
        )


@dataclass(frozen=True, slots=True)
class Run:
    """An allocation run: the data as allocated, the result, and what the stamp must say."""

    bundle: Bundle
    allocation: Allocation
    as_of: date | None
    left_out: list[str]
    overrides: tuple[str, ...] = ()
    """The --set and --method overrides applied (scenario files are among the bundle's files)."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """The warnings of the input (errors refuse the run)."""
    files: int = 0
    """How many input files, scenario files included."""
    methods: dict[str, str] = field(default_factory=dict)
    """The --method overrides, by root pool id ('*' for all)."""

    def gaps(self) -> dict[str, FundingGap]:
        """The exact funding gap of every round that has one (a few allocations of each such
        round: only for commands that show funding lines)."""
        from kompalloc.allocation.gaps import funding_gaps

        return funding_gaps(self.bundle, self.allocation, self.methods)

    def bindings(self) -> dict[str, Binding]:
        """The cap that bound each application short of money, with its room at its turn."""
        from kompalloc.allocation.binding import bindings

        return bindings(self.bundle, self.allocation)

    def stamp(self) -> dict[str, Any]:
        """The reproducibility stamp as data."""
        from kompalloc.pipeline.stamp import stamp

        return stamp(self.bundle, self.as_of, self.left_out, self.overrides)

    def stamp_line(self) -> str:
        """The reproducibility stamp as one line."""
        from kompalloc.pipeline.stamp import stamp_line

        return stamp_line(self.bundle, self.as_of, self.left_out, self.overrides)


def parse_as_of(value: str | None) -> date | None:
    """The date of --as-of, or a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: {value!r} is not a date like 2021-09-15") from None


def as_of(bundle: Bundle, day: date | None) -> tuple[Bundle, list[str]]:
    """The bundle as of the date (all of it without one), and the applications left out."""
    from kompalloc.asof import ledger_by, received_by

    if day is None:
        return bundle, []
    return received_by(ledger_by(bundle, day), day)


def parse_methods(values: Sequence[str], bundle: Bundle) -> dict[str, str]:
    """Method overrides by root pool id ('*' for all), or a usage error naming what is wrong."""
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.model import METHODS

    out: dict[str, str] = {}
    roots = [p.id for p in bundle.pools.values() if p.parent is None]
    for value in values:
        pool, _, method = value.rpartition("=")
        if method not in METHODS:
            raise UsageError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
        if pool and pool not in roots:
            hint = did_you_mean(pool, roots) or "name a root pool"
            raise UsageError(f"--method: no root pool {pool!r}: {hint}")
        targets = [pool] if pool else roots
        if method in ("pro_rata", "capped_equal") and any(
            bundle.pools[t].earmarks for t in targets
        ):
            raise UsageError("--method: earmarks work with the priority method only")
        if method == "apportion" and any(bundle.pools[t].apportion is None for t in targets):
            raise UsageError("--method apportion needs the pool's 'apportion:' settings")
        out[pool or "*"] = method
    return out


def allocate_run(request: Request, progress: Progress | None = None) -> Run:
    """Load, check, apply the what-if changes and the date, then allocate.

    Raises Refused for input with errors and UsageError for arguments that cannot be used
    (an unknown application, method or pool, a bad date, an output that is an input).
    """
    from kompalloc.allocation import allocate
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.pipeline.files import check_output_path
    from kompalloc.pipeline.whatif import load_what_if

    day = parse_as_of(request.as_of)
    bundle, _, warnings, files = load_what_if(
        request.paths, request.scenarios, request.sets, progress, cache=request.cache
    )
    application = request.application
    if application is not None and application not in bundle.applications:
        hint = (
            did_you_mean(application, bundle.applications) or "see 'kompalloc allocate' for the ids"
        )
        raise UsageError(f"no application {application!r}: {hint}")
    submitted = bundle.applications[application].submitted if application else None
    if day is not None and bundle.earlier_rounds:
        from kompalloc.pipeline.errors import Refused
        from kompalloc.validation.ledger import after_as_of

        late = after_as_of(bundle, day)
        if late:
            raise Refused([*warnings, *late], files)
    bundle, left_out = as_of(bundle, day)
    if application is not None and application not in bundle.applications:
        raise UsageError(f"{application} was submitted {submitted}, after --as-of {day}")
    for output in request.outputs:
        check_output_path(output, bundle.files)
    methods = parse_methods(request.methods, bundle)
    result = allocate(bundle, methods, stories=application is not None)
    return Run(bundle, result, day, left_out, request.override_words(), warnings, files, methods)
