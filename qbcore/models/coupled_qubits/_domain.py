"""Reservoir occupations and the admissible domain (validation of single points and grids)."""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit

from ... import _validate as V


_STATS = ("boson", "fermion")

def _bose(w, T):
    w, T = np.broadcast_arrays(np.asarray(w, float), np.asarray(T, float))
    with np.errstate(divide="ignore"):
        x = np.where(T > 0, w / np.where(T > 0, T, 1.0), np.inf)
    return np.exp(-x) / -np.expm1(-x)


def _fermi(w, mu, T):
    w, mu, T = np.broadcast_arrays(np.asarray(w, float), np.asarray(mu, float), np.asarray(T, float))
    hot = T > 0
    cold = np.where(w > mu, np.inf, np.where(w < mu, -np.inf, 0.0))   # T = 0: a step, 1/2 at w = mu
    x = np.where(hot, (w - mu) / np.where(hot, T, 1.0), cold)
    return expit(-x)


def occupations(statistics: str, w: ArrayLike, T: ArrayLike, mu: ArrayLike = 0.0) -> np.ndarray:
    r"""Reservoir occupation :math:`N(\omega)` (Bose or Fermi), vectorised over all arguments.

    Bosons :math:`N = 1/(e^{\omega/T} - 1)`, fermions :math:`N = 1/(e^{(\omega-\mu)/T} + 1)`, evaluated
    without overflow; ``T = 0`` gives the exact limits (0 for bosons, a step with 1/2 at
    :math:`\omega = \mu` for fermions). No range checks beyond ``statistics`` (a fast path).

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    w : array_like
        Mode frequency :math:`\omega` (energy); ``> 0`` for bosons (:math:`N` diverges at 0).
    T : array_like
        Temperature (energy), ``>= 0``.
    mu : array_like, optional
        Chemical potential (energy), used for fermions only (default 0).

    Returns
    -------
    ndarray
        :math:`N(\omega)`, broadcast shape of the arguments; in ``[0, 1]`` for fermions.

    Raises
    ------
    ValueError
        If ``statistics`` is not ``"boson"`` or ``"fermion"``.
    """
    V.choice(statistics, "statistics", _STATS)
    return _bose(w, T) if statistics == "boson" else _fermi(w, mu, T)

_KEYS = ("omega1", "omega2", "lam", "T1", "T2", "mu1", "mu2", "J")
_DEFAULTS = dict(omega1=10.0, omega2=10.0, lam=2.0, T1=1.0, T2=1.0, mu1=0.0, mu2=0.0, J=1.0)

#: Admissible domain (module docstring): largest ratio of a generator scale (omega1 + omega2, or a
#: thermal rate 2J(1 + 2N)) to J; kernel decisions in qbcore.master use 1e-12, so 1e9 leaves 1e3 spare.
_MAX_SCALE = 1e9
#: omega_- must be at least this times max(1, omega1 + omega2): ten times qbcore.master's Bohr tolerance.
_MIN_BOHR = 1e-8
#: Largest boson occupation N(omega_-) in the domain: 2J(1 + 2N) <= _MAX_SCALE * J.
_MAX_OCC = 0.5 * (0.5 * _MAX_SCALE - 1.0)


