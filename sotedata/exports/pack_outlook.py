"""The meeting pack's support-need slide: the areas that need the ministry's support most, each
with its outlook, need and reasons in words, and the weights the ranking used
(``views.outlook``). ``exports.pack`` calls ``support_slide`` with its deck after the changes
slide; the deck is anything with the pack deck's ``slide``, ``text`` and ``table``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import pandas as pd
from pptx.util import Inches

from ..domain.i18n import fmt_date, t
from ..views.outlook import OutlookView, support_frame, weights_sentence

#: the areas on the slide (the rest are in the tables page's outlook table)
SLIDE_AREAS = 8
LEFT, TOP, WIDTH = Inches(0.5), Inches(1.1), Inches(12.333)


class Deck(Protocol):
    """What the slide needs of the pack's deck."""

    lang: str | None

    def slide(self, title: str, subtitle: str | None = None) -> Any: ...
    def text(
        self,
        slide: Any,
        text: str | Sequence[str],
        left: int,
        top: int,
        width: int,
        height: int,
        size: float,
    ) -> Any: ...
    def table(
        self, slide: Any, frame: pd.DataFrame, left: int, top: int, width: int, *, size: float
    ) -> Any: ...


def support_slide(deck: Deck, view: OutlookView) -> None:
    """One slide: the ``SLIDE_AREAS`` areas most in need with their reasons, the weights under
    the title."""
    lang = deck.lang
    as_of: date = view.outlook.as_of
    slide = deck.slide(t("outlook.pack.title", lang, date=fmt_date(as_of, lang)))
    deck.text(slide, weights_sentence(lang), LEFT, TOP - Inches(0.3), WIDTH, Inches(0.6), 11)
    table = support_frame(view, lang).head(SLIDE_AREAS)
    deck.table(slide, table, LEFT, TOP + Inches(0.45), WIDTH, size=9)
