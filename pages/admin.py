"""Administration (``/yllapito``): who has which role, and the audit trail of who did what.

Only an administrator manages roles (``sotedata.store.people`` checks it again); the trail can be
read by an administrator and by the ministry, filtered by person, action and date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from sotedata.domain import areas
from sotedata.domain.access import Principal, Role
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.views.tables import fmt_local_time
from ui import access_notices, access_ui, common
from ui.text_safety import plain

L = common.lang()
#: st.date_input's formats: the day first in every language, as in the app's dates
DATE_INPUT_FORMAT = {"fi": "DD.MM.YYYY", "sv": "DD.MM.YYYY", "en": "DD/MM/YYYY"}


def _local(value: Any) -> str:
    return fmt_local_time(value, L)


def _save_user(store: Store, principal: Principal) -> None:
    """The form's callback: runs before the page is drawn again, so the table shows the change."""
    state = st.session_state
    username = (state.get("admin-username") or "").strip()
    if not username:
        state["admin-message"] = ("warning", t("admin.form.username_needed", L))
        return
    try:
        accounts.set_user(
            store,
            principal,
            username,
            state["admin-role"],
            state.get("admin-areas") or [],
            display_name=(state.get("admin-name") or "").strip() or None,
        )
    except SoteError as error:
        state["admin-message"] = ("issues", error.issues)
        return
    state["admin-message"] = ("success", t("admin.form.saved", L, user=username))


def _remove_user(store: Store, principal: Principal) -> None:
    who = st.session_state.get("admin-remove")
    try:
        accounts.remove_user(store, principal, who)
    except SoteError as error:
        st.session_state["admin-message"] = ("issues", error.issues)
        return
    st.session_state["admin-message"] = ("success", t("admin.remove.done", L, user=who))


def _message() -> None:
    kind, content = st.session_state.pop("admin-message", (None, None))
    if kind == "issues":
        common.show_issues(content)
    elif kind == "warning":
        st.warning(plain(content))  # messages quote user names: shown as typed
    elif kind == "success":
        st.success(plain(content))


def _users(store: Store, principal: Principal) -> None:
    st.header(t("admin.users.heading", L))
    table = accounts.users(store)
    shown = pd.DataFrame(
        {
            t("admin.col.username", L): table["username"],
            t("admin.col.name", L): table["display_name"].fillna(""),
            t("admin.col.role", L): [Role(r).label(L) for r in table["role"]],
            t("admin.col.areas", L): [
                ", ".join(areas.get(c).short(L) for c in (a or "").split(",") if c)
                for a in table["areas"]
            ],
            t("admin.col.updated", L): [_local(v) for v in table["updated_at"]],
        }
    )
    if shown.empty:
        st.caption(t("admin.users.empty", L))
    else:
        st.dataframe(shown, hide_index=True)
    if not principal.can_manage_users:
        return
    _message()
    with st.form("admin-user", clear_on_submit=True, border=True):
        st.markdown(t("admin.form.heading", L))
        left, middle, right = st.columns([2, 1.2, 2])
        left.text_input(
            t("admin.col.username", L),
            placeholder=t("admin.form.username_placeholder", L),
            key="admin-username",
        )
        middle.selectbox(
            t("admin.col.role", L), list(Role), format_func=lambda r: r.label(L), key="admin-role"
        )
        right.multiselect(
            t("admin.form.areas", L),
            [a.code for a in areas.reform_areas()],
            format_func=lambda c: areas.get(c).short(L),
            help=t("admin.form.areas.help", L),
            key="admin-areas",
        )
        st.text_input(t("admin.col.name", L), key="admin-name")
        st.form_submit_button(
            t("admin.form.save", L),
            type="primary",
            on_click=_save_user,
            args=(store, principal),
        )
    if not table.empty:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.selectbox(
            t("admin.remove.label", L), table["username"].tolist(), index=None, key="admin-remove"
        )
        right.button(
            t("admin.remove.button", L),
            disabled=st.session_state.get("admin-remove") is None,
            on_click=_remove_user,
            args=(store, principal),
        )


def _audit(store: Store) -> None:
    st.header(t("admin.audit.heading", L))
    everything = accounts.audit_log(store)
    cols = st.columns([2, 1.5, 1.5])
    actors = sorted(set(everything["actor"]))
    actor = cols[0].selectbox(t("admin.audit.actor", L), actors, index=None, key="audit-actor")
    action = cols[1].selectbox(
        t("admin.audit.action", L),
        accounts.AUDIT_ACTIONS,
        index=None,
        format_func=lambda a: t(f"admin.action.{a}", L),
        key="audit-action",
    )
    since = cols[2].date_input(
        t("admin.audit.since", L),
        value=date.today() - timedelta(days=90),
        format=DATE_INPUT_FORMAT[L],
        key="audit-since",
    )
    log = accounts.audit_log(store, actor=actor, action=action, since=since)
    st.caption(t("admin.audit.count", L, count=len(log)))
    if log.empty:
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("admin.audit.col.at", L): [_local(v) for v in log["at"]],
                t("admin.audit.col.actor", L): log["actor"],
                t("admin.audit.col.channel", L): log["channel"],
                t("admin.audit.col.action", L): [t(f"admin.action.{a}", L) for a in log["action"]],
                t("admin.audit.col.target", L): log["target"].fillna(""),
                t("admin.audit.col.details", L): log["details"].fillna(""),
            }
        ),
        hide_index=True,
    )


@common.guarded
def page() -> None:
    store = common.store(common.database_url())
    principal = access_ui.current_principal(store)
    if principal is None:
        access_notices.sign_in_prompt()
        return
    st.title(t("admin.title", L))
    if not principal.can_read_audit:
        st.info(t("admin.not_allowed", L), icon=":material/lock:")
        access_notices.visitor_notice(principal)
        return
    if principal.open_mode:
        st.caption(t("access.open_mode", L))
    _users(store, principal)
    st.divider()
    _audit(store)


page()
