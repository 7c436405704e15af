"""The rows of a *roadmap* sheet: the measures, each with its phase, work stream, whether it is
critical and its deadline.

A row names a measure by id, or by name when the sheet has no id column; a known measure keeps
what the row leaves empty, a new one needs a name, a phase and a work stream (its id is the
row's own or the next free ``T-nnn``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...domain.areas import normalise_name
from ...domain.model import Measure
from .. import values
from ..validate import SheetValidator, cell_date

#: an optional cell that was reported unreadable (None is an empty one)
_INVALID = object()


def roadmap_row(sheet: SheetValidator, row: int) -> None:
    """A new measure, or a known one changed (by id, else by its one name)."""
    result = sheet.result
    given_id, id_index = sheet.value(row, "measure_id")
    name, name_index = sheet.value(row, "measure")
    if sheet.broken(row, id_index, given_id) or sheet.broken(row, name_index, name):
        return
    measure_id = values.text(given_id)
    name_text = values.text(name)
    existing = None
    if measure_id:
        existing = result.measures.id_key(measure_id)
    elif name_text and "measure_id" not in sheet.layout.columns:
        matches = result.measures.by_name.get(normalise_name(name_text), [])
        if len(matches) > 1:
            ids = ", ".join(m.id for m in matches)
            sheet.issue("ambiguous_measure", row, name_index, text=name_text, candidates=ids)
            return
        existing = matches[0] if matches else None
    if not measure_id and not name_text:
        column = name_index if name_index is not None else id_index
        sheet.issue("missing_value", row, column, column=sheet.header(column, "measure"))
        return
    if existing is None and not name_text:
        sheet.issue("missing_value", row, name_index, column=sheet.header(name_index, "measure"))
        return
    phase = _field(sheet, row, "phase", values.parse_phase, "invalid_phase", existing)
    stream = _field(sheet, row, "work_stream", result.work_stream, "unknown_work_stream", existing)
    critical = _optional(sheet, row, "critical", values.parse_bool, "invalid_critical")
    deadline = _optional(sheet, row, "deadline", cell_date, "invalid_date")
    if phase is None or stream is None or critical is _INVALID or deadline is _INVALID:
        return
    measure = Measure(
        # a known measure keeps its stored id whatever the case the row writes it in
        id=existing.id if existing else (measure_id or result.new_measure_id()),
        name=name_text or existing.name,  # type: ignore[union-attr]
        phase=phase,
        work_stream=stream,
        critical=(existing.critical if existing else False) if critical is None else critical,
        deadline=(existing.deadline if existing else None) if deadline is None else deadline,
    )
    result.add_measure(sheet, row, measure)


def _field(
    sheet: SheetValidator,
    row: int,
    column: str,
    parse: Callable[[object], Any],
    code: str,
    existing: Measure | None,
) -> Any:
    """A required cell, or the known measure's own value when the cell is empty."""
    value, index = sheet.value(row, column)
    if sheet.broken(row, index, value):
        return None
    if values.is_blank(value):
        if existing is not None:
            return getattr(existing, column)
        sheet.issue("missing_value", row, index, column=sheet.header(index, column))
        return None
    parsed = parse(value)
    if parsed is None:
        sheet.issue(code, row, index, value=values.text(value))
    return parsed


def _optional(
    sheet: SheetValidator, row: int, column: str, parse: Callable[[object], Any], code: str
) -> Any:
    """An optional cell: None when empty, ``_INVALID`` after reporting it unreadable."""
    value, index = sheet.value(row, column)
    if index is None or values.is_blank(value):
        return None
    if sheet.broken(row, index, value):
        return _INVALID
    parsed = parse(value)
    if parsed is None:
        sheet.issue(code, row, index, value=values.text(value))
        return _INVALID
    return parsed
