"""The rows of a *notes* sheet: dated notes from meetings, interviews, surveys and the media.

A note belongs to an area, or to the whole country ("Koko maa"), and may point at one roadmap
measure or one risk. Its date is the row's own; without one the date written above the header
or given for the whole import stands in. A link must be an http(s) address, so a list of notes
never carries a ``javascript:`` or a file path to click.
"""

from __future__ import annotations

from datetime import date

from ...domain.areas import normalise_name
from ...rules.notes import Note, split_tags, valid_link
from .. import values
from ..validate import SheetValidator


def _date(sheet: SheetValidator, row: int) -> date | None:
    """The row's date, else the one above the header, else the import's; reported when none."""
    value, index = sheet.value(row, "reported_on")
    if index is not None and not values.is_blank(value):
        if sheet.broken(row, index, value):
            return None
        day = values.parse_date(value)
        if day is None:
            sheet.issue("invalid_date", row, index, value=values.text(value))
        return day
    labelled = sheet.layout.labelled_date
    if labelled is not None and labelled[0] is not None:
        return labelled[0]
    if sheet.result.explicit_date is not None:
        return sheet.result.explicit_date
    where = index if index is not None else sheet.layout.columns.get("note")
    sheet.issue("missing_value", row, where, column=sheet.header(index, "reported_on"))
    return None


def _target(sheet: SheetValidator, row: int, code: str | None) -> tuple[str | None, str | None]:
    """The measure or risk the note is about; an id nothing has is a warning (note kept)."""
    measure_id = None
    value, index = sheet.value(row, "measure_id")
    if index is not None and not values.is_blank(value) and not sheet.broken(row, index, value):
        text = values.text(value)
        found = sheet.result.measures.id_key(text)
        if found is None:
            sheet.issue("unknown_note_target", row, index, "warning", text=text)
        else:
            measure_id = found.id
    risk_id = None
    value, index = sheet.value(row, "risk_id")
    if index is not None and not values.is_blank(value) and not sheet.broken(row, index, value):
        text = values.text(value)
        if sheet.result.risk_known(code, text):
            risk_id = text
        else:
            sheet.issue("unknown_note_target", row, index, "warning", text=text)
    return measure_id, risk_id


def note_row(sheet: SheetValidator, row: int) -> None:
    """One note: where, when, what, from which kind of source, with its link and tags."""
    code, national = sheet.area(row)
    text = sheet.required(row, "note")
    day = _date(sheet, row)
    source_ok, source = sheet.word(
        row, "source_type", values.parse_note_source, "invalid_source_type"
    )
    source = source or "other"  # an empty source type is "other"
    link_value, link_index = sheet.value(row, "link")
    link = None
    link_ok = True
    if link_index is not None and not values.is_blank(link_value):
        if sheet.broken(row, link_index, link_value):
            link_ok = False
        elif not valid_link(values.text(link_value)):
            link_ok = False
            sheet.issue("invalid_link", row, link_index, value=values.text(link_value))
        else:
            link = values.text(link_value)
    tags = split_tags(values.text(sheet.value(row, "tags")[0]))
    measure_id, risk_id = _target(sheet, row, code)
    if not (code or national) or text is None or day is None or not (source_ok and link_ok):
        return
    note = Note(
        area_code=code,
        noted_on=day,
        text=values.text(text) if not isinstance(text, str) else text.strip(),
        source_type=source,
        link=link,
        tags=tags,
        measure_id=measure_id,
        risk_id=risk_id,
    )
    index = sheet.layout.columns["note"]
    sheet.result.add_note(sheet, row, index, note, normalise_name(note.text)[:200])
