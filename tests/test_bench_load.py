"""The load bench's own logic (bench/load.py): what counts as a session done or erred, how the
batches are summarised, and the bounds it keeps. No timing is asserted: the bench measures."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
import urllib.error
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
load = importlib.util.module_from_spec(_spec)
sys.modules["bench_load"] = load  # dataclasses look their module up while the class is made
_spec.loader.exec_module(load)
from bench import proc_cpu  # noqa: E402  (bench/ is on the path once load.py has run)


def _chart(spec: str) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.vega_lite_chart.spec = spec
    return message


def _finished(status: int) -> ForwardMsg:
    message = ForwardMsg()
    message.script_finished = status
    return message


def _exception(text: str) -> ForwardMsg:
    message = ForwardMsg()
    message.delta.new_element.exception.message = text
    return message


DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def test_a_run_is_done_when_it_finished_with_the_map_among_its_charts():
    watch = load.RunWatch()
    for message in (_chart('{"mark": "bar"}'), _chart('{"mark": {"type": "geoshape"}}')):
        watch.see(message)
    assert not watch.finished
    watch.see(_finished(DONE))
    assert watch.finished and watch.map_seen and watch.outcome_error is None


def test_a_run_without_the_map_or_with_an_exception_errs():
    bars_only = load.RunWatch()
    bars_only.see(_chart('{"mark": "bar"}'))
    bars_only.see(_finished(DONE))
    assert bars_only.outcome_error == "run finished without a map"

    broken = load.RunWatch()
    broken.see(_exception("division by zero"))
    assert broken.outcome_error == "exception: division by zero"


def test_a_run_stopped_for_a_rerun_waits_for_the_rerun_and_its_own_map():
    watch = load.RunWatch()
    watch.see(_chart('{"mark": "geoshape"}'))
    watch.see(_finished(EARLY))
    assert not watch.finished and not watch.map_seen
    watch.see(_chart('{"mark": "geoshape"}'))
    watch.see(_finished(DONE))
    assert watch.outcome_error is None


def test_the_first_request_asks_for_the_default_page_in_finnish():
    message = BackMsg()
    message.ParseFromString(load.first_run_request())
    assert message.WhichOneof("type") == "rerun_script"
    assert message.rerun_script.page_script_hash == ""
    assert message.rerun_script.context_info.locale == "fi-FI"


@pytest.mark.parametrize(
    ("text", "count"), [(None, 25), ("", 25), ("5", 5), ("0", 1), ("-3", 1), ("500", 25), ("x", 25)]
)
def test_the_session_count_stays_between_one_and_twenty_five(text, count):
    assert load.session_count(text) == count


def _batch(*seconds: float | None, errors: tuple[str, ...] = ()) -> object:
    outcomes = [load.Outcome(s) for s in seconds] + [load.Outcome(None, e) for e in errors]
    return load.Batch(tuple(outcomes), wall=0.0, server_cpu=0.0, client_cpu=0.0)


def test_a_batch_lasts_until_its_last_session_and_fails_with_any_error():
    assert _batch(1.0, 3.0, 2.0).seconds == 3.0
    assert _batch(1.0, errors=("timeout",)).seconds is None
    assert _batch().seconds is None


def test_the_summary_gives_median_spread_ratio_and_target():
    runs = (_batch(9.0, 4.0), _batch(12.0), _batch(8.0))
    summary = load.Summary(2, runs, before=_batch(2.0), after=_batch(2.5))
    assert summary.median == 9.0
    assert summary.ratio == 4.5
    assert summary.target_met and summary.exit_code == 0
    text = "\n".join(load.report_lines(summary, "protocol"))
    assert "one session before: 2.00 s" in text
    assert "median 9.00 s, spread 8.00–12.00 s" in text
    assert "ratio to one session: 4.5×" in text
    assert "within 10 s, no errors: met" in text
    assert "errors: 0" in text
    assert "map within" not in text  # no Chromium session, no claim about it


def test_the_warm_chromium_session_is_held_to_three_seconds():
    runs = (_batch(9.0), _batch(9.0), _batch(9.0))
    fast = load.Summary(25, runs, _batch(1.0), _batch(1.0), seen_after=_batch(2.4))
    slow = load.Summary(25, runs, _batch(1.0), _batch(1.0), seen_after=_batch(3.6))
    fast_text = "\n".join(load.report_lines(fast, "protocol"))
    assert "map within 3 s: 2.40 s, met" in fast_text
    assert "map within 3 s: 3.60 s, NOT met" in "\n".join(load.report_lines(slow, "protocol"))


def test_an_erring_session_anywhere_fails_the_target_and_the_exit_status():
    runs = (_batch(1.0), _batch(1.0), _batch(1.0))
    seen_after = _batch(errors=("Streamlit exception box: boom",))
    summary = load.Summary(25, runs, _batch(1.0), _batch(1.0), seen_after=seen_after)
    assert not summary.target_met and summary.exit_code == 1
    text = "\n".join(load.report_lines(summary, "protocol"))
    assert "NOT met" in text
    assert "1 × Streamlit exception box: boom" in text

    failed_run = load.Summary(
        25, (_batch(1.0), _batch(errors=("timeout",))), _batch(1.0), _batch(1.0)
    )
    assert failed_run.median is None and failed_run.exit_code == 1
    assert "median failed" in "\n".join(load.report_lines(failed_run, "browser"))


def test_descendants_follow_parents_down_and_stop_at_cycles():
    table = {1: (0, 5), 2: (1, 7), 3: (2, 11), 4: (0, 13), 5: (5, 1)}
    assert proc_cpu.descendants(1, table) == {1, 2, 3}
    assert proc_cpu.descendants(5, table) == {5}
    assert proc_cpu.cpu_seconds({2, 3, 99}, table) == 18 / proc_cpu.CLOCK_TICKS


def test_the_process_table_holds_a_child_under_this_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        table = proc_cpu.process_table()
        assert table[child.pid][0] == os.getpid()
        assert child.pid in proc_cpu.descendants(os.getpid(), table)
    finally:
        child.kill()
        child.wait()


def test_only_the_servers_own_gets_are_kept():
    record: list[str] = []
    origin = "http://127.0.0.1:8501"
    load.keep_own_get(record, origin, "GET", origin)
    load.keep_own_get(record, origin, "GET", origin + "/static/js/index.js")
    load.keep_own_get(record, origin, "POST", origin + "/_stcore/upload_file")
    load.keep_own_get(record, origin, "GET", "http://127.0.0.1:85011/other")
    load.keep_own_get(record, origin, "GET", "https://example.org/font.woff2")
    assert record == [origin, origin + "/static/js/index.js"]


def test_assets_are_fetched_in_full_and_a_missing_one_raises(tmp_path):
    (tmp_path / "a.js").write_bytes(b"x" * 1000)
    (tmp_path / "b.css").write_bytes(b"y" * 24)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            assert load.fetch_assets([f"{base}/a.js", f"{base}/b.css"]) == 1024
            with pytest.raises(urllib.error.HTTPError):
                load.fetch_assets([f"{base}/missing.js"])
        finally:
            server.shutdown()


def test_a_timeout_says_how_far_the_run_got():
    watch = load.RunWatch()
    assert watch.progress == "0 messages, last none, no map yet"
    watch.see(_chart('{"mark": "geoshape"}'))
    watch.see(_finished(EARLY))
    assert watch.progress == "2 messages, last script_finished, no map yet"


def test_the_app_server_parses_http_in_c_and_loops_on_libuv():
    """Streamlit serves through uvicorn with its defaults (``http`` and ``loop`` "auto"), which
    take httptools and uvloop when they are installed: a session's ~150 file requests then cost
    the server about a sixth less CPU (bench-load, December 2026). A lock that lost either
    package would quietly fall back to h11 and asyncio."""
    import uvicorn
    import uvloop

    config = uvicorn.Config(app=lambda scope, receive, send: None)
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    assert config.get_loop_factory() is uvloop.new_event_loop
