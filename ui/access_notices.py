"""What the pages tell a person about their access: the sign-in page, the page for no rights,
the visitor's notice and the status line under every page.

Apart from ``ui.access_ui``, which only finds the person: these notices speak the page language
of ``ui.common``, and ``ui.common`` asks ``ui.access_ui`` who made an export, so keeping them in
one module would make ``ui.common`` and it import each other.
"""

from __future__ import annotations

import streamlit as st

from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from ui import common
from ui.text_safety import plain


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
    role = principal.role_label(L)
    areas = ", ".join(sorted(principal.areas))
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(
        t("access.signed_in", L, user=plain(principal.user), role=role)
        + (t("access.signed_in.areas", L, areas=areas) if areas else "")
    )
    right.button(t("access.sign_out", L), on_click=st.logout, key="sign-out")
