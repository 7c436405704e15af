"""The meeting pack: the situation picture as a 16:9 slide deck (PPTX) for the coordination group.

One function (``build_pack``) makes the whole deck from the same frames and charts the pages use,
so the page's button and ``sote pack`` give the same slides: a title slide with the as-of date,
the national map, the ranked bars, the changes since the comparison date, and one slide per
chosen area with its measures by phase, what changed in it since the comparison date and its top
risks.

Every slide carries the deck's source line and page number in its footer, and "Esimerkkiaineisto"
in its top corner when the figures are example data: a slide travels alone (forwarded, printed,
pasted into another deck), so none may depend on the title slide for its provenance. Charts are
pictures rendered offline by ``chart_export``; tables are real PowerPoint tables so that figures
can be copied out. Slides are built on the blank layout with explicit boxes, not on a template's
placeholders, so LibreOffice Impress and PowerPoint show them alike.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

import altair as alt
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from ..charts import image as chart_export
from ..domain import areas as area_registry
from ..domain.i18n import LANGUAGES, fmt_date, fmt_number, t
from ..geo.chain import Boundaries
from ..rules import metrics
from ..rules.changes import areas_moved, risk_changes, status_changes
from ..views.changes import areas_moved_sentence, areas_moved_table
from ..views.national import NationalParams, NationalView, build_national_view
from ..views.outlook import OutlookView
from .pack_area import area_changes, key_figures, phase_chart
from .pack_outlook import support_slide

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.35)
BODY_TOP = Inches(1.25)
FOOTER_TOP = Inches(7.0)
BODY_BOTTOM = Inches(6.9)
INK = RGBColor(0x1A, 0x1A, 0x1A)
QUIET = RGBColor(0x55, 0x55, 0x55)
EXAMPLE_INK = RGBColor(0xB3, 0x40, 0x00)  # dark orange: readable, and dark in greyscale too
TOP_RISKS = 5
#: a cell that holds a figure ("12", "77 %", "+3,0 %-yks.", "±0", "–"): right-aligned
_NUMBER = re.compile(r"^([+\-±]?[\d\s\u00a0,.]+(\s?%)?|–)$")


@cache
def _point_units() -> tuple[str, ...]:
    """The percentage-point unit as each language writes it after a figure ("%-yks.")."""
    return tuple(t("changes.points", lang, value="").strip() for lang in LANGUAGES)


def _is_figure(text: str) -> bool:
    for unit in _point_units():
        if text.endswith(unit):
            text = text.removesuffix(unit).rstrip()
            break
    return bool(_NUMBER.match(text))


def pack_file_name(as_of: date) -> str:
    """``tilannekuva_2022-12-15_kokouspaketti.pptx``: the date first, like every export."""
    return f"tilannekuva_{as_of.isoformat()}_kokouspaketti.pptx"


def top_risks(risks: pd.DataFrame, code: str, as_of: date, n: int = TOP_RISKS) -> pd.DataFrame:
    """An area's ``n`` highest risks on ``as_of`` by each risk's latest rating (score, then id)."""
    columns = ["risk_id", "title", "theme", "likelihood", "impact", "score", "mitigation", "owner"]
    if risks is None or risks.empty:
        return pd.DataFrame(columns=columns)
    # metrics' own rule: the latest rating on or before the day, a closed risk left out
    latest = metrics.latest_rows(risks[risks["area_code"] == code], ["risk_id"], as_of)
    latest = latest.assign(score=latest["likelihood"] * latest["impact"])
    ranked = latest.sort_values(["score", "risk_id"], ascending=[False, True], kind="stable")
    return ranked.head(n)[columns].reset_index(drop=True)


def risks_table(risks: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Top risks as display texts: title, theme, likelihood × impact = score, mitigation, owner."""
    rows = []
    for record in risks.to_dict("records"):
        rows.append(
            {
                t("pack.risk.title", lang): str(record["title"] or ""),
                t("pack.risk.theme", lang): str(record["theme"] or ""),
                t("pack.risk.score", lang): t(
                    "pack.risk.score_value",
                    lang,
                    likelihood=int(record["likelihood"]),
                    impact=int(record["impact"]),
                    score=int(record["score"]),
                ),
                t("pack.risk.mitigation", lang): str(record["mitigation"] or ""),
                t("pack.risk.owner", lang): str(record["owner"] or ""),
            }
        )
    return pd.DataFrame(rows)


