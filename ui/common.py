"""What the pages share: cached access to the store and boundaries, banners, issue rendering.

The pages stay thin: they read URL parameters and widgets, call one ``sotedata`` function, and draw.
Nothing here computes figures.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import wraps
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sotedata.charts import image as chart_export
from sotedata.charts import meeting
from sotedata.domain import switches
from sotedata.domain.errors import Issue, SoteError
from sotedata.domain.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language, t
from sotedata.domain.settings import load_settings
from sotedata.geo.chain import Boundaries, load_area_boundaries
from sotedata.rules import metrics
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.store.snapshot import DataVersion
from sotedata.views import grammar
from ui import access_ui, chart_specs
from ui.text_safety import plain, safe_tooltips

log = logging.getLogger("sote.pages")
LANGUAGE_PARAM = "kieli"
#: Each language named in itself, so that a reader who does not read the current one finds theirs.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


@st.cache_resource(show_spinner=False)
def store(url: str) -> Store:
    return Store.open(url)


def data_version(url: str) -> DataVersion:
    """What the data caches are keyed by (``Store.data_version``: one query over primary keys).
    Read at the start of a page run (``store_facts``) and passed on: an import, a revert or a note
    from any instance changes it, so the next click shows it, and while it stays the same nothing
    is read or computed again. No clock: a cache entry is never stale, only unused. Read once per
    script run: each section's loader asks again and gets the first answer (the area page asked
    13 times a run), so one run never mixes two versions."""
    run = get_script_run_ctx()  # its cursors are new for every run (and every fragment's)
    seen = st.session_state.get("_data_version") if run else None
    if seen is not None and seen[0] is run.cursors and seen[1] == url:
        return seen[2]
    version = store(url).data_version()
    if run is not None:
        st.session_state["_data_version"] = (run.cursors, url, version)
    return version


@st.cache_data(show_spinner=False, max_entries=8)
def _facts(url: str, version: DataVersion) -> dict[str, Any]:
    s = store(url)
    return {"empty": s.is_empty(), "example": s.is_example(), "dates": s.reporting_dates()}


def store_facts(url: str) -> dict[str, Any]:
    """Whether there is data, whether it is the example, the reporting dates, and ``version``:
    the data version they were read at, for the page to key what it loads next."""
    version = data_version(url)
    return {**_facts(url, version), "version": version}


@st.cache_data(show_spinner=False, max_entries=64)
def frames_on(url: str, version: DataVersion, days: tuple[date, ...]) -> metrics.Frames:
    """The frames every figure of ``days`` needs (an as-of date and its comparison date), read by
    the database: at most one row per area × measure and risk per day (``metrics.frames_on``)."""
    return metrics.frames_on(store(url), days)


@st.cache_data(show_spinner=False, max_entries=4)
def risk_frames(url: str, version: DataVersion) -> metrics.Frames:
    """The roadmap and every risk rating, no status report: the risks page's trend runs over
    every reporting date, and ratings are few (one per risk and review)."""
    return replace(metrics.frames_on(store(url), ()), risks=store(url).risk_ratings())


@st.cache_resource(show_spinner=False)
def boundaries() -> Boundaries:
    return load_area_boundaries(load_settings())


def database_url() -> str:
    return load_settings().database_url


def lang() -> str:
    """The page language (``?kieli=sv``): kept for the session so moving between pages keeps it,
    and written back into the URL so a copied link opens in the same language. Finnish is the
    default and is left out of the URL."""
    given = st.query_params.get(LANGUAGE_PARAM)
    if given is not None:
        st.session_state["kieli"] = normalise_language(given)
    chosen = normalise_language(st.session_state.get("kieli"))
    if chosen != DEFAULT_LANGUAGE and given != chosen:
        st.query_params[LANGUAGE_PARAM] = chosen
    elif chosen == DEFAULT_LANGUAGE and given is not None:
        del st.query_params[LANGUAGE_PARAM]
    return chosen


def _language_chosen() -> None:
    choice = st.session_state.get("kieli-valinta")
    if choice:
        st.session_state["kieli"] = choice
        st.query_params[LANGUAGE_PARAM] = choice


def language_switch() -> None:
    """Suomi | Svenska | English at the top right of every page; a keyboard reaches it like any
    button, and its label names it in all three languages."""
    current = lang()
    # a keyed row, so that meeting mode can lift it out of the page's flow (MEETING_LAYOUT_CSS)
    left, right = st.container(key="kieli-rivi").columns([5, 2])
    with left:
        document_language(current)
    st.session_state["kieli-valinta"] = current
    right.segmented_control(
        "Kieli · Språk · Language",
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key="kieli-valinta",
        on_change=_language_chosen,
        label_visibility="collapsed",
    )


def document_language_script(language: str) -> str:
    """The script that marks the page's language on ``<html lang>``: Streamlit serves every page
    as ``lang="en"``, so a screen reader would read Finnish with English pronunciation (WCAG
    3.1.1). ``st.html`` is not iframed, so the script reaches the app's own document."""
    code = normalise_language(language)
    return f"<script>document.documentElement.setAttribute('lang', '{code}');</script>"


