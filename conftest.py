"""Per-notebook execution times for nbval runs; a notebook over 60 s fails the suite."""
from __future__ import annotations

import time
from collections import defaultdict

import pytest

LIMIT_SECONDS = 60.0
_times: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _times[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _times:
        return
    terminalreporter.section("notebook execution times")
    for path, t in sorted(_times.items(), key=lambda kv: -kv[1]):
        flag = "  TOO SLOW (limit 60 s)" if t > LIMIT_SECONDS else ""
        terminalreporter.write_line(f"{t:7.1f} s  {path}{flag}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    slow = [p for p, t in _times.items() if t > LIMIT_SECONDS]
    if slow and session.exitstatus == 0:
        session.exitstatus = 1
