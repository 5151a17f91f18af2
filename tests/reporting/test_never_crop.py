"""Never a cropped number (issue 13): at every width from 60 columns, every amount, id and date
of every table kind appears whole in what people see, or its column is named as left out."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import ROOT
from kompalloc.allocation import allocate
from kompalloc.loading import load
from kompalloc.money import parse_money
from kompalloc.reporting.compare import comparison_renderables, plan, plan_line
from kompalloc.reporting.labels import Lang
from kompalloc.reporting.layout import WRAP_MIN
from kompalloc.reporting.listing import listing_table
from kompalloc.reporting.output import people_view
from kompalloc.reporting.render import text_cell
from kompalloc.reporting.sweep import chart, sweep_table
from kompalloc.reporting.tables import Kind, Table, report_tables, rounds_table
from kompalloc.sections import Section

EXAMPLES = ("national-2021", "kongsberg-2021", "apportion-2022")


@cache
def _bundle(example: str) -> Any:
    bundle, _ = load([str(ROOT / "schemes"), str(ROOT / "examples" / example)])
    return bundle, allocate(bundle)


def _report(example: str) -> list[Table]:
    bundle, allocation = _bundle(example)
    return [*report_tables(bundle, allocation, all_pools=True), rounds_table(bundle, allocation)]


def _listing(example: str) -> list[Table]:
    bundle, _ = _bundle(example)
    return [listing_table(bundle, s.value) for s in Section]


@cache
def _comparison() -> Any:
    from kompalloc.pipeline.compare import compare_runs
    from kompalloc.pipeline.run import Request

    folder = "examples/national-2021/scenarios/"
    specs = [folder + n for n in ("ifs-plus-5-mnok", "ifs-07-first", "kongsberg-share-8-mnok")]
    request = Request([ROOT / "schemes", ROOT / "examples" / "national-2021"], (), None, (), (), ())
    return compare_runs(request, [str(ROOT / f"{s}.scenario") for s in specs]).comparison


@cache
def _sweep() -> Any:
    from kompalloc.pipeline.run import Request
    from kompalloc.pipeline.sweep import caps_from, sweep_run

    request = Request([ROOT / "schemes", ROOT / "examples" / "national-2021"], (), None, (), (), ())
    caps = caps_from("37,8 MNOK", "44 MNOK", "1 MNOK", None)
    return sweep_run(request, "industrifagskolen-2021", caps).sweep


def _printed(renderables: Sequence[Any], width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    for item in renderables:
        if item is not None:
            console.print(item)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert max(map(len, out.splitlines()), default=0) <= width, "a line is wider than the screen"
    return str(out)


def _whole(table: Table, out: str) -> None:
    """Every amount, id, date and short word of ``table`` is whole in ``out`` (on one line),
    unless the output names its column as left out at this width."""
    flat = re.sub(r"[ \n]+", " ", out)
    left_out = " ".join(
        flat[max(0, m.start() - 80) : m.start()] for m in re.finditer(" left out at this", flat)
    )
    lines = out.replace("\n", " \n ")
    for i, column in enumerate(table.columns):
        if not column.people or column.key == table.group:
            continue
        if column.title in left_out:
            continue
        for row in table.rows:
            text = text_cell(row[i], column, unit=False)
            if not text:
                continue
            if column.wrap:
                # In free text, the words with digits (years, ids, amounts, dates) hold.
                words = [w.strip(",;()") for w in text.split(" ") if re.search(r"[0-9]", w)]
                words = [w for w in words if len(w) <= WRAP_MIN]
                for word in words:
                    assert word in lines, (table.key, column.key, word)
            else:
                assert text in out, (table.key, column.key, text)
                if column.kind is Kind.MONEY:
                    assert not isinstance(parse_money(text.replace("\u00a0", " ")), str)


def _tables_kind(tables: Callable[[], list[Table]]) -> Callable[[int], None]:
    def check(width: int) -> None:
        for table in tables():
            out = _printed([s.renderable for s in people_view([table], width=width)], width)
            _whole(table, out)

    return check


def _compare_kind(width: int) -> None:
    result = _comparison()
    blocks = [result.applications, result.pools, result.clusters]
    out = _printed(comparison_renderables(result, blocks, "kr", full=True), width)
    flat = re.sub(r"[ \n]+", " ", out)
    for change in plan(result):
        assert plan_line(change, Lang.EN) in flat, plan_line(change)
    for block in blocks:
        shown = [m for m, metric in enumerate(block.metrics) if metric.people]
        for row in block.rows:
            for values in row.values:
                for m in shown if values else ():
                    assert values is not None
                    assert text_cell(values[m], _MONEY, unit=False) in out


def _sweep_kind(width: int) -> None:
    result = _sweep()
    table = sweep_table(result)
    out = _printed([s.renderable for s in people_view([table], width=width, extra=[])], width)
    _whole(table, out)
    drawn = _printed([chart(result)], width)
    for step in result.steps:
        assert text_cell(step.cap, _MONEY, unit=False) in drawn
        assert text_cell(step.granted, _MONEY, unit=False) in drawn


def _validate_kind(width: int) -> None:
    from kompalloc.reporting.diagnostics_view import as_text
    from kompalloc.validation import validate

    bad = sorted((ROOT / "tests" / "corpus" / "bad").glob("*.yaml"))[:12]
    bundle, diagnostics = load([str(p) for p in bad])
    found = [*diagnostics, *validate(bundle)]
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(as_text(found, len(bad)), end="", soft_wrap=True)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    for d in found:
        if d.span.line:
            assert f"{d.span.path}:{d.span.line}:{d.span.column}" in out
        assert d.code.value in out


from kompalloc.reporting.tables import Column  # noqa: E402  (beside its only use)

_MONEY = Column("amount", "", Kind.MONEY)
KINDS: dict[str, Callable[[int], None]] = {
    **{f"report-{e}": _tables_kind(lambda e=e: _report(e)) for e in EXAMPLES},
    **{f"list-{e}": _tables_kind(lambda e=e: _listing(e)) for e in EXAMPLES},
    "compare": _compare_kind,
    "sweep": _sweep_kind,
    "validate": _validate_kind,
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(60, 200), st.sampled_from(sorted(KINDS)))
def test_nothing_is_cropped_at_any_width(width: int, kind: str) -> None:
    KINDS[kind](width)


def test_the_issue_examples_at_80_columns() -> None:
    """The cases of issue 13, each seen whole at 80 columns."""
    for kind in ("list-national-2021", "sweep", "compare", "report-national-2021"):
        KINDS[kind](80)
