"""Build and check two reference tables of the importer: Sotkanet region ids, municipal mergers.

``sotedata/data/sotkanet_regions.csv`` — THL Sotkanet names every region by an id of its own
(Helsinki 46, Pohjois-Savon hyvinvointialue 974), and the REST API's ``/json`` answers carry only
that id. The table maps the ids to the codes the app keys on. Columns:
``sotkanet_id,category,sotkanet_code,code,name_fi,current``:

* ``category`` is Sotkanet's own (``HYVINVOINTIALUE`` or ``KUNTA``);
* ``sotkanet_code`` is the code Sotkanet lists with the id. The counties have two sets of ids:
  956–978 (Statistics Finland's numbering, 01–21, 90, 91) and the older 877–898, whose code is the
  2021 numbering (01 = Varsinais-Suomi, 22 = Helsinki) — both map to today's ``code``;
* ``code`` is the area code of ``areas.csv`` or the three-digit municipality code;
* ``current`` is 1 when ``code`` is in ``areas.csv``/``municipalities.csv`` (the 2021–division
  tables the app uses), 0 for the older county ids and for municipalities merged since.

Sources (public repositories, both read from their git history):

* counties: ``inst/extdata/sotkanet_hyvinvointialueet.csv`` of rOpenGov/sotkanet (R client of the
  Sotkanet API, BSD-2-clause), commit 2f3648d7905f3975f0735e0203f9b7e3a4f06df2;
* municipalities: the ``kunnat`` data frame of ``sotkanet/Sotkanet_MunicipalityData_20130908.RData``
  in ouzor/sotkanet-shiny (the API's ``/regions`` listing of category KUNTA as saved by the R
  client on 8 Sep 2013: 320 municipalities with ``region``, ``region.code``, ``region.title.fi``),
  commit 60741078c18bd9c909d9c206a93ff0f52e98b477. Reading it needs the ``rdata`` package
  (``pip install rdata``), which the app itself does not need.

``sotedata/data/municipal_mergers.csv`` — Statistics Finland's list of abolished municipalities
("lakkautetut kunnat"), the mergers effective from 2000 on. Columns:
``former_code,former_name,successor_code,successor_name,effective,year``: ``effective`` is the
date in Statistics Finland's list (ISO), ``year`` the first statistical year without the former
municipality (the year of a 1 January merger, the next year otherwise: Lavia, Maaninka and
Tarvasjoki joined on 26 Nov 2014 and are gone from the 2015 classification).

* up to 2018: ``data/lakkautetut_kunnnat_2019_tilastokeskus.csv`` of Meeris/kuntar (Statistics
  Finland's ``lakkautetut_kunnat_aakkosissa_15.txt`` plus the 2015–2018 mergers), commit
  20a805589cf95012cfdbd807fe5ab78b49de26e3;
* 2019 on: the municipalities missing from one year's classification to the next in rOpenGov/geofi
  ``data/municipality_key.rda`` (Statistics Finland's classifications 2013–2026), commit
  de9392bbeac7ce09d13637ec000b8c9e69ce5c52, each with its successor from pttry/
  statficlassifications ``data/abolished_mun_key.rda`` (Statistics Finland's
  ``lakkautetut_kunnat_vuoteen_2024_asti.xlsx``), commit 1ca8f09050929f8edeef3e99dc4dafb2e1dc6f8b;
  the one merger after that list (Pertunmaa into Mäntyharju, 1 Jan 2025) is named in ``LATER``.

    python scripts/build_reference_tables.py --check          # check the shipped tables (stdlib)
    python scripts/build_reference_tables.py build --counties FILE --municipalities FILE \\
        --mergers FILE --municipality-key FILE --abolished FILE

Exit 1 (and nothing written) when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sotedata" / "data"
REGIONS_PATH = DATA / "sotkanet_regions.csv"
MERGERS_PATH = DATA / "municipal_mergers.csv"
REGION_FIELDS = ("sotkanet_id", "category", "sotkanet_code", "code", "name_fi", "current")
MERGER_FIELDS = (
    "former_code",
    "former_name",
    "successor_code",
    "successor_name",
    "effective",
    "year",
)
#: mergers after the newest list in a public repository: (code, name, successor, name, date)
LATER = (("588", "Pertunmaa", "507", "Mäntyharju", date(2025, 1, 1)),)
#: facts known independently of the sources, checked after every build
KNOWN_IDS = {"46": "091", "974": "13", "960": "90", "956": "91", "880": "90", "888": "21"}
KNOWN_MERGERS = {"532": ("398", 2016), "476": ("297", 2015), "911": ("541", 2020)}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _areas() -> dict[str, str]:
    return {row["name_fi"]: row["code"] for row in _rows(DATA / "areas.csv")}


def _municipalities() -> dict[str, str]:
    return {row["code"]: row["name_fi"] for row in _rows(DATA / "municipalities.csv")}


def _year(effective: date) -> int:
    return effective.year if (effective.month, effective.day) == (1, 1) else effective.year + 1


def _read_rdata(path: Path, name: str):  # noqa: ANN202 - a pandas frame, pandas optional here
    import rdata  # only the build needs it

    parsed = rdata.parser.parse_file(path)
    return rdata.conversion.convert(parsed, default_encoding="utf8")[name]


def build_regions(counties: Path, municipalities: Path) -> list[dict[str, str]]:
    area_by_name = _areas()
    current_municipalities = _municipalities()
    rows: list[dict[str, str]] = []
    for row in _rows(counties):
        code = area_by_name[row["nimi"]]
        if row["uusi_code"].zfill(2) != code:
            raise ValueError(f"{row['nimi']}: Sotkanet code {row['uusi_code']} is not {code}")
        rows.append(_region(row["uusi_id"], "HYVINVOINTIALUE", row["uusi_code"], code, row, "1"))
        if row["vanha_id"]:
            rows.append(
                _region(row["vanha_id"], "HYVINVOINTIALUE", row["vanha_code"], code, row, "0")
            )
    frame = _read_rdata(municipalities, "kunnat")
    for _, kunta in frame.iterrows():
        if kunta["region.category"] != "KUNTA":
            continue
        code = str(kunta["region.code"]).zfill(3)
        rows.append(
            {
                "sotkanet_id": str(int(kunta["region"])),
                "category": "KUNTA",
                "sotkanet_code": code,
                "code": code,
                "name_fi": str(kunta["region.title.fi"]),
                "current": "1" if code in current_municipalities else "0",
            }
        )
    rows.sort(key=lambda r: (r["category"] != "HYVINVOINTIALUE", int(r["sotkanet_id"])))
    return rows


def _region(
    sotkanet_id: str,
    category: str,
    sotkanet_code: str,
    code: str,
    row: dict[str, str],
    current: str,
) -> dict[str, str]:
    return {
        "sotkanet_id": sotkanet_id,
        "category": category,
        "sotkanet_code": sotkanet_code.zfill(2),
        "code": code,
        "name_fi": row["nimi"],
        "current": current,
    }


def build_mergers(mergers: Path, municipality_key: Path, abolished: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for row in _rows(mergers):
        day, month, year = (int(part) for part in row["Ajankohta"].split("."))
        effective = date(year, month, day)
        if effective < date(2000, 1, 1) or row["Liitoskunta"] in ("", "NA"):
            continue
        rows.append(
            _merger(
                row["Lakkautuskunta"], row["Nimike"], row["Liitoskunta"], row["Nimike_1"], effective
            )
        )
    known = {row["former_code"] for row in rows}
    key = _read_rdata(municipality_key, "municipality_key")
    pairs = _read_rdata(abolished, "abolished_mun_key")
    joinee = {
        str(j).removeprefix("KU"): str(e).removeprefix("KU")
        for j, e in zip(pairs.joiner, pairs.joinee, strict=True)
        if j != e
    }
    names: dict[int, dict[str, str]] = {}
    for year, group in key.groupby("year"):
        names[int(year)] = {
            str(int(c)).zfill(3): str(n)
            for c, n in zip(group.kunta, group.municipality_name_fi, strict=True)
        }
    later = {
        code: (name, successor, successor_name, when)
        for code, name, successor, successor_name, when in LATER
    }
    years = sorted(names)
    for before, after in zip(years, years[1:], strict=False):
        for code in sorted(set(names[before]) - set(names[after])):
            if code in known:
                continue
            if code in later:
                name, successor, successor_name, when = later[code]
            else:
                successor = joinee[code]
                name, successor_name, when = names[before][code], names[after][successor], None
            rows.append(_merger(code, name, successor, successor_name, when or date(after, 1, 1)))
    rows.sort(key=lambda r: (r["effective"], r["former_code"]))
    return rows


def _merger(
    code: str, name: str, successor: str, successor_name: str, when: date
) -> dict[str, str]:
    return {
        "former_code": code.zfill(3),
        "former_name": name,
        "successor_code": successor.zfill(3),
        "successor_name": successor_name,
        "effective": when.isoformat(),
        "year": str(_year(when)),
    }


def check(regions: Iterable[dict[str, str]], mergers: Iterable[dict[str, str]]) -> list[str]:
    """Facts that must hold for the two tables; an empty list when they do."""
    regions, mergers = list(regions), list(mergers)
    problems: list[str] = []
    area_codes = set(_areas().values())
    current = _municipalities()
    ids = [r["sotkanet_id"] for r in regions]
    if len(ids) != len(set(ids)):
        problems.append("sotkanet_regions: an id is listed twice")
    by_id = {r["sotkanet_id"]: r for r in regions}
    for sotkanet_id, code in KNOWN_IDS.items():
        if by_id.get(sotkanet_id, {}).get("code") != code:
            problems.append(f"sotkanet_regions: id {sotkanet_id} is not {code}")
    counties = {
        r["code"] for r in regions if r["category"] == "HYVINVOINTIALUE" and r["current"] == "1"
    }
    if counties != area_codes:
        problems.append(f"sotkanet_regions: counties {sorted(area_codes - counties)} missing")
    kunta = {r["code"] for r in regions if r["category"] == "KUNTA"}
    if missing := sorted(set(current) - kunta):
        problems.append(f"sotkanet_regions: municipalities without an id: {missing}")
    former = {m["former_code"]: m for m in mergers}
    for r in regions:
        if r["category"] == "KUNTA" and r["code"] not in current and r["code"] not in former:
            problems.append(f"sotkanet_regions: {r['code']} is neither current nor merged")
    for m in mergers:
        successor = m["successor_code"]
        while successor in former and successor not in current:
            successor = former[successor]["successor_code"]
        if successor not in current:
            problems.append(f"municipal_mergers: successor of {m['former_code']} unknown")
        if int(m["year"]) < 2000:
            problems.append(f"municipal_mergers: {m['former_code']} merged before 2000")
    for code, (successor, year) in KNOWN_MERGERS.items():
        m = former.get(code)
        if m is None or (m["successor_code"], int(m["year"])) != (successor, year):
            problems.append(f"municipal_mergers: {code} should merge into {successor} in {year}")
    return problems


def _csv(rows: list[dict[str, str]], fields: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("build", "check"), default="check")
    parser.add_argument("--check", action="store_true", help="only check the shipped tables")
    for name in ("counties", "municipalities", "mergers", "municipality-key", "abolished"):
        parser.add_argument(f"--{name}", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check" or args.check:
        problems = check(_rows(REGIONS_PATH), _rows(MERGERS_PATH))
    else:
        regions = build_regions(args.counties, args.municipalities)
        mergers = build_mergers(args.mergers, args.municipality_key, args.abolished)
        problems = check(regions, mergers)
        if not problems:
            REGIONS_PATH.write_text(_csv(regions, REGION_FIELDS), encoding="utf-8")
            MERGERS_PATH.write_text(_csv(mergers, MERGER_FIELDS), encoding="utf-8")
            print(f"{len(regions)} Sotkanet regions, {len(mergers)} mergers written")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
