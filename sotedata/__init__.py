"""Domain and data core of sote-tilannekuva: no Streamlit here, so the CLI and tests share it."""

__version__ = "0.1.0"
