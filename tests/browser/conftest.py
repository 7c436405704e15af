"""A real app server and a real headless Chromium for the end-to-end tests.

The server is started as a subprocess on a free port against a fresh SQLite file filled with the
example data, and its log is printed if it does not come up. It is started once per run: every
test that takes ``app_url`` shares it, and ``make test`` keeps this folder on one worker
(tests/conftest.py), so the servers a file starts for a configuration of its own are the only
others. Chromium is Debian's (Playwright's own browser download does not work here); with CI=true a
missing browser fails instead of skipping.

A test waits for the state it asserts, never for a fixed time: ``settle`` waits until the page has
run and Vega has drawn every chart, which is what a person (and a screenshot) sees.

Most of the browser's CPU goes into drawing pages, so the tests draw as few as they can: one
browser context for the run (Streamlit's scripts stay in its cache), one tab lent to each test in
turn (``page``, or ``module_page`` for a module whose tests take the page as the test before left
it, ``Reuse``), and no page drawn twice in a row. A test that must start from nothing (what a
first visit fetches) opens a context of its own (``open_page``).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.example_db import copy_of

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SOTE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
#: the window every test page opens at unless it sets its own size
LAPTOP = {"viewport": {"width": 1440, "height": 1000}, "locale": "fi-FI", "accept_downloads": True}
#: the page's script has finished (Streamlit marks its run state on the app's root element for
#: tests): no running status, nothing stale, its h1 drawn
IDLE = (
    "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
    " && !document.querySelector('[data-testid=stStatusWidget]')"
    " && !document.querySelector('[data-stale=true]')"
    " && document.querySelectorAll('h1').length > 0"
)
#: Vega has drawn every chart (its marks are in the SVG), every image and font has loaded
DRAWN = (
    "[...document.querySelectorAll('.stVegaLiteChart')]"
    ".every(c => c.querySelector('svg.marks g[class^=mark-]'))"
    " && [...document.images].every(i => i.complete)"
    " && document.fonts.status === 'loaded'"
)


#: how long the settled state must hold: between two runs of a script (a rerun the page asks
#: for, a page switch) the app is briefly not running with the last run's elements still drawn
QUIET_MS = 250
#: how often the settled state is checked: not on every frame, which (the check walks the page and
#: asks for computed styles) cost Chromium about as much CPU as drawing the page itself
POLL_MS = 100
_settles = itertools.count()


def settle(page, *, condition: str = "true", arg: object = None, timeout: float = 90_000) -> None:
    """Wait until the page has run and drawn everything (and ``condition``, a JavaScript
    expression over ``arg``, holds) for ``QUIET_MS`` on end: what is checked or photographed is
    the page a person sees. The state is checked every ``POLL_MS``."""
    page.wait_for_function(
        f"""([arg, token, quiet]) => {{
            const ok = ({IDLE}) && ({DRAWN}) && ({condition});
            const since = window.__settled;
            if (!ok) {{ window.__settled = null; return false; }}
            if (!since || since.token !== token) {{
                window.__settled = {{token, at: performance.now()}};
                return false;
            }}
            return performance.now() - since.at >= quiet;
        }}""",
        arg=[arg, next(_settles), QUIET_MS],
        timeout=timeout,
        polling=POLL_MS,
    )


class Reuse:
    """A module's one page and the URL its last test left it at as drawn (``None``: changed by a
    click, a key or a download since): ``open`` draws a URL anew (a new session of the app)
    unless the test before left the page at that very URL untouched, so the same page is not
    drawn twice in a row. A test that only looked (read, photographed, ran axe) says so with
    ``leave``; one that acted leaves nothing to reuse."""

    def __init__(self, page) -> None:
        self.page = page
        self.opened: str | None = None
        #: the URL opened and the page's own URL then, or None
        self.left_at: tuple[str | None, str] | None = None

    def open(self, url: str, wait: Callable | None = None) -> bool:
        """``url`` drawn (``wait(page)`` after a load, ``settle`` if not given); True if it was
        drawn anew."""
        fresh = self.left_at != (url, self.page.url)
        if fresh:
            self.page.goto(url)
            (wait or settle)(self.page)
        self.opened, self.left_at = url, None
        return fresh

    def leave(self) -> None:
        """The test only looked at the page it opened: the next may take it as it is (if
        nothing has taken the page elsewhere meanwhile)."""
        self.left_at = (self.opened, self.page.url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running server: where it answers, its process (for its memory and life) and its log."""

    url: str
    port: int
    process: subprocess.Popen
    log_path: Path


def streamlit_command(script: Path, port: int) -> list[str]:
    """``streamlit run`` as the tests serve a script: loopback only, no watcher, no telemetry."""
    return [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def _stop(process: subprocess.Popen, *, group: bool) -> None:
    """Terminate, then kill after a grace period; a group is signalled whole even if its leader
    has already exited (``make``'s children may outlive it)."""
    if group:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    elif process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15 if group else 10)
    except subprocess.TimeoutExpired:
        if group:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()