def phase_counts(frames: metrics.Frames, code: str, as_of: date, lang: str | None) -> pd.DataFrame:
    """An area's measures per phase and status, labelled for ``charts.phase_status_bars``."""
    counts = metrics.phase_status_counts(frames.measures, frames.reports, code, as_of).copy()
    counts["phase_label"] = [t(f"phase.{int(p)}", lang) for p in counts["phase"]]
    counts["status"] = counts["status"].astype(str)
    counts["status_label"] = [t(f"status.{s}", lang) for s in counts["status"]]
    return counts


def view_filters(
    params: NationalParams, frames: metrics.Frames, lang: str | None = None
) -> list[str]:
    """The national view's filters in words ("3. Lakien hyväksymisen jälkeen", "ICT", "Vain
    kriittiset"), so a slide of a filtered map does not pass for the whole roadmap."""
    parts = []
    if params.phase is not None:
        parts.append(t(f"phase.{params.phase}", lang))
    if params.work_stream:
        names = {ws.key: ws.name(lang) for ws in frames.work_streams}
        parts.append(names.get(params.work_stream, params.work_stream))
    if params.critical_only:
        parts.append(t("national.critical_only", lang))
    return parts


def _untitled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart without its own title: on a slide the slide's title and footer say it."""
    copy = chart.copy(deep=True)
    copy.title = alt.Undefined
    return copy


# --- drawing ------------------------------------------------------------------------------------


class _Deck:
    """A presentation with the pack's common furniture on every slide."""

    def __init__(self, *, source: str, as_of: date, example: bool, lang: str | None) -> None:
        self.prs = Presentation()
        self.prs.slide_width = SLIDE_WIDTH
        self.prs.slide_height = SLIDE_HEIGHT
        self.source = source
        self.as_of = as_of
        self.example = example
        self.lang = lang

    def slide(self, title: str, subtitle: str | None = None) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank
        width = SLIDE_WIDTH - 2 * MARGIN - (Inches(4.3) if self.example else 0)
        self.text(slide, title, MARGIN, TITLE_TOP, width, Inches(0.6), size=26, bold=True)
        if subtitle:
            self.text(slide, subtitle, MARGIN, TITLE_TOP + Inches(0.55), width, Inches(0.35), 14)
        return slide

    def text(
        self,
        slide: Slide,
        text: str | Sequence[str],
        left: int,
        top: int,
        width: int,
        height: int,
        size: float,
        *,
        bold: bool = False,
        colour: RGBColor = INK,
        align: Any = PP_ALIGN.LEFT,
    ) -> Any:
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(frame, side, 0)
        lines = [text] if isinstance(text, str) else list(text)
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = align
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = colour
        return box

    def picture(
        self, slide: Slide, png: bytes, left: int, top: int, width: int, height: int, alt: str
    ) -> Any:
        """The image fitted into the box, aspect kept, with its text equivalent as alt text."""
        pixels_w, pixels_h = chart_export.png_size(png)
        scale = min(width / pixels_w, height / pixels_h)
        shown_w, shown_h = int(pixels_w * scale), int(pixels_h * scale)
        picture = slide.shapes.add_picture(io.BytesIO(png), Emu(left), Emu(top), shown_w, shown_h)
        picture._element.nvPicPr.cNvPr.set("descr", alt)  # python-pptx has no API for alt text
        return picture

    def table(
        self, slide: Slide, frame: pd.DataFrame, left: int, top: int, width: int, *, size: float
    ) -> Any:
        row_height = Pt(size * 1.6)
        shape = slide.shapes.add_table(
            len(frame) + 1, len(frame.columns), left, top, width, row_height * (len(frame) + 1)
        )
        table = shape.table

        def longest(text: object) -> int:
            return max(len(line) for line in str(text).split("\n"))

        weights = [max(longest(c), *(longest(v) for v in frame[c])) for c in frame.columns]
        weights = [min(max(w, 5), 60) + 3 for w in weights]  # + the cell's margins
        for column, weight in zip(table.columns, weights, strict=True):
            column.width = int(width * weight / sum(weights))
        for row in table.rows:
            row.height = row_height
        cells = [list(frame.columns), *frame.astype(str).values.tolist()]
        numeric = [all(_is_figure(str(v)) for v in frame[c]) for c in frame.columns]
        for r, values in enumerate(cells):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Pt(1)
                cell.margin_left = cell.margin_right = Pt(4)
                cell.text = str(value)
                for paragraph in cell.text_frame.paragraphs:
                    if numeric[c]:
                        paragraph.alignment = PP_ALIGN.RIGHT  # figures line up by their digits
                    for run in paragraph.runs:
                        run.font.size = Pt(size)
                        run.font.bold = r == 0
        return shape

    def finish(self) -> bytes:
        """Footer, page numbers and the example label on every slide, then the file's bytes."""
        slides = list(self.prs.slides)
        footer = (
            f"{self.source} · {t('chart.as_of', self.lang, date=fmt_date(self.as_of, self.lang))}"
        )
        for number, slide in enumerate(slides, start=1):
            self.text(
                slide, footer, MARGIN, FOOTER_TOP, Inches(10.5), Inches(0.3), 10, colour=QUIET
            )
            self.text(
                slide,
                t("pack.page", self.lang, number=number, total=len(slides)),
                SLIDE_WIDTH - MARGIN - Inches(1.5),
                FOOTER_TOP,
                Inches(1.5),
                Inches(0.3),
                10,
                colour=QUIET,
                align=PP_ALIGN.RIGHT,
            )
            if self.example:
                self.text(
                    slide,
                    t("chart.example_data", self.lang),
                    SLIDE_WIDTH - MARGIN - Inches(4.2),
                    TITLE_TOP + Inches(0.08),
                    Inches(4.2),
                    Inches(0.5),
                    13,
                    bold=True,
                    colour=EXAMPLE_INK,
                    align=PP_ALIGN.RIGHT,
                )
        self.prs.core_properties.title = t("pack.title", self.lang)
        self.prs.core_properties.subject = footer
        self.prs.core_properties.author = "sote-tilannekuva"
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


