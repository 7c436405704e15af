"""The one grammar of URL parameters and command-line filters (``sotedata.views.grammar``): every
page's switch takes the same yes words, in Finnish, Swedish and English; phases are the
roadmap's, and a phase it lacks is the same ``unknown_phase`` issue on a link (a warning, the
value dropped) and on ``sote export`` (refused, the roadmap's phases named)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sotedata.cli import main
from sotedata.domain import switches
from sotedata.domain.errors import SoteError
from sotedata.domain.model import Phase, default_phases
from sotedata.views import grammar
from sotedata.views.area_query import area_filters_from_query
from sotedata.views.changes import comparison_from_query
from sotedata.views.national import params_from_query as national_params
from sotedata.views.query import TableQuery
from sotedata.views.risks import params_from_query as risks_params
from tests.support.apptest import app_test, open_with

YES_FILE = Path(grammar.__file__).resolve().parents[1] / "data" / "yes_words.csv"
with YES_FILE.open(encoding="utf-8") as _handle:
    YES_ROWS = list(csv.DictReader(_handle))
YES_WORDS = sorted({row["word"] for row in YES_ROWS} | {"KYLLÄ", "Ja", "ON"})
NO_WORDS = ["", "0", "ei", "nej", "no", "false", "off", "kaikki"]
STREAMS = ["hallinto", "ict"]


def _switches(query: dict[str, str]) -> dict[str, bool]:
    """Every page's switch read from the same link."""
    national, _ = national_params(query, STREAMS)
    table, _ = TableQuery.from_query(query)
    area, _ = area_filters_from_query(query, STREAMS)
    return {
        "national kriittiset": national.critical_only,
        "tables kriittiset": table.critical_only,
        "tables myohassa": table.overdue_only,
        "area kriittiset": area.critical_only,
        "area myohassa": area.overdue_only,
        "meeting esitys": switches.is_yes(query["esitys"]),
    }


def test_the_yes_words_are_a_vocabulary_in_every_language():
    assert {row["lang"] for row in YES_ROWS} >= {"fi", "sv", "en"}
    for lang, word in (("fi", "kyllä"), ("sv", "ja"), ("en", "yes")):
        assert {"lang": lang, "word": word} in YES_ROWS


@pytest.mark.parametrize("word", YES_WORDS)
def test_every_page_s_switch_takes_every_yes_word(word):
    query = {"kriittiset": word, "myohassa": word, "esitys": word}
    assert _switches(query) == dict.fromkeys(_switches(query), True)


@pytest.mark.parametrize("word", NO_WORDS)
def test_anything_else_is_no_on_every_page(word):
    query = {"kriittiset": word, "myohassa": word, "esitys": word}
    assert not any(_switches(query).values())


def test_the_app_writes_yes_as_one():
    assert TableQuery(critical_only=True, overdue_only=True).to_query() == {
        "kriittiset": "1",
        "myohassa": "1",
    }
    national, _ = national_params({"kriittiset": "kyllä"}, STREAMS)
    assert national.to_query() == {"kriittiset": "1"}


def test_dates_areas_work_streams_and_statuses_read_alike_on_every_page():
    query = {"pvm": "2022-06-15", "alue": "Lappi", "ryhma": "ICT", "tila": "Valmis"}
    national, national_issues = national_params(query, STREAMS)
    table, table_issues = TableQuery.from_query(query)
    area, area_issues = area_filters_from_query(query, STREAMS)
    risks, risks_issues = risks_params(query, [])
    assert not (national_issues or table_issues or area_issues or risks_issues)
    assert national.as_of == table.as_of == area.as_of == risks.as_of == date(2022, 6, 15)
    assert table.areas == risks.areas == ("21",)
    assert national.work_stream == area.work_stream == "ict"
    assert table.statuses == area.statuses == ("done",)
    day, issues = comparison_from_query("2022-03-15", [], date(2022, 6, 15))
    assert day == date(2022, 3, 15) and not issues


