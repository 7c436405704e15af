"""Who is using the app, for the pages: the open mode or a signed-in person with a role.

Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's built-in
OpenID Connect: ``st.login``/``st.user``), so an organisation's own identity provider works and
nothing here handles passwords. Without it the app runs open, as on one machine, and says so,
but only while the user table is empty: once anyone is in it, a visitor is anonymous and reads at
most (``Principal.visitor``), and the pages say that sign-in is not configured.
The rights themselves are decided in ``sotedata.domain.access``; this module only finds the person.
"""

from __future__ import annotations

import streamlit as st

from sotedata.domain.access import Principal, local_user
from sotedata.domain.i18n import t
from sotedata.domain.settings import load_settings
from sotedata.store import people as accounts
from ui import common
from ui.text_safety import plain


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no sign-in
        return False


def _username() -> str | None:
    user = st.user
    return user.get("email") or user.get("preferred_username") or user.get("sub")


def current_principal(store: object) -> Principal | None:
    """The person using this session; None when sign-in is on and nobody has signed in."""
    if not sign_in_configured():
        # asked on every run, not cached: the first person added ends the open mode at once
        if not accounts.has_users(store):
            return Principal.open(local_user(), channel="ui")
        return Principal.visitor(load_settings().unknown_user_role)
    if not st.user.is_logged_in:
        return None
    username = _username()
    if not username:
        return None
    return accounts.principal_for(
        store, username, channel="ui", unknown_role=load_settings().unknown_user_role
    )


def sign_in_prompt() -> None:
    """The whole page for someone who has not signed in yet."""
    L = common.lang()
    st.title(t("access.sign_in.title", L))
    st.markdown(t("access.sign_in.text", L))
    st.button(t("access.sign_in.button", L), type="primary", on_click=st.login, key="sign-in")


def no_rights(principal: Principal) -> None:
    L = common.lang()
    st.title(t("access.no_rights.title", L))
    if principal.anonymous:  # nobody to sign out: say how sign-in is turned on instead
        st.warning(t("rights.visitor.no_rights", L), icon=":material/lock:")
        return
    st.warning(t("access.no_rights.text", L, user=plain(principal.user)))
    st.button(t("access.sign_out", L), on_click=st.logout, key="sign-out-none")


def visitor_notice(principal: Principal | None) -> None:
    """Where a page would offer a change: tell an anonymous visitor why it does not, and how
    the change becomes possible (sign-in, configured by the administrator)."""
    if principal is not None and principal.anonymous:
        st.info(t("rights.visitor.read_only", common.lang()), icon=":material/lock:")


def status_line(principal: Principal | None) -> None:
    """One line under every page: the open mode, or who is signed in with which role (and the
    sign-out). Not in the sidebar: a collapsed sidebar is a scroll region a keyboard cannot
    reach (axe-core: scrollable-region-focusable), and the navigation sits at the top."""
    if principal is None:
        return
    L = common.lang()
    st.divider()
    if principal.open_mode:
        st.caption(t("access.open_mode", L))
        return
    if principal.anonymous:
        st.caption(t("rights.visitor.status", L))
        return
    role = principal.role.label(L) if principal.role else t("access.no_role", L)
    areas = ", ".join(sorted(principal.areas))
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(
        t("access.signed_in", L, user=plain(principal.user), role=role)
        + (t("access.signed_in.areas", L, areas=areas) if areas else "")
    )
    right.button(t("access.sign_out", L), on_click=st.logout, key="sign-out")
