"""Build the organiser registry: sotedata/data/organisers.csv and organiser_members.csv.

The organisers of social and health care and rescue services in 2021–22, which handed over to
the wellbeing services counties and Helsinki on 1.1.2023, come from three sources (all described,
with their provenance and licence, in ``sotedata/data/organiser_sources/README.md``):

* ``municipality_key_2022.csv``: Statistics Finland's 2022 classifications of municipalities into
  hospital districts, regions (maakunta), sub-regions (seutukunta) and wellbeing services
  counties, as the R package geofi ships them in its ``municipality_key_2022`` table.
  ``--geofi-rda FILE`` extracts it again from that ``.rda`` file (R's XDR serialisation, read by
  the small reader below: no R needed). The hospital districts are its districts as they are;
* ``rescue_areas_2021.csv``: the 22 rescue-service areas of 2021–22, each a rule over that key
  (``maakunta:N``, ``seutukunta:N``, ``hyvinvointialue:N``, ``-`` before one to leave it out),
  with the public source of the rule and whether it is approximate;
* ``organisers_hand_kept.csv``: what no classification gives (joint municipal authorities for
  social and health services, special-care districts), each row with its source and whether its
  membership is approximate. Members are codes, ``area:NN`` (every municipality of that county)
  and ``-NNN`` (leave one out).

Every municipality of the reform whose basic social and health services no joint authority
organised counts as its own organiser (type ``municipality``). Every code is checked against
the project's own municipality table (``data/municipalities.csv``); Åland is outside the reform
and left out. Exit 1 (and nothing written) when a check fails.

    python scripts/build_organisers.py
    python scripts/build_organisers.py --geofi-rda municipality_key_2022.rda
"""

from __future__ import annotations

import argparse
import bz2
import csv
import gzip
import io
import lzma
import struct
import sys
from collections import defaultdict
from pathlib import Path

from sotedata.domain import areas, municipalities
from sotedata.domain.organisers import (
    MEMBERS_PATH,
    ORGANISERS_PATH,
    SOURCES_DIR,
    check_coverage,
    load_types,
)

KEY_FILE = SOURCES_DIR / "municipality_key_2022.csv"
RESCUE_FILE = SOURCES_DIR / "rescue_areas_2021.csv"
HAND_KEPT_FILE = SOURCES_DIR / "organisers_hand_kept.csv"
# key column ← geofi column; codes are written with the classification's own width
KEY_COLUMNS = {
    "municipality_code": ("kunta", 3),
    "district_code": ("sairaanhoitop_code", 2),
    "district_name_fi": ("sairaanhoitop_name_fi", 0),
    "district_name_sv": ("sairaanhoitop_name_sv", 0),
    "maakunta_code": ("maakunta_code", 2),
    "maakunta_name_fi": ("maakunta_name_fi", 0),
    "seutukunta_code": ("seutukunta_code", 3),
    "seutukunta_name_fi": ("seutukunta_name_fi", 0),
    "hyvinvointialue_code": ("hyvinvointialue_code", 2),
    "hyvinvointialue_name_fi": ("hyvinvointialue_name_fi", 0),
}
RULE_KEYS = {"maakunta", "seutukunta", "hyvinvointialue"}
ORGANISER_FIELDS = ["id", "type", "name_fi", "name_sv", "area_codes", "member_codes", "source"]
ORGANISER_FIELDS.append("approximate")
MEMBER_FIELDS = ["municipality_code", "type", "organiser_id"]
GEOFI_SOURCE = "Tilastokeskus, kunta–sairaanhoitopiiri 2022 (geofi municipality_key_2022)"


# --- a reader of R's serialisation, enough for a data frame of numbers and strings ------------


