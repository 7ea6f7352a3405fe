"""The book's trained checkpoints: the repository's checkpoints/ folder, or a checksum-verified download of it.

A clone has `checkpoints/<name>` beside the package. A reader who installed the package (Colab does, from
git) has no such folder: `checkpoint(name)` then downloads each file of that checkpoint from the
repository at the tag of the installed version, `v{companion.__version__}`, into a cache folder, and
verifies each file's sha256 against `checkpoints.json`, shipped inside the package and written by
`scripts/checkpoint_manifest.py` from the folders.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from companion import __version__, cache
from companion.cache import CACHE_ENV as CACHE_ENV  # the variable that moves the cache (tests set it)
from companion.cache import sha256_of as sha256  # checkpoints.sha256: the name scripts use

REPOSITORY = "https://github.com/bert-book/bert-book"  # also in _config.yml (repository.url) and the Colab cell
MANIFEST = Path(__file__).with_name("checkpoints.json")
REPOSITORY_CHECKPOINTS = Path(__file__).resolve().parents[1] / "checkpoints"


class CheckpointError(RuntimeError):
    """A checkpoint is unknown, cannot be downloaded, or does not match its recorded checksum."""


def names() -> list[str]:
    """Return the names of the checkpoints the book ships, e.g. 'bert2bert-multi30k' or 'mt-ablation/bert-encoder'."""
    return sorted(_manifest())


def files(name: str) -> dict[str, dict]:
    """Return {file name: {"sha256", "bytes"}} for one checkpoint, as recorded in checkpoints.json."""
    manifest = _manifest()
    if name not in manifest:
        raise CheckpointError(f"unknown checkpoint {name!r}; known: {', '.join(sorted(manifest))}")
    return manifest[name]


def raw_url(name: str, filename: str) -> str:
    """Return the download address of one checkpoint file at this package version's tag."""
    owner_and_name = REPOSITORY.removeprefix("https://github.com/").strip("/")
    return f"https://raw.githubusercontent.com/{owner_and_name}/v{__version__}/checkpoints/{name}/{filename}"


def cache_dir() -> Path:
    """Return where downloaded checkpoints go: $BERTBOOK_CACHE, else ~/.cache/bertbook, per package version."""
    return cache.cache_dir() / "checkpoints" / f"v{__version__}"


def checkpoint(name: str, *, download: bool = True, timeout: float = 60.0) -> Path:
    """Return a local folder holding checkpoint `name`: the repository's, else a verified download (cached)."""
    expected = files(name)
    local = REPOSITORY_CHECKPOINTS / name
    if local.is_dir():
        missing = [filename for filename in expected if not (local / filename).is_file()]
        if missing:
            raise CheckpointError(
                f"{local} lacks {', '.join(missing)}: restore it with `git checkout -- {local}` "
                "or rerun the script named in its run.json"
            )
        return local  # a clone's own files (possibly retrained here): not checked against the manifest
    target = cache_dir() / name
    stale = [
        filename
        for filename, record in expected.items()
        if not (target / filename).is_file() or sha256(target / filename) != record["sha256"]
    ]
    if stale and not download:
        raise CheckpointError(f"checkpoint {name!r} is not in {target} and download=False")
    for filename in stale:
        _download(name, filename, expected[filename]["sha256"], target, timeout=timeout)
    return target


def folder_manifest(folder: Path) -> dict[str, dict]:
    """Return {file name: {"sha256", "bytes"}} for every file directly inside a checkpoint folder."""
    return {
        path.name: {"sha256": sha256(path), "bytes": path.stat().st_size}
        for path in sorted(Path(folder).iterdir())
        if path.is_file()
    }


def _manifest() -> dict[str, dict]:
    if not MANIFEST.is_file():
        raise CheckpointError(
            f"{MANIFEST} is missing: reinstall bertbook-companion, or write it with "
            "`python scripts/checkpoint_manifest.py --write`"
        )
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _download(name: str, filename: str, expected_sha256: str, target: Path, *, timeout: float) -> None:
    # Download to a temporary file beside the target, check the sha256, then move it into place.
    url = raw_url(name, filename)
    with cache.atomic_file(target / filename) as temporary:
        with open(temporary, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    shutil.copyfileobj(response, out)
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                raise CheckpointError(
                    f"could not download checkpoint {name!r} ({url}): {error}. Go online and run this again, "
                    f"or clone {REPOSITORY} (its checkpoints/ folder has every checkpoint) and run from the "
                    "clone; a chapter carries on with its own short run where it says so"
                ) from error
        actual = sha256(temporary)
        if actual != expected_sha256:
            raise CheckpointError(
                f"{url} has sha256 {actual}, but companion {__version__} expects {expected_sha256}: the tag "
                f"v{__version__} does not hold the files this package was built with. Install the package "
                "from the same tag as the chapters (the Colab cell does), or clone the repository"
            )
