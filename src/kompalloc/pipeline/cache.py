"""A cache for unchanged inputs: what loading and validating files found, kept per set of files.

As linters and type checkers do, a run over files whose bytes are unchanged reuses the
bundle and the diagnostics of an earlier run instead of reading the YAML again. An entry is
keyed by the SHA-256 of everything its result depends on: the paths as given, each file
found and its bytes, kompalloc's version and its own source files, and the Python version.
A changed byte, file, path, kompalloc or Python makes a new key; so the cache never changes
a result, only how soon it comes (tests compare runs with and without it).

Entries are plain data (strings, numbers, lists and tagged tuples) in ``marshal``'s format,
which can only build such values, never run code. Each entry starts with an HMAC-SHA256 of
the rest under a random key kept in the cache folder (``key``, readable by its owner only),
checked before anything is decoded: an entry that is truncated, corrupt, written by another
cache or for another key is ignored with a warning, never trusted, and written again. Only
whitelisted model classes are ever made from an entry. Entries are written to a temporary
file and renamed, so concurrent runs see a whole entry or none.

Where: the project file's ``cache`` (a folder, or false for none), else the environment's
KOMPALLOC_CACHE_DIR, else the user's cache folder (platformdirs: ~/.cache/kompalloc on Linux,
honouring XDG_CACHE_HOME). ``--no-cache`` or KOMPALLOC_NO_CACHE=1 turns it off for a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompalloc.diagnostics import Diagnostic
    from kompalloc.model import Bundle

FORMAT = 1
"""The layout of entries: raised whenever the encoding below changes."""
MAGIC = b"kompalloc-cache\x01"
SUFFIX = ".entry"
KEY_FILE = "key"
NO_CACHE_ENV = "KOMPALLOC_NO_CACHE"
CACHE_DIR_ENV = "KOMPALLOC_CACHE_DIR"

Warn = Callable[[str], None]


@dataclass(slots=True)
class Cache:
    """A cache folder, and where to say that an entry was ignored."""

    folder: Path
    warn: Warn
    hits: int = 0
    stored: int = 0
    ignored: list[str] = field(default_factory=list)
    """Why entries were ignored, one line each (also told to ``warn``)."""

    def _ignore(self, path: Path, why: str) -> None:
        line = f"ignored the cache entry {path}: {why}"
        self.ignored.append(line)
        self.warn(line)


def default_folder() -> Path:
    """The user's cache folder for kompalloc (XDG_CACHE_HOME or ~/.cache on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kompalloc", appauthor=False))


def python_warning(line: str) -> None:
    """Tell a cache problem as a CacheWarning (the command line shows it on stderr)."""
    import warnings

    from kompalloc.pipeline.errors import CacheWarning

    warnings.warn(line, CacheWarning, stacklevel=3)


def open_cache(enabled: bool = True, warn: Warn | None = None) -> Cache | None:
    """The run's cache, or None: off with ``enabled`` False (--no-cache), KOMPALLOC_NO_CACHE
    set (to anything but 0 or nothing) or the project file's ``cache = false``."""
    from kompalloc.pipeline.project import settings

    if not enabled or os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    project = settings()
    if project.cache is False:
        return None
    if isinstance(project.cache, Path):
        folder = project.cache
    elif os.environ.get(CACHE_DIR_ENV):
        folder = Path(os.environ[CACHE_DIR_ENV])
    else:
        folder = default_folder()
    return Cache(folder, warn or python_warning)


# --- keys -----------------------------------------------------------------------------------


_OWN: list[bytes] = []


