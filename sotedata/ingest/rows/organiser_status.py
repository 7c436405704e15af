"""The rows of an *organiser_status* sheet: one organiser's status of one handover topic.

The organiser is named by its id or its Finnish or Swedish name (the registry's, or one the same
file adds), the topic by a word of ``data/handover_topics.csv`` in any language, the status by
the five words of the measures. The date is the row's, else the one above the header, else the
import's. A preparer reports only for organisers whose members are all in their own areas.
"""

from __future__ import annotations

from difflib import get_close_matches

from ...domain import organisers
from ...domain.organisers import Organiser, OrganiserReport
from .. import values
from ..validate import SheetValidator


def find_organiser(sheet: SheetValidator, row: int) -> Organiser | None:
    """The row's organiser, by its id column or its name column; issues at that cell."""
    registry = sheet.result.organiser_registry
    added = {o.id: o for o, *_ in sheet.result.organiser_edits.values()}
    for column in ("organiser_id", "organiser"):
        value, index = sheet.value(row, column)
        if index is None or values.is_blank(value):
            continue
        if sheet.broken(row, index, value):
            return None
        text = values.text(value).strip()
        if text in added:
            return added[text]
        named = {o.id: o for o in registry.find(text)}  # the file's own version of each wins
        named |= {o.id: o for o in added.values() if text in (o.name_fi, o.name_sv)}
        found = [added.get(key, organiser) for key, organiser in named.items()]
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(o.id for o in found)
            sheet.issue("ambiguous_organiser", row, index, text=text, candidates=ids)
            return None
        names = [o.name_fi for o in registry.organisers]
        close = ", ".join(get_close_matches(text, names, n=3, cutoff=0.6)) or "–"
        sheet.issue("unknown_organiser", row, index, text=text, candidates=close)
        return None
    index = sheet.layout.columns.get("organiser", sheet.layout.columns.get("organiser_id"))
    sheet.issue("missing_value", row, index, column=sheet.header(index, "organiser"))
    return None


def organiser_status_row(sheet: SheetValidator, row: int) -> None:
    """One organiser × topic × date status."""
    organiser = find_organiser(sheet, row)
    topic_cell = sheet.required(row, "topic")
    topic = None
    if topic_cell is not None:
        topic = organisers.topic_key(topic_cell)
        if topic is None:
            words = ", ".join(t.name_fi for t in organisers.topics())
            index = sheet.layout.columns["topic"]
            sheet.issue("unknown_topic", row, index, value=values.text(topic_cell), topics=words)
    status_cell = sheet.required(row, "status")
    status = None
    if status_cell is not None:
        status = values.parse_status(status_cell)
        if status is None:
            index = sheet.layout.columns["status"]
            sheet.issue("invalid_status", row, index, value=values.text(status_cell))
    comment = sheet.value(row, "comment")[0]
    comment = None if values.is_blank(comment) else values.text(comment)
    day = sheet.reported_on(row)
    if organiser is None or topic is None or status is None or day is None:
        return
    report = OrganiserReport(organiser.id, topic, status, day, comment)
    index = sheet.layout.columns.get("organiser", sheet.layout.columns.get("organiser_id"))
    sheet.result.add_organiser_report(sheet, row, index, report, organiser.area_codes)