def document_language(language: str) -> None:
    """Set ``<html lang>`` to the page language; drawn where it takes no room of its own."""
    st.html(document_language_script(language), unsafe_allow_javascript=True)


def accessibility_footer(statement_page: Any) -> None:
    """The link to the accessibility statement under every page, as the law asks (reachable from
    every page, e.g. in the footer); the language stays, being kept in the session."""
    st.page_link(
        statement_page,
        label=t("a11y.footer", lang()),
        icon=":material/accessibility_new:",
    )


def meeting_mode() -> bool:
    """Meeting mode (``?esitys=1``, or any yes word): kept for the session, so moving between
    pages keeps it, and written back into the URL, so a copied link opens in it too;
    ``?esitys=0`` leaves it."""
    given = st.query_params.get(meeting.PARAM)
    if given is not None:
        st.session_state["esitys"] = switches.is_yes(given)
    on = bool(st.session_state.get("esitys", False))
    if on and given is None:
        st.query_params[meeting.PARAM] = grammar.YES
    return on


def presenting() -> bool:
    """Whether meeting mode is on in this session (``meeting_mode`` has read the URL)."""
    return bool(st.session_state.get("esitys", False))


#: Streamlit draws captions at 60 % opacity and placeholders in a light grey, which fail WCAG's
#: 4.5:1 contrast on white (axe-core: color-contrast, serious); this grey at full opacity gives
#: about 8:1 and still reads as secondary text.
BASE_CSS = """
<style>
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
  [data-testid="stWidgetLabel"] p, .stCaption { color: #4b4f5a !important; opacity: 1 !important; }
  input::placeholder, textarea::placeholder { color: #5a5e69 !important; opacity: 1; }
  [data-baseweb="select"] [aria-hidden="true"] p { color: #5a5e69 !important; }
</style>
"""


#: Meeting mode's page layout, on top of ``meeting.page_css`` (chrome hidden, large type): the
#: national page's title, controls, map with its legend and ranked bars fit one screen at
#: 1366×768 and 1920×1080, and the area page's name, key figures and phases are above the fold.
#: The language switch leaves the page's flow for the top right corner; the controls keep
#: ordinary type (the presenter reads them, the room reads the charts) so that they fit one row;
#: a chart marked to fit (``.st-key-fit-*``) is never taller than the screen below the controls.
#: On the area page the top is packed so that the timeline's box (``.st-key-fit-phases``) gets the
#: rest of the screen: the top took at most 394 px at 1366 px wide (fi, sv, en; a key figure's
#: name on two lines), so the box is the screen's height less 410 px.
MEETING_LAYOUT_CSS = """
<style>
  [data-testid="stMainBlockContainer"], .block-container {
    padding: 0.4rem 1.2rem 2rem !important;
  }
  .st-key-kieli-rivi { position: absolute !important; top: 0; right: 0; width: auto !important;
    z-index: 5; }
  .st-key-kieli-rivi [data-testid="stColumn"]:first-child { display: none; }
  .st-key-kieli-rivi button { min-height: 1.5rem !important; padding: 0 0.5rem !important; }
  .st-key-kieli-rivi button p { font-size: 14px !important; }
  h1 { font-size: 2.2rem !important; line-height: 1.25 !important; padding: 0 0 0.35rem !important;
    margin-right: 13rem; }
  h1 + div, [data-testid="stHeadingWithActionElements"] { margin-bottom: 0 !important; }
  .st-key-controls, .st-key-area-controls { font-size: 16px; }
  .st-key-controls p, .st-key-controls input, .st-key-controls [data-baseweb="select"] div,
  .st-key-area-controls p, .st-key-area-controls [data-baseweb="select"] div {
    font-size: 16px !important; }
  .st-key-fit-map, .st-key-fit-bars { flex: none !important; height: calc(100vh - 185px) !important;
    min-height: 300px; }
  .st-key-example-note p { font-size: 15px !important; }
  .st-key-area-controls [data-testid="stWidgetLabel"] p { font-size: 14px !important; }
  [data-testid="stMetric"] [data-testid="stMetricLabel"] p { font-size: 16px !important; }
  [data-testid="stMetricValue"] { font-size: 2.1rem !important; }
  [data-testid="stMetric"] [data-testid="stCaptionContainer"] p,
  [data-testid="stMetric"] + div [data-testid="stCaptionContainer"] p {
    font-size: 15px !important; }
  [data-testid="stMain"] h2 { font-size: 1.5rem !important; padding: 0.4rem 0 0.5rem !important; }
  [data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
  /* the area page: the back link, the name, one row of steps and selectors, one line of dates
     and example note, the key figures (value and change side by side, the median under them,
     their heading left to screen readers), then the timeline in the rest of the screen */
  .st-key-area-controls button { min-height: 2rem !important; padding: 0.1rem 0.6rem !important; }
  .st-key-step-pgup, .st-key-step-pgdn { display: none !important; }
  .st-key-area-back p { font-size: 15px !important; }
  .st-key-area-back a { min-height: 0 !important; padding: 0 !important; }
  [data-testid="stMain"]:has(.st-key-area-back) h1 { margin-right: 0; }
  .st-key-area-caption p { font-size: 16px !important; }
  .st-key-area-figures { padding-bottom: 0.4rem; }
  .st-key-area-figures [data-testid="stElementContainer"]:has(h2) { position: absolute;
    width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .st-key-area-figures [data-testid="stMetric"] > div { display: flex; flex-wrap: wrap;
    align-items: center; column-gap: 0.6rem; }
  .st-key-area-figures [data-testid="stMetricLabel"] { flex-basis: 100%; }
  .st-key-area-figures [data-testid="stCaptionContainer"] { line-height: 1.25 !important; }
  .st-key-area-figures [data-testid="stCaptionContainer"] p { font-size: 16px !important;
    margin: 0 !important; }
  .st-key-area-figures [data-testid="stMetricValue"] { font-size: 2rem !important;
    line-height: 1.2 !important; }
  .st-key-area-figures [data-testid="stMetricDelta"] p { font-size: 16px !important; }
  [data-testid="stMain"]:has(.st-key-area-back) h2 { font-size: 1.35rem !important;
    padding: 0.45rem 0 0.2rem !important; }
  [data-testid="stMain"]:has(.st-key-area-back) [data-testid="stHeading"]:has(h2)
    [data-testid="stMarkdownContainer"] { margin-bottom: -0.45rem !important; }
  .st-key-area-controls [role="group"] { min-height: 0 !important; height: 2.2rem !important; }
  .st-key-area-controls [role="group"] > * { min-height: 0 !important; max-height: 100%; }
  .st-key-area-controls input { font-size: 16px !important; }
  .st-key-fit-phases { flex: none !important; height: calc(100vh - 410px) !important;
    min-height: 280px; }
  .st-key-play button p { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }
</style>
"""


