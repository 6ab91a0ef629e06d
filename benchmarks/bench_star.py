"""Benchmark: the star-network battery (Kamin, Salimi & Arjmandi 2024) — sweeps and the N = 100 solver.

Times, in one run,

(a) a straightforward QuTiP loop: build H_S and the local collapse operators with ``qutip.tensor`` and
    call ``qutip.steadystate`` per point, battery population -> normalised ergotropy;
(b) ``qbcore.models.star.sweep`` (fixed generator pieces, block elimination batched over the points) on
    the same grid: a 201-point curve W(Delta mu) (Fig. 3 style) and a 101 x 101 map W(mu, Delta mu), N = 3;
(c) beyond QuTiP's reach, against the permutation-symmetric solver point by point (sparse LU): the
    widget's 61-point curve at its largest N = 20 and at N = 30, and the 41-point Fig. 6 curve at N = 100; plus the exact
    excitation-sector solver at N = 10 and QuTiP's full-Liouvillian steadystate at N = 6 for scale.

Agreement is checked to 1e-10 on the normalised ergotropy (QuTiP subsample vs sweep; block elimination vs
sparse LU; symmetric vs exact at N = 8 and 10). The QuTiP loop on the map is timed on a subsample and
extrapolated per point.

Run:  .venv/bin/python benchmarks/bench_star.py
"""
from __future__ import annotations

import math
import time

import numpy as np
import qutip as qt

from _timing import median_time
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


