"""Shared timing helper of the benchmark scripts (not a benchmark itself: ``run_all`` globs ``bench_*``)."""
from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def median_time(fn: Callable[[], Any], repeats: int = 5) -> tuple[float, Any]:
    """Median wall-clock time of ``repeats`` calls of ``fn`` (seconds) and the last result."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out