def apply_page_style() -> bool:
    """The style every page gets (readable contrast), and meeting mode's on top when it is on;
    for the entry script to call before any page runs."""
    st.html(BASE_CSS)
    on = meeting_mode()
    if on:
        st.html(meeting.page_css())
        st.html(MEETING_LAYOUT_CSS)
    return on


#: meeting mode: the label size of a fitted chart's vertical axis (see ``chart``)
FIT_LABEL_PX = 15


def chart(chart: Any, *, fit: bool = False, **kwargs: Any) -> Any:
    """Draw an Altair chart (or a Vega-Lite spec) with dark axis and legend text (the theme's grey
    is below 4.5:1), in its projector form in meeting mode; the same arguments as
    ``st.vega_lite_chart`` (key, on_select, selection_mode, alt…). ``fit``: in meeting mode the
    chart, title and legend included, takes the height of the screen below the controls (its
    container is keyed ``fit-…``, sized by ``MEETING_LAYOUT_CSS``), whatever the screen."""
    spec = meeting.readable_spec(chart if isinstance(chart, dict) else chart.to_dict())
    spec = safe_tooltips(spec)  # a stored name cannot become vega-tooltip's <img> key
    if presenting():
        spec = meeting.present_spec(spec)
        if fit:
            spec.pop("height", None)
            kwargs["height"] = "stretch"
            # a band axis (the ranked areas) keeps every row's label in the fitted height: at
            # 1366×768 the 22 areas get about 18 px a row, too few for the mode's 18 px labels
            axis_y = spec.setdefault("config", {}).setdefault("axisY", {})
            axis_y.setdefault("labelFontSize", FIT_LABEL_PX)
            axis_y.setdefault("labelOverlap", False)  # Vega's test drops every other one
    return st.vega_lite_chart(spec=chart_specs.arrow_datasets(spec), **kwargs)


#: Streamlit runs the very first script of a server process as a "pages/ folder" app before the
#: entry script can declare its pages, and so answers a first deep link (/alue?alue=21) with a
#: "Page not found" box above the right page (streamlit/streamlit#9992; PagesManager's
#: uses_pages_directory is only cleared by st.navigation). The entry script closes that box on
#: the process's first run: the page under it is already the right one.
_CLOSE_PAGE_NOT_FOUND = """
<script>
(() => {
  const close = () => {
    for (const box of document.querySelectorAll('[role=dialog]')) {
      if (box.textContent.includes('Page not found')) {
        const button = box.querySelector('button[aria-label=Close], button');
        if (button) { button.click(); return true; }
      }
    }
    return false;
  };
  if (close()) return;
  const watch = new MutationObserver(() => { if (close()) watch.disconnect(); });
  watch.observe(document.body, {childList: true, subtree: true});
  setTimeout(() => watch.disconnect(), 15000);
})();
</script>
"""
_process_runs = {"first": True}


