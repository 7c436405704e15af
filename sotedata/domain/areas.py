"""The one registry of the areas: codes, names in three languages, the old 2021 numbering.

Statistics Finland's codes (01–21 wellbeing services counties, 90 Helsinki, 91 Åland) are the keys
everywhere in the app. Åland is outside the reform: it is drawn grey, never clickable, and left out
of every figure. The table itself is data (``data/areas.csv``).

Name resolution (:func:`resolve`) is also here, so that no other module guesses at area names.
Real files name an area in many ways: "Lapin hyvinvointialue", "Lappi hyvinvointialue", "Lapin HVA",
"Välfärdsområdet i Lappland", "Lapland wellbeing services county", "Lapha". The systematic forms
(``data/area_name_forms.csv``) are generated from the table (the official names plus a Finnish
genitive stem per area, ``genitive_fi``); only the irregular names are listed, one row each, in
``data/area_aliases.csv`` (``code,alias,kind``). Its ``kind`` is one of:

* ``fi_name``, ``fi_genitive``, ``sv_name``, ``en_name`` – another name or stem in that language;
  the systematic forms ("… hyvinvointialue", "… wellbeing services county") are generated from it;
* ``brand`` – the name the county itself uses (Pirha, Varha, Siun sote);
* ``predecessor`` – an organisation merged into the county in 2023 (files from 2021–2022 use them);
* ``preparation`` – the name of the county's preparation project (Satasote);
* ``abbreviation``, ``domain``, ``name`` – a literal spelling used in writing.

Matching ignores case, spaces, punctuation, hyphens and diacritics (ä → a, ö → o, å → a).

The code trap: files still circulate with the 2021 numbering (column ``code_2021``: 01 was
Varsinais-Suomi, 17 Lappi, 22 Helsinki). A name therefore always wins over a code; a code that
disagrees with the name is reported, never silently remapped.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from .errors import Issue, Severity, has_errors
from .i18n import NamedInThreeLanguages, normalise_language

_DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Area(NamedInThreeLanguages):
    code: str
    code_2021: str
    in_reform: bool
    name_fi: str
    name_sv: str
    name_en: str
    short_fi: str
    short_sv: str
    short_en: str
    genitive_fi: str = ""  # the Finnish genitive stem: "Lapin" (Lapin hyvinvointialue)

    def short(self, lang: str | None = None) -> str:
        """The short name used on maps and in tables ("Lappi")."""
        return getattr(self, f"short_{normalise_language(lang)}")


@cache
def all_areas() -> tuple[Area, ...]:
    """All 23 areas in code order, Åland last."""
    with (_DATA / "areas.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Area(**{**row, "in_reform": row["in_reform"] == "1"})  # type: ignore[arg-type]
        for row in rows
    )


def reform_areas() -> tuple[Area, ...]:
    """The 22 areas of the reform (21 counties + Helsinki): the ones every figure counts."""
    return tuple(area for area in all_areas() if area.in_reform)


REFORM_CODES: tuple[str, ...] = tuple(area.code for area in reform_areas())
ALAND_CODE = "91"
HELSINKI_CODE = "90"


def get(code: str) -> Area:
    """The area with Statistics Finland's ``code``; KeyError for anything else."""
    for area in all_areas():
        if area.code == code:
            return area
    raise KeyError(code)


def by_code() -> dict[str, Area]:
    return {area.code: area for area in all_areas()}


# --- name resolution ------------------------------------------------------------------------

ALIAS_KINDS: frozenset[str] = frozenset(
    {
        "fi_name",
        "fi_genitive",
        "sv_name",
        "en_name",
        "brand",
        "predecessor",
        "preparation",
        "abbreviation",
        "domain",
        "name",
    }
)


#: what each kind of form is filled with: a Finnish genitive stem or name, a Swedish name or
#: genitive, an English name
_FORM_KINDS = ("fi_genitive", "fi_name", "sv_name", "sv_genitive", "en_name")


