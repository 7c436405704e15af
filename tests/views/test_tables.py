"""The datasets and their filters (sotedata.views.tables): URL and CLI build the same query, and
each
filter keeps exactly the rows it promises, checked against the metrics computed independently."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.domain import areas
from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.rules import metrics
from sotedata.views.query import DATASETS, URL_PARAMS, TableQuery, parse_risk_range
from sotedata.views.tables import build_table, sources_from_store, with_table_data
from tests.support.registry import code_for


@pytest.fixture(scope="module")
def sources(demo_db_url):
    from sotedata.store.engine import Store

    with Store.open(demo_db_url) as store:
        found = sources_from_store(store)
        for name in ("indicators", "notes"):  # read only for their own tables
            found = with_table_data(found, store, name)
        return found


def query(sources, **params):
    found, issues = TableQuery.from_query(params, sources.frames.work_streams)
    assert not issues, issues
    return found


# --- the query ------------------------------------------------------------------------------------


def test_url_parameters_read_into_a_query_and_back(sources):
    params = {
        "alue": ["Lappi", "01,90"],
        "vaihe": "3",
        "ryhma": "ICT",
        "tila": "valmis,delayed",
        "kriittiset": "1",
        "myohassa": "1",
        "pvm": "2022-06-15",
        "haku": "rekry",
    }
    found, issues = TableQuery.from_query(params, sources.frames.work_streams)
    assert not issues
    assert found == TableQuery(
        table="status",
        areas=("21", "01", "90"),
        phase=3,
        work_stream="ict",
        statuses=("done", "delayed"),
        critical_only=True,
        overdue_only=True,
        as_of=date(2022, 6, 15),
        search="rekry",
    )
    again, issues = TableQuery.from_query(found.to_query(), sources.frames.work_streams)
    assert again == found and not issues
    assert found.to_query()["alue"] == "21,01,90"


def test_risk_and_change_parameters_and_dataset_words(sources):
    risks = query(sources, taulu="riskit", riski="15-25", alue="Kainuu")
    assert (risks.table, risks.risk_min, risks.risk_max) == ("risks", 15, 25)
    assert risks.to_query() == {
        "taulu": "riskit",
        "alue": code_for("Kainuu"),
        "riski": "15-25",
    }
    changes = query(sources, taulu="muutokset", vrt="2022-06-15")
    assert changes.table == "changes" and changes.since == date(2022, 6, 15)
    # filters of another dataset stay out of the URL
    assert "myohassa" not in TableQuery(table="metrics", overdue_only=True).to_query()
    assert {DATASETS[k] for k in DATASETS} == {
        "tilanne",
        "luvut",
        "riskit",
        "tiekartta",
        "muutokset",
        "siirtymat",
        "lataukset",
        "avustukset",
        "indikaattorit",
        "muistiinpanot",
        "tapahtumat",
        "ennuste",
        "jarjestajat",
    }


def test_bad_url_values_are_dropped_with_a_warning_each(sources):
    params = {
        "taulu": "kaikki",
        "alue": "Lappi,Atlantis,Ahvenanmaa",
        "vaihe": "7",
        "ryhma": "ei-ole",
        "tila": "melkein",
        "riski": "30",
        "pvm": "15.6.2022",
    }
    found, issues = TableQuery.from_query(params, sources.frames.work_streams)
    assert found == TableQuery(areas=("21",))
    named = sorted(issue.params["name"] for issue in issues)
    assert named == ["alue", "alue", "pvm", "riski", "ryhma", "taulu", "tila", "vaihe"]
    assert all(issue.severity == "warning" for issue in issues)


def test_cli_values_build_the_same_query_as_the_url(sources):
    from_cli = TableQuery.from_cli(
        table="status",
        areas=["21", "Itä-Uusimaan hyvinvointialue"],
        phase=3,
        work_stream="Hallinto, talous ja tukipalvelut",
        as_of="2022-06-15",
        work_streams=sources.frames.work_streams,
    )
    from_url = query(sources, alue="Lappi,01", vaihe="3", ryhma="hallinto", pvm="2022-06-15")
    assert from_cli == from_url


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"areas": ["Atlantis"]}, "unknown_area"),
        ({"areas": ["91"]}, "table_area_outside_reform"),
        ({"as_of": "15.6.2022"}, "invalid_date"),
        ({"statuses": ["melkein"]}, "invalid_status"),
        ({"work_stream": "avaruus"}, "unknown_work_stream"),
    ],
)
def test_cli_values_that_name_nothing_are_refused(sources, given, code):
    with pytest.raises(SoteError) as error:
        TableQuery.from_cli(**given, work_streams=sources.frames.work_streams)
    assert [issue.code for issue in error.value.issues] == [code]


def test_risk_range_parsing():
    assert parse_risk_range("15-25") == (15, 25)
    assert parse_risk_range("15") == (15, None)
    assert parse_risk_range("-9") == (None, 9)
    assert parse_risk_range("20-10") is None
    assert parse_risk_range("0-30") is None
    assert parse_risk_range("x") is None


# --- the tables -----------------------------------------------------------------------------------


def test_status_table_defaults_to_the_latest_date_and_every_area_and_measure(sources):
    table = build_table(TableQuery(), sources)
    assert table.query.as_of == max(sources.reporting_dates)
    assert table.rows == 22 * len(sources.frames.measures)
    assert table.headers()[:4] == ["Aluekoodi", "Alue", "Tunnus", "Toimenpide"]
    assert list(table.frame.columns) == [c.key for c in table.columns]
    assert table.frame["area_code"].iloc[0] == "01"  # a code keeps its leading zero


def test_status_filters_keep_exactly_the_matching_rows(sources):
    as_of = date(2022, 6, 15)
    table = build_table(
        query(sources, alue="Lappi", vaihe="3", ryhma="ict", pvm="2022-06-15"), sources
    )
    measures = sources.frames.measures
    expected = measures[(measures["phase"] == 3) & (measures["work_stream"] == "ict")]
    assert table.rows == len(expected) > 0
    assert set(table.frame["area_code"]) == {"21"}
    assert set(table.frame["measure_id"]) == set(expected["measure_id"])
    assert all(day is None or day <= as_of for day in table.frame["reported_on"])


def test_status_counts_match_the_area_metrics(sources):
    """Filtered row counts per area equal the figures metrics computes its own way."""
    as_of = date(2022, 9, 15)
    figures = metrics.area_metrics(
        sources.frames.measures, sources.frames.reports, sources.frames.risks, as_of
    ).set_index("code")
    done = build_table(query(sources, tila="done", pvm="2022-09-15"), sources)
    assert (
        done.frame.groupby("area_code")
        .size()
        .reindex(figures.index, fill_value=0)
        .equals(figures["done"].astype("int64"))
    )
    overdue = build_table(query(sources, myohassa="1", pvm="2022-09-15"), sources)
    counted = overdue.frame.groupby("area_code").size().reindex(figures.index, fill_value=0)
    assert counted.equals(figures["overdue"].astype("int64"))
    assert overdue.rows > 0
    critical = build_table(query(sources, kriittiset="1", alue="02"), sources)
    assert critical.rows == int(sources.frames.measures["critical"].sum())


def test_text_search_ignores_case_and_looks_in_comments(sources):
    comments = sources.frames.reports["comment"].dropna()
    word = comments.iloc[0].split()[0]
    table = build_table(query(sources, haku=word.upper()), sources)
    assert table.rows > 0
    hit = table.frame.apply(
        lambda row: any(word.casefold() in str(v).casefold() for v in row.to_numpy()), axis=1
    )
    assert hit.all()
    assert build_table(query(sources, haku="zzzqqq"), sources).rows == 0


def test_metrics_table_is_area_metrics_of_the_chosen_areas(sources):
    table = build_table(query(sources, taulu="luvut", alue="21,90", vaihe="2"), sources)
    expected = metrics.area_metrics(
        sources.frames.measures,
        sources.frames.reports,
        sources.frames.risks,
        table.query.as_of,
        phase=2,
        areas=["21", "90"],
    )
    assert list(table.frame["code"]) == ["21", "90"]
    assert list(table.frame["area"]) == ["Lappi", "Helsinki"]
    pd.testing.assert_series_equal(
        table.frame["done_share"], expected["done_share"], check_names=False
    )


def test_risks_take_the_latest_rating_and_the_score_range(sources):
    table = build_table(query(sources, taulu="riskit", riski="12-20", pvm="2022-06-15"), sources)
    frame = table.frame
    assert table.rows > 0
    assert frame["score"].between(12, 20).all()
    assert (frame["score"] == frame["likelihood"] * frame["impact"]).all()
    assert list(frame["score"]) == sorted(frame["score"], reverse=True)
    risks = sources.frames.risks
    first = frame[frame["area_code"].notna()].iloc[0]
    own = risks[
        (risks["area_code"].astype(object) == first["area_code"])
        & (risks["risk_id"] == first["risk_id"])
        & (pd.to_datetime(risks["reported_on"]) <= pd.Timestamp("2022-06-15"))
    ]
    latest = own.iloc[-1]
    assert int(latest["likelihood"]) * int(latest["impact"]) == first["score"]
    assert first["reported_on"] == latest["reported_on"]
    one_area = build_table(query(sources, taulu="riskit", alue="Kainuu"), sources)
    assert set(one_area.frame["area_code"]) == {code_for("Kainuu")}


def test_roadmap_changes_and_imports(sources):
    roadmap = build_table(query(sources, taulu="tiekartta", kriittiset="1"), sources)
    assert roadmap.rows == int(sources.frames.measures["critical"].sum())
    assert roadmap.headers() == [
        "Tunnus",
        "Toimenpide",
        "Vaihe",
        "Valmisteluryhmä",
        "Kriittinen",
        "Määräaika",
    ]
    changes = build_table(query(sources, taulu="muutokset", alue="21"), sources)
    dates = sorted(sources.reporting_dates)
    assert (changes.query.as_of, changes.query.since) == (dates[-1], dates[-2])
    row = changes.frame.iloc[0]
    assert row["done_share_change"] == pytest.approx(row["done_share"] - row["done_share_since"])
    imports = build_table(query(sources, taulu="lataukset"), sources)
    assert imports.rows == len(sources.imports)
    assert list(imports.frame["import_id"]) == sorted(sources.imports["id"], reverse=True)
    later = build_table(query(sources, taulu="lataukset", vrt="2100-01-01"), sources)
    assert later.rows == 0


def test_an_unknown_work_stream_gives_an_issue_not_a_table(sources):
    table = build_table(TableQuery(work_stream="avaruus"), sources)
    assert [issue.code for issue in table.issues] == ["unknown_work_stream"]
    assert table.rows == 0


def test_area_names_come_from_the_registry(sources):
    table = build_table(query(sources, alue="90"), sources)
    assert set(table.frame["area"]) == {areas.get("90").short_fi}


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_header_and_label_has_finnish_text(sources, dataset):
    if dataset == "audit":  # the example data has no audit rows: one as the trail writes it
        import dataclasses
        from datetime import UTC, datetime

        import pandas as pd

        trail = pd.DataFrame(
            [(1, datetime(2026, 11, 23, 9, tzinfo=UTC), "a@b.fi", "ui", "export", "status", "{}")],
            columns=["id", "at", "actor", "channel", "action", "target", "details"],
        )
        sources = dataclasses.replace(sources, audit=trail)
    table = build_table(TableQuery(table=dataset), sources)
    assert table.rows > 0
    assert not [h for h in table.headers() if h.startswith("tables.")]
    assert len(set(table.headers())) == len(table.headers())  # a spreadsheet needs unique headers
    sheet = t(f"tables.sheet.{dataset}")
    assert sheet != f"tables.sheet.{dataset}" and len(sheet) <= 31  # Excel's sheet name limit
    texts = [v for c in table.columns if c.kind == "text" for v in table.frame[c.key].dropna()]
    assert not [v for v in texts if str(v).startswith(("tables.", "status.", "phase."))]


def test_moves_are_the_measures_whose_status_differs_between_the_two_dates(sources):
    moves = build_table(query(sources, taulu="siirtymat", alue="21,01", vrt="2022-06-15"), sources)
    assert moves.query.since == date(2022, 6, 15)
    then = build_table(query(sources, alue="21,01", pvm="2022-06-15"), sources).frame
    now = build_table(query(sources, alue="21,01"), sources).frame
    differs = then["status"].to_numpy() != now["status"].to_numpy()
    assert moves.rows == int(differs.sum()) > 0
    keys = set(zip(now["area_code"][differs], now["measure_id"][differs], strict=True))
    assert set(zip(moves.frame["area_code"], moves.frame["measure_id"], strict=True)) == keys
    assert (moves.frame["from_status"] != moves.frame["to_status"]).all()
    done = build_table(
        query(sources, taulu="siirtymat", alue="21,01", vrt="2022-06-15", tila="done"), sources
    )
    assert set(done.frame["to_status"]) == {"Valmis"} and 0 < done.rows < moves.rows
    default = build_table(query(sources, taulu="siirtymat"), sources)
    assert default.query.since == sorted(sources.reporting_dates)[-2]


def test_every_parameter_a_query_writes_is_one_it_reads():
    full = TableQuery(
        areas=("21",),
        phase=1,
        work_stream="ict",
        statuses=("done",),
        critical_only=True,
        overdue_only=True,
        as_of=date(2022, 1, 15),
        search="x",
    )
    risks = TableQuery(table="risks", risk_min=3)
    moves = TableQuery(table="moves", since=date(2022, 1, 15))
    indicators = TableQuery(
        table="indicators", indicator="x", period_from="2019", period_to="2020", level="area"
    )
    notes = TableQuery(table="notes", source_types=("media",), tags=("ICT",))
    written = set(full.to_query()) | set(risks.to_query()) | set(moves.to_query())
    written |= set(indicators.to_query()) | set(notes.to_query())
    assert written == URL_PARAMS


def test_a_risk_its_area_closed_is_not_among_the_risks(sources):
    import dataclasses

    import pandas as pd

    before = build_table(query(sources, taulu="riskit", alue="21"), sources)
    risks = sources.frames.risks
    lappi = risks[risks["area_code"] == "21"]
    closing = lappi.iloc[[-1]].assign(closed=True)  # the same day, loaded last: it counts
    frames = dataclasses.replace(
        sources.frames, risks=pd.concat([risks, closing], ignore_index=True)
    )
    after = build_table(
        query(sources, taulu="riskit", alue="21"), dataclasses.replace(sources, frames=frames)
    )
    assert after.rows == before.rows - 1


def test_grants_per_area_in_euros_and_per_inhabitant(sources, demo_db_url):
    """Issue 9: granted and spent per area (€ and € per inhabitant), filtered like the others;
    the grants are read only for this table."""
    from sotedata.rules import grants
    from sotedata.store.engine import Store

    assert sources.grants is None and sources.population is None
    with Store.open(demo_db_url) as store:
        sources = sources_from_store(store, grants=True)

    table = build_table(query(sources, taulu="avustukset"), sources, "fi")
    frame = table.frame
    assert list(frame["area_code"]) == list(REFORM_CODES)  # all 22, Åland left out
    totals = grants.area_totals(sources.grants, table.query.as_of, sources.population)
    lappi = frame.set_index("area_code").loc["21"]
    expected = totals.set_index("area_code").loc["21"]
    assert lappi["granted"] == round(expected["granted"]) and lappi["projects"] >= 1
    assert lappi["granted_per_inhabitant"] == pytest.approx(
        expected["granted"] / sources.population["21"]
    )
    assert [c.header for c in table.columns][3] == t("tables.col.granted", "fi")
    some = build_table(query(sources, taulu="avustukset", alue="21,20"), sources, "sv")
    assert list(some.frame["area_code"]) == ["20", "21"]
    assert list(some.frame["area"]) == [areas.get("20").short("sv"), areas.get("21").short("sv")]


def test_the_risk_table_names_its_themes_in_the_page_language(sources):
    from sotedata.domain import themes

    finnish = build_table(query(sources, taulu="riskit"), sources, "fi").frame
    english = build_table(query(sources, taulu="riskit"), sources, "en").frame
    assert list(finnish["risk_id"]) == list(english["risk_id"])
    pairs = set(zip(finnish["theme"], english["theme"], strict=True))
    assert all(themes.label(fi, "en") == en for fi, en in pairs)
    assert any(fi != en for fi, en in pairs)  # the example's themes are the app's vocabulary


def test_the_figures_table_changes_count_from_the_previous_reporting_date_by_default(sources):
    table = build_table(query(sources, taulu="luvut"), sources)
    named = build_table(query(sources, taulu="luvut", vrt=table.query.since.isoformat()), sources)
    assert table.query.since is not None and table.query.since < table.query.as_of
    assert table.frame["done_share_change"].notna().all()
    pd.testing.assert_series_equal(
        table.frame["done_share_change"], named.frame["done_share_change"]
    )
