"""Files the tool writes and the digest of those it reads: atomic output, never over an input."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from kompalloc.pipeline.errors import OutputError, UsageError


def check_output_path(output: Path | None, inputs: Iterable[str]) -> None:
    """Refuse to write over an input file (a usage error)."""
    if output is None:
        return
    target = os.path.realpath(output)
    if any(os.path.realpath(f) == target for f in inputs):
        raise UsageError(f"refusing to write over the input file {output}")


STDOUT = "-"
"""``--output -``: standard output."""
NAME_MAX = 255
"""The longest file name, in bytes, that common file systems take."""
_TMP_SUFFIX = ".tmp"
_RANDOM = 8
"""Characters tempfile adds to make a name unique."""


BLOCK = 1 << 20
"""Text made in pieces is written in blocks of about this many characters."""

Data = bytes | Iterable[bytes]
"""What is written: all the bytes, or blocks of them written as they are made."""


def encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """Pieces of text as UTF-8 blocks of about BLOCK characters (few writes, little held)."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        if len(piece) >= BLOCK:  # a large piece as it is, not copied into a join first
            if held:
                yield "".join(held).encode("utf-8")
                held, size = [], 0
            yield piece.encode("utf-8")
            continue
        held.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    if held:
        yield "".join(held).encode("utf-8")


def write_output(text: str | Iterable[str], output: Path) -> None:
    """Write a text file atomically (UTF-8), whole or from pieces as they are made: see
    write_bytes_output."""
    write_bytes_output(text.encode("utf-8") if isinstance(text, str) else encoded(text), output)


def _blocks(data: Data) -> Iterable[bytes]:
    return (data,) if isinstance(data, bytes) else data


def write_text_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """Write text made piece by piece (CSV a batch of rows at a time, JSON a row at a time) to
    standard output (``output`` None) or to a file as write_bytes_output does, encoding the
    pieces in blocks as they come, so the whole text is never held at once."""
    if output is None:
        write_stdout(chunks)
        return
    write_output(chunks, output)


def write_bytes_output(data: Data, output: Path) -> None:
    """Write a whole file: atomically where it is a regular file (or a new one), else through.

    ``data`` may be blocks made while the file is written (streamed output): a regular file's
    temporary is renamed only after the last block, so a failure while making them leaves the
    old file as it was.

    A regular file gets a temporary file beside it, flushed to disk, then renamed over it (and
    the folder flushed), so a reader never sees half a file and a failed write leaves the old
    file as it was; the new file keeps the old one's permissions, or the umask's for a new one.
    A symbolic link is followed, so the file it names is replaced, not the link. ``-``, a
    FIFO, a character device (``/dev/null``, a terminal) and ``/dev/stdout`` are written
    through, as they cannot be replaced; a folder, socket or block device is refused.
    """
    if str(output) == STDOUT:
        _write_through(data, None, output)
        return
    try:
        info = output.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            _write_through(data, output, output)
            return
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(f"cannot write {output}: it is {kind}")
    if _behind_a_descriptor(output):
        _write_through(data, output, output)  # e.g. /dev/stdout redirected to a file
        return
    _write_atomically(data, Path(os.path.realpath(output)), info, output)


def _behind_a_descriptor(path: Path) -> bool:
    """Whether the path names an open file descriptor (/dev/stdout, /dev/fd/N, /proc/self/fd/N),
    which a rename would not reach: the file behind it must be written through."""
    text = os.path.normpath(path.absolute())
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(("/dev/fd/", "/proc/self/fd/"))


def write_stdout(data: str | bytes | Iterable[str]) -> None:
    """Write to standard output, all of it or a BrokenPipeError (pieces of text as they come).

    Written with os.write on the descriptor until every byte is out: a large write through
    Python's buffered stdout into a pipe whose reader has gone can end the process with exit 0
    after a partial write, which a pipeline would read as success. Where stdout has no
    descriptor (a test's captured stdout), it is written as text.
    """
    if isinstance(data, str):
        _stdout_blocks((data.encode("utf-8"),))
    else:
        _stdout_blocks((data,) if isinstance(data, bytes) else encoded(data))


def _stdout_blocks(blocks: Iterable[bytes]) -> None:
    import io
    import sys

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        for block in blocks:
            sys.stdout.write(block.decode("utf-8"))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    for block in blocks:
        _write_all(fd, block)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_through(data: Data, target: Path | None, shown: Path) -> None:
    """Write to standard output (``target`` None) or into a file that cannot be replaced."""
    if target is None:
        _stdout_blocks(_blocks(data))
        return
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)
        try:
            for block in _blocks(data):
                _write_all(fd, block)
        finally:
            os.close(fd)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from None


def temporary_prefix(name: str) -> str:
    """The start of a temporary file's name beside ``name``: the name (cut short so that the
    whole stays within NAME_MAX bytes) and this process's id, so that one left behind by a
    killed run can be told from one that another run is still writing."""
    tail = f".kompalloc-{os.getpid()}-"
    room = NAME_MAX - len(tail.encode()) - _RANDOM - len(_TMP_SUFFIX) - 1
    short = name.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return f".{short}{tail}"


def remove_stale(folder: Path, name: str) -> None:
    """Remove temporary files that a killed run left beside ``name`` (its process is gone)."""
    import re

    own = temporary_prefix(name)
    stem = re.escape(own[: own.rindex(".kompalloc-")])
    pattern = re.compile(stem + rf"\.kompalloc-(\d+)-[^/]{{{_RANDOM}}}{re.escape(_TMP_SUFFIX)}$")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None or int(found.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            Path(entry.path).unlink(missing_ok=True)
        except OSError:
            continue  # alive, or not ours to judge


def _write_atomically(data: Data, output: Path, info: os.stat_result | None, shown: Path) -> None:
    """A temporary file beside the output, flushed to disk, renamed over it, folder flushed."""
    import tempfile

    folder = output.parent if str(output.parent) else Path()
    if info is not None:
        mode = stat.S_IMODE(info.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    remove_stale(folder, output.name)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=temporary_prefix(output.name), suffix=_TMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for block in _blocks(data):
                handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(output)
        _sync_folder(folder)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of the renamed file to disk (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself has happened
    finally:
        os.close(fd)


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
