"""What-if scenarios: named changes to the data, read and validated like the data itself.

A scenario file names entries by section and id and says what to change (``set``, ``add``,
``replace``, ``remove``, ``move_to_rank``), optionally only if the data still holds what it
expects (``expect``). Scenarios apply in order, each whole or not at all; the result is
validated like file content before anything is allocated. ``compare`` and ``sweep`` build on it.
"""

from kompalloc.scenarios.applying import Applied, apply
from kompalloc.scenarios.changes import UNSET, Change, Plan, Scenario, Value
from kompalloc.scenarios.reading import (
    SET_SOURCE,
    SUFFIX,
    SetPathError,
    parse_set,
    read_plan,
    read_scenario,
    read_sets,
)
from kompalloc.scenarios.run import Outcome, what_if

__all__ = [
    "SET_SOURCE",
    "SUFFIX",
    "UNSET",
    "Applied",
    "Change",
    "Outcome",
    "Plan",
    "Scenario",
    "SetPathError",
    "Value",
    "apply",
    "parse_set",
    "read_plan",
    "read_scenario",
    "read_sets",
    "what_if",
]
