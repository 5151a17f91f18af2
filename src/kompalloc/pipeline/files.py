"""Files the tool writes and the digest of those it reads: atomic output, never over an input."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from kompalloc.pipeline.errors import OutputError, UsageError


def check_output_path(output: Path | None, inputs: Iterable[str]) -> None:
    """Refuse to write over an input file (a usage error)."""
    if output is None:
        return
    target = os.path.realpath(output)
    if any(os.path.realpath(f) == target for f in inputs):
        raise UsageError(f"refusing to write over the input file {output}")


def write_output(text: str, output: Path) -> None:
    """Write a whole text file atomically (UTF-8): see write_bytes_output."""
    write_bytes_output(text.encode("utf-8"), output)


def write_bytes_output(data: bytes, output: Path) -> None:
    """Write a whole file atomically: a temporary file beside it, then a rename.

    A reader never sees half a file, and a failed write leaves the old file as it was. The
    new file gets the old file's permissions, or the umask's for a new one (not mkstemp's 0600).
    """
    import tempfile

    folder = output.parent if str(output.parent) else Path()
    try:
        mode = stat.S_IMODE(output.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(mode)
        Path(tmp).replace(output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def inputs_digest(files: Iterable[str]) -> str:
    """SHA-256 over the sorted digests of the input files' bytes: independent of paths and order."""
    import hashlib

    parts = []
    for name in files:
        try:
            parts.append(hashlib.sha256(Path(name).read_bytes()).hexdigest())
        except OSError:
            parts.append("unreadable")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
