"""Fixtures shared by the test files: the example data, built once per test run (per worker
under ``make test``'s ``-n 2``), and the way ``--dist loadfile`` shares the tests out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from xdist.scheduler import LoadFileScheduling

from sotedata.demo.generator import load_demo
from sotedata.store.engine import Store
from tests.pg import db_url, pg_server, pg_url  # noqa: F401  (PostgreSQL fixtures)
from tests.support.example_db import copy_of, digest

#: the folder whose files share one app server and one Chromium (tests/browser/conftest.py)
BROWSER_SCOPE = "tests/browser"


class BrowserTogetherScheduling(LoadFileScheduling):
    """``--dist loadfile`` with every browser file in one unit: a file's module fixtures are built
    once, the shared app server and Chromium start once in the run rather than once per worker,
    and the other worker runs the unit tests beside the browser instead of a second browser
    competing for the same two cores. xdist documents ``_split_scope`` as the method to override
    for another grouping."""

    def _split_scope(self, nodeid: str) -> str:
        scope = super()._split_scope(nodeid)
        return BROWSER_SCOPE if scope.startswith(BROWSER_SCOPE + "/") else scope


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadFileScheduling | None:
    """Only ``--dist loadfile`` (``make test``) is changed; any other mode keeps xdist's own."""
    if config.getoption("dist") != "loadfile":
        return None
    return BrowserTogetherScheduling(config, log)


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory) -> Iterator[str]:
    """A SQLite file with the example data, shared by every test of the run: read it, never write
    to it (a test that writes takes ``demo_copy_url``; a module fixture that adds to it, a
    ``copy_of`` it). The run fails at its end if its bytes changed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'sote.sqlite'}"
    with Store.open(url) as store:
        load_demo(store)
    built = digest(url)
    yield url
    assert digest(url) == built, "a test wrote to the shared example database (demo_db_url)"


@pytest.fixture
def demo_copy_url(demo_db_url, tmp_path) -> str:
    """The example database as a copy of this test's own, to write to."""
    return copy_of(demo_db_url, tmp_path)


@pytest.fixture
def demo_store(demo_db_url) -> Iterator[Store]:
    with Store.open(demo_db_url) as store:
        yield store