#: the slide's body, between the title and the footer
BODY_WIDTH = SLIDE_WIDTH - 2 * MARGIN
BODY_HEIGHT = BODY_BOTTOM - BODY_TOP


def build_pack(
    frames: metrics.Frames,
    boundaries: Boundaries,
    *,
    as_of: date,
    since: date | None,
    areas: Sequence[str],
    lang: str | None = None,
    example: bool,
    params: NationalParams | None = None,
    outlook: OutlookView | None = None,
) -> bytes:
    """The meeting pack as PPTX bytes: 4 + len(areas) slides (5 + with ``outlook``).

    ``params`` picks the metric and filters of the map and bars (the national page passes what it
    shows); the default is the share of measures done over all measures. ``since`` None (no
    earlier reporting date) leaves the changes slide saying so instead of inventing a comparison.
    ``outlook`` (``views.outlook.build_outlook``) adds the support-need slide after it.
    """
    view_params = replace(params or NationalParams(), as_of=as_of)
    view = build_national_view(
        frames,
        boundaries,
        view_params,
        reporting_dates=[as_of],
        example=example,
        lang=lang,
        since=since,  # the map's change metric (done_share_change) counts from the pack's date
    )
    draws_shapes = not boundaries.is_tiles and view_params.view != "ruudut"
    source = chart_export.source_line(
        boundaries=draws_shapes, lang=lang, attribution=boundaries.attribution or None
    )
    deck = _Deck(source=source, as_of=as_of, example=example, lang=lang)
    _title_slide(deck, since, len(areas))
    subtitle = " · ".join(
        [
            t("chart.as_of", lang, date=fmt_date(as_of, lang)),
            *view_filters(view_params, frames, lang),
        ]
    )
    _national_slides(deck, view, subtitle)
    _changes_slide(deck, frames, since)
    if outlook is not None:  # the support need (``exports.pack_outlook``)
        support_slide(deck, outlook)
    table = metrics.area_metrics(frames.measures, frames.reports, frames.risks, as_of)
    medians = metrics.national_medians(table)
    before, moves, risks = None, None, None
    if since is not None and since < as_of and areas:  # once for the deck, not once a slide
        before = metrics.area_metrics(frames.measures, frames.reports, frames.risks, since)
        moves = status_changes(frames, since, as_of)
        risks = risk_changes(frames, since, as_of)
    for code in areas:
        changes = None
        if moves is not None and risks is not None and since is not None:
            changes = area_changes(moves, risks, code, since, as_of, lang)
        figures = key_figures(table, medians, code, lang, before)
        _area_slide(deck, frames, code, figures, changes)
    return deck.finish()


def _title_slide(deck: _Deck, since: date | None, area_count: int) -> None:
    lang = deck.lang
    slide = deck.prs.slides.add_slide(deck.prs.slide_layouts[6])
    lines = [t("chart.as_of", lang, date=fmt_date(deck.as_of, lang))]
    if since is not None:
        lines.append(t("pack.since", lang, date=fmt_date(since, lang)))
    lines.append(t("pack.areas", lang, count=fmt_number(area_count, lang=lang)))
    deck.text(
        slide, t("pack.title", lang), MARGIN, Inches(2.3), BODY_WIDTH, Inches(1.2), 36, bold=True
    )
    deck.text(slide, lines, MARGIN, Inches(3.6), BODY_WIDTH, Inches(1.6), 20)


