"""The meeting pack's support-need slide (``exports.pack_outlook``): present after the changes
slide when the outlook is given, with the areas most in need and the weights."""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation

from sotedata.domain import areas
from sotedata.exports.pack import build_pack
from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.outlook import build_outlook, weights_sentence

AS_OF, SINCE = date(2022, 6, 15), date(2022, 5, 15)


def _texts(slide) -> list[str]:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def test_the_pack_has_a_support_need_slide(demo_db_url):
    with Store.open(demo_db_url) as store:
        frames = metrics.load_frames(store)
        view = build_outlook(store, AS_OF)
    kwargs = {"as_of": AS_OF, "since": SINCE, "areas": ["21"], "example": True, "lang": "en"}
    plain = Presentation(io.BytesIO(build_pack(frames, tile_boundaries(), **kwargs)))
    deck = Presentation(io.BytesIO(build_pack(frames, tile_boundaries(), outlook=view, **kwargs)))
    assert len(deck.slides) == len(plain.slides) + 1
    slide = next(s for s in deck.slides if "Support need on 15 Jun 2022" in _texts(s))
    texts = _texts(slide)
    assert weights_sentence("en") in texts
    first = view.table.sort_values("rank")["code"].iloc[0]
    assert areas.get(first).short("en") in texts
    assert "Rank" in texts and "Reasons" in texts
