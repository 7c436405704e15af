"""Upload page: the template, files checked cell by cell, a preview, a confirm, the history.

Nothing is stored before the preparer presses "Tallenna", and nothing at all from a file with an
error. Each file's check (and its dry run) is kept in the session under the file's sha256, so a
rerun of the page does not read the file again.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from typing import Any

import streamlit as st

from sotedata.demo.generator import example_roadmap
from sotedata.domain import areas
from sotedata.domain.access import Principal
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import fmt_date, fmt_number, t, tn
from sotedata.domain.model import default_roadmap
from sotedata.domain.settings import load_settings
from sotedata.ingest import import_file, parse_file, preview_changes
from sotedata.ingest.annotate import (
    annotate_workbook,
    annotated_name,
    can_annotate,
    errors_workbook,
    issue_rows,
)
from sotedata.ingest.comparison import current_reports, measure_changes
from sotedata.ingest.importer import stored_risk_scores
from sotedata.ingest.summary import counts_in_words
from sotedata.ingest.template import build_template
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.store.snapshot import DataVersion
from sotedata.views.tables import fmt_local_time
from ui import access_notices, access_ui, common
from ui.text_safety import plain, plain_rows

L = common.lang()
log = logging.getLogger("sote.pages.upload")
TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"]
#: session key of the checked files: {sha256: {"name", "parsed", "dry_run", "preview", "saved"}}
CHECKED = "upload.checked"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA_PAGE = "pages/area.py"
#: session key of the import whose revert waits for a confirmation
PENDING_REVERT = "upload.revert_pending"


def _css_text(text: str) -> str:
    """A text as a CSS string literal (for ``content``)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + text.replace("\n", " ") + '"'


def _dropzone_style(instructions: str, button: str) -> str:
    """Streamlit's drop zone says "Upload" and "20MB per file • XLSX, …" in English whatever the
    page's language: its texts are hidden and the page's own drawn in their place."""
    zone = "[data-testid='stFileUploaderDropzone']"
    return (
        "<style>"
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] > div {{display: none;}}"
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions']::after"
        f" {{content: {_css_text(instructions)}; font-size: 0.875rem;}}"
        # only the button that carries Streamlit's label, never a listed file's delete button;
        # its own text leaves the screen but not the accessibility tree, where it is the
        # button's name (a name from CSS-generated content is not one every reader computes)
        f"{zone} button [data-testid='stMarkdownContainer'] {{position: absolute; width: 1px;"
        " height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;}"
        f"{zone} button:has([data-testid='stMarkdownContainer'])::after"
        f" {{content: {_css_text(button)};}}"
        "</style>"
    )


@st.cache_data(show_spinner=False, max_entries=30)
def _template(
    url: str, area_code: str | None, lang: str, version: DataVersion, today: date
) -> bytes:
    """Cached per language too: a Swedish reader gets the Swedish template (which imports the
    same as the Finnish one); per data version, as a file may bring new measures and statuses
    (an area's template is pre-filled with its current ones); and per day, its reporting date."""
    store = common.store(url)
    roadmap = store.load_roadmap()
    base = roadmap if roadmap.measures else example_roadmap()
    current = current_reports(store, area_code) if area_code else None
    return build_template(base, area_code=area_code, lang=lang, current=current, today=today)


def _template_section(url: str, principal: Principal | None) -> None:
    st.header(t("upload.template.heading", L))
    st.caption(t("upload.template.text", L))
    st.caption(t("upload.template.prefilled", L))
    choices = [None, *areas.REFORM_CODES]
    own = [c for c in choices if c and principal is not None and c in principal.areas]
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    area_code = left.selectbox(
        t("upload.template.area", L),
        choices,
        index=choices.index(own[0]) if len(own) == 1 else 0,  # a preparer's own area first
        format_func=lambda c: (
            t("upload.template.all_areas", L) if c is None else areas.get(c).name(L)
        ),
        key="template_area",
    )
    name = "tilannekuva_pohja.xlsx" if area_code is None else f"tilannekuva_pohja_{area_code}.xlsx"
    right.download_button(
        t("upload.template.download", L),
        data=_template(url, area_code, L, common.data_version(url), date.today()),
        file_name=name,
        mime=XLSX_MIME,
        icon=":material/download:",
        key="template_download",
    )


