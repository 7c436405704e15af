"""The shapes real statistical exports have, each as a small table written here: Sotkanet's web
export and REST clients, Statistics Finland's PxWeb downloads, a code column beside a name column,
national totals, Åland, merged municipalities, dimensions, weeks and stray text columns."""

from datetime import date

import pytest

from sotedata.domain.model import default_roadmap
from sotedata.ingest import parse_file
from tests.support.workbooks import xlsx

ROADMAP = default_roadmap()


def _csv(text: str, name: str = "vienti.csv", encoding: str = "utf-8"):
    return parse_file(text.encode(encoding), name, roadmap=ROADMAP, today=date(2026, 11, 23))


def _accepted(text: str, name: str = "vienti.csv", encoding: str = "utf-8"):
    """The file parsed, failing the test with every error rendered if it has any."""
    parsed = _csv(text, name, encoding)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    return parsed


def _values(parsed):
    return {
        (v.indicator, v.level, v.region_code, v.period.text): v.value
        for v in parsed.indicator_values
    }


def _codes(issues):
    return [issue.code for issue in issues]


def test_a_sotkanet_rest_client_file_with_an_id_column_is_indicators_not_status():
    """indicator, region (Sotkanet's own id), year, gender, primary.value, absolute value: the
    ids resolve through the shipped table (888 Lappi, 2 Alajärvi), gender keeps its total."""
    text = (
        "id;indicator;region;year;gender;primary.value;absolute value;region.title.fi\n"
        "1;3064;888;2022;total;123,4;800;Lapin hyvinvointialue\n"
        "2;3064;888;2022;male;130,0;400;Lapin hyvinvointialue\n"
        "3;3064;888;2022;female;117,0;400;Lapin hyvinvointialue\n"
        "4;3064;2;2022;total;140,2;50;Alajärvi\n"
        "5;3064;2;2022;male;141,0;25;Alajärvi\n"
        "6;3064;956;2022;total;90,0;10;Ahvenanmaa\n"
        "7;3064;219;2022;total;90,0;10;Maarianhamina\n"
    )
    parsed = _csv(text, "sotkanet.csv")
    assert [s.kind for s in parsed.sheets] == ["indicators"], parsed.errors
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert _values(parsed) == {
        ("sotkanet:3064", "area", "21", "2022"): pytest.approx(123.4),
        ("sotkanet:3064", "municipality", "005", "2022"): pytest.approx(140.2),
    }
    codes = _codes(parsed.warnings)
    assert codes.count("ignored_level") == 1  # Åland and Maarianhamina: one warning
    assert "dimension_total" in codes
    assert parsed.counts()["areas"] == ["16", "21"]
    assert parsed.counts()["municipalities"] == 1


def test_a_pxweb_csv_with_title_lines_cp1252_prefixed_codes_and_the_year_in_the_header():
    text = (
        '"Väestö 31.12. muuttujina Alue, Sukupuoli, Vuosi ja Tiedot"\n'
        "\n"
        '"Alue";"Yhteensä 2019 Väestö 31.12.";"Miehet 2019 Väestö 31.12.";'
        '"Yhteensä 2020 Väestö 31.12."\n'
        '"SSS KOKO MAA";5525292;2724938;5533793\n'
        '"KU005 Alajärvi";9311;4653;9193\n'
        '"HV21 Lapin hyvinvointialue";177161;88745;176665\n'
        '"MK01 Uusimaa";1689725;826343;1702678\n'
        '"KU478 Maarianhamina";11743;5699;11705\n'
        '"Lähde: Tilastokeskus"\n'
    )
    parsed = _accepted(text, "pxweb.csv", "cp1252")
    values = _values(parsed)
    key = "file:vaesto-31-12"
    assert values == {
        (key, "municipality", "005", "2019"): 9311,
        (key, "municipality", "005", "2020"): 9193,
        (key, "area", "21", "2019"): 177161,
        (key, "area", "21", "2020"): 176665,
    }
    levels = [w.params["level"] for w in parsed.warnings if w.code == "ignored_level"]
    assert len(levels) == 3  # the country, the region (Maakunta) and Åland: one each
    assert "dimension_in_header" in _codes(parsed.warnings)
    assert parsed.indicators[0].name == "Väestö 31.12."


