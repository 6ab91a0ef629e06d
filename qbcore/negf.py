r"""A single-level quantum dot between two semi-infinite tight-binding leads (NEGF / Landauer).

Model (units :math:`\hbar = k_B = e = 1`), following Kamin, Abuali, Ness and Salimi,
J. Phys. A 56, 275302 (2023):

.. math::

    H = \varepsilon_{QB}\, d^\dagger d
      + \sum_{\alpha=L,R}\sum_{k\ge 0}\Big[\varepsilon_\alpha c^\dagger_{\alpha k} c_{\alpha k}
      - h_\alpha\,(c^\dagger_{\alpha,k} c_{\alpha,k+1} + \mathrm{h.c.})\Big]
      - \sum_\alpha v_\alpha\,(c^\dagger_{\alpha 0} d + d^\dagger c_{\alpha 0}),

each lead initially in equilibrium at :math:`(\mu_\alpha, T_\alpha)`.

Lead surface Green function
    :math:`g_\alpha(\omega) = 1/(\omega - \varepsilon_\alpha - h_\alpha^2 g_\alpha(\omega))`, whose
    retarded solution (the root with :math:`|h_\alpha g_\alpha| \le 1`, i.e. decaying into the
    lead, and :math:`\mathrm{Im}\, g_\alpha \le 0`) is, with :math:`z = \omega - \varepsilon_\alpha`,

    * inside the band :math:`|z| < 2h`: :math:`g = \big(z - i\sqrt{4h^2 - z^2}\big)/(2h^2)
      = -e^{ik}/h` where :math:`\omega = \varepsilon_\alpha - 2h\cos k`, :math:`k\in(0,\pi)`;
    * outside the band: :math:`g = \big(z - \mathrm{sgn}(z)\sqrt{z^2 - 4h^2}\big)/(2h^2)`, real,
      :math:`|g| < 1/h`.

    The self-energy is :math:`\Sigma_\alpha = v_\alpha^2 g_\alpha` and the broadening
    :math:`\Gamma_\alpha = -2\,\mathrm{Im}\,\Sigma_\alpha = (v_\alpha^2/h_\alpha^2)\sqrt{4h_\alpha^2 - z^2}`.

Dot Green function, spectral function, transmission
    :math:`G = 1/(\omega - \varepsilon_{QB} - \Sigma_L - \Sigma_R)`,
    :math:`A = -\mathrm{Im}\,G/\pi = \Gamma |G|^2/(2\pi)` (continuum part),
    :math:`\tau = \Gamma_L \Gamma_R |G|^2 \le 1`.

Bound states
    Outside the union of the two bands :math:`F(\omega) = \omega - \varepsilon_{QB} - \Sigma(\omega)`
    is real and strictly increasing (:math:`\Sigma' < 0` there), so each interval outside the
    bands holds at most one pole of :math:`G`, with weight :math:`Z = 1/(1 - \Sigma'(\omega_b))`.
    The sum rule reads :math:`\int A\, d\omega + \sum_b Z_b = 1`. A bound state carries no
    current, and in a *strictly non-equilibrium* steady state its occupation is not fixed by the
    reservoirs: it remembers the initial state (it is a normalisable eigenstate of the full
    Hamiltonian). Treatment here: at equilibrium (:math:`\mu_L=\mu_R`, :math:`T_L=T_R`) a bound
    state is occupied thermally; out of equilibrium, quantities that need its occupation
    (occupation, energy, entropy, exergy) raise ``ValueError`` unless the caller supplies
    ``bound_occupation``. The paper's parameters (:math:`h = 1`, :math:`v = 0.12`,
    :math:`|\varepsilon_{QB}| < 2 - 2v^2/h`) have no bound state.

Steady state (non-interacting, so exact)
    :math:`f^{NE} = (\Gamma_L f_L + \Gamma_R f_R)/(\Gamma_L+\Gamma_R)`;
    :math:`I_Q = \frac{1}{2\pi}\int \tau (f_L - f_R)`, :math:`J_E = \frac{1}{2\pi}\int \omega\tau(f_L - f_R)`
    (both positive from left to right); heat :math:`J_H^\alpha = J_E - \mu_\alpha I_Q`;
    occupation, energy, entropy and exergy are eqs. (10)-(13) of the paper.

Numerics
    Every integral over the continuum uses fixed Gauss–Legendre rules (16 nodes) after the
    substitution :math:`\omega = c - r\cos\theta` on each sub-interval between break points:
    the band edges, a geometric grading around each Fermi level on the scale :math:`T_\alpha`,
    and a geometric grading around the renormalised resonance
    :math:`\tilde\varepsilon = \varepsilon_{QB} + \mathrm{Re}\,\Sigma(\tilde\varepsilon)` on the scale
    of its local half-width. The substitution makes the square-root band-edge behaviour
    analytic, and a break point that falls just short of a band edge is moved onto it, so the
    rule converges exponentially: the absolute error is about :math:`10^{-11}` or less, also
    for resonances pinned next to a band edge (checked against adaptive quadrature in
    ``tests/test_negf.py``). All nodes for a whole parameter sweep are built at once, so sweeps
    are vectorised (a 200-point exergy curve takes milliseconds; see benchmarks/bench_dot.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import expit, xlogy

from . import _validate as V
from .baths import fermi

__all__ = [
    "LEADS", "surface_green", "surface_green_derivative", "decimation_surface_green", "printed_self_energy",
    "binary_entropy", "bernoulli_relative_entropy", "BoundState", "Dot", "NESS", "steady_state",
    "optimal_level",
]

#: Lead names accepted everywhere a lead is selected.
LEADS: tuple[str, str] = ("L", "R")

#: Gauss–Legendre nodes per sub-interval (after the cosine substitution).
N_NODES = 16
#: Grading of break points around a Fermi level, in units of the temperature.
_FERMI_GRADING = np.array([0.0, -1.0, 1.0, -3.0, 3.0, -9.0, 9.0, -27.0, 27.0])
#: Grading of break points around the resonance, in units of its local half-width (x4 steps
#: reach across the band even for a resonance pinned near a band edge).
_LEVEL_GRADING = np.concatenate([[0.0], np.outer([-1.0, 1.0], 0.5 * 4.0 ** np.arange(9)).T.ravel()])


# ----------------------------------------------------------------------------- lead functions
def surface_green(w: Any, eps: float, h: float) -> np.ndarray:
    r"""Retarded surface Green function of a semi-infinite chain, :math:`g(\omega + i0^+)`.

    Parameters
    ----------
    w : float or array_like
        Real energies.
    eps : float
        On-site energy (band centre) of the chain.
    h : float
        Hopping, ``h > 0``; the band is :math:`[\varepsilon - 2h, \varepsilon + 2h]`.

    Returns
    -------
    complex or ndarray
        :math:`g = 2/(z + q)` with :math:`z = \omega - \varepsilon`, :math:`q = i\sqrt{4h^2 - z^2}`
        inside the band and :math:`q = \mathrm{sgn}(z)\sqrt{z^2 - 4h^2}` outside. This is the
        causal root of :math:`h^2 g^2 - z g + 1 = 0` (:math:`\mathrm{Im}\,g \le 0`,
        :math:`|h g| \le 1`), written in the cancellation-free form.
    """
    eps = V.real_number(eps, "eps")
    h = V.real_number(h, "h", lo=0.0, lo_open=True)
    g = _surface_green(V.real_array(w, "w"), eps, h)
    return g if g.ndim else complex(g)


def _surface_green(w: np.ndarray, eps: float, h: float) -> np.ndarray:
    """:func:`surface_green` without input checks (hot path)."""
    z = w - eps
    inside = np.abs(z) < 2.0 * h
    root = np.sqrt(np.abs(z * z - 4.0 * h * h))
    q = np.where(inside, 1j * root, np.where(z >= 0.0, 1.0, -1.0) * root)
    return 2.0 / (z + q)


def _surface_green_parts(w: np.ndarray, eps: float, h: float) -> tuple[np.ndarray, np.ndarray]:
    """``(Re g, Im g)`` of :func:`surface_green` in real arithmetic (hot path)."""
    z = w - eps
    inside = np.abs(z) < 2.0 * h
    root = np.sqrt(np.abs(z * z - 4.0 * h * h))
    with np.errstate(divide="ignore", invalid="ignore"):
        outside = 2.0 / (z + np.where(z >= 0.0, root, -root))
    return np.where(inside, z / (2.0 * h * h), outside), np.where(inside, -root / (2.0 * h * h), 0.0)


def surface_green_derivative(w: Any, eps: float, h: float) -> np.ndarray:
    r"""Energy derivative :math:`dg/d\omega = -g^2/(1 - h^2 g^2)` of :func:`surface_green`.

    Finite outside the band (where it is negative) and inside it; diverges at the band edges.
    """
    g = np.asarray(surface_green(w, eps, h))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = -g * g / (1.0 - h * h * g * g)
    return d if d.ndim else complex(d)


def decimation_surface_green(w: float, eps: float, h: float, eta: float = 1e-9, tol: float = 1e-15) -> complex:
    r"""Surface Green function :math:`g(\omega + i\eta)` by Sancho–Rubio decimation (a numerical check).

    Independent of :func:`surface_green`: the chain is renormalised by repeatedly eliminating
    every other site, doubling the effective length per step, until the couplings vanish.
    Accurate to ``O(eta)``; ill-conditioned exactly at ``w = eps`` (use a nearby energy).

    Parameters
    ----------
    w : float
        Real energy.
    eps, h : float
        Band centre and hopping (``h > 0``).
    eta : float
        Broadening, ``eta > 0``.
    tol : float
        Stop when the renormalised couplings fall below ``tol``.
    """
    w = V.real_number(w, "w")
    eps = V.real_number(eps, "eps")
    h = V.real_number(h, "h", lo=0.0, lo_open=True)
    eta = V.real_number(eta, "eta", lo=0.0, lo_open=True)
    z = complex(w, eta)
    e_surf, e_bulk, a, b = complex(eps), complex(eps), complex(-h), complex(-h)
    for _ in range(500):
        g = 1.0 / (z - e_bulk)
        e_surf += a * g * b
        e_bulk += a * g * b + b * g * a
        a, b = a * g * a, b * g * b
        if abs(a) + abs(b) < tol:
            break
    return 1.0 / (z - e_surf)


def printed_self_energy(w: Any, eps: float, h: float, v: float) -> np.ndarray:
    r"""The self-energy *as printed* in the paper, for comparison only (inside the band).

    The paper prints :math:`\Sigma^r = v^2 e^{-ik}/h` together with the dispersion
    :math:`\omega = \varepsilon - 2h\cos k`. Taking :math:`k \in [0, \pi]` (so that
    :math:`\mathrm{Im}\,\Sigma \le 0`) this gives :math:`\mathrm{Re}\,\Sigma = -v^2 (\omega - \varepsilon)/(2h^2)`,
    the *opposite* sign of the causal result :math:`v^2 (\omega - \varepsilon)/(2h^2)`.
    Not used by any calculation in :mod:`qbcore`.

    Parameters
    ----------
    w : array_like
        Energies inside the band, :math:`|\omega - \varepsilon| \le 2h`.
    eps, h, v : float
        Band centre, hopping (> 0), tunnelling amplitude.
    """
    eps = V.real_number(eps, "eps")
    h = V.real_number(h, "h", lo=0.0, lo_open=True)
    v = V.real_number(v, "v")
    z = V.real_array(w, "w") - eps
    if np.any(np.abs(z) > 2.0 * h):
        raise ValueError(f"w must lie inside the band [eps - 2h, eps + 2h] = [{eps - 2 * h}, {eps + 2 * h}]")
    k = np.arccos(-z / (2.0 * h))
    out = v * v * np.exp(-1j * k) / h
    return out if out.ndim else complex(out)


# ----------------------------------------------------------------------------- binary information
def binary_entropy(p: Any, q: Any | None = None) -> np.ndarray:
    r"""Binary entropy :math:`-p\ln p - q\ln q` with :math:`q = 1 - p` (pass ``q`` for accuracy near 1)."""
    p = np.asarray(p, dtype=float)
    q = 1.0 - p if q is None else np.asarray(q, dtype=float)
    return -xlogy(p, p) - xlogy(q, q)


def bernoulli_relative_entropy(p: Any, q: Any, log_r: Any, log_s: Any) -> np.ndarray:
    r"""Relative entropy :math:`p\ln(p/r) + q\ln(q/s)` of Bernoulli distributions from logarithms.

    Parameters
    ----------
    p, q : array_like
        Occupation and its complement (:math:`q = 1 - p`, passed separately for accuracy).
    log_r, log_s : array_like
        :math:`\ln r` and :math:`\ln s = \ln(1 - r)` of the reference occupation ``r``.
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    return xlogy(p, p) - p * log_r + xlogy(q, q) - q * log_s


