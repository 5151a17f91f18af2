"""Reading scenario files and ``--set`` overrides, as strictly as data files and with positions.

Every value is read by the same field table as data files (``FIELDS[section][key]``), so
``cap: 1.5 MNOK`` is the same error in a scenario as in a pool file, at its own position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error
from kompalloc.loading.convert import FIELDS, ID_PATTERN, Reader, is_invalid, read_entry
from kompalloc.loading.loader import NULLS, check_version, read_text
from kompalloc.loading.nodes import Map, Node, Scalar, Seq, parse
from kompalloc.scenarios.changes import OPERATIONS, UNSET, Change, Plan, Scenario, Value
from kompalloc.source import Span, file_span

SUFFIX = ".scenario"
"""The suffix of scenario files by convention: not .yaml, so that a folder of data never
picks one up as data (any name works with --scenario)."""
SET_SOURCE = "--set"
"""The source of command-line overrides in diagnostics: ``--set pools.x.cap``."""
TOP_LEVEL_KEYS = ("kompalloc", "name", "description", *(s.value for s in model.Section))


def _written(node: Node) -> str:
    """A node as it was written, near enough for a message."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return "[" + ", ".join(_written(item) for item in node.items) + "]"
    if isinstance(node, Map):
        return "{" + ", ".join(f"{k}: {_written(v)}" for k, (_, v) in node.items.items()) + "}"
    return "?"


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.value in NULLS


def read_value(
    section: model.Section, key: str, node: Node, where: str, reader: Reader, *, nullable: bool
) -> Value | None:
    """One value of an entry, read exactly as a data file's; None when it was reported wrong.

    With ``nullable``, ``null`` (or ``~``, or nothing) means UNSET: the key's default.
    """
    if nullable and _is_null(node):
        return Value(UNSET, node.span, "null")
    value = FIELDS[section][key].read(reader)(node, where)
    if is_invalid(value):
        return None
    return Value(value, node.span, _written(node))


def _values(
    section: model.Section,
    node: Node,
    where: str,
    reader: Reader,
    operation: str,
) -> dict[str, Value] | None:
    """The keys and values of a ``set:`` or ``expect:`` mapping."""
    if not isinstance(node, Map):
        reader.fail(
            Code.NOT_A_MAPPING,
            f"'{operation}' takes a mapping of keys to values, e.g. {{cap: 20 MNOK}}",
            node,
            f"{where}.{operation}",
        )
        return None
    fields = FIELDS[section]
    out: dict[str, Value] = {}
    ok = True
    for key, (key_node, child) in node.items.items():
        if key not in fields:
            hint = did_you_mean(key, fields) or f"known keys: {', '.join(fields)}"
            reader.fail(
                Code.UNKNOWN_KEY,
                f"unknown key '{key}' in {model_singular(section)}",
                key_node,
                f"{where}.{key}",
                hint,
            )
            ok = False
            continue
        value = read_value(section, key, child, f"{where}.{key}", reader, nullable=True)
        if value is None:
            ok = False
            continue
        if operation == "set" and value.value is UNSET and fields[key].required:
            reader.fail(
                Code.SCENARIO_BAD_CHANGE,
                f"'{key}' is required in {model_singular(section)}: it cannot be unset",
                child,
                f"{where}.{key}",
                "give it a new value instead of null",
            )
            ok = False
            continue
        out[key] = value
    return out if ok else None


def model_singular(section: model.Section) -> str:
    """'a pool', 'an application', ..."""
    from kompalloc.loading.convert import SINGULAR

    return SINGULAR[section]