@contextmanager
def serve(
    command: Sequence[str],
    env: Mapping[str, str],
    *,
    port: int,
    log_path: Path,
    timeout: float = 60,
    group: bool = False,
) -> Iterator[Server]:
    """Run ``command`` until the block ends, once its ``/_stcore/health`` answers 200.

    If it exits or does not answer within ``timeout`` seconds the test fails with the server's
    log. ``group`` starts it in its own process group, stopped whole (``make run`` starts
    ``sote demo`` and ``streamlit`` under ``make``)."""
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=group,
        )
    try:
        deadline = time.monotonic() + timeout
        healthy = False
        while not healthy and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    healthy = response.status == 200
            except OSError:
                time.sleep(0.3)
        if process.poll() is not None:
            if f"Port {port} is not available" in log_path.read_text():
                raise PortTaken(port)
            pytest.fail(f"{command[0]} exited with {process.returncode}:\n{log_path.read_text()}")
        if not healthy:
            pytest.fail(f"{command[0]} did not serve in {timeout:.0f} s:\n{log_path.read_text()}")
        yield Server(url, port, process, log_path)
    finally:
        _stop(process, group=group)


class PortTaken(Exception):
    """Another process took the free port between the probe and the server's start (two
    workers start servers at once under ``make test``)."""


@contextmanager
def start_app(
    env: Mapping[str, str], log_path: Path, *, script: Path = ROOT / "app.py", timeout: float = 60
) -> Iterator[Server]:
    """``script`` (the app unless told) served by ``streamlit run`` on a free loopback port,
    tried again on another port if that one was taken meanwhile."""
    with ExitStack() as stack:
        for attempt in range(3):
            port = free_port()
            command = streamlit_command(script, port)
            try:
                server = stack.enter_context(
                    serve(command, env, port=port, log_path=log_path, timeout=timeout)
                )
                break
            except PortTaken:
                if attempt == 2:
                    raise
        yield server


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (run `make browser`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, demo_db_url) -> Iterator[Server]:
    """The app on example data, served by `streamlit run` on a free loopback port: one server for
    every test of the run that needs no other settings (its process and log for the tests that
    watch its memory and life)."""
    require_chromium()
    data_dir = tmp_path_factory.mktemp("app")
    env = {
        **os.environ,
        "SOTE_DATA_DIR": str(data_dir),
        # a copy of the run's example database (tests/conftest.py): the upload tests write to it
        "SOTE_DATABASE_URL": copy_of(demo_db_url, data_dir),
        "SOTE_OFFLINE": "1",
    }
    with start_app(env, data_dir / "server.log") as server:
        yield server


@pytest.fixture(scope="session")
def app_url(app_server: Server) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(browser, **options):
    """A browser context (its own cookies, storage and cache): a laptop's window, in Finnish,
    that accepts downloads, unless ``options`` say otherwise."""
    ARTIFACTS.mkdir(exist_ok=True)
    return browser.new_context(**(LAPTOP | options))


@contextmanager
def open_page(browser) -> Iterator:
    """A page in a browser context of its own (its own cookies, storage and cache), for a test
    that must start from nothing: what a first visit fetches, say."""
    context = new_context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def shared_context(browser):
    """One context for the run's pages: a person's browser between visits, which keeps
    Streamlit's scripts and styles in its cache (each page is still a new session of the app).
    Loading them into a fresh context cost about a second of Chromium's CPU per test."""
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="session")
def _tabs(shared_context) -> Iterator[list]:
    """The run's one tab (a new one if a test closed it or it crashed): each new tab started a
    renderer process of its own, about 0.7 s of Chromium's CPU per test."""
    tabs: list = []
    yield tabs
    for tab in tabs:
        if not tab.is_closed():
            tab.close()


@contextmanager
def _lent(shared_context, tabs: list) -> Iterator:
    """The tab at the laptop size with the pointer in the corner (where it hovers over nothing
    on the next page), left on a blank page afterwards, which ends the app session it had."""
    if not tabs or tabs[-1].is_closed():
        tabs.append(shared_context.new_page())
    tab = tabs[-1]
    tab.set_viewport_size(LAPTOP["viewport"])
    tab.set_default_timeout(30_000)
    tab.mouse.move(0, 0)
    yield tab
    if not tab.is_closed():
        tab.goto("about:blank")


@pytest.fixture
def page(shared_context, _tabs):
    """The run's one tab in the shared context for this test, which opens its own URL (a new
    session of the app)."""
    with _lent(shared_context, _tabs) as tab:
        yield tab


@pytest.fixture(scope="module")
def module_page(shared_context, _tabs) -> Iterator[Reuse]:
    """The run's one tab for a module's tests, to open a URL on without drawing it twice
    (``Reuse``); a module takes either this or ``page``."""
    with _lent(shared_context, _tabs) as tab:
        yield Reuse(tab)
