"""The JSON Schema of the kompalloc format, generated from the field tables the loader reads with.

Editors with yaml-language-server use it to complete keys and flag mistakes while typing;
``kompalloc validate`` stays the judge (the schema cannot see money ambiguity or references).
"""

from __future__ import annotations

from typing import Any

from kompalloc import model
from kompalloc.loading.convert import FIELDS, ID_SCHEMA_PATTERN, SINGULAR, record_schema

SCHEMA_ID = "https://kompalloc.invalid/schema/v1.json"
"""A stable identifier only: the schema is printed by ``kompalloc schema``, not served."""


def json_schema() -> dict[str, Any]:
    """The whole format as a JSON Schema (draft 2020-12)."""
    sections = {
        section.value: {
            "type": ["object", "null"],
            "description": f"{section.value.capitalize()}, by id: each value is {SINGULAR[section]}.",
            "propertyNames": {"pattern": ID_SCHEMA_PATTERN},
            "additionalProperties": record_schema(FIELDS[section]),
        }
        for section in model.Section
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "kompalloc funding file",
        "description": "Schemes, pools, clusters, institutions and applications (format version 1).",
        "type": "object",
        "properties": {"kompalloc": {"const": 1, "description": "the format version"}, **sections},
        "additionalProperties": False,
    }
