"""Charts out of the app as PNG and SVG, with what a reader needs drawn into the picture.

A chart pasted into a memo loses the page around it, so the image itself carries its title, the
as-of date, "Esimerkkiaineisto" when the figures are example data, and the source line. The
wrapping is a pure function (``with_caption``) so tests can read the spec; ``to_png`` and
``to_svg`` only render it with vl-convert, which runs the same Vega-Lite as the browser but in
this process, offline: no data address is allowed (``allowed_base_urls=[]``) and the fonts are
the machine's own.

The source line always names the data ("Tiedot: hyvinvointialueiden raportit") and adds the
boundary credit ("Rajat: Tilastokeskus, CC BY 4.0", CC BY asks for it wherever the shapes are
shown) only when the chart draws boundaries (a geoshape mark). A bar chart or the tile map uses
no Statistics Finland data, and crediting them there would say something untrue.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import altair as alt
import vl_convert as vlc

from ..domain import areas
from ..domain.i18n import LANGUAGES, fmt_date, t
from ..domain.text import slug
from .base import vega_locale

#: the grey of the source line: readable, but quieter than the chart
SOURCE_COLOUR = "#444444"
SEPARATOR = " · "


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def draws_boundaries(spec: dict[str, Any]) -> bool:
    """Whether a Vega-Lite spec draws area shapes (a geoshape mark anywhere in it)."""
    for node in _walk(spec):
        mark = node.get("mark")
        if mark == "geoshape" or (isinstance(mark, dict) and mark.get("type") == "geoshape"):
            return True
    return False


def credit(attribution: str | None, lang: str | None = None) -> str:
    """The boundary credit in ``lang``: the app's own (Statistics Finland's boundaries, which the
    boundary loader records in Finnish once per process) in the language asked for; a user's
    boundary file keeps its own text; none, the app's own."""
    own = {t("geo.attribution", other) for other in LANGUAGES}
    if not attribution or attribution in own:
        return t("geo.attribution", lang)
    return attribution


def source_line(
    *, boundaries: bool, lang: str | None = None, attribution: str | None = None
) -> str:
    """ "Tiedot: hyvinvointialueiden raportit", plus the boundary credit when shapes are drawn."""
    parts = [t("export.source.data", lang)]
    if boundaries:
        parts.append(credit(attribution, lang))
    return SEPARATOR.join(parts)


def source_footer(source: str) -> alt.Chart:
    """The source line as a text mark of its own, the last row of the image."""
    return (
        alt.Chart(alt.Data(values=[{"source": source}]))
        .mark_text(align="left", baseline="top", fontSize=11, color=SOURCE_COLOUR)
        .encode(text="source:N", x=alt.value(0), y=alt.value(0))
        .properties(width=1, height=14)
    )


def _lines(title: Any) -> list[str]:
    if title is None or title is alt.Undefined:
        return []
    if isinstance(title, str):
        return [title]
    if isinstance(title, list):
        return [str(line) for line in title]
    return []


def _own_subtitle(chart: alt.TopLevelMixin) -> list[str]:
    """The subtitle lines a chart carries itself (the colour table's legend text, …)."""
    title = chart.to_dict(validate=False).get("title")
    if isinstance(title, dict):
        return _lines(title.get("subtitle"))
    return []


#: the table beside a map in an image: a row's height, and where its value column ends
TABLE_ROW = 15
TABLE_VALUES_AT = 190


def area_values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The areas a map draws with their values (``base.map_values``' rows: name, value, label,
    clickable), Åland and other areas outside the reform left out; none for any other chart."""
    if not draws_boundaries(spec):
        return []
    inline = [node["values"] for node in _walk(spec) if isinstance(node.get("values"), list)]
    named = [v for v in (spec.get("datasets") or {}).values() if isinstance(v, list)]
    for values in inline + named:
        rows = [r for r in values if isinstance(r, dict) and {"name", "label"} <= set(r)]
        if rows and all("clickable" in r for r in rows):
            return [r for r in rows if r["clickable"]]
    return []


def _short_name(row: dict[str, Any], lang: str | None) -> str:
    """The area's short name ("Lappi"), or the map's name when the code is not an area's."""
    try:
        return areas.get(str(row.get("code"))).short(lang)
    except (KeyError, ValueError):
        return str(row["name"])


