"""The area registry: every way real files name an area resolves; the 2021 code trap is caught."""

import csv
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sotedata.domain import areas, sotkanet_regions
from sotedata.domain.areas import normalise_name, resolve
from sotedata.domain.errors import has_errors

DATA = Path(areas.__file__).resolve().parents[1] / "data"
LOCALE = Path(areas.__file__).resolve().parents[1] / "locale"
ALL = areas.all_areas()
NAME_FIELDS = ("name_fi", "name_sv", "name_en", "short_fi", "short_sv", "short_en")


def _code(text, code=None):
    result = resolve(text, code)
    assert not result.issues, [issue.render() for issue in result.issues]
    return result.code


# --- the table --------------------------------------------------------------------------------


def test_registry_has_21_counties_helsinki_and_aland_with_the_old_numbering():
    assert len(ALL) == 23
    assert [a.code for a in ALL][-2:] == [areas.HELSINKI_CODE, areas.ALAND_CODE]
    assert len(areas.REFORM_CODES) == 22 and areas.ALAND_CODE not in areas.REFORM_CODES
    assert sorted(a.code_2021 for a in ALL) == [f"{n:02d}" for n in range(1, 24)]
    assert areas.get("21").code_2021 == "17"


def test_genitive_stem_is_the_official_finnish_name_of_every_county():
    for area in ALL:
        if area.code not in (areas.HELSINKI_CODE, areas.ALAND_CODE):
            assert area.name_fi == f"{area.genitive_fi} hyvinvointialue"


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", ALL, ids=lambda a: a.code)
@pytest.mark.parametrize("field", NAME_FIELDS)
def test_every_official_name_in_three_languages_resolves_to_its_own_area(area, field):
    assert _code(getattr(area, field)) == area.code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lappi", "21"),
        ("Lappland", "21"),
        ("Lapland", "21"),
        ("Pirkanmaa", "08"),
        ("Egentliga Finland", "05"),
        ("Vantaa-Kerava", "04"),
    ],
)
def test_short_names_resolve(text, code):
    assert _code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lapin hyvinvointialue", "21"),
        ("Lapin hyvinvointialueen", "21"),
        ("Itä-Uudenmaan hyvinvointialue", "01"),
        ("Kanta-Hämeen hyvinvointialue", "07"),
        ("Vantaan ja Keravan hyvinvointialue", "04"),
        ("Vantaan-Keravan hyvinvointialue", "04"),
    ],
)
def test_finnish_genitive_forms_resolve(text, code):
    assert _code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Itä-Uusimaan hyvinvointialue", "01"),  # nominative + n
        ("Itä-Uusimaa hyvinvointialue", "01"),  # nominative + hyvinvointialue
        ("Lappi hyvinvointialue", "21"),
        ("Kanta-Hämen hyvinvointialue", "07"),
    ],
)
def test_common_wrong_genitives_resolve(text, code):
    assert _code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Välfärdsområdet i Lappland",
        "Lapplands välfärdsområde",
        "Lappland välfärdsområde",
    ],
)
def test_swedish_forms_resolve(text):
    assert _code(text) == "21"


def test_swedish_names_without_a_genitive_s_resolve():
    assert _code("Satakunta välfärdsområde") == "06"
    assert _code("Välfärdsområdet i Södra Savolax") == "12"
    assert _code("Vanda och Kervo välfärdsområde") == "04"


@pytest.mark.parametrize(
    "text",
    [
        "Lapland",
        "Wellbeing services county of Lapland",
        "Lapland wellbeing services county",
        "Lapland Wellbeing Services County",
        "The wellbeing services county of Lapland",
    ],
)
def test_english_forms_resolve(text):
    assert _code(text) == "21"


def test_english_variants_of_region_names_resolve():
    assert _code("Western Uusimaa Wellbeing Services County") == "03"
    assert _code("South Savo Wellbeing Services Area") == "12"
    assert _code("Northern Ostrobothnia") == "19"