def read_change(section: model.Section, key: Scalar, node: Node, reader: Reader) -> Change | None:
    """One entry of a scenario section: what to do with the entry of that id."""
    where = f"{section.value}.{key.value}"
    if not ID_PATTERN.fullmatch(key.value):
        reader.fail(
            Code.BAD_ID,
            f"'{key.value}' is not a valid id",
            key,
            where,
            "ids are letters, digits, '.', '_' and '-', starting with a letter or digit",
        )
        return None
    if isinstance(node, Scalar) and node.plain and node.value == "remove":
        return Change(section, key.value, key.span, remove=node.span)
    if not isinstance(node, Map):
        reader.fail(
            Code.NOT_A_MAPPING,
            f"a change to {where} must be a mapping of operations ({', '.join(OPERATIONS)}) "
            "or the word 'remove'",
            node,
            where,
            "e.g. set: {cap: 25 MNOK}",
        )
        return None
    fields = FIELDS[section]
    parts: dict[str, object] = {}
    ok = True
    for op, (op_node, child) in node.items.items():
        if op not in OPERATIONS:
            if op in fields:
                hint = f"to change '{op}', write it under 'set:', e.g. set: {{{op}: ...}}"
            else:
                hint = did_you_mean(op, OPERATIONS) or f"a change has: {', '.join(OPERATIONS)}"
            reader.fail(
                Code.UNKNOWN_KEY, f"unknown operation '{op}' in a change", op_node, where, hint
            )
            ok = False
            continue
        result = _operation(section, key, op, op_node, child, reader)
        if result is None:
            ok = False
        else:
            parts[op] = result
    if not ok:
        return None
    problem = _conflict(parts)
    if problem is not None:
        reader.fail(
            Code.SCENARIO_BAD_CHANGE,
            problem,
            key,
            where,
            "one change per entry: add, replace or remove it whole, or set values "
            "(and move_to_rank); 'expect' may come with any but add",
        )
        return None
    return Change(
        section,
        key.value,
        key.span,
        expect=parts.get("expect", {}),  # type: ignore[arg-type]
        set=parts.get("set", {}),  # type: ignore[arg-type]
        move_to_rank=parts.get("move_to_rank"),  # type: ignore[arg-type]
        add=parts.get("add"),  # type: ignore[arg-type]
        replace=parts.get("replace"),  # type: ignore[arg-type]
        remove=parts.get("remove"),  # type: ignore[arg-type]
    )


def _operation(
    section: model.Section, key: Scalar, op: str, op_node: Scalar, child: Node, reader: Reader
) -> object | None:
    """What one operation of a change says (values, a rank, an entry, a span), or None if bad."""
    where = f"{section.value}.{key.value}"
    if op in ("set", "expect"):
        return _values(section, child, where, reader, op)
    if op == "move_to_rank":
        if section is not model.Section.APPLICATIONS:
            reader.fail(
                Code.SCENARIO_BAD_CHANGE,
                "move_to_rank works on applications only",
                op_node,
                f"{where}.move_to_rank",
            )
            return None
        return read_value(section, "rank", child, f"{where}.rank", reader, nullable=False)
    if op in ("add", "replace"):
        entry, whole = read_entry(section, key, child, reader)
        return entry if whole else None
    value = reader.boolean(child, f"{where}.remove")  # remove
    if value is False:
        reader.fail(
            Code.SCENARIO_BAD_CHANGE,
            "'remove: false' does nothing",
            child,
            f"{where}.remove",
            "leave the change out, or write 'remove: true'",
        )
    return child.span if value is True else None


def _conflict(parts: dict[str, object]) -> str | None:
    """Why the operations of one change do not go together, or None when they do."""
    whole_entry: list[str] = [op for op in ("add", "replace", "remove") if op in parts]
    values: list[str] = [op for op in ("set", "move_to_rank") if op in parts]
    if len(whole_entry) > 1 or (whole_entry and values):
        return f"'{', '.join(whole_entry + values)}' do not go together in one change"
    if "add" in parts and "expect" in parts:
        return "'expect' has nothing to check on an entry that 'add' creates"
    if not parts:
        return "the change does nothing"
    if "move_to_rank" in parts and "rank" in parts.get("set", {}):  # type: ignore[operator]
        return "'set: {rank: ...}' and 'move_to_rank' do not go together"
    return None


