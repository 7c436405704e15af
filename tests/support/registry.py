"""Registry look-ups only the tests need."""

from sotedata.domain import municipalities
from sotedata.domain.areas import resolve


def area_of(code: object) -> str | None:
    """The area code of a municipality code, or None."""
    municipality = municipalities.get(code)
    return municipality.area_code if municipality else None


def code_for(text_or_code: object) -> str | None:
    """The current code that a name or a code means, or None (the app itself asks ``resolve``,
    which also says why not): a number or a two-digit text is a code, anything else a name."""
    text = str(text_or_code).strip()
    result = resolve(None, text_or_code) if text.isdigit() else resolve(text_or_code)
    return result.code if result.ok else None
