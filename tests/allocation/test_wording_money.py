"""Every sentence kind a report prints about money, word for word (the funding line's exact
gaps are also checked against the engine in test_gaps.py, the sweep's in test_sweep_grants.py)."""

from __future__ import annotations

from kompalloc.allocation import Status, gaps, wording
from kompalloc.allocation.caps import Cap
from kompalloc.allocation.gaps import FundingGap, Move, Target

NB = "\u00a0"
MNOK = 100_000_000


def kr(text: str) -> str:
    return text.replace(" ", NB)


SUB = "sub-pool Kongsberg-andel"


def test_a_cap_with_room_says_what_it_had_and_exhausted_only_at_zero() -> None:
    why = wording.short_of(SUB, 117_000_000)
    assert why == f"{SUB} had {kr('1 170 000 kr')} left"
    full = wording.offer(150_000_000, 150_000_000, "pool", "sub-pool exhausted", why, 100, False, 1)
    assert full[:3] == (150_000_000, Status.FUNDED, "full request")
    none = wording.offer(150_000_000, 117_000_000, "pool", "sub-pool exhausted", why, 100, False, 1)
    assert none[1:4] == (
        Status.NOT_FUNDED,
        "too little in sub-pool; no partial",
        f"Not funded: {SUB} had {kr('1 170 000 kr')} left of {kr('1 500 000 kr')} asked; "
        "no partial grant accepted.",
    )
    part = wording.offer(150_000_000, 117_000_000, "pool", "sub-pool exhausted", why, 100, True, 1)
    assert part[:4] == (
        117_000_000,
        Status.PARTIAL,
        "rest of sub-pool",
        f"Partial grant of {kr('1 170 000 kr')} of {kr('1 500 000 kr')}: {why}.",
    )
    low = wording.offer(
        150_000_000, 117_000_000, "pool", "sub-pool exhausted", why, 100, True, 120_000_000
    )
    assert low[2:4] == (
        "too little in sub-pool; below its minimum",
        f"Not funded: {why} of {kr('1 500 000 kr')} asked, below its minimum of "
        f"{kr('1 200 000 kr')}.",
    )
    empty = wording.short_of(SUB, 0)
    zero = wording.offer(150_000_000, 0, "pool", "sub-pool exhausted", empty, 100, True, 1)
    assert zero[2:4] == ("sub-pool exhausted", f"Not funded: {SUB} had 0{NB}kr left.")
    assert wording.skipped("pool exhausted", empty, "pool")[2] == "pool exhausted; skipped"
    assert wording.skipped("pool exhausted", why, "pool")[2] == (
        "too little in pool; skipped"
    )
    assert wording.stops_here("pool exhausted", why)[2:4] == (
        "too little in pool; funding line",
        f"Not funded: {why}; the pool stops here.",
    )


def test_an_own_limit_keeps_its_words() -> None:
    why = f"pool P grants at most {kr('3 000 000 kr')}"
    none = wording.offer(320_000_000, 300_000_000, "max_grant", "max grant", why, 100, False, 1)
    assert none[2:4] == (
        "max grant; no partial",
        f"Not funded: {kr('3 000 000 kr')} of {kr('3 200 000 kr')} was possible ({why}) and the "
        "application does not accept a partial grant.",
    )


def test_the_engines_funding_line_names_the_cap_without_a_false_amount() -> None:
    cap = Cap("pool:k", "pool", "sub-pool exhausted", SUB, 0)
    assert wording.funding_line("A", cap, 150_000_000, 150_000_000, 0) == (
        "A",
        150_000_000,
        f"it got 0{NB}kr of {kr('1 500 000 kr')}; more money in {SUB} could fund it",
    )
    bound = Cap("institution_cap:k:u", "institution_cap", "institution cap", "the cap of U", 0)
    assert wording.funding_line("A", bound, 1, 1, 0)[1:] == (
        None,
        "A is bound by the cap of U: more pool money would not fund it",
    )


def _gap(full: Target, minimum: Target | None = None, asked: int = 150_000_000) -> FundingGap:
    return FundingGap("r", "A", asked, 0, minimum is not None, full, minimum)


def test_every_kind_of_exact_funding_line() -> None:
    one = Move("pool:k", SUB, 33_000_000, 117_000_000)
    root = Move("pool:r", "pool R", 50_000_000, None)
    assert gaps.gap_note(_gap(Target(150_000_000, (one,), ()))) == (
        f"{kr('330 000 kr')} more in {SUB} (it had {kr('1 170 000 kr')} left at its turn) "
        "would fund A in full"
    )
    assert gaps.gap_note(_gap(Target(150_000_000, (one, root), ()))).endswith(
        f", or {kr('500 000 kr')} more in pool R would fund A in full"
    )
    assert gaps.gap_note(_gap(Target(150_000_000, (), (one, root)))) == (
        "no single cap would fund A in full: together, "
        f"{kr('330 000 kr')} more in {SUB} (it had {kr('1 170 000 kr')} left at its turn) and "
        f"{kr('500 000 kr')} more in pool R would"
    )
    assert gaps.gap_note(_gap(Target(150_000_000, (), ()))) == (
        "no more money in its pools or limits would fund A in full"
    )
    assert gaps.gap_note(_gap(Target(100_000_000, (root,), ()))) == (
        f"{kr('500 000 kr')} more in pool R would give A {kr('1 000 000 kr')}, its own limit"
    )
    assert gaps.gap_note(
        _gap(Target(150_000_000, (root,), ()), Target(40_000_000, (root,), ()))
    ).endswith(
        f"; {kr('500 000 kr')} more in pool R would give it its minimum of {kr('400 000 kr')}"
    )
