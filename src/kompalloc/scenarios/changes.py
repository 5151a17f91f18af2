"""What a scenario is: named changes to entries, each addressed by section and id.

A change never points at a list position: it names an entry (``pools.industrifagskolen-2021``)
and says what to do with it. Values are read with the same field table as data files, so a
value in a scenario is exactly what the same text would be in a data file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kompalloc.model import Entry, Section
from kompalloc.source import Span


class _Unset:
    """The value of ``set: {key: null}``: the key goes back to its default (as if not written)."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()
"""A key that a change removes (``null``), or that a precondition expects not to be set."""

OPERATIONS = ("expect", "set", "move_to_rank", "add", "replace", "remove")
"""The keys a change may have, in the order they are applied (``expect`` is checked first)."""


@dataclass(frozen=True, slots=True)
class Value:
    """A value a change names, as read by the field table, with where it was written."""

    value: object
    """The model value (money in øre, a date, a tuple, ...), or UNSET."""
    span: Span
    text: str
    """The value as written, for messages."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one scenario does to one entry."""

    section: Section
    id: str
    span: Span
    """Where the entry's id is written in the scenario."""
    expect: Mapping[str, Value] = field(default_factory=dict)
    """Preconditions: each key must hold this value before the scenario applies."""
    set: Mapping[str, Value] = field(default_factory=dict)
    move_to_rank: Value | None = None
    """Give the application this rank and shift the others of its round to keep their order."""
    add: Entry | None = None
    replace: Entry | None = None
    remove: Span | None = None

    @property
    def where(self) -> str:
        """The entry's path in the data, e.g. ``pools.industrifagskolen-2021``."""
        return f"{self.section.value}.{self.id}"


@dataclass(frozen=True, slots=True)
class Scenario:
    """Changes read from one scenario file (or from the ``--set`` options), applied whole or not at all."""

    name: str
    source: str
    """The file it was read from, or ``--set`` for command-line overrides."""
    changes: tuple[Change, ...]
    description: str | None = None
    files: tuple[str, ...] = ()
    """The files it was read from: recorded in the stamp like input files."""
    complete: bool = True
    """False when some of it could not be read: the changes that could are still checked
    against the data (so every problem is reported at once), but it is never applied."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Scenarios applied one after another, e.g. ``--scenario a.scenario+b.scenario``."""

    scenarios: tuple[Scenario, ...]
    spec: str = ""
    """As named on the command line."""

    @property
    def name(self) -> str:
        """The scenarios' names joined by '+', or 'base' for none."""
        return "+".join(s.name for s in self.scenarios) or "base"
