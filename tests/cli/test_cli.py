"""The CLI through Typer's CliRunner: exit codes, refusals, output files, and golden reports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, check_golden, invoke
from kompalloc import __version__
from kompalloc.cli.app import app

KONGSBERG = ["schemes", "examples/kongsberg-2021"]
NATIONAL = ["schemes", "examples/national-2021"]


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths, as README uses them: diagnostics and stamps name files the same way.
    monkeypatch.chdir(ROOT)


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.output == f"kompalloc {__version__}\n"


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kompalloc", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"kompalloc {__version__}"


COMMANDS = [c.name for c in app.registered_commands]


def test_the_commands_are_the_documented_ones() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### kompalloc ([a-z-]+)$", readme, flags=re.MULTILINE)
    assert sorted(COMMANDS) == sorted(documented)  # type: ignore[type-var]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_that_is_in_readme(
    runner: CliRunner, command: str
) -> None:
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example: kompalloc " + command in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"### kompalloc {command}" in readme
    assert f"kompalloc {command} " in readme


def test_bundled_data_validates_with_only_the_designed_rejections(runner: CliRunner) -> None:
    result = invoke(runner, "validate", "schemes", "examples", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["valid"] is True and document["errors"] == 0
    found = {(d["code"], d["path"].split(".")[1]) for d in document["diagnostics"]}
    # Each example rejection is there on purpose; see the comments in the example files.
    assert found == {
        ("KA501", "BPIB-08"),  # a university applying to a fagskole programme
        ("KA501", "KUI-09"),  # a private course provider applying to KUI
        ("KA502", "KUI-10"),  # submitted the day after the deadline
        ("KA503", "IFS-09"),  # no employee representative
        ("KA408", "BPMAR-01"),  # asks more than the sub-pool's max grant (accepts partial)
        ("KA408", "KUI-01"),  # likewise
    }


def test_validate_reports_every_error_at_once_with_positions(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "pools:\n"
        "  p:\n"
        "    scheme: nope\n"
        "    year: 2021\n"
        "    cap: 1.5 MNOK\n"
        "applications:\n"
        "  A:\n"
        "    scheme: nope\n"
        "    year: 2021\n"
        "    institution: usn\n"
        "    title: T\n"
        "    requested: -5\n"
        "    submitted: 2021-02-30\n"
        "    partial: yes\n",
        encoding="utf-8",
    )
    result = invoke(runner, "validate", str(bad))
    assert result.exit_code == 1
    out = result.stdout
    for expected in (
        f"{bad}:3:13: error KA314 no schemes loaded: 3 references",
        f"{bad}:5:10: error KA205",
        f"{bad}:12:16: error KA205",
        f"{bad}:13:16: error KA208",
        f"{bad}:14:14: error KA207",
    ):
        assert expected in out, expected
    assert out.splitlines()[-1] == "5 errors, 0 warnings in 1 file"


@pytest.mark.parametrize("command", ["allocate", "report"])
def test_allocate_and_report_refuse_input_with_errors(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("clusters:\n  k: {name: K, colour: red}\n", encoding="utf-8")
    result = invoke(runner, command, str(bad))
    assert result.exit_code == 1
    assert "error KA202 unknown key 'colour'" in result.stderr
    assert "not allocating input with errors" in result.stderr
    assert result.stdout == ""


def test_a_missing_path_is_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, "validate", "schemes", "no/such/folder")
    assert result.exit_code == 2
    assert "error KA001 no such file or folder: no/such/folder" in result.stdout


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "schemes", "--format", "nope"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("report-kongsberg.txt", ["report", *KONGSBERG]),
        ("report-national.txt", ["report", *NATIONAL]),
        ("allocate-national.txt", ["allocate", *NATIONAL]),
        ("report-national.md", ["report", *NATIONAL, "--format", "markdown"]),
        ("report-national.csv", ["report", *NATIONAL, "--format", "csv"]),
    ],
)
def test_golden_reports(runner: CliRunner, name: str, args: list[str]) -> None:
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)


@pytest.mark.parametrize("width", [80, 120])
def test_golden_report_fits_other_widths(width: int) -> None:
    runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"})
    result = invoke(runner, "report", *NATIONAL)
    assert result.exit_code == 0
    check_golden(f"report-national-{width}.txt", result.stdout)
    tables = result.stdout.split("\n\nkompalloc 0.1.0")[0].split("Amounts in kroner.")[0]
    assert max(len(line) for line in tables.splitlines()) <= width


def colour_codes(text: str) -> list[str]:
    """SGR sequences that set a colour (30-37, 38;..., 90-97, and backgrounds)."""
    return re.findall(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[0-9;]*m", text)


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    command = [sys.executable, "-m", "kompalloc", "validate", "schemes", "examples"]
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=base, check=False)
    assert "\x1b[" not in piped.stdout  # not a terminal: no escape codes at all
    forced = {**base, "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    coloured = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=forced, check=False
    )
    assert colour_codes(coloured.stdout)  # the check can fail: a terminal does get colour
    plain = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**forced, "NO_COLOR": "1"},
        check=False,
    )
    assert colour_codes(plain.stdout) == []


def _report_json(runner: CliRunner, args: list[str]) -> dict:  # type: ignore[type-arg]
    result = invoke(runner, "report", *args, "--format", "json")
    assert result.exit_code == 0
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("args", [KONGSBERG, NATIONAL])
def test_report_reconciles_to_the_ore(runner: CliRunner, args: list[str]) -> None:
    doc = _report_json(runner, args)
    assert doc["amounts"] == "øre" and doc["format_version"] == 1
    tables = doc["tables"]
    for row in tables["pools"]["rows"]:
        assert row["cap_ore"] == row["committed_ore"] + row["granted_ore"] + row["remaining_ore"]
        assert row["remaining_ore"] >= 0
    apps = tables["applications"]["rows"]
    granted = sum(r["granted_ore"] for r in apps)
    assert granted == tables["applications"]["totals"]["granted_ore"]
    assert granted == tables["pools"]["totals"]["granted_ore"]
    assert granted == tables["clusters"]["totals"]["granted_ore"]
    assert all(isinstance(r["granted_ore"], int) for r in apps)


def test_the_national_round_binds_caps_at_every_level(runner: CliRunner) -> None:
    """The example exists to show every kind of cap at work; keep it that way."""
    doc = _report_json(runner, NATIONAL)
    rows = {r["application"]: r for r in doc["tables"]["applications"]["rows"]}
    assert rows["IFS-01"]["reason"] == "rest of sub-pool"
    assert rows["IFS-01"]["binding_cap"] == "pool:industrifagskolen-2021-kongsberg"
    assert rows["KUI-08"]["reason"] == "rest of pool"
    assert rows["KUI-03"]["reason"] == "rest of institution cap"
    assert rows["KUI-01"]["reason"] == "max grant"
    assert rows["KUI-09"]["status"] == "rejected"
    for row in doc["tables"]["pools"]["rows"]:
        assert row["cap_ore"] > 0


def test_output_file_is_written_whole_and_never_over_an_input(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    result = invoke(runner, "report", *KONGSBERG, "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["tables"]["pools"]["rows"]
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary files left

    scheme = ROOT / "schemes" / "industrifagskolen.yaml"
    before = scheme.read_bytes()
    result = invoke(runner, "report", *NATIONAL, "--output", str(scheme))
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.stderr
    assert scheme.read_bytes() == before


def test_unwritable_output_is_exit_3(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "report", *KONGSBERG, "--output", str(tmp_path / "missing" / "r.txt"))
    assert result.exit_code == 3
    assert result.stderr.startswith("kompalloc: cannot write")


def test_a_closed_pipe_is_not_a_traceback() -> None:
    command = f"{sys.executable} -m kompalloc report schemes examples/national-2021 | head -n 1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.stdout.strip() == "Schemes and pools"
    assert "Traceback" not in done.stderr


def test_warnings_are_counted_in_one_line_on_stderr_when_allocating(runner: CliRunner) -> None:
    result = invoke(runner, "allocate", *NATIONAL, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        "kompalloc: 6 warnings; 'kompalloc validate' with the same paths shows them\n"
    )
    assert json.loads(result.stdout)["tables"]["rounds"]["rows"]


def test_ctrl_c_is_a_clear_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kompalloc.loading
    from kompalloc.cli import main as app_module

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kompalloc.loading, "load", interrupted)
    monkeypatch.setattr(sys, "argv", ["kompalloc", "validate", "schemes"])
    with pytest.raises(SystemExit) as exit_info:
        app_module.main()
    assert exit_info.value.code == 130
    assert capsys.readouterr().err == "kompalloc: interrupted\n"


def test_explain_tells_the_story_of_one_application(runner: CliRunner) -> None:
    result = invoke(runner, "explain", "KUI-03", *NATIONAL)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("KUI-03: ")
    assert "Decision: partial, 2\u00a0000\u00a0000\u00a0kr (rest of institution cap)" in out
    assert "2. Place 3 of 10 in the order (rank 3)." in out
    assert (
        "the institution cap of sub-pool Eksportklynger had 2\u00a0000\u00a0000\u00a0kr left" in out
    )
    result = invoke(runner, "explain", "KUI-3", *NATIONAL)
    assert result.exit_code == 2
    assert "did you mean 'KUI-03'?" in result.stderr


def test_check_finds_no_difference_then_every_difference(runner: CliRunner, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    assert invoke(runner, "allocate", *NATIONAL, "-f", "json", "-o", str(decisions)).exit_code == 0
    same = invoke(runner, "check", str(decisions), *NATIONAL)
    assert same.exit_code == 0
    assert same.stdout.startswith("kompalloc check: all 36 grants match")
    changed = invoke(runner, "check", str(decisions), *NATIONAL, "--method", "pro_rata")
    assert changed.exit_code == 1
    assert (
        "~ IFS-08: partial 1\u00a0850\u00a0000\u00a0kr -> funded 2\u00a0000\u00a0000\u00a0kr"
        in changed.stdout
    )
    assert changed.stdout.splitlines()[-1].startswith(
        "kompalloc check: 14 of 36 applications differ"
    )
    decisions.write_text("{}", encoding="utf-8")
    broken = invoke(runner, "check", str(decisions), *NATIONAL)
    assert broken.exit_code == 2
    assert "is not a decisions file" in broken.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "fair"], "unknown method 'fair'"),
        (["--method", "nope=pro_rata"], "--method: no root pool 'nope'"),
        (["--method", "apportion"], "--method apportion needs the pool's 'apportion:' settings"),
    ],
)
def test_bad_method_overrides_are_usage_errors(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = invoke(runner, "allocate", *NATIONAL, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_as_of_leaves_out_later_applications_and_says_so(runner: CliRunner) -> None:
    result = invoke(runner, "allocate", *NATIONAL, "--as-of", "2021-09-10", "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2021-09-10"
    left_out = doc["left_out_as_of"]
    assert "KUI-01" in left_out and "KUI-10" in left_out
    ids = {r["application"] for r in doc["tables"]["applications"]["rows"]}
    assert not ids & set(left_out)
    assert len(ids) + len(left_out) == 36
    text = invoke(runner, "report", *NATIONAL, "--as-of", "2021-09-10").stdout
    assert text.rstrip().endswith(f"as of 2021-09-10 ({len(left_out)} submitted later left out)")
    bad = invoke(runner, "report", *NATIONAL, "--as-of", "15.09.2021")
    assert bad.exit_code == 2
    assert "--as-of: '15.09.2021' is not a date" in bad.stderr


def test_output_files_get_ordinary_permissions(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    old = os.umask(0o022)
    try:
        assert invoke(runner, "report", *KONGSBERG, "-f", "csv", "-o", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)  # an existing file keeps its own permissions
    assert invoke(runner, "report", *KONGSBERG, "-f", "csv", "-o", str(target)).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600


def test_quiet_and_verbose(runner: CliRunner) -> None:
    quiet = invoke(runner, "--quiet", "allocate", *NATIONAL)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = invoke(runner, "--verbose", "allocate", *NATIONAL)
    assert "warning KA501 application 'BPIB-08' will be rejected" in verbose.stderr
    assert verbose.stderr.endswith("0 errors, 6 warnings in 13 files\n")
    assert quiet.stdout == verbose.stdout
    bad = invoke(runner, "-q", "allocate", "no/such/path")
    assert bad.exit_code == 2 and "KA001" in bad.stderr  # errors are never silenced


def test_load_reports_progress_per_file(tmp_path: Path) -> None:
    from kompalloc.loading import load

    for n in range(3):
        (tmp_path / f"f{n}.yaml").write_text(f"clusters:\n  c{n}: {{name: C}}\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    bundle, _ = load([str(tmp_path)], lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert len(bundle.clusters) == 3


def test_the_stamp_records_command_line_overrides(runner: CliRunner) -> None:
    args = ["allocate", *KONGSBERG, "--set", "pools.kompetanseloft-kongsberg-2021.cap=12MNOK"]
    result = invoke(runner, *args, "--method", "pro_rata", "-f", "json")
    assert result.exit_code == 0, result.output
    overrides = json.loads(result.stdout)["overrides"]
    assert overrides == [
        "--set pools.kompetanseloft-kongsberg-2021.cap=12MNOK",
        "--method pro_rata",
    ]
    line = invoke(runner, *args).stdout.rstrip().splitlines()[-1]
    assert line.endswith("· --set pools.kompetanseloft-kongsberg-2021.cap=12MNOK")