def _log_fermi(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ln f, ln(1-f))`` of the Fermi function for ``T > 0``, without overflow."""
    x = (w - mu) / T
    log_f = -np.logaddexp(0.0, x)
    return log_f, log_f + x  # ln(1 - f) = ln f + x exactly


def _fermi_pair(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(f, 1-f)`` each accurate in its own tail (``T = 0`` allowed per element)."""
    T = np.asarray(T, dtype=float)
    if np.all(T > 0.0):
        x = (w - mu) / T
        return expit(-x), expit(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (w - mu) / np.where(T > 0.0, T, 1.0)
    step = np.where(w < mu, 1.0, np.where(w > mu, 0.0, 0.5))
    f = np.where(T > 0.0, expit(-x), step)
    g = np.where(T > 0.0, expit(x), 1.0 - step)
    return f, g


# ----------------------------------------------------------------------------- the dot
@dataclass(frozen=True)
class BoundState:
    """A pole of the dot Green function outside the lead bands.

    Attributes
    ----------
    energy : float
        Pole position :math:`\\omega_b`.
    weight : float
        Spectral weight :math:`Z = 1/(1 - \\Sigma'(\\omega_b))`, in ``(0, 1)``.
    """

    energy: float
    weight: float


class Dot:
    r"""A single level between two semi-infinite tight-binding leads.

    Parameters
    ----------
    eps_qb : float
        Level energy :math:`\varepsilon_{QB}`.
    v : float
        Tunnelling amplitude for both leads, ``v > 0`` (default 0.12, the paper's).
    h : float
        Lead hopping for both leads, ``h > 0``.
    eps_lead : float
        Lead band centre for both leads.
    v_L, v_R, h_L, h_R, eps_L, eps_R : float, optional
        Per-lead values overriding ``v``, ``h``, ``eps_lead``.

    Raises
    ------
    ValueError
        For non-finite values, ``v <= 0`` or ``h <= 0``.

    Examples
    --------
    >>> dot = Dot(eps_qb=0.4, v=0.12, h=1.0)
    >>> round(float(dot.transmission(0.4)), 4)   # just below the peak at 0.4 + Re Sigma
    0.96
    >>> dot.bound_states()                         # none in the paper's regime
    []
    """

    def __init__(self, eps_qb: float = 0.0, v: float = 0.12, h: float = 1.0, eps_lead: float = 0.0, *,
                 v_L: float | None = None, v_R: float | None = None, h_L: float | None = None,
                 h_R: float | None = None, eps_L: float | None = None, eps_R: float | None = None):
        self.eps_qb = V.real_number(eps_qb, "eps_qb")
        pos = {"lo": 0.0, "lo_open": True}
        self.v_L = V.real_number(v if v_L is None else v_L, "v_L" if v_L is not None else "v", **pos)
        self.v_R = V.real_number(v if v_R is None else v_R, "v_R" if v_R is not None else "v", **pos)
        self.h_L = V.real_number(h if h_L is None else h_L, "h_L" if h_L is not None else "h", **pos)
        self.h_R = V.real_number(h if h_R is None else h_R, "h_R" if h_R is not None else "h", **pos)
        self.eps_L = V.real_number(eps_lead if eps_L is None else eps_L, "eps_L" if eps_L is not None else "eps_lead")
        self.eps_R = V.real_number(eps_lead if eps_R is None else eps_R, "eps_R" if eps_R is not None else "eps_lead")

    def __repr__(self) -> str:
        return (f"Dot(eps_qb={self.eps_qb}, v_L={self.v_L}, v_R={self.v_R}, h_L={self.h_L}, "
                f"h_R={self.h_R}, eps_L={self.eps_L}, eps_R={self.eps_R})")

    def with_level(self, eps_qb: float) -> "Dot":
        """A copy with another level energy."""
        return Dot(eps_qb, v_L=self.v_L, v_R=self.v_R, h_L=self.h_L, h_R=self.h_R,
                   eps_L=self.eps_L, eps_R=self.eps_R)

    # ---- leads
    def lead(self, name: str) -> tuple[float, float, float]:
        """``(eps, h, v)`` of lead ``"L"`` or ``"R"``."""
        V.choice(name, "lead", LEADS)
        return (self.eps_L, self.h_L, self.v_L) if name == "L" else (self.eps_R, self.h_R, self.v_R)

    @property
    def band_edges(self) -> np.ndarray:
        """The four band edges ``[eps_L - 2h_L, eps_L + 2h_L, eps_R - 2h_R, eps_R + 2h_R]``."""
        return np.array([self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L,
                         self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R])

    @property
    def support(self) -> list[tuple[float, float]]:
        """The continuum: the union of the two bands as disjoint sorted intervals."""
        bands = sorted([(self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L),
                        (self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R)])
        if bands[1][0] <= bands[0][1]:
            return [(bands[0][0], max(bands[0][1], bands[1][1]))]
        return bands

    @property
    def width_scale(self) -> float:
        r"""Resonance width scale :math:`v_L^2/h_L + v_R^2/h_R` (:math:`= \max\Gamma/2`)."""
        return self.v_L ** 2 / self.h_L + self.v_R ** 2 / self.h_R

    # ---- Green functions
    def self_energy(self, w: Any, lead: str | None = None) -> np.ndarray:
        r"""Retarded self-energy :math:`\Sigma_\alpha = v_\alpha^2 g_\alpha(\omega)` (``lead=None``: the sum)."""
        if lead is None:
            return np.asarray(self.self_energy(w, "L")) + np.asarray(self.self_energy(w, "R"))
        eps, h, v = self.lead(lead)
        return v * v * np.asarray(surface_green(w, eps, h))

    def gamma(self, w: Any, lead: str | None = None) -> np.ndarray:
        r"""Broadening :math:`\Gamma_\alpha = -2\,\mathrm{Im}\,\Sigma_\alpha` (``lead=None``: the sum)."""
        return -2.0 * np.imag(self.self_energy(w, lead))

    def _G(self, w: np.ndarray, eps_qb: Any) -> np.ndarray:
        return 1.0 / (w - eps_qb - self.self_energy(w))

    def greens_function(self, w: Any) -> np.ndarray:
        r"""Retarded dot Green function :math:`G(\omega + i0^+)` on the real axis."""
        return self._G(V.real_array(w, "w"), self.eps_qb)

    def spectral_function(self, w: Any) -> np.ndarray:
        r"""Continuum spectral function :math:`A = \Gamma|G|^2/(2\pi) = -\mathrm{Im}\,G/\pi`.

        Bound states (delta peaks outside the bands) are not included: see :meth:`bound_states`.
        """
        w = V.real_array(w, "w")
        return self.gamma(w) * np.abs(self._G(w, self.eps_qb)) ** 2 / (2.0 * np.pi)

    def transmission(self, w: Any) -> np.ndarray:
        r"""Transmission :math:`\tau = \Gamma_L\Gamma_R|G|^2` (:math:`\le 1`)."""
        w = V.real_array(w, "w")
        return self.gamma(w, "L") * self.gamma(w, "R") * np.abs(self._G(w, self.eps_qb)) ** 2

    # ---- bound states
    def _sigma_real(self, w: float) -> float:
        return float(np.real(self.self_energy(w)))

    def _sigma_slope(self, w: float) -> float:
        return float(sum(self.lead(a)[2] ** 2 * np.real(surface_green_derivative(w, *self.lead(a)[:2]))
                         for a in LEADS))

    def _gaps(self) -> list[tuple[float, float]]:
        """Intervals outside the continuum (open ends as +-inf)."""
        sup = self.support
        out = [(-math.inf, sup[0][0])]
        out += [(sup[i][1], sup[i + 1][0]) for i in range(len(sup) - 1)]
        return out + [(sup[-1][1], math.inf)]

    def bound_states(self, eps_qb: float | None = None) -> list[BoundState]:
        r"""Poles of :math:`G` outside the bands (at most one per gap).

        Parameters
        ----------
        eps_qb : float, optional
            Level energy (default: this dot's).

        Returns
        -------
        list of BoundState
            Sorted by energy; empty in the paper's regime.
        """
        e0 = self.eps_qb if eps_qb is None else V.real_number(eps_qb, "eps_qb")

        def F(w: float) -> float:
            return w - e0 - self._sigma_real(w)

        out = []
        span = abs(e0) + float(np.max(np.abs(self.band_edges))) + self.width_scale + 1.0
        for a, b in self._gaps():
            lo, hi = (a if math.isfinite(a) else b - span), (b if math.isfinite(b) else a + span)
            f_lo, f_hi = F(lo), F(hi)
            if not (f_lo < 0.0 < f_hi):
                continue  # F is strictly increasing in a gap: no sign change, no pole
            wb = brentq(F, lo, hi, xtol=1e-15, rtol=1e-15, maxiter=200)
            with np.errstate(divide="ignore", invalid="ignore"):
                weight = 1.0 / (1.0 - self._sigma_slope(wb))
            if np.isfinite(weight) and weight > 1e-12:  # a root on the band edge (threshold) has no weight
                out.append(BoundState(float(wb), float(weight)))
        return out


    def spectral_weight(self) -> dict[str, float]:
        r"""Sum rule: ``{"continuum": int A dw, "bound": sum_b Z_b, "total": ...}`` (total = 1)."""
        ness = steady_state(self, 0.0, 0.0, 1.0, 1.0)
        cont = float(ness._integrate(ness._base, ness._base["A"])[0])
        bound = float(sum(b.weight for b in self.bound_states()))
        return {"continuum": cont, "bound": bound, "total": cont + bound}


# ----------------------------------------------------------------------------- quadrature grid
@lru_cache(maxsize=8)
def _leggauss(n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    theta = 0.5 * np.pi * (x + 1.0)
    return theta, 0.5 * np.pi * w


def _grid(lo: float, hi: float, breaks: np.ndarray, n: int = N_NODES,
          edges: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on ``[lo, hi]`` split at ``breaks`` (shape ``(P, K)``), per row.

    Each sub-interval ``[a, b]`` is mapped by ``w = (a+b)/2 - (b-a)/2 cos(theta)``, which
    makes square-root end-point behaviour analytic; ``n`` Gauss–Legendre nodes in theta.
    ``edges`` (band edges, square-root branch points) must be among the break points; a break
    point much closer to an edge than to its other neighbour is moved onto the edge, so that
    no long sub-interval ends just short of a branch point (which would slow convergence).
    """
    P = breaks.shape[0]
    b = np.sort(np.concatenate([np.full((P, 1), lo), np.clip(breaks, lo, hi), np.full((P, 1), hi)], axis=1),
                axis=1)
    if edges is not None and b.shape[1] > 2:
        on_edge = np.isin(b, edges)
        gap_l, gap_r = b[:, 1:-1] - b[:, :-2], b[:, 2:] - b[:, 1:-1]
        free = ~on_edge[:, 1:-1]
        snap_l = free & on_edge[:, :-2] & (gap_l < 0.25 * gap_r)
        snap_r = free & on_edge[:, 2:] & (gap_r < 0.25 * gap_l) & ~snap_l
        b[:, 1:-1] = np.where(snap_l, b[:, :-2], np.where(snap_r, b[:, 2:], b[:, 1:-1]))
    # Drop repeated break points (clipped to an end, snapped, or coinciding): fewer empty sub-intervals.
    dup = np.zeros(b.shape, dtype=bool)
    dup[:, 1:] = b[:, 1:] == b[:, :-1]
    if np.any(dup):
        b = np.sort(np.where(dup, np.inf, b), axis=1)[:, : int(np.max(np.sum(~dup, axis=1)))]
        b = np.where(np.isfinite(b), b, hi)
    mid = 0.5 * (b[:, 1:] + b[:, :-1])
    rad = 0.5 * (b[:, 1:] - b[:, :-1])
    theta, wt = _leggauss(n)
    w = mid[..., None] - rad[..., None] * np.cos(theta)
    weights = rad[..., None] * np.sin(theta) * wt
    return w.reshape(P, -1), weights.reshape(P, -1)


def _grading(center: np.ndarray, scale: np.ndarray, steps: np.ndarray) -> np.ndarray:
    return center[:, None] + scale[:, None] * steps[None, :]


# ----------------------------------------------------------------------------- steady state
def _as_param(x: Any, name: str, *, nonneg: bool = False) -> np.ndarray:
    arr = V.real_array(x, name)
    if nonneg and np.any(arr < 0.0):
        raise ValueError(f"{name} must be >= 0 (a temperature); got min {float(np.min(arr))}")
    return arr


class NESS:
    r"""Non-equilibrium steady state of a :class:`Dot`; build it with :func:`steady_state`.

    Parameters may be arrays (a sweep): every property is then an array of the broadcast
    shape, computed in one vectorised pass. Sign conventions: :attr:`charge_current` and
    :attr:`energy_current` are positive from left to right; ``heat_current("L")`` is the heat
    leaving the left reservoir and ``heat_current("R")`` the heat entering the right one
    (:math:`J_H^\alpha = J_E - \mu_\alpha I_Q`), so :math:`J_H^R - J_H^L = \Delta\mu\, I_Q`.
    """

    def __init__(self, dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, eps_qb: Any,
                 bound_occupation: Any, n_nodes: int):
        self.dot = dot
        arrs = np.broadcast_arrays(mu_L, mu_R, T_L, T_R, eps_qb)
        self.shape = arrs[0].shape
        self._mu_L, self._mu_R, self._T_L, self._T_R, self._eps = (np.array(a, dtype=float).ravel() for a in arrs)
        self._bound_occupation = bound_occupation
        self._n = n_nodes

    # ---- helpers
    def _out(self, x: np.ndarray) -> np.ndarray | float:
        x = np.asarray(x, dtype=float).reshape(self.shape)
        return float(x) if x.ndim == 0 else x

    def _ref(self, x: Any, name: str, nonneg: bool = False) -> np.ndarray:
        arr = _as_param(x, name, nonneg=nonneg)
        try:
            return np.broadcast_to(arr, self.shape).ravel()
        except ValueError as exc:
            raise ValueError(f"{name} must broadcast to the sweep shape {self.shape}; got {arr.shape}") from exc

    @property
    def mu_L(self):
        """Left chemical potential(s)."""
        return self._out(self._mu_L)

    @property
    def mu_R(self):
        """Right chemical potential(s)."""
        return self._out(self._mu_R)

    @property
    def T_L(self):
        """Left temperature(s)."""
        return self._out(self._T_L)

    @property
    def T_R(self):
        """Right temperature(s)."""
        return self._out(self._T_R)

    @property
    def eps_qb(self):
        """Level energy (energies)."""
        return self._out(self._eps)

    @property
    def is_equilibrium(self) -> np.ndarray | bool:
        """``True`` where ``mu_L == mu_R`` and ``T_L == T_R``."""
        eq = (self._mu_L == self._mu_R) & (self._T_L == self._T_R)
        return bool(eq.all()) if not self.shape else eq.reshape(self.shape)

    # ---- quadrature
    def _evaluate(self, extra: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """All node-wise quantities on a grid resolving the leads' (and ``extra``) Fermi levels."""
        d = self.dot
        lo, hi = d.support[0][0], d.support[-1][1]
        P = self._eps.size
        inner = np.unique(d.band_edges)
        inner = inner[(inner > lo) & (inner < hi)]  # edges strictly inside: extra break points
        parts = [np.broadcast_to(inner, (P, inner.size)),
                 _grading(*self._resonance(lo, hi), _LEVEL_GRADING),
                 _grading(self._mu_L, self._T_L, _FERMI_GRADING),
                 _grading(self._mu_R, self._T_R, _FERMI_GRADING)]
        if extra is not None:
            parts.append(_grading(extra[0], extra[1], _FERMI_GRADING))
        w, wt = _grid(lo, hi, np.concatenate(parts, axis=1), self._n, edges=d.band_edges)
        vL2, vR2 = d.v_L ** 2, d.v_R ** 2
        re_L, im_L = _surface_green_parts(w, d.eps_L, d.h_L)
        if (d.eps_R, d.h_R) == (d.eps_L, d.h_L):  # identical bands: one g, constant weights
            gam = -2.0 * (vL2 + vR2) * im_L
            re_sigma = (vL2 + vR2) * re_L
            xL = vL2 / (vL2 + vR2)
            gam_LR = xL * (1.0 - xL) * gam * gam
        else:
            re_R, im_R = _surface_green_parts(w, d.eps_R, d.h_R)
            gam_L, gam_R = -2.0 * vL2 * im_L, -2.0 * vR2 * im_R
            gam = gam_L + gam_R
            re_sigma = vL2 * re_L + vR2 * re_R
            with np.errstate(invalid="ignore", divide="ignore"):
                xL = np.where(gam > 0.0, gam_L / np.where(gam > 0.0, gam, 1.0), 0.5)
            gam_LR = gam_L * gam_R
        G2 = 1.0 / ((w - self._eps[:, None] - re_sigma) ** 2 + 0.25 * gam * gam)  # |G|^2
        fL, gL = _fermi_pair(w, self._mu_L[:, None], self._T_L[:, None])
        fR, gR = _fermi_pair(w, self._mu_R[:, None], self._T_R[:, None])
        xR = 1.0 - xL
        return {"w": w, "wt": wt, "A": gam * G2 / (2.0 * np.pi), "tau": gam_LR * G2,
                "fL": fL, "fR": fR, "fNE": xL * fL + xR * fR, "gNE": xL * gL + xR * gR}

    def _resonance(self, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
        """Renormalised peak ``w = eps + Re Sigma(w)`` (clipped to the continuum) and its half-width.

        Only break points depend on this: a poor estimate costs accuracy, never correctness.
        """
        d = self.dot
        w = self._eps.copy()
        for _ in range(4):
            w = np.clip(self._eps + np.real(d.v_L ** 2 * _surface_green(w, d.eps_L, d.h_L)
                                           + d.v_R ** 2 * _surface_green(w, d.eps_R, d.h_R)), lo, hi)
        half = 0.5 * d.gamma(w)
        return w, np.maximum(half, 1e-3 * d.width_scale)

    @cached_property
    def _base(self) -> dict[str, np.ndarray]:
        return self._evaluate()

    def _grid_for(self, mu: np.ndarray, T: np.ndarray) -> dict[str, np.ndarray]:
        """Base grid if ``(mu, T)`` is already resolved by it, else a grid including them."""
        for m, t in ((self._mu_R, self._T_R), (self._mu_L, self._T_L)):
            if np.array_equal(mu, m) and np.array_equal(T, t):
                return self._base
        return self._evaluate((mu, T))

    @staticmethod
    def _integrate(q: dict[str, np.ndarray], integrand: np.ndarray) -> np.ndarray:
        return np.sum(q["wt"] * integrand, axis=1)

    # ---- bound states
    @cached_property
    def _bound(self) -> list[list[BoundState]]:
        """Bound states per sweep point (root search only for levels where one can exist).

        In a gap ``(a, b)`` a pole exists iff ``F(a) < 0 < F(b)`` with
        ``F(w) = w - eps_qb - Re Sigma(w)``, i.e. iff ``a - Re Sigma(a) < eps_qb < b - Re Sigma(b)``.
        """
        d = self.dot
        uniq, inv = np.unique(self._eps, return_inverse=True)
        may = np.zeros(uniq.size, dtype=bool)
        for a, b in d._gaps():
            lo = -math.inf if not math.isfinite(a) else a - d._sigma_real(a)
            hi = math.inf if not math.isfinite(b) else b - d._sigma_real(b)
            may |= (uniq > lo) & (uniq < hi)
        per_level = [d.bound_states(e) if m else [] for e, m in zip(uniq, may)]
        return [per_level[i] for i in inv.ravel()]

    @property
    def bound_states(self) -> list[BoundState] | list[list[BoundState]]:
        """Bound states (per sweep point for a sweep)."""
        return self._bound[0] if not self.shape else self._bound

    def _bound_sum(self, fn) -> np.ndarray:
        """``sum_b Z_b fn(omega_b, n_b, 1 - n_b, point)`` per sweep point."""
        out = np.zeros(self._eps.size)
        if not any(self._bound):
            return out
        eq = (self._mu_L == self._mu_R) & (self._T_L == self._T_R)
        for i, states in enumerate(self._bound):
            for bs in states:
                if eq[i]:
                    n, m = _fermi_pair(np.array(bs.energy), self._mu_L[i], self._T_L[i])
                elif self._bound_occupation is None:
                    raise ValueError(
                        f"bound state at omega = {bs.energy:.6g} (weight {bs.weight:.3g}) outside the bands: in a "
                        "non-equilibrium steady state its occupation is not set by the reservoirs (it remembers "
                        "the initial state); pass bound_occupation in [0, 1] to steady_state")
                else:
                    n = np.asarray(self._bound_occupation, dtype=float)
                    m = 1.0 - n
                out[i] += bs.weight * float(fn(bs.energy, n, m, i))
        return out

    # ---- currents
    @cached_property
    def _currents(self) -> tuple[np.ndarray, np.ndarray]:
        q = self._base
        kern = q["tau"] * (q["fL"] - q["fR"]) / (2.0 * np.pi)
        return self._integrate(q, kern), self._integrate(q, kern * q["w"])

    @property
    def charge_current(self):
        r"""Particle (charge, e = 1) current :math:`I_Q`, eq. (7), positive from left to right."""
        return self._out(self._currents[0])

    @property
    def energy_current(self):
        r"""Energy current :math:`J_E`, eq. (8), positive from left to right."""
        return self._out(self._currents[1])

    def heat_current(self, lead: str):
        r"""Heat current :math:`J_H^\alpha = J_E - \mu_\alpha I_Q`.

        ``"L"``: heat per unit time leaving the left reservoir; ``"R"``: heat entering the right one.
        """
        V.choice(lead, "lead", LEADS)
        mu = self._mu_L if lead == "L" else self._mu_R
        I, J = self._currents
        return self._out(J - mu * I)

    @property
    def entropy_production(self):
        r"""Entropy production rate :math:`\sigma = (\beta_L\mu_L - \beta_R\mu_R) I_Q - (\beta_L - \beta_R) J_E \ge 0`.

        Raises
        ------
        ValueError
            If a reservoir is at ``T = 0`` (``sigma`` is then infinite out of equilibrium).
        """
        if np.any(self._T_L <= 0.0) or np.any(self._T_R <= 0.0):
            raise ValueError("entropy_production needs T_L > 0 and T_R > 0 (it diverges as a reservoir "
                             "temperature goes to 0 while a current flows)")
        I, J = self._currents
        bL, bR = 1.0 / self._T_L, 1.0 / self._T_R
        return self._out((bL * self._mu_L - bR * self._mu_R) * I - (bL - bR) * J)

    # ---- dot thermodynamics (eqs. 10-13)
    @property
    def occupation(self):
        r"""Dot occupation :math:`N = \int A f^{NE} d\omega` (+ bound states), eq. (10)."""
        q = self._base
        return self._out(self._integrate(q, q["A"] * q["fNE"]) + self._bound_sum(lambda e, n, m, i: n))

    @property
    def energy(self):
        r"""Dot energy :math:`E = \int \omega A f^{NE} d\omega` (+ bound states), eq. (11)."""
        q = self._base
        return self._out(self._integrate(q, q["w"] * q["A"] * q["fNE"]) + self._bound_sum(lambda e, n, m, i: e * n))

    @property
    def entropy(self):
        r"""Dot entropy :math:`S = \int A\, s(f^{NE}) d\omega` (+ bound states), eq. (12), in nats."""
        q = self._base
        return self._out(self._integrate(q, q["A"] * binary_entropy(q["fNE"], q["gNE"]))
                         + self._bound_sum(lambda e, n, m, i: binary_entropy(n, m)))

    def exergy(self, mu_eq: Any, T_eq: Any):
        r"""Dimensionless exergy :math:`\beta W_{ext}`, eq. (13), with :math:`\beta = 1/T_{eq}`.

        :math:`\beta W_{ext} = \int A\,[f\ln(f/f^{eq}) + (1-f)\ln((1-f)/(1-f^{eq}))]\,d\omega \ge 0`,
        with :math:`f = f^{NE}` and :math:`f^{eq}` the Fermi function at ``(mu_eq, T_eq)``.

        Raises
        ------
        ValueError
            For ``T_eq = 0``, where :math:`\beta W_{ext}` diverges unless the state is the ground
            state; use :meth:`extractable_work`, whose ``T_eq -> 0`` limit is finite.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", nonneg=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy beta*W_ext (it diverges as "
                             "T_eq -> 0); use extractable_work(mu_eq, T_eq), which allows T_eq = 0")
        q = self._grid_for(mu, T)
        lf, lg = _log_fermi(q["w"], mu[:, None], T[:, None])
        cont = self._integrate(q, q["A"] * bernoulli_relative_entropy(q["fNE"], q["gNE"], lf, lg))

        def bound(e, n, m, i):
            a, b = _log_fermi(np.array(e), mu[i], T[i])
            return bernoulli_relative_entropy(n, m, a, b)

        return self._out(cont + self._bound_sum(bound))

    def extractable_work(self, mu_eq: Any, T_eq: Any):
        r"""Exergy :math:`W_{ext} = \Lambda - \Lambda^{eq}` in energy units (``T_eq = 0`` allowed).

        For ``T_eq > 0`` this is ``T_eq * exergy(mu_eq, T_eq)``. At ``T_eq = 0`` it is the limit
        :math:`\int A(\omega)\,(\omega - \mu_{eq})\,[f^{NE}(\omega) - \Theta(\mu_{eq} - \omega)]\,d\omega`.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", nonneg=True)
        out = np.zeros(self._eps.size)
        hot = T > 0.0
        if np.any(hot):
            bw = np.asarray(self.exergy(np.where(hot, mu, mu[0]).reshape(self.shape),
                                        np.where(hot, T, 1.0).reshape(self.shape))).ravel()
            out = np.where(hot, T * bw, out)
        if np.any(~hot):
            q = self._grid_for(mu, np.zeros_like(T))
            step, _ = _fermi_pair(q["w"], mu[:, None], np.zeros((mu.size, 1)))
            cold = self._integrate(q, q["A"] * (q["w"] - mu[:, None]) * (q["fNE"] - step))
            cold = cold + self._bound_sum(lambda e, n, m, i: (e - mu[i]) * (n - float(e < mu[i])))
            out = np.where(hot, out, cold)
        return self._out(out)

    # ---- Appendix A: the approximate reduced density matrix
    @property
    def reduced_state_entropy(self):
        r"""Entropy (A4) of the Appendix-A state :math:`\varrho = e^{-a d^\dagger d}/Z` with :math:`\langle n\rangle = N`.

        :math:`S_\varrho = -N\ln N - (1 - N)\ln(1 - N)` with :math:`N` = :attr:`occupation`.
        By concavity of the binary entropy (Jensen) :math:`S_\varrho \ge` :attr:`entropy`.
        """
        N = np.asarray(self.occupation, dtype=float)
        return self._out(binary_entropy(N))

    def reduced_state_exergy(self, mu_eq: Any, T_eq: Any, reference: str = "isolated"):
        r"""Exergy (A5) of the Appendix-A state, :math:`N\ln(N/r) + (1-N)\ln((1-N)/(1-r))`.

        Parameters
        ----------
        mu_eq, T_eq : float or array_like
            Reference reservoir, ``T_eq > 0``.
        reference : {"isolated", "coupled"}
            The reference occupation :math:`r`. ``"isolated"`` (the literal reading of (A2)/(A5):
            the Gibbs state of the isolated level) uses :math:`r = f^{eq}(\varepsilon_{QB})`; it is
            *not* zero at equilibrium for finite coupling (an :math:`O(v^4)` offset, since
            :math:`N^{eq} - f^{eq}(\varepsilon_{QB}) = O(v^2)`).
            ``"coupled"`` uses the equilibrium occupation of the coupled dot,
            :math:`r = \int A f^{eq}`; it vanishes at equilibrium and, by joint convexity of the
            relative entropy, never exceeds :meth:`exergy`.
        """
        V.choice(reference, "reference", ("isolated", "coupled"))
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", nonneg=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy (A5)")
        N = np.asarray(self.occupation, dtype=float).ravel()
        if reference == "isolated":
            lr, ls = _log_fermi(self._eps, mu, T)
        else:
            ref = NESS(self.dot, mu, mu, T, T, self._eps, None, self._n)
            r = np.asarray(ref.occupation, dtype=float).ravel()
            lr, ls = np.log(r), np.log1p(-r)
        return self._out(bernoulli_relative_entropy(N, 1.0 - N, lr, ls))

    # ---- distributions for plots
    def distribution(self, w: Any, which: str = "NE") -> np.ndarray:
        r"""Distribution at energies ``w``: ``"NE"`` (:math:`f^{NE}`, eq. 9), ``"L"`` or ``"R"`` (Fermi).

        Only for a single (non-sweep) state. Outside both bands :math:`f^{NE}` is undefined and
        returned as NaN.
        """
        V.choice(which, "which", ("NE", "L", "R"))
        if self.shape:
            raise ValueError("distribution() needs a single steady state, not a sweep")
        w = V.real_array(w, "w")
        fL = fermi(w, float(self._mu_L[0]), float(self._T_L[0]))
        fR = fermi(w, float(self._mu_R[0]), float(self._T_R[0]))
        if which == "L":
            return fL
        if which == "R":
            return fR
        gL, gR = self.dot.gamma(w, "L"), self.dot.gamma(w, "R")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(gL + gR > 0.0, (gL * fL + gR * fR) / (gL + gR), np.nan)


def steady_state(dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, *, eps_qb: Any = None,
                 bound_occupation: float | None = None, n_nodes: int = N_NODES) -> NESS:
    r"""The non-equilibrium steady state of ``dot`` between reservoirs ``(mu_L, T_L)`` and ``(mu_R, T_R)``.

    Parameters
    ----------
    dot : Dot
        The junction.
    mu_L, mu_R : float or array_like
        Chemical potentials (arrays broadcast together: a vectorised sweep).
    T_L, T_R : float or array_like
        Temperatures, ``>= 0`` (``0`` gives exact step functions).
    eps_qb : float or array_like, optional
        Level energy (energies) overriding ``dot.eps_qb``, for sweeps over the gate.
    bound_occupation : float, optional
        Occupation in ``[0, 1]`` assigned to bound states out of equilibrium (they exist only
        far outside the paper's regime; see the module docstring). Default: raise if needed.
    n_nodes : int
        Gauss–Legendre nodes per sub-interval (default 16: absolute error ~1e-11 or less).

    Returns
    -------
    NESS

    Examples
    --------
    >>> ness = steady_state(Dot(eps_qb=0.4), mu_L=0.6, mu_R=0.1, T_L=0.1, T_R=0.1)
    >>> ness.charge_current > 0
    True
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    mu_L = _as_param(mu_L, "mu_L")
    mu_R = _as_param(mu_R, "mu_R")
    T_L = _as_param(T_L, "T_L", nonneg=True)
    T_R = _as_param(T_R, "T_R", nonneg=True)
    eps = _as_param(dot.eps_qb if eps_qb is None else eps_qb, "eps_qb")
    if bound_occupation is not None:
        bound_occupation = V.real_number(bound_occupation, "bound_occupation", lo=0.0, hi=1.0)
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or not 4 <= n_nodes <= 200:
        raise ValueError(f"n_nodes must be an integer in [4, 200]; got {n_nodes!r}")
    try:
        np.broadcast_shapes(mu_L.shape, mu_R.shape, T_L.shape, T_R.shape, eps.shape)
    except ValueError as exc:
        raise ValueError("mu_L, mu_R, T_L, T_R and eps_qb must broadcast to one shape") from exc
    return NESS(dot, mu_L, mu_R, T_L, T_R, eps, bound_occupation, int(n_nodes))


def optimal_level(dot: Dot, mu_L: float, mu_R: float, T_L: float, T_R: float, mu_eq: float, T_eq: float,
                  bounds: tuple[float, float] | None = None, n_grid: int = 241) -> tuple[float, float]:
    r"""The gate setting :math:`\varepsilon_{QB}^*` that maximises :math:`\beta W_{ext}` at fixed reservoirs.

    A vectorised scan over ``n_grid`` levels finds the global maximum; a bounded Brent search
    refines it to ~1e-8.

    Parameters
    ----------
    dot : Dot
        Lead parameters (its ``eps_qb`` is ignored).
    mu_L, mu_R, T_L, T_R : float
        Reservoirs (scalars).
    mu_eq, T_eq : float
        Reference for the exergy, ``T_eq > 0``.
    bounds : (float, float), optional
        Search interval; default: the chemical potentials widened by ``1 + 10 max(T)`` on each
        side, clipped to the lead bands (where no bound state forms).
    n_grid : int
        Scan points (>= 11).

    Returns
    -------
    (float, float)
        :math:`(\varepsilon_{QB}^*, \beta W_{ext}^*)`.
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    vals = [V.real_number(x, n) for x, n in ((mu_L, "mu_L"), (mu_R, "mu_R"), (mu_eq, "mu_eq"))]
    temps = [V.temperature(x, n) for x, n in ((T_L, "T_L"), (T_R, "T_R"))]
    T_eq = V.real_number(T_eq, "T_eq", lo=0.0, lo_open=True)
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 11:
        raise ValueError(f"n_grid must be an integer >= 11; got {n_grid!r}")
    if bounds is None:
        pad = 1.0 + 10.0 * max(temps + [T_eq])
        lo, hi = min(vals) - pad, max(vals) + pad
        edge = dot.support
        lo, hi = max(lo, edge[0][0] + 0.05), min(hi, edge[-1][1] - 0.05)
    else:
        lo = V.real_number(bounds[0], "bounds[0]")
        hi = V.real_number(bounds[1], "bounds[1]", lo=lo, lo_open=True)

    def curve(e):
        return steady_state(dot, mu_L, mu_R, T_L, T_R, eps_qb=e).exergy(mu_eq, T_eq)

    grid = np.linspace(lo, hi, int(n_grid))
    bw = np.asarray(curve(grid))
    i = int(np.argmax(bw))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = minimize_scalar(lambda e: -float(curve(e)), bounds=(a, b), method="bounded",
                          options={"xatol": 1e-9})
    if -res.fun >= bw[i]:
        return float(res.x), float(-res.fun)
    return float(grid[i]), float(bw[i])