def test_a_code_column_beside_a_name_column_is_never_an_indicator():
    text = (
        "Aluekoodi;Aluenimi;Vuosi;Sairastavuus\n"
        "21;Lapin hyvinvointialue;2021;123,4\n"
        "20;Kainuu;2021;131\n"
        "99;Koko maa;2021;100\n" + "99;Koko maa;2020;100\n" * 30
    )
    parsed = _accepted(text)
    assert {v.region_code for v in parsed.indicator_values} == {"21", "20"}
    assert _codes(parsed.warnings).count("ignored_level") == 1
    assert parsed.counts()["areas"] == ["20", "21"]


def test_a_mismatching_name_wins_and_is_a_warning_at_its_cell():
    text = "Kuntanumero;Kunta;Vuosi;Luku\n005;Alavus;2021;1\n010;Alavus;2022;2\n"
    parsed = _csv(text)
    assert not parsed.errors
    assert {v.region_code for v in parsed.indicator_values} == {"010"}
    (warning,) = [w for w in parsed.warnings if w.code == "code_name_mismatch"]
    assert warning.cell == "B2"


def test_english_and_swedish_names_and_headers():
    text = (
        "region_name;year;Visits\n"
        "Southwest Finland wellbeing services county;2022;5\n"
        "City of Helsinki;2022;6\n"
        "Vantaa and Kerava wellbeing services county;2022;7\n"
        "Whole Finland;2022;8\n"
    )
    parsed = _accepted(text)
    assert {v.region_code for v in parsed.indicator_values} == {"05", "90", "04"}
    swedish = _csv("kommun;år;Besök\nVasa;2022;1\nHela Finland;2022;2\n")
    assert not swedish.errors and {v.region_code for v in swedish.indicator_values} == {"905"}


def test_aland_municipalities_are_never_stored_under_area_91():
    text = "Kunta;Vuosi;Luku\nMaarianhamina;2021;1\nJomala;2021;2\nAlajärvi;2021;3\n"
    parsed = _csv(text)
    assert not parsed.errors
    assert [v.region_code for v in parsed.indicator_values] == ["005"]
    assert _codes(parsed.warnings).count("ignored_level") == 1
    assert "91" not in parsed.counts()["areas"]


def test_a_municipality_merged_since_2000_is_skipped_with_its_successor_and_year():
    rows = "".join(f"Jalasjärvi;{y};{y}\n" for y in range(2010, 2016))
    parsed = _accepted("Kunta;Vuosi;Luku\n" + rows + "Alajärvi;2015;1\n")
    (warning,) = [w for w in parsed.warnings if w.code == "former_municipality"]
    assert warning.repeats == 5
    assert "Kurikka" in warning.message("fi") and "2016" in warning.message("fi")
    assert "Kurikka" in warning.message("en")
    assert [v.region_code for v in parsed.indicator_values] == ["005"]


def test_a_dimension_without_a_total_makes_an_indicator_of_each_value():
    text = (
        "Kunta;Vuosi;ATC-luokka;Ostot\n"
        "Alajärvi;2021;(A) Ruuansulatuselinten ja aineenvaihduntasairauksien lääkkeet;10\n"
        "Alajärvi;2021;(B) Veritautien lääkkeet;20\n"
    )
    parsed = _accepted(text)
    assert sorted(i.name for i in parsed.indicators) == [
        "Ostot — (A) Ruuansulatuselinten ja aineenvaihduntasairauksien lääkkeet",
        "Ostot — (B) Veritautien lääkkeet",
    ]
    assert "dimension_split" in _codes(parsed.warnings)


def test_a_dimension_that_would_make_too_many_indicators_is_one_error_naming_it():
    rows = "".join(f"Alajärvi;2021;Ryhmä {i};{i}\n" for i in range(60))
    parsed = _csv("Kunta;Vuosi;Ikä;Luku\n" + rows)
    assert _codes(parsed.errors) == ["too_many_dimension_values"]
    (error,) = parsed.errors
    assert error.cell == "C1" and "Ikä" in error.message("fi") and error.suggestion("fi")


