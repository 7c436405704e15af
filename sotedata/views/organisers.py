"""What the pages and exports show of the organisers (issue 20): an area's organisers with their
handover by topic, its municipalities by organiser, the national "organisers' handover done"
and the tables of the registry and the latest statuses.

The registry in force is the shipped one with the stored corrections laid over it
(``store/organisers.py``); a status counts by its latest report on or before the as-of date,
like a measure's, and ``not_applicable`` leaves both the count and the denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from ..charts import organisers as organiser_charts
from ..charts.base import subtitle
from ..domain import areas, municipalities
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, t
from ..domain.model import Status
from ..domain.organisers import Organiser, OrganiserReport, Registry, load_types, topics
from ..store import organisers as organiser_rows
from ..store.engine import Store

#: the services a map can be coloured by, in the order offered (the types file's services)
MAP_SERVICES = ("basic", "specialised", "rescue", "special_care")


def registry_in_force(store: Store) -> Registry:
    """The shipped registry with the stored corrections laid over it."""
    with store.reading() as connection:
        return organiser_rows.registry(connection)


def latest_reports(store: Store, as_of: date | None = None) -> list[OrganiserReport]:
    """Each organiser × topic's latest report on or before ``as_of``."""
    with store.reading() as connection:
        return organiser_rows.latest_reports(connection, as_of)


def type_name(key: str, lang: str | None = None) -> str:
    kind = load_types().get(key)
    return kind.name(lang) if kind is not None else key


def status_frame(
    organisers: list[Organiser], reports: list[OrganiserReport], lang: str | None = None
) -> pd.DataFrame:
    """One row per organiser × topic: its latest status (None: never reported) and date."""
    latest = {(r.organiser_id, r.topic): r for r in reports}
    rows = []
    for organiser in organisers:
        for topic in topics():
            report = latest.get((organiser.id, topic.key))
            status = report.status.value if report is not None else None
            rows.append(
                {
                    "organiser_id": organiser.id,
                    "organiser": organiser.name(lang),
                    "type": type_name(organiser.type, lang),
                    "topic": topic.key,
                    "topic_name": topic.name(lang),
                    "status": status,
                    "status_label": (
                        Status(status).label(lang) if status else t("organisers.not_reported", lang)
                    ),
                    "reported_on": report.reported_on if report is not None else None,
                    "comment": report.comment if report is not None else None,
                }
            )
    return pd.DataFrame(rows)


def done_share(frame: pd.DataFrame) -> float | None:
    """The share of organiser × topic pairs done; not applicable leaves the denominator, never
    reported counts as not done; None when nothing counts."""
    counted = frame[frame["status"] != Status.NOT_APPLICABLE.value]
    if counted.empty:
        return None
    return float((counted["status"] == Status.DONE.value).mean())


@dataclass(frozen=True)
class AreaOrganisers:
    """An area's organisers, their handover by topic, and its municipalities by organiser."""

    area_code: str
    organisers: list[Organiser]
    status: pd.DataFrame  # status_frame
    done: float | None  # done_share of ``status``

    def members(self, service: str, lang: str | None = None) -> pd.DataFrame:
        """The area's municipalities with their organiser of ``service`` (a municipality on its
        own is labelled so, not by its own name, so the map has few colours)."""
        types = load_types()
        own = t("organisers.own_municipality", lang)
        rows = []
        for municipality in municipalities.of_area(self.area_code):
            found = [
                o
                for o in self.organisers
                if municipality.code in o.member_codes and types[o.type].service == service
            ]
            organiser = found[0] if found else None
            label = t("organisers.none", lang)
            if organiser is not None:
                label = own if organiser.type == "municipality" else organiser.name(lang)
            rows.append(
                {
                    "code": municipality.code,
                    "municipality": municipality.name(lang),
                    "organiser": label,
                    "organiser_id": organiser.id if organiser is not None else None,
                }
            )
        return pd.DataFrame(rows)


def area_organisers(
    store: Store, area_code: str, as_of: date | None, lang: str | None = None
) -> AreaOrganisers:
    """The area page's section: its organisers and their latest statuses on ``as_of``."""
    found = registry_in_force(store).of_area(area_code)
    frame = status_frame(found, latest_reports(store, as_of), lang)
    return AreaOrganisers(area_code, found, frame, done_share(frame) if found else None)


