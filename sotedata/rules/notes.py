"""Dated notes beside the figures: what was heard in a meeting or an interview, read in a survey
or the media, written down with its date, source type, link and tags, for an area (or the whole
country) and optionally one measure or one risk.

A note comes from an import (a *notes* sheet) or from the area page's form; either way who may
write it is ``access.Principal.may_report_for`` (a preparer only for their own areas, a national
note only the ministry); ``store.people.add_note`` stores a note added on the page with its audit
row in one transaction. Checking, searching and filtering here are pure functions over values and
the store's frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..domain.access import Principal
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, t

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd

#: the source types of a note, in the order forms and filters list them
SOURCE_TYPES = ("meeting", "interview", "survey", "media", "other")
NOTE_COLUMNS = [
    "id",
    "area_code",
    "noted_on",
    "text",
    "source_type",
    "link",
    "tags",
    "measure_id",
    "risk_id",
    "created_at",
    "created_by",
    "import_id",
]
_TAG_SPLIT = re.compile(r"[,;#\n]+")


@dataclass(frozen=True)
class Note:
    """One note: ``area_code`` None is a national note."""

    area_code: str | None
    noted_on: date
    text: str
    source_type: str = "other"
    link: str | None = None
    tags: tuple[str, ...] = field(default=())
    measure_id: str | None = None
    risk_id: str | None = None


def valid_link(text: str) -> bool:
    """An absolute http or https address with a host (nothing else is shown as a link): a list
    of notes never carries a ``javascript:`` or a file path to click."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname) and " " not in text


def split_tags(text: str) -> tuple[str, ...]:
    """Tags from "talous, ICT; henkilöstö": trimmed, each once (whatever its case). The text's
    runs of white space become one space first, as a sheet's cell text does, so the form, the
    tables' filter and an import split a tag list the same way."""
    found: dict[str, str] = {}
    for part in _TAG_SPLIT.split(" ".join(text.split())):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in found:
            found[tag.casefold()] = tag
    return tuple(found.values())


def note_from_form(
    area_code: str | None,
    noted_on: date | None,
    text: str,
    source_type: str,
    link: str = "",
    tags: str = "",
    measure_id: str | None = None,
    risk_id: str | None = None,
) -> Note:
    """A note from the page's form, checked as an import checks a row (the same issue codes,
    without a cell); ``SoteError`` with every problem at once."""
    issues = []
    if not text or not text.strip():
        issues.append(Issue("missing_value", params={"column": t("notes.form.text")}))
    if noted_on is None:
        issues.append(Issue("missing_value", params={"column": t("notes.form.date")}))
    if source_type not in SOURCE_TYPES:
        issues.append(Issue("invalid_source_type", params={"value": source_type}))
    link = (link or "").strip()
    if link and not valid_link(link):
        issues.append(Issue("invalid_link", params={"value": link}))
    if issues:
        raise SoteError(issues)
    return Note(
        area_code=area_code,
        noted_on=noted_on,  # type: ignore[arg-type]
        text=text.strip(),
        source_type=source_type,
        link=link or None,
        tags=split_tags(tags),
        measure_id=measure_id or None,
        risk_id=risk_id or None,
    )


def may_write(principal: Principal | None, area_code: str | None) -> bool:
    """Whether the form is offered: the same right as storing the area's (or a national) rows."""
    return principal is not None and principal.may_report_for(area_code)


def _tags(value: object) -> list[str]:
    return [tag for tag in str(value or "").split(", ") if tag]


def area_notes(frame: pd.DataFrame, code: str | None, *, national: bool = False) -> pd.DataFrame:
    """The notes of one area (``code`` None: the national ones), newest first; with ``national``
    the national notes come along too."""
    if frame.empty:
        return frame.copy()
    wanted = frame["area_code"].isna() if code is None else frame["area_code"] == code
    if national and code is not None:
        wanted = wanted | frame["area_code"].isna()
    rows = frame[wanted]
    return rows.sort_values(["noted_on", "id"], ascending=False).reset_index(drop=True)


