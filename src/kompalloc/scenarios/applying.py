"""Applying scenarios to a bundle: in order, each whole or not at all, never silently.

The merge rules (README, 'What-if scenarios'):

- scenarios apply in the order given; within one, changes apply in file order;
- a scenario's ``expect:`` preconditions are all checked against the data as it stands before
  that scenario (after the scenarios before it);
- ``set`` replaces a key's value whole (lists and mappings are not merged); ``null`` unsets it;
- ``add`` needs a new id, every other operation an existing one: a change to an id that does
  not exist is an error with a "did you mean" hint, never a no-op;
- a later scenario may change what an earlier one changed: the later wins, with a warning;
- a scenario with any error is not applied at all, and then nothing runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, Severity, did_you_mean, error, warning
from kompalloc.loading.convert import FIELDS, MONEY, PERCENT
from kompalloc.money import format_kr, format_share
from kompalloc.scenarios.changes import UNSET, Change, Scenario, Value
from kompalloc.source import Span

Key = tuple[model.Section, str]


@dataclass(slots=True)
class Applied:
    """The outcome of applying scenarios: the new bundle (None on errors) and what happened."""

    bundle: model.Bundle | None
    diagnostics: list[Diagnostic]
    removed: dict[Key, tuple[str, Span]] = field(default_factory=dict)
    """Entries the scenarios removed: by whom (scenario name) and where."""
    sources: tuple[str, ...] = ()
    """The sources (files, '--set ...') whose spans mark changed values."""


def default_of(section: model.Section, key: str) -> object:
    """A key's value when it is not written."""
    for f in dataclasses.fields(ENTRY_TYPES[section]):
        if f.name == key:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
    return None


