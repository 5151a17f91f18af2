"""Earlier rounds' decisions files (loading/earlier.py): whatever the pinned file holds, a located
error, never a traceback."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, invoke


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000,  # nesting deeper than Python's recursion limit
        b'{"decided_grants": [{"granted_ore": 1.5}]}',
        b'{"decided_grants": 7}',
        b"\xff\xfe not text",
    ],
)
def test_a_pinned_file_that_is_no_decisions_file_is_ka801(tmp_path: Path, content: bytes) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(ROOT / "examples/industrifagskolen-ledger", ledger)
    (ledger / "spring.decisions.json").write_bytes(content)
    earlier = ledger / "autumn" / "earlier.yaml"
    pinned = re.sub(
        r"sha256: [0-9a-f]{64}",
        f"sha256: {hashlib.sha256(content).hexdigest()}",
        earlier.read_text(encoding="utf-8"),
    )
    earlier.write_text(pinned, encoding="utf-8")
    result = invoke(
        CliRunner(),
        "validate",
        str(ROOT / "schemes/institutions.yaml"),
        str(ROOT / "schemes/clusters.yaml"),
        str(ledger / "budget"),
        str(ledger / "autumn"),
        "--no-cache",
    )
    assert result.exit_code == 1, result.output
    assert "KA801" in result.stdout
    assert "earlier.yaml:" in result.stdout  # located at the entry that names the file