def test_a_dimension_with_a_total_keeps_it_with_one_warning():
    text = (
        "Alue;Vuosi;Sukupuoli;Luku\n"
        "Lappi;2021;Miehet;1\nLappi;2021;Naiset;2\nLappi;2021;Yhteensä;3\n"
        "Kainuu;2021;Miehet;4\nKainuu;2021;Yhteensä;9\n"
    )
    parsed = _csv(text)
    assert not parsed.errors
    assert sorted(v.value for v in parsed.indicator_values) == [3, 9]
    (warning,) = [w for w in parsed.warnings if w.code == "dimension_total"]
    assert warning.cell == "C1" and "Sukupuoli" in warning.message("fi")


def test_weeks_and_months_are_periods():
    weekly = _csv("Alue;Vuosi;Viikko;Käynnit\nLappi;2026;2;10\nLappi;2026;3;11\n")
    assert not weekly.errors, [e.render() for e in weekly.errors]
    assert sorted(v.period.text for v in weekly.indicator_values) == ["2026W02", "2026W03"]
    assert weekly.indicator_values[0].period.start == date(2026, 1, 5)
    inline = _csv("Alue;Aika;Käynnit\nLappi;2026W02;1\nLappi;2026/03;2\nLappi;2026M02;3\n")
    assert not inline.errors
    assert sorted(v.period.text for v in inline.indicator_values) == [
        "2026M02",
        "2026W02",
        "2026W03",
    ]


def test_text_columns_are_ignored_with_one_warning_each():
    text = (
        "Alue;Vuosi;Päivitetty;Namn;Luku\n"
        "Lappi;2021;2024-05-01;Lappland;1\n"
        "Kainuu;2021;2024-05-01;Kajanaland;2\n"
    )
    parsed = _csv(text)
    assert not parsed.errors
    ignored = [w for w in parsed.warnings if w.code == "ignored_text_column"]
    assert [w.cell for w in ignored] == ["C1", "D1"]
    assert [i.name for i in parsed.indicators] == ["Luku"]


def test_a_sheet_fitting_no_kind_names_every_shape():
    parsed = _csv("Jotain;Muuta\nx;y\n")
    (error,) = [e for e in parsed.errors if e.code == "no_known_sheet"]
    advice = error.suggestion("fi")
    for shape in (
        "tilanne",
        "riskit",
        "tiekartta",
        "indikaattorit",
        "valtionavustukset",
        "muistiinpanot",
    ):
        assert shape in advice
    assert "notes" in error.suggestion("en") and "anteckningar" in error.suggestion("sv")


def test_the_kind_goes_by_all_columns_and_a_close_call_is_explained():
    """ "Tunnus" is a measure id, but beside a region, a year and figures it is one column of
    four: the sheet is indicators, and the warning says status fitted too."""
    data = xlsx(
        {
            "Luvut": [
                ["Tunnus", "Alue", "Vuosi", "Käynnit"],
                ["A1", "Lappi", 2021, 5],
            ]
        }
    )
    parsed = parse_file(data, "x.xlsx", roadmap=ROADMAP, today=date(2026, 11, 23))
    assert [s.kind for s in parsed.sheets] == ["indicators"]
    (warning,) = [w for w in parsed.warnings if w.code == "kind_chosen"]
    assert "indikaattorit" in warning.message("fi") and "indicators" in warning.message("en")


def test_a_sotkanet_title_of_another_place_is_a_warning_at_its_cell_and_the_id_stands():
    text = (
        "indicator,region,year,gender,rate,title.fi\n"
        "683,968,2005,total,6.0,Lapin hyvinvointialue\n"
        "683,962,2005,total,6.3,Lapin hyvinvointialue\n"
    )
    parsed = _accepted(text, "rest.csv")
    assert {v.region_code for v in parsed.indicator_values} == {"21", "20"}
    (warning,) = [w for w in parsed.warnings if w.code == "sotkanet_title_mismatch"]
    assert (
        warning.cell == "F3"
        and "962" in warning.message("fi")
        and "Kainuu" in warning.message("fi")
    )
    assert not [w for w in parsed.warnings if w.code == "ignored_text_column"]
    (gender,) = [w for w in parsed.warnings if w.code == "dimension_total"]  # only its total
    assert gender.cell == "D1"


