"""The book's download cache: one folder ($BERTBOOK_CACHE), sha256 checks, and writes that never leave half a file.

Datasets read from their public sources (``companion.data``) and checkpoints downloaded for an installed package
(``companion.checkpoints``) are kept here, each in a sub-folder of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

CACHE_ENV = "BERTBOOK_CACHE"  # where downloads are cached (default ~/.cache/bertbook)


def cache_dir() -> Path:
    """Return the folder where downloads are cached ($BERTBOOK_CACHE, default ~/.cache/bertbook)."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "bertbook").expanduser()


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def sha256_of_bytes(raw: bytes) -> str:
    """Return the hex sha256 of some bytes."""
    return hashlib.sha256(raw).hexdigest()


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside path; moved onto path if the block succeeds, removed if it raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
