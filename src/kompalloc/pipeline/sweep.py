"""Sweeping a cap: the checked what-if data allocated at each of a range of caps for one pool."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kompalloc.pipeline.errors import UsageError
from kompalloc.pipeline.inputs import Progress
from kompalloc.pipeline.run import Request, as_of, parse_as_of, parse_methods

if TYPE_CHECKING:
    from datetime import date

    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle
    from kompalloc.scenarios.sweep import Sweep

_SEPARATOR = re.compile(r";|(?<=[^\d\s]),|(?<=[^\d\s])\s+,")
"""Between --values: ';', or ',' after a unit ('18 MNOK,20 MNOK'); a ',' after a digit is a
decimal comma ('17,5 MNOK')."""


@dataclass(frozen=True, slots=True)
class Swept:
    """A sweep, the data it was made on, and what its stamp must say."""

    sweep: Sweep
    bundle: Bundle
    as_of: date | None
    left_out: list[str]
    overrides: tuple[str, ...]
    warnings: list[Diagnostic]
    files: int


def amount(option: str, text: str) -> int:
    """An amount given on the command line, or a usage error naming the option."""
    from kompalloc.money import MoneyError, parse_money

    value = parse_money(text.strip())
    if isinstance(value, MoneyError):
        hint = f" ({value.hint})" if value.hint else ""
        raise UsageError(f"{option}: {value.message}{hint}")
    return value


def caps_from(low: str | None, high: str | None, step: str | None, values: str | None) -> list[int]:
    """The caps to try, from --values or from --from/--to/--step; a usage error otherwise."""
    from kompalloc.scenarios.sweep import MAX_STEPS, caps_between

    if values is not None:
        if low or high or step:
            raise UsageError("give either --values or --from/--to/--step, not both")
        parts = [p for p in _SEPARATOR.split(values) if p.strip()]
        if not parts:
            raise UsageError("--values: no amounts given")
        if len(parts) > MAX_STEPS:
            raise UsageError(f"--values: {len(parts)} amounts; at most {MAX_STEPS}")
        return [amount("--values", p) for p in parts]
    if low is None or high is None or step is None:
        raise UsageError("give --from, --to and --step (or --values)")
    try:
        return caps_between(amount("--from", low), amount("--to", high), amount("--step", step))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def check_extremes(bundle: Bundle, pool: str, low: int, high: int) -> None:
    """Validate the data at the lowest and the highest cap: the rules that depend on a cap
    only get stricter as it falls, so if both ends are valid, every cap between is."""
    from dataclasses import replace

    from kompalloc.diagnostics import Severity
    from kompalloc.money import format_kr
    from kompalloc.validation import validate

    for cap in dict.fromkeys((low, high)):
        changed = replace(
            bundle, pools={**bundle.pools, pool: replace(bundle.pools[pool], cap=cap)}
        )
        errors = [d for d in validate(changed) if d.severity is Severity.ERROR]
        if errors:
            problems = "; ".join(f"{d.message} ({d.code.value})" for d in errors[:3])
            raise UsageError(f"a cap of {format_kr(cap)} for {pool} is refused: {problems}")


def sweep_run(
    request: Request, pool: str, caps: Sequence[int], progress: Progress | None = None
) -> Swept:
    """Load and check once, then allocate the pool's round at every cap."""
    from kompalloc.diagnostics import did_you_mean
    from kompalloc.pipeline.files import check_output_path
    from kompalloc.pipeline.whatif import load_what_if
    from kompalloc.scenarios.sweep import exact_plateau, sweep

    if not pool:
        raise UsageError("sweep needs --pool POOL: the pool whose cap varies")
    day = parse_as_of(request.as_of)
    bundle, _, warnings, files = load_what_if(
        request.paths, request.scenarios, request.sets, progress, cache=request.cache
    )
    bundle, left_out = as_of(bundle, day)
    if pool not in bundle.pools:
        hint = did_you_mean(pool, bundle.pools) or "see 'kompalloc list pools' for the ids"
        raise UsageError(f"--pool: no pool {pool!r}: {hint}")
    for output in request.outputs:
        check_output_path(output, bundle.files)
    methods = parse_methods(request.methods, bundle)
    check_extremes(bundle, pool, min(caps), max(caps))
    result = exact_plateau(bundle, sweep(bundle, pool, list(caps), methods), methods)
    overrides = tuple(f"--set {v}" for v in request.sets)
    return Swept(result, bundle, day, left_out, overrides, warnings, files)
