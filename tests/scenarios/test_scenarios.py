"""Scenario files and --set: read like data files, merged by id in order, whole or not at all."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from kompalloc.allocation import allocate
from kompalloc.diagnostics import Code, Diagnostic, Severity
from kompalloc.loading import load
from kompalloc.model import Bundle
from kompalloc.scenarios import (
    Plan,
    SetPathError,
    apply,
    parse_set,
    read_plan,
    read_scenario,
    read_sets,
    what_if,
)
from kompalloc.scenarios.effective import effective_yaml
from kompalloc.validation import validate

MNOK = 100_000_000
KONGSBERG = [str(ROOT / "schemes"), str(ROOT / "examples" / "kongsberg-2021")]
NATIONAL = [str(ROOT / "schemes"), str(ROOT / "examples" / "national-2021")]
BUNDLED = sorted((ROOT / "examples").glob("*/scenarios/*.scenario"))


@pytest.fixture(scope="module")
def kongsberg() -> Bundle:
    bundle, diagnostics = load(KONGSBERG)
    assert not [d for d in diagnostics if d.severity is Severity.ERROR]
    return bundle


@pytest.fixture(scope="module")
def national() -> Bundle:
    bundle, _ = load(NATIONAL)
    return bundle


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(bundle: Bundle, *paths: str, sets: list[str] | None = None):  # type: ignore[no-untyped-def]
    scenarios = []
    for path in paths:
        scenario, problems = read_scenario(path)
        assert scenario is not None, problems
        scenarios.append(scenario)
    overrides = read_sets(sets or [])[0]
    return what_if(bundle, Plan(tuple(scenarios)), overrides)


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code.value for d in diagnostics]


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_scenario_reads_applies_and_validates(path: Path) -> None:
    base = KONGSBERG if "kongsberg" in str(path.parent) else NATIONAL
    bundle, _ = load(base)
    scenario, problems = read_scenario(str(path))
    assert scenario is not None and not problems
    assert scenario.name == path.name.removesuffix(".scenario")
    assert scenario.description
    outcome = what_if(bundle, Plan((scenario,)))
    assert outcome.bundle is not None
    assert not errors(outcome.diagnostics)
    assert not [d for d in outcome.diagnostics if d.code.value.startswith("KA7")]


def test_values_are_read_exactly_like_file_content_with_positions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.scenario",
        "pools:\n"
        "  kompetanseloft-kongsberg-2021:\n"
        "    set: {cap: 1.5 MNOK, capp: 1}\n"
        "applications:\n"
        "  KB-08:\n"
        "    set: {partial: yes}\n",
    )
    scenario, problems = read_scenario(path)
    assert scenario is not None and not scenario.complete
    found = {(d.code.value, d.span.line, d.span.column, d.path) for d in problems}
    assert ("KA205", 3, 16, "pools.kompetanseloft-kongsberg-2021.cap") in found
    assert ("KA202", 3, 26, "pools.kompetanseloft-kongsberg-2021.capp") in found
    assert ("KA207", 6, 20, "applications.KB-08.partial") in found
    hint = next(d.hint for d in problems if d.code is Code.UNKNOWN_KEY)
    assert hint == "did you mean 'cap'?"


def test_a_value_written_directly_is_pointed_to_set(tmp_path: Path) -> None:
    path = write(tmp_path, "direct.scenario", "pools:\n  p:\n    cap: 25 MNOK\n")
    _, problems = read_scenario(path)
    assert codes(problems) == ["KA202"]
    assert problems[0].hint == "to change 'cap', write it under 'set:', e.g. set: {cap: ...}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("{set: {rank: 1}, remove: true}", "do not go together"),
        (
            "{add: {scheme: s, year: 2021, institution: i, title: T, requested: 1, "
            "submitted: 2021-01-01}, expect: {rank: 1}}",
            "'expect' has nothing to check",
        ),
        ("{remove: false}", "'remove: false' does nothing"),
        ("{}", "the change does nothing"),
        ("{set: {rank: 2}, move_to_rank: 1}", "'set: {rank: ...}' and 'move_to_rank'"),
        ("{set: {title: null}}", "'title' is required in an application: it cannot be unset"),
    ],
)
def test_changes_that_cannot_be_made_are_KA704(tmp_path: Path, change: str, message: str) -> None:
    path = write(tmp_path, "x.scenario", f"applications:\n  KB-08: {change}\n")
    scenario, problems = read_scenario(path)
    assert scenario is not None and not scenario.complete
    assert any(d.code is Code.SCENARIO_BAD_CHANGE and message in d.message for d in problems), [
        d.message for d in problems
    ]


def test_move_to_rank_is_for_applications_only(tmp_path: Path) -> None:
    path = write(tmp_path, "x.scenario", "pools:\n  p: {move_to_rank: 1}\n")
    _, problems = read_scenario(path)
    assert codes(problems) == ["KA704"]


def test_name_description_and_the_file_name_as_default(tmp_path: Path) -> None:
    path = write(tmp_path, "more-money.scenario", "pools:\n  p: {set: {cap: 1 MNOK}}\n")
    scenario, _ = read_scenario(path)
    assert scenario is not None and scenario.name == "more-money" and scenario.description is None
    path = write(
        tmp_path,
        "x.scenario",
        "kompalloc: 1\nname: named\ndescription: Text\npools:\n  p: {set: {cap: 1 MNOK}}\n",
    )
    scenario, _ = read_scenario(path)
    assert scenario is not None and (scenario.name, scenario.description) == ("named", "Text")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "KA704"),
        ("name: empty\n", "KA704"),
        ("- a list\n", "KA201"),
        ("pool:\n  p: {set: {cap: 1}}\n", "KA202"),
        ("kompalloc: 2\npools:\n  p: {set: {cap: 1}}\n", "KA213"),
        ("pools: [a]\n", "KA201"),
        ("pools:\n  p: {set: {cap: 1}\n", "KA101"),
        ("pools:\n  p: &a {set: {cap: 1}}\n", "KA103"),
    ],
)
def test_scenario_files_that_cannot_be_used(tmp_path: Path, text: str, code: str) -> None:
    scenario, problems = read_scenario(write(tmp_path, "x.scenario", text))
    assert code in codes(problems)
    assert scenario is None or not scenario.complete


def test_a_missing_scenario_file_is_KA001() -> None:
    scenario, problems = read_scenario("no/such.scenario")
    assert scenario is None and codes(problems) == ["KA001"]


def test_composed_specs_are_split_on_plus(tmp_path: Path) -> None:
    a = write(tmp_path, "a.scenario", "pools:\n  p: {set: {cap: 1}}\n")
    b = write(tmp_path, "b.scenario", "pools:\n  p: {set: {cap: 2}}\n")
    plan, problems = read_plan(f"{a}+{b}")
    assert plan is not None and not problems
    assert plan.name == "a+b"
    both = write(tmp_path, "c+d.scenario", "pools:\n  p: {set: {cap: 3}}\n")
    plan, _ = read_plan(both)  # a file whose name holds '+' is one file
    assert plan is not None and plan.name == "c+d"


# --- merge rules ---------------------------------------------------------------------------


def cap_of(outcome, pool: str = "kompetanseloft-kongsberg-2021") -> int:  # type: ignore[no-untyped-def]
    assert outcome.bundle is not None, outcome.diagnostics
    return int(outcome.bundle.pools[pool].cap)


def test_scenarios_apply_in_order_and_the_later_wins_with_a_warning(
    tmp_path: Path, kongsberg: Bundle
) -> None:
    a = write(
        tmp_path, "a.scenario", "pools:\n  kompetanseloft-kongsberg-2021: {set: {cap: 12 MNOK}}\n"
    )
    b = write(
        tmp_path, "b.scenario", "pools:\n  kompetanseloft-kongsberg-2021: {set: {cap: 14 MNOK}}\n"
    )
    forward = run(kongsberg, a, b)
    assert cap_of(forward) == 14 * MNOK
    override = [d for d in forward.diagnostics if d.code is Code.SCENARIO_OVERRIDE]
    assert len(override) == 1 and override[0].span.path == b
    assert (
        "changed by scenario 'a'" in override[0].message
        and "'b' comes later and wins" in override[0].message
    )
    assert cap_of(run(kongsberg, b, a)) == 12 * MNOK


def test_set_comes_after_every_scenario(tmp_path: Path, kongsberg: Bundle) -> None:
    a = write(
        tmp_path, "a.scenario", "pools:\n  kompetanseloft-kongsberg-2021: {set: {cap: 12 MNOK}}\n"
    )
    outcome = run(kongsberg, a, sets=["pools.kompetanseloft-kongsberg-2021.cap=11 MNOK"])
    assert cap_of(outcome) == 11 * MNOK
    assert Code.SCENARIO_OVERRIDE in [d.code for d in outcome.diagnostics]


def test_an_unknown_id_is_a_located_error_with_a_hint(tmp_path: Path, kongsberg: Bundle) -> None:
    path = write(
        tmp_path,
        "x.scenario",
        "applications:\n  KB-8: remove\npools:\n  usn: {set: {cap: 1 MNOK}}\n",
    )
    outcome = run(kongsberg, path)
    assert outcome.bundle is None
    found = {(d.code.value, d.span.line, d.span.column, d.hint) for d in outcome.diagnostics}
    assert ("KA701", 2, 3, "did you mean 'KB-08'?") in found
    assert ("KA701", 4, 3, "'usn' is an institution, not a pool") in found


def test_a_change_to_an_entry_an_earlier_scenario_removed_names_it(
    tmp_path: Path, kongsberg: Bundle
) -> None:
    a = write(tmp_path, "a.scenario", "applications:\n  KB-08: remove\n")
    b = write(tmp_path, "b.scenario", "applications:\n  KB-08: {set: {rank: 2}}\n")
    outcome = run(kongsberg, a, b)
    assert outcome.bundle is None
    (error,) = errors(outcome.diagnostics)
    assert error.code is Code.SCENARIO_UNKNOWN_ID and error.span.path == b
    assert error.hint is not None and error.hint.startswith(f"scenario 'a' removed it at {a}:2:3")


def test_add_needs_a_new_id_and_can_follow_a_remove(tmp_path: Path, kongsberg: Bundle) -> None:
    entry = (
        "{scheme: kompetanseloft-kongsberg, year: 2021, institution: usn, title: T, "
        "requested: 1 MNOK, submitted: 2020-11-30, rank: 20}"
    )
    clash = write(tmp_path, "clash.scenario", f"applications:\n  KB-08:\n    add: {entry}\n")
    outcome = run(kongsberg, clash)
    assert codes(errors(outcome.diagnostics)) == ["KA702"]
    gone = write(tmp_path, "gone.scenario", "applications:\n  KB-08: remove\n")
    outcome = run(kongsberg, gone, clash)
    assert outcome.bundle is not None
    assert outcome.bundle.applications["KB-08"].title == "T"
    new = write(tmp_path, "new.scenario", f"applications:\n  KB-99:\n    add: {entry}\n")
    outcome = run(kongsberg, new)
    assert outcome.bundle is not None
    assert list(outcome.bundle.applications)[-1] == "KB-99"
    assert outcome.bundle.applications["KB-99"].span.path == new


def test_replace_keeps_the_place_and_drops_values_not_written(
    tmp_path: Path, kongsberg: Bundle
) -> None:
    path = write(
        tmp_path,
        "x.scenario",
        "applications:\n  KB-08:\n    replace: {scheme: kompetanseloft-kongsberg, year: 2021, "
        "institution: usn, title: New, requested: 1 MNOK, submitted: 2020-11-30}\n",
    )
    outcome = run(kongsberg, path)
    assert outcome.bundle is not None
    apps = outcome.bundle.applications
    assert list(apps) == list(kongsberg.applications)
    assert apps["KB-08"].rank is None and apps["KB-08"].cluster is None


def test_null_unsets_and_expects_not_set(tmp_path: Path, kongsberg: Bundle) -> None:
    path = write(
        tmp_path,
        "x.scenario",
        "applications:\n  KB-07:\n    expect: {score: null}\n    set: {min_grant: ~}\n",
    )
    outcome = run(kongsberg, path)
    assert outcome.bundle is not None
    app = outcome.bundle.applications["KB-07"]
    assert app.min_grant is None and "min_grant" not in app.spans
    wrong = write(
        tmp_path, "y.scenario", "applications:\n  KB-07:\n    expect: {min_grant: null}\n"
    )
    outcome = run(kongsberg, wrong)
    assert codes(errors(outcome.diagnostics)) == ["KA703"]


def test_a_precondition_compares_values_as_read_and_fails_loudly(
    tmp_path: Path, national: Bundle
) -> None:
    ok = write(
        tmp_path,
        "ok.scenario",
        "pools:\n  industrifagskolen-2021:\n    expect: {cap: 37 800 000 kr}\n    set: {cap: 40 MNOK}\n",
    )
    assert cap_of(run(national, ok), "industrifagskolen-2021") == 40 * MNOK
    moved = write(
        tmp_path,
        "moved.scenario",
        "pools:\n  industrifagskolen-2021:\n    expect: {cap: 20 MNOK}\n    set: {cap: 25 MNOK}\n",
    )
    outcome = run(national, moved)
    assert outcome.bundle is None
    (error,) = errors(outcome.diagnostics)
    assert error.code is Code.SCENARIO_EXPECTATION_FAILED
    assert (error.span.path, error.span.line, error.span.column) == (moved, 3, 19)
    assert error.message.startswith(
        "pools.industrifagskolen-2021.cap is 37\u00a0800\u00a0000\u00a0kr (set at "
    )
    assert error.message.endswith("not 20\u00a0000\u00a0000\u00a0kr as scenario 'moved' expects")


def test_preconditions_see_the_data_before_their_scenario(tmp_path: Path, national: Bundle) -> None:
    """Composed twice, +5 MNOK finds the cap already raised by its first copy."""
    path = str(ROOT / "examples/national-2021/scenarios/ifs-plus-5-mnok.scenario")
    outcome = run(national, path, path)
    assert outcome.bundle is None
    assert codes(outcome.diagnostics) == ["KA703"]  # the failed copy's warnings are dropped


def test_a_scenario_is_applied_whole_or_not_at_all(tmp_path: Path, kongsberg: Bundle) -> None:
    a = write(
        tmp_path,
        "a.scenario",
        "pools:\n  kompetanseloft-kongsberg-2021: {expect: {cap: 9 MNOK}, set: {cap: 12 MNOK}}\n"
        "applications:\n  KB-08: remove\n",
    )
    b = write(tmp_path, "b.scenario", "applications:\n  KB-08: {set: {rank: 3}}\n")
    outcome = run(kongsberg, a, b)
    assert outcome.bundle is None
    # b ran against the data without a: KB-08 was not removed, so b has nothing to report
    assert codes(errors(outcome.diagnostics)) == ["KA703"]
    applied = apply(kongsberg, [read_scenario(a)[0]])  # type: ignore[list-item]
    assert applied.bundle is None


def test_setting_a_value_to_what_it_is_warns(tmp_path: Path, kongsberg: Bundle) -> None:
    path = write(
        tmp_path, "x.scenario", "applications:\n  KB-08: {set: {rank: 8, partial: false}}\n"
    )
    outcome = run(kongsberg, path)
    assert outcome.bundle is not None
    assert codes(outcome.diagnostics) == ["KA706", "KA706"]
    assert all(d.severity is Severity.WARNING for d in outcome.diagnostics)


def test_move_to_rank_keeps_the_rest_of_the_order(national: Bundle) -> None:
    path = str(ROOT / "examples/national-2021/scenarios/ifs-07-first.scenario")
    outcome = run(national, path)
    assert outcome.bundle is not None
    before = {k: a.rank for k, a in national.applications.items() if k.startswith("IFS")}
    after = {k: a.rank for k, a in outcome.bundle.applications.items() if k.startswith("IFS")}
    assert after["IFS-07"] == 1
    for app_id, rank in before.items():
        if app_id == "IFS-07" or rank is None:
            assert after[app_id] == rank or app_id == "IFS-07"
        elif rank < 8:
            assert after[app_id] == rank + 1
        else:
            assert after[app_id] == rank
    others = {k: a.rank for k, a in outcome.bundle.applications.items() if k.startswith("KUI")}
    assert others == {k: a.rank for k, a in national.applications.items() if k.startswith("KUI")}


def test_move_to_rank_downwards(tmp_path: Path, kongsberg: Bundle) -> None:
    path = write(tmp_path, "x.scenario", "applications:\n  KB-02: {move_to_rank: 5}\n")
    outcome = run(kongsberg, path)
    assert outcome.bundle is not None
    ranks = {k: a.rank for k, a in outcome.bundle.applications.items()}
    assert [ranks[f"KB-0{n}"] for n in range(1, 7)] == [1, 5, 2, 3, 4, 6]


def test_the_changed_data_is_validated_at_the_scenario_line(
    tmp_path: Path, kongsberg: Bundle
) -> None:
    path = write(
        tmp_path,
        "x.scenario",
        "applications:\n  KB-08: {set: {partial: true, min_grant: 2 MNOK}}\ninstitutions:\n  k-tech: remove\n",
    )
    outcome = run(kongsberg, path)
    assert outcome.bundle is not None  # applied, but the engine must refuse it
    found = {(d.code.value, d.span.path, d.span.line) for d in errors(outcome.diagnostics)}
    assert ("KA405", path, 2) in found  # min_grant above the request, at the scenario's value
    assert any(code == "KA302" and p.endswith("applications.yaml") for code, p, _ in found)


def test_set_paths_and_values(kongsberg: Bundle) -> None:
    change, problems = parse_set("pools.kompetanseloft-kongsberg-2021.cap=12,5 MNOK")
    assert change is not None and not problems
    assert change.set["cap"].value == 1_250_000_000
    change, problems = parse_set("pools.p.clusters=[kongsberg, raufoss]")
    assert change is not None and change.set["clusters"].value == ("kongsberg", "raufoss")
    _, problems = parse_set("pools.p.cap=12.5 MNOK")
    assert codes(problems) == ["KA205"]
    assert problems[0].span.path == "--set pools.p.cap"
    for bad, message in [
        ("pools.p.cap", "no '='"),
        ("pools.cap=1", "is not SECTION.ID.KEY"),
        ("pool.p.cap=1", "did you mean 'pools'?"),
        ("pools.p.cop=1", "did you mean 'cap'?"),
        ("pools.-p.cap=1", "is not a valid id"),
    ]:
        with pytest.raises(SetPathError, match=message):
            parse_set(bad)
    outcome = run(kongsberg, sets=["pools.kompetanseloft-kongsberg-2012.cap=1 MNOK"])
    assert outcome.bundle is None
    (error,) = outcome.diagnostics
    assert error.code is Code.SCENARIO_UNKNOWN_ID
    assert error.hint == "did you mean 'kompetanseloft-kongsberg-2021'?"


def test_ids_with_dots_work_in_set() -> None:
    change, _ = parse_set("applications.KB.2021.01.rank=3")
    assert change is not None and change.id == "KB.2021.01" and change.set["rank"].value == 3


# --- the effective data ----------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_effective_yaml_loads_back_to_the_same_allocation(tmp_path: Path, path: Path) -> None:
    base = KONGSBERG if "kongsberg" in str(path.parent) else NATIONAL
    bundle, _ = load(base)
    outcome = run(
        bundle,
        str(path),
        sets=['applications.KB-01.title="Tittel: «ny»\\n"'] if "kongsberg" in base[1] else None,
    )
    assert outcome.bundle is not None
    text = effective_yaml(
        outcome.bundle,
        sources=outcome.applied.sources,
        removed=outcome.applied.removed,
        base_files=bundle.files,
        scenarios=[str(path)],
    )
    file = tmp_path / "effective.yaml"
    file.write_text(text, encoding="utf-8")
    again, problems = load([str(file)])
    assert not errors(problems + validate(again))
    assert not [d for d in problems if d.severity is Severity.WARNING]
    for section in ("schemes", "pools", "clusters", "institutions", "applications", "limits"):
        mine, theirs = getattr(again, section), getattr(outcome.bundle, section)
        assert list(mine) == list(theirs)
        assert all(replace(mine[k], span=theirs[k].span) == theirs[k] for k in theirs), section
    expected = allocate(outcome.bundle).grants
    assert [(g.application, g.granted, g.status) for g in allocate(again).grants] == [
        (g.application, g.granted, g.status) for g in expected
    ]
    assert f"# {path}:" in text or "# from" in text or "#   removed:" in text


def test_effective_yaml_marks_what_changed_and_lists_what_was_removed(kongsberg: Bundle) -> None:
    path = str(ROOT / "examples/kongsberg-2021/scenarios/kb-08-withdraws.scenario")
    partial = str(ROOT / "examples/kongsberg-2021/scenarios/kb-08-accepts-partial.scenario")
    outcome = run(kongsberg, partial, path, sets=["applications.KB-01.rank=2"])
    assert outcome.bundle is not None
    text = effective_yaml(
        outcome.bundle, sources=outcome.applied.sources, removed=outcome.applied.removed
    )
    assert f"#   removed:  applications.KB-08 (by 'kb-08-withdraws' at {path}:10:3)" in text
    assert "  KB-08:" not in text
    assert "    rank: 2  # --set applications.KB-01.rank" in text


def test_the_scenario_examples_in_readme_read_without_problems(tmp_path: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What-if scenarios", 1)[1].split("\n## ", 1)[0]
    blocks = [
        b
        for b in re.findall(r"```yaml\n(.*?)\n```", section, flags=re.DOTALL)
        if "KB-" in b or "pools:" in b
    ]
    assert len(blocks) >= 2
    for n, block in enumerate(blocks):
        if block.startswith("  "):
            continue  # an excerpt of --effective output, checked in test_scenario_cli
        scenario, problems = read_scenario(write(tmp_path, f"{n}.scenario", block))
        assert scenario is not None and scenario.complete and not problems, problems
    both, _ = load([*NATIONAL, str(ROOT / "examples" / "kongsberg-2021")])
    example = next(b for b in blocks if "move_to_rank" in b)
    outcome = run(both, write(tmp_path, "example.scenario", example))
    assert outcome.bundle is not None and not errors(outcome.diagnostics)
