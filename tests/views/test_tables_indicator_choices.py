"""The indicator filter of the tables page: which indicators it offers and the warning for a
link naming one it does not offer (a rule of the view, asked by the page)."""

from __future__ import annotations

from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import sources_from_store, with_table_data
from sotedata.views.tables_data import indicator_choices


def _sources(url: str):
    with Store.open(url) as store:
        return with_table_data(sources_from_store(store), store, "indicators")


def test_the_filter_offers_the_measured_indicators_by_name_and_resolves_a_name(demo_db_url):
    sources = _sources(demo_db_url)
    names, _wanted, issues = indicator_choices(TableQuery(table="indicators"), sources)
    assert names and not issues
    assert list(names.values()) == sorted(names.values(), key=str.casefold)
    key, name = next(iter(names.items()))
    found, wanted, issues = indicator_choices(
        TableQuery(table="indicators", indicator=name.upper()), sources
    )
    assert wanted == key and not issues


def test_an_indicator_the_filter_does_not_offer_is_a_warning(demo_db_url):
    query = TableQuery(table="indicators", indicator="ei:ole")
    _names, wanted, issues = indicator_choices(query, _sources(demo_db_url))
    assert wanted == "ei:ole"
    assert [(i.code, i.severity, i.params["name"]) for i in issues] == [
        ("invalid_parameter", "warning", "indikaattori")
    ]
