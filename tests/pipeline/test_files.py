"""Output files: atomic where a file can be replaced, written through where it cannot, never
over an input, no temporary file left behind, and a closed pipe exits 141."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, SCHEMES, invoke
from kompalloc.pipeline.errors import OutputError
from kompalloc.pipeline.files import NAME_MAX, temporary_prefix, write_output

KONGSBERG = [str(SCHEMES), str(EXAMPLES / "kongsberg-2021")]
NATIONAL = [str(SCHEMES), str(EXAMPLES / "national-2021")]


def test_a_new_file_is_written_whole_with_no_temporary_left(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_output("æøå\n", target)
    assert target.read_text(encoding="utf-8") == "æøå\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    write_output("new\n", link)
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "p.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output("through\n", fifo)
    reader.join(timeout=10)
    assert got == [b"through\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_dev_null_stays_a_device() -> None:
    write_output("nothing\n", Path("/dev/null"))
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_folder_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        write_output("x", tmp_path)


def test_the_longest_valid_name_can_be_written(tmp_path: Path) -> None:
    name = "å" * ((NAME_MAX - 4) // 2) + ".csv"  # 254 bytes in UTF-8
    assert len(name.encode()) <= NAME_MAX
    write_output("x\n", tmp_path / name)
    assert (tmp_path / name).read_text() == "x\n"
    assert len(temporary_prefix(name).encode()) + 8 + len(".tmp") <= NAME_MAX


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_a_temporary_left_by_a_killed_run_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    stale = tmp_path / f".out.csv.kompalloc-{_dead_pid()}-abcdefgh.tmp"
    live = tmp_path / f".out.csv.kompalloc-{os.getppid()}-abcdefgh.tmp"
    other = tmp_path / ".other.csv.kompalloc-1-abcdefgh.tmp"
    for path in (stale, live, other):
        path.write_text("half")
    write_output("whole\n", tmp_path / "out.csv")
    assert not stale.exists()
    assert live.exists()
    assert other.exists()  # another output's temporaries are not this write's business


def test_output_dash_writes_to_standard_output(runner: CliRunner) -> None:
    result = invoke(runner, "allocate", *KONGSBERG, "--format", "csv", "--output", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("application,round,")
    assert not Path("-").exists()


def test_output_onto_an_input_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "schemes"
    shutil.copytree(SCHEMES, copy)
    first = sorted(copy.glob("*.yaml"))[0]
    before = first.read_bytes()
    result = invoke(runner, "report", str(copy), str(EXAMPLES / "kongsberg-2021"), "-o", str(first))
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.stderr
    assert first.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["explain-code"],
        ["allocate", *NATIONAL],
        ["allocate", *NATIONAL, "--format", "csv"],
        ["allocate", *NATIONAL, "--format", "json"],
        ["validate", str(SCHEMES), str(EXAMPLES), "--format", "sarif"],
    ],
)
def test_a_closed_pipe_exits_141_quietly(args: list[str]) -> None:
    kompalloc = shutil.which("kompalloc")
    assert kompalloc is not None
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # smaller than each of these outputs
    with subprocess.Popen([kompalloc, *args], stdout=write_end, stderr=subprocess.PIPE) as child:
        os.close(write_end)
        os.read(read_end, 1)
        os.close(read_end)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 141, err
    assert b"Traceback" not in err
