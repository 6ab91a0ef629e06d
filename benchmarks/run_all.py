#!/usr/bin/env python3
"""Run every benchmark, measure widget latency per chapter, write the tables.

    .venv/bin/python benchmarks/run_all.py            # benchmarks + widget latency
    .venv/bin/python benchmarks/run_all.py --quick    # benchmarks only
    .venv/bin/python benchmarks/run_all.py --only star   # one model and its chapter; tables not written

Each ``benchmarks/bench_*.py`` times, in the same run, a straightforward reference loop
(QuTiP's ``steadystate`` per point, or ``scipy.integrate.quad`` for the dot) and qbcore's sweep
path on the same grid, checks that they agree, and returns its numbers from ``run()``. This
script collects them, drives every chapter's ``qbcore.viz.explore`` callbacks headlessly
(``QBCORE_LATENCY_LOG``), and writes ``benchmarks/results.json`` and ``benchmarks/results.md``
(included by the book page *How fast, and why*). Budgets: a curve recomputes in <= 0.1 s, a
101x101 map in <= 1 s, master-equation sweeps >= 50x faster than the QuTiP loop.
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
sys.path.insert(0, str(HERE))          # the bench scripts import the shared helper ``_timing``

FAST_KEYS = ("sweep_s", "vectorised_best_s", "vectorised_total_s", "qbcore_s", "fast_s", "sweep_total_s")
REF_KEYS = ("qutip_per_point_s", "quad_per_point_s", "reference_per_point_s", "qutip_s_per_point")
PASS_KEYS = ("passed", "pass", "ok")


def _first(d: dict, keys) -> float | None:
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    return None


def normalise(model: str, res: dict) -> list[dict]:
    """Flatten a bench module's run() result into table rows (one per case)."""
    cases = res if res and all(isinstance(v, dict) for v in res.values()) else {"": res}
    rows = []
    for case, d in cases.items():
        dev = [v for k, v in d.items() if k.startswith("max_") and isinstance(v, (int, float))]
        rows.append({
            "model": model, "case": case, "points": d.get("points"),
            "fast_s": _first(d, FAST_KEYS), "reference_per_point_s": _first(d, REF_KEYS),
            "speedup": d.get("speedup"), "max_deviation": max(dev) if dev else None,
            "budget_s": d.get("budget_s"), "pass": bool(_first(d, PASS_KEYS)),
        })
    return rows


def run_benchmarks(only: str = "") -> list[dict]:
    rows = []
    for path in sorted(HERE.glob(f"bench_*{only}.py" if only else "bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t0 = time.perf_counter()
        try:
            res = mod.run()
        except Exception as exc:  # a failing benchmark is a failed row; the others still run
            print(f"{path.name}: FAILED ({type(exc).__name__}: {exc})", flush=True)
            rows.append({"model": path.stem.removeprefix("bench_"), "case": f"failed: {type(exc).__name__}",
                         "points": None, "fast_s": None, "reference_per_point_s": None, "speedup": None,
                         "max_deviation": None, "budget_s": None, "pass": False})
            continue
        print(f"{path.name}: done in {time.perf_counter() - t0:.1f} s", flush=True)
        rows += normalise(path.stem.removeprefix("bench_"), res)
    return rows


def run_latency(only: str = "") -> list[dict]:
    """Execute each chapter with the latency log on; worst live update per chapter."""
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for nb_path in sorted((ROOT / "chapters").glob(f"*{only}*.ipynb" if only else "*.ipynb")):
        with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as fh:
            log = fh.name
        os.environ.update(QBCORE_LATENCY_LOG=log, QBCORE_VIZ="live", MPLBACKEND="Agg")
        nb = nbformat.read(nb_path, as_version=4)
        t0 = time.perf_counter()
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(nb_path.parent)}}).execute()
            error = ""
        except Exception as exc:  # a failing notebook is a failed row; the other chapters still run
            text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
            error = f"{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"
        elapsed = time.perf_counter() - t0
        recs = [json.loads(line) for line in Path(log).read_text().splitlines() if line.strip()]
        os.unlink(log)
        if error:
            rows.append({"chapter": nb_path.stem, "figures": len(recs), "worst_update_s": None,
                         "worst_render_s": None, "continuous": 0, "live": [], "maps": 0,
                         "execution_s": elapsed, "pass": False, "records": recs, "slowest": "",
                         "error": error[:300]})
            print(f"{nb_path.name}: FAILED to execute ({error[:300]})", flush=True)
            continue
        worst = max((r["worst_seconds"] for r in recs), default=0.0)
        worst_r = max((r["worst_render_seconds"] for r in recs), default=0.0)
        # recomputation within the figure's budget; the full redraw within 1 s (sliders on release)
        ok = all(r["worst_seconds"] <= r["budget_seconds"] and r["worst_render_seconds"] <= 1.0 for r in recs)
        live = sorted({r["live"] for r in recs})
        rows.append({"chapter": nb_path.stem, "figures": len(recs), "worst_update_s": worst,
                     "worst_render_s": worst_r,
                     "continuous": sum(r["live"] == "continuous" for r in recs), "live": live,
                     "maps": sum(r["kind"] == "map" for r in recs), "execution_s": elapsed, "pass": ok,
                     "records": recs,
                     "slowest": max(recs, key=lambda r: r["worst_seconds"])["caption"] if recs else ""})
        print(f"{nb_path.name}: {len(recs)} interactive figures, worst recompute {worst * 1e3:.0f} ms, "
              f"worst full redraw {worst_r * 1e3:.0f} ms, "
              f"executed in {elapsed:.1f} s -> {'PASS' if ok else 'FAIL'}", flush=True)
    return rows