def value_table(rows: Sequence[dict[str, Any]], lang: str | None = None) -> alt.LayerChart:
    """The map's areas as a ranked table (highest value first, areas without one last), each
    name with its value as the map's tooltip writes it: an image of a map travels without the
    tooltips, and a colour alone does not say which area had what."""
    ranked = sorted(
        rows, key=lambda r: (r.get("value") is None, -(r.get("value") or 0), str(r["name"]))
    )
    data = alt.Data(
        values=[
            {"rank": index, "name": _short_name(r, lang), "label": str(r["label"])}
            for index, r in enumerate(ranked)
        ]
    )
    y = alt.Y("rank:O", axis=None)
    names = (
        alt.Chart(data)
        .mark_text(align="left", fontSize=11)
        .encode(y=y, x=alt.value(0), text="name:N")
    )
    values = (
        alt.Chart(data)
        .mark_text(align="right", fontSize=11, fontWeight="bold")
        .encode(y=y, x=alt.value(TABLE_VALUES_AT), text="label:N")
    )
    return alt.layer(names, values).properties(
        width=TABLE_VALUES_AT,
        height=alt.Step(TABLE_ROW),
        title=alt.Title(t("exports_alone.map_table.title", lang), anchor="start", fontSize=12),
    )


def with_values(chart: alt.TopLevelMixin, lang: str | None = None) -> alt.TopLevelMixin:
    """A map with its areas' values in a table beside it (any other chart as it is)."""
    rows = area_values(chart.to_dict(validate=False))
    if not rows:
        return chart
    inner = chart.copy(deep=True)
    config = inner.config  # the locale: only the outermost chart may carry it
    inner.config = alt.Undefined
    joined = alt.hconcat(inner, value_table(rows, lang), spacing=24)
    if config is not alt.Undefined:
        joined.config = config
    return joined


def with_caption(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    as_of: date,
    example: bool,
    lang: str | None = None,
    attribution: str | None = None,
    notes: Sequence[str] = (),
) -> alt.VConcatChart:
    """The chart framed for an image: the title, "Tilanne 15.12.2022", the example-data line and
    the chart's own explanatory subtitle lines on top, the source line below, and beside a map
    its areas' values as a ranked table (``with_values``).

    The chart's own title is replaced (it would repeat the date), its configuration (the Finnish
    number locale) moves to the frame, where Vega-Lite wants it. ``attribution`` overrides the
    boundary credit (boundaries from a user's file carry their own). ``notes`` are lines under
    the date, such as the view's filters ("3. Lakien hyväksymisen jälkeen · ICT").
    """
    inner = chart.copy(deep=True)
    config = inner.config
    inner.config = alt.Undefined
    lines = [t("chart.as_of", lang, date=fmt_date(as_of, lang)), *(n for n in notes if n)]
    if example:
        lines.append(t("chart.example_data", lang))
    boundaries = draws_boundaries(inner.to_dict(validate=False))
    source = source_line(boundaries=boundaries, lang=lang, attribution=attribution)
    credits = {credit(attribution, lang), *(t("geo.attribution", other) for other in LANGUAGES)}
    for line in _own_subtitle(inner):
        # the map writes its date, example note and credit in its own subtitle: not twice
        if line not in lines and line not in credits:
            lines.append(line)
    inner.title = alt.Undefined
    framed = (
        alt.vconcat(with_values(inner, lang), source_footer(source))
        .properties(
            title=alt.Title(
                title, subtitle=lines, anchor="start", fontSize=16, subtitleFontSize=12
            ),
            padding=12,
            spacing=14,
        )
        .resolve_legend(color="independent", opacity="independent", size="independent")
    )
    if config is alt.Undefined:
        framed = framed.configure(locale=vega_locale(lang))
    else:
        framed.config = config
    return framed


