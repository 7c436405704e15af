"""Fixtures shared by the test files: the example data, loaded once per test run."""

from __future__ import annotations

import pytest

from sotedata.demo.generator import load_demo
from sotedata.store.engine import Store
from tests.pg import db_url, pg_server, pg_url  # noqa: F401  (PostgreSQL fixtures)


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory) -> str:
    """A SQLite file with the example data (read it, never write to it: the run shares it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'sote.sqlite'}"
    with Store.open(url) as store:
        load_demo(store)
    return url


@pytest.fixture
def demo_store(demo_db_url):
    with Store.open(demo_db_url) as store:
        yield store
