"""Who is using the app, for the pages: the open mode or a signed-in person with a role.

Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's built-in
OpenID Connect: ``st.login``/``st.user``), so an organisation's own identity provider works and
nothing here handles passwords. Without it the app runs open, as on one machine, and says so,
but only while the user table is empty: once anyone is in it, a visitor is anonymous and reads at
most (``Principal.visitor``), and the pages say that sign-in is not configured.
The rights themselves are decided in ``sotedata.domain.access``; this module only finds the person,
and what the pages say about it is in ``ui.access_notices`` (which needs ``ui.common``'s language,
while ``ui.common`` asks this module who made an export).
"""

from __future__ import annotations

import streamlit as st

from sotedata.domain.access import Principal, local_user
from sotedata.domain.settings import load_settings
from sotedata.store import people as accounts
from sotedata.store.engine import Store


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: no sign-in
        return False


def _username() -> str | None:
    user = st.user
    return user.get("email") or user.get("preferred_username") or user.get("sub")


def current_principal(store: Store) -> Principal | None:
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
