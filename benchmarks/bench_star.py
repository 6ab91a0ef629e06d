"""Benchmark: the star-network battery (Kamin, Salimi & Arjmandi 2024) — sweeps and the N = 100 solver.

Times, in one run,

(a) a straightforward QuTiP loop: build H_S and the local collapse operators with ``qutip.tensor`` and
    call ``qutip.steadystate`` per point, battery population -> normalised ergotropy;
(b) ``qbcore.models.star.sweep`` (fixed generator pieces, one batched dense solve) on the same grid:
    a 201-point curve W(Delta mu) (Fig. 3 style) and a 101 x 101 map W(mu, Delta mu), N = 3;
(c) the exact excitation-sector solver at N = 10 and the permutation-symmetric solver at N = 100
    (single points, and the 41-point Fig. 6 curve at N = 100), with QuTiP's full-Liouvillian
    steadystate at N = 6 for scale (the brief's measured baseline: ~18 s at N = 7, N = 8 not finishing).

Agreement is checked to 1e-10 on the normalised ergotropy (QuTiP subsample vs sweep; symmetric vs
exact at N = 8). The QuTiP loop on the map is timed on a subsample and extrapolated per point.

Run:  .venv/bin/python benchmarks/bench_star.py
"""
from __future__ import annotations

import math
import statistics
import time

import numpy as np
import qutip as qt

from qbcore.models import star

CURVE_BUDGET_S = 0.1
MAP_BUDGET_S = 1.0
SPEEDUP_MIN = 50.0
BIG_BUDGET_S = 60.0
TOL = 1e-10
BASE = dict(T=1.0, J=1.0, gamma=1.0, omega=1.0, omega0=10.0)


def _qutip_point(N: int, mu: float, delta_mu: float, T: float, J: float, gamma: float, omega: float,
                 omega0: float) -> float:
    """Normalised battery ergotropy from a QuTiP model built from scratch (star, local reservoirs)."""
    sm = [qt.tensor([qt.sigmam() if k == i else qt.qeye(2) for k in range(N)]) for i in range(N)]
    sz = [qt.tensor([qt.sigmaz() if k == i else qt.qeye(2) for k in range(N)]) for i in range(N)]
    H = omega0 * sum(sz)
    for i in range(1, N):
        H = H + J * (sm[0].dag() * sm[i] + sm[i].dag() * sm[0])
    c_ops = []
    for i in range(N):
        n = 1.0 / (math.exp((omega - (mu if i == 0 else mu + delta_mu)) / T) + 1.0)
        c_ops += [math.sqrt(gamma * (1 - n)) * sm[i], math.sqrt(gamma * n) * sm[i].dag()]
    rho = qt.steadystate(H, c_ops)
    p1 = float(np.real(qt.expect(sm[0].dag() * sm[0], rho)))
    return max(0.0, 2.0 * p1 - 1.0)


