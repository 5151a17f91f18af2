"""The JSON Schema printed by ``kompalloc schema`` accepts the bundled data and catches typos."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import ROOT
from kompalloc.cli.app import app


class EditorLoader(yaml.SafeLoader):
    """Roughly what an editor's YAML 1.2 reader sees: dates stay text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


FILES = sorted(p for p in (*ROOT.glob("schemes/*.yaml"), *ROOT.glob("examples/**/*.yaml")))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bundled_file_satisfies_the_schema(path: Path) -> None:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
    jsonschema.Draft202012Validator(schema()).validate(document)


@pytest.mark.parametrize(
    "source",
    [
        "pools: {p: {scheme: s, year: 2021, cap: 1, colour: red}}",  # unknown key
        "pools: {p: {scheme: s, year: 2021}}",  # cap missing
        "institutions: {u: {name: U, type: universitett}}",  # not an institution type
        "applications: {A: {partial: maybe}}",  # and the required keys are missing
        "clusters: {k: {name: K}}\nregions: {}",  # unknown section
        "pools: {p: {scheme: s, year: 2021, cap: 1.5 MNOK}}",  # a dot in an amount
    ],
)
def test_the_schema_flags_mistakes_while_typing(source: str) -> None:
    document = yaml.load(source, Loader=EditorLoader)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema()).validate(document)


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "kompalloc.schema.json"
    result = CliRunner().invoke(app, ["schema", "--output", str(target)], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema()
