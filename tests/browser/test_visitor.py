"""``make run`` itself, end to end: on a database holding only a note and one administrator it
keeps them (no example data over them), listens on 127.0.0.1 only, and a visitor's Chromium,
without sign-in configured, gets no user form and no uploader."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from datetime import date

import pytest

from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from sotedata.rules import notes
from sotedata.store import people as accounts
from sotedata.store.engine import Store

from .conftest import ARTIFACTS, ROOT, free_port, require_chromium, serve

pytestmark = pytest.mark.browser
NOTE = "Lapin kokouksen muistiinpano"


def _other_address() -> str | None:
    """This machine's address on its outward interface (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``make run`` on a free port, against a database with one note and one administrator."""
    require_chromium()
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    data_dir = tmp_path_factory.mktemp("make-run")
    url = f"sqlite:///{data_dir / 'sote.sqlite'}"
    opening = Principal.open("asennus")
    with Store.open(url) as store:
        accounts.add_note(store, opening, notes.Note("21", date(2026, 10, 1), NOTE, "meeting"))
        accounts.set_user(store, opening, "paa@stm.fi", "yllapitaja")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOTE_", "MAKE"))}
    env |= {
        "SOTE_DATABASE_URL": url,
        "SOTE_DATA_DIR": str(data_dir),
        "SOTE_OFFLINE": "1",
        "SOTE_PORT": str(port),
    }
    planned = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    if "pip install" in planned:
        pytest.skip("the environment is not built (make run would install it first)")
    log_path = data_dir / "make-run.log"
    # its own process group: make, sote demo and streamlit stop together
    with serve(["make", "run"], env, port=port, log_path=log_path, timeout=90, group=True):
        yield {"base": f"http://127.0.0.1:{port}", "port": port, "url": url, "log": log_path}


def test_make_run_keeps_a_database_with_only_a_note_and_a_user(served):
    with Store.open(served["url"]) as store:
        assert list(store.notes()["text"]) == [NOTE]
        assert list(accounts.users(store)["username"]) == ["paa@stm.fi"]
        assert not store.is_example() and store.load_roadmap().measures == ()
    assert "ei ladattu" in served["log"].read_text()


def test_make_run_listens_on_this_machine_only(served):
    address = _other_address()
    if address is None:
        pytest.skip("no address besides the loopback one")
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex((address, served["port"])) != 0


def test_a_visitor_gets_no_user_form_and_no_uploader(served, page):
    page.goto(f"{served['base']}/yllapito")
    page.get_by_text(t("rights.visitor.status", "fi")).first.wait_for()
    assert page.get_by_role("button", name="Tallenna käyttäjä").count() == 0
    assert page.get_by_label("Tunnus").count() == 0
    page.screenshot(path=ARTIFACTS / "visitor_admin.png", full_page=True)
    page.goto(f"{served['base']}/lataa")
    page.get_by_text(t("rights.visitor.read_only", "fi")).first.wait_for()
    assert page.locator('input[type="file"]').count() == 0
