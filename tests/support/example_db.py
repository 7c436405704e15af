"""Copies of the example database the run builds once (``demo_db_url`` in tests/conftest.py), for
the tests and module fixtures that write: copying the SQLite file takes milliseconds where
building the example data again takes about a second, and the shared file stays as built."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

PREFIX = "sqlite:///"


def path_of(url: str) -> Path:
    """The file of a SQLite URL."""
    if not url.startswith(PREFIX):
        raise ValueError(f"not a SQLite file URL: {url}")
    return Path(url.removeprefix(PREFIX))


def copy_of(url: str, folder: Path) -> str:
    """A copy of the SQLite database at ``url`` as ``folder/sote.sqlite``; returns its URL."""
    copy = folder / "sote.sqlite"
    shutil.copyfile(path_of(url), copy)
    return f"{PREFIX}{copy}"


def digest(url: str) -> str:
    """The SQLite file's bytes as a hash: the run checks that nothing wrote to the shared one."""
    return hashlib.sha256(path_of(url).read_bytes()).hexdigest()