def _own_digest() -> bytes:
    """kompalloc's version, its source files' bytes and the Python version: a changed tool
    (an upgrade, or an edited checkout) never reads another's entries."""
    if not _OWN:
        from kompalloc import __version__

        digest = hashlib.sha256(MAGIC + f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
        package = Path(__file__).resolve().parent.parent
        for source in sorted(package.rglob("*.py")):
            digest.update(str(source.relative_to(package)).encode() + b"\0")
            digest.update(hashlib.sha256(source.read_bytes()).digest())
        _OWN.append(digest.digest())
    return _OWN[0]


def inputs_key(names: Sequence[str], files: Sequence[str]) -> str | None:
    """The key of loading ``names`` (which found ``files``), or None when a file cannot be read
    (that run is not cached: its diagnostics depend on more than the files' bytes)."""
    digest = hashlib.sha256(_own_digest())
    digest.update(repr(list(names)).encode("utf-8"))
    for name in files:
        try:
            data = Path(name).read_bytes()
        except OSError:
            return None
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


# --- entries --------------------------------------------------------------------------------


def _secret(cache: Cache) -> bytes:
    """The cache's HMAC key, made on first use (owner-only; a racing run's key wins once)."""
    path = cache.folder / KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except FileNotFoundError:
        pass
    cache.folder.mkdir(parents=True, exist_ok=True)
    _tag_folder(cache.folder)
    tmp = cache.folder / f".{KEY_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, os.urandom(32))
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # never replaces a key another run made meanwhile
    except FileExistsError:
        pass
    except OSError:
        tmp.replace(path)  # a file system without hard links
    finally:
        tmp.unlink(missing_ok=True)
    data = path.read_bytes()
    if len(data) != 32:
        raise OSError(f"{path} is not a cache key")
    return data


def _tag_folder(folder: Path) -> None:
    """Mark the folder as a cache (backup tools skip it) and keep it out of git."""
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by kompalloc.\n",
            encoding="utf-8",
        )
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Made by kompalloc: the cache folder is not for git.\n*\n", "utf-8")


@dataclass(frozen=True, slots=True)
class Found:
    """What an entry holds: the files found, every diagnostic, and the bundle when asked for."""

    files: tuple[str, ...]
    diagnostics: list[Diagnostic]
    bundle: Bundle | None


_HEAD = len(MAGIC) + 32 + 32 + 8
"""The magic, the HMAC of the head, that of the body, and the head's length."""


def lookup(cache: Cache, key: str, *, bundle: bool = True, whole: bool = False) -> Found | None:
    """The entry of ``key``, or None (missing, or ignored with a warning). Without ``bundle``
    only the head (files and diagnostics, all that validate needs) is read and decoded; with
    ``whole`` too, the body is read and its checksum checked all the same, but not decoded
    (a saved output holds only while the entry it was made from is whole)."""
    path = cache.folder / f"{key}{SUFFIX}"
    checked = bundle or whole
    body_now = b""
    try:
        with path.open("rb") as handle:
            start = handle.read(_HEAD)
            size = int.from_bytes(start[-8:], "big") if len(start) == _HEAD else 0
            head = handle.read(size)
            try:
                secret = _secret(cache)
            except OSError as exc:
                cache._ignore(path, f"the cache key cannot be read ({exc})")
                return None
            body = handle.read() if bundle else b""
            if bundle:
                body_now = hmac.new(secret, body, "sha256").digest()
            elif whole:  # checked a block at a time: never held whole
                mac = hmac.new(secret, digestmod="sha256")
                while block := handle.read(1 << 20):
                    mac.update(block)
                body_now = mac.digest()
    except FileNotFoundError:
        return None
    except OSError as exc:
        cache._ignore(path, f"cannot read it ({exc.strerror})")
        return None
    if len(start) < _HEAD or not start.startswith(MAGIC) or len(head) != size:
        cache._ignore(path, "not a kompalloc cache entry, or cut short")
        return None
    head_mac, body_mac = start[len(MAGIC) : len(MAGIC) + 32], start[len(MAGIC) + 32 : -8]
    if not hmac.compare_digest(head_mac, hmac.new(secret, head, "sha256").digest()) or (
        checked and not hmac.compare_digest(body_mac, body_now)
    ):
        cache._ignore(path, "its checksum does not match (corrupt, or not made by this cache)")
        return None
    import gc

    collecting = gc.isenabled()
    gc.disable()  # what is decoded holds no cycles: the collector would only cost time
    try:
        own_key, files, diagnostics, also = marshal.loads(head)
        if own_key != key:
            raise ValueError("made for other files")
        if any(_digest(Path(name)) != digest for name, digest in also):
            return None  # a file the loading read besides the named ones has changed: a miss
        found = Found(
            _decode(files),
            [_decode(d) for d in diagnostics],
            _decode(marshal.loads(body)) if bundle else None,
        )
    except Exception as exc:  # an entry that cannot be decoded is never trusted
        cache._ignore(path, f"it cannot be decoded ({exc})")
        return None
    finally:
        if collecting:
            gc.enable()
    cache.hits += 1
    return found


