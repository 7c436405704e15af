"""Where the app finds its database, boundaries and cache: environment variables with safe defaults.

Every setting is an environment variable so that the app, the CLI and CI read the same thing, and
the README lists them all (``tests/test_docs.py`` checks that). Nothing here needs a network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .switches import is_yes

DEFAULT_WFS_URL = "https://geo.stat.fi/geoserver/wfs"

#: name → what it sets; the README's configuration table is checked against this.
ENVIRONMENT = {
    "SOTE_DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite file var/sote.sqlite)",
    "SOTE_DATA_DIR": "folder for the default database and the boundary cache (default: ./var)",
    "SOTE_BOUNDARY_FILE": "a GeoJSON file of area boundaries to use before anything else",
    "SOTE_MUNICIPALITY_BOUNDARY_FILE": "a GeoJSON file of municipality boundaries (area page map)",
    "SOTE_BOUNDARY_CACHE_DIR": "folder for downloaded boundaries (default: <data dir>/cache)",
    "SOTE_WFS_URL": "Statistics Finland's WFS address (default: geo.stat.fi)",
    "SOTE_WFS_TIMEOUT": "seconds to wait for the WFS service (default: 4)",
    "SOTE_OFFLINE": "1 = never try the WFS service",
    "SOTE_PORT": "port of `make run` (default: 8501)",
    "SOTE_ADDRESS": "address `make run` listens on (default: 127.0.0.1, this machine only)",
    "SOTE_MAX_UPLOAD_MB": "largest file to import, in MB (default: 20)",
    "SOTE_MAX_ROWS": "most rows one imported file may have (default: 200000)",
    "SOTE_SOTKANET_URL": "THL's Sotkanet REST API (default: https://sotkanet.fi/rest)",
    "SOTE_USER": "who the `sote` command acts as, once the user table has anyone in it",
    "SOTE_UNKNOWN_USER_ROLE": "rights of a signed-in person not in the user table: lukija or ei",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    boundary_file: Path | None
    cache_dir: Path
    wfs_url: str
    wfs_timeout: float
    offline: bool
    max_upload_bytes: int = 20_000_000
    max_rows: int = 200_000
    municipality_boundary_file: Path | None = None
    user: str | None = None
    sotkanet_url: str = "https://sotkanet.fi/rest"
    unknown_user_role: str = "lukija"


def _number(text: str | None, default: float) -> float:
    """A positive number from the environment ("20", "2,5"); the default for anything else."""
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        return default
    return value if value > 0 else default


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: ``os.environ``)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("SOTE_DATA_DIR") or "var")
    database_url = env.get("SOTE_DATABASE_URL") or f"sqlite:///{data_dir / 'sote.sqlite'}"
    boundary = env.get("SOTE_BOUNDARY_FILE")
    municipality = env.get("SOTE_MUNICIPALITY_BOUNDARY_FILE")
    cache_dir = Path(env.get("SOTE_BOUNDARY_CACHE_DIR") or data_dir / "cache")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        boundary_file=Path(boundary) if boundary else None,
        cache_dir=cache_dir,
        wfs_url=env.get("SOTE_WFS_URL") or DEFAULT_WFS_URL,
        wfs_timeout=float(env.get("SOTE_WFS_TIMEOUT") or 4),
        offline=is_yes(env.get("SOTE_OFFLINE")),
        max_upload_bytes=int(_number(env.get("SOTE_MAX_UPLOAD_MB"), 20) * 1_000_000),
        max_rows=int(_number(env.get("SOTE_MAX_ROWS"), 200_000)),
        municipality_boundary_file=Path(municipality) if municipality else None,
        user=(env.get("SOTE_USER") or "").strip() or None,
        sotkanet_url=(env.get("SOTE_SOTKANET_URL") or "").strip() or "https://sotkanet.fi/rest",
        unknown_user_role=(env.get("SOTE_UNKNOWN_USER_ROLE") or "lukija").strip().lower(),
    )
