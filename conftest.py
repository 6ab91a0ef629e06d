"""nbval settings for the chapters.

* Glue records (``application/papermill.record/*``, written by ``myst_nb.glue``) are never
  compared: they carry full ``repr`` precision, whose last digits depend on the CPU and BLAS
  kernel. The printed text of a checked cell is compared instead, at the precision it states.
* Per-notebook execution times are reported (not asserted: a shared or slow machine must not
  fail the physics; speed is measured in ``benchmarks/``). A hang is caught by nbval's cell
  timeout, which ``dev.py test`` sets.
"""
from __future__ import annotations

from collections import defaultdict


LIMIT_SECONDS = 60.0
GLUE_MIME_PREFIX = "application/papermill.record/"


class _SkipCompare(tuple):
    """nbval's tuple of output keys not compared, extended by every glue-record MIME type."""

    def __contains__(self, key: object) -> bool:
        return str(key).startswith(GLUE_MIME_PREFIX) or tuple.__contains__(self, key)


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        nb = getattr(item, "parent", None)
        if nb is not None and hasattr(nb, "skip_compare") and not isinstance(nb.skip_compare, _SkipCompare):
            nb.skip_compare = _SkipCompare(nb.skip_compare)


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
        flag = "  (slow: over 60 s here)" if t > LIMIT_SECONDS else ""
        terminalreporter.write_line(f"{t:7.1f} s  {path}{flag}")