def _read_also(bundle: Bundle) -> list[tuple[str, str | None]]:
    """The files loading read besides those named (earlier rounds' decisions files), each with
    its digest now (None when it cannot be read): an entry holds only while they are the same."""
    from kompalloc.loading.earlier import decisions_path

    names = sorted({str(decisions_path(e)) for e in bundle.earlier_rounds.values()})
    return [(name, _digest(Path(name))) for name in names]


def _digest(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def store(cache: Cache, key: str, bundle: Bundle, diagnostics: Sequence[Diagnostic]) -> None:
    """Write the entry atomically; a cache that cannot be written is only a slower run."""
    import tempfile

    try:
        head = marshal.dumps(
            (key, _encode(bundle.files), [_encode(d) for d in diagnostics], _read_also(bundle))
        )
        body = marshal.dumps(_encode(bundle))
    except ValueError:  # a value the encoding cannot hold: nothing is cached
        return
    try:
        secret = _secret(cache)
        macs = hmac.new(secret, head, "sha256").digest() + hmac.new(secret, body, "sha256").digest()
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=cache.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + macs + len(head).to_bytes(8, "big"))
                handle.write(head)
                handle.write(body)
            Path(tmp).replace(cache.folder / f"{key}{SUFFIX}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        cache.warn(f"cannot write to the cache folder {cache.folder}: {exc.strerror or exc}")
        return
    cache.stored += 1


# --- saved outputs --------------------------------------------------------------------------
# What a command wrote, kept whole: a second run with the same key writes the same bytes
# without loading, allocating or rendering anything. The key covers the inputs' key and
# every option and setting the output depends on (see kompalloc.pipeline.outputs); the
# entry is the magic, an HMAC-SHA256 of the key and the text, then the text (UTF-8).

OUTPUT_MAGIC = b"kompalloc-outp\x01\x00"
OUTPUT_SUFFIX = ".output"


def output_key(inputs: str, parts: Sequence[str]) -> str:
    """The key of an output made from the inputs of key ``inputs`` with ``parts`` (the
    command, its options and the settings it read), each part kept apart from the next."""
    digest = hashlib.sha256(b"output\0" + inputs.encode() + b"\0")
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def read_output(cache: Cache, key: str) -> bytes | None:
    """The saved output of ``key``, or None (missing, or ignored with a warning)."""
    path = cache.folder / f"{key}{OUTPUT_SUFFIX}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        cache._ignore(path, f"cannot read it ({exc.strerror})")
        return None
    start = len(OUTPUT_MAGIC) + 32
    if len(data) < start or not data.startswith(OUTPUT_MAGIC):
        cache._ignore(path, "not a kompalloc cache entry, or cut short")
        return None
    try:
        secret = _secret(cache)
    except OSError as exc:
        cache._ignore(path, f"the cache key cannot be read ({exc})")
        return None
    mac = hmac.new(secret, key.encode() + b"\0", "sha256")
    mac.update(memoryview(data)[start:])
    if not hmac.compare_digest(data[len(OUTPUT_MAGIC) : start], mac.digest()):
        cache._ignore(path, "its checksum does not match (corrupt, or not made by this cache)")
        return None
    cache.hits += 1
    return data[start:]


class Recording:
    """An output being saved as it is written: the text goes to a temporary file in the cache
    folder, which :meth:`commit` signs and renames into place once the whole output is out.
    Anything else (an error, a closed pipe, an output that is not saved) leaves no entry."""

    def __init__(self, cache: Cache, key: str, valid: Callable[[], bool] = lambda: True) -> None:
        self.cache, self.key, self.valid = cache, key, valid
        self._handle: Any = None
        self._tmp: Path | None = None
        self._mac: Any = None
        self._held: list[str] = []
        self._size = 0
        try:
            secret = _secret(cache)
            import tempfile

            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=cache.folder)
            self._tmp = Path(tmp)
            self._handle = os.fdopen(fd, "wb")
            self._handle.write(OUTPUT_MAGIC + bytes(32))
            self._mac = hmac.new(secret, key.encode() + b"\0", "sha256")
        except OSError as exc:
            self.abandon()
            cache.warn(f"cannot write to the cache folder {cache.folder}: {exc.strerror or exc}")

    def tee(self, pieces: Iterable[str]) -> Iterator[str]:
        """The pieces as they come, each also saved."""
        for piece in pieces:
            if self._handle is not None:
                self._held.append(piece)
                self._size += len(piece)
                if self._size >= 1 << 20:
                    self._flush()
            yield piece

    def _flush(self) -> None:
        data = "".join(self._held).encode("utf-8")
        self._held, self._size = [], 0
        try:
            self._handle.write(data)
            self._mac.update(data)
        except OSError:
            self.abandon()

    def commit(self) -> None:
        """The output is whole: sign the entry and put it in place."""
        if self._handle is None or self._tmp is None:
            return
        self._flush()
        if self._handle is None:
            return
        if not self.valid():
            self.abandon()  # the files changed while the run read them: not this key's output
            return
        try:
            self._handle.seek(len(OUTPUT_MAGIC))
            self._handle.write(self._mac.digest())
            self._handle.close()
            self._handle = None
            self._tmp.replace(self.cache.folder / f"{self.key}{OUTPUT_SUFFIX}")
            self._tmp = None
            self.cache.stored += 1
        except OSError as exc:
            self.abandon()
            self.cache.warn(f"cannot write to the cache folder {self.cache.folder}: {exc.strerror}")

    def abandon(self) -> None:
        """Leave no entry (what was saved so far is thrown away)."""
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


