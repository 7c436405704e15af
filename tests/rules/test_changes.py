"""The change lists on a history small enough to check by hand.

Two areas (01, 02), three measures, reporting dates 15.1., 15.2. and 15.3.2022:

====  =====================  ======================  =======================================
area  M1                     M2                      M3
====  =====================  ======================  =======================================
01    15.1. in progress,     15.1. in progress       first report 15.3.: in progress
      15.3. done             (never again)           (no report before 15.2.)
02    15.1. delayed,         15.2. done              15.3. not started (was never reported:
      15.2. delayed          (first report)          not started → not started, no move)
====  =====================  ======================  =======================================

Risks: 01/R1 rated 3×5 on 15.1. and 4×5 on 15.3. (re-rated, becomes 20); 01/R2 rated 2×2 on 15.1.
and again 2×2 on 15.3. (same values: no change); 02/R3 first rated 5×4 on 15.3. (new, high);
national N1 rated 3×3 on 15.1. and 4×4 on 15.2.
"""

import math
from datetime import date

import pandas as pd
import pytest

from sotedata.domain.i18n import t
from sotedata.domain.model import Measure, RiskRating, StatusReport, default_roadmap
from sotedata.rules import changes, metrics
from sotedata.views import changes as changes_view

D = date
JAN, FEB, MAR = D(2022, 1, 15), D(2022, 2, 15), D(2022, 3, 15)

MEASURES = default_roadmap(
    [
        Measure("M1", "Johtoryhmä", 1, "hallinto", True, D(2022, 2, 28)),
        Measure("M2", "Sopimukset", 2, "hallinto", False, D(2022, 6, 30)),
        Measure("M3", "Tietojärjestelmät", 3, "ict", True, None),
    ]
).measures_frame()


def _reports(rows) -> pd.DataFrame:
    reports = [StatusReport(*row) for row in rows]
    return pd.DataFrame(
        [(r.area_code, r.measure_id, str(r.status), r.reported_on, r.comment) for r in reports],
        columns=["area_code", "measure_id", "status", "reported_on", "comment"],
    )


def _risks(rows) -> pd.DataFrame:
    ratings = [RiskRating(*row) for row in rows]
    frame = pd.DataFrame([r.__dict__ for r in ratings])
    frame["score"] = frame["likelihood"] * frame["impact"]
    return frame


REPORTS = _reports(
    [
        ("01", "M1", "in_progress", JAN),
        ("01", "M2", "in_progress", JAN),
        ("02", "M1", "delayed", JAN),
        ("02", "M1", "delayed", FEB),
        ("02", "M2", "done", FEB),
        ("01", "M1", "done", MAR),
        ("01", "M3", "in_progress", MAR),
        ("02", "M3", "not_started", MAR),
    ]
)
RISKS = _risks(
    [
        ("01", "R1", "Rahoitus", "Talous", 3, 5, "Sopeutus", "Talousjohtaja", JAN),
        ("01", "R2", "Tilat", "Talous", 2, 2, None, None, JAN),
        (None, "N1", "Lainsäädäntö", "Lainsäädäntö", 3, 3, None, None, JAN),
        (None, "N1", "Lainsäädäntö", "Lainsäädäntö", 4, 4, None, None, FEB),
        ("01", "R1", "Rahoitus", "Talous", 4, 5, "Sopeutus", "Talousjohtaja", MAR),
        ("01", "R2", "Tilat", "Talous", 2, 2, None, None, MAR),
        ("02", "R3", "ICT", "ICT", 5, 4, None, None, MAR),
    ]
)
FRAMES = metrics.Frames(MEASURES, REPORTS, RISKS)


