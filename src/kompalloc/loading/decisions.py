"""Earlier rounds' decisions files: read, checked against the digest that pins them, turned into grants.

A decisions file is the JSON that ``kompalloc allocate --format json`` writes; its
``decided_grants`` list names, for every application that got money, the pools it drew on.
An ``earlier_rounds`` entry names the file (relative to the YAML file that names it) and its
SHA-256, so that a round built on it is reproducible: a changed file is an error, not a
silently different budget.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kompalloc import model
from kompalloc.diagnostics import Code, Diagnostic, error

MAX_DECISIONS_BYTES = 64 * 1024 * 1024
"""Like YAML files: no decisions file comes near this."""


def decisions_path(entry: model.EarlierRound) -> Path:
    """Where the decisions file is: relative to the YAML file that names it."""
    return Path(entry.span.path).parent / entry.decisions


def digest_of(data: bytes) -> str:
    """The SHA-256 a decisions file is pinned by, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def resolve(entry: model.EarlierRound, out: list[Diagnostic]) -> model.EarlierRound:
    """The entry with its round's grants read from its decisions file (none when it cannot be read)."""
    where = f"earlier_rounds.{entry.id}"
    path = decisions_path(entry)

    def unreadable(why: str) -> model.EarlierRound:
        out.append(
            error(
                Code.DECISIONS_UNREADABLE,
                f"decisions file {path}: {why}",
                entry.at("decisions"),
                f"{where}.decisions",
                hint="write it with 'kompalloc allocate ... --format json --output FILE'",
            )
        )
        return entry

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DECISIONS_BYTES + 1)
    except OSError as exc:
        return unreadable(f"cannot be read: {exc.strerror}")
    if len(data) > MAX_DECISIONS_BYTES:
        return unreadable("is larger than 64 MiB")
    found = digest_of(data)
    pinned = entry.sha256.strip().lower().removeprefix("sha256:")
    if pinned != found:
        out.append(
            error(
                Code.DECISIONS_DIGEST,
                f"decisions file {path} has sha256 {found}, not the one written here",
                entry.at("sha256"),
                f"{where}.sha256",
                hint=f"if the change is meant, write: sha256: {found}",
            )
        )
        return entry
    try:
        document: Any = json.loads(data.decode("utf-8"))
        rows = document["decided_grants"]
        grants = tuple(_grant(row) for row in rows)
        as_of_text = document.get("as_of")
        as_of = date.fromisoformat(as_of_text) if as_of_text else None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return unreadable("is not a decisions file with 'decided_grants' (kompalloc 0.1 or later)")
    return replace(entry, grants=grants, as_of=as_of)


def _grant(row: dict[str, Any]) -> model.RoundGrant:
    pools = tuple(str(p) for p in row["pools"])
    granted = row["granted_ore"]
    year = row["year"]
    if type(granted) is not int or granted < 0 or type(year) is not int or not pools:
        raise ValueError("not a grant")
    return model.RoundGrant(
        application=str(row["application"]),
        scheme=str(row["scheme"]),
        year=year,
        pools=pools,
        granted=granted,
        status=str(row["status"]),
        institution=row.get("institution"),
        cluster=row.get("cluster"),
    )
