"""compare as a plan (issue 13): one line per change, grouped by round, then clusters and pools."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import invoke

NATIONAL = ["schemes", "examples/national-2021"]
S = "examples/national-2021/scenarios/"


def test_the_plan_reads_like_terraform_plan(runner: CliRunner) -> None:
    result = invoke(runner, "compare", *NATIONAL, "--scenario", S + "ifs-plus-5-mnok.scenario")
    out = result.stdout.replace("\u00a0", " ")
    assert (
        "    ~ IFS-07 Fagskolen i Hordaland (Stord/Sunnhordland): not funded -> funded "
        "+1 900 000 kr"
    ) in out
    assert "~ IFS-08 Fagskolen i Rogaland: partial 1 850 000 kr -> funded 2 000 000 kr" in out
    lines = out.splitlines()
    heads = [lines.index(h) for h in ("  Industrifagskolen 2021", "  Per cluster", "  Per pool")]
    assert heads == sorted(heads)
    flat = " ".join(out.split())
    assert "(cap 37 800 000 kr -> 42 800 000 kr) +3 050 000 kr" in flat


def test_signs_are_the_same_in_every_format(runner: CliRunner) -> None:
    args = ["compare", *NATIONAL, "--scenario", S + "ifs-07-first.scenario"]
    table = invoke(runner, *args).stdout
    markdown = invoke(runner, *args, "--format", "markdown").stdout
    for out in (table, markdown):
        assert "-2\u00a0200\u00a0000" in out and "+1\u00a0900\u00a0000" in out
    document = json.loads(invoke(runner, *args, "--format", "json").stdout)
    changes = {(c["kind"], c["id"]): c for c in document["plan"]}
    assert changes[("application", "IFS-06")]["change_ore"] == -220_000_000
    assert changes[("application", "IFS-06")]["mark"] == "~"
    assert changes[("application", "IFS-06")]["status"] == "not funded"
    rows = {r["id"]: r for r in document["tables"]["plan"]["rows"] if r["kind"] == "application"}
    assert rows["IFS-07"]["change_ore"] == 190_000_000


def test_the_exit_code_is_as_before(runner: CliRunner) -> None:
    args = ["compare", *NATIONAL, "--scenario", S + "ifs-07-first.scenario", "--exit-code"]
    assert invoke(runner, *args).exit_code == 4