class _RReader:
    """R's XDR serialisation (``save()``), the item types a data frame uses."""

    _NIL = frozenset({254, 242, 253, 241, 251, 247})

    def __init__(self, data: bytes):
        self.data, self.pos, self.refs = data, 0, []

    def int(self) -> int:
        (value,) = struct.unpack(">i", self.data[self.pos : self.pos + 4])
        self.pos += 4
        return value

    def item(self) -> object:
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in self._NIL:
            return None
        if kind == 255:  # a reference to an earlier symbol
            return self.refs[(flags >> 8 or self.int()) - 1]
        if kind == 1:  # a symbol
            symbol = self.item()
            self.refs.append(symbol)
            return symbol
        if kind == 2:  # a pairlist: [(tag, value), …]
            attributes = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            head, tail = self.item(), self.item()
            del attributes  # a pairlist's own attributes: none that a data frame needs
            return [(tag, head), *(tail if isinstance(tail, list) else [])]
        if kind == 9:  # a string
            length = self.int()
            if length == -1:
                return None
            text = self.data[self.pos : self.pos + length].decode("utf-8")
            self.pos += length
            return text
        if kind == 238:  # ALTREP: its state stands for it
            self.item()
            state = self.item()
            self.item()
            return state
        return self._vector(kind, has_attr)

    def _vector(self, kind: int, has_attr: int) -> object:
        length = self.int()
        if kind in (16, 19, 20):
            value: object = [self.item() for _ in range(length)]
        elif kind in (10, 13):
            value = list(struct.unpack(f">{length}i", self.data[self.pos : self.pos + 4 * length]))
            self.pos += 4 * length
        elif kind == 14:
            value = list(struct.unpack(f">{length}d", self.data[self.pos : self.pos + 8 * length]))
            self.pos += 8 * length
        else:
            raise ValueError(f"R item type {kind} not read")
        if has_attr:
            return (value, dict(self.item()))  # type: ignore[arg-type]
        return value


def read_rda_frame(path: Path) -> dict[str, list[object]]:
    """The first object of an ``.rda`` file, a data frame, as columns."""
    raw = path.read_bytes()
    for magic, opener in ((b"BZh", bz2), (b"\x1f\x8b", gzip), (b"\xfd7zXZ", lzma)):
        if raw.startswith(magic):
            raw = opener.decompress(raw)
    if raw[:5] not in (b"RDX2\n", b"RDX3\n") or raw[5:7] != b"X\n":
        raise ValueError(f"{path}: not an XDR .rda file")
    reader = _RReader(raw[7:])
    version = reader.int()
    reader.int(), reader.int()
    if version == 3:
        length = reader.int()  # the native encoding's name
        reader.pos += length
    (_name, frame), *_ = reader.item()  # type: ignore[misc]
    columns, attributes = frame
    plain = [column[0] if isinstance(column, tuple) else column for column in columns]
    return dict(zip(attributes["names"], plain, strict=True))


def extract_geofi(path: Path) -> list[dict[str, str]]:
    """The columns of geofi's ``municipality_key_2022`` that the registry uses, one row a town."""
    frame = read_rda_frame(path)
    rows = []
    for index in range(len(frame["kunta"])):
        row = {}
        for column, (source, width) in KEY_COLUMNS.items():
            value = frame[source][index]
            row[column] = str(int(value)).zfill(width) if width else str(value)  # type: ignore[call-overload]
        rows.append(row)
    return sorted(rows, key=lambda row: row["municipality_code"])


# --- the registry ------------------------------------------------------------------------------


def _long_name(name: str, short: str, long: str) -> str:
    """The classification abbreviates ("Lapin SHP"): the registry writes the word out."""
    return name[: -len(short)] + long if name.endswith(short) else name


def hospital_districts(rows: list[dict[str, str]], reform: set[str]) -> list[dict[str, object]]:
    """One organiser per hospital district of the classification (Åland's left out)."""
    members: dict[str, list[str]] = defaultdict(list)
    names: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["municipality_code"] not in reform:
            continue
        members[row["district_code"]].append(row["municipality_code"])
        names[row["district_code"]] = (row["district_name_fi"], row["district_name_sv"])
    return [
        {
            "id": f"shp-{code}",
            "type": "hospital_district",
            "name_fi": _long_name(names[code][0], "SHP", "sairaanhoitopiiri"),
            "name_sv": _long_name(names[code][1], "SVD", "sjukvårdsdistrikt"),
            "members": sorted(members[code]),
            "source": GEOFI_SOURCE,
            "approximate": "no",
        }
        for code in sorted(members)
    ]


def expand_rule(
    rule: str, key_rows: list[dict[str, str]], reform: set[str], problems: list[str]
) -> list[str]:
    """``maakunta:N seutukunta:N -hyvinvointialue:N …`` to the reform's municipality codes."""
    chosen: set[str] = set()
    for token in rule.split():
        leave_out = token.startswith("-")
        kind, _, code = token.lstrip("-").partition(":")
        if kind not in RULE_KEYS:
            problems.append(f"{token}: not maakunta:, seutukunta: or hyvinvointialue:")
            continue
        found = {
            row["municipality_code"]
            for row in key_rows
            if row[f"{kind}_code"] == code and row["municipality_code"] in reform
        }
        if not found:
            problems.append(f"{token}: no municipality of the reform in the classification")
        chosen = chosen - found if leave_out else chosen | found
    return sorted(chosen)


