"""Benchmark: (Delta, Delta T) maps of the XXZ spin-chain battery (Mojaveri et al. 2024).

Times, in one run, (a) a straightforward QuTiP loop — build the Hamiltonian and the eigen-operator
collapse operators with QuTiP, then ``qutip.steadystate`` — on a random subsample of the grid
(extrapolated per point), and (b) ``spin_chain.delta_dT_map`` (batched sector eigh + rate
equation) on the full 101 x 101 grid, for two and three spins, plus a 101-point curve. Checks that
energy and ergotropy agree to 1e-10 and the density matrices to 1e-8 on the subsample and
prints PASS/FAIL against the budgets (curve <= 0.1 s, map <= 1 s, >= 50x faster per point).

Run:  .venv/bin/python benchmarks/bench_spin_chain.py
"""
from __future__ import annotations

import time

import numpy as np
import qutip as qt

from _timing import median_time
from qbcore import thermo
from qbcore.models import spin_chain as sc

MAP_BUDGET_S, CURVE_BUDGET_S, MIN_SPEEDUP = 1.0, 0.1, 50.0
TOL, RHO_TOL = 1e-10, 1e-8
CASES = [dict(n=2, B0=2.0, J=1.0, T_M=2.0, eps=1), dict(n=3, B0=5.0, J=1.0, T_M=2.0, eps=1)]
N_GRID, N_SAMPLE = 101, 40
#: The secular steady state does not depend on kappa; kappa = 1 keeps qutip.steadystate's
#: sparse solve well conditioned (with kappa = 0.01 it loses ~1e-10 against the H scale).
KAPPA = 1.0


def qutip_point(n: int, B0: float, J: float, Delta: float, T_L: float, T_R: float, eps: int) -> qt.Qobj:
    """One steady state the plain QuTiP way (collective left coupling sigma_x1 + eps sigma_xN)."""
    sx = [qt.tensor([qt.sigmax() if k == i else qt.qeye(2) for k in range(n)]) for i in range(n)]
    sy = [qt.tensor([qt.sigmay() if k == i else qt.qeye(2) for k in range(n)]) for i in range(n)]
    sz = [qt.tensor([qt.sigmaz() if k == i else qt.qeye(2) for k in range(n)]) for i in range(n)]
    H = 0.5 * (B0 * sum(sz) + sum(J * sx[i] * sx[i + 1] + J * sy[i] * sy[i + 1] + Delta * sz[i] * sz[i + 1]
                                  for i in range(n - 1)))
    E, kets = H.eigenstates()
    c_ops = []
    for X, T in ((sx[0] + eps * sx[-1], T_L), (sx[-1], T_R)):
        groups: dict[float, tuple[float, qt.Qobj]] = {}
        for i, ki in enumerate(kets):
            for j, kj in enumerate(kets):
                w = E[j] - E[i]                                   # |j> -> |i> lowers by w
                x = X.matrix_element(ki.dag(), kj)
                if w > 1e-9 and abs(x) > 1e-12:
                    key = round(w, 7)                             # group equal Bohr frequencies ...
                    w0, A = groups.get(key, (w, 0 * H))           # ... but keep an exact one for the rate
                    groups[key] = (w0, A + x * ki * kj.dag())
        for w, A in groups.values():
            n_b = 1.0 / np.expm1(w / T) if T > 0 else 0.0
            c_ops.append(np.sqrt(KAPPA * w * (1 + n_b)) * A)
            if n_b > 0:
                c_ops.append(np.sqrt(KAPPA * w * n_b) * A.dag())
    return qt.steadystate(H, c_ops)


def run(seed: int = 1) -> dict:
    """Time both routes; return the numbers (times in seconds)."""
    rng = np.random.default_rng(seed)
    res: dict = {}
    for c in CASES:
        n = c["n"]
        t_map, (D, dT, sw) = median_time(lambda: sc.delta_dT_map(n, c["B0"], c["J"], c["T_M"], c["eps"], True,
                                                           n_delta=N_GRID, n_dT=N_GRID, kappa=KAPPA))
        # avoid the exact level crossings (the plain loop has no zero-frequency treatment)
        idx = [(i, j) for i, j in zip(rng.integers(0, N_GRID, N_SAMPLE), rng.integers(1, N_GRID - 1, N_SAMPLE))]
        t0 = time.perf_counter()
        rhos = [qutip_point(n, c["B0"], c["J"], D[j], sw.params["T_L"][i, 0], sw.params["T_R"][i, 0], c["eps"])
                for i, j in idx]
        t_q = (time.perf_counter() - t0) / N_SAMPLE
        H = [sc.hamiltonian(n, c["B0"], c["J"], D[j]) for _, j in idx]
        d_e = max(abs(np.trace(r.full() @ h).real - sw.energy[i, j]) for r, h, (i, j) in zip(rhos, H, idx))
        d_w = max(abs(thermo.ergotropy(r.full(), h) - sw.ergotropy[i, j]) for r, h, (i, j) in zip(rhos, H, idx))
        d_r = 0.0
        for r, (i, j) in zip(rhos, idx):
            _, U, _ = sc.eigenbasis(n, c["B0"], c["J"], D[j])
            d_r = max(d_r, float(np.abs(r.full() - (U * sw.populations[i, j]) @ U.T).max()))
        t_curve, _ = median_time(lambda: sc.sweep(n, c["B0"], c["J"], np.linspace(-1, 1, N_GRID), 3.0, 1.0, c["eps"],
                                                 kappa=KAPPA))
        per_point = t_map / N_GRID ** 2
        ok = max(d_e, d_w) <= TOL and d_r <= RHO_TOL
        res[f"map (Δ, ΔT), {n} spins, {N_GRID}x{N_GRID}"] = dict(
            points=N_GRID ** 2, sweep_s=t_map, budget_s=MAP_BUDGET_S, map_s=t_map, map_per_point_s=per_point, curve_s=t_curve, qutip_per_point_s=t_q,
            qutip_map_extrapolated_s=t_q * N_GRID ** 2, speedup=t_q / per_point, max_diff_energy=d_e,
            max_diff_ergotropy=d_w, max_diff_rho=d_r, unique=bool(sw.unique.all()), agree=ok,
            passed=bool(ok and t_map <= MAP_BUDGET_S and t_curve <= CURVE_BUDGET_S and t_q / per_point >= MIN_SPEEDUP))
    return res


def main() -> None:
    r = run()
    for key, v in r.items():
        print(f"{key}: T_M = 2, eps = 1 (QuTiP on {N_SAMPLE} random points)")
        print(f"  QuTiP loop, per point : {v['qutip_per_point_s'] * 1e3:9.3f} ms   (map extrapolated {v['qutip_map_extrapolated_s']:.1f} s)")
        print(f"  sweep, per point      : {v['map_per_point_s'] * 1e6:9.3f} us   (map {v['map_s']:.3f} s, budget {MAP_BUDGET_S} s)")
        print(f"  101-point curve       : {v['curve_s'] * 1e3:9.3f} ms   (budget {CURVE_BUDGET_S * 1e3:.0f} ms)")
        print(f"  ratio QuTiP/sweep     : {v['speedup']:9.0f}   (need >= {MIN_SPEEDUP:.0f})")
        print(f"  max |diff| E, W, rho  : {v['max_diff_energy']:.1e}, {v['max_diff_ergotropy']:.1e}, {v['max_diff_rho']:.1e}"
              f"  ({'agree' if v['agree'] else 'DISAGREE'}); unique everywhere: {v['unique']}")
        print(f"  {'PASS' if v['passed'] else 'FAIL'}")


if __name__ == "__main__":
    main()
