"""The meeting pack's area slide, as lines and a chart: the key figures beside the median with
their change since the comparison date, the phase bars with a number only where it fits, and
what changed in the area since the comparison date (the area page's sentence and the first
measures that moved). Apart from ``pack`` so that the deck's drawing stays one module of its own
size."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from ..charts import base as charts
from ..domain.i18n import fmt_number, t
from ..rules import metrics
from ..views.area import KEY_FIGURES, STATUS_ORDER
from ..views.changes import changes_sentence
from ..views.national import format_value

#: an area slide lists this many of its measures whose status changed since the comparison date
MOVES_SHOWN = 2
#: the pack's phase bars are 520 px wide (``charts.phase_status_bars``); a number needs about
#: this many pixels a digit
BAR_WIDTH = 520
DIGIT_WIDTH = 7
#: room either side of a number (its own dx and the gap to its neighbour's)
LABEL_MARGIN = 14


def _change(now: object, then: object, kind: str, lang: str | None) -> str:
    """A figure's change since the comparison date: "+3 %-yks." for a share, "−1" for a count."""
    if now is None or then is None or pd.isna(now) or pd.isna(then):
        return t("value.none", lang)
    if kind == "share":
        return format_value(float(now) - float(then), "share_change", lang)
    amount = round(float(now) - float(then))
    sign = "+" if amount > 0 else ("−" if amount < 0 else "±")
    return sign + fmt_number(abs(amount), lang=lang)


def key_figures(
    table: pd.DataFrame,
    medians: dict[str, float],
    code: str,
    lang: str | None = None,
    before: pd.DataFrame | None = None,
) -> list[str]:
    """The area page's key figures as slide lines: "Valmiit toimenpiteet: 95 % (mediaani 92 %)",
    and with ``before`` (the same table on the comparison date) the change since then.

    Takes the all-areas table computed once for the deck (the area page's ``build_area_view``
    computes it per area, which for 22 slides was a third of the build time)."""
    row = table.set_index("code").loc[code]
    then = None if before is None else before.set_index("code").loc[code]
    lines = []
    for metric in KEY_FIGURES:
        kind = metrics.METRICS[metric]["kind"]
        line = t(
            "pack.figure",
            lang,
            label=t(f"metric.{metric}", lang),
            value=format_value(row[metric], kind, lang),
            median=format_value(medians.get(metric), kind, lang),
        )
        if then is not None:
            change = _change(row[metric], then[metric], kind, lang)
            line = t("exports_alone.pack.figure_change", lang, line=line, change=change)
        lines.append(line)
    return lines


def phase_chart(counts: pd.DataFrame, lang: str | None = None) -> alt.TopLevelMixin:
    """``charts.phase_status_bars`` with a number only in a segment wide enough for it: a
    delayed 1 beside 24 done would otherwise print "241"."""
    widest = max(1, int(counts.groupby("phase_label")["count"].sum().max() or 1))
    room = [
        c > 0 and c / widest * BAR_WIDTH >= DIGIT_WIDTH * len(str(c)) + LABEL_MARGIN
        for c in counts["count"]
    ]
    labelled = counts.assign(
        count_text=[str(c) if fits else "" for c, fits in zip(counts["count"], room, strict=True)]
    )
    chart = charts.phase_status_bars(labelled, status_order=STATUS_ORDER, lang=lang)
    chart.layer[1].encoding.text = alt.Text("count_text:N")  # the text layer writes the label
    return chart


def area_changes(
    moves: pd.DataFrame,
    risks: pd.DataFrame,
    code: str,
    since: date,
    as_of: date,
    lang: str | None = None,
) -> list[str]:
    """What changed in one area since the comparison date, as slide lines: the area page's
    sentence, then the first measures whose status moved ("M12 Name: Käynnissä → Valmis")."""
    own = moves[moves["area_code"] == code]
    lines = [changes_sentence(own, risks[risks["area_code"] == code], since, as_of, lang)]
    for record in own.head(MOVES_SHOWN).to_dict("records"):
        lines.append(
            t(
                "exports_alone.pack.move",
                lang,
                measure=record["measure_id"],
                name=record["name"],
                before=t(f"status.{record['from_status']}", lang),
                after=t(f"status.{record['to_status']}", lang),
            )
        )
    if len(own) > MOVES_SHOWN:
        more = fmt_number(len(own) - MOVES_SHOWN, lang=lang)
        lines.append(t("exports_alone.pack.more_moves", lang, count=more))
    return lines
