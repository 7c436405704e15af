"""Cell values → domain values: statuses, yes/no, phases, 1–5 scores and dates, in three languages.

The words are data (``data/value_words.csv``: ``kind,value,word``). Every parser returns ``None``
for a value it does not understand; the caller turns that into an issue with the cell's position.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from functools import cache, lru_cache
from pathlib import Path

from ..domain.areas import normalise_name
from ..domain.model import Status

_DATA = Path(__file__).resolve().parents[1] / "data"
_EXCEL_EPOCH = date(1899, 12, 30)
_ROMAN = {"i": 1, "ii": 2, "iii": 3}
_PHASE = re.compile(r"^(?:vaihe|fas|phase)?\s*([1-3]|iii|ii|i)\.?\s*(?:vaihe|fas|phase)?$")
_LEADING_NUMBER = re.compile(r"^\s*([0-9]+(?:[.,]0*)?)(?:\s*[-–—:.)]\s*\S.*|\s+\S.*)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{2}|\d{4})\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
#: Excel serial day numbers that can be a date in this app's world (1954–2119)
_SERIAL_RANGE = (20_000, 80_000)
#: Excel's error values, as a CSV export or a text cell shows them
EXCEL_ERRORS = frozenset(
    {"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


@cache
def _words() -> dict[str, dict[str, str]]:
    """kind → normalised word → value."""
    table: dict[str, dict[str, str]] = {}
    with (_DATA / "value_words.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = normalise_name(row["word"]) or row["word"].strip()
            table.setdefault(row["kind"], {})[key] = row["value"]
    if set(table.get("status", {}).values()) - {s.value for s in Status}:
        raise ValueError("value_words.csv: unknown status value")
    return table


@lru_cache(maxsize=8192)
def _key(value: object) -> str:
    """The matching key of a cell (cached: a column repeats the same few words)."""
    text = str(value).strip()
    return normalise_name(text) or text


def is_blank(value: object) -> bool:
    # the hot path of every row: calamine gives "" for an empty cell
    if value is None or value == "":
        return True
    if isinstance(value, str):
        return value.isspace()
    return isinstance(value, float) and math.isnan(value)


def text(value: object) -> str:
    """A cell as text: 5.0 → "5", dates ISO, strings stripped."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def is_excel_error(value: object) -> bool:
    return type(value) is str and "#" in value[:3] and value.strip().upper() in EXCEL_ERRORS


def parse_status(value: object) -> Status | None:
    if isinstance(value, Status):
        return value
    found = _words()["status"].get(_key(value))
    if found is None and isinstance(value, str):
        found = _words()["status"].get(_key(value.strip().replace("_", " ")))
        if found is None and value.strip().lower() in {s.value for s in Status}:
            found = value.strip().lower()
    return Status(found) if found else None


@dataclass(frozen=True)
class StatusName:
    """A status named in a message in the message's own language ("Valmis", "Klar", "Done")."""

    status: Status

    def localise(self, lang: str | None) -> str:
        return self.status.label(lang)


#: how alike a misspelt word must be to a status word to be offered as meant (difflib's ratio):
#: "Valmsi", "Valmiss" and "Klarr" are, "melkein" is like none
_CLOSE = 0.75


def closest_status(value: object) -> StatusName | None:
    """The status a word that is none of ours was most likely meant to be, from the status words
    of every language in ``value_words.csv`` (a Swedish preparer's Finnish typo is found too);
    None when no word is close."""
    words = _words()["status"]
    found = get_close_matches(_key(text(value)), list(words), n=1, cutoff=_CLOSE)
    return StatusName(Status(words[found[0]])) if found else None


def parse_risk_closed(value: object) -> bool | None:
    """A risk sheet's status cell: True "Suljettu" (closed), False "Avoin" (open), None other."""
    found = _words()["risk_state"].get(_key(value))
    return None if found is None else found == "closed"


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    found = _words()["critical"].get(_key(value))
    return None if found is None else found == "true"


