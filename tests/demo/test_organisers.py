"""sote demo's organiser reports (issue 20 item 4): a year of monthly reports for every
organiser × topic, moving with the areas' own pace, stored as example data."""

from datetime import date

from sotedata.demo.organisers import build_organiser_reports
from sotedata.domain.model import Status
from sotedata.domain.organisers import shipped, topics
from sotedata.store import organisers as organiser_rows
from sotedata.store.engine import Store
from sotedata.store.holdings import DEMO_SOURCE


def test_every_organiser_reports_every_topic_monthly(demo_store: Store):
    with demo_store.reading() as connection:
        dates = organiser_rows.reporting_dates(connection)
        latest = organiser_rows.latest_reports(connection)
    assert dates == [date(2022, month, 15) for month in range(1, 13)]
    pairs = {(r.organiser_id, r.topic) for r in latest}
    assert pairs == {(o.id, t.key) for o in shipped().organisers for t in topics()}


def test_done_stays_done_and_a_faster_area_hands_over_more(demo_store: Store):
    reports = build_organiser_reports(demo_store)
    by_pair: dict[tuple[str, str], list[Status]] = {}
    for report in sorted(reports, key=lambda r: r.reported_on):
        by_pair.setdefault((report.organiser_id, report.topic), []).append(report.status)
    for statuses in by_pair.values():
        if Status.DONE in statuses:
            first = statuses.index(Status.DONE)
            assert set(statuses[first:]) == {Status.DONE}
    with demo_store.reading() as connection:
        end = organiser_rows.latest_reports(connection)
    frame = demo_store.status_reports()
    last = frame.drop_duplicates(["area_code", "measure_id"], keep="last")
    shares = last.groupby("area_code")["status"].apply(lambda s: (s == "done").mean())
    fast, slow = shares.idxmax(), shares.idxmin()
    registry = shipped()

    def done_share(code: str) -> float:
        own = [r for r in end if registry.by_id[r.organiser_id].area_codes == (code,)]
        return sum(r.status is Status.DONE for r in own) / len(own)

    assert done_share(fast) > done_share(slow)


def test_the_reports_are_example_data_from_no_file(demo_store: Store):
    imports = demo_store.imports()
    expected = len(shipped().organisers) * len(topics()) * 12  # every organiser × topic, monthly
    mine = imports[imports["counts"].astype(str).str.contains(f'"organiser_status": {expected}')]
    assert len(mine) == 1
    assert set(mine["source"]) == {DEMO_SOURCE}
    assert demo_store.is_example()
