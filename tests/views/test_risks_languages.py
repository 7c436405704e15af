"""The risks page's figures in Swedish and English: a risk without a theme keeps one key (the
data's, the URL's) but is shown as "Inget tema" / "No theme" in the heat map, its sentence, the
risk tables and the theme filter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.domain.i18n import LANGUAGES, t
from sotedata.domain.model import RiskRating, default_roadmap
from sotedata.rules import metrics
from sotedata.views import risks as risks_view

DAY = date(2022, 3, 15)


def _frames() -> metrics.Frames:
    rows = [
        ("05", "X1", "Ilman teemaa", "", 5, 4, None, None, DAY),
        ("06", "X2", "Talouden riski", "Talous", 2, 2, None, None, DAY),
    ]
    risks = pd.DataFrame([RiskRating(*row).__dict__ for row in rows])
    risks["score"] = risks["likelihood"] * risks["impact"]
    return metrics.Frames(default_roadmap().measures_frame(), pd.DataFrame(), risks)


def _chart_values(spec: dict) -> list[dict]:
    if "datasets" in spec:
        return [row for rows in spec["datasets"].values() for row in rows]
    return spec["data"]["values"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_risk_without_a_theme_is_shown_in_the_language(lang):
    frames = _frames()
    assert risks_view.themes_of(frames.risks) == sorted([risks_view.NO_THEME, "Talous"])
    view = risks_view.build_risks_view(
        frames, risks_view.RisksParams(), reporting_dates=[DAY], example=False, lang=lang
    )
    shown = t("risks.theme.none", lang)
    assert risks_view.theme_label(risks_view.NO_THEME, lang) == shown
    finance = {"fi": "Talous", "sv": "Ekonomi", "en": "Finance"}[lang]  # the app's vocabulary
    assert risks_view.theme_label("Talous", lang) == finance
    themes = {row["theme"] for row in _chart_values(view.heatmap_chart.to_dict())}
    assert themes == {shown, finance}
    assert shown in view.heatmap_summary  # the 20-point cell is the theme-less one
    rows = risks_view.risk_rows(view.high, lang)
    assert rows[t("risks.col.theme", lang)].tolist() == [shown]
    if lang != "fi":
        assert risks_view.NO_THEME not in view.heatmap_summary


def _themed(*themes: str) -> metrics.Frames:
    rows = [
        (code, f"R{i}", f"Riski {i}", theme, 3, 3, None, None, DAY)
        for i, (code, theme) in enumerate(zip(["05", "06", "07"], themes, strict=False))
    ]
    risks = pd.DataFrame([RiskRating(*row).__dict__ for row in rows])
    return metrics.Frames(default_roadmap().measures_frame(), pd.DataFrame(), risks)


def test_a_known_theme_written_in_any_language_is_one_theme_shown_in_the_page_language():
    frames = _themed("Talous", "ekonomi", "Finance")
    assert risks_view.themes_of(frames.risks) == ["Talous"]
    view = risks_view.build_risks_view(
        frames, risks_view.RisksParams(), reporting_dates=[DAY], example=False, lang="sv"
    )
    assert {row["theme"] for row in _chart_values(view.heatmap_chart.to_dict())} == {"Ekonomi"}


def test_an_imported_unknown_theme_is_shown_as_written_in_every_language():
    frames = _themed("Vesihuolto ja tiet")
    for lang in LANGUAGES:
        assert risks_view.theme_label("Vesihuolto ja tiet", lang) == "Vesihuolto ja tiet"
    assert risks_view.themes_of(frames.risks) == ["Vesihuolto ja tiet"]


def test_a_theme_in_the_url_may_be_written_in_any_language():
    params, issues = risks_view.params_from_query({"teema": "Ekonomi,ict"}, ["ICT", "Talous"])
    assert params.themes == ("Talous", "ICT") and not issues


def test_a_risk_without_mitigation_or_owner_shows_empty_cells_never_none():
    from sotedata.views.area_risks import risk_register

    frames = _themed("Talous")  # mitigation and owner None
    view = risks_view.build_risks_view(
        frames, risks_view.RisksParams(), reporting_dates=[DAY], example=False, lang="fi"
    )
    latest = risks_view.latest_ratings(frames.risks, DAY)
    rows = risks_view.risk_rows(latest, "fi")
    assert "None" not in rows.astype(str).to_numpy().ravel().tolist()
    assert rows[t("risks.col.mitigation", "fi")].tolist() == [""]
    register = risk_register(frames.risks, "05", DAY, None, "fi")
    assert register[["mitigation", "owner"]].to_numpy().ravel().tolist() == ["", ""]
    assert view.high.empty  # 3 × 3 is not high