def fmt(x, unit=""):
    """Table cell: seconds as ms below 1 s, speed-ups as whole numbers."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "PASS" if x else "FAIL"
    if unit == " s" and isinstance(x, (int, float)):
        return f"{x * 1e3:.3g} ms" if x < 1 else f"{x:.3g} s"
    if unit == "×":
        return f"{x:,.0f}×"
    if isinstance(x, float):
        return f"{x:.2g}"
    return f"{x}{unit}"


def write(bench: list[dict], latency: list[dict]) -> None:
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d")}
    (HERE / "results.json").write_text(json.dumps({"meta": meta, "benchmarks": bench, "latency": latency},
                                                  indent=1) + "\n")
    lines = [f"Measured on {meta['date']} ({meta['cpus']} cores, {meta['machine']}, Python {meta['python']}).", "",
             "| model | case | points | qbcore | reference / point | speed-up | max dev. | budget | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in bench:
        lines.append(f"| {r['model']} | {r['case'] or '–'} | {fmt(r['points'])} | {fmt(r['fast_s'], ' s')} | "
                     f"{fmt(r['reference_per_point_s'], ' s')} | {fmt(r['speedup'], '×')} | "
                     f"{fmt(r['max_deviation'])} | {fmt(r['budget_s'], ' s')} | {fmt(r['pass'])} |")
    if latency:
        lines += ["", "Live-update latency, measured headlessly (no browser). *Recompute*: physics and plot "
                  "artists, at both ends and the middle of every control, budget 100 ms for a curve and 300 ms "
                  "for a map. *Full redraw*: that plus matplotlib's drawing and the PNG the widget shows; its "
                  "worst is a jump to one end of a slider, laid out anew, and must stay under 1 s. *Sliders "
                  "follow the drag*: the widget's own rule, a slider step at the defaults (median of three redraws one "
                  "step apart) within the budget "
                  "(otherwise they redraw when released). Key press to image in a real JupyterLab is the "
                  "next table.", "",
                  "| chapter | figures (maps) | worst recompute | worst full redraw "
                  "| sliders follow the drag | notebook run | verdict |",
                  "|---|---|---|---|---|---|---|"]
        for r in latency:
            lines.append(f"| {r['chapter']} | {r['figures']} ({r['maps']}) | {fmt(r['worst_update_s'], ' s')} | "
                         f"{fmt(r['worst_render_s'], ' s')} | {r['continuous']} of {r['figures']} | "
                         f"{fmt(r['execution_s'], ' s')} | {fmt(r['pass'])}"
                         f"{' (notebook failed: ' + r['error'][:80] + ')' if r.get('error') else ''} |")
    old = (HERE / "results.md").read_text() if (HERE / "results.md").exists() else ""
    start, end = "<!-- latency_lab: start -->", "<!-- latency_lab: end -->"
    keep = old[old.index(start):old.index(end) + len(end)] if start in old and end in old else ""
    (HERE / "results.md").write_text("\n".join(lines) + "\n" + (f"\n{keep}\n" if keep else ""))  # JupyterLab table kept
    print((HERE / "results.md").read_text())


def main() -> int:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    bench = run_benchmarks(only)
    latency = [] if "--quick" in sys.argv else run_latency(only)
    if only:
        for r in latency:
            for rec in r["records"]:
                print(f"  {rec['kind']}: recompute {rec['worst_seconds'] * 1e3:.0f} ms, full redraw "
                      f"{rec['worst_render_seconds'] * 1e3:.0f} ms / budget {rec['budget_seconds'] * 1e3:.0f} ms "
                      f"({rec['live']})  {rec['caption'][:50]}")
    else:
        write(bench, latency)
    ok = all(r["pass"] for r in bench) and all(r["pass"] for r in latency)
    print("ALL PASS" if ok else "SOME FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