def check(store: Store, name: str, data: bytes, principal: Principal) -> dict[str, Any]:
    """Read and check one file (nothing stored) against what this person may store; for an
    accepted file, the dry run and preview."""
    roadmap = store.load_roadmap()
    if not roadmap.phases:  # a new database: the standard frame, measures come with the file
        roadmap = default_roadmap()
    parsed = parse_file(
        data, name, roadmap=roadmap, principal=principal, known_risks=stored_risk_scores(store)
    )
    entry: dict[str, Any] = {"name": name, "parsed": parsed, "data": data, "saved": None}
    entry["dry_run"] = None
    entry["preview"] = None
    entry["changes"] = []
    if parsed.ok:
        entry["dry_run"] = import_file(store, data, name, dry_run=True, principal=principal)
        entry["preview"] = preview_changes(store, parsed)
        entry["changes"] = measure_changes(store, parsed)
    return entry


def _sheets_table(entry: dict[str, Any]) -> None:
    rows = [
        {
            t("upload.sheets.col.sheet", L): plain(sheet.name),
            t("upload.sheets.col.kind", L): t(f"upload.kind.{sheet.kind}", L),
            t("upload.sheets.col.rows", L): sheet.rows,
        }
        for sheet in entry["parsed"].sheets
    ]
    if rows:
        st.table(rows, hide_index=True)


def _rejected(entry: dict[str, Any]) -> None:
    parsed = entry["parsed"]
    total = len(parsed.errors) + parsed.more_errors
    st.error(t("upload.rejected", L, count=fmt_number(total, lang=L)), icon=":material/block:")
    st.table(plain_rows(issue_rows(parsed.errors, L)), hide_index=True)
    if parsed.more_errors:
        st.caption(t("upload.more_errors", L, count=fmt_number(parsed.more_errors, lang=L)))
    # a marked copy only of a workbook that was read cell by cell (never a zip bomb or a stranger)
    if can_annotate(entry["name"]) and any(e.sheet and e.cell for e in parsed.errors):
        st.download_button(
            t("upload.annotated.download", L),
            data=lambda: _marked(entry["data"], parsed.errors + parsed.warnings),
            file_name=annotated_name(entry["name"], L),
            mime=XLSX_MIME,
            icon=":material/download:",
            key=f"annotated-{parsed.sha256[:16]}",
            on_click="ignore",
        )
        st.caption(t("upload.annotated.text", L))


def _marked(data: bytes, issues: list) -> bytes:
    """The preparer's workbook marked (built on the click, not on every rerun); failing that,
    the list of errors on its own, so the button never gives a broken file."""
    try:
        return annotate_workbook(data, issues, lang=L)
    except Exception:  # noqa: BLE001 - any workbook openpyxl cannot rewrite
        log.warning("marked copy failed; sending the error list only", exc_info=True)
        return errors_workbook(issues, lang=L)


def _preview(entry: dict[str, Any]) -> None:
    report = entry["dry_run"]
    st.success(
        t("upload.accepted", L, what=counts_in_words(report.counts, L)),
        icon=":material/check_circle:",
    )
    preview = entry["preview"]
    if preview is not None and len(preview):
        st.markdown(t("upload.preview.heading", L))
        if {"code", "name"} <= set(preview.columns):  # the importer names the areas in Finnish
            codes = preview["code"]
            names = [areas.get(c).short(L) if c else t("ingest.national", L) for c in codes]
            preview = preview.assign(name=names)
        shown = preview.rename(columns={c: t(f"upload.preview.col.{c}", L) for c in preview})
        st.table(plain_rows(shown), hide_index=True)
    _changes(entry)


