"""Text shapes shared by every layer: a file name built in charts, views or exports must spell an
area or a filter the same way, so the one ``slug`` lives here at the bottom of the layers."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """Lower-case ASCII with hyphens: "Itä-Uusimaa" → "ita-uusimaa"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