@cache
def _name_forms() -> dict[str, tuple[str, ...]]:
    """The systematic forms by kind ("{} hyvinvointialue", "välfärdsområdet i {}": "{}" is the
    name), generated for every area from its names and stems; a vocabulary, so it is data
    (``data/area_name_forms.csv``, whose ``example`` column shows each form on Lappi)."""
    forms: dict[str, list[str]] = {kind: [] for kind in _FORM_KINDS}
    with (_DATA / "area_name_forms.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kind, form = row["kind"].strip(), row["form"].strip()
            if kind not in forms or form.count("{}") != 1:
                raise ValueError(f"area_name_forms.csv: {kind!r} is no kind or {form!r} no form")
            forms[kind].append(form)
    return {kind: tuple(found) for kind, found in forms.items()}


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\t\r\n"), " ")
_REMARK = re.compile(r"[(\[{][^)\]}]*[)\]}]")
_SEPARATORS = re.compile(r"\s+-\s+|[/,;|()\[\]{}]")
_CODE = re.compile(r"^(?:hyvinvointialue|hyva|hva|hv)?[\s_-]*0*(\d{1,2})(?:[.,]0*)?$")


def normalise_name(text: object) -> str:
    """The matching key of a name: lower case ASCII letters and digits only.

    "  Päijät–Häme " and "paijat-hame" both become "paijathame"; "Åland" becomes "aland".
    """
    decomposed = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _clean(text: str) -> str:
    """``text`` with one kind of dash and space, so that separators can be found."""
    return " ".join(text.translate(_DASHES).translate(_SPACES).split())


def _swedish_genitives(area: Area, names: Iterable[str]) -> set[str]:
    stems = set()
    if area.name_sv.endswith(" välfärdsområde"):
        stems.add(area.name_sv.removesuffix(" välfärdsområde"))
    stems.update(name + "s" for name in names if not name.endswith(("s", "x", "z")))
    return stems


@cache
def _alias_rows() -> tuple[tuple[str, str, str], ...]:
    """The irregular aliases (code, alias, kind), checked against the area table."""
    codes = {area.code for area in all_areas()}
    with (_DATA / "area_aliases.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = tuple((r["code"], r["alias"].strip(), r["kind"].strip()) for r in reader)
    for code, alias, kind in rows:
        if code not in codes:
            raise ValueError(f"area_aliases.csv: unknown area code {code!r} for {alias!r}")
        if kind not in ALIAS_KINDS:
            raise ValueError(f"area_aliases.csv: unknown kind {kind!r} for {alias!r}")
        if not normalise_name(alias):
            raise ValueError(f"area_aliases.csv: empty alias for area {code}")
    return rows


def area_names(area: Area) -> set[str]:
    """Every spelling of ``area`` that :func:`resolve` accepts (before normalisation)."""
    extra: dict[str, list[str]] = {kind: [] for kind in ALIAS_KINDS}
    for code, alias, kind in _alias_rows():
        if code == area.code:
            extra[kind].append(alias)
    fi_names = [area.short_fi, *extra["fi_name"]]
    fi_genitives = [area.genitive_fi, *extra["fi_genitive"]]
    # the naive genitive (nominative + n) is a common mistake: "Itä-Uusimaan hyvinvointialue"
    fi_genitives += [name + "n" for name in fi_names if name[-1:].lower() in "aeiouyäö"]
    sv_names = [area.short_sv, *extra["sv_name"]]
    en_names = [area.short_en, *extra["en_name"]]

    forms = _name_forms()
    names = {area.name_fi, area.name_sv, area.name_en, area.short_fi, area.short_sv, area.short_en}
    names.update(form.format(n) for n in fi_names for form in forms["fi_name"])
    names.update(form.format(g) for g in fi_genitives if g for form in forms["fi_genitive"])
    names.update(form.format(s) for s in sv_names for form in forms["sv_name"])
    sv_genitives = _swedish_genitives(area, sv_names)
    names.update(form.format(g) for g in sv_genitives for form in forms["sv_genitive"])
    names.update(form.format(e) for e in en_names for form in forms["en_name"])
    for kind in ("brand", "predecessor", "preparation", "abbreviation", "domain", "name"):
        names.update(extra[kind])
    return names


@cache
def _keys_by_code() -> dict[str, frozenset[str]]:
    return {
        area.code: frozenset(normalise_name(n) for n in area_names(area)) for area in all_areas()
    }


@cache
def _candidates() -> dict[str, frozenset[str]]:
    """Every matching key and the codes of the areas it names (more than one = ambiguous)."""
    found: dict[str, set[str]] = {}
    for code, keys in _keys_by_code().items():
        for key in keys:
            found.setdefault(key, set()).add(code)
    return {key: frozenset(codes) for key, codes in found.items()}


@cache
def _index() -> dict[str, str]:
    """The lookup table, key → code, built once; an ambiguous key is left out."""
    return {key: next(iter(codes)) for key, codes in _candidates().items() if len(codes) == 1}


def alias_conflicts() -> dict[str, tuple[str, ...]]:
    """Matching keys that would name two different areas (the data must have none)."""
    return {key: tuple(sorted(c)) for key, c in _candidates().items() if len(c) > 1}


def codes_named(text: str) -> set[str]:
    """Codes of the areas ``text`` names: one (found), none (unknown) or several (ambiguous);
    public for the readers that only need this fast lookup, without "did you mean"."""
    index = _index()
    cleaned = _clean(text)
    code = index.get(normalise_name(cleaned))
    if code:
        return {code}
    # "Helsinki (sosiaali- ja terveydenhuolto, sekä pelastustoimi)": drop the remark
    code = index.get(normalise_name(_REMARK.sub(" ", cleaned)))
    if code:
        return {code}
    # "Pohjois-Karjalan hyvinvointialue – Siun sote", "Lappi / Lapland": every part that names an
    # area must name the same one
    found = set()
    for part in _SEPARATORS.split(cleaned):
        if _parse_code(part) is None and (code := index.get(normalise_name(part))):
            found.add(code)
    return found


def _blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return not str(value).strip()


def _code_text(value: object) -> str | None:
    """A code as given, as text ("5.0" from a spreadsheet number becomes "5"); None when blank."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_code(value: object) -> str | None:
    """Two digits for anything that looks like an area code ("5", "05", 5, "5.0", "HVA05")."""
    if _blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    match = _CODE.match(str(value).strip().casefold())
    return f"{int(match.group(1)):02d}" if match else None


@cache
def _old_only() -> dict[str, Area]:
    """Codes that exist only in the 2021 numbering (22 Helsinki, 23 Åland)."""
    current = {area.code for area in all_areas()}
    return {a.code_2021: a for a in all_areas() if a.code_2021 not in current}


def _closest(text: str, n: int = 3) -> list[Area]:
    """The ``n`` areas whose official names look most like ``text`` (for "did you mean")."""
    key = normalise_name(text)

    def score(area: Area) -> float:
        names = (
            area.short_fi,
            area.short_sv,
            area.short_en,
            area.name_fi,
            area.name_sv,
            area.name_en,
            area.genitive_fi,
        )
        return max(SequenceMatcher(None, key, normalise_name(name)).ratio() for name in names)

    return sorted(all_areas(), key=score, reverse=True)[:n]


@dataclass(frozen=True)
class AreaNames:
    """Areas named in a message, in the language the message is shown in: a Swedish preparer's
    "Menade du: …" lists Swedish names. Rendered by ``Issue`` through ``localise``."""

    codes: tuple[str, ...]

    def localise(self, lang: str | None) -> str:
        return ", ".join(get(code).short(lang) for code in self.codes)

    def __str__(self) -> str:
        return self.localise(None)


def _names(areas: Iterable[Area]) -> AreaNames:
    return AreaNames(tuple(area.code for area in areas))


@dataclass(frozen=True)
class Resolution:
    """What a name and/or code in a file means: the area (None if unknown) and what was odd."""

    area: Area | None
    issues: list[Issue] = field(default_factory=list)
    suggestions: list[Area] = field(default_factory=list)  # closest candidates when unknown

    @property
    def code(self) -> str | None:
        return self.area.code if self.area else None

    @property
    def ok(self) -> bool:
        """An area was found and nothing worse than a warning was reported."""
        return self.area is not None and not has_errors(self.issues)


def resolve(
    text: object | None,
    code: object | None = None,
    *,
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> Resolution:
    """The area that ``text`` (a name in any accepted form) and/or ``code`` mean.

    A name always wins over a code. With a name and a code: the current code → no issue; the
    area's 2021 code → warning ``old_area_code``; another area's code → warning
    ``area_code_mismatch``; no area's code → warning ``invalid_area_code``. A code alone: a current
    code (01–21, 90, 91; "5", 5 and "5.0" are accepted) → no issue; 22 or 23, which exist only in
    the 2021 numbering → Helsinki or Åland with warning ``old_area_code``. An unknown name → error
    ``unknown_area`` with the three closest areas as suggestions; nothing given → ``missing_area``.
    ``file``, ``sheet``, ``row`` and ``column`` are copied into every issue.
    """

    def issue(issue_code: str, severity: Severity = "error", **params: object) -> Issue:
        return Issue(
            issue_code, severity, file=file, sheet=sheet, row=row, column=column, params=params
        )

    given_text = None if _blank(text) else " ".join(str(text).split())
    given_code = _code_text(code)

    # a number in the name column is a code written in the wrong place
    if given_text is not None and _parse_code(given_text) is not None:
        if given_code is None or _parse_code(given_code) == _parse_code(given_text):
            given_code, given_text = given_text, None
        else:
            both = [a for c in (given_text, given_code) if (a := _area_for_code(c)) is not None]
            shown = f"{given_text} / {given_code}"
            return Resolution(
                None, [issue("ambiguous_area", text=shown, candidates=_names(both))], both
            )

    if given_text is None and given_code is None:
        return Resolution(None, [issue("missing_area")])

    if given_text is None:
        return _resolve_code(given_code, issue)

    codes = codes_named(given_text)
    registry = by_code()
    if len(codes) > 1:
        candidates = [registry[c] for c in sorted(codes)]
        return Resolution(
            None,
            [issue("ambiguous_area", text=given_text, candidates=_names(candidates))],
            candidates,
        )
    if not codes:
        suggestions = _closest(given_text)
        coded = _area_for_code(given_code) if given_code is not None else None
        if coded is not None and coded not in suggestions:
            suggestions = [coded, *suggestions[:2]]
        return Resolution(
            None,
            [issue("unknown_area", text=given_text, candidates=_names(suggestions))],
            suggestions,
        )

    area = registry[codes.pop()]
    if given_code is None:
        return Resolution(area)
    parsed = _parse_code(given_code)
    if parsed == area.code:
        return Resolution(area)
    params = {"text": given_text, "area": area.short_fi, "current_code": area.code}
    if parsed == area.code_2021:
        return Resolution(area, [issue("old_area_code", "warning", code=parsed, **params)])
    other = _area_for_code(parsed) if parsed else None
    if other is not None:
        params["code_area"] = other.short_fi
        return Resolution(area, [issue("area_code_mismatch", "warning", code=parsed, **params)])
    return Resolution(area, [issue("invalid_area_code", "warning", code=given_code)])


def _area_for_code(code: object) -> Area | None:
    """The area a code means today (22 and 23 from the 2021 numbering included), else None."""
    parsed = _parse_code(code)
    if parsed is None:
        return None
    return by_code().get(parsed) or _old_only().get(parsed)


def _resolve_code(given_code: str, issue: Callable[..., Issue]) -> Resolution:
    parsed = _parse_code(given_code)
    registry = by_code()
    if parsed in registry:
        return Resolution(registry[parsed])
    if parsed in _old_only():
        area = _old_only()[parsed]
        params = {"code": parsed, "area": area.short_fi, "current_code": area.code, "text": ""}
        return Resolution(area, [issue("old_area_code", "warning", **params)])
    return Resolution(None, [issue("invalid_area_code", code=given_code)])
