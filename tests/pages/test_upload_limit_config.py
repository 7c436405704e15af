"""Streamlit holds an upload in memory before the app sees it: its own limit is the app's, not
Streamlit's default 200 MB, both in the shipped config and in `make run`."""

import subprocess
import tomllib
from pathlib import Path

from sotedata.domain.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_streamlit_config_caps_uploads_at_the_apps_default_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1_000_000 == load_settings({}).max_upload_bytes


def test_make_run_passes_the_configured_limit_to_streamlit():
    command = subprocess.run(
        ["make", "-n", "run", "SOTE_MAX_UPLOAD_MB=7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--server.maxUploadSize 7" in command
