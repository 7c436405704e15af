"""Build the municipality → area table the app keeps: sotedata/data/municipalities.csv.

Which municipality belongs to which wellbeing services county is Statistics Finland's
correspondence classification (kunta – hyvinvointialue, 2021 onwards: 309 municipalities). The
table is data of the project, not read from a boundary file at run time, because the live WFS
municipality layer does not carry the area code. It is derived once from the reference file of the
2021 division and checked here against facts that hold for that classification:

* 309 municipalities, codes three digits with leading zeros, names in Finnish and Swedish;
* every area 01–21, 90 and 91 has municipalities; 90 (Helsinki) has only Helsinki (091);
* Åland (91) has its 16 municipalities; Vantaa (092) and Kerava (245) are the two of 04.

    python scripts/build_municipalities.py                 # ../shared/geo/kunta4500k.geojson
    python scripts/build_municipalities.py --source FILE   # GeoJSON with kunta, nimi, namn,
                                                           # hyvinvointialue properties

Exit 1 (and nothing written) when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

from sotedata.domain import areas
from sotedata.domain.municipalities import CSV_PATH, FIELDS

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "geo" / "kunta4500k.geojson"
#: facts of the classification, known independently of the file
KNOWN = {
    "091": "90",
    "092": "04",
    "245": "04",
    "049": "03",
    "853": "05",
    "837": "08",
    "698": "21",
    "478": "91",
    "564": "19",
    "179": "15",
}


def rows_from(data: dict) -> list[dict[str, str]]:
    rows = []
    for feature in data["features"]:
        props = feature["properties"]
        rows.append(
            {
                "code": str(props["kunta"]).strip().zfill(3),
                "name_fi": str(props["nimi"]).strip(),
                "name_sv": str(props.get("namn") or props["nimi"]).strip(),
                "area_code": str(props["hyvinvointialue"]).strip().zfill(2),
            }
        )
    return sorted(rows, key=lambda r: r["code"])


def problems_of(rows: list[dict[str, str]]) -> list[str]:
    problems = []
    codes = [r["code"] for r in rows]
    if len(rows) != 309 or len(set(codes)) != 309:
        problems.append(f"{len(rows)} rows, {len(set(codes))} distinct codes; expected 309")
    if any(len(c) != 3 or not c.isdigit() for c in codes):
        problems.append("a code is not three digits")
    per_area = Counter(r["area_code"] for r in rows)
    expected = {a.code for a in areas.all_areas()}
    if set(per_area) != expected:
        problems.append(f"areas {sorted(per_area)} are not {sorted(expected)}")
    if per_area.get("90") != 1:
        problems.append(f"area 90 has {per_area.get('90')} municipalities; only Helsinki")
    if per_area.get("91") != 16:
        problems.append(f"Åland has {per_area.get('91')} municipalities, not 16")
    by_code = {r["code"]: r["area_code"] for r in rows}
    for code, area in KNOWN.items():
        if by_code.get(code) != area:
            problems.append(f"municipality {code} is in {by_code.get(code)}, expected {area}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=CSV_PATH)
    args = parser.parse_args(argv)
    rows = rows_from(json.loads(args.source.read_text(encoding="utf-8")))
    problems = problems_of(rows)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if problems:
        return 1
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    args.output.write_text(buffer.getvalue(), encoding="utf-8")
    print(
        f"{args.output}: {len(rows)} municipalities in {len({r['area_code'] for r in rows})} areas"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
