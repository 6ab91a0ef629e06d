"""Benchmark: coupled-qubit Redfield steady states, QuTiP loop vs the vectorised sweep.

(a) straightforward QuTiP: per point, build H and the Bloch–Redfield cross terms
    (``qutip.brcrossterm``) and call ``qutip.steadystate``; timed on a subsample and extrapolated;
(b) ``coupled_qubits.sweep`` on the whole grid (batched 6×6 sector of the 16×16 generators).

Checks agreement (energy and ergotropy to 1e-10, states to 1e-10) on the subsample and prints
PASS/FAIL against the budgets: 200-point curve <= 0.1 s, 101×101 map <= 1 s, >= 50× faster.
Run: ``.venv/bin/python benchmarks/bench_coupled_qubits.py``.
"""
from __future__ import annotations

import time

import numpy as np
import qutip as qt

from qbcore.models import coupled_qubits as cq
from qbcore.thermo import batch_ergotropy

BUDGET_CURVE = 0.1
BUDGET_MAP = 1.0
MIN_SPEEDUP = 50.0
DIMS = [[2, 2], [2, 2]]


def _rate_functions(statistics: str, T: float, mu: float, J: float):
    """Single-argument emission / absorption rate functions (core convention, 2J)."""
    def occ(w: float) -> float:
        if statistics == "boson":
            return 1.0 / np.expm1(w / T) if T > 0 else 0.0
        return 1.0 / (np.exp((w - mu) / T) + 1.0)

    sign = 1.0 if statistics == "boson" else -1.0

    def emit(w):
        return 0.0 if (statistics == "boson" and w <= 0) else float(2 * J * (1 + sign * occ(w)))

    def absorb_at_minus(w):
        return 0.0 if (statistics == "boson" and -w <= 0) else float(2 * J * occ(-w))

    return emit, absorb_at_minus


def qutip_point(statistics: str, secular: bool = False, **kw) -> tuple[float, float, np.ndarray]:
    """One point the straightforward way: QuTiP objects, Redfield tensor, qutip.steadystate."""
    p = cq.params(statistics=statistics, **kw)
    H = qt.Qobj(cq.hamiltonian(p.omega1, p.omega2, p.lam), dims=DIMS)
    L = qt.liouvillian(H)
    cut = 0.1 if secular else -1
    for i, (T, mu) in enumerate(((p.T1, p.mu1), (p.T2, p.mu2))):
        S = qt.tensor(*[qt.sigmam() if j == i else qt.qeye(2) for j in range(2)])
        emit, absorb = _rate_functions(statistics, T, mu, p.J)
        L = L + qt.brcrossterm(H, S, S.dag(), absorb, cut, fock_basis=True)
        L = L + qt.brcrossterm(H, S.dag(), S, emit, cut, fock_basis=True)
    rho = qt.steadystate(L).full()
    E, U = np.linalg.eigh(H.full())
    en, W = batch_ergotropy(U.conj().T @ rho @ U, E)
    return float(en), float(W), rho


def _grids() -> dict[str, tuple[str, dict]]:
    x = np.linspace(0.0, 10.0, 200)
    D = np.linspace(-10, 10, 101)[:, None]
    dT = np.linspace(-5.9, 5.9, 101)[None, :]
    dmu = np.linspace(-16, 16, 101)[None, :]
    return {
        "curve boson (Fig. 5, 200 pts)": ("boson", dict(T1=1.0, T2=1.0 + x, lam=2.0)),
        "curve fermion (Fig. 6, 200 pts)": ("fermion", dict(T1=1.0, T2=1.0, mu1=8.0, mu2=8.0 + x, lam=2.0)),
        "map boson (Fig. 7a, 101x101)": ("boson", dict(T1=3 - dT / 2, T2=3 + dT / 2, lam=6.0,
                                                        omega1=10 + D / 2, omega2=10 - D / 2)),
        "map fermion (Fig. 7b, 101x101)": ("fermion", dict(T1=1.5, T2=1.5, mu1=4 - dmu / 2, mu2=4 + dmu / 2,
                                                            lam=6.0, omega1=10 + D / 2, omega2=10 - D / 2)),
    }


def run(n_sample: int = 25, repeats: int = 3) -> dict:
    """Time both routes on each grid; return the numbers (per-point times, ratios, PASS flags)."""
    out = {}
    rng = np.random.default_rng(0)
    for name, (stats, kw) in _grids().items():
        arrays = {k: np.asarray(v, float) for k, v in kw.items()}
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
        full = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
        n = int(np.prod(shape))
        best = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = cq.sweep(statistics=stats, **kw)
            best = min(best, time.perf_counter() - t0)
        idx = rng.choice(n, size=min(n_sample, n), replace=False)
        t0 = time.perf_counter()
        ref = [qutip_point(stats, **{k: float(v[i]) for k, v in full.items()}) for i in idx]
        t_q = (time.perf_counter() - t0) / len(idx)
        en, W = res.energy.ravel()[idx], res.ergotropy.ravel()[idx]
        d_en = max(abs(en[j] - ref[j][0]) for j in range(len(idx)))
        d_W = max(abs(W[j] - ref[j][1]) for j in range(len(idx)))
        d_rho = 0.0
        for j, i in enumerate(idx):
            pt = {k: float(v[i]) for k, v in full.items()}
            _, U = cq.eigenbasis(pt.get("omega1", 10.0), pt.get("omega2", 10.0), pt["lam"])
            d_rho = max(d_rho, float(np.abs(U @ res.rho_eps.reshape(-1, 4, 4)[i] @ U.T - ref[j][2]).max()))
        budget = BUDGET_CURVE if name.startswith("curve") else BUDGET_MAP
        speedup = t_q * n / best
        ok = best <= budget and speedup >= MIN_SPEEDUP and d_en <= 1e-10 and d_W <= 1e-10 and d_rho <= 1e-10
        out[name] = dict(points=n, sweep_s=best, sweep_per_point_s=best / n, qutip_per_point_s=t_q,
                         qutip_extrapolated_s=t_q * n, speedup=speedup, max_d_energy=d_en, max_d_ergotropy=d_W,
                         max_d_rho=d_rho, non_positive_fraction=float(np.mean(~res.is_positive)),
                         budget_s=budget, passed=bool(ok))
    return out


def main() -> None:
    res = run()
    for name, r in res.items():
        print(f"{name}: sweep {r['sweep_s'] * 1e3:.1f} ms ({r['sweep_per_point_s'] * 1e6:.2f} us/pt), "
              f"QuTiP {r['qutip_per_point_s'] * 1e3:.2f} ms/pt (extrapolated {r['qutip_extrapolated_s']:.1f} s), "
              f"speed-up {r['speedup']:.0f}x, |dU| {r['max_d_energy']:.1e}, |dW| {r['max_d_ergotropy']:.1e}, "
              f"|drho| {r['max_d_rho']:.1e}, non-positive {100 * r['non_positive_fraction']:.1f}% -> "
              f"{'PASS' if r['passed'] else 'FAIL'} (budget {r['budget_s']} s, >= {MIN_SPEEDUP:.0f}x)")
    print("ALL PASS" if all(r["passed"] for r in res.values()) else "SOME FAILED")


if __name__ == "__main__":
    main()