def _changes(entry: dict[str, Any]) -> None:
    """Each measure whose status the file changes, before → after, area by area."""
    changes = entry.get("changes") or []
    if not changes:
        st.caption(t("upload.changes.none", L))
        return
    names = {m.id: m.name for m in common.store(common.database_url()).load_roadmap().measures}
    by_area: dict[str, list] = {}
    for change in changes:
        by_area.setdefault(change.area_code, []).append(change)
    st.markdown(tn("upload.changes.heading", len(changes), L))
    for code, found in by_area.items():
        label = f"{areas.get(code).short(L)}: {tn('upload.changes.count', len(found), L)}"
        with st.expander(plain(label), expanded=len(by_area) == 1):
            rows = [
                {
                    t("upload.changes.col.measure", L): plain(
                        f"{c.measure_id} {names.get(c.measure_id, '')}".strip()
                    ),
                    t("upload.changes.col.change", L): (
                        f"{c.before.label(L) if c.before else t('upload.changes.unreported', L)}"
                        f" → {c.after.label(L)}"
                    ),
                    t("upload.changes.col.date", L): fmt_date(c.reported_on, L),
                }
                for c in found
            ]
            st.table(rows, hide_index=True)


def _save(store: Store, sha: str, principal: Principal) -> None:
    entry = st.session_state[CHECKED][sha]
    report = import_file(store, entry["data"], entry["name"], principal=principal)
    entry["saved"] = report


def _saved(entry: dict[str, Any]) -> None:
    report = entry["saved"]
    if not report.ok:  # the store changed between the check and the save
        st.error(t("upload.save_failed", L))
        common.show_issues(report.errors)
        return
    st.success(
        t("upload.saved", L, id=report.import_id, what=counts_in_words(report.counts, L)),
        icon=":material/task_alt:",
    )
    for code in report.counts["areas"]:  # the page of each area the file reported for
        st.page_link(
            AREA_PAGE,
            label=t("upload.saved.area_link", L, area=areas.get(code).short(L)),
            icon=":material/place:",
            query_params={"alue": code},
        )


def _file_section(store: Store, sha: str, principal: Principal) -> None:
    entry = st.session_state[CHECKED][sha]
    parsed = entry["parsed"]
    st.subheader(plain(entry["name"]))  # a file name shown as typed
    _sheets_table(entry)
    if not parsed.ok:
        _rejected(entry)
    elif entry["saved"] is not None:
        _saved(entry)
    else:
        _preview(entry)
        duplicate = next((w for w in entry["dry_run"].warnings if w.code == "duplicate_file"), None)
        if duplicate is not None:
            st.info(plain(duplicate.message(L)), icon=":material/content_copy:")
        st.button(
            t("upload.confirm", L),
            type="primary",
            key=f"save-{sha[:16]}",
            on_click=_save,
            args=(store, sha, principal),
            disabled=duplicate is not None,
            help=t("upload.confirm.help", L),
        )
    warnings = (entry["dry_run"].warnings if entry["dry_run"] else None) or parsed.warnings
    if warnings:
        with st.expander(t("upload.warnings", L, count=fmt_number(len(warnings), lang=L))):
            st.table(plain_rows(issue_rows(warnings, L)), hide_index=True)


def _ask_revert(import_id: int) -> None:
    st.session_state[PENDING_REVERT] = import_id


def _cancel_revert() -> None:
    st.session_state.pop(PENDING_REVERT, None)


def _confirm_revert(store: Store, principal: Principal, history: Any) -> None:
    """The revert asked for, waiting for a yes: what it takes back, and two buttons."""
    pending = st.session_state.get(PENDING_REVERT)
    if pending is None:
        return
    found = history[history["id"] == pending]
    if found.empty:
        _cancel_revert()
        return
    row = found.iloc[0]
    rows = int(row["row_count"] or 0)
    st.warning(
        t(
            "upload.revert.confirm",
            L,
            id=pending,
            file=plain(str(row["file_name"] or row["source"])),
            rows=tn("upload.revert.rows", rows, L),
        ),
        icon=":material/undo:",
    )
    yes, no, _ = st.columns([1.2, 1, 3])
    yes.button(
        t("upload.revert.yes", L),
        type="primary",
        key=f"revert-yes-{pending}",
        on_click=_revert,
        args=(store, int(pending), principal),
    )
    no.button(t("upload.revert.no", L), key=f"revert-no-{pending}", on_click=_cancel_revert)