def _moves(frame: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    return {(r.area_code, r.measure_id, r.from_status, r.to_status) for r in frame.itertuples()}


# --- default_as_of and default_since ---------------------------------------------------------


def test_default_as_of_is_the_one_asked_else_the_latest_reporting_date_else_today():
    assert changes.default_as_of([MAR, JAN, FEB]) == MAR  # order does not matter
    assert changes.default_as_of([JAN, FEB], JAN) == JAN
    assert changes.default_as_of(iter([FEB])) == FEB
    assert changes.default_as_of([]) == date.today()


def test_default_since_is_the_reporting_date_before_as_of():
    assert changes.default_since([JAN, FEB, MAR], MAR) == FEB
    assert changes.default_since([MAR, JAN], FEB) == JAN  # order does not matter


def test_default_since_is_none_for_the_first_date_or_no_dates():
    assert changes.default_since([JAN, FEB], JAN) is None
    assert changes.default_since([], MAR) is None
    assert changes.default_since([JAN], None) is None


# --- status_changes ---------------------------------------------------------------------------


def test_status_changes_lists_every_move_from_to():
    result = changes.status_changes(FRAMES, JAN, MAR)
    assert list(result.columns) == changes.STATUS_CHANGE_COLUMNS
    assert _moves(result) == {
        ("01", "M1", "in_progress", "done"),
        ("01", "M3", "not_started", "in_progress"),
        ("02", "M2", "not_started", "done"),
    }


def test_status_changes_row_carries_the_measure_and_the_new_report_date():
    result = changes.status_changes(FRAMES, JAN, MAR, "01")
    m1 = result[result["measure_id"] == "M1"].iloc[0]
    assert m1["name"] == "Johtoryhmä"
    assert m1["phase"] == 1
    assert m1["work_stream"] == "hallinto"
    assert bool(m1["critical"]) is True
    assert m1["reported_on"] == MAR


def test_status_changes_of_one_area_only():
    result = changes.status_changes(FRAMES, JAN, MAR, "02")
    assert set(result["area_code"]) == {"02"}
    assert _moves(result) == {("02", "M2", "not_started", "done")}


def test_no_reports_before_since_counts_as_not_started():
    # nothing at all was reported by 1.1.: every status on 15.2. is a move from not started
    result = changes.status_changes(FRAMES, D(2022, 1, 1), FEB)
    assert _moves(result) == {
        ("01", "M1", "not_started", "in_progress"),
        ("01", "M2", "not_started", "in_progress"),
        ("02", "M1", "not_started", "delayed"),
        ("02", "M2", "not_started", "done"),
    }


def test_a_repeated_status_and_a_first_not_started_report_are_no_move():
    result = changes.status_changes(FRAMES, FEB, MAR, "02")
    assert result.empty  # 02/M1 delayed again, 02/M3 reported not started for the first time


def test_status_changes_same_day_is_empty_and_reversed_dates_refused():
    assert changes.status_changes(FRAMES, MAR, MAR).empty
    with pytest.raises(ValueError):
        changes.status_changes(FRAMES, MAR, JAN)


def test_status_changes_agree_with_status_as_of():
    result = changes.status_changes(FRAMES, FEB, MAR)
    after = metrics.status_as_of(MEASURES, REPORTS, MAR, ["01", "02"]).set_index(
        ["area_code", "measure_id"]
    )["status"]
    for row in result.itertuples():
        assert after[(row.area_code, row.measure_id)] == row.to_status


# --- risk_changes -----------------------------------------------------------------------------


def _risk_rows(frame: pd.DataFrame) -> dict[tuple[object, str], tuple]:
    return {
        (r.area_code, r.risk_id): (
            r.change,
            None if math.isnan(r.from_score) else int(r.from_score),
            int(r.to_score),
        )
        for r in frame.itertuples()
    }


def test_risk_rated_on_both_dates_with_new_values_is_rerated_and_a_new_one_is_new():
    result = changes.risk_changes(FRAMES, FEB, MAR)
    assert list(result.columns) == changes.RISK_CHANGE_COLUMNS
    assert _risk_rows(result) == {
        ("01", "R1"): ("rerated", 15, 20),
        ("02", "R3"): ("new", None, 20),
    }
    r1 = result[result["risk_id"] == "R1"].iloc[0]
    assert (r1["from_likelihood"], r1["to_likelihood"]) == (3, 4)
    assert r1["title"] == "Rahoitus" and r1["theme"] == "Talous"
    assert r1["reported_on"] == MAR


def test_rated_again_with_the_same_values_is_no_change():
    result = changes.risk_changes(FRAMES, JAN, MAR, "01")
    assert "R2" not in set(result["risk_id"])


def test_a_risk_not_rated_again_is_not_reported_closed():
    # R2 is not re-rated between 15.1. and 15.2.: it still counts (metrics), so no change
    result = changes.risk_changes(FRAMES, JAN, FEB, "01")
    assert result.empty


def test_a_risk_its_area_closes_is_reported_closed_and_counts_no_more():
    closing = RiskRating("01", "R1", "Rahoitus", "Talous", 4, 5, None, None, MAR, closed=True)
    risks = pd.concat([RISKS, _risks([tuple(closing.__dict__.values())])], ignore_index=True)
    frames = metrics.Frames(MEASURES, REPORTS, risks)
    result = changes.risk_changes(frames, JAN, MAR, "01")
    assert _risk_rows(result)[("01", "R1")][0] == "closed"
    counted = metrics.area_metrics(MEASURES, REPORTS, risks, MAR, areas=["01"]).set_index("code")
    before = metrics.area_metrics(MEASURES, REPORTS, RISKS, MAR, areas=["01"]).set_index("code")
    assert counted.loc["01", "high_risks"] == before.loc["01", "high_risks"] - 1
    # on a day before the closing it was still there, unchanged
    assert changes.risk_changes(frames, JAN, FEB, "01").empty
    # a risk closed before ``since`` and not reopened is no change at all
    later = D(2022, 4, 15)
    assert "R1" not in set(changes.risk_changes(frames, MAR, later, "01")["risk_id"])


def test_national_risks_have_no_area_code_and_are_left_out_of_an_area():
    everything = changes.risk_changes(FRAMES, JAN, FEB)
    assert _risk_rows(everything) == {(None, "N1"): ("rerated", 9, 16)}
    assert changes.risk_changes(FRAMES, JAN, FEB, "01").empty


def test_no_risk_ratings_before_since_makes_every_risk_new():
    result = changes.risk_changes(FRAMES, D(2022, 1, 1), JAN)
    assert set(result["change"]) == {"new"}
    assert set(result["risk_id"]) == {"R1", "R2", "N1"}


def test_risk_changes_without_any_risks():
    frames = metrics.Frames(MEASURES, REPORTS, RISKS.iloc[0:0])
    assert changes.risk_changes(frames, JAN, MAR).empty


def test_new_listed_before_rerated_and_higher_scores_first():
    result = changes.risk_changes(FRAMES, D(2022, 1, 1), MAR)
    assert list(result["change"]) == ["new"] * 4
    assert list(result["to_score"]) == sorted(result["to_score"], reverse=True)


# --- areas_moved ------------------------------------------------------------------------------


def test_areas_moved_counts_moves_and_new_high_risks_per_area():
    table = changes.areas_moved(FRAMES, FEB, MAR).set_index("code")
    assert list(table.columns) == changes.MOVED_COLUMNS[1:]
    assert len(table) == 22  # every reform area, the quiet ones with zeros
    assert table.loc["01", "moves"] == 2
    assert table.loc["01", "to_done"] == 1
    assert table.loc["02", "moves"] == 0
    # 01/R1 15 → 20 was already high; 02/R3 is new at 20
    assert table.loc["01", "new_high_risks"] == 0
    assert table.loc["02", "new_high_risks"] == 1
    assert table.loc["02", "high_risks_change"] == 1
    # 01: M1 done on 15.3.: 0 of 3 → 1 of 3 applicable measures done
    assert table.loc["01", "done_share_since"] == pytest.approx(0)
    assert table.loc["01", "done_share_change"] == pytest.approx(1 / 3)
    assert table.loc["05", "moves"] == 0


def test_areas_moved_sorted_by_moves_then_size_of_change():
    table = changes.areas_moved(FRAMES, D(2022, 1, 1), MAR)
    assert list(table["code"][:2]) == ["01", "02"]  # 3 moves, then 2
    assert list(table["moves"]) == sorted(table["moves"], reverse=True)


# --- wording and the area page's change section ----------------------------------------------


def test_sentence_counts_moves_and_risk_changes():
    moves = changes.status_changes(FRAMES, JAN, MAR)
    risks = changes.risk_changes(FRAMES, JAN, MAR)
    text = changes_view.changes_sentence(moves, risks, JAN, MAR, "fi")
    assert text.startswith("15.1.2022–15.3.2022: 3 toimenpiteen tila muuttui (2 valmistui, 0 ")
    assert "1 uutta riskiä, 2 uudelleen arvioitua" in text  # R1 and national N1


def test_tables_speak_finnish():
    moves = changes_view.status_change_table(changes.status_changes(FRAMES, JAN, MAR, "01"), FRAMES)
    first = moves.iloc[0].to_dict()
    assert first == {
        "Toimenpide": "M1 Johtoryhmä",
        "Vaihe": t("phase.1"),
        "Valmisteluryhmä": FRAMES.work_streams[0].name_fi if FRAMES.work_streams else "hallinto",
        "Kriittinen": "Kyllä",
        "Tila ennen": t("status.in_progress"),
        "Tila nyt": t("status.done"),
        "Raportoitu": "15.3.2022",
    }
    assert list(moves.columns[:3]) == ["Toimenpide", "Tila ennen", "Tila nyt"]  # in view first
    risks = changes_view.risk_change_table(changes.risk_changes(FRAMES, FEB, MAR))
    assert list(risks.columns[:4]) == ["Riski", "Muutos", "Pisteet ennen", "Pisteet nyt"]
    assert list(risks["Muutos"]) == ["Uusi", "Arvioitu uudelleen"]
    assert list(risks["Pisteet ennen"]) == ["", "15"]
    assert list(risks["Suunta"]) == ["＋", "↑"]
    assert list(risks["Korkea nyt"]) == ["Kyllä", "Kyllä"]


def test_national_sentence_names_the_areas_that_moved_most():
    table = changes.areas_moved(FRAMES, D(2022, 1, 1), MAR)
    text = changes_view.areas_moved_sentence(table, D(2022, 1, 1), MAR, "fi")
    assert "5 toimenpiteen tila muuttui 2 alueella" in text
    assert "Itä-Uusimaa (3), Keski-Uusimaa (2)" in text
    quiet = changes.areas_moved(FRAMES, MAR, MAR)
    assert "ei muuttunut" in changes_view.areas_moved_sentence(quiet, MAR, MAR, "fi")
    shown = changes_view.areas_moved_table(table)
    assert shown.iloc[0]["Alue"] == "Itä-Uusimaa"
    assert shown.iloc[0]["Muutos valmiissa"] == "+33,3 %-yks."


def _changes_script(url: str, area: str, as_of: str, since: str | None) -> None:
    from datetime import date

    from sotedata.rules import metrics
    from sotedata.store.engine import Store
    from ui import area_sections

    frames = metrics.load_frames(Store.open(url))
    since_day = date.fromisoformat(since) if since else None
    area_sections.changes_section(frames, area, date.fromisoformat(as_of), since_day, "fi", url=url)


def test_area_change_section_lists_the_moves_and_risks_of_the_area(demo_db_url, demo_store):
    from streamlit.testing.v1 import AppTest

    frames = metrics.load_frames(demo_store)
    since, as_of = D(2022, 9, 15), D(2022, 10, 15)
    at = AppTest.from_function(
        _changes_script, args=(demo_db_url, "21", as_of.isoformat(), since.isoformat())
    ).run(timeout=60)
    assert not at.exception
    moves = changes.status_changes(frames, since, as_of, "21")
    risks = changes.risk_changes(frames, since, as_of, "21")
    assert len(moves) and len(risks)  # the example data has both in October
    tables = [frame.value for frame in at.dataframe]
    assert len(tables[0]) == len(moves)
    assert set(tables[0]["Tila nyt"]) <= {t(f"status.{s}") for s in moves["to_status"]}
    assert len(tables[1]) == len(risks)
    assert changes_view.changes_sentence(moves, risks, since, as_of, "fi") in [
        m.value for m in at.markdown
    ]


def test_area_change_section_without_an_earlier_date_says_so(demo_db_url):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_changes_script, args=(demo_db_url, "21", "2022-01-15", None)).run(
        timeout=60
    )
    assert not at.exception
    assert [i.value for i in at.info] == [t("changes.no_since")]
    assert not at.dataframe
