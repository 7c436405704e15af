"""Risk themes are the app's vocabulary: names in three languages from data, aliases, and an
unknown theme kept exactly as written."""

from sotedata.domain import themes


def test_a_known_theme_has_a_name_in_each_language():
    assert [themes.label("Talous", lang) for lang in ("fi", "sv", "en")] == [
        "Talous",
        "Ekonomi",
        "Finance",
    ]


def test_any_language_or_alias_names_the_same_theme():
    assert themes.canonical("ekonomi") == themes.canonical("Rahoitus") == "Talous"
    assert themes.theme_key("Gränsytor") == "interfaces"


def test_an_unknown_theme_stays_as_written():
    assert themes.canonical("Oma  teema") == "Oma  teema"
    assert themes.label("Oma teema", "sv") == "Oma teema"
    assert themes.theme_key(None) is None