def _revert(store: Store, import_id: int, principal: Principal) -> None:
    _cancel_revert()
    try:
        accounts.revert_import(store, principal, import_id)
    except SoteError as error:  # the rights or the import changed since the page was drawn
        st.session_state["upload.revert_failed"] = error.issues
        return
    checked = st.session_state.get(CHECKED, {})
    for sha, entry in list(checked.items()):  # checked against the old state: check again
        saved = entry["saved"]
        dry_run = entry["dry_run"]
        if (saved and saved.import_id == import_id) or (dry_run and dry_run.import_id == import_id):
            del checked[sha]
    st.session_state["upload.reverted"] = import_id


def _history(store: Store, principal: Principal) -> None:
    st.header(t("upload.history.heading", L))
    reverted = st.session_state.pop("upload.reverted", None)
    if reverted is not None:
        st.success(t("upload.history.reverted", L, id=reverted))
    common.show_issues(st.session_state.pop("upload.revert_failed", []))
    history = store.imports()
    if "sha256" in history:
        history = history[history["sha256"].notna()]  # files only, not the example data
    if history.empty:
        st.caption(t("upload.history.empty", L))
        return
    _confirm_revert(store, principal, history)
    widths = [0.6, 3, 1.8, 1.8, 1.6, 1.3, 1.2]
    heads = ("id", "file", "time", "user", "rows", "status")
    for col, key in zip(st.columns(widths), heads, strict=False):
        col.caption(t(f"upload.history.col.{key}", L))
    for row in history.iloc[::-1].itertuples(index=False):
        active = getattr(row, "status", "active") == "active"
        cols = st.columns(widths, vertical_alignment="center")
        cols[0].markdown(f"**{row.id}**")
        cols[1].markdown(plain(row.file_name or row.source))
        cols[2].markdown(fmt_local_time(row.loaded_at, L))
        cols[3].markdown(plain(getattr(row, "imported_by", None) or "–"))
        cols[4].markdown(fmt_number(row.row_count, lang=L))
        cols[5].markdown(
            t("upload.history.active", L) if active else t("upload.history.reverted_status", L)
        )
        if active and accounts.may_revert(store, principal, int(row.id)):
            cols[6].button(
                t("upload.history.revert", L),
                key=f"revert-{row.id}",
                on_click=_ask_revert,
                args=(int(row.id),),
            )
        elif active:
            cols[6].caption(t("access.revert.not_allowed", L))


@common.guarded
def page() -> None:
    url = common.database_url()
    store = common.store(url)
    principal = access_ui.current_principal(store)
    if principal is None:
        access_notices.sign_in_prompt()
        return
    st.title(t("upload.title", L))
    st.markdown(t("upload.intro", L))
    _template_section(url, principal)
    if not principal.can_upload:
        role = principal.role_label(L)
        st.info(t("access.upload.not_allowed", L, role=role), icon=":material/lock:")
        access_notices.visitor_notice(principal)  # without sign-in: how saving becomes possible
        st.divider()
        _history(store, principal)
        return

    st.header(t("upload.files.heading", L))
    files = st.file_uploader(
        t("upload.files.label", L),
        type=TYPES,
        accept_multiple_files=True,
        key="upload_files",
        help=t("upload.files.help", L),
    )
    limit_mb = load_settings().max_upload_bytes / 1_000_000
    limit = t(
        "upload.files.limit",
        L,
        size=fmt_number(limit_mb, 0 if limit_mb.is_integer() else 1, lang=L),
        types=", ".join(f".{kind}" for kind in TYPES),
    )
    st.html(_dropzone_style(limit, t("upload.files.button", L)))
    checked: dict[str, dict[str, Any]] = st.session_state.setdefault(CHECKED, {})
    shown: list[str] = []
    uploads = [(f.name, f.getvalue()) for f in files or []]
    if uploads:
        progress = st.progress(0.0) if len(uploads) > 1 else None
        for number, (name, data) in enumerate(uploads, start=1):
            sha = hashlib.sha256(data).hexdigest()
            if sha not in checked or checked[sha]["name"] != name:
                with st.spinner(t("upload.checking", L, name=name)):
                    checked[sha] = check(store, name, data, principal)
            shown.append(sha)
            if progress is not None:
                progress.progress(number / len(uploads))
        if progress is not None:
            progress.empty()
    for sha in list(checked):  # a file removed from the uploader is forgotten
        if sha not in shown:
            del checked[sha]
    for sha in shown:
        _file_section(store, sha, principal)
    st.divider()
    _history(store, principal)


page()