def test_sotkanets_headerless_download_is_read_by_its_column_order():
    text = (
        '"Huoltosuhde, demografinen";"761";"Espoo";"049";"yhteensä";2015;50,2;\n'
        '"Huoltosuhde, demografinen";"761";"Espoo";"049";"miehet";2015;49,0;\n'
        '"Huoltosuhde, demografinen";"761";"Jomala";"170";"yhteensä";2015;60,1;\n'
    )
    parsed = _accepted(text, "sotkanet.csv")
    assert _values(parsed) == {("sotkanet:761", "municipality", "049", "2015"): pytest.approx(50.2)}
    assert parsed.indicators[0].name == "Huoltosuhde, demografinen"
    assert {"headerless_sotkanet", "dimension_total", "ignored_level"} <= set(
        _codes(parsed.warnings)
    )
    assert _csv("a;b;c\n1;2;3\n").errors  # a sheet of another shape without a header is not one


def test_a_column_of_missing_markers_only_is_not_an_indicator():
    """Kela writes NA on every row of a column it does not fill: no figure, nothing to read."""
    parsed = _csv("Alue;Vuosi;Käynnit;Jonot\nLappi;2021;1;NA\nKainuu;2021;2;NA\n")
    assert not parsed.errors
    assert [i.name for i in parsed.indicators] == ["Käynnit"]
    assert [w.cell for w in parsed.warnings if w.code == "ignored_text_column"] == ["D1"]


def test_a_sotkanet_fetch_resolves_ids_its_region_listing_lacks_from_the_shipped_table():
    from sotedata.ingest.sotkanet import to_parsed

    rows = [
        {"indicator": 683, "region": 888, "year": 2015, "gender": "total", "value": 7.5},
        {"indicator": 683, "region": 2, "year": 2015, "gender": "total", "value": 8.0},
        {"indicator": 683, "region": 956, "year": 2015, "gender": "total", "value": 6.0},
    ]
    parsed = to_parsed(683, {"title": {"fi": "Diabetes"}}, [], rows, b"x")
    assert {(v.level, v.region_code) for v in parsed.indicator_values} == {
        ("area", "21"),
        ("municipality", "005"),
    }
    assert parsed.counts()["areas"] == ["16", "21"]


def test_a_kela_style_file_with_month_columns_and_a_national_total():
    text = (
        "aikatyyppi;vuosi;kuukausi;kunta_nro;kunta_nimi;saajat\n"
        "Kuukausi;2026;1;000;Koko maa;1000\n"
        "Kuukausi;2026;1;005;Alajärvi;10\n"
        "Kuukausi;2026;2;005;Alajärvi;11\n"
        "Kuukausi;2026;2;999;Kunta tuntematon;3\n"
    )
    parsed = _csv(text, "kela.csv")
    assert [e.code for e in parsed.errors] == ["unknown_municipality"]  # 999: no such place
    good = _csv(text.rsplit("Kuukausi;2026;2;999", 1)[0], "kela.csv")
    assert not good.errors, [e.render() for e in good.errors]
    assert sorted(v.period.text for v in good.indicator_values) == ["2026M01", "2026M02"]
    assert _codes(good.warnings).count("ignored_level") == 1  # the national total
    assert "ignored_text_column" in _codes(good.warnings)  # aikatyyppi


