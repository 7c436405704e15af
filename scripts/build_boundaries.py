"""Build the boundary asset shipped with the app: sotedata/data/boundaries.geojson.

The asset is the fallback map when neither a file of the user's, the cache nor the WFS service
gives boundaries. It is made by the same ``sotedata.geo.polygons.simplify_areas`` as a download,
so the shipped and the downloaded maps look the same.

    python scripts/build_boundaries.py                # ../shared/geo/hyvinvointialue4500k.geojson
    python scripts/build_boundaries.py --source FILE  # GeoJSON of the areas or municipalities
    python scripts/build_boundaries.py --wfs          # Statistics Finland's WFS (SOTE_WFS_URL)

Prints the bytes before and after and fails (exit 1) when the result does not pass the checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sotedata.domain.i18n import t
from sotedata.domain.settings import load_settings
from sotedata.geo import chain, polygons
from sotedata.geo.polygons import (
    COORDINATE_DECIMALS,
    MAX_BROWSER_BYTES,
    PROJECTED_CRS,
    SIMPLIFY_TOLERANCES_M,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "geo" / "hyvinvointialue4500k.geojson"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="GeoJSON file to read")
    group.add_argument("--wfs", action="store_true", help="download from the WFS service instead")
    parser.add_argument("--output", type=Path, default=chain.ASSET_PATH, help="where to write")
    args = parser.parse_args(argv)

    if args.wfs:
        settings = load_settings()
        data = chain.fetch_wfs_layer(settings.wfs_url, chain.AREA_LAYER, timeout=60)
        raw_bytes = len(json.dumps(data).encode("utf-8"))
        origin = f"{settings.wfs_url} {chain.AREA_LAYER}"
    else:
        raw_bytes = args.source.stat().st_size
        data = json.loads(args.source.read_text(encoding="utf-8"))
        origin = args.source.name
    years = sorted({str(f["properties"].get("vuosi")) for f in data["features"]} - {"None"})

    frame = polygons.read_boundaries(data, origin=origin)
    features = polygons.simplify_areas(frame, origin=origin)
    problems = polygons.check_features(features)
    sent = chain.Boundaries("asset", features, t("geo.attribution")).json_bytes()

    division = f", {'/'.join(years)} division" if years else ""
    source = f"Statistics Finland, {chain.AREA_LAYER} ({origin}{division})"
    collection = chain.stored_collection(
        features,
        source=source,
        generated_by="scripts/build_boundaries.py",
        simplification=(
            f"topojson toposimplify {SIMPLIFY_TOLERANCES_M[0]:g} m in {PROJECTED_CRS},"
            f" lon/lat rounded to {COORDINATE_DECIMALS} decimals"
        ),
    )
    written = chain.write_json_atomic(args.output, collection)

    print(f"source:  {origin}: {len(data['features'])} features, {raw_bytes:,} bytes")
    print(f"browser: {len(features)} areas, {sent:,} bytes as sent (limit {MAX_BROWSER_BYTES:,})")
    print(f"asset:   {args.output}: {written:,} bytes")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if problems or sent > MAX_BROWSER_BYTES:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
