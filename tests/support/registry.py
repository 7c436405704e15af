"""Registry look-ups only the tests need."""

from sotedata.domain import municipalities


def area_of(code: object) -> str | None:
    """The area code of a municipality code, or None."""
    municipality = municipalities.get(code)
    return municipality.area_code if municipality else None