def rescue_departments(
    rules: list[dict[str, str]], key_rows: list[dict[str, str]], reform: set[str]
) -> tuple[list[dict[str, object]], list[str]]:
    """One organiser per rescue-service area, its members by its rule over the classification."""
    problems: list[str] = []
    organisers: list[dict[str, object]] = []
    for row in rules:
        members = expand_rule(row["rule"], key_rows, reform, problems)
        fields = {key: row[key] for key in ("id", "name_fi", "name_sv", "source", "approximate")}
        organisers.append({**fields, "type": "rescue", "members": members})
    return organisers, problems


def expand_members(text: str, by_area: dict[str, list[str]], problems: list[str]) -> list[str]:
    """``area:NN``, ``NNN`` and ``-NNN`` tokens to municipality codes."""
    chosen: list[str] = []
    for token in text.split():
        if token.startswith("area:"):
            code = token[5:]
            if code not in by_area:
                problems.append(f"no area {code!r}")
            chosen.extend(by_area.get(code, []))
        elif token.startswith("-"):
            if token[1:] not in chosen:
                problems.append(f"{token}: not a member to leave out")
            chosen = [c for c in chosen if c != token[1:]]
        elif municipalities.get(token) is None:
            problems.append(f"unknown municipality {token!r}")
        else:
            chosen.append(token)
    return sorted(set(chosen))


def build(
    key_rows: list[dict[str, str]],
    hand_rows: list[dict[str, str]],
    rescue_rules: list[dict[str, str]],
) -> tuple:
    """(organisers, problems): the whole registry and what is wrong with the sources."""
    problems: list[str] = []
    reform = {
        m.code for m in municipalities.all_municipalities() if m.area_code in areas.REFORM_CODES
    }
    by_area: dict[str, list[str]] = defaultdict(list)
    for municipality in municipalities.all_municipalities():
        if municipality.code in reform:
            by_area[municipality.area_code].append(municipality.code)
    for row in key_rows:
        if municipalities.get(row["municipality_code"]) is None:
            problems.append(f"classification: unknown municipality {row['municipality_code']}")
    organisers = hospital_districts(key_rows, reform)
    rescue, rescue_problems = rescue_departments(rescue_rules, key_rows, reform)
    organisers += rescue
    problems += rescue_problems
    types = load_types()
    for row in hand_rows:
        if row["type"] not in types:
            problems.append(f"{row['id']}: unknown type {row['type']!r}")
        members = expand_members(row["members"], by_area, problems)
        organisers.append({**row, "members": members})
    joint = {c for o in organisers if o["type"] == "social_health" for c in o["members"]}
    for code in sorted(reform - joint):
        municipality = municipalities.get(code)
        organisers.append(
            {
                "id": f"kunta-{code}",
                "type": "municipality",
                "name_fi": municipality.name_fi,  # type: ignore[union-attr]
                "name_sv": municipality.name_sv,  # type: ignore[union-attr]
                "members": [code],
                "source": "no joint authority in organisers_hand_kept.csv",
                "approximate": "yes",
            }
        )
    return organisers, problems


def _rows(organisers: list[dict[str, object]]) -> list[dict[str, str]]:
    out = []
    for organiser in organisers:
        members = list(organiser["members"])  # type: ignore[call-overload]
        area_codes = sorted({municipalities.get(code).area_code for code in members})  # type: ignore[union-attr]
        row = {key: str(organiser.get(key, "")) for key in ORGANISER_FIELDS}
        row["area_codes"] = " ".join(area_codes)
        row["member_codes"] = " ".join(members)
        out.append(row)
    return out


def _csv(rows: list[dict[str, str]], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geofi-rda", type=Path, help="geofi's municipality_key_2022.rda")
    args = parser.parse_args(argv)
    if args.geofi_rda is not None:
        extracted = extract_geofi(args.geofi_rda)
        KEY_FILE.write_text(_csv(extracted, list(KEY_COLUMNS)), encoding="utf-8")
    organisers, problems = build(_read(KEY_FILE), _read(HAND_KEPT_FILE), _read(RESCUE_FILE))
    rows = _rows(organisers)
    members = [
        {"municipality_code": code, "type": row["type"], "organiser_id": row["id"]}
        for row in rows
        for code in row["member_codes"].split()
    ]
    members.sort(key=lambda m: (m["municipality_code"], m["type"], m["organiser_id"]))
    problems += check_coverage(rows)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    ORGANISERS_PATH.write_text(_csv(rows, ORGANISER_FIELDS), encoding="utf-8")
    MEMBERS_PATH.write_text(_csv(members, MEMBER_FIELDS), encoding="utf-8")
    print(f"{len(rows)} organisers, {len(members)} memberships written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