@pytest.mark.parametrize("text", ["Lapin HVA", "Lapin hva", "Lapin hyva", "HVA Lappi", "Lappi HVA"])
def test_abbreviations_of_hyvinvointialue_resolve(text):
    assert _code(text) == "21"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Keusote", "02"),
        ("LUVN", "03"),
        ("VAKE", "04"),
        ("Vakehyva", "04"),
        ("Varha", "05"),
        ("Satasote", "06"),
        ("Oma Häme", "07"),
        ("Pirha", "08"),
        ("Päijät-Hämeen hyvinvointiyhtymä", "09"),
        ("Päijät-Hämeen hyvinvointikuntayhtymä", "09"),
        ("Paijatha", "09"),
        ("Kymsote", "10"),
        ("Eksote", "11"),
        ("Ekhva", "11"),
        ("Eloisa", "12"),
        ("Essote", "12"),
        ("Sosteri", "12"),
        ("PSHVA", "13"),
        ("Siun sote", "14"),
        ("Siunsote", "14"),
        ("Hyvaks", "15"),
        ("Hyvaep", "16"),
        ("Soite", "18"),
        ("Pohde", "19"),
        ("Kainuun sote", "20"),
        ("Lapha", "21"),
    ],
)
def test_brand_and_predecessor_names_resolve(text, code):
    assert _code(text) == code


def test_eloisa_is_etela_savo_and_eksote_is_etela_karjala():
    assert resolve("Eloisa").area.short_fi == "Etelä-Savo"
    assert resolve("Eksote").area.short_fi == "Etelä-Karjala"


@pytest.mark.parametrize(
    "text",
    [
        "Helsinki",
        "Helsingin kaupunki",
        "Helsingfors",
        "Helsingfors stad",
        "City of Helsinki",
        "Helsinki (sosiaali- ja terveydenhuolto, sekä pelastustoimi)",
    ],
)
def test_helsinki_in_every_form_resolves(text):
    assert _code(text) == areas.HELSINKI_CODE


@pytest.mark.parametrize("text", ["Ahvenanmaa", "Åland", "Aland", "Ahvenanmaan maakunta"])
def test_aland_resolves_although_it_is_outside_the_reform(text):
    assert _code(text) == areas.ALAND_CODE


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("  lapin HYVINVOINTIALUE ", "21"),
        ("Paijat-Hame", "09"),
        ("päijät–häme", "09"),  # en dash
        ("PÄIJÄT - HÄME", "09"),
        ("Ita-Uudenmaan\u00a0hyvinvointialue", "01"),
        ("Etelä-Pohjanmaan  hyvinvointialue.", "16"),
        ("Oma-Hame", "07"),
    ],
)
def test_matching_ignores_case_spaces_punctuation_and_diacritics(text, code):
    assert _code(text) == code


def test_parenthesised_remarks_and_a_second_name_are_understood():
    assert _code("Itä-Uudenmaan hyvinvointialue (Eastern Uusimaa)") == "01"
    assert _code("Pohjois-Karjalan hyvinvointialue – Siun sote") == "14"
    assert _code("Pohjanmaan hyvinvointialue / Österbottens välfärdsområde") == "17"


def test_two_different_areas_in_one_text_are_an_error_not_a_guess():
    result = resolve("Lappi / Kainuu")
    assert result.area is None
    assert result.issues[0].code == "ambiguous_area"
    assert {a.code for a in result.suggestions} == {"20", "21"}


def test_normalised_keys_fold_diacritics_and_dashes():
    assert normalise_name(" Päijät–Häme ") == normalise_name("paijat-hame") == "paijathame"
    assert normalise_name("Åland") == "aland"


# --- the code trap ----------------------------------------------------------------------------


def test_current_code_with_its_name_has_no_issue():
    assert _code("Lappi", "21") == "21"


def test_old_area_code_is_a_warning_not_a_remap():
    result = resolve("Lappi", "17")  # 17 is Lappi in 2021 numbering, Pohjanmaa today
    assert result.code == "21"
    [issue] = result.issues
    assert (issue.code, issue.severity) == ("old_area_code", "warning")
    assert "2021" in issue.message()
    assert "21" in issue.suggestion()


def test_old_code_01_with_varsinais_suomi_keeps_varsinais_suomi():
    result = resolve("Varsinais-Suomi", "01")  # 01 is Itä-Uusimaa today
    assert result.code == "05"
    assert [(i.code, i.severity) for i in result.issues] == [("old_area_code", "warning")]
    assert not has_errors(result.issues)


