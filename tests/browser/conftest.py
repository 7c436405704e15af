"""A real app server and a real headless Chromium for the end-to-end tests.

The server is started as a subprocess on a free port against a fresh SQLite file filled with the
example data, and its log is printed if it does not come up. Chromium is Debian's (Playwright's own
browser download does not work here); with CI=true a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (run `make browser`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app on example data, served by `streamlit run` on a free loopback port."""
    _require_chromium()
    data_dir = tmp_path_factory.mktemp("app")
    env = {
        **os.environ,
        "SOTE_DATA_DIR": str(data_dir),
        "SOTE_DATABASE_URL": f"sqlite:///{data_dir / 'sote.sqlite'}",
        "SOTE_OFFLINE": "1",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "sote"), "demo"], check=True, env=env, capture_output=True)
    port = _free_port()
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(bin_dir / "streamlit"),
                "run",
                str(ROOT / "app.py"),
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
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            break
    else:
        server.terminate()
        pytest.fail(f"app did not start in 60 s:\n{log_path.read_text()}")
    if server.poll() is not None:
        pytest.fail(f"app exited with {server.returncode}:\n{log_path.read_text()}")
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1440, "height": 1000}, locale="fi-FI", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
