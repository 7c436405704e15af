"""Two sections of the area page (pages/area.py draws them): the area's state-grant projects,
and its dated notes — a form to add one for those who may write for the area, and a searchable
list. Thin views: figures from :mod:`sotedata.rules.grants`, notes from :mod:`sotedata.rules.notes`,
rights from :mod:`sotedata.domain.access` through ``access_ui.current_principal``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sotedata.domain.access import Principal
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import fmt_date, fmt_number, fmt_percent, t
from sotedata.rules import grants, notes
from sotedata.store import people as accounts
from sotedata.store.snapshot import DataVersion
from ui import access_ui, common


@st.cache_data(show_spinner=False, max_entries=4)
def _grants(url: str, version: DataVersion) -> pd.DataFrame:
    return common.store(url).grants()


@st.cache_data(show_spinner=False, max_entries=4)
def _notes(url: str, version: DataVersion) -> pd.DataFrame:
    return common.store(url).notes()


@st.cache_data(show_spinner=False, max_entries=4)
def _population(url: str, version: DataVersion) -> tuple[dict[str, float], str]:
    features = common.boundaries().features
    return grants.population_by_area(common.store(url), features)


def notes_frame(url: str) -> pd.DataFrame:
    """Every stored note (``store.notes()``), cached per database and data version: a note added
    on the page, or an import bringing notes, changes the version."""
    return _notes(url, common.data_version(url))


@st.cache_data(show_spinner=False, max_entries=32)
def _grants_view(
    url: str,
    version: DataVersion,
    area_code: str,
    as_of: date,
    lang: str,
    _status: dict[str, str],
) -> tuple[str, pd.DataFrame | None]:
    """The section's sentence and its formatted project table (None: no project), once per data
    version, area and date: a warm rerun summed every area's projects again. ``_status`` (not
    part of the key) is the area's measure statuses on ``as_of`` in this data version."""
    frame = _grants(url, version)
    people, source = _population(url, version)
    totals = grants.area_totals(frame, as_of, people)
    sentence = grants.totals_sentence(totals, area_code, source, lang)
    table = grants.area_projects(frame, area_code, as_of, _status, lang)
    if table.empty:
        return sentence, None
    shown = pd.DataFrame(
        {
            "project": table["project"],
            "programme": table["programme"],
            "granted": [grants.money(v, lang) for v in table["granted"]],
            "spent": [grants.money(v, lang) for v in table["spent"]],
            "spent_share": [fmt_percent(v, 0, lang) for v in table["spent_share"]],
            "status": table["status_label"],
            "period": table["period_text"],
            "measures": table["measures_text"],
            "reported_on": [fmt_date(d, lang) for d in table["reported_on"]],
        }
    )
    return sentence, shown


def grants_section(
    url: str, area_code: str, as_of: date, measures: pd.DataFrame, lang: str
) -> None:
    """The area's projects on the as-of date with the measures they serve, totals and € per
    inhabitant (or why that is unknown)."""
    st.header(t("grants.heading", lang))
    status = dict(zip(measures["measure_id"], measures["status"], strict=True))
    sentence, shown = _grants_view(url, common.data_version(url), area_code, as_of, lang, status)
    st.markdown(sentence)
    if shown is None:
        return
    config = {
        name: st.column_config.TextColumn(t(f"grants.col.{name}", lang)) for name in shown.columns
    }
    config["project"] = st.column_config.TextColumn(t("grants.col.project", lang), width="medium")
    config["measures"] = st.column_config.TextColumn(t("grants.col.measures", lang), width="large")
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch", key="grants")
    st.caption(t("grants.caption", lang, date=fmt_date(as_of, lang)))


