"""Grant figures: each project's latest row on a date, totals for all 22 areas, the spent share
the national map colours by, and € per inhabitant from an imported population."""

from datetime import date

import pandas as pd
import pytest

from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    Indicator,
    IndicatorValue,
    Period,
)
from sotedata.ingest.report import ParsedFile
from sotedata.rules import grants
from sotedata.store.engine import Store
from tests.support.grant_shares import spent_share_by_area

D = date
JUNE, DEC = D(2022, 6, 15), D(2022, 12, 15)
Y2021 = Period("2021", D(2021, 1, 1), D(2021, 12, 31))


def _grant(area, project, granted, spent, day, measures=(), status="ongoing"):
    return grants.Grant(
        area_code=area,
        project=project,
        granted=granted,
        spent=spent,
        reported_on=day,
        status=status,
        measures=measures,
    )


def _save(store, name, items=(), indicators=(), values=()):
    parsed = ParsedFile(
        name,
        name.encode().hex().ljust(64, "0")[:64],
        grants=list(items),
        indicators=list(indicators),
        indicator_values=list(values),
    )
    return store.save_import(parsed)


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as opened:
        _save(
            opened,
            "kesakuu.xlsx",
            [
                _grant("21", "Sote-keskus", 1_000_000, 200_000, JUNE, ("I-01",)),
                _grant("21", "ICT", 500_000, None, JUNE),
                _grant("20", "Sote-keskus", 400_000, 100_000, JUNE),
            ],
        )
        _save(opened, "joulukuu.xlsx", [_grant("21", "sote-KESKUS", 1_000_000, 600_000, DEC)])
        yield opened


def test_a_project_counts_by_its_latest_row_on_the_date(store):
    frame = store.grants()
    june = grants.current_grants(frame, JUNE)
    assert sorted(june["spent"].fillna(-1)) == [-1, 100_000, 200_000]
    december = grants.current_grants(frame, DEC)
    lapland = december[december["area_code"] == "21"].set_index("project_key")
    assert lapland.loc["sotekeskus", "spent"] == 600_000  # the same project, whatever its case
    assert len(december) == 3


def test_totals_cover_all_22_areas_and_leave_unreported_spending_out_of_the_share(store):
    totals = grants.area_totals(store.grants(), DEC).set_index("area_code")
    assert list(totals.index) == list(REFORM_CODES)
    assert totals.loc["21", "projects"] == 2
    assert totals.loc["21", "granted"] == 1_500_000 and totals.loc["21", "spent"] == 600_000
    # ICT has not reported its spending: the share is over Sote-keskus only, not 600/1500
    assert totals.loc["21", "spent_share"] == pytest.approx(0.6)
    assert totals.loc["01", "projects"] == 0 and pd.isna(totals.loc["01", "spent_share"])
    assert pd.isna(totals.loc["21", "granted_per_inhabitant"])  # no population known


def test_spent_share_by_area_is_the_national_maps_series(store):
    series = spent_share_by_area(store, JUNE)
    assert list(series.index) == list(REFORM_CODES)
    assert series["21"] == pytest.approx(0.2) and series["20"] == pytest.approx(0.25)
    assert series.drop(["20", "21"]).isna().all()
    assert spent_share_by_area(store, DEC)["21"] == pytest.approx(0.6)


def test_population_comes_from_an_imported_indicator_else_the_boundaries_else_nobody(store):
    assert grants.population_by_area(store) == ({}, "unknown")
    features = [{"code": "21", "properties": {"code": "21", "population": 177_000}}]
    assert grants.population_by_area(store, features) == ({"21": 177_000.0}, "boundaries")
    people = Indicator("sotkanet:127", "Väkiluku")
    towns = [
        IndicatorValue(people.key, MUNICIPALITY_LEVEL, "105", "20", Y2021, 2000.0),
        IndicatorValue(people.key, MUNICIPALITY_LEVEL, "205", "20", Y2021, 36000.0),
        IndicatorValue(people.key, AREA_LEVEL, "21", "21", Y2021, 177_000.0),
    ]
    _save(store, "vakiluku.xlsx", indicators=[people], values=towns)
    found, source = grants.population_by_area(store, features)
    assert source == "indicator" and found == {"21": 177_000.0, "20": 38000.0}
    totals = grants.area_totals(store.grants(), DEC, found).set_index("area_code")
    assert totals.loc["21", "granted_per_inhabitant"] == pytest.approx(1_500_000 / 177_000)


