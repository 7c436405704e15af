"""``sote import`` in child processes forked from one process that has loaded the command line
once: each child runs the command's ``main`` alone, with its own exit code, output, CPU time and
peak memory (from ``wait4``), as ``tests.hostile.corpus.run_import`` measures a whole
``python -c`` process, but without paying the ~1.4 s of CPU of loading pandas, the store and the
import again for every file of the hostile corpus (about 45 s of the suite's CPU).

What a child measures is the command's work: its CPU time leaves out the loading, its peak memory
includes what the loading holds (a forked child starts with its parent's pages, as a started
process has them once it has loaded the same modules). The whole process, start-up included, is
what ``make bench-hostile`` and the CLI's own tests run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.hostile.corpus import Outcome

ROOT = Path(__file__).resolve().parents[2]
#: the forking process: loads what ``sote import`` loads, then for each request (a JSON line:
#: arguments and the two output files) forks a child that runs ``main`` and ends with its exit
#: code; answers with the child's wait status and resource usage. A child that runs 120 s is
#: killed by its alarm, as ``run_import``'s timer kills a process.
FORKER = r"""
import json, os, signal, sys, time, traceback
from sotedata.cli import main
import sotedata.cli.imports  # noqa: F401  (what main loads when the command is import)

answers = os.fdopen(os.dup(1), "w")
for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.flush(); sys.stderr.flush()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        signal.alarm(120)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        try:
            code = main(request["args"])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(code or 0)
    _, status, usage = os.wait4(pid, 0)
    answers.write(json.dumps({
        "exit_code": os.waitstatus_to_exitcode(status),
        "seconds": time.perf_counter() - started,
        "peak_kb": usage.ru_maxrss,
        "cpu": usage.ru_utime + usage.ru_stime,
    }) + "\n")
    answers.flush()
"""


class Forker:
    """One forking process; ``run_import`` is called from one thread at a time."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    def run_import(self, path: Path, db_url: str) -> Outcome:
        """``sote import --json --dry-run`` of one file in a forked child."""
        args = ["import", str(path), "--json", "--dry-run", "--db", db_url]
        with tempfile.TemporaryDirectory() as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            request = {"args": args, "stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
            if not answer:
                raise RuntimeError(f"the forking process ended ({self.process.wait()})")
            done = json.loads(answer)
            stdout, stderr = out.read_bytes(), err.read_bytes()
        try:
            codes = [error["code"] for error in json.loads(stdout)["errors"]]
        except (ValueError, KeyError, TypeError):
            codes = []
        return Outcome(
            done["exit_code"],
            codes,
            done["seconds"],
            done["peak_kb"] / 1024,
            stderr.decode(errors="replace"),
            len(stdout),
            done["cpu"],
        )


@contextmanager
def forkers(count: int) -> Iterator[Sequence[Forker]]:
    """``count`` forking processes (one per thread that runs imports), stopped at the end."""
    env = {**os.environ, "SOTE_OFFLINE": "1"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", FORKER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        yield [Forker(process) for process in processes]
    finally:
        for process in processes:
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
