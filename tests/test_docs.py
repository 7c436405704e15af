"""The README is true: every setting, command and option it should name, it names."""

import re
from pathlib import Path

from sotedata.cli import build_parser
from sotedata.domain.settings import ENVIRONMENT

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## Pages")]
    assert "make run" in head and "make test" in head


def test_every_environment_setting_is_documented():
    missing = [name for name in ENVIRONMENT if f"`{name}`" not in README]
    assert not missing


def test_every_sote_command_and_option_is_documented():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        line = next((ln for ln in README.splitlines() if ln.startswith(f"| `sote {name}")), None)
        assert line, f"sote {name} is not in the README"
        for action in sub._actions:
            long = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            for option in long:
                assert option in line, f"sote {name} {option} is not in the README"


def test_attribution_is_in_the_readme():
    assert "Rajat: Tilastokeskus, CC BY 4.0" in README


def test_make_targets_in_readme_exist():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z]+):", makefile, flags=re.M))
    for target in re.findall(r"`make ([a-z]+)`", README):
        assert target in targets, target