def test_a_population_indicator_is_recognised_by_name_or_sotkanet_id():
    assert grants.is_population("file:vakiluku", "Väkiluku 31.12.")
    assert grants.is_population("file:x", "Population at year end")
    assert grants.is_population("sotkanet:127", "Mikä tahansa")
    assert not grants.is_population("file:toimeentulotuki", "Toimeentulotuki")


def test_the_area_table_shows_linked_measures_with_their_status_in_the_language(store):
    table = grants.area_projects(store.grants(), "21", JUNE, {"I-01": "done"}, "sv")
    assert table["project"].tolist() == ["Sote-keskus", "ICT"]  # the largest grant first
    assert table.loc[0, "measures_text"] == "I-01 (Klar)"
    assert table.loc[0, "spent_share"] == pytest.approx(0.2)
    assert pd.isna(table.loc[1, "spent"]) and table.loc[1, "status_label"] == "Pågår"


def test_the_totals_sentence_says_when_the_population_is_unknown(store):
    totals = grants.area_totals(store.grants(), DEC)
    sentence = grants.totals_sentence(totals, "21", "unknown", "fi")
    assert "1\u00a0500\u00a0000\u00a0€" in sentence and "60\u00a0%" in sentence
    assert "väkiluku ei ole tiedossa" in sentence
    assert grants.totals_sentence(totals, "01", "unknown", "en").startswith("No state-grant")


def test_the_spent_share_is_an_indicator_per_reporting_date(store):
    """The map's grants metric goes through the indicator views: one value per area and date, the
    same share as spent_share_by_area, areas without reported spending left out."""
    from sotedata.views import indicators as iv

    meta, rows = grants.spent_share_indicator(store.grants(), "en")
    assert meta["key"] == grants.SPENT_SHARE_KEY and meta["unit"] == "%"
    assert meta["name"] == "State grants spent"
    # on 15.12. area 20's June row still counts: a project counts by its latest row
    assert sorted(rows["period"]) == ["15.12.2022"] * 2 + ["15.6.2022"] * 2
    june = rows[rows["period"] == "15.6.2022"].set_index("area_code")["value"]
    assert june["21"] == pytest.approx(20.0)  # 200 000 of the 1 000 000 reported (ICT not yet)
    assert june["20"] == pytest.approx(25.0)
    december = spent_share_by_area(store, DEC)
    dec_rows = rows[rows["period"] == "15.12.2022"].set_index("area_code")["value"]
    assert dec_rows["21"] == pytest.approx(december["21"] * 100, abs=0.05)
    frames = iv.load_indicator_frames(store, "fi")
    assert grants.SPENT_SHARE_KEY in frames.measured()
    assert iv.periods(frames, grants.SPENT_SHARE_KEY) == ["15.6.2022", "15.12.2022"]


def test_no_grants_no_spent_share_indicator(tmp_path):
    from sotedata.views import indicators as iv

    with Store.open(f"sqlite:///{tmp_path / 'empty.sqlite'}") as empty:
        assert grants.SPENT_SHARE_KEY not in iv.load_indicator_frames(empty).measured()


def test_the_population_words_are_data_in_every_language():
    """The vocabulary is sotedata/data/population_words.csv, written as people write the words and
    compared as names are (no diacritics, no case): a Swedish or English indicator counts too."""
    words = grants.population_words()
    assert set(words) >= {"vakiluku", "vaestomaara", "asukasluku", "folkmangd", "population"}
    with grants.POPULATION_WORDS_FILE.open(encoding="utf-8") as handle:
        languages = {line.split(",")[0] for line in handle.read().splitlines()[1:]}
    assert languages == {"fi", "sv", "en"}
    assert grants.is_population("file:x", "Folkmängd 31.12.")
    assert grants.is_population("file:y", "Väestömäärä alueittain")
    assert not grants.is_population("file:z", "Invalidipalvelut")