def _national_slides(deck: _Deck, view: NationalView, subtitle: str) -> None:
    """The national map, then the ranked bars, each beside the view's summary sentence."""
    lang = deck.lang
    slide = deck.slide(t("pack.map.title", lang, metric=view.metric_label), subtitle)
    # the areas' values beside the map: a picture of a map alone says no area's figure
    framed = chart_export.with_values(_untitled(view.map_chart), lang)
    map_png = chart_export.render_png(framed, lang=lang, scale=2)
    deck.picture(slide, map_png, MARGIN, BODY_TOP, Inches(8.4), BODY_HEIGHT, view.summary)
    deck.text(slide, view.summary, Inches(9.2), Inches(2.0), Inches(3.6), Inches(3.5), 16)

    slide = deck.slide(t("pack.bars.title", lang, metric=view.metric_label), subtitle)
    wide_bars = _untitled(view.bar_chart).properties(width=560)  # the slide has room
    bars_png = chart_export.render_png(wide_bars, lang=lang, scale=2)
    deck.picture(slide, bars_png, MARGIN, BODY_TOP, Inches(8.0), BODY_HEIGHT, view.summary)
    deck.text(slide, view.summary, Inches(8.9), Inches(2.0), Inches(3.9), Inches(2.5), 18)


def _changes_slide(deck: _Deck, frames: metrics.Frames, since: date | None) -> None:
    """Which areas moved since the comparison date: the national page's own table and sentence,
    so both say the same; without an earlier date, a slide that says so."""
    lang, as_of = deck.lang, deck.as_of
    if since is None:
        slide = deck.slide(t("pack.changes.title_none", lang))
        deck.text(slide, t("pack.changes.none", lang), MARGIN, BODY_TOP, BODY_WIDTH, Inches(1), 18)
        return
    moved = areas_moved(frames, since, as_of)
    slide = deck.slide(
        t("pack.changes.title", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang))
    )
    sentence = areas_moved_sentence(moved, since, as_of, lang)
    deck.text(slide, sentence, MARGIN, BODY_TOP - Inches(0.3), BODY_WIDTH, Inches(0.6), 12)
    top = BODY_TOP + Inches(0.4)
    deck.table(slide, areas_moved_table(moved, lang), MARGIN, top, BODY_WIDTH, size=9)


def _area_slide(
    deck: _Deck,
    frames: metrics.Frames,
    code: str,
    figures: list[str],
    changes: list[str] | None,
) -> None:
    """One area: its measures by phase and what changed since the comparison date (``changes``;
    None: no earlier date), its key figures beside them, its top risks below."""
    lang, as_of = deck.lang, deck.as_of
    slide = deck.slide(
        area_registry.get(code).name(lang), t("chart.as_of", lang, date=fmt_date(as_of, lang))
    )
    chart = phase_chart(phase_counts(frames, code, as_of, lang), lang)
    phase_png = chart_export.render_png(chart, lang=lang, scale=2)
    by_phase = t("area.by_phase", lang)
    deck.picture(slide, phase_png, MARGIN, BODY_TOP, Inches(7.6), Inches(2.3), by_phase)
    deck.text(slide, figures, Inches(8.3), BODY_TOP, Inches(4.5), Inches(3.3), 12)
    top = BODY_TOP + Inches(2.35)
    heading = t("exports_alone.pack.changes_heading", lang)
    deck.text(slide, heading, MARGIN, top, Inches(7.6), Inches(0.3), 12, bold=True)
    lines = changes if changes is not None else [t("pack.changes.none", lang)]
    deck.text(slide, lines, MARGIN, top + Inches(0.28), Inches(7.6), Inches(0.95), 10)
    risks = top_risks(frames.risks, code, as_of)
    top = BODY_TOP + Inches(3.7)
    heading = t("pack.risks.title", lang, count=len(risks))
    deck.text(slide, heading, MARGIN, top, BODY_WIDTH, Inches(0.35), 14, bold=True)
    if risks.empty:
        none = t("pack.risks.none", lang)
        deck.text(slide, none, MARGIN, top + Inches(0.4), BODY_WIDTH, Inches(0.4), 12)
    else:
        table = risks_table(risks, lang)
        deck.table(slide, table, MARGIN, top + Inches(0.4), BODY_WIDTH, size=10)
