"""MNOK amounts for people add up to the total shown: largest-remainder rounding (issue 13)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conftest import invoke
from kompalloc.reporting.render import MNOK_STEP, largest_remainder

MNOK = 100_000_000


def test_the_example_of_the_readme() -> None:
    parts = [125 * MNOK // 100, 235 * MNOK // 100, 180 * MNOK // 100, 96 * MNOK // 100]
    assert largest_remainder(parts, sum(parts)) == [13, 23, 18, 10]  # 6,4 = 6,36 rounded


@given(st.lists(st.integers(0, 50 * MNOK), min_size=1, max_size=30))
def test_the_parts_add_up_and_each_is_within_a_tenth(parts: list[int]) -> None:
    total = sum(parts)
    shown = largest_remainder(parts, total)
    assert shown is not None
    assert sum(shown) == (2 * total + MNOK_STEP) // (2 * MNOK_STEP)
    for part, tenths in zip(parts, shown, strict=True):
        assert part // MNOK_STEP <= tenths <= part // MNOK_STEP + 1


def test_parts_that_are_not_a_sum_are_left_alone() -> None:
    assert largest_remainder([MNOK, -MNOK], 0) is None
    assert largest_remainder([MNOK], 2 * MNOK) is None


def test_the_report_in_mnok_adds_up(runner) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "report", "schemes", "examples/national-2021", "--money", "mnok")
    assert result.exit_code == 0
    assert "largest remainder" in result.stdout
