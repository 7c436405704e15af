"""``sote pack``: 0 written, 1 no data or no database, 2 a wrong date, area or path."""

import io

import pytest
from pptx import Presentation

from sotedata.cli import main
from tests.support.example_db import copy_of


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path_factory) -> str:
    """The run's example database as a copy per test: an export or a pack that succeeds writes
    its row into the audit trail."""
    return copy_of(demo_db_url, tmp_path_factory.mktemp("example"))


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """The shipped boundaries, never the network or a cache outside the test."""
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)


def _titles(path) -> list[str]:
    deck = Presentation(io.BytesIO(path.read_bytes()))
    titles = []
    for slide in deck.slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        titles.append(texts[0])
    return titles


def test_pack_writes_a_deck_for_the_areas_asked(demo_db_url, tmp_path, capsys):
    out = tmp_path / "kokous.pptx"
    code = main(
        [
            "pack",
            "--db",
            demo_db_url,
            "--as-of",
            "2022-06-15",
            "--since",
            "2022-03-15",
            "--area",
            "Lappi",
            "90",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    titles = _titles(out)
    assert len(titles) == 5 + 2
    assert titles[3] == "Muutokset 15.3.2022–15.6.2022"
    assert titles[4] == "Tuen tarve 15.6.2022"  # the support-need slide (exports.pack_outlook)
    assert titles[5:] == ["Lapin hyvinvointialue", "Helsingin kaupunki"]
    printed = capsys.readouterr().out
    assert printed.startswith(f"Kokouspaketti kirjoitettu: {out} (7 diaa, tilanne 15.6.2022")


def test_defaults_are_every_area_the_latest_date_and_the_report_before(
    demo_db_url, tmp_path, capsys
):
    out = tmp_path / "kaikki.pptx"
    assert main(["pack", "--db", demo_db_url, "--out", str(out)]) == 0
    titles = _titles(out)
    assert len(titles) == 5 + 22
    assert titles[3] == "Muutokset 15.11.2022–15.12.2022"
    print(capsys.readouterr().out)  # the time it took, for the record


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--as-of", "15.12.2022"], "Päivämäärä ”15.12.2022” ei kelpaa."),
        (["--since", "2022-13-01"], "Päivämäärä ”2022-13-01” ei kelpaa."),
        (["--area", "Atlantis"], "Aluetta ”Atlantis” ei tunnistettu."),
        (["--area", "Ahvenanmaa"], "ei kuulu sote-uudistukseen"),
        (["--as-of", "2022-06-15", "--since", "2022-06-15"], "ei ole ennen tilannepäivää"),
    ],
)
def test_usage_errors_exit_2_in_finnish_and_write_nothing(
    demo_db_url, tmp_path, capsys, argv, message
):
    out = tmp_path / "ei.pptx"
    assert main(["pack", "--db", demo_db_url, "--out", str(out), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_out_is_required_and_an_unwritable_path_is_a_usage_error(demo_db_url, tmp_path, capsys):
    assert main(["pack", "--db", demo_db_url]) == 2
    assert "--out" in capsys.readouterr().err
    missing = tmp_path / "no-such-folder" / "paketti.pptx"
    assert main(["pack", "--db", demo_db_url, "--area", "21", "--out", str(missing)]) == 2
    assert "ei voi kirjoittaa" in capsys.readouterr().err


def test_an_empty_database_is_no_data(tmp_path, capsys):
    out = tmp_path / "tyhja.pptx"
    assert main(["pack", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}", "--out", str(out)]) == 1
    assert "Tietokannassa ei ole vielä tiekarttaa" in capsys.readouterr().err
    assert not out.exists()