# --- plain data -----------------------------------------------------------------------------
# Plain values (str, int, bool, None) stand for themselves and a tuple is written as a list;
# everything else is a tuple whose first item says what it is. Only the classes below are
# ever made from an entry.


_CLASSES: dict[str, type] = {}
_ENUMS: dict[str, type] = {}


def _classes() -> dict[str, type]:
    if _CLASSES:
        return _CLASSES
    from kompalloc import diagnostics, model

    _CLASSES.update(
        {
            c.__name__: c
            for c in (
                model.Scheme,
                model.Pool,
                model.Apportion,
                model.Cluster,
                model.Institution,
                model.Company,
                model.Partner,
                model.Application,
                model.Limit,
                model.LedgerGrant,
                model.Return,
                model.RoundGrant,
                model.EarlierRound,
                model.Bundle,
                diagnostics.Diagnostic,
            )
        }
    )
    return _CLASSES


def _enums() -> dict[str, type]:
    if not _ENUMS:
        from kompalloc import diagnostics, model

        _ENUMS.update(
            {
                c.__name__: c
                for c in (
                    model.Section,
                    model.Method,
                    model.Shortfall,
                    model.OrderBy,
                    model.TiePolicy,
                    model.ApportionRule,
                    model.Grouping,
                    diagnostics.Code,
                    diagnostics.Severity,
                )
            }
        )
    return _ENUMS


