"""The accessibility statement (saavutettavuusseloste) as data: what the page shows, and its dates.

The Act on the Provision of Digital Services (306/2019) requires a public authority's web service
to publish a statement in the form of the EU model (Commission Implementing Decision (EU)
2018/1523): conformance status, the content that is not accessible and why, how the service was
assessed, the feedback channel and the enforcement procedure, and when the statement was prepared
and updated. The texts live in the ``accessibility.po`` catalogs (fi, sv, en); here are the facts
they are filled with, so that a date or a contact changes in one place and the tests can check
that every part of the model is there in every language.

The feedback address is the operator's to set (``SOTE_FEEDBACK_EMAIL``): a placeholder ships, and
the page says so as long as it is in use, because a statement without a working channel is not
one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.i18n import fmt_date, normalise_language, t

FEEDBACK_ENV = "SOTE_FEEDBACK_EMAIL"
#: what ships: a reserved example domain, so an unconfigured statement can never mail a stranger
DEFAULT_FEEDBACK_EMAIL = "saavutettavuus@example.fi"
#: the law's answer time for accessibility feedback (two weeks)
RESPONSE_DAYS = 14
STANDARD = "WCAG 2.1"
LEVEL = "AA"
#: the statement's own dates; UPDATED_ON moves whenever the list of shortcomings changes
PREPARED_ON = date(2026, 11, 23)
UPDATED_ON = date(2026, 11, 23)
#: when the self-assessment (manual checks and the automated axe-core run) was last done
ASSESSED_ON = date(2026, 11, 23)
#: the axe-core version the browser tests run (tools/axe/package.json pins it; a test compares)
AXE_VERSION = "4.14.1"


@dataclass(frozen=True)
class Supervisor:
    """The enforcement body. Since 1.1.2025 the Finnish Transport and Communications Agency
    Traficom supervises digital accessibility (before that: the Regional State Administrative
    Agency for Southern Finland); its web address differs by language."""

    email: str = "saavutettavuus@traficom.fi"
    phone: str = "029 534 5000"
    web: Mapping[str, str] | None = None

    def website(self, lang: str | None) -> str:
        sites = self.web or {}
        return sites.get(normalise_language(lang), sites.get("fi", ""))


SUPERVISOR = Supervisor(
    web={
        "fi": "https://www.saavutettavuusvaatimukset.fi",
        "sv": "https://www.tillganglighetskrav.fi",
        "en": "https://www.webaccessibility.fi",
    }
)


@dataclass(frozen=True)
class Shortcoming:
    """One part of the service that does not meet the requirements: its message key
    (``a11y.gap.<key>.title`` / ``.text``, the text says why and what the accessible alternative
    is) and the WCAG 2.1 success criteria it fails."""

    key: str
    criteria: tuple[str, ...]

    def title(self, lang: str | None) -> str:
        return t(f"a11y.gap.{self.key}.title", lang)

    def text(self, lang: str | None) -> str:
        return t(f"a11y.gap.{self.key}.text", lang)


#: the non-accessible content, the largest first. Keep in step with what the axe run and the
#: manual checks find (README, Accessibility).
SHORTCOMINGS: tuple[Shortcoming, ...] = (
    Shortcoming("chart_text", ("1.1.1", "1.3.1", "1.4.5")),
    Shortcoming("chart_pointer", ("2.1.1", "1.4.13")),
    Shortcoming("chart_contrast", ("1.4.11",)),
    Shortcoming("framework", ("3.1.1", "4.1.2", "4.1.3")),
    Shortcoming("downloads", ("1.1.1", "1.3.1")),
)

#: the sections of the EU model statement, in its order, as message keys of their headings
SECTIONS: tuple[str, ...] = (
    "a11y.status.heading",
    "a11y.gaps.heading",
    "a11y.assessment.heading",
    "a11y.feedback.heading",
    "a11y.enforcement.heading",
    "a11y.dates.heading",
)


@dataclass(frozen=True)
class Statement:
    """Everything the statement page shows in one language, formatted."""

    lang: str
    feedback_email: str
    feedback_configured: bool
    prepared: str
    updated: str
    assessed: str
    shortcomings: tuple[Shortcoming, ...]
    supervisor_web: str


def feedback_email(environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The feedback address and whether the operator has set it (a blank value counts as unset)."""
    given = (os.environ if environ is None else environ).get(FEEDBACK_ENV, "").strip()
    return (given, True) if given else (DEFAULT_FEEDBACK_EMAIL, False)


def statement(lang: str | None, environ: Mapping[str, str] | None = None) -> Statement:
    """The statement in ``lang``, its dates in the language's format (fi 23.11.2026,
    en 23 Nov 2026) and the feedback address from the environment."""
    lang = normalise_language(lang)
    email, configured = feedback_email(environ)
    return Statement(
        lang=lang,
        feedback_email=email,
        feedback_configured=configured,
        prepared=fmt_date(PREPARED_ON, lang),
        updated=fmt_date(UPDATED_ON, lang),
        assessed=fmt_date(ASSESSED_ON, lang),
        shortcomings=SHORTCOMINGS,
        supervisor_web=SUPERVISOR.website(lang),
    )


def message_keys() -> list[str]:
    """Every message key the statement page uses, for the catalog-completeness test."""
    keys = [
        "a11y.title",
        "a11y.nav",
        "a11y.footer",
        "a11y.owner",
        "a11y.intro",
        "a11y.status.text",
        "a11y.gaps.intro",
        "a11y.gap.criteria",
        "a11y.gaps.no_burden",
        "a11y.assessment.text",
        "a11y.feedback.text",
        "a11y.feedback.unconfigured",
        "a11y.enforcement.text",
        "a11y.enforcement.agency",
        "a11y.enforcement.unit",
        "a11y.enforcement.web",
        "a11y.enforcement.email",
        "a11y.enforcement.phone",
        "a11y.dates.text",
        *SECTIONS,
    ]
    for item in SHORTCOMINGS:
        keys += [f"a11y.gap.{item.key}.title", f"a11y.gap.{item.key}.text"]
    return keys
