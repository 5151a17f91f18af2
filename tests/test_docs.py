"""README stays true: its commands and examples run, and every code and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app
from kompalloc.diagnostics import Code
from kompalloc.explanations import EXPLANATIONS, markdown_table

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_diagnostic_code_is_explained_and_readme_has_the_generated_table() -> None:
    assert set(EXPLANATIONS) == set(Code)
    assert all(meaning for meaning, _ in EXPLANATIONS.values())
    assert markdown_table() in README


def test_quick_start_has_exactly_the_two_commands_and_ci_runs_the_second() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick, flags=re.DOTALL)
    assert len(commands) == 2
    assert "kompalloc report schemes examples/national-2021" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.DOTALL)
    return [
        line for block in blocks for line in block.splitlines() if line.startswith("kompalloc ")
    ]


def test_every_command_in_readme_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_real_home: Path
) -> None:
    """Each command in README's bash blocks, in order: files a command writes are read by later ones.

    HOME is a temporary folder (conftest), and the shell is said to be bash, so that
    --install-completion writes there, whatever shell runs the tests (or none).
    """
    import typer._completion_shared

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(typer._completion_shared, "_get_shell_name", lambda: "bash")
    written: dict[str, str] = {}
    commands = readme_commands()
    assert len(commands) > 15
    for line in commands:
        args = [written.get(arg, arg) for arg in line.split()[1:]]
        if args[0] == "init":  # make the folder in the temporary folder, not in the checkout
            args[1] = str(tmp_path / args[1])
        for flag in ("--output", "-o", "--export"):
            if flag in args:  # write into a temporary folder, not into the checkout
                i = args.index(flag) + 1
                written[args[i]] = args[i] = str(tmp_path / Path(args[i]).name)
        result = runner.invoke(app, args, catch_exceptions=False)
        # A validate example may show a failing check on purpose (--error, --strict): exit 1.
        failing = args[0] == "validate" and ("--error" in args or "--strict" in args)
        assert result.exit_code in ((0, 1) if failing else (0,)), (line, result.output)
    assert "--install-completion" in "\n".join(commands)
    assert (no_real_home / ".bash_completions" / "kompalloc.sh").is_file()


def test_the_yaml_example_in_readme_is_valid(runner: CliRunner, tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)\n```", README, flags=re.DOTALL)
    example = next(b for b in blocks if "IFS-01:" in b)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("0 errors, 0 warnings in 1 file\n")
    result = runner.invoke(app, ["allocate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "partial" in result.output  # 6 MNOK Kongsberg share < 6,83 MNOK asked


def test_every_key_of_every_section_is_in_the_format_reference() -> None:
    from kompalloc.loading.convert import FIELDS

    reference = README.split("## The YAML format", 1)[1].split("## Diagnostic codes", 1)[0]
    for section, fields in FIELDS.items():
        part = reference.split(f"### {section.value}\n", 1)[1].split("\n### ", 1)[0]
        for key in fields:
            assert f"| `{key}` |" in part, f"{section.value}.{key} is not in README"


def test_your_first_round_walks_through_a_round_before_the_reference() -> None:
    headings = re.findall(r"^## (.+)$", README, flags=re.MULTILINE)
    assert headings.index("Your first round") < headings.index("Commands")
    walk = README.split("## Your first round", 1)[1].split("\n## ", 1)[0]
    commands = [
        line
        for block in re.findall(r"```bash\n(.*?)\n```", walk, flags=re.DOTALL)
        for line in block.splitlines()
    ]
    steps = [c.split()[1] for c in commands]
    for step in ("init", "import", "validate", "allocate", "explain", "report"):
        assert step in steps, step
    assert steps.index("init") < steps.index("import") < steps.index("validate")
    assert any("--set" in c or "--scenario" in c for c in commands)  # a what-if
    assert any("--export" in c for c in commands) and any("xlsx" in c for c in commands)