def status_chart(
    view: AreaOrganisers, as_of: date | None, example: bool, lang: str | None = None
) -> alt.TopLevelMixin:
    """The organiser × topic colour table of the area's section."""
    when = t("organisers.as_of", lang, date=fmt_date(as_of, lang)) if as_of else ""
    title = t("organisers.table_title", lang, area=areas.get(view.area_code).short(lang))
    return organiser_charts.status_table(
        view.status, title=title, subtitle=subtitle(when, example, lang=lang), lang=lang
    )


def map_chart(
    view: AreaOrganisers,
    features: list[dict],
    service: str,
    *,
    attribution: str,
    example: bool,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The area's municipalities coloured by their organiser of ``service``."""
    area = areas.get(view.area_code).short(lang)
    return organiser_charts.organiser_map(
        features,
        view.members(service, lang),
        title=t("organisers.map_title", lang, area=area, service=service_name(service, lang)),
        subtitle=subtitle(attribution, example, lang=lang),
        legend_title=t("organisers.col.name", lang),
        own_label=t("organisers.own_municipality", lang),
        lang=lang,
    )


def service_name(service: str, lang: str | None = None) -> str:
    return t(f"organisers.service.{service}", lang)


def sentence(view: AreaOrganisers, lang: str | None = None) -> str:
    """The section's text: how many organisers, and the share of their handover done."""
    done = "–" if view.done is None else fmt_percent(view.done, 0, lang)
    return t(
        "organisers.sentence",
        lang,
        area=areas.get(view.area_code).short(lang),
        count=fmt_number(len(view.organisers), 0, lang),
        done=done,
    )


def handover_done_by_area(store: Store, as_of: date | None) -> dict[str, float | None]:
    """The national metric "organisers' handover done": per area the share of its organiser ×
    topic pairs done on ``as_of`` (an organiser of several areas counts in each)."""
    registry = registry_in_force(store)
    reports = latest_reports(store, as_of)
    shares: dict[str, float | None] = {}
    for code in areas.REFORM_CODES:
        found = registry.of_area(code)
        shares[code] = done_share(status_frame(found, reports)) if found else None
    return shares


def registry_table(store: Store, lang: str | None = None) -> pd.DataFrame:
    """The registry in force as a table: one row per organiser."""
    rows = []
    for organiser in registry_in_force(store).organisers:
        names = [municipalities.get(code) for code in organiser.member_codes]
        rows.append(
            {
                t("organisers.col.id", lang): organiser.id,
                t("organisers.col.type", lang): type_name(organiser.type, lang),
                t("organisers.col.name_fi", lang): organiser.name_fi,
                t("organisers.col.name_sv", lang): organiser.name_sv,
                t("organisers.col.areas", lang): ", ".join(
                    areas.get(code).short(lang) for code in organiser.area_codes
                ),
                t("organisers.col.member_codes", lang): " ".join(organiser.member_codes),
                t("organisers.col.members", lang): ", ".join(m.name(lang) for m in names if m),
                t("organisers.col.source", lang): organiser.source,
            }
        )
    return pd.DataFrame(rows)


def latest_status_table(
    store: Store, as_of: date | None, lang: str | None = None, area_codes: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The latest status of every organiser × topic reported on or before ``as_of`` (of the
    organisers of ``area_codes`` when given)."""
    registry = registry_in_force(store)
    chosen = registry.organisers
    if area_codes:
        chosen = tuple(o for o in chosen if set(o.area_codes) & set(area_codes))
    frame = status_frame(list(chosen), latest_reports(store, as_of), lang)
    frame = frame[frame["status"].notna()]
    return pd.DataFrame(
        {
            t("organisers.col.id", lang): frame["organiser_id"],
            t("organisers.col.name", lang): frame["organiser"],
            t("organisers.col.type", lang): frame["type"],
            t("organisers.col.topic", lang): frame["topic_name"],
            t("organisers.col.status", lang): frame["status_label"],
            t("organisers.col.reported_on", lang): frame["reported_on"],
            t("organisers.col.comment", lang): frame["comment"],
        }
    ).reset_index(drop=True)