def _median_time(fn, repeats: int = 7) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def run(map_subsample: int = 150) -> dict:
    """Time all routes; return the numbers (times in seconds)."""
    r: dict = {}
    # ---- curve: 201 points of W(Delta mu), mu = 0, N = 3
    dmu = np.linspace(0.0, 10.0, 201)
    star.sweep(3, mu=0.0, delta_mu=dmu[:2], **{k: BASE[k] for k in ("T", "J", "gamma", "omega")})  # warm cache
    t_curve, sw = _median_time(lambda: star.sweep(3, mu=0.0, delta_mu=dmu, T=1.0, J=1.0, gamma=1.0, omega=1.0))
    t0 = time.perf_counter()
    ref = np.array([_qutip_point(3, 0.0, d, **BASE) for d in dmu])
    t_q_curve = time.perf_counter() - t0
    r.update(curve_points=dmu.size, curve_sweep_s=t_curve, curve_qutip_s=t_q_curve,
             curve_qutip_per_point_s=t_q_curve / dmu.size, curve_speedup=t_q_curve / t_curve,
             curve_max_diff=float(np.max(np.abs(sw.W - ref))))
    # ---- map: 101 x 101 W(mu, Delta mu), N = 3
    mu, dm = np.meshgrid(np.linspace(-2.0, 8.0, 101), np.linspace(0.0, 10.0, 101))
    t_map, swm = _median_time(lambda: star.sweep(3, mu=mu, delta_mu=dm, T=1.0), repeats=5)
    rng = np.random.default_rng(1)
    idx = rng.choice(mu.size, size=map_subsample, replace=False)
    t0 = time.perf_counter()
    refm = np.array([_qutip_point(3, mu.ravel()[k], dm.ravel()[k], **BASE) for k in idx])
    t_q_sub = time.perf_counter() - t0
    per_point = t_q_sub / map_subsample
    r.update(map_points=mu.size, map_sweep_s=t_map, map_qutip_per_point_s=per_point,
             map_qutip_extrapolated_s=per_point * mu.size, map_speedup=per_point * mu.size / t_map,
             map_max_diff=float(np.max(np.abs(swm.W.ravel()[idx] - refm))))
    # ---- scale: exact N = 10, symmetric N = 100, QuTiP full Liouvillian at N = 6
    t0 = time.perf_counter()
    e10 = star.steady_state(N=10, mu=0.0, delta_mu=3.0, method="sector")
    r["exact_N10_s"] = time.perf_counter() - t0
    s10 = star.steady_state(N=10, mu=0.0, delta_mu=3.0, method="symmetric")
    r["symmetric_vs_exact_N10"] = abs(s10.battery_population - e10.battery_population)
    e8 = star.steady_state(N=8, mu=0.3, delta_mu=2.5, method="sector")
    s8 = star.steady_state(N=8, mu=0.3, delta_mu=2.5, method="symmetric")
    r["symmetric_vs_exact_N8"] = abs(star.battery_ergotropy(s8) - star.battery_ergotropy(e8))
    t0 = time.perf_counter()
    big = star.steady_state(N=100, mu=0.0, delta_mu=3.0)
    r["symmetric_N100_first_s"] = time.perf_counter() - t0
    r["symmetric_N100_s"], _ = _median_time(lambda: star.steady_state(N=100, mu=0.0, delta_mu=3.0), repeats=3)
    r["symmetric_N100_unknowns"] = big.extra["unknowns"]
    d41 = np.linspace(0.0, 8.0, 41)
    t0 = time.perf_counter()
    star.sweep(100, mu=0.0, delta_mu=d41)
    r["fig6_N100_curve_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _qutip_point(6, 0.0, 3.0, **BASE)
    r["qutip_full_N6_s"] = time.perf_counter() - t0
    r["pass"] = bool(r["curve_max_diff"] <= TOL and r["map_max_diff"] <= TOL and r["symmetric_vs_exact_N8"] <= TOL
                     and t_curve <= CURVE_BUDGET_S and t_map <= MAP_BUDGET_S
                     and r["curve_speedup"] >= SPEEDUP_MIN and r["map_speedup"] >= SPEEDUP_MIN
                     and r["symmetric_N100_first_s"] <= BIG_BUDGET_S and r["fig6_N100_curve_s"] <= BIG_BUDGET_S)
    return r


def main() -> None:
    r = run()
    ok = "PASS" if r["pass"] else "FAIL"
    print("Star-network battery, N = 3 (unless stated), omega0 = 10, omega = gamma = J = T = 1")
    print(f"  curve ({r['curve_points']} pts)  QuTiP loop: {r['curve_qutip_per_point_s'] * 1e3:8.3f} ms/pt "
          f"(total {r['curve_qutip_s']:.2f} s)")
    print(f"                     sweep     : {r['curve_sweep_s'] / r['curve_points'] * 1e6:8.3f} us/pt "
          f"(total {r['curve_sweep_s'] * 1e3:.2f} ms; budget {CURVE_BUDGET_S * 1e3:.0f} ms)")
    print(f"                     ratio {r['curve_speedup']:.0f}x, max |dW| = {r['curve_max_diff']:.1e}")
    print(f"  map ({r['map_points']} pts) QuTiP loop: {r['map_qutip_per_point_s'] * 1e3:8.3f} ms/pt "
          f"(extrapolated {r['map_qutip_extrapolated_s']:.1f} s)")
    print(f"                     sweep     : {r['map_sweep_s'] / r['map_points'] * 1e6:8.3f} us/pt "
          f"(total {r['map_sweep_s'] * 1e3:.1f} ms; budget {MAP_BUDGET_S * 1e3:.0f} ms)")
    print(f"                     ratio {r['map_speedup']:.0f}x, max |dW| (subsample) = {r['map_max_diff']:.1e}")
    print(f"  exact sector solver N = 10 : {r['exact_N10_s']:.2f} s   "
          f"(|p1 sym - exact| = {r['symmetric_vs_exact_N10']:.1e})")
    print(f"  symmetric solver   N = 100 : {r['symmetric_N100_s']:.3f} s/point "
          f"({r['symmetric_N100_unknowns']} unknowns; first call {r['symmetric_N100_first_s']:.2f} s)")
    print(f"  Fig. 6 curve, 41 pts, N=100: {r['fig6_N100_curve_s']:.2f} s   (budget {BIG_BUDGET_S:.0f} s)")
    print(f"  QuTiP full Liouvillian N = 6: {r['qutip_full_N6_s']:.2f} s per point")
    print(f"  symmetric vs exact, N = 8  : |dW| = {r['symmetric_vs_exact_N8']:.1e}")
    print(f"  overall: {ok}")


if __name__ == "__main__":
    main()
