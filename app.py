"""Entry point: page setup and navigation; views live in pages/, logic in sotedata/."""

from pathlib import Path

import streamlit as st

from sotedata.domain.access import Principal
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from ui import access_notices, access_ui, common

L = common.lang()
st.set_page_config(
    page_title=t("app.title", L),
    # a file of our own: a Material icon name makes the browser fetch the favicon from Google's
    # font server, and the app must work on a closed network without outside requests
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed",
)

PAGES = {
    "national": st.Page(
        "pages/national.py", title=t("nav.national", L), default=True, icon=":material/map:"
    ),
    "area": st.Page(
        "pages/area.py", title=t("nav.area", L), url_path="alue", icon=":material/place:"
    ),
    "upload": st.Page(
        "pages/upload.py", title=t("nav.upload", L), url_path="lataa", icon=":material/upload_file:"
    ),
    "risks": st.Page(
        "pages/risks.py", title=t("nav.risks", L), url_path="riskit", icon=":material/warning:"
    ),
    "tables": st.Page(
        "pages/tables.py", title=t("nav.tables", L), url_path="taulukot", icon=":material/table:"
    ),
    "admin": st.Page(
        "pages/admin.py", title=t("nav.admin", L), url_path="yllapito", icon=":material/group:"
    ),
    "accessibility": st.Page(
        "pages/accessibility.py",
        title=t("a11y.nav", L),
        url_path="saavutettavuus",
        icon=":material/accessibility_new:",
    ),
}


def _who() -> Principal | None:
    """The person, before any page runs: with sign-in configured nobody reads without it."""
    try:
        return access_ui.current_principal(common.store(common.database_url()))
    except SoteError as error:
        common.show_issues(error.issues)
        st.stop()


principal = _who()
if principal is None:
    access_notices.sign_in_prompt()
    st.stop()
if not principal.can_read:
    access_notices.no_rights(principal)
    st.stop()
if not principal.can_read_audit:
    del PAGES["admin"]  # the page checks again; this keeps the menu to what the person may use
common.apply_page_style()
common.close_first_page_not_found()  # a first deep link on a fresh server (README, limits)
common.language_switch()
st.navigation(list(PAGES.values()), position="top").run()
access_notices.status_line(principal)
common.accessibility_footer(PAGES["accessibility"])
