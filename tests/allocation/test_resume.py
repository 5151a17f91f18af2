"""The sweep's resume machinery: the tally of decisions, and the floors below which nobody
after a position can get money."""

from __future__ import annotations

from factories import application, bundle, pool
from kompalloc.allocation import wording
from kompalloc.allocation.caps import Memo
from kompalloc.allocation.engine import committed_money
from kompalloc.allocation.lots import Context, prepare
from kompalloc.allocation.results import Status
from kompalloc.allocation.resume import floors, round_at_caps, tally
from kompalloc.pooltree import build

MNOK = 100_000_000


def test_tally_counts_money_and_full_and_partial_grants_leaving_out_the_undecided() -> None:
    decisions: list[wording.Decision | None] = [
        (5, Status.FUNDED, "", "", "request"),
        (3, Status.PARTIAL, "", "", "pool"),
        (0, Status.NOT_FUNDED, "", "", "pool"),
        None,
    ]
    assert tally(decisions) == (8, 2, 1, 1)


def test_floors_are_the_least_room_any_application_from_there_on_could_use() -> None:
    world = bundle(
        pools=[pool("p", 10 * MNOK, unit=MNOK)],
        applications=[
            application("a1", 4 * MNOK, rank=1),
            application("a2", 3 * MNOK, rank=2, partial=True, min_grant=MNOK // 2),
            application("a3", 5 * MNOK, rank=3),
        ],
    )
    tree = build(world)
    context = Context(world, tree, committed_money(world, tree), {}, Memo())
    prepared = prepare(context, world.pools["p"], list(world.applications.values()))
    # a2 takes a partial grant of whole units: its minimum rounded up to one unit
    assert floors(prepared).by_position == [MNOK, MNOK, 5 * MNOK]


def test_a_sweep_is_refused_where_rounds_are_not_plain_priority_rounds() -> None:
    world = bundle(
        pools=[pool("p", MNOK, earmarks={"young": MNOK})],
        applications=[application("a1", MNOK, rank=1)],
    )
    assert round_at_caps(world, "p", [MNOK, 2 * MNOK]) is None
    plain = bundle(pools=[pool("p", MNOK)], applications=[application("a1", MNOK, rank=1)])
    steps = round_at_caps(plain, "p", [0, MNOK])
    assert steps is not None
    assert [(s.granted, s.remaining, s.full) for s in steps] == [(0, 0, 0), (MNOK, 0, 1)]
    assert round_at_caps(plain, "p", [MNOK], {"*": "pro_rata"}) is None
