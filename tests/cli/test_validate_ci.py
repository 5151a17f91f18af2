"""validate for CI: severity policy (strict, ignore, error, file directives), GitHub and SARIF output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kompalloc.cli.app import app
from kompalloc.diagnostics import Code, Diagnostic, Severity, error, warning
from kompalloc.policy import Policy, enforce, file_policy, parse_codes
from kompalloc.reporting.diagnostics_view import as_github
from kompalloc.source import Span

ROUND = """\
schemes:
  s: {name: S, administrator: HK-dir, institution_types: [universitet]}
pools:
  p: {scheme: s, year: 2021, cap: 10 MNOK}
  p-a: {parent: p, clusters: [a], cap: 6 MNOK}
  p-b: {parent: p, clusters: [b], cap: 6 MNOK}
clusters:
  a: {name: A}
  b: {name: B}
institutions:
  u: {name: U, type: universitet}
applications:
  A1: {scheme: s, year: 2021, institution: u, title: T, requested: 0, submitted: 2021-09-01}
"""
# Two warnings: KA402 at 4:35 (sub-pool caps 12 > 10) and KA407 at 13:68 (requests 0).


def run(tmp_path: Path, *args: str, source: str = ROUND):  # type: ignore[no-untyped-def]
    path = tmp_path / "round.yaml"
    path.write_text(source, encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    return runner.invoke(app, ["validate", str(path), *args], catch_exceptions=False), path


def codes(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    doc = json.loads(result.stdout)
    return [(d["code"], d["severity"]) for d in doc["diagnostics"]]


def test_warnings_pass_by_default(tmp_path: Path) -> None:
    result, _ = run(tmp_path, "--format", "json")
    assert result.exit_code == 0
    assert codes(result) == [("KA402", "warning"), ("KA407", "warning")]


def test_strict_makes_every_warning_fail(tmp_path: Path) -> None:
    result, _ = run(tmp_path, "--format", "json", "--strict")
    assert result.exit_code == 1
    assert codes(result) == [("KA402", "error"), ("KA407", "error")]


def test_ignore_and_error_per_run(tmp_path: Path) -> None:
    result, _ = run(tmp_path, "--format", "json", "--ignore", "KA402", "--error", "ka407")
    assert result.exit_code == 1
    assert codes(result) == [("KA407", "error")]
    result, _ = run(tmp_path, "--format", "json", "--ignore", "KA402,KA407", "--strict")
    assert result.exit_code == 0
    assert codes(result) == []


def test_a_file_directive_applies_to_that_file_only(tmp_path: Path) -> None:
    source = "# kompalloc: ignore KA402\n# kompalloc: error KA407\n" + ROUND
    result, _ = run(tmp_path, "--format", "json", source=source)
    assert result.exit_code == 1
    assert codes(result) == [("KA407", "error")]


def test_unknown_codes_on_the_command_line_are_a_usage_error(tmp_path: Path) -> None:
    result, _ = run(tmp_path, "--ignore", "KA9999")
    assert result.exit_code == 2
    assert "unknown code KA9999" in result.stderr


def test_errors_can_be_neither_silenced_nor_demoted() -> None:
    span = Span("f.yaml", 1, 1, 1, 2)
    diagnostics = [error(Code.BAD_MONEY, "m", span), warning(Code.ZERO_REQUEST, "z", span)]
    kept = enforce(diagnostics, Policy(ignore=frozenset({Code.BAD_MONEY, Code.ZERO_REQUEST})))
    assert [d.code for d in kept] == [Code.BAD_MONEY]
    assert kept[0].severity is Severity.ERROR


def test_directives_and_code_lists_are_parsed_exactly() -> None:
    text = "a: 1\n  #  kompalloc: ignore KA402, ka407 KA999\n# not kompalloc: error KA401\n"
    policy = file_policy(text)
    assert policy.ignore == {Code.SUBPOOL_CAPS_OVER_PARENT, Code.ZERO_REQUEST}
    assert policy.error == frozenset()
    assert parse_codes(["KA101, KA102", "nope"]) == (
        frozenset({Code.YAML_SYNTAX, Code.DUPLICATE_KEY}),
        ["nope"],
    )


def test_github_annotations_point_at_the_lines_and_escape_what_they_must(tmp_path: Path) -> None:
    result, path = run(tmp_path, "--format", "github", "--strict")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={path},line=4,col=35,endLine=4,endColumn=42,title=kompalloc KA402::"
        "the caps of the 2 sub-pools of 'p' add up to 12\u00a0000\u00a0000\u00a0kr, more than "
        "its cap 10\u00a0000\u00a0000\u00a0kr (hint: allowed (sub-pool caps are ceilings, not "
        "reservations; the parent's cap still holds), but check that this is intended)"
    )
    assert lines[1].startswith(f"::error file={path},line=13,col=68,")
    # The full text list follows, because GitHub shows only 10 annotations per step.
    assert lines[-1] == "2 errors, 0 warnings in 1 file"
    span = Span("a,b:c.yaml", 1, 1, 1, 2)
    escaped = as_github([Diagnostic(Code.YAML_SYNTAX, Severity.ERROR, "50% bad\nline", span)])
    assert escaped.startswith("::error file=a%2Cb%3Ac.yaml,line=1,col=1,")
    assert escaped.endswith("::50%25 bad%0Aline\n")


def test_sarif_is_a_2_1_0_log_with_rules_and_located_results(tmp_path: Path) -> None:
    result, path = run(tmp_path, "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.value for c in Code]
    first = run_["results"][0]
    assert first["ruleId"] == "KA402" and first["level"] == "warning"
    assert rules[first["ruleIndex"]]["id"] == "KA402"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == path.as_posix()
    assert location["region"] == {"startLine": 4, "startColumn": 35, "endLine": 4, "endColumn": 42}


@pytest.mark.parametrize("code", [c.value for c in Code])
def test_explain_code_knows_every_code(code: str) -> None:
    result = CliRunner().invoke(app, ["explain-code", code.lower()], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{code} (")


def test_explain_code_lists_all_and_refuses_unknown() -> None:
    result = CliRunner().invoke(app, ["explain-code"], catch_exceptions=False)
    assert len(result.stdout.splitlines()) == len(Code)
    result = CliRunner().invoke(app, ["explain-code", "KA3022"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "did you mean 'KA302'?" in result.stderr