def describe(section: model.Section, key: str, value: object) -> str:
    """A model value as people write it: money in kroner, shares in per cent."""
    if value is UNSET or value is None:
        return "not set"
    spec = FIELDS[section].get(key)
    if spec is not None and spec.read is MONEY.read and isinstance(value, int):
        return format_kr(value)
    if spec is not None and spec.read is PERCENT.read and isinstance(value, Fraction):
        return format_share(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_item(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _item(value: object) -> str:
    if isinstance(value, model.Company):
        return value.name
    if isinstance(value, model.Partner):
        return f"{value.name} ({value.role})"
    return str(value)


ENTRY_TYPES: dict[model.Section, type[model.Entry]] = {
    model.Section.SCHEMES: model.Scheme,
    model.Section.POOLS: model.Pool,
    model.Section.CLUSTERS: model.Cluster,
    model.Section.INSTITUTIONS: model.Institution,
    model.Section.APPLICATIONS: model.Application,
    model.Section.LIMITS: model.Limit,
    model.Section.GRANTS: model.LedgerGrant,
    model.Section.EARLIER_ROUNDS: model.EarlierRound,
}


class _State:
    """The entries while scenarios apply, and who changed what."""

    def __init__(self, bundle: model.Bundle) -> None:
        self.entries: dict[model.Section, dict[str, model.Entry]] = {
            s: dict(getattr(bundle, s.value)) for s in model.Section
        }
        self.removed: dict[Key, tuple[str, Span]] = {}
        self.changed_keys: dict[tuple[model.Section, str, str], tuple[int, str, Span]] = {}
        """(section, id, key) -> (scenario index, scenario name, where) for values set."""
        self.changed_entries: dict[Key, tuple[int, str, Span]] = {}

    def copy(self) -> _State:
        other = _State.__new__(_State)
        other.entries = {s: dict(e) for s, e in self.entries.items()}
        other.removed = dict(self.removed)
        other.changed_keys = dict(self.changed_keys)
        other.changed_entries = dict(self.changed_entries)
        return other


def apply(bundle: model.Bundle, scenarios: Sequence[Scenario]) -> Applied:
    """Apply the scenarios in order to a valid bundle; the new bundle is NOT validated here."""
    state = _State(bundle)
    out: list[Diagnostic] = []
    failed = False
    for index, scenario in enumerate(scenarios):
        before = state.copy()
        found: list[Diagnostic] = []
        _check_expectations(state, scenario, found)
        for change in scenario.changes:
            _apply_change(state, index, scenario, change, found)
        if not scenario.complete or any(d.severity is Severity.ERROR for d in found):
            failed = True
            state = before  # applied whole or not at all: later scenarios see the data without it
            found = [d for d in found if d.severity is Severity.ERROR]  # its warnings are moot
        out.extend(found)
    flat: list[str] = []
    for s in scenarios:
        flat.extend(s.files or _set_sources(s))
    if failed:
        return Applied(None, out, state.removed, tuple(dict.fromkeys(flat)))
    files = tuple(dict.fromkeys([*bundle.files, *(f for s in scenarios for f in s.files)]))
    sections: dict[str, object] = {s.value: state.entries[s] for s in model.Section}
    result = dataclasses.replace(bundle, files=files, **sections)  # type: ignore[arg-type]
    return Applied(result, out, state.removed, tuple(dict.fromkeys(flat)))


def _set_sources(scenario: Scenario) -> list[str]:
    return list(dict.fromkeys(c.span.path for c in scenario.changes))


def _unknown(state: _State, change: Change, what: str, span: Span) -> Diagnostic:
    """KA701 for a change to an id that does not exist, with the best hint there is."""
    section = change.section
    singular = section.value[:-1]
    gone = state.removed.get((section, change.id))
    if gone is not None:
        hint = f"scenario '{gone[0]}' removed it at {gone[1]}"
    else:
        close = did_you_mean(change.id, state.entries[section])
        if close is not None:
            hint = close
        else:
            elsewhere = [s.value[:-1] for s in model.Section if change.id in state.entries[s]]
            hint = (
                f"'{change.id}' is {model_article(elsewhere[0])}, not {model_article(singular)}"
                if elsewhere
                else f"no {singular} with that id is loaded"
            )
    return error(
        Code.SCENARIO_UNKNOWN_ID,
        f"{what}: there is no {singular} '{change.id}'",
        span,
        change.where,
        hint,
    )


def model_article(word: str) -> str:
    """'a pool', 'an application'."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def _check_expectations(state: _State, scenario: Scenario, out: list[Diagnostic]) -> None:
    """Every precondition of the scenario, against the data as it stands before it."""
    for change in scenario.changes:
        if not change.expect:
            continue
        entry = state.entries[change.section].get(change.id)
        if entry is None:
            continue  # reported once, by the change itself
        for key, expected in change.expect.items():
            actual = getattr(entry, key)
            want = default_of(change.section, key) if expected.value is UNSET else expected.value
            if actual == want:  # null expects the default: not set, or set to what it would be
                continue
            origin = entry.spans.get(key)
            where = f" (set at {origin})" if origin is not None else ""
            out.append(
                error(
                    Code.SCENARIO_EXPECTATION_FAILED,
                    f"{change.where}.{key} is {describe(change.section, key, actual)}{where}, "
                    f"not {describe(change.section, key, want)} as scenario '{scenario.name}' "
                    "expects",
                    expected.span,
                    f"{change.where}.{key}",
                    "the data has moved on since the scenario was written: check that the "
                    "change still makes sense, then update 'expect:'",
                )
            )


def _override(
    state: _State,
    index: int,
    scenario: Scenario,
    change: Change,
    key: str | None,
    span: Span,
    out: list[Diagnostic],
) -> None:
    """Warn when an earlier scenario of the run changed the same value or entry."""
    section = change.section
    earlier: list[tuple[int, str, Span]] = []
    if key is None:
        earlier += [
            v for (s, i, _), v in state.changed_keys.items() if (s, i) == (section, change.id)
        ]
        if (section, change.id) in state.changed_entries:
            earlier.append(state.changed_entries[(section, change.id)])
    else:
        for found in (
            state.changed_keys.get((section, change.id, key)),
            state.changed_entries.get((section, change.id)),
        ):
            if found is not None:
                earlier.append(found)
    earlier = [e for e in earlier if e[0] != index]
    if not earlier:
        return
    _, name, where = max(earlier, key=lambda e: e[0])
    what = f"{change.where}.{key}" if key else change.where
    out.append(
        warning(
            Code.SCENARIO_OVERRIDE,
            f"{what} was changed by scenario '{name}' at {where}; "
            f"'{scenario.name}' comes later and wins",
            span,
            what,
            "check the order of the scenarios, or merge them into one",
        )
    )


def _apply_change(
    state: _State, index: int, scenario: Scenario, change: Change, out: list[Diagnostic]
) -> None:
    section = change.section
    entries = state.entries[section]
    mark = (index, scenario.name, change.span)
    if change.add is not None:
        if change.id in entries:
            existing = entries[change.id]
            out.append(
                error(
                    Code.SCENARIO_ID_EXISTS,
                    f"cannot add {section.value[:-1]} '{change.id}': it is already defined at "
                    f"{existing.span}",
                    change.span,
                    change.where,
                    "use 'replace:' to change it whole, or 'set:' to change some of its values",
                )
            )
            return
        entries[change.id] = change.add
        state.removed.pop((section, change.id), None)
        state.changed_entries[(section, change.id)] = mark
        return
    entry = entries.get(change.id)
    if entry is None:
        out.append(_unknown(state, change, f"scenario '{scenario.name}'", change.span))
        return
    if change.replace is not None:
        _override(state, index, scenario, change, None, change.span, out)
        entries[change.id] = change.replace
        state.changed_entries[(section, change.id)] = mark
        return
    if change.remove is not None:
        _override(state, index, scenario, change, None, change.span, out)
        del entries[change.id]
        state.removed[(section, change.id)] = (scenario.name, change.span)
        state.changed_entries[(section, change.id)] = mark
        return
    entry = _set_values(state, index, scenario, change, entry, out)
    entries[change.id] = entry
    if change.move_to_rank is not None and isinstance(entry, model.Application):
        _move(state, index, scenario, change, entry, change.move_to_rank, out)


def _set_values(
    state: _State,
    index: int,
    scenario: Scenario,
    change: Change,
    entry: model.Entry,
    out: list[Diagnostic],
) -> model.Entry:
    values: dict[str, object] = {}
    spans = dict(entry.spans)
    for key, new in change.set.items():
        current = getattr(entry, key)
        target = default_of(change.section, key) if new.value is UNSET else new.value
        if current == target:
            out.append(
                warning(
                    Code.SCENARIO_SAME_VALUE,
                    f"{change.where}.{key} is already {describe(change.section, key, current)}",
                    new.span,
                    f"{change.where}.{key}",
                    "remove the change, or check that the scenario was written for this data",
                )
            )
        _override(state, index, scenario, change, key, new.span, out)
        values[key] = target
        if new.value is UNSET:
            spans.pop(key, None)
        else:
            spans[key] = new.span
        state.changed_keys[(change.section, change.id, key)] = (index, scenario.name, new.span)
    if not values:
        return entry
    return dataclasses.replace(entry, spans=spans, **values)  # type: ignore[arg-type]


def _move(
    state: _State,
    index: int,
    scenario: Scenario,
    change: Change,
    app: model.Application,
    to: Value,
    out: list[Diagnostic],
) -> None:
    """Give the application rank ``to`` and shift the ranked applications between its old and
    new place by one, so that the rest of the council's order is kept."""
    assert isinstance(to.value, int)
    new = to.value
    old = app.rank
    if old == new:
        out.append(
            warning(
                Code.SCENARIO_SAME_VALUE,
                f"{change.where} already has rank {new}",
                to.span,
                f"{change.where}.rank",
                "remove the change, or check that the scenario was written for this data",
            )
        )
    _override(state, index, scenario, change, "rank", to.span, out)
    applications: dict[str, model.Entry] = state.entries[model.Section.APPLICATIONS]
    for other_id, other in list(applications.items()):
        if other_id == app.id or not isinstance(other, model.Application) or other.rank is None:
            continue
        if (other.scheme, other.year) != (app.scheme, app.year):
            continue
        rank = other.rank
        if old is None or new < old:
            shifted = rank + 1 if new <= rank and (old is None or rank < old) else rank
        else:
            shifted = rank - 1 if old < rank <= new else rank
        if shifted != rank:
            spans = {**other.spans, "rank": to.span}
            applications[other_id] = dataclasses.replace(other, rank=shifted, spans=spans)
    spans = {**app.spans, "rank": to.span}
    applications[app.id] = dataclasses.replace(app, rank=new, spans=spans)
    state.changed_keys[(model.Section.APPLICATIONS, app.id, "rank")] = (
        index,
        scenario.name,
        to.span,
    )
