"""The policies of the model: one enum each, the words files may write, and the defaults a
pool resolves once (the engine never reads the raw fields for them)."""

from __future__ import annotations

from enum import StrEnum

import pytest

from factories import pool
from kompalloc import model
from kompalloc.model import Apportion, Method, OrderBy, Shortfall, TiePolicy
from kompalloc.money import ORE_PER_KRONE


@pytest.mark.parametrize(
    ("words", "enum"),
    [
        (model.METHODS, model.Method),
        (model.SHORTFALLS, model.Shortfall),
        (model.ORDERS, model.OrderBy),
        (model.TIE_POLICIES, model.TiePolicy),
        (model.APPORTION_RULES, model.ApportionRule),
        (model.GROUPINGS, model.Grouping),
    ],
)
def test_the_words_a_file_may_write_are_the_enum_values(
    words: tuple[str, ...], enum: type[StrEnum]
) -> None:
    assert words == tuple(member.value for member in enum)
    assert all(enum(word) == word for word in words)


def test_a_pool_without_policies_gets_the_documented_defaults() -> None:
    p = pool("p", 100)
    assert p.allocation_method is Method.PRIORITY
    assert p.shortfall_policy is Shortfall.PART_FUND
    assert p.order_by is OrderBy.RANK
    assert p.tie_policy is TiePolicy.ORDER
    assert p.grant_unit == ORE_PER_KRONE  # whole kroner
    assert pool("p", 100, unit=0).grant_unit == ORE_PER_KRONE  # validation reports a unit of 0


def test_a_pool_s_own_policies_are_its_enums() -> None:
    p = pool(
        "p", 100, method="pro_rata", shortfall="stop", order="score", ties="lottery", unit=7_00
    )
    assert p.allocation_method is Method.PRO_RATA
    assert p.shortfall_policy is Shortfall.STOP
    assert p.order_by is OrderBy.SCORE
    assert p.tie_policy is TiePolicy.LOTTERY
    assert p.grant_unit == 7_00
    assert Apportion(by="cluster", weights={}).inner_method is Method.PRIORITY
    assert Apportion(by="cluster", weights={}, then="capped_equal").inner_method is (
        Method.CAPPED_EQUAL
    )
