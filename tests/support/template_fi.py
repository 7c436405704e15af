"""The template's Finnish headers and national word, as the Finnish template tests name them
(the importer has always read the Finnish forms); the package builds them per language."""

from sotedata.ingest.template import (
    RISK_COLUMNS,
    ROADMAP_COLUMNS,
    STATUS_LONG_COLUMNS,
    headers,
    national,
)

ROADMAP_HEADERS = headers(ROADMAP_COLUMNS, "fi")
STATUS_LONG_HEADERS = headers(STATUS_LONG_COLUMNS, "fi")
RISK_HEADERS = headers(RISK_COLUMNS, "fi")
NATIONAL = national("fi")
