"""What the national map is drawn on, apart from the figures: the tile layout with the areas'
names, a clickable marker inside each area too small to hit at national scale, and the
boundaries' credit in the page's language. Shared by the roadmap metric's and an indicator's
map (``national``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from shapely.geometry import shape

from ..charts import image as chart_export
from ..domain import areas
from ..geo.chain import Boundaries
from ..geo.tiles import tile_layout

#: areas too small to hit with a pointer at national scale get a clickable marker on the map
SMALL_AREAS = (areas.HELSINKI_CODE, "04")


def boundary_credit(boundaries: Boundaries, lang: str | None = None) -> str:
    """The boundaries' credit in the page's language (none for the tile map)."""
    return chart_export.credit(boundaries.attribution, lang) if boundaries.attribution else ""


def small_area_markers(
    features: Sequence[dict], codes: Sequence[str] = SMALL_AREAS
) -> pd.DataFrame:
    """A point inside each small area (code, lon, lat) for its clickable map marker."""
    rows = []
    for feature in features:
        props = feature.get("properties") or {}
        code = str(feature.get("code") or props.get("code"))
        if code in codes:
            point = shape(feature["geometry"]).representative_point()
            rows.append({"code": code, "lon": round(point.x, 4), "lat": round(point.y, 4)})
    return pd.DataFrame(rows, columns=["code", "lon", "lat"])


def tile_layout_frame(lang: str | None = None) -> pd.DataFrame:
    """The tile layout with short names, for the tile map."""
    tiles = pd.DataFrame(tile_layout())[["code", "row", "col"]]
    registry = areas.by_code()
    tiles["code"] = tiles["code"].astype(str)
    tiles["short"] = [registry[c].short(lang) for c in tiles["code"]]
    tiles["name"] = [registry[c].name(lang) for c in tiles["code"]]
    return tiles
