"""Benchmark: a 200-point beta*W_ext curve of the single-level dot (Kamin et al. 2023, eq. 13).

Times, in one run, (a) scipy.integrate.quad point by point, with a lean scalar integrand
written here from the closed-form lead self-energy (independent of qbcore.negf's quadrature),
and (b) qbcore.negf's vectorised path on the same curve; checks that they agree to 1e-10
and reports PASS/FAIL against the 0.05 s budget for (b).

Run:  .venv/bin/python benchmarks/bench_dot.py
"""
from __future__ import annotations

import math
import statistics
import time

import numpy as np
from scipy.integrate import quad

from qbcore import negf

BUDGET_S = 0.05
TOL = 1e-10
#: The curve: off-resonant-empty level, bias on the left lead, paper's other parameters.
CURVE = dict(eps_qb=0.4, v=0.12, h=1.0, mu_eq=0.1, T_eq=0.1, dmu=(-0.4, 1.0), points=200)


def _fermi(x: float) -> float:
    """1/(e^x + 1) without overflow."""
    return math.exp(-x) / (1.0 + math.exp(-x)) if x > 0 else 1.0 / (1.0 + math.exp(x))


def _xlogx_ratio(p: float, r: float) -> float:
    return p * math.log(p / r) if p > 0.0 else 0.0


def exergy_quad(eps_qb: float, v: float, h: float, mu_L: float, mu_R: float, T: float,
                mu_eq: float, T_eq: float) -> float:
    """beta*W_ext by adaptive quadrature over theta, w = -2h cos(theta) (identical leads, eps_lead = 0)."""

    def integrand(theta: float) -> float:
        w = -2.0 * h * math.cos(theta)
        sigma = -(v * v / h) * complex(math.cos(theta), math.sin(theta))  # per lead: -v^2 e^{ik}/h
        gam = -4.0 * sigma.imag                                         # both leads
        a = gam / (2.0 * math.pi) / ((w - eps_qb - 2.0 * sigma.real) ** 2 + 0.25 * gam * gam)
        f = 0.5 * (_fermi((w - mu_L) / T) + _fermi((w - mu_R) / T))      # symmetric leads
        r = _fermi((w - mu_eq) / T_eq)
        kl = _xlogx_ratio(f, r) + _xlogx_ratio(1.0 - f, 1.0 - r)
        return a * kl * 2.0 * h * math.sin(theta)

    pts = sorted({math.acos(-p / (2.0 * h)) for p in (mu_L, mu_R, eps_qb, mu_eq) if abs(p) < 2.0 * h})
    val, _ = quad(integrand, 0.0, math.pi, points=pts, epsabs=1e-13, epsrel=1e-13, limit=2000)
    return val


def run(repeats: int = 7) -> dict:
    """Time both routes on the same curve; return ``{case: numbers}`` (times in seconds)."""
    c = CURVE
    dmu = np.linspace(*c["dmu"], c["points"])
    mu_L = c["mu_eq"] + dmu
    dot = negf.Dot(eps_qb=c["eps_qb"], v=c["v"], h=c["h"])

    t0 = time.perf_counter()
    ref = np.array([exergy_quad(c["eps_qb"], c["v"], c["h"], m, c["mu_eq"], c["T_eq"], c["mu_eq"], c["T_eq"])
                    for m in mu_L])
    t_quad = time.perf_counter() - t0

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        vec = negf.steady_state(dot, mu_L, c["mu_eq"], c["T_eq"], c["T_eq"]).exergy(c["mu_eq"], c["T_eq"])
        times.append(time.perf_counter() - t0)
    t_vec = statistics.median(times)
    max_diff = float(np.max(np.abs(vec - ref)))
    return {"curve βW_ext(Δμ), 200 pts": {
        "points": int(c["points"]),
        "quad_total_s": t_quad,
        "quad_per_point_s": t_quad / c["points"],
        "vectorised_total_s": t_vec,
        "vectorised_best_s": min(times),
        "vectorised_per_point_s": t_vec / c["points"],
        "speedup": t_quad / t_vec,
        "max_abs_diff": max_diff,
        "agree": max_diff <= TOL,
        "budget_s": BUDGET_S,
        "pass": bool(max_diff <= TOL and t_vec <= BUDGET_S),
    }}


def main() -> None:
    (r,) = run().values()
    print(f"200-point beta*W_ext curve (eps_QB = {CURVE['eps_qb']}, v = {CURVE['v']}, Delta mu in {CURVE['dmu']})")
    print(f"  scipy quad, per point : {r['quad_per_point_s'] * 1e3:9.3f} ms   (total {r['quad_total_s']:.3f} s)")
    print(f"  negf vectorised       : {r['vectorised_per_point_s'] * 1e6:9.3f} us   (total {r['vectorised_total_s'] * 1e3:.2f} ms,"
          f" best {r['vectorised_best_s'] * 1e3:.2f} ms)")
    print(f"  ratio quad/vectorised : {r['speedup']:9.1f}")
    print(f"  max |difference|      : {r['max_abs_diff']:.2e}  ({'agree' if r['agree'] else 'DISAGREE'} at {TOL:g})")
    print(f"  budget {BUDGET_S * 1e3:.0f} ms          : {'PASS' if r['pass'] else 'FAIL'}")


if __name__ == "__main__":
    main()
