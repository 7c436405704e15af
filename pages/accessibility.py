"""Accessibility statement page (``/saavutettavuus``): the EU model statement in the page language,
filled from ``sotedata.views.accessibility``. Headings in order (one h1, a h2 per section, a h3 per
shortcoming) so a screen reader's heading list is the statement's outline."""

from __future__ import annotations

import streamlit as st

from sotedata.domain.i18n import t
from sotedata.views import accessibility as a11y
from ui import common


def _link(address: str, target: str) -> str:
    return f"[{address}]({target})"


@common.guarded
def main() -> None:
    L = common.lang()
    s = a11y.statement(L)
    tables = t("nav.tables", L)
    st.title(t("a11y.title", L))
    st.markdown(t("a11y.intro", L, service=t("app.title", L), owner=t("a11y.owner", L)))

    st.header(t("a11y.status.heading", L))
    st.markdown(t("a11y.status.text", L, standard=a11y.STANDARD, level=a11y.LEVEL))

    st.header(t("a11y.gaps.heading", L))
    st.markdown(t("a11y.gaps.intro", L))
    for item in s.shortcomings:
        st.subheader(item.title(L))
        st.markdown(t(f"a11y.gap.{item.key}.text", L, tables=tables))
        st.caption(t("a11y.gap.criteria", L, criteria=", ".join(item.criteria)))
    st.markdown(t("a11y.gaps.no_burden", L))

    st.header(t("a11y.assessment.heading", L))
    st.markdown(t("a11y.assessment.text", L, assessed=s.assessed, axe=a11y.AXE_VERSION))

    st.header(t("a11y.feedback.heading", L))
    email = _link(s.feedback_email, f"mailto:{s.feedback_email}")
    st.markdown(t("a11y.feedback.text", L, email=email, days=a11y.RESPONSE_DAYS))
    if not s.feedback_configured:
        st.warning(
            t("a11y.feedback.unconfigured", L, email=s.feedback_email, variable=a11y.FEEDBACK_ENV),
            icon=":material/settings:",
        )

    st.header(t("a11y.enforcement.heading", L))
    st.markdown(t("a11y.enforcement.text", L))
    supervisor = a11y.SUPERVISOR
    web = s.supervisor_web
    st.markdown(
        "  \n".join(
            [
                t("a11y.enforcement.agency", L),
                t("a11y.enforcement.unit", L),
                t("a11y.enforcement.web", L, web=_link(web.removeprefix("https://"), web)),
                t(
                    "a11y.enforcement.email",
                    L,
                    email=_link(supervisor.email, f"mailto:{supervisor.email}"),
                ),
                t("a11y.enforcement.phone", L, phone=supervisor.phone),
            ]
        )
    )

    st.header(t("a11y.dates.heading", L))
    st.markdown(t("a11y.dates.text", L, prepared=s.prepared, updated=s.updated))


main()
