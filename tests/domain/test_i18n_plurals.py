"""Counts take the plural form their number asks for, from the catalogs' plural entries
(msgid / msgid_plural / msgstr[n]): "1 alue", "2 aluetta" — in every language."""

import pytest

from sotedata.domain.i18n import LANGUAGES, plural_catalog, tn
from sotedata.ingest.summary import counts_in_words


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fi", "1 alue", "2 aluetta"),
        ("sv", "1 område", "2 områden"),
        ("en", "1 area", "2 areas"),
    ],
)
def test_one_and_many_take_their_own_forms(lang, one, two):
    assert tn("count.areas", 1, lang) == one
    assert tn("count.areas", 2, lang) == two
    assert tn("count.areas", 0, lang).startswith("0 ") and tn("count.areas", 0, lang) != one


def test_the_count_is_written_as_the_language_writes_numbers():
    assert tn("count.measures", 1234, "fi") == "1\u00a0234 toimenpidettä"
    assert tn("count.measures", 1234, "en") == "1,234 measures"


def test_an_unknown_plural_key_shows_itself():
    assert tn("count.nothing_such", 2, "sv") == "count.nothing_such"


def test_every_finnish_plural_message_has_every_form_in_every_language():
    _, finnish = plural_catalog("fi")
    assert "count.areas" in finnish
    for lang in LANGUAGES:
        _, messages = plural_catalog(lang)
        missing = sorted(key for key in finnish if key not in messages)
        assert not missing, (lang, missing)


def test_an_import_summary_says_one_area_not_one_areas():
    counts = {"status": 1, "risks": 2, "areas": ["21"]}
    assert counts_in_words(counts, "fi") == "1 tilannetieto, 2 riskiarviota, 1 alue"
    assert counts_in_words(counts, "sv") == "1 lägesuppgift, 2 riskbedömningar, 1 område"
    assert counts_in_words(counts, "en") == "1 status entry, 2 risk ratings, 1 area"


def test_an_organisers_file_is_summed_up_by_what_it_held():
    counts = {"organisers": 1, "organiser_status": 3, "areas": ["01", "02"]}
    assert counts_in_words(counts, "fi") == "1 järjestäjä, 3 luovutustietoa, 2 aluetta"
