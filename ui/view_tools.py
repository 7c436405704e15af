"""The view tools: a visible full-screen button for one chart's container and a "copy link to
this view" button, drawn as plain HTML in the app's own document.

Moved out of ``ui.common`` to keep that module under the project's 500-line limit: they are a
piece of their own, markup and script with no state, store or page logic.
"""

from __future__ import annotations

import streamlit as st

from sotedata.domain.i18n import t

#: the map's full-screen and copy-link buttons (``view_tools``): plain buttons in the app's own
#: document (``st.html`` is not iframed), nothing fetched from anywhere. The clipboard API needs
#: a secure context (https or localhost); elsewhere the address is copied through a selected
#: text field, and if even that is refused the button says to copy it from the address bar.
_VIEW_TOOLS = """
<style>
  .sote-tools {{ display: flex; gap: 0.5rem; flex-wrap: wrap; }}
  .sote-tools button {{ font: inherit; font-size: 0.9rem; padding: 0.3rem 0.75rem;
    border: 1px solid #b9bcc4; border-radius: 0.5rem; background: #fff; color: #31333f;
    cursor: pointer; }}
  .sote-tools button:hover, .sote-tools button:focus-visible {{ border-color: #1f5a96;
    color: #1f5a96; }}
  {target}:fullscreen {{ background: #fff; padding: 1rem; overflow: auto; }}
</style>
<div class="sote-tools">
  <button type="button" id="sote-full" title="{full_help}">⛶ {full}</button>
  <button type="button" id="sote-copy" title="{copy_help}">🔗 {copy}</button>
</div>
<script>
(() => {{
  const full = document.getElementById('sote-full');
  const copy = document.getElementById('sote-copy');
  if (!full || full.dataset.ready) return;
  full.dataset.ready = '1';
  full.addEventListener('click', () => {{
    const target = document.querySelector('{target}');
    if (target && target.requestFullscreen) target.requestFullscreen();
  }});
  const said = text => {{ const was = copy.textContent; copy.textContent = text;
    setTimeout(() => {{ copy.textContent = was; }}, 2500); }};
  const byField = url => {{
    const field = document.createElement('textarea');
    field.value = url; field.setAttribute('readonly', ''); field.style.position = 'fixed';
    field.style.opacity = '0'; document.body.appendChild(field); field.select();
    let ok = false; try {{ ok = document.execCommand('copy'); }} catch (e) {{ ok = false; }}
    field.remove(); said(ok ? '✓ {done}' : '{manual}');
  }};
  copy.addEventListener('click', () => {{
    const url = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {{
      navigator.clipboard.writeText(url).then(() => said('✓ {done}'), () => byField(url));
    }} else {{ byField(url); }}
  }});
}})();
</script>
"""


def view_tools(target_key: str, language: str) -> None:
    """A visible full-screen button for the chart in the container keyed ``target_key`` (Esc
    returns), and a "copy link to this view" button: the page's URL holds every choice."""
    html = _VIEW_TOOLS.format(
        target=f".st-key-{target_key}",
        full=t("meeting.fullscreen", language),
        full_help=t("meeting.fullscreen.help", language),
        copy=t("meeting.copy_link", language),
        copy_help=t("meeting.copy_link.help", language),
        done=t("meeting.copy_link.done", language),
        manual=t("meeting.copy_link.manual", language),
    )
    st.html(html, unsafe_allow_javascript=True)
