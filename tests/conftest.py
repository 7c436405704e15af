"""Fixtures shared by the test files: the example data, built once per test run (per worker
under ``make test``'s ``-n 2``), and the way ``--dist loadfile`` shares the tests out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from xdist.scheduler import LoadFileScheduling

from sotedata.demo.generator import load_demo
from sotedata.store.engine import Store
from tests.support.example_db import copy_of, digest
from tests.support.pg import (  # noqa: F401  (PostgreSQL fixtures)
    db_url,
    demo_copy_db_url,
    pg_demo_copy_url,
    pg_demo_db_url,
    pg_example_template,
    pg_server,
    pg_url,
)

#: the shared example database's hash as built, per URL (one per worker)
BUILT = pytest.StashKey[dict[str, str]]()
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
def demo_db_url(tmp_path_factory, pytestconfig: pytest.Config) -> str:
    """A SQLite file with the example data, shared by every test of the run: read it, never write
    to it (a test that writes takes ``demo_copy_url``; a module fixture that adds to it, a
    ``copy_of`` it). ``shared_example_unchanged`` fails the test that wrote to it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'sote.sqlite'}"
    with Store.open(url) as store:
        load_demo(store)
    pytestconfig.stash.setdefault(BUILT, {})[url] = digest(url)
    return url


@pytest.fixture(autouse=True)
def shared_example_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test that reaches ``demo_db_url`` must leave its file as built: a write would change
    what the tests after it read, on whichever worker they run. A module fixture's write is
    reported at the first test of its module."""
    if "demo_db_url" not in request.fixturenames:
        yield
        return
    url = request.getfixturevalue("demo_db_url")  # a module may override it with a copy
    yield
    built = request.config.stash[BUILT].get(url)
    if built is None:
        return
    now = digest(url)
    request.config.stash[BUILT][url] = now  # the tests after it are not blamed for this write
    assert now == built, (
        "this test (or its module's fixture) wrote to the shared example database demo_db_url:"
        " take demo_copy_url, or copy_of(demo_db_url, folder) in a module fixture"
    )


@pytest.fixture
def demo_copy_url(demo_db_url, tmp_path) -> str:
    """The example database as a copy of this test's own, to write to."""
    return copy_of(demo_db_url, tmp_path)


@pytest.fixture
def demo_store(demo_db_url) -> Iterator[Store]:
    with Store.open(demo_db_url) as store:
        yield store