def run(map_subsample: int = 150) -> dict:
    """Time all routes; return one record per case (times in seconds)."""
    out: dict = {}
    # ---- curve: 201 points of W(Delta mu), mu = 0, N = 3
    dmu = np.linspace(0.0, 10.0, 201)
    star.sweep(3, mu=0.0, delta_mu=dmu[:2], **{k: BASE[k] for k in ("T", "J", "gamma", "omega")})  # warm cache
    t_curve, sw = median_time(lambda: star.sweep(3, mu=0.0, delta_mu=dmu, T=1.0, J=1.0, gamma=1.0, omega=1.0), 7)
    t0 = time.perf_counter()
    ref = np.array([_qutip_point(3, 0.0, d, **BASE) for d in dmu])
    per = (time.perf_counter() - t0) / dmu.size
    dev = float(np.max(np.abs(sw.W - ref)))
    out["curve W(Δμ), N = 3, 201 pts"] = dict(
        points=dmu.size, sweep_s=t_curve, qutip_per_point_s=per, speedup=per * dmu.size / t_curve,
        max_d_ergotropy=dev, budget_s=CURVE_BUDGET_S,
        passed=bool(dev <= TOL and t_curve <= CURVE_BUDGET_S and per * dmu.size / t_curve >= SPEEDUP_MIN))
    # ---- map: 101 x 101 W(mu, Delta mu), N = 3
    mu, dm = np.meshgrid(np.linspace(-2.0, 8.0, 101), np.linspace(0.0, 10.0, 101))
    t_map, swm = median_time(lambda: star.sweep(3, mu=mu, delta_mu=dm, T=1.0), repeats=5)
    rng = np.random.default_rng(1)
    idx = rng.choice(mu.size, size=map_subsample, replace=False)
    t0 = time.perf_counter()
    refm = np.array([_qutip_point(3, mu.ravel()[k], dm.ravel()[k], **BASE) for k in idx])
    per = (time.perf_counter() - t0) / map_subsample
    dev = float(np.max(np.abs(swm.W.ravel()[idx] - refm)))
    out["map W(μ, Δμ), N = 3, 101x101"] = dict(
        points=mu.size, sweep_s=t_map, qutip_per_point_s=per, speedup=per * mu.size / t_map,
        max_d_ergotropy=dev, budget_s=MAP_BUDGET_S,
        passed=bool(dev <= TOL and t_map <= MAP_BUDGET_S and per * mu.size / t_map >= SPEEDUP_MIN))
    # ---- beyond QuTiP: block elimination vs the symmetric solver point by point (sparse LU)
    for N, npts, budget in ((20, 61, CURVE_BUDGET_S), (30, 61, None), (100, 41, BIG_BUDGET_S)):
        d = np.linspace(0.0, 8.0 if N == 100 else 10.0, npts)
        star.sweep(N, mu=0.0, delta_mu=d[:2])                                 # build the pieces once
        t_fast, swn = median_time(lambda: star.sweep(N, mu=0.0, delta_mu=d), repeats=3 if N == 100 else 7)
        label = {20: " (widget's largest N)", 30: "", 100: " (Fig. 6)"}[N]
        sub = d[:: max(1, npts // 10)]
        t0 = time.perf_counter()
        refn = np.array([star.battery_ergotropy(star.steady_state(N=N, mu=0.0, delta_mu=x)) for x in sub])
        per = (time.perf_counter() - t0) / sub.size
        dev = float(np.max(np.abs(swn.W[:: max(1, npts // 10)] - refn)))
        name = f"curve W(Δμ), N = {N}, {npts} pts{label}"
        out[name] = dict(points=npts, sweep_s=t_fast, reference_per_point_s=per, speedup=per * npts / t_fast,
                         max_d_ergotropy=dev, budget_s=budget,
                         passed=bool(dev <= TOL and (budget is None or t_fast <= budget)))
    # ---- scale and cross-checks: exact N = 10 and 8, QuTiP's full Liouvillian at N = 6
    t0 = time.perf_counter()
    e10 = star.steady_state(N=10, mu=0.0, delta_mu=3.0, method="sector")
    t_exact = time.perf_counter() - t0
    s10 = star.steady_state(N=10, mu=0.0, delta_mu=3.0, method="symmetric")
    e8 = star.steady_state(N=8, mu=0.3, delta_mu=2.5, method="sector")
    s8 = star.steady_state(N=8, mu=0.3, delta_mu=2.5, method="symmetric")
    dev = max(abs(s10.battery_population - e10.battery_population),
              abs(star.battery_ergotropy(s8) - star.battery_ergotropy(e8)))
    t0 = time.perf_counter()
    _qutip_point(6, 0.0, 3.0, **BASE)
    t_q6 = time.perf_counter() - t0
    t_big, big = median_time(lambda: star.steady_state(N=100, mu=0.0, delta_mu=3.0), repeats=3)
    out["symmetric vs exact sector solver, N = 8, 10"] = dict(
        points=2, sweep_s=None, reference_per_point_s=t_exact, max_d_population=dev, budget_s=None,
        passed=bool(dev <= TOL), qutip_full_N6_s=t_q6, symmetric_N100_point_s=t_big,
        symmetric_N100_unknowns=big.extra["unknowns"])
    return out


def main() -> None:
    res = run()
    print("Star-network battery, omega0 = 10, omega = gamma = J = T = 1")
    for name, r in res.items():
        ref = r.get("qutip_per_point_s", r.get("reference_per_point_s"))
        fast = "–" if r["sweep_s"] is None else f"{r['sweep_s'] * 1e3:.2f} ms"
        ratio = f", speed-up {r['speedup']:,.0f}x" if "speedup" in r else ""
        dev = max(v for k, v in r.items() if k.startswith("max_"))
        print(f"  {name}: qbcore {fast}; reference {ref * 1e3:.2f} ms/pt{ratio}; max dev {dev:.1e} -> "
              f"{'PASS' if r['passed'] else 'FAIL'}")
    x = res["symmetric vs exact sector solver, N = 8, 10"]
    print(f"  exact sector solver N = 10: {x['reference_per_point_s']:.2f} s; QuTiP full Liouvillian N = 6: "
          f"{x['qutip_full_N6_s']:.2f} s; symmetric N = 100: {x['symmetric_N100_point_s']:.3f} s/point "
          f"({x['symmetric_N100_unknowns']} unknowns)")
    print("ALL PASS" if all(r["passed"] for r in res.values()) else "SOME FAILED")


if __name__ == "__main__":
    main()
