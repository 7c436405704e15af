"""Caches keyed by the data version: another instance's import shows at the next read, and
nothing is read again while the data stays the same (issue 17: no clock, no "within a minute")."""

from __future__ import annotations

from datetime import date

import pytest

from sotedata.domain.model import Measure, StatusReport, default_roadmap
from sotedata.store.engine import Store
from ui import common

D = date
ROADMAP = default_roadmap(
    [Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, D(2022, 3, 31))]
)


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    with Store.open(url) as store:
        store.save_roadmap(ROADMAP)
        store.add_status_reports([StatusReport("21", "H-01", "in_progress", D(2022, 1, 15))])
    yield url
    common.store(url).close()


def test_another_instances_import_shows_at_the_next_read(url):
    before = common.store_facts(url)
    frames = common.frames_on(url, before["version"], (D(2022, 6, 15),))
    assert frames.reports["status"].tolist() == ["in_progress"]
    with Store.open(url) as other:  # another app instance, or `sote import`, on the same file
        other.add_status_reports([StatusReport("21", "H-01", "done", D(2022, 6, 15))])
    after = common.store_facts(url)
    assert after["version"] != before["version"]
    assert after["dates"] == [D(2022, 1, 15), D(2022, 6, 15)]
    frames = common.frames_on(url, after["version"], (D(2022, 6, 15),))
    assert frames.reports["status"].tolist() == ["done"]
    both = common.frames_on(url, after["version"], (D(2022, 1, 15), D(2022, 6, 15)))
    assert both.reports["status"].tolist() == ["in_progress", "done"]


def test_nothing_is_read_again_while_the_version_stays(url, monkeypatch):
    version = common.data_version(url)
    common.frames_on(url, version, (D(2022, 6, 15),))
    reads = []
    store = common.store(url)
    monkeypatch.setattr(store, "status_on_dates", lambda *a, **k: reads.append(a))
    cached = common.frames_on(url, common.data_version(url), (D(2022, 6, 15),))
    assert reads == [] and cached.reports["status"].tolist() == ["in_progress"]


def test_no_cache_has_a_time_to_live_any_more():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("pages/*.py"), *root.glob("ui/*.py")]
    assert not [p.name for p in sources if "ttl=" in p.read_text(encoding="utf-8")]


def _asks_three_times(url: str) -> None:
    import streamlit as st

    from ui import common

    versions = {common.data_version(url), common.store_facts(url)["version"]}
    versions.add(common.data_version(url))
    st.text(str(len(versions)))


def test_the_version_is_read_once_per_run_and_again_in_the_next(url, monkeypatch):
    """Every section's loader asks for the version; the store answers once a run, so a run never
    mixes two versions, and the next run (the next click) reads it again."""
    from streamlit.testing.v1 import AppTest

    reads = []
    original = Store.data_version

    def counted(self):
        reads.append(self)
        return original(self)

    monkeypatch.setattr(Store, "data_version", counted)
    at = AppTest.from_function(_asks_three_times, args=(url,))
    at.run()
    assert not at.exception and at.text[0].value == "1"
    assert len(reads) == 1
    at.run()
    assert len(reads) == 2