def test_code_of_another_area_is_a_mismatch_warning_and_the_name_wins():
    result = resolve("Lappi", "05")
    assert result.code == "21"
    [issue] = result.issues
    assert (issue.code, issue.severity) == ("area_code_mismatch", "warning")
    assert "Varsinais-Suomi" in issue.message() and "Lappi" in issue.message()


def test_code_that_is_no_area_is_a_warning_when_the_name_resolves():
    result = resolve("Lappi", "99")
    assert result.code == "21"
    assert [(i.code, i.severity) for i in result.issues] == [("invalid_area_code", "warning")]


def test_code_22_alone_is_helsinki_with_an_old_code_warning():
    result = resolve(None, "22")
    assert result.code == areas.HELSINKI_CODE
    assert [(i.code, i.severity) for i in result.issues] == [("old_area_code", "warning")]
    assert resolve("", "23").code == areas.ALAND_CODE


def test_current_code_alone_resolves_without_issue():
    assert _code(None, "21") == "21"
    assert _code(None, "90") == areas.HELSINKI_CODE


@pytest.mark.parametrize("code", ["5", "05", 5, "5.0", 5.0, " 05 ", "HVA05", "hva 5"])
def test_codes_are_accepted_with_or_without_leading_zero_and_from_spreadsheet_numbers(code):
    assert _code(None, code) == "05"


def test_unknown_code_alone_is_an_error():
    result = resolve(None, "99")
    assert result.area is None
    assert [(i.code, i.severity) for i in result.issues] == [("invalid_area_code", "error")]


def test_a_number_in_the_name_column_is_read_as_a_code():
    assert _code("21") == "21"
    conflict = resolve("21", "05")
    assert conflict.area is None and conflict.issues[0].code == "ambiguous_area"


# --- unknown and missing ----------------------------------------------------------------------


@pytest.mark.parametrize(("typo", "meant"), [("Lapii", "21"), ("Pirknmaa", "08"), ("Kainu", "20")])
def test_unknown_name_is_an_error_with_the_right_area_among_suggestions(typo, meant):
    result = resolve(typo)
    assert result.area is None
    [issue] = result.issues
    assert (issue.code, issue.severity) == ("unknown_area", "error")
    assert typo in issue.message()
    assert len(result.suggestions) == 3
    assert meant in [a.code for a in result.suggestions]
    assert issue.suggestion().startswith("Tarkoititko: ")
    assert areas.get(meant).short_fi in issue.suggestion()


def test_unknown_name_is_not_rescued_by_its_code_but_the_code_area_is_suggested():
    result = resolve("Lapiii", "21")
    assert result.area is None and result.issues[0].code == "unknown_area"
    assert "21" in [a.code for a in result.suggestions]


def test_uusimaa_alone_is_unknown_and_suggests_the_uusimaa_counties():
    result = resolve("Uusimaa")
    assert result.area is None
    assert {a.code for a in result.suggestions} <= {"01", "02", "03", "04"}


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_both_blank_is_missing_area(blank):
    result = resolve(blank, blank)
    assert result.area is None
    assert [(i.code, i.severity) for i in result.issues] == [("missing_area", "error")]


def test_issue_positions_are_carried_from_the_caller():
    for result in (
        resolve("Lapii", file="tila.xlsx", sheet="Tila", row=7, column="B"),
        resolve("Lappi", "17", file="tila.xlsx", sheet="Tila", row=7, column="B"),
        resolve(None, None, file="tila.xlsx", sheet="Tila", row=7, column="B"),
    ):
        [issue] = result.issues
        assert (issue.file, issue.sheet, issue.row, issue.column) == ("tila.xlsx", "Tila", 7, "B")
        assert issue.to_dict()["cell"] == "B7"
        assert issue.render().startswith(("Virhe: tila.xlsx › Tila › B7: ", "Varoitus: tila.xlsx"))


# --- helpers ----------------------------------------------------------------------------------


def test_resolve_gives_the_code_a_name_or_a_code_means():
    assert resolve("Lapin HVA").code == "21"
    assert resolve("Pirha").code == "08"
    assert resolve(None, 5).code == "05"
    assert resolve(None, "22").code == areas.HELSINKI_CODE
    assert not resolve("ei mikään alue").ok
    assert not resolve(None).ok
    assert not resolve(None, "99").ok


