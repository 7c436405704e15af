"""The rows of an *organisers* sheet: organisers added to the registry, or corrected in it.

An organiser is found by its id (``Järjestäjän tunnus``) or, without one, by its Finnish or
Swedish name; a name or an id the registry does not know adds an organiser (then its type is
needed). Members are municipality codes or names, separated by spaces, commas or semicolons.
A preparer may store only organisers whose members are all in their own areas, before and
after the change (``Principal.may_report_for_organiser``).
"""

from __future__ import annotations

import re
import unicodedata

from ...domain import municipalities, organisers
from ...domain.areas import REFORM_CODES, normalise_name
from ...domain.organisers import Organiser
from .. import values
from ..validate import SheetValidator

_SEPARATORS = re.compile(r"[,;\n]+|\s{2,}")


def _type(sheet: SheetValidator, row: int) -> tuple[bool, str | None]:
    """The type cell: (True, None) empty, (True, key) known, (False, None) reported."""
    words = {}
    for kind in organisers.load_types().values():
        for text in (kind.key, kind.name_fi, kind.name_sv, kind.name_en):
            words[normalise_name(text)] = kind.key
    return sheet.word(
        row, "organiser_type", lambda v: words.get(normalise_name(v)), "invalid_organiser_type"
    )


def member_codes(text: str) -> tuple[list[str], list[str]]:
    """(codes, what names nothing): each part a code ("5", "005") or a municipality's name."""
    parts = []
    for part in (p.strip() for p in _SEPARATORS.split(text)):
        # codes may be separated by single spaces too ("047 148 261")
        parts.extend(part.split() if re.fullmatch(r"[\d\s]+", part) else [part] if part else [])
    codes: list[str] = []
    unknown: list[str] = []
    for part in parts:
        found = municipalities.get(part) or municipalities.by_name(part)
        if found is None or found.area_code not in REFORM_CODES:
            unknown.append(part)
        else:
            codes.append(found.code)
    return sorted(set(codes)), unknown


def _known(sheet: SheetValidator, row: int, name: str) -> tuple[bool, Organiser | None]:
    """The organiser the row corrects, if any; (False, None) after an ambiguous name."""
    registry = sheet.result.organiser_registry
    given, index = sheet.value(row, "organiser_id")
    if index is not None and not values.is_blank(given):
        return True, registry.by_id.get(values.text(given).strip())
    found = registry.find(name)
    if len(found) > 1:
        names = ", ".join(o.id for o in found)
        sheet.issue(
            "ambiguous_organiser",
            row,
            sheet.layout.columns["organiser"],
            text=name,
            candidates=names,
        )
        return False, None
    return True, (found[0] if found else None)


def _new_id(sheet: SheetValidator, row: int, name: str) -> str:
    given, index = sheet.value(row, "organiser_id")
    if index is not None and not values.is_blank(given):
        return values.text(given).strip()[:60]
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return f"org-{slug}"[:60]


def organiser_row(sheet: SheetValidator, row: int) -> None:
    """One organiser added or corrected."""
    name_cell = sheet.required(row, "organiser")
    members_cell = sheet.required(row, "members")
    type_ok, kind = _type(sheet, row)
    name = values.text(name_cell).strip() if name_cell is not None else ""
    found_ok, known = _known(sheet, row, name) if name else (True, None)
    codes: list[str] = []
    if members_cell is not None:
        codes, unknown = member_codes(values.text(members_cell))
        index = sheet.layout.columns["members"]
        for part in unknown:
            sheet.issue("unknown_member", row, index, value=part)
        if unknown or not codes:
            codes = []
            if not unknown:
                sheet.issue("missing_value", row, index, column=sheet.header(index, "members"))
    kind = kind or (known.type if known is not None else None)
    if kind is None and type_ok and name:
        index = sheet.layout.columns.get("organiser_type", sheet.layout.columns["organiser"])
        sheet.issue("missing_value", row, index, column=sheet.header(index, "organiser_type"))
    if not (name and codes and kind and type_ok and found_ok):
        return
    name_sv = values.text(sheet.value(row, "name_sv")[0]).strip()
    organiser = Organiser(
        id=known.id if known is not None else _new_id(sheet, row, name),
        type=kind,
        name_fi=name,
        name_sv=name_sv or (known.name_sv if known is not None else name),
        member_codes=tuple(codes),
        area_codes=organisers.area_codes_of(codes),
        source="import",
    )
    reach = set(organiser.area_codes) | set(known.area_codes if known is not None else ())
    sheet.result.add_organiser(sheet, row, sheet.layout.columns["organiser"], organiser, reach)
