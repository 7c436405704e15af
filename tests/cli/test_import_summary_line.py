"""The line `sote import` ends with counts what the file held: an indicator file its values and
municipalities, never "0 measures, 0 status entries, 0 risk ratings"."""

from pathlib import Path

import pytest

from sotedata.cli import main

REAL = Path(__file__).parent.parent / "data" / "real"
PXWEB = REAL / "pxweb_11re_population_2019_age_total.csv"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "293 indikaattoriarvoa, 293 kuntaa, 22 aluetta."),
        ("sv", "293 indikatorvärden, 293 kommuner, 22 områden."),
        ("en", "293 indicator values, 293 municipalities, 22 areas."),
    ],
)
def test_an_indicator_file_is_summed_up_by_its_values(tmp_path, capsys, lang, expected):
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    assert main(["import", str(PXWEB), "--dry-run", "--db", url, "--kieli", lang]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith(expected)
    assert "0 " not in last.split(":", 1)[1]  # no kind the file did not hold