def _form(
    url: str,
    area_code: str,
    principal: Principal,
    measures: pd.DataFrame,
    risks: pd.DataFrame,
    lang: str,
) -> None:
    """Add a note: text, date, source type, link, tags and optionally a measure or a risk."""
    measure_ids = [""] + list(measures["measure_id"])
    names = dict(zip(measures["measure_id"], measures["name"], strict=True))
    risk_ids = [""] + sorted(set(risks["risk_id"])) if not risks.empty else [""]
    titles = dict(zip(risks["risk_id"], risks["title"], strict=True)) if not risks.empty else {}
    date_format = "DD/MM/YYYY" if lang == "en" else "DD.MM.YYYY"
    with st.expander(t("notes.form.heading", lang)), st.form("note-form", clear_on_submit=True):
        text = st.text_area(t("notes.form.text", lang), key="note-text")
        left, middle = st.columns(2)
        day = left.date_input(
            t("notes.form.date", lang), value=date.today(), format=date_format, key="note-date"
        )
        source = middle.selectbox(
            t("notes.form.source", lang),
            notes.SOURCE_TYPES,
            format_func=lambda s: t(f"notes.source.{s}", lang),
            key="note-source",
        )
        link = st.text_input(t("notes.form.link", lang), placeholder="https://…", key="note-link")
        tags = st.text_input(
            t("notes.form.tags", lang),
            help=t("notes.form.tags_help", lang),
            key="note-tags",
        )
        left, right = st.columns(2)
        measure = left.selectbox(
            t("notes.form.measure", lang),
            measure_ids,
            format_func=lambda m: f"{m} {names.get(m, '')}" if m else t("notes.form.none", lang),
            key="note-measure",
        )
        risk = right.selectbox(
            t("notes.form.risk", lang),
            risk_ids,
            format_func=lambda r: f"{r} {titles.get(r, '')}" if r else t("notes.form.none", lang),
            key="note-risk",
        )
        submitted = st.form_submit_button(t("notes.form.submit", lang), type="primary")
    if not submitted:
        return
    try:
        note = notes.note_from_form(area_code, day, text, source, link, tags, measure, risk)
        accounts.add_note(common.store(url), principal, note)
    except SoteError as error:
        common.show_issues(error.issues)
        return
    st.session_state["note-saved"] = note.noted_on
    st.rerun()  # the new note changed the data version: the timeline above is drawn again with it


def notes_section(
    url: str,
    area_code: str,
    measures: pd.DataFrame,
    risks: pd.DataFrame,
    lang: str,
) -> None:
    """The area's notes: the form (for those who may write for the area), then the searchable
    list (text, source type and tag filters) with national notes alongside."""
    st.header(t("notes.heading", lang))
    saved = st.session_state.pop("note-saved", None)
    if saved is not None:
        st.success(t("notes.form.saved", lang, date=fmt_date(saved, lang)))
    principal = access_ui.current_principal(common.store(url))
    if notes.may_write(principal, area_code):
        _form(url, area_code, principal, measures, risks, lang)
    frame = notes.area_notes(notes_frame(url), area_code, national=True)
    if frame.empty:
        st.info(t("notes.none", lang))
        return
    row = st.columns([3, 2, 2])
    text = row[0].text_input(t("notes.filter.text", lang), key="notes-text")
    sources = row[1].multiselect(
        t("notes.filter.source", lang),
        notes.SOURCE_TYPES,
        format_func=lambda s: t(f"notes.source.{s}", lang),
        placeholder=t("notes.filter.all", lang),
        key="notes-source",
    )
    tags = row[2].multiselect(
        t("notes.filter.tags", lang),
        notes.tag_options(frame),
        placeholder=t("notes.filter.all", lang),
        key="notes-tags",
    )
    shown = notes.search_notes(frame, text, sources, tags)
    national = int(frame["area_code"].isna().sum())
    st.markdown(
        "**"
        + t(
            "notes.count",
            lang,
            count=fmt_number(len(shown), 0, lang),
            total=fmt_number(len(frame), 0, lang),
        )
        + "**"
    )
    if national:
        st.caption(t("notes.national_included", lang, count=fmt_number(national, 0, lang)))
    if shown.empty:
        st.info(t("notes.no_match", lang))
        return
    notes_dataframe(shown, lang, key="notes")


def notes_dataframe(frame: pd.DataFrame, lang: str, *, key: str) -> None:
    """Notes as a table in the page language (date, source type, text, tags, target, link): the
    area page's list and the risks page's notes citing national risks."""
    table = notes.notes_table(frame, lang)
    table["noted_on"] = [fmt_date(d, lang) for d in table["noted_on"]]
    config = {
        name: st.column_config.TextColumn(t(f"notes.col.{name}", lang))
        for name in ("noted_on", "source", "tags", "target")
    }
    config["text"] = st.column_config.TextColumn(t("notes.col.text", lang), width="large")
    config["link"] = st.column_config.LinkColumn(t("notes.col.link", lang))
    st.dataframe(table, hide_index=True, column_config=config, width="stretch", key=key)