def search_notes(
    frame: pd.DataFrame,
    text: str = "",
    source_types: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> pd.DataFrame:
    """The notes whose text, tags, link or target contain every word of ``text`` (any case),
    of any of ``source_types`` and carrying every tag of ``tags``."""
    import pandas as pd

    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    words = text.casefold().split()
    if words:
        haystack = (
            frame["text"].fillna("")
            + " "
            + frame["tags"].fillna("")
            + " "
            + frame["measure_id"].fillna("")
            + " "
            + frame["risk_id"].fillna("")
        ).str.casefold()
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    if source_types:
        keep &= frame["source_type"].isin(list(source_types))
    if tags:
        wanted = {tag.casefold() for tag in tags}
        keep &= frame["tags"].map(lambda value: wanted <= {x.casefold() for x in _tags(value)})
    return frame[keep]


def tag_options(frame: pd.DataFrame) -> list[str]:
    """Every tag used in ``frame``, once, sorted (case ignored)."""
    import pandas as pd

    seen: dict[str, str] = {}
    for value in frame.get("tags", pd.Series(dtype=object)):
        for tag in _tags(value):
            seen.setdefault(tag.casefold(), tag)
    return sorted(seen.values(), key=str.casefold)


def notes_table(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The list as the page shows it: date, source type, text, tags, target, link."""
    import pandas as pd

    rows = []
    for row in frame.itertuples():
        target = row.measure_id or row.risk_id or ""
        if isinstance(row.measure_id, str) and row.measure_id:
            target = t("notes.target.measure", lang, id=row.measure_id)
        elif isinstance(row.risk_id, str) and row.risk_id:
            target = t("notes.target.risk", lang, id=row.risk_id)
        rows.append(
            {
                "noted_on": row.noted_on,
                "source": t(f"notes.source.{row.source_type}", lang),
                "text": row.text,
                "tags": row.tags or "",
                "target": target,
                "link": row.link if isinstance(row.link, str) else None,
            }
        )
    return pd.DataFrame(rows, columns=["noted_on", "source", "text", "tags", "target", "link"])


def timeline_notes(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The notes as the area timeline marks them: one row per note with its date, text and a
    short label (the tooltip shows the text)."""
    import pandas as pd

    rows = [
        {
            "day": row.noted_on.isoformat(),
            "date_text": fmt_date(row.noted_on, lang),
            "source": t(f"notes.source.{row.source_type}", lang),
            "text": row.text if len(row.text) <= 300 else row.text[:299] + "…",
        }
        for row in frame.itertuples()
    ]
    return pd.DataFrame(rows, columns=["day", "date_text", "source", "text"])


def notes_sentence(frame: pd.DataFrame, lang: str | None = None, limit: int = 10) -> str:
    """The timeline's notes as text (its text equivalent): the ``limit`` newest in date order,
    and how many more there are."""
    if frame.empty:
        return t("notes.timeline.none", lang)
    newest = frame.sort_values("noted_on", ascending=False).head(limit)
    items = "; ".join(
        f"{fmt_date(row.noted_on, lang)} ({t(f'notes.source.{row.source_type}', lang)}): "
        f"{(row.text if len(row.text) <= 120 else row.text[:119] + '…').rstrip('.')}"
        for row in newest.sort_values("noted_on").itertuples()
    )
    if len(frame) > limit:
        items += "; " + t("notes.timeline.more", lang, count=len(frame) - limit)
    return t("notes.timeline.sentence", lang, count=len(frame), items=items)


def national_risk_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """The notes that cite a national risk (no area), newest first: the evidence the risks page
    shows under the national risks."""
    if frame.empty:
        return frame.copy()
    rows = frame[frame["area_code"].isna() & frame["risk_id"].notna()]
    return rows.sort_values(["noted_on", "id"], ascending=False).reset_index(drop=True)
