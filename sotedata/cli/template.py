"""``sote template``: the workbook a preparer fills in (``sotedata.ingest.template``) as a file.

The roadmap comes from the store; a store without one gets the example roadmap (``sote demo``'s),
so that a template can be tried before anything is stored. The workbook is in the language
``sote --kieli`` chose.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..demo.generator import example_roadmap
from ..domain import areas
from ..domain.errors import Issue
from ..domain.i18n import t
from ..ingest.comparison import current_reports
from ..ingest.template import build_template
from ..store.engine import Store
from .output import EXIT_OK, EXIT_USAGE, report, say

DEFAULT_OUT = "tilannekuva_pohja.xlsx"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out", nargs="?", default=DEFAULT_OUT, metavar="OUT.xlsx", help=t("cli.template.out")
    )
    parser.add_argument("--area", metavar="CODE", help=t("cli.template.area"))


def run(args: argparse.Namespace) -> int:
    """Exit 0 written, 2 an area that names none of the reform's."""
    area_code = None
    if args.area is not None:
        found = areas.resolve(args.area)
        if not found.ok:
            issues = found.issues
        elif not found.area.in_reform:  # Åland: no roadmap, no template
            issues = [Issue("area_outside_reform", params={"area": found.area.name_fi})]
        else:
            issues = []
        if issues:
            report(issues)
            return EXIT_USAGE
        area_code = found.code
    with Store.open(args.db) as store:
        roadmap = store.load_roadmap()
        # an area's template is pre-filled with its current reports, as the upload page's is
        current = current_reports(store, area_code) if area_code and roadmap.measures else None
    source = "store"
    if not roadmap.measures:
        roadmap, source = example_roadmap(), "example"
    data = build_template(roadmap, area_code=area_code, current=current)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    say(t(f"cli.template.written.{source}", path=str(out), measures=len(roadmap.measures)))
    return EXIT_OK
