"""The rows of a *risks* sheet: a risk of an area (or of the whole country, "Koko maa") rated on
a date by likelihood and impact, with its theme, mitigation and owner, open or closed.

A risk's id is its own column's, else a plain id column's, else its title's; a row that closes a
risk may leave its scores empty, and then the ones it last had (in the file, else stored) stand.
"""

from __future__ import annotations

from ...domain.areas import normalise_name
from ...domain.model import RiskRating
from .. import values
from ..validate import SheetValidator


def risk_row(sheet: SheetValidator, row: int) -> None:
    """One rating of a risk; a closing row without scores keeps the ones the risk last had."""
    code, national = sheet.area(row)
    title = sheet.required(row, "risk")
    closed = _risk_closed(sheet, row)
    if closed is None:
        return
    scores: list[int | None] = []
    unreadable = False
    for column in ("likelihood", "impact"):
        value, index = sheet.value(row, column)
        if closed and values.is_blank(value):  # closing needs no new scores
            scores.append(None)
            continue
        value = sheet.required(row, column)
        score = None if value is None else values.parse_score(value)
        if value is not None and score is None:
            sheet.issue("invalid_score", row, index, value=values.text(value))
        unreadable = unreadable or score is None
        scores.append(score)
    day = sheet.reported_on(row)
    if not (code or national) or title is None or unreadable or day is None:
        return
    title_text = values.text(title)
    # a risk's id: its own column, else a plain "Tunnus"/"ID" column, else its title
    given = sheet.value(row, "risk_id")[0]
    if values.is_blank(given):
        given = sheet.value(row, "measure_id")[0]
    risk_id = (values.text(given) or normalise_name(title_text)[:40])[:40]
    if None in scores:  # a closing row: the scores the risk last had
        known = sheet.result.last_scores(code, risk_id, day)
        if known is None:
            index = sheet.layout.columns.get("status")
            sheet.issue("unknown_risk_to_close", row, index, risk=title_text)
            return
        scores = [s if s is not None else k for s, k in zip(scores, known, strict=True)]
    rating = RiskRating(
        area_code=code,
        risk_id=risk_id,
        title=title_text,
        theme=values.text(sheet.value(row, "work_stream")[0]),
        likelihood=scores[0],  # type: ignore[arg-type]
        impact=scores[1],  # type: ignore[arg-type]
        mitigation=values.text(sheet.value(row, "mitigation")[0]) or None,
        owner=values.text(sheet.value(row, "owner")[0]) or None,
        reported_on=day,
        closed=closed,
    )
    sheet.result.add_risk(sheet, row, sheet.layout.columns["likelihood"], rating)


def _risk_closed(sheet: SheetValidator, row: int) -> bool | None:
    """False for an open risk (no status column, an empty cell, "Avoin"), True for a closing
    one ("Suljettu"); None after reporting an unreadable cell."""
    value, index = sheet.value(row, "status")
    if index is None or values.is_blank(value):
        return False
    if sheet.broken(row, index, value):
        return None
    closed = values.parse_risk_closed(value)
    if closed is None:
        sheet.issue("invalid_risk_status", row, index, value=values.text(value))
    return closed
