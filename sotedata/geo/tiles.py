"""The tile map: one equal square per area (``data/tiles.csv``), the map drawn when no boundaries
are found, and a layout for charts that draw the tiles themselves.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from ..domain import areas
from .polygons import area_feature

TILES_PATH = Path(__file__).resolve().parents[1] / "data" / "tiles.csv"


@cache
def _tile_rows() -> tuple[tuple[str, int, int], ...]:
    with TILES_PATH.open(encoding="utf-8") as handle:
        rows = tuple((r["code"], int(r["row"]), int(r["col"])) for r in csv.DictReader(handle))
    codes = [code for code, _, _ in rows]
    cells = {(row, col) for _, row, col in rows}
    if sorted(codes) != sorted(area.code for area in areas.all_areas()) or len(cells) != len(rows):
        raise ValueError(f"{TILES_PATH}: every area needs exactly one tile of its own")
    return rows


def tile_layout() -> list[dict[str, Any]]:
    """One equal tile per area (row 0 at the top: Lappi; Helsinki and Åland at the bottom).

    Rows of ``code``, ``row``, ``col``, ``name_fi``, ``in_reform`` in code order: for a chart that
    draws the tiles itself (``mark_rect`` / ``mark_square`` on row and col).
    """
    order = {area.code: i for i, area in enumerate(areas.all_areas())}
    return [
        {
            "code": code,
            "row": row,
            "col": col,
            "name_fi": areas.get(code).name_fi,
            "in_reform": areas.get(code).in_reform,
        }
        for code, row, col in sorted(_tile_rows(), key=lambda r: order[r[0]])
    ]


def tile_features(size: float = 1.0, gap: float = 0.1) -> list[dict[str, Any]]:
    """The tile map as square polygons in a made-up lon/lat space near (0°, 0°).

    Column ``c``, row ``r`` covers lon ``c·size … (c+1)·size`` and lat ``-r·size … -(r+1)·size``
    less ``gap`` between tiles, so the same choropleth code draws it (with any projection: it is
    so close to the equator that a square stays square). Rings are clockwise like the real map.
    """
    features = []
    inset = gap / 2
    for tile in tile_layout():
        west, east = tile["col"] * size + inset, (tile["col"] + 1) * size - inset
        north, south = -tile["row"] * size - inset, -(tile["row"] + 1) * size + inset
        ring = [[west, north], [east, north], [east, south], [west, south], [west, north]]
        feature = area_feature(tile["code"], {"type": "Polygon", "coordinates": [ring]})
        feature["row"], feature["col"] = tile["row"], tile["col"]
        features.append(feature)
    return features