def test_a_pxweb_xlsx_with_the_years_above_the_measures_and_an_unheaded_region_column():
    """PxWeb's xlsx download: a title, the years on one row (merged over their columns), the
    measure on the next, the regions in an unheaded first column, a source line at the bottom."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Väestö"
    sheet.append(["Väestö 31.12. muuttujina Alue, Vuosi ja Tiedot"])
    sheet.append([])
    sheet.append(["", "2019", None, "2020", None])
    sheet.append(["", "Väestö 31.12.", "Miehet", "Väestö 31.12.", "Miehet"])
    sheet.append(["KOKO MAA", 5525292, 2724938, 5533793, 2730000])
    sheet.append(["KU005 Alajärvi", 9311, 4653, 9193, 4600])
    sheet.append(["Helsinki", 656920, 316000, 656250, 316500])
    sheet.append(["Lähde: Tilastokeskus"])
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("D3:E3")
    out = BytesIO()
    book.save(out)
    parsed = parse_file(out.getvalue(), "pxweb.xlsx", roadmap=ROADMAP, today=date(2026, 11, 23))
    assert not parsed.errors, [e.render() for e in parsed.errors]
    values = {(v.indicator, v.region_code, v.period.text): v.value for v in parsed.indicator_values}
    assert values[("file:vaesto-31-12", "005", "2019")] == 9311
    assert values[("file:miehet", "091", "2020")] == 316500  # Helsinki among municipalities
    assert len(values) == 8
    assert _codes(parsed.warnings).count("ignored_level") == 1


def test_a_value_column_without_an_indicator_column_is_one_indicator_among_the_others():
    parsed = _accepted("Alue;Vuosi;Arvo;Käynnit\nLappi;2021;1;2\n")
    assert sorted(i.name for i in parsed.indicators) == ["Arvo", "Käynnit"]
    titled = _csv('"Sairastavuusindeksi"\n\nAlue;Vuosi;Arvo\nLappi;2021;1\n')
    assert [i.name for i in titled.indicators] == ["Sairastavuusindeksi"]


def test_a_figure_column_without_a_time_beside_time_headed_columns_is_left_out():
    parsed = _accepted("Alue;2020 Käynnit;Arvo\nLappi;5;7\nKainuu;6;8\n")
    assert {(v.region_code, v.period.text, v.value) for v in parsed.indicator_values} == {
        ("21", "2020", 5),
        ("20", "2020", 6),
    }
    assert [w.cell for w in parsed.warnings if w.code == "ignored_column"] == ["C1"]


def test_a_county_row_in_a_municipality_column_is_the_county():
    text = "Kunta;Vuosi;Luku\nAlajärvi;2021;1\nLapin hyvinvointialue;2021;2\nAhvenanmaa;2021;3\n"
    parsed = _accepted(text)
    assert {(v.level, v.region_code) for v in parsed.indicator_values} == {
        ("municipality", "005"),
        ("area", "21"),
    }
    assert _codes(parsed.warnings).count("ignored_level") == 1


def test_a_sotkanet_download_with_headers_keeps_the_total_and_ignores_its_ids():
    text = (
        "Indikaattori ID;Indikaattori;Alue ID;Alue;Vuosi;Sukupuoli;Arvo;Absoluuttinen arvo\n"
        "3064;Sairastavuusindeksi;888;Lapin hyvinvointialue;2021;Yhteensä;123,4;100\n"
        "3064;Sairastavuusindeksi;888;Lapin hyvinvointialue;2021;Miehet;130,0;50\n"
        "3064;Sairastavuusindeksi;892;Egentliga Finlands välfärdsområde;2021;Yhteensä;99,0;80\n"
    )
    parsed = _accepted(text)
    found = {v.region_code: v.value for v in parsed.indicator_values}
    assert found == {"21": pytest.approx(123.4), "05": 99.0}
    assert "dimension_total" in _codes(parsed.warnings)


def test_class_names_level_codes_and_an_na_total_do_not_multiply_indicators():
    """Kela's drug classes: a code, its names in three languages and its level beside the
    figures; the NA class is all medicines (the total), the names are labels of the code, the
    level follows the class and the update stamp is the same everywhere."""
    head = "ALUEKOODI;VUOSI;VIIKKO;ATC_KOODI;ATC_SELITE_FI;ATC_SELITE_SV;ATC_TASO;OSTOT;UPDATED\n"
    rows = []
    for area in ("1", "2", "21"):
        for code, fi, sv, level in (
            ("NA", "(NA) NA", "(NA) NA", 0),
            ("A", "(A) Ruoka", "(A) Mat", 1),
            ("B", "(B) Veri", "(B) Blod", 1),
        ):
            rows.append(f"{area};2026;2;{code};{fi};{sv};{level};{len(rows) + 10};2026-01-19")
    parsed = _accepted(head + "\n".join(rows) + "\n")
    assert [i.name for i in parsed.indicators] == ["OSTOT"]
    assert {v.region_code: v.value for v in parsed.indicator_values} == {
        "01": 10,
        "02": 13,
        "21": 16,
    }
    (total,) = [w for w in parsed.warnings if w.code == "dimension_total"]
    assert total.cell == "D1"
    ignored = {w.params["header"] for w in parsed.warnings if w.code.startswith("ignored")}
    assert {"ATC_SELITE_FI", "ATC_SELITE_SV", "ATC_TASO", "UPDATED"} <= ignored