_PLAIN = (str, int, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    encoder = (_ENCODERS or _make_encoders()).get(kind)
    if encoder is None:
        raise ValueError(f"cannot cache a {kind.__name__}")
    return encoder(value)


_ENCODERS: dict[type, Callable[[Any], Any]] = {}


def _make_encoders() -> dict[type, Callable[[Any], Any]]:
    """What encodes each kind of value (made once: a lookup per value, not a chain of tests)."""
    from decimal import Decimal
    from fractions import Fraction

    from kompalloc.source import Span, SpanMap

    def encode_class(value: Any) -> Any:
        names = _FIELDS[type(value)]
        values = [getattr(value, n) for n in names]
        special = [(i, _encode(v)) for i, v in enumerate(values) if type(v) not in _PLAIN]
        for i, _ in special:
            values[i] = None
        # The plain values as they are, and the others by position: decoding copies the first
        # and decodes only the second.
        return ("C", type(value).__name__, tuple(values), special)

    _ENCODERS.update(
        {
            tuple: lambda v: [x if type(x) in _PLAIN else _encode(x) for x in v],
            Span: lambda v: ("S", tuple(v)),
            SpanMap: lambda v: ("M", tuple(v._index), v._path, v._data.tobytes()),
            dict: lambda v: ("D", [(_encode(k), _encode(x)) for k, x in v.items()]),
            frozenset: lambda v: ("F", [_encode(x) for x in sorted(v)]),
            date: lambda v: ("d", v.toordinal()),
            Decimal: lambda v: ("N", str(v)),
            Fraction: lambda v: ("Q", v.numerator, v.denominator),
        }
    )
    for cls in _classes().values():
        _FIELDS[cls] = tuple(f.name for f in fields(cls))
        _ENCODERS[cls] = encode_class
    for cls in _enums().values():
        _ENCODERS[cls] = lambda v: ("E", type(v).__name__, v.value)
    return _ENCODERS


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return tuple([v if type(v) in _PLAIN else _decode(v) for v in value])
    if kind is not tuple:
        if kind in _PLAIN:
            return value
        raise ValueError(f"unexpected {kind.__name__}")
    return _DECODERS[value[0]](value)


def _class(value: tuple[Any, ...]) -> Any:
    cls = _classes()[value[1]]  # a KeyError for anything else: the entry is not trusted
    values = list(value[2])
    for i, encoded in value[3]:
        values[i] = _decode(encoded)
    return cls(*values)


def _span(value: tuple[Any, ...]) -> Any:
    from kompalloc.source import Span

    return tuple.__new__(Span, value[1])


def _span_map(value: tuple[Any, ...]) -> Any:
    from array import array

    from kompalloc.source import SpanMap

    _, keys, path, data = value
    numbers = array("I")
    numbers.frombytes(data)
    index = _INDEXES.get(keys)
    if index is None:
        index = _INDEXES[keys] = {k: i for i, k in enumerate(keys)}
    if len(numbers) != 4 * len(index):
        raise ValueError("a bad span map")
    return SpanMap(index, path, numbers)


_INDEXES: dict[tuple[str, ...], dict[str, int]] = {}
"""The key index of each span map's keys, shared as the loader shares them."""


def _enum(value: tuple[Any, ...]) -> Any:
    return _enums()[value[1]](value[2])


def _dict(value: tuple[Any, ...]) -> Any:
    return {_decode_any(k): _decode_any(v) for k, v in value[1]}


def _decode_any(value: Any) -> Any:
    return value if type(value) in _PLAIN else _decode(value)


def _frozenset(value: tuple[Any, ...]) -> Any:
    return frozenset(_decode_any(v) for v in value[1])


_DATES: dict[int, date] = {}


def _date(value: tuple[Any, ...]) -> Any:
    found = _DATES.get(value[1])
    if found is None:
        found = _DATES[value[1]] = date.fromordinal(value[1])
    return found


def _decimal(value: tuple[Any, ...]) -> Any:
    from decimal import Decimal

    return Decimal(value[1])


def _fraction(value: tuple[Any, ...]) -> Any:
    from fractions import Fraction

    return Fraction(value[1], value[2])


_DECODERS: dict[str, Callable[[tuple[Any, ...]], Any]] = {
    "C": _class,
    "S": _span,
    "M": _span_map,
    "E": _enum,
    "D": _dict,
    "F": _frozenset,
    "d": _date,
    "N": _decimal,
    "Q": _fraction,
}