@pytest.mark.parametrize("text", ["15.6.2022", "eilen", "2022-02-30"])
def test_a_bad_date_is_the_same_warning_on_every_page(text):
    query = {"pvm": text}
    found = [
        national_params(query, STREAMS)[1],
        TableQuery.from_query(query)[1],
        area_filters_from_query(query, STREAMS)[1],
        risks_params(query, [])[1],
    ]
    for issues in found:
        assert [(i.code, i.severity, i.params["name"]) for i in issues] == [
            ("invalid_parameter", "warning", "pvm")
        ]


def _phase_issues(query: dict[str, str], phases: tuple[Phase, ...] = ()) -> list:
    return [
        national_params(query, STREAMS, phases=phases)[1],
        TableQuery.from_query(query, phases=phases)[1],
        area_filters_from_query(query, STREAMS, phases)[1],
    ]


def test_an_unknown_phase_is_the_same_issue_on_every_page_and_on_the_command_line():
    for issues in _phase_issues({"vaihe": "4"}):
        (issue,) = issues
        assert (issue.code, issue.severity) == ("unknown_phase", "warning")
        assert issue.params == {"name": "vaihe", "value": "4", "phases": "1, 2, 3"}
        assert "vaihe" in issue.render("fi") and "1, 2, 3" in issue.render("fi")
    with pytest.raises(SoteError) as refused:
        TableQuery.from_cli(phase=4)
    (issue,) = refused.value.issues
    assert (issue.code, issue.severity) == ("unknown_phase", "error")
    assert issue.params == {"name": "--phase", "value": "4", "phases": "1, 2, 3"}


def test_phases_are_the_roadmap_s_not_a_fixed_list():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    four = (*default_phases(), Phase(4, start, end))
    assert not any(_phase_issues({"vaihe": "4"}, four))
    assert TableQuery.from_query({"vaihe": "4"}, phases=four)[0].phase == 4
    assert TableQuery.from_cli(phase=4, phases=four).phase == 4
    two = default_phases()[:2]
    (issue,) = TableQuery.from_query({"vaihe": "3"}, phases=two)[1]
    assert issue.params["phases"] == "1, 2"


def test_all_phases_is_no_filter_and_no_warning():
    for word in ("", "kaikki"):
        assert not any(_phase_issues({"vaihe": word}))


def test_sote_export_refuses_a_phase_the_roadmap_lacks_naming_its_phases(
    demo_db_url, tmp_path, capsys
):
    out = tmp_path / "x.csv"
    code = main(
        ["export", "--db", demo_db_url, "--format", "csv", "--phase", "4"]
        + [
            "--out",
            str(out),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "4" in err and "1, 2, 3" in err and "--phase" in err
    assert not out.exists()


def test_the_area_page_takes_the_same_yes_words_as_the_tables_page(
    demo_db_url, tmp_path, monkeypatch
):
    app = app_test(demo_db_url, tmp_path, monkeypatch, timeout=90)
    app.run()
    app.switch_page("pages/area.py")
    at = open_with(app, alue="19", kriittiset="kyllä", myohassa="ja", tila="Valmis")
    assert at.toggle(key="f-critical").value and at.toggle(key="f-overdue").value
    assert at.multiselect(key="f-status").value == ["done"]
    assert not at.warning
    # the URL the page writes back keeps the canonical words
    assert at.query_params["kriittiset"] == "1" and at.query_params["tila"] == "done"


def test_the_area_page_s_area_is_named_as_the_tables_areas_are():
    assert grammar.area_named("19").code == grammar.area_code("Pohjois-Pohjanmaa") == "19"
    assert grammar.area_named(" Lappi ").code == "21"
    outside = grammar.area_named("Ahvenanmaa")
    assert outside is not None and not outside.in_reform  # the page says so; a table refuses it
    assert grammar.area_code("Ahvenanmaa") is None
    assert grammar.area_named("Atlantis") is None


def test_the_settings_take_the_same_yes_words_as_the_links():
    from sotedata.domain.settings import load_settings

    for word in switches.yes_words():
        assert load_settings({"SOTE_OFFLINE": word.upper()}).offline, word
    for word in ("", "0", "ei", "nej", "no", "false"):
        assert not load_settings({"SOTE_OFFLINE": word}).offline, word
