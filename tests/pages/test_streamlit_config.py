"""The shipped Streamlit settings name options that the installed Streamlit has, with the values
the README and the benchmarks rely on."""

import tomllib
from pathlib import Path

import streamlit.config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_every_shipped_option_is_one_streamlit_knows():
    # a renamed option would be ignored silently by Streamlit, so its effect would be lost unseen
    names = {f"{section}.{key}" for section, keys in CONFIG.items() for key in keys}
    known = set(streamlit.config.get_config_options())
    assert names <= known, names - known


def test_no_full_garbage_collection_after_every_run():
    assert CONFIG["runner"]["postScriptGC"] is False
