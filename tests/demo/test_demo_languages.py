"""The example data's own texts exist in Swedish and English: a demo built in either language
(``sote --kieli sv demo``) reads right, with the same figures as the Finnish one."""

from __future__ import annotations

import pytest

from sotedata.demo import texts
from sotedata.demo.examples import POPULATION, build_examples
from sotedata.demo.generator import build_demo, in_language_of
from sotedata.store.engine import Store


@pytest.fixture(scope="module")
def finnish():
    return build_demo()


def _own_texts(data) -> set[str]:
    found = {m.name for m in data.roadmap.measures}
    found |= {r.comment for r in data.status_reports if r.comment}
    for rating in data.risk_ratings:
        found |= {rating.title, rating.mitigation or "", rating.owner or ""}
    for indicator in data.indicators:
        found |= {indicator.name, indicator.unit or "", indicator.source or ""}
    return found - {"", "%"}


def test_every_text_of_the_example_has_a_swedish_and_an_english_form(finnish):
    own = _own_texts(finnish) | {POPULATION.name, POPULATION.unit, POPULATION.source}
    missing = sorted(
        text
        for text in own
        if texts.in_language(text, "sv") == text or texts.in_language(text, "en") == text
    )
    assert not missing


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_demo_in_another_language_has_the_same_figures_in_its_words(finnish, lang):
    shown = in_language_of(finnish, lang)
    assert [m.id for m in shown.roadmap.measures] == [m.id for m in finnish.roadmap.measures]
    assert [r.status for r in shown.status_reports] == [r.status for r in finnish.status_reports]
    assert not _own_texts(shown) & _own_texts(finnish)
    first = dict(zip([m.id for m in finnish.roadmap.measures], shown.roadmap.measures, strict=True))
    assert first["H-01"].name != finnish.roadmap.measures[0].name
    assert {r.theme for r in shown.risk_ratings} == {r.theme for r in finnish.risk_ratings}


def test_the_swedish_example_speaks_swedish(finnish):
    shown = in_language_of(finnish, "sv")
    names = {m.name for m in shown.roadmap.measures}
    assert "Beredning av förvaltningsstadgan" in names
    assert "Ekonomidirektör" in {r.owner for r in shown.risk_ratings}
    assert in_language_of(finnish, "fi") is finnish


def test_the_example_projects_and_notes_follow_the_language(demo_db_url):
    with Store.open(demo_db_url) as store:
        grants_fi, notes_fi, _ = build_examples(store, 2021, "fi")
        grants_en, notes_en, _ = build_examples(store, 2021, "en")
    assert [g.granted for g in grants_en] == [g.granted for g in grants_fi]
    assert not {g.project for g in grants_en} & {g.project for g in grants_fi}
    assert all(a.text != b.text for a, b in zip(notes_en, notes_fi, strict=True))
    assert any("Regional newspaper" in n.text or "meeting" in n.text for n in notes_en)