def _check_domain(statistics: str, g: dict[str, np.ndarray]) -> None:
    """Raise ValueError unless every point of the broadcast grid ``g`` lies in the admissible domain.

    ``g`` holds validated float arrays of one shape (as :func:`_grid` returns them). For a grid the
    message reports the worst point.
    """
    w1, w2, lam, J = (np.ravel(g[k]) for k in ("omega1", "omega2", "lam", "J"))
    where = "" if np.ndim(g["omega1"]) == 0 else " everywhere (worst grid point reported)"
    d = w1 + w2
    excess = d / (_MAX_SCALE * J)
    if np.any(excess > 1.0):
        k = int(np.argmax(excess))
        raise ValueError(
            f"omega1 + omega2 must be <= {_MAX_SCALE:.0e} * J{where}: frequencies more than {_MAX_SCALE:.0e} "
            "times the reservoir coupling J make the generator too stiff for double precision (the error of its "
            "steady state grows like 1e-16 (omega1 + omega2)/J, and its kernel turns numerically degenerate); "
            f"got omega1={w1[k]:.6g}, omega2={w2[k]:.6g}, J={J[k]:.6g} "
            f"(omega1 + omega2 = {d[k]:.6g}, limit {_MAX_SCALE * J[k]:.6g})")
    # omega_- = (delta - Omega)/2 without the cancellation near lam -> 2 sqrt(omega1 omega2)
    wm = (4.0 * w1 * w2 - lam * lam) / (2.0 * (d + np.hypot(w1 - w2, lam)))
    wmin = _MIN_BOHR * np.maximum(1.0, d)
    if np.any(wm < wmin):
        k = int(np.argmin(wm / wmin))
        if min(w1[k], w2[k]) <= wmin[k]:          # omega_- <= min(omega1, omega2): no lam helps
            raise ValueError(
                f"min(omega1, omega2) must exceed {_MIN_BOHR:.0e} * max(1, omega1 + omega2) = {wmin[k]:.3g}{where}: "
                "the lower Bohr frequency omega_- <= min(omega1, omega2) must be resolvable by the generator "
                f"(qbcore.master treats smaller Bohr frequencies as zero); got omega1={w1[k]:.6g}, omega2={w2[k]:.6g}")
        lam_res = 2.0 * np.sqrt(w1[k] * w2[k] - wmin[k] * (d[k] - wmin[k]))
        raise ValueError(
            f"lam must lie in (0, {lam_res:.10g}]{where} for omega1={w1[k]:.6g}, omega2={w2[k]:.6g}: the lower Bohr "
            f"frequency omega_- = (delta - Omega)/2 must be >= {_MIN_BOHR:.0e} * max(1, omega1 + omega2) = "
            f"{wmin[k]:.3g} (the paper's rotating-wave condition omega_- > 0 at the resolution of the generator); "
            f"got lam={lam[k]:.10g}, omega_- = {wm[k]:.3g}")
    if statistics == "boson":
        Tmax = wm / np.log1p(1.0 / _MAX_OCC)        # N(omega_-, Tmax) = _MAX_OCC
        for name in ("T1", "T2"):
            T = np.ravel(g[name])
            if np.any(T > Tmax):
                k = int(np.argmax(T / Tmax))
                raise ValueError(
                    f"{name} must lie in [0, {Tmax[k]:.6g}]{where} for boson reservoirs with omega_- = {wm[k]:.6g}: "
                    f"above it the occupation N(omega_-) exceeds {_MAX_OCC:.3g} and the thermal rates 2J(1 + 2N) "
                    f"exceed {_MAX_SCALE:.0e} J, more than every Bohr frequency of the system, so the weak-coupling "
                    "(Born-Markov) master equation does not apply and emission and absorption rates agree to "
                    f"round-off; got {name}={T[k]:.6g}")


def _grid(statistics: str, kw: dict) -> dict[str, np.ndarray]:
    """Broadcast and validate array parameters (rules of :func:`params`, then the admissible domain)."""
    unknown = set(kw) - set(_KEYS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; expected {_KEYS} and statistics")
    V.choice(statistics, "statistics", _STATS)
    vals = {k: V.real_array(kw.get(k, _DEFAULTS[k]), k) for k in _KEYS}
    g = dict(zip(_KEYS, np.broadcast_arrays(*vals.values())))
    for k in ("omega1", "omega2", "J"):
        if np.any(g[k] <= 0):
            raise ValueError(f"{k} must be > 0 everywhere; smallest value {g[k].min()}")
    for k in ("T1", "T2"):
        if np.any(g[k] < 0):
            raise ValueError(f"{k} must be >= 0 everywhere; smallest value {g[k].min()}")
    lmax = 2.0 * np.sqrt(g["omega1"] * g["omega2"])
    if np.any(g["lam"] <= 0) or np.any(g["lam"] >= lmax):
        raise ValueError("lam must lie in (0, 2*sqrt(omega1*omega2)) everywhere (eigenvalue ordering "
                         f"of the paper); got lam in [{g['lam'].min()}, {g['lam'].max()}]")
    if statistics == "boson" and (np.any(g["mu1"] != 0) or np.any(g["mu2"] != 0)):
        raise ValueError("mu1 and mu2 must be 0 for boson reservoirs")
    out = {k: np.array(v, dtype=float) for k, v in g.items()}
    _check_domain(statistics, out)
    return out
