"""Every message formats with its placeholders in all three languages, and every call in the code
passes the placeholders its message needs (issue 14: a message once showed ``{text}``,
``{area}`` and ``{code}`` to users, because ``t`` returns the raw text when a value is missing).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from sotedata.domain.i18n import LANGUAGES, catalog, t

ROOT = Path(__file__).resolve().parents[2]
LEFT_OVER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}")


class _Anything:
    """A value any placeholder accepts: any format spec, attribute or index."""

    def __format__(self, spec: str) -> str:
        return "X"

    def __getattr__(self, name: str) -> _Anything:
        return self

    def __getitem__(self, key: object) -> _Anything:
        return self


def placeholders(text: str) -> set[str]:
    """The values a message needs, by name (``{area.name}`` needs ``area``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return names


def _with_placeholders() -> list[tuple[str, str]]:
    return sorted(
        (lang, key) for lang in LANGUAGES for key, text in catalog(lang).items() if "{" in text
    )


def test_the_catalogs_have_messages_with_placeholders():
    assert len(_with_placeholders()) > 300


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_formats_with_its_placeholders_in_every_language(lang):
    broken = []
    for key, text in catalog(lang).items():
        names = placeholders(text)
        if not names:
            continue
        shown = t(key, lang, **dict.fromkeys(names, _Anything()))
        if LEFT_OVER.search(shown) or shown == text:
            broken.append(key)
    assert not broken, f"{lang}: these show raw placeholders: {broken}"


# --- the calls in the code --------------------------------------------------------------------

#: helpers whose first argument is an issue code and whose keyword arguments are its values
ISSUE_HELPERS = {"issue", "_sheet_issue"}


def _sources() -> list[Path]:
    return [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "sotedata").rglob("*.py")),
    ]


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def calls() -> list[tuple[str, int, list[str], set[str]]]:
    """(file, line, the catalog keys a call asks for, the values it passes), for every call
    whose values are all written out (a ``**mapping`` the scan cannot read is left out)."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _name(node.func)
            first = _literal(node.args[0])
            if name is None or first is None:
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            if None in keywords:  # **values: not readable here
                continue
            if name == "t":
                if len(node.args) > 2:
                    continue
                found.append((where, node.lineno, [first], set(keywords)))
            elif name == "Issue":
                params = keywords.get("params")
                if params is None:
                    given: set[str] = set()
                elif isinstance(params, ast.Dict) and None not in params.keys:
                    given = {_literal(k) for k in params.keys}  # type: ignore[misc]
                else:
                    continue
                found.append((where, node.lineno, [f"error.{first}", f"error.{first}.fix"], given))
            elif name in ISSUE_HELPERS:
                given = set(keywords)  # row, cell and severity are positional
                found.append((where, node.lineno, [f"error.{first}", f"error.{first}.fix"], given))
    return found


def test_the_scan_finds_the_calls():
    found = calls()
    assert sum(1 for _, _, keys, _ in found if keys[0].startswith("error.")) > 100
    assert sum(1 for _, _, keys, _ in found if not keys[0].startswith("error.")) > 300


def test_every_call_passes_the_values_its_message_needs_in_every_language():
    missing = []
    for where, line, keys, given in calls():
        for key in keys:
            for lang in LANGUAGES:
                text = catalog(lang).get(key)
                if text is None:
                    continue
                lacking = placeholders(text) - given
                if lacking:
                    missing.append(f"{where}:{line} {key} ({lang}) lacks {sorted(lacking)}")
    assert not missing, "\n".join(missing)


# --- the two calls the scan found, as a user meets them ---------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_municipality_code_of_another_municipality_is_named_in_words(lang):
    from datetime import date

    from sotedata.domain.model import default_roadmap
    from sotedata.ingest import parse_file
    from tests.support.workbooks import xlsx

    header = ["Kuntakoodi", "Kunta", "Vuosi", "Indikaattori", "Arvo"]
    data = xlsx({"Kunnat": [header, ["091", "Alajärvi", 2022, "Asukkaat", 9120]]})
    parsed = parse_file(data, "k.xlsx", roadmap=default_roadmap(), today=date(2026, 12, 2))
    [warning] = [w for w in parsed.warnings if w.code == "code_name_mismatch"]
    text = f"{warning.message(lang)} {warning.suggestion(lang)}"
    assert "{" not in text
    assert "Alajärvi" in text and "091" in text and "Helsin" in text and "005" in text


def test_an_unreadable_workbook_to_mark_is_named():
    from sotedata.domain.errors import Issue, SoteError
    from sotedata.ingest.annotate import annotate_workbook

    issue = Issue("invalid_status", file="tila.xlsx", sheet="Tila", row=2, column="C")
    with pytest.raises(SoteError) as error:
        annotate_workbook(b"not a zip", [issue])
    message = error.value.issues[0].message("en")
    assert "{" not in message and "tila.xlsx" in message