def default_name(path: str) -> str:
    """A scenario's name from its file name: 'ifs-plus-5.scenario' -> 'ifs-plus-5'."""
    name = Path(path).name
    for suffix in (SUFFIX, ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def read_scenario(path: str) -> tuple[Scenario | None, list[Diagnostic]]:
    """Read one scenario file; None when it has errors (every one of them is reported)."""
    out: list[Diagnostic] = []
    root = _scenario_root(path, out)
    if root is None:
        return None, out
    reader = Reader(out)
    top = _Top(default_name(path))
    for key, (key_node, node) in root.items.items():
        top.read(key, key_node, node, reader)
    complete = top.ok and not any(d.severity.value == "error" for d in out)
    if complete and not top.changes:
        out.append(
            error(
                Code.SCENARIO_BAD_CHANGE,
                "the scenario changes nothing",
                root.span,
                hint="add a section of changes, e.g. pools: {ID: {set: {cap: 25 MNOK}}}",
            )
        )
        return None, out
    scenario = Scenario(top.name, path, tuple(top.changes), top.description, (path,), complete)
    return scenario, out


def _scenario_root(path: str, out: list[Diagnostic]) -> Map | None:
    """The top-level mapping of a scenario file, or None with the reason in ``out``."""
    p = Path(path)
    if not p.exists():
        hint = "a symbolic link whose target is missing" if p.is_symlink() else None
        out.append(
            error(Code.PATH_NOT_FOUND, f"no such scenario file: {path}", file_span(path), hint=hint)
        )
        return None
    if p.is_dir():
        out.append(
            error(
                Code.PATH_UNREADABLE,
                f"{path} is a folder: --scenario takes scenario files",
                file_span(path),
                hint="name the file, e.g. --scenario folder/what-if.scenario",
            )
        )
        return None
    text, problems = read_text(path)
    out.extend(problems)
    if text is None:
        return None
    root, problems = parse(text, path)
    out.extend(problems)
    if problems:
        return None
    if root is None or _is_null(root):
        out.append(
            error(
                Code.SCENARIO_BAD_CHANGE,
                "the scenario file holds no changes",
                file_span(path),
                hint="see 'What-if scenarios' in README",
            )
        )
        return None
    if not isinstance(root, Map):
        out.append(
            error(
                Code.NOT_A_MAPPING,
                "a scenario's top level must be a mapping (name, description, and sections "
                "of changes)",
                root.span,
            )
        )
        return None
    return root


@dataclass(slots=True)
class _Top:
    """What a scenario file's top-level keys give: its name, description and changes."""

    name: str
    description: str | None = None
    changes: list[Change] = field(default_factory=list)
    ok: bool = True

    def read(self, key: str, key_node: Scalar, node: Node, reader: Reader) -> None:
        """Read one top-level key: the version, the name, the description or a section."""
        if key == "kompalloc":
            self.ok = check_version(node, reader.out) and self.ok
        elif key in ("name", "description"):
            value = reader.ident(node, "name") if key == "name" else reader.text(node, key)
            if is_invalid(value):
                self.ok = False
            elif key == "name":
                self.name = str(value)
            else:
                self.description = str(value)
        else:
            self._section(key, key_node, node, reader)

    def _section(self, key: str, key_node: Scalar, node: Node, reader: Reader) -> None:
        try:
            section = model.Section(key)
        except ValueError:
            hint = (
                did_you_mean(key, TOP_LEVEL_KEYS) or f"a scenario has: {', '.join(TOP_LEVEL_KEYS)}"
            )
            reader.out.append(
                error(Code.UNKNOWN_KEY, f"unknown section '{key}'", key_node.span, key, hint)
            )
            self.ok = False
            return
        if _is_null(node):
            return
        if not isinstance(node, Map):
            reader.out.append(
                error(
                    Code.NOT_A_MAPPING,
                    f"section '{key}' must be a mapping from id to change",
                    node.span,
                    key,
                    hint=f"write '{key}:' then one indented 'ID:' per entry to change",
                )
            )
            self.ok = False
            return
        for id_node, entry_node in node.items.values():
            change = read_change(section, id_node, entry_node, reader)
            if change is None:
                self.ok = False
            else:
                self.changes.append(change)


class SetPathError(ValueError):
    """A ``--set`` option whose path is wrong (a usage error, not a value error)."""


def parse_set(argument: str) -> tuple[Change | None, list[Diagnostic]]:
    """One ``--set SECTION.ID.KEY=VALUE``: the change, or diagnostics for a bad value.

    A bad path (no '=', an unknown section or key, a bad id) raises SetPathError; an id that
    does not exist is found when the change is applied.
    """
    path, equals, text = argument.partition("=")
    path = path.strip()
    shape = (
        "write --set SECTION.ID.KEY=VALUE, e.g. --set pools.industrifagskolen-2021.cap='25 MNOK'"
    )
    if not equals:
        raise SetPathError(f"--set {argument}: no '=' ({shape})")
    first, dot, rest = path.partition(".")
    ident, dot2, key = rest.rpartition(".")
    if not dot or not dot2 or not ident or not key:
        raise SetPathError(f"--set {argument}: {path!r} is not SECTION.ID.KEY ({shape})")
    try:
        section = model.Section(first)
    except ValueError:
        sections = [s.value for s in model.Section]
        hint = did_you_mean(first, sections) or f"sections are: {', '.join(sections)}"
        raise SetPathError(f"--set {path}: unknown section {first!r}: {hint}") from None
    fields = FIELDS[section]
    if key not in fields:
        hint = did_you_mean(key, fields) or f"known keys: {', '.join(fields)}"
        raise SetPathError(f"--set {path}: {model_singular(section)} has no key {key!r}: {hint}")
    if not ID_PATTERN.fullmatch(ident):
        raise SetPathError(f"--set {path}: {ident!r} is not a valid id")
    source = f"{SET_SOURCE} {path}"
    out: list[Diagnostic] = []
    root, problems = parse(text, source)
    out.extend(problems)
    if problems:
        return None, out
    node: Node = root if root is not None else Scalar("", True, Span(source, 1, 1, 1, 1))
    reader = Reader(out)
    value = read_value(section, key, node, f"{section.value}.{ident}.{key}", reader, nullable=True)
    if value is not None and value.value is UNSET and fields[key].required:
        out.append(
            error(
                Code.SCENARIO_BAD_CHANGE,
                f"'{key}' is required in {model_singular(section)}: it cannot be unset",
                node.span,
                f"{section.value}.{ident}.{key}",
            )
        )
        return None, out
    if value is None:
        return None, out
    id_span = Span(source, 1, 1, 0, 0)
    return Change(section, ident, id_span, set={key: value}), out


def read_sets(arguments: list[str]) -> tuple[Scenario, list[Diagnostic]]:
    """Every --set as one scenario named '--set', applied after all others (the last word)."""
    changes: list[Change] = []
    out: list[Diagnostic] = []
    for argument in arguments:
        change, problems = parse_set(argument)
        out.extend(problems)
        if change is not None:
            changes.append(change)
    complete = not any(d.severity.value == "error" for d in out)
    return Scenario(SET_SOURCE, SET_SOURCE, tuple(changes), complete=complete), out


def split_spec(spec: str) -> list[str]:
    """The files of ``a.scenario+b.scenario`` (a path that exists as written is one file)."""
    if Path(spec).exists() or "+" not in spec:
        return [spec]
    return [part for part in spec.split("+") if part]


def read_plan(
    spec: str, read: Callable[[str], tuple[Scenario | None, list[Diagnostic]]] = read_scenario
) -> tuple[Plan | None, list[Diagnostic]]:
    """The scenarios of one --scenario option, in order; None when a file cannot be read at
    all (a scenario with errors in some changes comes back incomplete, see Scenario)."""
    scenarios: list[Scenario] = []
    out: list[Diagnostic] = []
    ok = True
    for path in split_spec(spec):
        scenario, problems = read(path)
        out.extend(problems)
        if scenario is None:
            ok = False
        else:
            scenarios.append(scenario)
    if not ok:
        return None, out
    return Plan(tuple(scenarios), spec), out