def test_resolution_is_ok_only_with_an_area_and_no_error():
    assert resolve("Lappi").ok
    assert resolve("Lappi", "17").ok  # a warning only
    assert not resolve("Lapii").ok


def test_every_accepted_spelling_of_an_area_resolves_to_it():
    for area in ALL:
        for name in areas.area_names(area):
            assert resolve(name).code == area.code, name


# --- the alias data ---------------------------------------------------------------------------


def test_no_alias_maps_to_two_different_areas():
    assert areas.alias_conflicts() == {}


def test_every_systematic_form_in_the_data_file_names_its_example_area():
    """data/area_name_forms.csv is the vocabulary the systematic names are made of: each form's
    example (written on Lappi) resolves to Lappi, so a form that stops being read, or a new one
    that is written wrongly, shows here."""
    with (DATA / "area_name_forms.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["kind", "form", "example"]
    assert {row["kind"] for row in rows} == {
        "fi_genitive", "fi_name", "sv_name", "sv_genitive", "en_name"
    }  # fmt: skip
    lappi = {normalise_name(name) for name in areas.area_names(areas.get("21"))}
    for row in rows:
        example = row["example"].removesuffix(" (the common wrong form)")
        assert normalise_name(example) in lappi, row
        assert resolve(example).code == "21", row


def test_alias_file_has_known_codes_and_kinds_and_no_conflicting_rows():
    with (DATA / "area_aliases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["code", "alias", "kind"]
    codes = {a.code for a in ALL}
    seen: dict[str, str] = {}
    for row in rows:
        assert row["code"] in codes, row
        assert row["kind"] in areas.ALIAS_KINDS, row
        key = normalise_name(row["alias"])
        assert seen.setdefault(key, row["code"]) == row["code"], row
    # no alias row may be the name of another area either
    for row in rows:
        for area in ALL:
            if area.code != row["code"]:
                assert normalise_name(row["alias"]) not in {
                    normalise_name(getattr(area, f)) for f in NAME_FIELDS
                }, row


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_area_message_has_text_and_fix_in_each_language(lang):
    with (LOCALE / lang / "LC_MESSAGES" / "areas.po").open("rb") as handle:
        messages = {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}
    for code in (
        "unknown_area",
        "missing_area",
        "old_area_code",
        "area_code_mismatch",
        "invalid_area_code",
        "ambiguous_area",
    ):
        assert messages[f"error.{code}"] and messages[f"error.{code}.fix"]


def test_sotkanet_ids_are_read_from_the_regions_listing_by_name():
    listing = [
        {
            "id": 974,
            "code": "13",
            "category": "HYVINVOINTIALUE",
            "title": {"fi": "Pohjois-Savon hyvinvointialue"},
        },
        {"id": 969, "code": "08", "category": "HYVINVOINTIALUE", "title": {"fi": "Pirkanmaan HVA"}},
        # old 2021 code beside the right name: the name wins
        {
            "id": 5001,
            "code": "17",
            "category": "HYVINVOINTIALUE",
            "title": {"fi": "Lapin hyvinvointialue"},
        },
        # a code that points at another area: left out, not mis-mapped
        {
            "id": 5002,
            "code": "05",
            "category": "HYVINVOINTIALUE",
            "title": {"fi": "Kainuun hyvinvointialue"},
        },
        {"id": 286, "code": "091", "category": "KUNTA", "title": {"fi": "Helsinki"}},
        {"id": 5003, "code": "99", "category": "HYVINVOINTIALUE", "title": {"fi": "Atlantis"}},
    ]
    assert sotkanet_regions.sotkanet_ids(listing) == {974: "13", 969: "08", 5001: "21"}


def test_suggested_areas_are_named_in_the_language_of_the_message():
    issue = areas.resolve("Lapin hyvinvoitialue").issues[0]
    assert issue.code == "unknown_area"
    assert "Lappi" in issue.suggestion("fi")
    assert "Lappland" in issue.suggestion("sv") and "Lappi," not in issue.suggestion("sv")
    assert "Lapland" in issue.suggestion("en")
    assert issue.to_dict("sv")["suggestion"].startswith("Menade du: Lappland")