def parse_phase(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() and 1 <= value <= 3 else None
    raw = " ".join(str(value).split()).casefold()
    match = _PHASE.match(raw)
    if match:
        number = match.group(1)
        return _ROMAN.get(number) or int(number)
    found = _words()["phase"].get(normalise_name(raw))
    if found is None:
        # a phase name with its number in front: "2. Hallituksen esityksen jälkeen"
        found = _words()["phase"].get(normalise_name(re.sub(r"^[1-3]\s*[.)]?\s*", "", raw)))
    return int(found) if found else None


def parse_score(value: object) -> int | None:
    """A 1–5 rating: 3, 3.0, "3", "3,0", "3 – kohtalainen"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        match = _LEADING_NUMBER.match(str(value))
        if not match:
            return None
        number = float(match.group(1).replace(",", "."))
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def parse_date(value: object) -> date | None:
    """Excel dates (cells or serial numbers), "23.11.2026", "23/11/2026", "2026-11-23"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    raw = str(value).strip()
    try:
        if match := _ISO.match(raw):
            return date(*map(int, match.groups()))
        if match := _DMY.match(raw):
            day, month, year = (int(part) for part in match.groups())
            if year < 100:
                year += 2000
            return date(year, month, day)
    except ValueError:
        return None
    if re.fullmatch(r"\d{5}(?:[.,]0+)?", raw):
        return parse_date(float(raw.replace(",", ".")))
    return None


_MONEY_NOISE = re.compile(r"(?i)\s|\u00a0|\u202f|€|eur(?:oa?)?\b|'")
_MONEY = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_money(value: object) -> float | None:
    """Euros as a preparer writes them: 1234567, "1 234 567,89 €", "1.234.567,89", "1,234,567.89
    EUR". A single comma is the decimal comma (Finnish and Swedish); of a comma and a point, the
    later one is the decimal separator and the other groups thousands. None for anything else
    (text, a negative amount, a yes/no cell)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) and number >= 0 else None
    raw = _MONEY_NOISE.sub("", str(value))
    if not raw:
        return None
    if "," in raw and "." in raw:
        decimal, group = (",", ".") if raw.rfind(",") > raw.rfind(".") else (".", ",")
        raw = raw.replace(group, "").replace(decimal, ".")
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    elif raw.count(",") > 1:
        raw = raw.replace(",", "")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    if not _MONEY.match(raw):
        return None
    number = float(raw)
    return number if number >= 0 else None


def parse_grant_status(value: object) -> str | None:
    """A project's state: planned, ongoing, completed or cancelled (three languages)."""
    return _words()["grant_status"].get(_key(value))


def parse_note_source(value: object) -> str | None:
    """Where a note comes from: meeting, interview, survey, media or other (three languages)."""
    found = _words()["note_source"].get(_key(value))
    if found is None and isinstance(value, str) and value.strip().lower() in NOTE_SOURCES:
        found = value.strip().lower()
    return found


#: the source types of a note, in the order forms and filters list them
NOTE_SOURCES = ("meeting", "interview", "survey", "media", "other")
#: the states of a state-grant project
GRANT_STATUSES = ("planned", "ongoing", "completed", "cancelled")


def is_national(value: object) -> bool:
    """ "Koko maa", "Hela landet", "National": a risk that is no one area's."""
    return _key(value) in _words()["national"]


def is_totals(value: object) -> bool:
    """ "Yhteensä", "Totalt", "Total": a totals row under the data."""
    return _key(value) in _words()["totals"]


def word(kind: str, value: object) -> str | None:
    """What a cell means in one of the word lists of ``data/value_words.csv`` (``kind``), or None:
    the lists of region prefixes, national codes and dimension totals are read through this."""
    if is_blank(value):
        return None
    return _words().get(kind, {}).get(_key(text(value)))


def is_dimension_total(value: object) -> bool:
    """ "Yhteensä", "Total", "Totalt", "Both sexes", or an empty class: the total of a dimension
    such as sex, age group or drug class."""
    return is_blank(value) or word("dimension_total", value) is not None
