"""Where a run's time goes: seconds summed per phase over every test process, so
that a change's cost shows where it lands (``scripts/bench.py --matrix`` reads
the summary).

The harness's own steps (bakes, environments, each replayed CI job, the release
and start of production) are timed where they run; each test's call is added to
its file's phase. A fixture's setup is not counted again.
"""

import contextlib
import time
from collections import Counter
from collections.abc import Iterator

import pytest

SECONDS: Counter[str] = Counter()  # this process's
SUMMARY_TITLE = "seconds per phase, summed over the test processes"


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        SECONDS[name] += time.perf_counter() - start


def add_call(report: pytest.TestReport) -> None:
    if report.when == "call":
        SECONDS[f"calls in {report.nodeid.split('::')[0]}"] += report.duration


def report(seconds: Counter[str], reporter) -> None:
    if not seconds:
        return
    reporter.write_sep("-", SUMMARY_TITLE)
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        reporter.write_line(f"{value:9.1f}  {name}")
    reporter.write_line(f"{sum(seconds.values()):9.1f}  in all")
