"""Stories: every step that concerned a grant, in order, as ``kompalloc explain`` tells it.

The priority pass and its phases take an optional :class:`Tracer`; :class:`Stories` is the one
that writes the steps down. Without a tracer nothing is written and nothing is paid for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from kompalloc.allocation import wording
from kompalloc.model import Method, OrderBy

if TYPE_CHECKING:
    from kompalloc.allocation.caps import Cap
    from kompalloc.allocation.lots import Prepared, Upper
    from kompalloc.model import Application, Pool


class Tracer(Protocol):
    """What a priority round tells as it decides (by the application's index in order)."""

    def note(self, index: int, line: str) -> None:
        """A step of a phase in front of the pass (a share, an earmark that could not fund it)."""

    def turn(self, index: int, caps: Sequence[Cap], upper: Upper) -> None:
        """Its turn in the pass: the room of each of its caps, and its own limit."""


def intro(root: Pool, method: str, seed: int | None) -> str:
    """The first step of every story in a round: its method and policies."""
    words = f"Round {root.label}: method {method.replace('_', '-')}"
    if method in (Method.PRIORITY, Method.APPORTION):
        words += f", order by {root.order_by}, ties: {root.tie_policy}"
        if seed is not None:
            words += f" (lottery seed {seed})"
        words += f", shortfall: {root.shortfall_policy.replace('_', '-')}"
    return words + "."


def place(root: Pool, app: Application, position: int, total: int) -> str:
    """Its place in the order, and what put it there."""
    rank = f"rank {app.rank}" if app.rank is not None else "unranked"
    if root.order_by is OrderBy.SCORE:
        rank = f"score {app.score}" if app.score is not None else "no score"
    return f"Place {position} of {total} in the order ({rank})."


def draws_on(chain: Sequence[Pool]) -> str:
    """The pools it draws on."""
    return "Draws on " + ", then ".join(f"{p.label} ({p.id})" for p in chain) + "."


def at_its_turn(caps: Sequence[Cap], upper: Upper) -> str:
    """The room of each of its caps at its turn, and its own limit."""
    return (
        "At its turn: "
        + "; ".join(f"{cap.label} had {wording.kr(max(cap.room, 0))} left" for cap in caps)
        + f". Its own limit: {upper[3]} ({wording.kr(upper[0])})."
    )


class Stories:
    """The tracer that writes every application's story of a prepared round."""

    __slots__ = ("steps",)

    def __init__(self, prepared: Prepared, method: str) -> None:
        root, apps = prepared.root, prepared.ordering.applications
        head = intro(root, method, prepared.ordering.seed)
        total = len(apps)
        self.steps: list[list[str]] = [
            [head, place(root, app, position, total), draws_on(lot.chain)]
            for position, app, lot in zip(range(1, total + 1), apps, prepared.lots, strict=True)
        ]

    def note(self, index: int, line: str) -> None:
        self.steps[index].append(line)

    def turn(self, index: int, caps: Sequence[Cap], upper: Upper) -> None:
        self.steps[index].append(at_its_turn(caps, upper))

    def story(self, index: int, detail: str) -> tuple[str, ...]:
        """The whole story of the application at ``index``, ending with its decision."""
        return (*self.steps[index], detail)
