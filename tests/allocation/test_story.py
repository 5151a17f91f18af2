"""The story tracer: the steps explain tells, in order, and nothing told without it."""

from __future__ import annotations

from factories import application, bundle, pool
from kompalloc.allocation import allocate
from kompalloc.allocation.caps import Cap
from kompalloc.allocation.story import at_its_turn, intro, place

MNOK = 100_000_000


def test_the_first_steps_name_the_round_its_policies_and_the_place() -> None:
    root = pool("p", MNOK, name="Pott", ties="lottery", shortfall="skip")
    assert intro(root, "priority", 7) == (
        "Round Pott: method priority, order by rank, ties: lottery (lottery seed 7), "
        "shortfall: skip."
    )
    assert intro(root, "pro_rata", None) == "Round Pott: method pro-rata."
    assert (
        place(root, application("a", MNOK, rank=2), 1, 3) == "Place 1 of 3 in the order (rank 2)."
    )
    scored = pool("q", MNOK, order="score")
    assert place(scored, application("a", MNOK), 2, 2) == "Place 2 of 2 in the order (no score)."


def test_its_turn_shows_every_cap_never_below_zero() -> None:
    caps = [
        Cap("pool:p", "pool", "pool exhausted", "pool p", -5),
        Cap("l", "limit", "l", "limit L", 100),
    ]
    line = at_its_turn(caps, (MNOK, "request", "full request", "the full request fits"))
    assert line.replace("\u00a0", " ") == (
        "At its turn: pool p had 0 kr left; limit L had 1 kr left. "
        "Its own limit: the full request fits (1 000 000 kr)."
    )


def test_a_story_is_told_only_when_asked_for() -> None:
    world = bundle(
        pools=[pool("p", MNOK)],
        applications=[application("a1", 2 * MNOK, rank=1, partial=True), application("a2", 0)],
    )
    assert all(g.story == () for g in allocate(world).grants)
    told = allocate(world, stories=True).by_application
    assert len(told["a1"].story) == 5  # round, place, pools, its turn, the decision
    assert told["a1"].story[-1] == told["a1"].detail
    assert len(told["a2"].story) == 4  # decided before the pass: no turn
