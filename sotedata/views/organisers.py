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
from ..domain.organisers import (
    Organiser,
    OrganiserReport,
    Registry,
    done_share,
    load_types,
    shipped,
    topics,
)
from ..rules.metric_spec import MetricContext, MetricSpec
from ..store import organisers as organiser_rows
from ..store.engine import Store
from .query import TableQuery
from .table_base import Sources, search_rows

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


def _status(value: str | None) -> Status | None:
    return Status(value) if value else None


def type_name(key: str, lang: str | None = None) -> str:
    kind = load_types().get(key)
    return kind.name(lang) if kind is not None else key


def status_frame(
    organisers: list[Organiser], reports: list[OrganiserReport], lang: str | None = None
) -> pd.DataFrame:
    """One row per organiser × topic: its latest status (None: never reported) and date."""
    latest = {(r.organiser_id, r.topic): r for r in reports}
    rows = []
    columns = ["organiser_id", "organiser", "type", "topic", "topic_name", "status"]
    columns += ["status_label", "reported_on", "comment"]
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
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class AreaOrganisers:
    """An area's organisers, their handover by topic, and its municipalities by organiser."""

    area_code: str
    organisers: list[Organiser]
    status: pd.DataFrame  # status_frame
    done: float | None  # done_share of ``status``

    @property
    def approximate(self) -> bool:
        """Whether any of the organisers' membership is approximate (the registry's sources)."""
        return any(o.approximate for o in self.organisers)

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
    done = done_share(_status(s) for s in frame["status"]) if found else None
    return AreaOrganisers(area_code, found, frame, done)


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


def handover_done(context: MetricContext) -> pd.Series:
    """The national map's "organisers' handover done" (``domain.organisers.done_by_area``) on the
    view's as-of date; no store (the tables page's figures, a test): no values."""
    if context.store is None:
        return pd.Series(dtype=float)
    shares = context.store.organiser_done_shares(context.as_of)
    return pd.Series({code: v for code, v in shares.items() if v is not None}, dtype=float)


#: registered in ``views.metric_sources.REGISTERED``
HANDOVER_DONE = MetricSpec("organisers_done", "share", "higher_is_better", handover_done)


#: the tables page's and ``sote export --table organisers``' columns: the registry in force with
#: each organiser's latest status per handover topic (an organiser never reported: empty status)
ORGANISERS_SPEC = (
    ("organiser_id", "code"),
    ("organiser", "text"),
    ("organiser_type", "text"),
    ("organiser_areas", "text"),
    ("member_codes", "text"),
    ("topic", "text"),
    ("status", "text"),
    ("reported_on", "date"),
    ("comment", "text"),
)


def organiser_sources(store: Store) -> tuple[Registry, list[OrganiserReport]]:
    """What the organisers table is built from: the registry in force and every report."""
    with store.reading() as connection:
        return organiser_rows.registry(connection), organiser_rows.history(connection)


def organisers_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """One row per organiser × handover topic: the registry with the latest status on
    ``query.as_of``, filtered by areas (an organiser with a member in one), status and text."""
    # without the store's (a door that did not read them): the shipped registry, no reports
    registry, history = sources.organisers or (shipped(), [])
    chosen = list(registry.organisers)
    if query.areas:
        chosen = [o for o in chosen if set(o.area_codes) & set(query.areas)]
    day = query.as_of or date.max
    frame = status_frame(chosen, [r for r in history if r.reported_on <= day], lang)
    by_id = {o.id: o for o in chosen}
    frame["organiser_type"] = frame["type"]
    frame["organiser_areas"] = [
        ", ".join(areas.get(code).short(lang) for code in by_id[i].area_codes)
        for i in frame["organiser_id"]
    ]
    frame["member_codes"] = [" ".join(by_id[i].member_codes) for i in frame["organiser_id"]]
    frame["topic"] = frame["topic_name"]
    if query.statuses:
        frame = frame[frame["status"].isin(query.statuses)]
    frame["status"] = [
        label if s else None
        for s, label in zip(frame["status"], frame["status_label"], strict=True)
    ]
    columns = [key for key, _ in ORGANISERS_SPEC]
    return search_rows(
        frame[columns], query.search, ["organiser_id", "organiser", "organiser_areas", "topic"]
    )