def _inline(node: Any, datasets: dict[str, Any]) -> Any:
    """``node`` with every ``{"data": {"name": …}}`` of ``datasets`` written in as values: a
    chart framed for an image is nested, and only the outermost chart may hold datasets."""
    if isinstance(node, list):
        return [_inline(item, datasets) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _inline(value, datasets) for key, value in node.items()}
    data = node.get("data")
    if isinstance(data, dict) and set(data) == {"name"} and data["name"] in datasets:
        found["data"] = {"values": datasets[data["name"]]}
    return found


def from_spec(spec: dict[str, Any]) -> alt.TopLevelMixin:
    """An Altair chart from a Vega-Lite spec (a page that caches its charts as specs), so that
    it can be framed for an image like any other (without the properties only the outermost
    chart may carry: the frame sets its own)."""
    outer_only = {"$schema", "autosize", "background", "padding", "usermeta"}
    spec = {key: value for key, value in spec.items() if key not in outer_only}
    spec = _inline(spec, spec.pop("datasets", {}))  # a nested facet would keep its own
    kinds = (
        ("layer", alt.LayerChart),
        ("vconcat", alt.VConcatChart),
        ("hconcat", alt.HConcatChart),
        ("concat", alt.ConcatChart),
        ("facet", alt.FacetChart),  # the comparison's small multiples
    )
    for key, kind in kinds:
        if key in spec:
            return kind.from_dict(spec, validate=False)
    return alt.Chart.from_dict(spec, validate=False)


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    # not validated against the schema again: that cost more than the rendering, and vl-convert
    # rejects a spec it cannot draw anyway
    return chart.to_dict(validate=False)


def _locales(lang: str | None) -> dict[str, Any]:
    locale = vega_locale(lang)
    options: dict[str, Any] = {"format_locale": locale["number"]}
    if "time" in locale:
        options["time_format_locale"] = locale["time"]
    return options


def render_png(chart: alt.TopLevelMixin, *, lang: str | None = None, scale: float = 2) -> bytes:
    """A chart as it is, to PNG, offline (no data address may be fetched)."""
    return vlc.vegalite_to_png(_spec(chart), scale=scale, allowed_base_urls=[], **_locales(lang))


def render_svg(chart: alt.TopLevelMixin, *, lang: str | None = None) -> bytes:
    """A chart as it is, to SVG (UTF-8 bytes), offline."""
    svg = vlc.vegalite_to_svg(_spec(chart), allowed_base_urls=[], **_locales(lang))
    return svg.encode("utf-8")


def to_png(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    as_of: date,
    example: bool,
    lang: str | None = None,
    scale: float = 2,
    attribution: str | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """The chart with its caption as a PNG (twice the screen size by default, sharp in a memo)."""
    caption = {"attribution": attribution, "notes": notes}
    framed = with_caption(chart, title=title, as_of=as_of, example=example, lang=lang, **caption)
    return render_png(framed, lang=lang, scale=scale)


def to_svg(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    as_of: date,
    example: bool,
    lang: str | None = None,
    attribution: str | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    """The chart with its caption as an SVG; the texts stay text (searchable, editable)."""
    caption = {"attribution": attribution, "notes": notes}
    framed = with_caption(chart, title=title, as_of=as_of, example=example, lang=lang, **caption)
    return render_svg(framed, lang=lang)


def image_file_name(name: str, as_of: date, extension: str) -> str:
    """What the image holds, as a name: ``tilannekuva_2022-12-15_valmiit-toimenpiteet.png``."""
    return f"tilannekuva_{as_of.isoformat()}_{slug(name) or 'kaavio'}.{extension}"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its header (for fitting a picture on a slide)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
