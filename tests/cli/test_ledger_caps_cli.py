"""Earlier grants count against shares and limits, through the CLI: a cluster share and a
per-institution limit, each partly used by a spring grant, leave the autumn round only what
the spring left of them; a spring grant alone over the share is KA805, located at the grant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SCHEMES, invoke

ROUND = """\
kompalloc: 1

schemes:
  kl:
    name: Kompetanseløft
    administrator: HK-dir
    institution_types: [fagskole_offentlig]

pools:
  kl-2021:
    name: Kompetanseløft 2021
    scheme: kl
    year: 2021
    cap: "10 MNOK"
    max_share_per_cluster: "25 %"

limits:
  per-institution:
    cap: "4 MNOK"
    per: institution

grants:
  SPRING-01:
    title: "Spring grant to Raufoss"
    scheme: kl
    institution: fagskolen-innlandet
    cluster: raufoss
    years: {2021: "AMOUNT"}
    decided: 2021-03-01

applications:
  AUT-01:
    scheme: kl
    year: 2021
    institution: fagskolen-innlandet
    cluster: raufoss
    title: "Automatisering (10 stp)"
    requested: "1 MNOK"
    submitted: 2021-09-10
    rank: 1
    partial: true
  AUT-02:
    scheme: kl
    year: 2021
    institution: fagskolen-innlandet
    cluster: kongsberg
    title: "Robotikk (10 stp)"
    requested: "3 MNOK"
    submitted: 2021-09-10
    rank: 2
    partial: true
"""
COMMON = [str(SCHEMES / "institutions.yaml"), str(SCHEMES / "clusters.yaml")]
KR = 100  # øre


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def written(tmp_path: Path, spring: str) -> str:
    path = tmp_path / "round.yaml"
    path.write_text(ROUND.replace("AMOUNT", spring), encoding="utf-8")
    return str(path)


def granted(runner: CliRunner, path: str) -> dict[str, tuple[int, str]]:
    result = invoke(runner, "allocate", *COMMON, path, "--format", "json")
    assert result.exit_code == 0, result.output
    decided = json.loads(result.stdout)["decided_grants"]
    return {g["application"]: (g["granted_ore"], g["status"]) for g in decided}


def test_the_autumn_gets_what_the_spring_left_of_a_share_and_a_limit(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Raufoss's 25 % share is 2,5 MNOK, 2 MNOK of it granted in the spring: AUT-01 gets the
    # 500 000 kr left. The institution's 4 MNOK limit, 2,5 MNOK of it used by then: AUT-02 gets
    # 1,5 MNOK, though the pool has 7,5 MNOK left.
    got = granted(runner, written(tmp_path, "2 MNOK"))
    assert got == {"AUT-01": (500_000 * KR, "partial"), "AUT-02": (1_500_000 * KR, "partial")}
    explained = invoke(runner, "explain", "AUT-01", *COMMON, str(tmp_path / "round.yaml"))
    assert explained.exit_code == 0, explained.output
    assert "per cluster (raufoss) had 500 000 kr left" in explained.stdout.replace("\xa0", " ")
    # A smaller spring grant leaves more of both.
    got = granted(runner, written(tmp_path, "1 MNOK"))
    assert got == {"AUT-01": (1_000_000 * KR, "funded"), "AUT-02": (2_000_000 * KR, "partial")}


def test_a_spring_grant_alone_over_the_share_is_an_error_at_the_grant(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = written(tmp_path, "3 MNOK")
    result = invoke(runner, "validate", *COMMON, path, "--format", "json")
    assert result.exit_code != 0
    diagnostics = json.loads(result.stdout)["diagnostics"]
    over = [d for d in diagnostics if d["code"] == "KA805"]
    assert len(over) == 1, diagnostics
    assert over[0]["severity"] == "error"
    assert "25 % share of pool Kompetanseløft 2021 per cluster (raufoss)" in over[0]["message"]
    assert "by 500 000 kr" in over[0]["message"].replace("\xa0", " ")
    line = ROUND.splitlines().index("  SPRING-01:") + 1
    assert (over[0]["file"], over[0]["path"]) == (path, "grants.SPRING-01"), over[0]
    assert over[0]["start"] == {"line": line, "column": 3}
    checked = invoke(runner, "allocate", *COMMON, path)
    assert checked.exit_code != 0  # refused, as for any error
