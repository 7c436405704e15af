"""The app under Streamlit's AppTest as the page tests run it: on a database of the test's own,
offline, with a data folder of its own and no boundary file from the developer's environment (one
helper instead of the same five lines in each page test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def app_env(url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment the app reads for this test: the database at ``url``, ``data_dir``,
    offline, no boundary file."""
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)


def app_test(
    url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, *, timeout: float
) -> AppTest:
    """``app.py`` on the database at ``url``, not yet run."""
    app_env(url, data_dir, monkeypatch)
    return AppTest.from_file(APP, default_timeout=timeout)


def open_with(at: AppTest, **params: str) -> AppTest:
    """``at`` run again with these query parameters added; a page that raised fails the test."""
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
