"""Benchmark: Ising battery sweep path vs a plain QuTiP loop (not a test).

Run ``python benchmarks/bench_ising.py``. Times, in one run,

(a) a straightforward QuTiP loop — build H and the eigen-operator jumps, ``qutip.steadystate``,
    ergotropy — on a random subsample of the W(T_L, T_R) map, extrapolated per point;
(b) :func:`qbcore.models.ising.sweep` on the full 101 × 101 map and on a 301-point curve
    W(lambda),

checks that both agree on the subsample, and prints PASS/FAIL against the budgets.
"""
from __future__ import annotations

import time

import numpy as np
import qutip

from qbcore import master, thermo
from qbcore.models import ising

MAP_BUDGET_S = 1.0
CURVE_BUDGET_S = 0.1
MIN_SPEEDUP = 50.0


def qutip_point(Ts, omega, lam, kappa=1.0):
    """One steady state the plain way: QuTiP objects built and solved per point."""
    n = len(Ts)
    sz = [qutip.tensor(*[qutip.sigmaz() if k == i else qutip.qeye(2) for k in range(n)]) for i in range(n)]
    H = sum(0.5 * omega * s for s in sz) + sum(0.5 * lam * sz[i] * sz[j] for i in range(n) for j in range(i + 1, n))
    jumps = master.global_jumps(H.full(), ising.bath_couplings(Ts, kappa))
    c_ops = [np.sqrt(j.rate) * qutip.Qobj(j.op, dims=H.dims) for j in jumps]
    rho = qutip.steadystate(H, c_ops).full()
    h = H.full()
    return rho, float(np.real(np.trace(rho @ h))), thermo.ergotropy(rho, h)


def _best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def run(n_grid: int = 101, n_sample: int = 40, seed: int = 0) -> dict:
    """Time both paths and check agreement; returns ``{case: numbers}`` (times in seconds)."""
    T = np.linspace(0.0, 1.0, n_grid)
    TM, lam = 0.75, 0.1
    t_map, sw = _best(lambda: ising.sweep((T[:, None], TM, T[None, :]), 1.0, lam))
    lams = np.linspace(0.0, 3.0, 301)
    t_curve, cv = _best(lambda: ising.sweep((1.0, TM, 0.0), 1.0, lams))

    rng = np.random.default_rng(seed)
    idx = rng.choice(n_grid * n_grid, size=n_sample, replace=False)
    err_W = err_E = err_rho = 0.0
    t0 = time.perf_counter()
    for k in idx:
        i, j = divmod(int(k), n_grid)
        rho, E, W = qutip_point((T[i], TM, T[j]), 1.0, lam)
        err_W = max(err_W, abs(W - sw.ergotropy[i, j]))
        err_E = max(err_E, abs(E - sw.energy[i, j]))
        err_rho = max(err_rho, float(np.abs(rho - np.diag(sw.populations[i, j])).max()))
    t_qutip_pt = (time.perf_counter() - t0) / n_sample
    # the curve crosses lambda = 1/2 (a zero Bohr frequency); check a few of its points too
    cerr = 0.0
    for k in (0, 50, 100, 166, 300):
        _, E, W = qutip_point((1.0, TM, 0.0), 1.0, lams[k])
        cerr = max(cerr, abs(W - cv.ergotropy[k]), abs(E - cv.energy[k]))

    agree = err_W <= 1e-10 and err_E <= 1e-10 and err_rho <= 1e-9
    per_point = t_map / n_grid ** 2
    res = {
        f"map {n_grid}x{n_grid} (T_L, T_R)": dict(
            points=n_grid ** 2, sweep_s=t_map, budget_s=MAP_BUDGET_S, sweep_per_point_s=per_point,
            qutip_per_point_s=t_qutip_pt, qutip_map_extrapolated_s=t_qutip_pt * n_grid ** 2,
            speedup=t_qutip_pt / per_point, max_diff_ergotropy=err_W, max_diff_energy=err_E,
            max_diff_rho=err_rho, n_sample=n_sample, agree=agree,
            passed=bool(agree and t_map <= MAP_BUDGET_S and t_qutip_pt / per_point >= MIN_SPEEDUP)),
        "curve W(lambda), 301 points": dict(
            points=lams.size, sweep_s=t_curve, budget_s=CURVE_BUDGET_S, qutip_per_point_s=t_qutip_pt,
            speedup=t_qutip_pt / (t_curve / lams.size), max_diff_curve=cerr,
            passed=bool(cerr <= 1e-10 and t_curve <= CURVE_BUDGET_S)),
    }
    return res


def main() -> None:
    r = run()
    m, c = r.values()
    ok = lambda b: "PASS" if b else "FAIL"  # noqa: E731
    print(f"QuTiP loop          : {1e3 * m['qutip_per_point_s']:8.2f} ms/point (random subsample of "
          f"{m['n_sample']}; {m['qutip_map_extrapolated_s']:.0f} s extrapolated for the map)")
    print(f"sweep, 101x101 map  : {m['sweep_s']:8.3f} s ({1e6 * m['sweep_per_point_s']:.2f} us/point)  "
          f"[{ok(m['sweep_s'] <= MAP_BUDGET_S)} <= {MAP_BUDGET_S} s]")
    print(f"sweep, 301-pt curve : {c['sweep_s']:8.4f} s  [{ok(c['sweep_s'] <= CURVE_BUDGET_S)} <= {CURVE_BUDGET_S} s]")
    print(f"speed-up per point  : {m['speedup']:8.0f} x  [{ok(m['speedup'] >= MIN_SPEEDUP)} >= {MIN_SPEEDUP:.0f} x]")
    print(f"agreement (map)     : |dW| {m['max_diff_ergotropy']:.1e}, |dE| {m['max_diff_energy']:.1e}, "
          f"|drho| {m['max_diff_rho']:.1e}  [{ok(m['agree'])}]")
    print(f"agreement (curve)   : {c['max_diff_curve']:.1e}  [{ok(c['max_diff_curve'] <= 1e-10)}]")
    print("ALL PASS" if m["passed"] and c["passed"] else "SOME FAILED")


if __name__ == "__main__":
    main()