def close_first_page_not_found() -> None:
    """On the server process's first script run, close Streamlit's spurious "Page not found"
    box (see ``_CLOSE_PAGE_NOT_FOUND``); later runs draw nothing."""
    if _process_runs.pop("first", False):
        st.html(_CLOSE_PAGE_NOT_FOUND, unsafe_allow_javascript=True)


def audit_export(what: str, fmt: str, filters: dict[str, Any], rows: int | None = None) -> None:
    """An export from a page leaves its audit row (who, what, which filters), written when the
    file is built, i.e. when the person clicks the download."""
    s = store(database_url())
    principal = access_ui.current_principal(s)
    if principal is None:
        return
    details: dict[str, Any] = {"format": fmt, "filters": filters}
    if rows is not None:
        details["rows"] = rows
    accounts.record_export(s, principal, what, **details)


def show_issues(issues: Iterable[Issue]) -> None:
    """Each issue as a warning or error box: where, what, and how to fix it."""
    for issue in issues:
        box = st.error if issue.severity == "error" else st.warning
        # a message quotes cell values, file and sheet names, URL parameters: shown as written
        icon = ":material/error:" if issue.severity == "error" else None
        box(plain(issue.render(lang())), icon=icon)


def example_banner(example: bool) -> None:
    """The example-data notice: a box, or in meeting mode one line (every chart's subtitle says
    it too), so that the view fits the projector's screen."""
    if not example:
        return
    if presenting():
        st.container(key="example-note").caption(
            f":material/science: {t('banner.example', lang())}"
        )
        return
    st.info(t("banner.example", lang()), icon=":material/science:")


def guarded(page: Callable[[], None]) -> Callable[[], None]:
    """Run a page so that a user never sees a traceback: known problems render as issues,
    anything else as a short message with a reference that the log carries in full."""

    @wraps(page)
    def run() -> None:
        try:
            page()
        except SoteError as error:
            show_issues(error.issues)
        except Exception:  # noqa: BLE001 - the last line of defence before the user
            if _is_streamlit_control_flow():
                raise
            reference = uuid.uuid4().hex[:8]
            log.exception("page failed, reference %s", reference)
            st.error(t("error.unexpected", lang()))
            st.caption(t("error.unexpected.fix", lang(), reference=reference))

    return run


def _is_streamlit_control_flow() -> bool:
    """Streamlit's rerun/stop/switch_page travel as exceptions that must pass through."""
    error = sys.exc_info()[1]
    return type(error).__module__.startswith("streamlit.runtime")


def chart_downloads(
    chart: Any,
    name: str,
    *,
    as_of: date,
    example: bool,
    key: str,
    title: str | None = None,
    attribution: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    """A compact "Lataa kuvana" menu with the chart as PNG and SVG, each drawn only when its
    button is clicked (a callable as the data), so the page pays nothing for images nobody takes.

    The image carries ``title`` (default ``name``), the as-of date, the example note and the
    source line (``attribution``: the boundaries' own credit, for a map), and ``notes`` (the
    view's filters) under the date; ``name`` also names the file.
    """
    shown = title or name

    def image(fmt: str) -> bytes:
        # a page that caches its charts as Vega-Lite specs: made an Altair chart only on a click
        drawn = chart_export.from_spec(chart) if isinstance(chart, dict) else chart
        render = chart_export.to_png if fmt == "png" else chart_export.to_svg
        data = render(
            drawn,
            title=shown,
            as_of=as_of,
            example=example,
            lang=lang(),
            attribution=attribution,
            notes=notes,
        )
        audit_export(f"kuva: {shown}", fmt, {"pvm": as_of.isoformat(), "rajaus": list(notes)})
        return data

    def png() -> bytes:
        return image("png")

    def svg() -> bytes:
        return image("svg")

    with st.popover(
        t("export.download.label", lang()),
        icon=":material/download:",
        help=t("export.download.help", lang()),
        key=f"{key}-images",
    ):
        st.download_button(
            t("export.download.png", lang()),
            png,
            file_name=chart_export.image_file_name(name, as_of, "png"),
            mime="image/png",
            on_click="ignore",
            key=f"{key}-png",
        )
        st.download_button(
            t("export.download.svg", lang()),
            svg,
            file_name=chart_export.image_file_name(name, as_of, "svg"),
            mime="image/svg+xml",
            on_click="ignore",
            key=f"{key}-svg",
        )
