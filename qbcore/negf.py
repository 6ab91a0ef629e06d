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
    occupation, energy, entropy and exergy are eqs. (10)-(13) of the paper. Since the model is
    non-interacting and conserves particle number, the reduced state of the dot is exactly
    :math:`\rho = \mathrm{diag}(1 - N, N)` (basis: empty, occupied); :class:`NESS` exposes it with
    the steady-state interface shared by every qbcore model (``rho``, ``H``, ``ergotropy``, ...).

Numerics (error-controlled)
    Every integral over the continuum is computed by adaptive Gauss–Kronrod quadrature,
    vectorised over all sweep points at once. The continuum is first split at break points: the
    band edges, a geometric grading around each Fermi level on the scale :math:`T_\alpha`, a
    geometric grading around the renormalised resonance
    :math:`\tilde\varepsilon = \varepsilon_{QB} + \mathrm{Re}\,\Sigma(\tilde\varepsilon)` on the
    scale of its local half-width, and a geometric grading at each band edge on the scale
    :math:`s = |F(E)|^2/a^2` of the pole of :math:`G` nearest to the edge :math:`E` (a bound or
    virtual state; :math:`a = \sum_\alpha v_\alpha^2/h_\alpha^{3/2}` is the coefficient of the
    square-root term of :math:`\Sigma` at the edge). That pole makes :math:`A` vary on the scale
    :math:`s \ll h` next to the edge when :math:`\varepsilon_{QB}` is near a bound-state threshold
    :math:`\pm(2h - 2v^2/h)`; the earlier fixed 16-node rule missed it by up to ~1e-3. On each
    piece :math:`[a, b]` the substitution :math:`\omega = c - r\cos\theta` makes square-root
    end-point behaviour analytic, and an ``n``-node Gauss rule in :math:`\theta` (default
    ``n = 16``) is compared with its ``2n + 1``-node Kronrod extension. The Kronrod value is
    returned; :math:`|K - G|` (an error bound for the *Gauss* value, hence conservative) is the
    error estimate (not below the round-off floor ``50 eps int|integrand|``). Pieces are
    bisected, for each sweep point separately, until the estimated error of every integral is at
    most ``tol`` in units of the largest lead hopping :math:`h_{max}` (``tol`` for dimensionless
    integrals, ``tol * h_max`` for :math:`I_Q`, ``tol * h_max**2`` for :math:`J_E`), or ``tol``
    relative to :math:`\int |\text{integrand}|` where that is larger. Default ``tol = 1e-11``.
    In the paper's regime the initial pieces already meet it, so the cost is one vectorised
    pass. Nodes are held as (nearest band edge, offset), so that the distances to an edge that
    enter :math:`\sqrt{4h^2 - z^2}` carry no round-off of the absolute energy: near a threshold
    the feature of width :math:`s` can be far below the spacing of floating-point numbers at the
    edge (:math:`s \sim 10^{-18}` for :math:`\varepsilon_{QB}` 1e-9 from the threshold).
    Bound-state weights are found in the same spirit (see :meth:`Dot.bound_states`). Checked
    against independent adaptive quadrature, also within 1e-9 of the thresholds, in
    ``tests/test_negf.py`` (errors <= 3e-13). Evaluation runs in batches of at most
    :data:`CHUNK_NODES` nodes (:data:`CHUNK_POINTS` sweep points at a time, at most
    :data:`MAX_CHUNK_PIECES` pieces), so memory stays bounded (tens of MiB) for any sweep size.

Valid parameter range
    With :math:`h_{max} = \max(h_L, h_R)`: hoppings :math:`10^{-6} \le h_\alpha \le 10^6`
    (:data:`HOPPING_RANGE`), with :math:`h_{min}/h_{max} \ge 10^{-3}` (:data:`MIN_HOPPING_RATIO`);
    couplings :math:`10^{-3} \le v_\alpha/h_\alpha \le 10^2` (:data:`COUPLING_RANGE`);
    all energies (:math:`\varepsilon_{QB}`, :math:`\varepsilon_\alpha`, :math:`\mu_\alpha`,
    :math:`\mu_{eq}`, the energies ``w`` passed to the Green functions) within
    :math:`\pm 10^6 h_{max}` (:data:`ENERGY_LIMIT`); temperatures either 0 (exact step
    functions) or in :math:`[10^{-12}, 10^6]\, h_{max}` (:data:`T_FLOOR`). Values outside raise
    ``ValueError`` naming the parameter and its range (e.g. ``Dot(eps_qb=1e300)``). Inside it the
    integrals meet ``tol``; a sweep point where the adaptive rule cannot (not observed in the
    range) gives a ``RuntimeWarning`` with the estimated error.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable, Sequence

import numpy as np
from numpy.polynomial import legendre as _legendre
from scipy.optimize import brentq, minimize_scalar
from scipy.special import xlogy

from . import _validate as V
from .thermo import roundoff_zero

__all__ = [
    "LEADS", "surface_green", "surface_green_derivative", "decimation_surface_green", "printed_self_energy",
    "binary_entropy", "bernoulli_relative_entropy", "BoundState", "Dot", "NESS", "steady_state",
    "optimal_level",
]

#: Lead names accepted everywhere a lead is selected.
LEADS: tuple[str, str] = ("L", "R")

#: Gauss nodes per piece (the Kronrod extension adds ``N_NODES + 1``).
N_NODES = 16
#: Default target accuracy of every continuum integral (see the module docstring).
TOL = 1e-11
#: Accepted range of ``tol``: below ~1e-13 round-off in the sums dominates.
TOL_RANGE: tuple[float, float] = (1e-13, 1e-2)
#: Accepted range of ``n_nodes``. After the substitution :math:`\omega = c - r\cos\theta` even a constant
#: integrand becomes :math:`\sin\theta`, which the ``n``-point Gauss rule integrates with a relative
#: error that bisection cannot reduce: 8e-6 for ``n = 4``, 9e-13 for ``n = 7``, 3e-15 for ``n = 8``.
N_NODES_RANGE: tuple[int, int] = (8, 200)

#: Energies must satisfy ``|E| <= ENERGY_LIMIT * h_max``, temperatures ``0 <= T <= ENERGY_LIMIT * h_max``.
ENERGY_LIMIT = 1e6
#: Smallest accepted positive temperature, in units of ``h_max`` (``T = 0`` is accepted too).
T_FLOOR = 1e-12
#: Accepted lead hoppings (absolute, in the energy unit of the caller).
HOPPING_RANGE: tuple[float, float] = (1e-6, 1e6)
#: Smallest accepted ratio ``min(h_L, h_R) / max(h_L, h_R)``.
MIN_HOPPING_RATIO = 1e-3
#: Accepted couplings ``v_alpha / h_alpha``.
COUPLING_RANGE: tuple[float, float] = (1e-3, 1e2)

#: Quadrature nodes evaluated together in one vectorised batch (bounds the temporaries: each
#: node-wise array of a batch takes ``8 * CHUNK_NODES`` bytes).
CHUNK_NODES = 1 << 16
#: Sweep points whose initial break points are built together.
CHUNK_POINTS = 2048
#: Maximal number of bisection rounds of the adaptive quadrature.
MAX_LEVELS = 60
#: At most this many quadrature pieces per sweep point ...
MAX_POINT_PIECES = 1 << 12
#: ... and per chunk of :data:`CHUNK_POINTS` points (bounds the memory of the adaptive rule).
MAX_CHUNK_PIECES = 1 << 19
#: Error estimates are not taken below this multiple of ``int |integrand|`` (round-off of the sums).
_ROUNDOFF_FLOOR = 50.0 * np.finfo(float).eps

#: Grading of break points around a Fermi level, in units of the temperature (beyond 27 T the
#: Fermi function is within 2e-12 of 0 or 1; the adaptive rule refines where needed).
_FERMI_GRADING = np.array([0.0, -3.0, 3.0, -27.0, 27.0])
#: Grading of break points around the resonance, in units of its local half-width (x4 steps
#: reach across the band even for a resonance pinned near a band edge).
_LEVEL_GRADING = np.concatenate([[0.0], np.outer([-1.0, 1.0], 0.5 * 4.0 ** np.arange(9)).T.ravel()])
#: Ratio of successive break points graded towards a band edge (see :meth:`NESS._edge_breaks`).
_EDGE_RATIO = 4.0
#: Pole scales below ``_EDGE_FLOOR * h`` are not graded (their feature has weight < ~1e-13).
_EDGE_FLOOR = 1e-26


# ----------------------------------------------------------------------------- input checks
def _energy(x: Any, name: str, unit: float) -> float:
    """``x`` as a finite float with ``|x| <= ENERGY_LIMIT * unit``, else ``ValueError``."""
    val = V.real_number(x, name)
    _check_energy_range(np.abs(val), name, unit)
    return val


def _energy_array(x: Any, name: str, unit: float) -> np.ndarray:
    """Array version of :func:`_energy`."""
    arr = V.real_array(x, name)
    if arr.size:
        _check_energy_range(float(np.max(np.abs(arr))), name, unit)
    return arr


def _check_energy_range(largest: float, name: str, unit: float) -> None:
    lim = ENERGY_LIMIT * unit
    if largest > lim:
        raise ValueError(f"{name} must lie in [-{ENERGY_LIMIT:g} h, {ENERGY_LIMIT:g} h] = [{-lim:g}, {lim:g}] "
                         f"(h = {unit:g}, the largest lead hopping); got a value of magnitude {largest:g}")


def _temperature_array(x: Any, name: str, unit: float) -> np.ndarray:
    """Temperatures ``0`` or in ``[T_FLOOR, ENERGY_LIMIT] * unit``, else ``ValueError``."""
    arr = V.real_array(x, name)
    lo, hi = T_FLOOR * unit, ENERGY_LIMIT * unit
    bad = (arr < 0.0) | ((arr > 0.0) & (arr < lo)) | (arr > hi)
    if np.any(bad):
        raise ValueError(f"{name} must be 0 or lie in [{T_FLOOR:g} h, {ENERGY_LIMIT:g} h] = [{lo:g}, {hi:g}] "
                         f"(a temperature; h = {unit:g}, the largest lead hopping); got {float(arr[bad].flat[0]):g}")
    return arr


def _hopping(x: Any, name: str) -> float:
    """A lead hopping inside :data:`HOPPING_RANGE`, else ``ValueError``."""
    val = V.real_number(x, name)
    lo, hi = HOPPING_RANGE
    if not lo <= val <= hi:
        raise ValueError(f"{name} must lie in [{lo:g}, {hi:g}] (a lead hopping); got {val:g}")
    return val


def _coupling(x: Any, name: str, h: float, h_name: str) -> float:
    """A tunnelling amplitude with ``v/h`` inside :data:`COUPLING_RANGE`, else ``ValueError``."""
    val = V.real_number(x, name)
    lo, hi = COUPLING_RANGE
    if not lo * h <= val <= hi * h:
        raise ValueError(f"{name} must lie in [{lo:g} {h_name}, {hi:g} {h_name}] = [{lo * h:g}, {hi * h:g}] "
                         f"({h_name} = {h:g}); got {val:g}")
    return val


def _tolerance(tol: Any) -> float:
    lo, hi = TOL_RANGE
    val = V.real_number(tol, "tol")
    if not lo <= val <= hi:
        raise ValueError(f"tol must lie in [{lo:g}, {hi:g}] (target accuracy of the integrals); got {val:g}")
    return val


def _node_count(n_nodes: Any) -> int:
    lo, hi = N_NODES_RANGE
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or not lo <= n_nodes <= hi:
        raise ValueError(f"n_nodes must be an integer in [{lo}, {hi}]; got {n_nodes!r}")
    return int(n_nodes)


# ----------------------------------------------------------------------------- lead functions
def surface_green(w: Any, eps: float, h: float) -> np.ndarray | complex:
    r"""Retarded surface Green function of a semi-infinite chain, :math:`g(\omega + i0^+)`.

    Parameters
    ----------
    w : float or array_like
        Real energies, :math:`|\omega| \le 10^6 h`.
    eps : float
        On-site energy (band centre) of the chain, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``); the band is
        :math:`[\varepsilon - 2h, \varepsilon + 2h]`.

    Returns
    -------
    complex or ndarray of complex
        :math:`g = 2/(z + q)` (units of :math:`1/h`) with :math:`z = \omega - \varepsilon`,
        :math:`q = i\sqrt{4h^2 - z^2}` inside the band and :math:`q = \mathrm{sgn}(z)\sqrt{z^2 - 4h^2}`
        outside. This is the causal root of :math:`h^2 g^2 - z g + 1 = 0` (:math:`\mathrm{Im}\,g \le 0`,
        :math:`|h g| \le 1`), written in the cancellation-free form. Same shape as ``w``.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
    """
    h = _hopping(h, "h")
    eps = _energy(eps, "eps", h)
    g = _surface_green(_energy_array(w, "w", h), eps, h)
    return g if g.ndim else complex(g)


def _surface_green(w: np.ndarray, eps: float, h: float) -> np.ndarray:
    """:func:`surface_green` without input checks (hot path)."""
    z = w - eps
    inside = np.abs(z) < 2.0 * h
    root = np.sqrt(np.abs(z * z - 4.0 * h * h))
    q = np.where(inside, 1j * root, np.where(z >= 0.0, 1.0, -1.0) * root)
    return 2.0 / (z + q)


def surface_green_derivative(w: Any, eps: float, h: float) -> np.ndarray | complex:
    r"""Energy derivative :math:`dg/d\omega = -g^2/(1 - h^2 g^2)` of :func:`surface_green`.

    Parameters
    ----------
    w : float or array_like
        Real energies, :math:`|\omega| \le 10^6 h`.
    eps : float
        Band centre of the chain, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).

    Returns
    -------
    complex or ndarray of complex
        :math:`dg/d\omega` in units of :math:`1/h^2`, same shape as ``w``. Finite (and negative,
        real) outside the band and finite inside it; infinite or NaN exactly at the band edges
        :math:`\omega = \varepsilon \pm 2h`, where it diverges like :math:`|\omega - \varepsilon \mp 2h|^{-1/2}`.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
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
        Real energy, :math:`|\omega| \le 10^6 h`.
    eps : float
        Band centre, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).
    eta : float
        Broadening (energy units), ``0 < eta <= 1e6 h``.
    tol : float
        Stop when the renormalised couplings (energy units) fall below ``tol``, ``tol > 0``.

    Returns
    -------
    complex
        :math:`g(\omega + i\eta)` in units of :math:`1/h`.

    Raises
    ------
    ValueError
        For non-finite input or values outside the ranges above.
    """
    h = _hopping(h, "h")
    w = _energy(w, "w", h)
    eps = _energy(eps, "eps", h)
    eta = V.real_number(eta, "eta", lo=0.0, hi=ENERGY_LIMIT * h, lo_open=True)
    tol = V.real_number(tol, "tol", lo=0.0, lo_open=True)
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


def printed_self_energy(w: Any, eps: float, h: float, v: float) -> np.ndarray | complex:
    r"""The self-energy *as printed* in the paper, for comparison only (inside the band).

    The paper prints :math:`\Sigma^r = v^2 e^{-ik}/h` together with the dispersion
    :math:`\omega = \varepsilon - 2h\cos k`. Taking :math:`k \in [0, \pi]` (so that
    :math:`\mathrm{Im}\,\Sigma \le 0`) this gives :math:`\mathrm{Re}\,\Sigma = -v^2 (\omega - \varepsilon)/(2h^2)`,
    the *opposite* sign of the causal result :math:`v^2 (\omega - \varepsilon)/(2h^2)`.
    Not used by any calculation in :mod:`qbcore`.

    Parameters
    ----------
    w : float or array_like
        Energies inside the band, :math:`|\omega - \varepsilon| \le 2h`.
    eps : float
        Band centre, :math:`|\varepsilon| \le 10^6 h`.
    h : float
        Hopping, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``).
    v : float
        Tunnelling amplitude (energy units), finite, :math:`|v| \le 10^6 h`.

    Returns
    -------
    complex or ndarray of complex
        :math:`v^2 e^{-ik}/h` (energy units), same shape as ``w``.

    Raises
    ------
    ValueError
        For non-finite input, values outside the ranges above, or ``w`` outside the band.
    """
    h = _hopping(h, "h")
    eps = _energy(eps, "eps", h)
    v = _energy(v, "v", h)
    z = _energy_array(w, "w", h) - eps
    if np.any(np.abs(z) > 2.0 * h):
        raise ValueError(f"w must lie inside the band [eps - 2h, eps + 2h] = [{eps - 2 * h}, {eps + 2 * h}]")
    k = np.arccos(-z / (2.0 * h))
    out = v * v * np.exp(-1j * k) / h
    return out if out.ndim else complex(out)


# ----------------------------------------------------------------------------- binary information
def _probabilities(p: Any, name: str) -> np.ndarray:
    arr = V.real_array(p, name)
    if arr.size and (np.min(arr) < 0.0 or np.max(arr) > 1.0):
        raise ValueError(f"{name} must lie in [0, 1] (a probability); got values in "
                         f"[{float(np.min(arr)):g}, {float(np.max(arr)):g}]")
    return arr


def binary_entropy(p: Any, q: Any | None = None) -> np.ndarray | float:
    r"""Binary (Shannon) entropy :math:`-p\ln p - q\ln q` with :math:`q = 1 - p`, in nats.

    Parameters
    ----------
    p : float or array_like
        Probabilities in ``[0, 1]``.
    q : float or array_like, optional
        The complements :math:`1 - p`, in ``[0, 1]``, broadcastable with ``p``; pass them when
        they are known more accurately than ``1 - p`` (for ``p`` near 1). Default ``1 - p``.

    Returns
    -------
    float or ndarray
        The entropy in ``[0, ln 2]`` (nats), of the broadcast shape.

    Raises
    ------
    ValueError
        For non-finite input or values outside ``[0, 1]``.
    """
    p = _probabilities(p, "p")
    q = 1.0 - p if q is None else _probabilities(q, "q")
    out = _binary_entropy(p, q)
    return out if out.ndim else float(out)


def _binary_entropy(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """:func:`binary_entropy` without input checks."""
    return -xlogy(p, p) - xlogy(q, q)


def bernoulli_relative_entropy(p: Any, q: Any, log_r: Any, log_s: Any) -> np.ndarray | float:
    r"""Relative entropy :math:`p\ln(p/r) + q\ln(q/s)` of Bernoulli distributions from logarithms.

    Parameters
    ----------
    p, q : float or array_like
        Occupation and its complement (:math:`q = 1 - p`, passed separately for accuracy), in ``[0, 1]``.
    log_r, log_s : float or array_like
        :math:`\ln r` and :math:`\ln s = \ln(1 - r)` of the reference occupation ``r``: finite and
        ``<= 0``. All four arguments broadcast together.

    Returns
    -------
    float or ndarray
        :math:`D(p\,\|\,r) \ge 0` in nats, of the broadcast shape.

    Raises
    ------
    ValueError
        For non-finite input, ``p`` or ``q`` outside ``[0, 1]``, or a positive logarithm.
    """
    p = _probabilities(p, "p")
    q = _probabilities(q, "q")
    logs = []
    for x, name in ((log_r, "log_r"), (log_s, "log_s")):
        arr = V.real_array(x, name)
        if arr.size and np.max(arr) > 0.0:
            raise ValueError(f"{name} must be <= 0 (the logarithm of a probability); got {float(np.max(arr)):g}")
        logs.append(arr)
    out = _bernoulli_relative_entropy(p, q, *logs)
    return out if out.ndim else float(out)


def _bernoulli_relative_entropy(p: np.ndarray, q: np.ndarray, log_r: np.ndarray, log_s: np.ndarray) -> np.ndarray:
    """:func:`bernoulli_relative_entropy` without input checks."""
    return xlogy(p, p) - p * log_r + xlogy(q, q) - q * log_s


#: Below this a probability is treated as 0 in ``p ln p`` (the difference is < 1e-297).
_TINY = 1e-300
#: ``exp`` arguments are capped here (``exp(709) < max float``): ``f < 1e-307`` is then kept as is.
_EXP_CAP = 709.0


def _xlogx(p: np.ndarray) -> np.ndarray:
    """``p ln p`` (0 at ``p = 0``) with vectorised ``log`` (hot path; ``p >= 0``)."""
    return p * np.log(np.maximum(p, _TINY))


def _log_fermi(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ln f, ln(1-f))`` of the Fermi function for ``T > 0``, without overflow.

    ``ln f = -(max(x, 0) + ln(1 + e^{-|x|}))``, ``ln(1 - f) = -(max(-x, 0) + ln(1 + e^{-|x|}))``:
    absolute accuracy ~1e-16 (what the exergy integrand needs), no ``inf - inf``.
    """
    x = (w - mu) / T
    soft = np.log(1.0 + np.exp(-np.abs(x)))
    return -(np.maximum(x, 0.0) + soft), -(np.maximum(-x, 0.0) + soft)


def _fermi_pair(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(f, 1-f)`` each with full relative accuracy in its own tail (``T = 0`` allowed per element).

    ``f = 1/(1 + e^x)`` and ``1 - f = e^x f``: vectorised ``exp`` only, no cancellation.
    """
    T = np.asarray(T, dtype=float)
    if np.all(T > 0.0):
        return _fermi_pair_hot(w, mu, T)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, g = _fermi_pair_hot(w, mu, np.where(T > 0.0, T, 1.0))
    step = np.where(w < mu, 1.0, np.where(w > mu, 0.0, 0.5))
    return np.where(T > 0.0, f, step), np.where(T > 0.0, g, 1.0 - step)


def _fermi_pair_hot(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ex = np.exp(np.minimum((w - mu) / T, _EXP_CAP))
    f = 1.0 / (1.0 + ex)
    return f, ex * f


# ----------------------------------------------------------------------------- quadrature rule
@lru_cache(maxsize=8)
def _gauss_kronrod(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The ``n``-point Gauss rule and its ``2n+1``-point Kronrod extension on ``[-1, 1]``.

    The ``n + 1`` new nodes are the zeros of the Stieltjes polynomial :math:`E_{n+1}`, defined by
    :math:`\int_{-1}^1 P_n(x) E_{n+1}(x) P_k(x)\,dx = 0` for :math:`k \le n`; its Legendre
    coefficients solve a small linear system of triple-product integrals (computed exactly by
    a Gauss rule). The Kronrod weights make the rule exact up to degree :math:`3n + 1`.

    Returns
    -------
    x, w_kronrod, w_gauss : ndarray, shape (2n+1,)
        Ascending nodes, Kronrod weights and Gauss weights (zero at the Kronrod-only nodes).
    """
    xg, wg = _legendre.leggauss(n)
    xq, wq = _legendre.leggauss(2 * n + 2)
    P = _legendre.legvander(xq, n + 1)
    js = [j for j in range(n + 1) if (n + 1 - j) % 2 == 0]   # E_{n+1} has the parity of n + 1
    ks = list(range(1, n + 1, 2))                           # only these conditions are not trivially zero
    wPn = wq * P[:, n]
    M = np.array([[np.sum(wPn * P[:, j] * P[:, k]) for j in js] for k in ks])
    rhs = -np.array([np.sum(wPn * P[:, n + 1] * P[:, k]) for k in ks])
    coef = np.zeros(n + 2)
    coef[n + 1] = 1.0
    coef[js] = np.linalg.solve(M, rhs)
    x = np.sort(np.concatenate([xg, np.real(_legendre.legroots(coef))]))
    x = 0.5 * (x - x[::-1])  # exactly symmetric
    moments = np.zeros(2 * n + 1)
    moments[0] = 2.0
    wk = np.linalg.solve(_legendre.legvander(x, 2 * n).T, moments)
    wk = 0.5 * (wk + wk[::-1])
    w_gauss = np.zeros_like(x)
    w_gauss[1::2] = wg  # Gauss and Kronrod nodes interlace
    if not np.allclose(x[1::2], xg, atol=1e-13, rtol=0.0):
        raise RuntimeError(f"Gauss-Kronrod construction failed for n = {n}")
    x[1::2] = xg
    return x, wk, w_gauss


@lru_cache(maxsize=8)
def _theta_rule(n: int) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    r"""The rule in :math:`\theta \in [0, \pi]` for a piece :math:`[a, b]`, :math:`\omega = c - r\cos\theta`.

    Returns ``(1 - cos(theta), 1 + cos(theta), k, W)``: node ``j < k`` lies at
    :math:`a + r(1 - \cos\theta_j)`, node ``j >= k`` at :math:`b - r(1 + \cos\theta_j)` (each
    measured from its nearer end, so that nodes close to an end keep full relative accuracy), and
    :math:`\int_a^b f\,d\omega \approx r \sum_j f_j W_{j,0}` (Kronrod) or :math:`r \sum_j f_j W_{j,1}`
    (Gauss), the weights including the Jacobian :math:`\sin\theta`.
    """
    x, wk, wg = _gauss_kronrod(n)
    theta = 0.5 * np.pi * (x + 1.0)
    jac = 0.5 * np.pi * np.sin(theta)
    one_minus, one_plus = 2.0 * np.sin(0.5 * theta) ** 2, 2.0 * np.cos(0.5 * theta) ** 2
    return one_minus, one_plus, (x.size + 1) // 2, np.stack([jac * wk, jac * wg], axis=1)


# ----------------------------------------------------------------------------- the dot
@dataclass(frozen=True)
class BoundState:
    """A pole of the dot Green function outside the lead bands.

    Parameters
    ----------
    energy : float
        Pole position :math:`\\omega_b` (energy units), outside the continuum.
    weight : float
        Spectral weight :math:`Z = 1/(1 - \\Sigma'(\\omega_b))`, in ``(0, 1)``.

    Attributes
    ----------
    energy : float
        Pole position :math:`\\omega_b`.
    weight : float
        Spectral weight :math:`Z`.
    """

    energy: float
    weight: float


class Dot:
    r"""A single level between two semi-infinite tight-binding leads.

    Parameters
    ----------
    eps_qb : float
        Level energy :math:`\varepsilon_{QB}`, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.
    v : float
        Tunnelling amplitude for both leads (default 0.12, the paper's), with
        :math:`10^{-3} \le v/h \le 10^2` (:data:`COUPLING_RANGE`).
    h : float
        Lead hopping for both leads, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``); it sets the
        energy unit: the band of a lead is :math:`[\varepsilon_\alpha - 2h, \varepsilon_\alpha + 2h]`.
    eps_lead : float
        Lead band centre for both leads, :math:`|\varepsilon_\alpha| \le 10^6 h_{max}`.
    v_L, v_R, h_L, h_R, eps_L, eps_R : float, optional
        Per-lead values overriding ``v``, ``h``, ``eps_lead`` (same ranges; in addition
        :math:`\min(h_L, h_R) \ge 10^{-3} \max(h_L, h_R)`, :data:`MIN_HOPPING_RATIO`).

    Attributes
    ----------
    eps_qb, v_L, v_R, h_L, h_R, eps_L, eps_R : float
        The validated parameters.

    Raises
    ------
    ValueError
        For non-finite values or values outside the ranges above (the message names the
        parameter and its range). :math:`h_{max} = \max(h_L, h_R)`.

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
        self.h_L = _hopping(h if h_L is None else h_L, "h_L" if h_L is not None else "h")
        self.h_R = _hopping(h if h_R is None else h_R, "h_R" if h_R is not None else "h")
        if min(self.h_L, self.h_R) < MIN_HOPPING_RATIO * max(self.h_L, self.h_R):
            raise ValueError(f"h_L and h_R must satisfy min(h_L, h_R) >= {MIN_HOPPING_RATIO:g} max(h_L, h_R); "
                             f"got h_L = {self.h_L:g}, h_R = {self.h_R:g}")
        self.v_L = _coupling(v if v_L is None else v_L, "v_L" if v_L is not None else "v", self.h_L,
                             "h_L" if h_L is not None else "h")
        self.v_R = _coupling(v if v_R is None else v_R, "v_R" if v_R is not None else "v", self.h_R,
                             "h_R" if h_R is not None else "h")
        unit = self.energy_scale
        self.eps_qb = _energy(eps_qb, "eps_qb", unit)
        self.eps_L = _energy(eps_lead if eps_L is None else eps_L, "eps_L" if eps_L is not None else "eps_lead", unit)
        self.eps_R = _energy(eps_lead if eps_R is None else eps_R, "eps_R" if eps_R is not None else "eps_lead", unit)

    def __repr__(self) -> str:
        return (f"Dot(eps_qb={self.eps_qb}, v_L={self.v_L}, v_R={self.v_R}, h_L={self.h_L}, "
                f"h_R={self.h_R}, eps_L={self.eps_L}, eps_R={self.eps_R})")

    def with_level(self, eps_qb: float) -> "Dot":
        r"""A copy with another level energy.

        Parameters
        ----------
        eps_qb : float
            The new level energy, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.

        Returns
        -------
        Dot
            Same leads, level ``eps_qb``.

        Raises
        ------
        ValueError
            If ``eps_qb`` is not finite or out of range.
        """
        return Dot(eps_qb, v_L=self.v_L, v_R=self.v_R, h_L=self.h_L, h_R=self.h_R,
                   eps_L=self.eps_L, eps_R=self.eps_R)

    # ---- leads
    @property
    def energy_scale(self) -> float:
        r""":math:`h_{max} = \max(h_L, h_R)`: the unit of the parameter ranges and of ``tol``."""
        return max(self.h_L, self.h_R)

    def lead(self, name: str) -> tuple[float, float, float]:
        """Parameters of one lead.

        Parameters
        ----------
        name : {"L", "R"}
            The lead.

        Returns
        -------
        (float, float, float)
            ``(eps, h, v)``: band centre, hopping and tunnelling amplitude of the lead.

        Raises
        ------
        ValueError
            For another lead name.
        """
        V.choice(name, "lead", LEADS)
        return (self.eps_L, self.h_L, self.v_L) if name == "L" else (self.eps_R, self.h_R, self.v_R)

    @property
    def band_edges(self) -> np.ndarray:
        """The four band edges ``[eps_L - 2h_L, eps_L + 2h_L, eps_R - 2h_R, eps_R + 2h_R]`` (energy units)."""
        return np.array([self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L,
                         self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R])

    @property
    def support(self) -> list[tuple[float, float]]:
        """The continuum: the union of the two bands as disjoint sorted intervals (energy units)."""
        bands = sorted([(self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L),
                        (self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R)])
        if bands[1][0] <= bands[0][1]:
            return [(bands[0][0], max(bands[0][1], bands[1][1]))]
        return bands

    @property
    def width_scale(self) -> float:
        r"""Resonance width scale :math:`v_L^2/h_L + v_R^2/h_R` (:math:`= \max\Gamma/2`, energy units)."""
        return self.v_L ** 2 / self.h_L + self.v_R ** 2 / self.h_R

    def _energies(self, w: Any) -> np.ndarray:
        return _energy_array(w, "w", self.energy_scale)

    # ---- Green functions
    def self_energy(self, w: Any, lead: str | None = None) -> np.ndarray | complex:
        r"""Retarded self-energy :math:`\Sigma_\alpha = v_\alpha^2 g_\alpha(\omega)`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.
        lead : {"L", "R"}, optional
            One lead; default ``None``: the sum over both leads.

        Returns
        -------
        complex or ndarray of complex
            :math:`\Sigma(\omega)` (energy units), same shape as ``w``.

        Raises
        ------
        ValueError
            For bad energies or an unknown lead.
        """
        if lead is None:
            return np.asarray(self.self_energy(w, "L")) + np.asarray(self.self_energy(w, "R"))
        eps, h, v = self.lead(lead)
        g = _surface_green(self._energies(w), eps, h)
        out = v * v * g
        return out if out.ndim else complex(out)

    def gamma(self, w: Any, lead: str | None = None) -> np.ndarray:
        r"""Broadening :math:`\Gamma_\alpha = -2\,\mathrm{Im}\,\Sigma_\alpha`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.
        lead : {"L", "R"}, optional
            One lead; default ``None``: the sum over both leads.

        Returns
        -------
        ndarray
            :math:`\Gamma(\omega) \ge 0` (energy units), same shape as ``w`` (0-d for a scalar).

        Raises
        ------
        ValueError
            For bad energies or an unknown lead.
        """
        return -2.0 * np.imag(self.self_energy(w, lead))

    def _G(self, w: np.ndarray, eps_qb: Any) -> np.ndarray:
        return 1.0 / (w - eps_qb - np.asarray(self.self_energy(w)))

    def greens_function(self, w: Any) -> np.ndarray:
        r"""Retarded dot Green function :math:`G(\omega + i0^+)` on the real axis.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}` (not exactly at a bound state).

        Returns
        -------
        ndarray of complex
            :math:`G(\omega)` (units of 1/energy), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        return self._G(self._energies(w), self.eps_qb)

    def spectral_function(self, w: Any) -> np.ndarray:
        r"""Continuum spectral function :math:`A = \Gamma|G|^2/(2\pi) = -\mathrm{Im}\,G/\pi`.

        Bound states (delta peaks outside the bands) are not included: see :meth:`bound_states`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.

        Returns
        -------
        ndarray
            :math:`A(\omega) \ge 0` (units of 1/energy), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        w = self._energies(w)
        return self.gamma(w) * np.abs(self._G(w, self.eps_qb)) ** 2 / (2.0 * np.pi)

    def transmission(self, w: Any) -> np.ndarray:
        r"""Transmission :math:`\tau = \Gamma_L\Gamma_R|G|^2` (:math:`0 \le \tau \le 1`).

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.

        Returns
        -------
        ndarray
            :math:`\tau(\omega)` (dimensionless), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        w = self._energies(w)
        return self.gamma(w, "L") * self.gamma(w, "R") * np.abs(self._G(w, self.eps_qb)) ** 2

    # ---- bound states
    def _sigma_real(self, w: float) -> float:
        return float(sum(self.lead(a)[2] ** 2 * np.real(_surface_green(np.asarray(w), *self.lead(a)[:2]))
                         for a in LEADS))

    def _gaps(self) -> list[tuple[float, float]]:
        """Intervals outside the continuum (open ends as +-inf)."""
        sup = self.support
        out = [(-math.inf, sup[0][0])]
        out += [(sup[i][1], sup[i + 1][0]) for i in range(len(sup) - 1)]
        return out + [(sup[-1][1], math.inf)]

    def bound_states(self, eps_qb: float | None = None) -> list[BoundState]:
        r"""Poles of :math:`G` outside the bands (at most one per gap).

        The root of :math:`F(\omega) = \omega - \varepsilon_{QB} - \mathrm{Re}\,\Sigma(\omega)` is found
        in the variable :math:`y = \sqrt{|\omega - E|}` measured from the nearer gap end :math:`E` (a
        band edge), with the self-energy of a lead ending at :math:`E` written through
        :math:`\kappa = 2\,\mathrm{asinh}(y/2\sqrt{h})` (:math:`g = \pm e^{-\kappa}/h`). This keeps the
        weight accurate for a pole arbitrarily close to the edge (near a threshold), where
        :math:`Z \propto y` is not resolved by :math:`\omega` in floating point.

        Parameters
        ----------
        eps_qb : float, optional
            Level energy, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}` (default: this dot's).

        Returns
        -------
        list of BoundState
            Sorted by energy; empty in the paper's regime. States with weight below 1e-12
            (a pole on a band edge, at a threshold) are omitted.

        Raises
        ------
        ValueError
            If ``eps_qb`` is not finite or out of range.
        """
        e0 = self.eps_qb if eps_qb is None else _energy(eps_qb, "eps_qb", self.energy_scale)
        span = abs(e0) + float(np.max(np.abs(self.band_edges))) + self.width_scale + self.energy_scale
        out = []
        for a, b in self._gaps():
            for E, sign, room in self._gap_sides(a, b, e0, span):
                state = self._bound_state_near(E, sign, room, e0)
                if state is not None:
                    out.append(state)
        return sorted(out, key=lambda s: s.energy)

    def _gap_sides(self, a: float, b: float, e0: float, span: float) -> list[tuple[float, float, float]]:
        """Where to search a gap ``(a, b)``: ``[(E, sign, room)]``, ``omega = E + sign * y**2``, ``y**2 <= room``."""
        if not math.isfinite(a):
            return [(b, -1.0, span)]
        if not math.isfinite(b):
            return [(a, 1.0, span)]
        mid = 0.5 * (a + b)  # search from the end nearer to the root (where the accuracy matters)
        F_mid = mid - e0 - self._sigma_real(mid)
        return [(a, 1.0, b - a)] if F_mid > 0.0 else [(b, -1.0, b - a)]

    def _edge_terms(self, E: float, sign: float, y: float) -> tuple[float, float]:
        """``(const, smooth)`` with ``F(omega) = (E - eps_qb + const) + sign * smooth`` at ``omega = E + sign * y**2``.

        For ``omega`` outside the bands. Leads with an edge at ``E`` are written in the
        cancellation-free form of :meth:`bound_states`; ``const`` does not depend on ``y`` for them.
        """
        w = E + sign * y * y
        const, smooth = 0.0, y * y
        for name in LEADS:
            eps, h, v = self.lead(name)
            if E in (eps - 2.0 * h, eps + 2.0 * h):
                const -= sign * v * v / h
                smooth -= v * v / h * math.expm1(-2.0 * math.asinh(y / (2.0 * math.sqrt(h))))
            else:
                const -= v * v * float(np.real(_surface_green(np.asarray(w), eps, h)))
        return const, smooth

    def _edge_slope(self, E: float, sign: float, y: float) -> float:
        r""":math:`\Sigma'(\omega) < 0` at ``omega = E + sign * y**2`` outside the bands (``-inf`` on an edge)."""
        w = E + sign * y * y
        slope = 0.0
        for name in LEADS:
            eps, h, v = self.lead(name)
            if E in (eps - 2.0 * h, eps + 2.0 * h):
                kappa = 2.0 * math.asinh(y / (2.0 * math.sqrt(h)))
                if kappa == 0.0:
                    return -math.inf
                slope -= v * v * math.exp(-kappa) / (2.0 * h * h * math.sinh(kappa))
            else:
                g = float(np.real(_surface_green(np.asarray(w), eps, h)))
                denom = 1.0 - h * h * g * g
                if denom <= 0.0:
                    return -math.inf
                slope -= v * v * g * g / denom
        return slope

    def _bound_state_near(self, E: float, sign: float, room: float, e0: float) -> BoundState | None:
        """The pole at ``omega = E + sign * y**2`` with ``0 < y**2 <= room``, if any."""
        def F(y: float) -> float:
            const, smooth = self._edge_terms(E, sign, y)
            return sign * ((E - e0 + const) + sign * smooth)  # increasing in y

        y_max = math.sqrt(room)
        if not (F(0.0) < 0.0 < F(y_max)):
            return None
        y = brentq(F, 0.0, y_max, xtol=1e-300, rtol=4.0 * np.finfo(float).eps, maxiter=500)
        weight = 1.0 / (1.0 - self._edge_slope(E, sign, y))
        if not weight > 1e-12:  # a root on the band edge (threshold) has no weight
            return None
        return BoundState(float(E + sign * y * y), float(weight))

    def spectral_weight(self, tol: float = TOL, n_nodes: int = N_NODES) -> dict[str, float]:
        r"""Sum rule :math:`\int A\,d\omega + \sum_b Z_b = 1`, term by term.

        Parameters
        ----------
        tol : float
            Target absolute accuracy of the continuum integral, in :data:`TOL_RANGE`
            (default 1e-11).
        n_nodes : int
            Gauss nodes per piece of the adaptive Gauss–Kronrod rule, in ``[8, 200]`` (default 16).

        Returns
        -------
        dict
            ``{"continuum": int A dw, "bound": sum_b Z_b, "total": ...}`` (dimensionless; the
            total is 1 up to ``tol``).

        Raises
        ------
        ValueError
            For ``tol`` or ``n_nodes`` out of range.
        """
        ness = steady_state(self, 0.0, 0.0, 0.0, 0.0, tol=tol, n_nodes=n_nodes)
        cont = float(ness._integrate(_kernel_weight, (0,))[0, 0])
        bound = float(sum(b.weight for b in self.bound_states()))
        return {"continuum": cont, "bound": bound, "total": cont + bound}

    def _edge_poles(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        r"""Per distinct band edge :math:`E`: ``(E, c, a, h)`` with :math:`F(E) = c - \varepsilon_{QB}`.

        Near :math:`E`, :math:`F(\omega) \approx F(E) + i a \sqrt{\omega - E}` on the band side
        (:math:`a = \sum v_\alpha^2 / h_\alpha^{3/2}` over the leads with an edge at :math:`E`;
        the other lead contributes its complex :math:`\Sigma(E)` to ``c``), so :math:`G` has a pole
        (bound or virtual state) at distance :math:`|F(E)|^2/a^2` from :math:`E`. ``h`` is the
        smallest hopping of those leads (the scale up to which the grading reaches).
        """
        rows = []
        for E in np.unique(self.band_edges):
            c, a, hs = complex(E), 0.0, []
            for name in LEADS:
                eps, h, v = self.lead(name)
                if E in (eps - 2 * h, eps + 2 * h):
                    c -= v * v * (1.0 if E > eps else -1.0) / h
                    a += v * v / h ** 1.5
                    hs.append(h)
                else:
                    c -= v * v * complex(_surface_green(np.asarray(E), eps, h))
            rows.append((E, c, a, min(hs)))
        E, c, a, h = (np.array(x) for x in zip(*rows))
        return E, c, a, h


# ----------------------------------------------------------------------------- node-wise physics
class _Nodes:
    """Node-wise quantities on a batch of quadrature pieces (one row per piece), computed on first use.

    A node is stored as ``anchor + t``: ``anchor`` is the band edge nearest to its piece and ``t`` the
    offset from it, so distances to that edge (which enter square roots) carry no round-off of
    the absolute energy.
    """

    def __init__(self, ness: "NESS", idx: np.ndarray, anchor: np.ndarray, t: np.ndarray):
        self.ness = ness
        self.idx = idx        # sweep point of each row
        self.anchor = anchor  # (rows,)
        self.t = t            # (rows, nodes)

    def col(self, per_point: np.ndarray) -> np.ndarray:
        """A per-sweep-point array as a column matching the rows."""
        return per_point[self.idx][:, None]

    @cached_property
    def w(self) -> np.ndarray:
        """Absolute energies of the nodes."""
        return self.anchor[:, None] + self.t

    def _distances(self, eps: float, h: float) -> tuple[np.ndarray, np.ndarray]:
        """``(w - (eps - 2h), (eps + 2h) - w)``: distances to the two edges of a band."""
        return (self.anchor - (eps - 2.0 * h))[:, None] + self.t, ((eps + 2.0 * h) - self.anchor)[:, None] - self.t

    @cached_property
    def _leads(self) -> tuple[np.ndarray, np.ndarray, Any, np.ndarray]:
        """``(F, Gamma, Gamma_L/Gamma, Gamma_L Gamma_R)`` with ``F = w - eps_qb - Re Sigma``."""
        d = self.ness.dot
        vL2, vR2 = d.v_L ** 2, d.v_R ** 2
        if (d.eps_R, d.h_R) == (d.eps_L, d.h_L):  # identical bands: every node is inside the band
            eps, h, V2 = d.eps_L, d.h_L, vL2 + vR2
            x_lo, x_hi = self._distances(eps, h)
            gam = V2 * np.sqrt(x_lo * x_hi) / (h * h)
            # Re Sigma = V2 (w - eps) / (2 h^2) is linear: F from its value at the anchor, cancellation-free
            F0 = (self.anchor - self.col(self.ness._eps)[:, 0]) - V2 * (self.anchor - eps) / (2.0 * h * h)
            F = F0[:, None] + self.t * (1.0 - V2 / (2.0 * h * h))
            xL = vL2 / V2
            return F, gam, xL, xL * (1.0 - xL) * gam * gam
        re_L, im_L = self._lead_parts(d.eps_L, d.h_L)
        re_R, im_R = self._lead_parts(d.eps_R, d.h_R)
        gam_L, gam_R = -2.0 * vL2 * im_L, -2.0 * vR2 * im_R
        gam = gam_L + gam_R
        with np.errstate(invalid="ignore", divide="ignore"):
            xL = np.where(gam > 0.0, gam_L / np.where(gam > 0.0, gam, 1.0), 0.5)
        F = self.w - self.col(self.ness._eps) - (vL2 * re_L + vR2 * re_R)
        return F, gam, xL, gam_L * gam_R

    def _lead_parts(self, eps: float, h: float) -> tuple[np.ndarray, np.ndarray]:
        """``(Re g, Im g)`` of one lead at the nodes (square roots from exact edge distances)."""
        x_lo, x_hi = self._distances(eps, h)
        inside = (x_lo > 0.0) & (x_hi > 0.0)
        root = np.sqrt(np.abs(x_lo * x_hi))
        z = self.w - eps
        with np.errstate(divide="ignore", invalid="ignore"):
            outside = 2.0 / (z + np.where(z >= 0.0, root, -root))
        return np.where(inside, z / (2.0 * h * h), outside), np.where(inside, -root / (2.0 * h * h), 0.0)

    @cached_property
    def G2(self) -> np.ndarray:
        """:math:`|G|^2`."""
        F, gam = self._leads[0], self._leads[1]
        return 1.0 / (F * F + 0.25 * gam * gam)

    @cached_property
    def A(self) -> np.ndarray:
        """Spectral function."""
        return self._leads[1] * self.G2 / (2.0 * np.pi)

    @cached_property
    def tau(self) -> np.ndarray:
        """Transmission."""
        return self._leads[3] * self.G2

    @cached_property
    def _fermi_L(self) -> tuple[np.ndarray, np.ndarray]:
        return _fermi_pair(self.w, self.col(self.ness._mu_L), self.col(self.ness._T_L))

    @cached_property
    def _fermi_R(self) -> tuple[np.ndarray, np.ndarray]:
        return _fermi_pair(self.w, self.col(self.ness._mu_R), self.col(self.ness._T_R))

    @cached_property
    def df(self) -> np.ndarray:
        """:math:`f_L - f_R`."""
        return self._fermi_L[0] - self._fermi_R[0]

    @cached_property
    def fNE(self) -> np.ndarray:
        """Non-equilibrium distribution :math:`f^{NE}`."""
        xL = self._leads[2]
        return xL * self._fermi_L[0] + (1.0 - xL) * self._fermi_R[0]

    @cached_property
    def gNE(self) -> np.ndarray:
        """:math:`1 - f^{NE}`, accurate where :math:`f^{NE} \\to 1`."""
        xL = self._leads[2]
        return xL * self._fermi_L[1] + (1.0 - xL) * self._fermi_R[1]


#: An integrand: node-wise values (one array per integral) from the node-wise physics.
_Kernel = Callable[[_Nodes], Sequence[np.ndarray]]
#: Quadrature pieces ``(point, anchor, a, b)``: piece ``[anchor + a, anchor + b]`` of a sweep point.
_Pieces = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _kernel_weight(q: _Nodes) -> tuple[np.ndarray]:
    return (q.A,)


def _kernel_standard(q: _Nodes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Integrands of ``I_Q``, ``J_E``, ``N`` and ``E`` (continuum parts): they share all node-wise physics."""
    k = q.tau * q.df / (2.0 * np.pi)
    n = q.A * q.fNE
    return k, k * q.w, n, n * q.w


def _kernel_entropy(q: _Nodes) -> tuple[np.ndarray]:
    return (-q.A * (_xlogx(q.fNE) + _xlogx(q.gNE)),)


def _exergy_kernel(mu: np.ndarray, T: np.ndarray) -> _Kernel:
    def kernel(q: _Nodes) -> tuple[np.ndarray]:
        lf, lg = _log_fermi(q.w, q.col(mu), q.col(T))
        p, r = q.fNE, q.gNE
        return (q.A * ((_xlogx(p) - p * lf) + (_xlogx(r) - r * lg)),)
    return kernel


def _cold_work_kernel(mu: np.ndarray) -> _Kernel:
    def kernel(q: _Nodes) -> tuple[np.ndarray]:
        m = q.col(mu)
        step = np.where(q.w < m, 1.0, np.where(q.w > m, 0.0, 0.5))
        return (q.A * (q.w - m) * (q.fNE - step),)
    return kernel


def _grading(center: np.ndarray, scale: np.ndarray, steps: np.ndarray) -> np.ndarray:
    return center[:, None] + scale[:, None] * steps[None, :]


def _snap_to_edges(b: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Move a break point much closer to a band edge than to its other neighbour onto the edge.

    ``b`` holds sorted break points per row (first and last column: the ends). No long piece
    then ends just short of a square-root branch point, which would slow convergence.
    """
    if b.shape[1] <= 2:
        return b
    on_edge = np.isin(b, edges)
    gap_l, gap_r = b[:, 1:-1] - b[:, :-2], b[:, 2:] - b[:, 1:-1]
    free = ~on_edge[:, 1:-1]
    snap_l = free & on_edge[:, :-2] & (gap_l < 0.25 * gap_r)
    snap_r = free & on_edge[:, 2:] & (gap_r < 0.25 * gap_l) & ~snap_l
    b = b.copy()
    b[:, 1:-1] = np.where(snap_l, b[:, :-2], np.where(snap_r, b[:, 2:], b[:, 1:-1]))
    return b


def _as_param(x: Any, name: str, unit: float, *, temperature: bool = False) -> np.ndarray:
    return _temperature_array(x, name, unit) if temperature else _energy_array(x, name, unit)


# ----------------------------------------------------------------------------- steady state
class NESS:
    r"""Non-equilibrium steady state of a :class:`Dot`; build it with :func:`steady_state`.

    Parameters may be arrays (a sweep): every property is then an array of the broadcast
    shape, computed in one vectorised, memory-bounded pass. Sign conventions:
    :attr:`charge_current` and :attr:`energy_current` are positive from left to right;
    ``heat_current("L")`` is the heat leaving the left reservoir and ``heat_current("R")`` the
    heat entering the right one (:math:`J_H^\alpha = J_E - \mu_\alpha I_Q`), so
    :math:`J_H^R - J_H^L = \Delta\mu\, I_Q`.

    Common steady-state interface (as :class:`qbcore.master.SteadyState`): :attr:`rho`,
    :attr:`H`, :attr:`energies`, :attr:`populations`, :attr:`ergotropy`, :attr:`kernel_dim`,
    :attr:`min_eigenvalue`, :attr:`is_positive`, :attr:`is_unique`, :attr:`stored_energy` and
    :attr:`level_energy` (:math:`\mathrm{Tr}\,\rho H`). Two names keep the meaning they had
    before that interface was added, and differ from it:

    * :attr:`energy` is the paper's eq. (11), :math:`\int \omega A f^{NE} d\omega`, which
      includes the dot's share of the hybridisation; :math:`\mathrm{Tr}\,\rho H =
      \varepsilon_{QB} N` is :attr:`level_energy`.
    * :attr:`entropy` is the paper's eq. (12), :math:`\int A\, s(f^{NE})\,d\omega`; the von
      Neumann entropy of :attr:`rho` is :attr:`reduced_state_entropy`.

    Parameters
    ----------
    dot : Dot
        The junction.
    mu_L, mu_R, T_L, T_R, eps_qb : ndarray
        Validated reservoir parameters and level energies, broadcastable together.
    bound_occupation : float or None
        Occupation assigned to bound states out of equilibrium (see :func:`steady_state`).
    n_nodes : int
        Gauss nodes per piece of the adaptive rule.
    tol : float
        Target accuracy of every continuum integral (see the module docstring).

    Attributes
    ----------
    dot : Dot
        The junction.
    shape : tuple of int
        Sweep shape (``()`` for a single state).
    tol : float
        Target accuracy of the integrals.
    """

    def __init__(self, dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, eps_qb: Any,
                 bound_occupation: Any, n_nodes: int = N_NODES, tol: float = TOL):
        self.dot = dot
        arrs = np.broadcast_arrays(mu_L, mu_R, T_L, T_R, eps_qb)
        self.shape = arrs[0].shape
        self._mu_L, self._mu_R, self._T_L, self._T_R, self._eps = (np.array(a, dtype=float).ravel() for a in arrs)
        self._bound_occupation = bound_occupation
        self._n = n_nodes
        self.tol = tol
        self._lo, self._hi = dot.support[0][0], dot.support[-1][1]

    # ---- helpers
    def _out(self, x: np.ndarray) -> np.ndarray | float:
        x = np.asarray(x, dtype=float).reshape(self.shape)
        return float(x) if x.ndim == 0 else x

    def _ref(self, x: Any, name: str, temperature: bool = False) -> np.ndarray:
        arr = _as_param(x, name, self.dot.energy_scale, temperature=temperature)
        try:
            return np.broadcast_to(arr, self.shape).ravel()
        except ValueError as exc:
            raise ValueError(f"{name} must broadcast to the sweep shape {self.shape}; got {arr.shape}") from exc

    @property
    def mu_L(self) -> np.ndarray | float:
        """Left chemical potential(s) (energy units)."""
        return self._out(self._mu_L)

    @property
    def mu_R(self) -> np.ndarray | float:
        """Right chemical potential(s) (energy units)."""
        return self._out(self._mu_R)

    @property
    def T_L(self) -> np.ndarray | float:
        """Left temperature(s) (energy units, k_B = 1)."""
        return self._out(self._T_L)

    @property
    def T_R(self) -> np.ndarray | float:
        """Right temperature(s) (energy units, k_B = 1)."""
        return self._out(self._T_R)

    @property
    def eps_qb(self) -> np.ndarray | float:
        """Level energy (energies)."""
        return self._out(self._eps)

    @property
    def is_equilibrium(self) -> np.ndarray | bool:
        """``True`` where ``mu_L == mu_R`` and ``T_L == T_R``."""
        eq = (self._mu_L == self._mu_R) & (self._T_L == self._T_R)
        return bool(eq.all()) if not self.shape else eq.reshape(self.shape)

    # ---- adaptive quadrature
    def _integrate(self, kernel: _Kernel, powers: Sequence[int],
                   extra: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Integrals ``(m, P)`` of the ``m`` node-wise outputs of ``kernel`` over the continuum.

        ``powers[j]``: output ``j`` is an energy to that power times a density, so its absolute
        tolerance is ``tol * h_max**powers[j]``. ``extra``: a further ``(mu, T)`` per point whose
        Fermi edge needs break points. Points are processed :data:`CHUNK_POINTS` at a time.
        """
        P = self._eps.size
        out = np.empty((len(powers), P))
        unit = np.array([self.dot.energy_scale ** p for p in powers], dtype=float)[:, None]
        if P <= CHUNK_POINTS and extra is None:   # one chunk: its initial pieces serve every integral
            out[:] = self._adaptive(np.arange(P), self._base_pieces, kernel, unit)
            return out
        for start in range(0, P, CHUNK_POINTS):
            pts = np.arange(start, min(P, start + CHUNK_POINTS))
            out[:, pts] = self._adaptive(pts, self._initial_pieces(pts, extra), kernel, unit)
        return out

    @cached_property
    def _base_pieces(self) -> "_Pieces":
        return self._initial_pieces(np.arange(self._eps.size), None)

    def _adaptive(self, pts: np.ndarray, pieces: "_Pieces", kernel: _Kernel, unit: np.ndarray) -> np.ndarray:
        """Bisect pieces of each point until its estimated errors meet the tolerance; the integrals ``(m, n_pts)``."""
        n_pts, m = pts.size, unit.shape[0]
        pid, anc, ao, bo = pieces
        cap = max(MAX_CHUNK_PIECES, 2 * pid.size)
        val, err, l1 = self._quad(pts[pid], anc, ao, bo, kernel, m)
        for _ in range(MAX_LEVELS):
            total, bad, bound = self._assess(pid, val, err, l1, unit, n_pts)
            if not bad.any():
                return total
            split = self._to_split(pid, ao, bo, err, l1, bad, bound, n_pts, cap)
            if not split.any():
                break
            keep = ~split
            mid = 0.5 * (ao[split] + bo[split])
            new = (np.concatenate([pid[split]] * 2), np.concatenate([anc[split]] * 2),
                   np.concatenate([ao[split], mid]), np.concatenate([mid, bo[split]]))
            nval, nerr, nl1 = self._quad(pts[new[0]], *new[1:], kernel, m)
            pid, anc, ao, bo = (np.concatenate([old[keep], fresh]) for old, fresh in zip((pid, anc, ao, bo), new))
            val, err, l1 = (np.concatenate([old[:, keep], fresh], axis=1)
                            for old, fresh in zip((val, err, l1), (nval, nerr, nl1)))
        total, bad, bound = self._assess(pid, val, err, l1, unit, n_pts)
        if bad.any():
            worst = float(np.max(self._sum(pid, err, n_pts) / bound))
            warnings.warn(f"negf: adaptive quadrature did not reach tol = {self.tol:g} at {int(bad.sum())} sweep "
                          f"point(s) (estimated error up to {worst:.2g} x tol)", RuntimeWarning, stacklevel=4)
        return total

    @staticmethod
    def _to_split(pid: np.ndarray, ao: np.ndarray, bo: np.ndarray, err: np.ndarray, l1: np.ndarray, bad: np.ndarray,
                  bound: np.ndarray, n_pts: int, cap: int) -> np.ndarray:
        """Pieces to bisect: of points that miss the tolerance, those with more than half their share of it.

        Pieces at the round-off floor of the error estimate or too narrow to halve are left alone;
        at most :data:`MAX_POINT_PIECES` pieces per point and ``cap`` (:data:`MAX_CHUNK_PIECES`, or
        twice the initial number) in all, the worst first, so memory stays bounded whatever the integrand.
        """
        eps = np.finfo(float).eps
        count = np.bincount(pid, minlength=n_pts)
        share = np.max(err / bound[:, pid], axis=0) * count[pid]
        halvable = (bo - ao > 8.0 * eps * np.maximum(np.abs(ao), np.abs(bo))) & (bo - ao > 1e-280)
        improvable = np.any(err > 100.0 * eps * l1, axis=0)
        split = bad[pid] & (share > 0.5) & halvable & improvable & (count[pid] < MAX_POINT_PIECES)
        budget = max(0, cap - pid.size)
        if np.count_nonzero(split) > budget:
            cand = np.flatnonzero(split)
            split[:] = False
            split[cand[np.argsort(-share[cand], kind="stable")[:budget]]] = True
        return split

    @staticmethod
    def _sum(pid: np.ndarray, x: np.ndarray, n_pts: int) -> np.ndarray:
        return np.stack([np.bincount(pid, weights=row, minlength=n_pts) for row in x])

    def _assess(self, pid: np.ndarray, val: np.ndarray, err: np.ndarray, l1: np.ndarray, unit: np.ndarray,
                n_pts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per point: integrals, which points miss the tolerance, and their error budgets."""
        total = self._sum(pid, val, n_pts)
        bound = self.tol * np.maximum(unit, self._sum(pid, l1, n_pts))
        bad = np.any(self._sum(pid, err, n_pts) > bound, axis=0)
        return total, bad, bound

    def _quad(self, idx: np.ndarray, anc: np.ndarray, ao: np.ndarray, bo: np.ndarray, kernel: _Kernel,
              m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kronrod values, error estimates ``|Kronrod - Gauss|`` and Kronrod values of ``|integrand|`` per piece.

        Piece ``r`` is ``[anc + ao, anc + bo]``; batches of at most :data:`CHUNK_NODES` nodes.
        """
        one_minus, one_plus, k, W = _theta_rule(self._n)
        R, N = ao.size, one_minus.size
        val, err, l1 = np.empty((m, R)), np.empty((m, R)), np.empty((m, R))
        rows = max(1, CHUNK_NODES // N)
        for s in range(0, R, rows):
            sl = slice(s, min(R, s + rows))
            a, b = ao[sl, None], bo[sl, None]
            rad = 0.5 * (b - a)
            t = np.empty((a.shape[0], N))
            t[:, :k] = a + rad * one_minus[:k]
            t[:, k:] = b - rad * one_plus[k:]
            q = _Nodes(self, idx[sl], anc[sl], t)
            rad = rad[:, 0]
            for j, f in enumerate(kernel(q)):
                kg = np.einsum("ij,jk->ik", f, W)
                val[j, sl] = rad * kg[:, 0]
                l1[j, sl] = rad * np.einsum("ij,j->i", np.abs(f), W[:, 0])
                # |K - G|, but not below the round-off floor of the sum (as QUADPACK)
                err[j, sl] = np.maximum(rad * np.abs(kg[:, 0] - kg[:, 1]), _ROUNDOFF_FLOOR * l1[j, sl])
        return val, err, l1

    # ---- initial pieces
    def _initial_pieces(self, pts: np.ndarray, extra: tuple[np.ndarray, np.ndarray] | None) -> "_Pieces":
        """Initial pieces ``(point, anchor, a, b)`` of the points ``pts`` (point index local to ``pts``).

        Break points are held as ``(cell, offset)``: ``cell`` indexes the band edge nearest to the
        point (``edges[cell]``) and ``offset`` is the distance from it, so break points graded
        towards an edge may lie closer to it than the spacing of floating-point numbers there.
        """
        d = self.dot
        lo, hi = self._lo, self._hi
        edges = np.unique(d.band_edges)
        inner = edges[(edges > lo) & (edges < hi)]  # edges strictly inside: extra break points
        parts = [np.broadcast_to(inner, (pts.size, inner.size)),
                 _grading(*self._resonance(self._eps[pts]), _LEVEL_GRADING),
                 _grading(self._mu_L[pts], self._T_L[pts], _FERMI_GRADING),
                 _grading(self._mu_R[pts], self._T_R[pts], _FERMI_GRADING)]
        if extra is not None:
            parts.append(_grading(extra[0][pts], extra[1][pts], _FERMI_GRADING))
        ends = np.ones((pts.size, 1))
        br = np.sort(np.concatenate([lo * ends, np.clip(np.concatenate(parts, axis=1), lo, hi), hi * ends], axis=1),
                     axis=1)
        br = _snap_to_edges(br, d.band_edges)
        cell = np.searchsorted(0.5 * (edges[1:] + edges[:-1]), br)
        off = br - edges[cell]
        e_cell, e_off = self._edge_breaks(self._eps[pts], edges)
        cell, off = np.concatenate([cell, e_cell], axis=1), np.concatenate([off, e_off], axis=1)
        order = np.argsort(off, axis=1, kind="stable")
        order = np.take_along_axis(order, np.argsort(np.take_along_axis(cell, order, axis=1), axis=1, kind="stable"),
                                   axis=1)
        cell, off = np.take_along_axis(cell, order, axis=1), np.take_along_axis(off, order, axis=1)
        anc = edges[cell[:, :-1]]
        ao, bo = off[:, :-1], (edges[cell[:, 1:]] - anc) + off[:, 1:]
        keep = bo > ao
        pid = np.broadcast_to(np.arange(pts.size)[:, None], ao.shape)[keep]
        return pid, anc[keep], ao[keep], bo[keep]

    def _resonance(self, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Renormalised peak ``w = eps + Re Sigma(w)`` (clipped to the continuum) and its half-width.

        Only break points depend on this: a poor estimate costs accuracy, never correctness.
        """
        d = self.dot
        w = eps.copy()
        for _ in range(4):
            w = np.clip(eps + np.real(d.v_L ** 2 * _surface_green(w, d.eps_L, d.h_L)
                                      + d.v_R ** 2 * _surface_green(w, d.eps_R, d.h_R)), self._lo, self._hi)
        half = 0.5 * np.asarray(d.gamma(w))
        return w, np.maximum(half, 1e-3 * d.width_scale)

    def _edge_breaks(self, eps: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r"""Break points ``(cell, offset)`` graded towards each band edge on the scale of its nearest pole.

        The pole at distance :math:`s = |F(E)|^2/a^2` (see :meth:`Dot._edge_poles`) makes
        :math:`A` vary on the scale :math:`s` next to the edge; offsets :math:`\pm s\,4^j`
        (:math:`s\,4^j < h`, inside the continuum and nearer to this edge than to the next) resolve
        it. Only points near a bound-state threshold get any; unused slots are ``(0, 0.0)``, a
        copy of the lower end of the continuum.
        """
        E, c, a, h = self.dot._edge_poles()
        s = np.maximum(np.abs(c[None, :] - eps[:, None]) ** 2 / (a * a)[None, :], _EDGE_FLOOR * h[None, :])
        count = np.maximum(np.ceil(np.log(h[None, :] / s) / math.log(_EDGE_RATIO)), 0.0)
        n_max = int(np.max(count, initial=0.0))
        if n_max == 0:
            return np.zeros((eps.size, 0), dtype=int), np.zeros((eps.size, 0))
        room_lo, room_hi = self._edge_rooms(edges)
        dist = s[:, :, None] * _EDGE_RATIO ** np.arange(n_max)[None, None, :]      # (P, n_edges, n_max)
        used = np.arange(n_max)[None, None, :] < count[:, :, None]
        lower = np.where(used & (dist <= room_lo[None, :, None]), -dist, np.nan)
        upper = np.where(used & (dist <= room_hi[None, :, None]), dist, np.nan)
        off = np.concatenate([lower, upper], axis=2).reshape(eps.size, -1)
        cell = np.broadcast_to(np.arange(E.size)[None, :, None], lower.shape[:2] + (2 * n_max,)).reshape(eps.size, -1)
        unused = np.isnan(off)
        return np.where(unused, 0, cell), np.where(unused, 0.0, off)

    def _edge_rooms(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per edge: how far below / above it graded break points may go (half-way to the next edge, in the bands)."""
        half = 0.5 * np.diff(edges)
        mids = 0.5 * (edges[1:] + edges[:-1])
        in_support = np.array([any(lo < x < hi for lo, hi in self.dot.support) for x in mids], dtype=bool)
        half = np.where(in_support, half, 0.0)
        return np.concatenate([[0.0], half]), np.concatenate([half, [0.0]])


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
        """Bound states (a list per sweep point for a sweep)."""
        return self._bound[0] if not self.shape else self._bound

    def _bound_sum(self, fn: Callable[[float, Any, Any, int], Any]) -> np.ndarray:
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
    def _standard(self) -> np.ndarray:
        """Continuum parts of ``(I_Q, J_E, N, E)``, computed in one pass (rows)."""
        return self._integrate(_kernel_standard, (1, 2, 0, 1))

    @property
    def _currents(self) -> tuple[np.ndarray, np.ndarray]:
        return self._standard[0], self._standard[1]

    @property
    def charge_current(self) -> np.ndarray | float:
        r"""Particle (charge, e = 1) current :math:`I_Q`, eq. (7), positive left to right (energy units; ħ = 1)."""
        return self._out(self._currents[0])

    @property
    def energy_current(self) -> np.ndarray | float:
        r"""Energy current :math:`J_E`, eq. (8), positive from left to right (energy²; ħ = 1)."""
        return self._out(self._currents[1])

    def heat_current(self, lead: str) -> np.ndarray | float:
        r"""Heat current :math:`J_H^\alpha = J_E - \mu_\alpha I_Q`.

        Parameters
        ----------
        lead : {"L", "R"}
            ``"L"``: heat per unit time leaving the left reservoir; ``"R"``: heat entering the right one.

        Returns
        -------
        float or ndarray
            :math:`J_H^\alpha` (energy²; ħ = 1), of the sweep shape.

        Raises
        ------
        ValueError
            For another lead name.
        """
        V.choice(lead, "lead", LEADS)
        mu = self._mu_L if lead == "L" else self._mu_R
        I, J = self._currents
        return self._out(J - mu * I)

    @property
    def entropy_production(self) -> np.ndarray | float:
        r"""Entropy production rate :math:`\sigma = (\beta_L\mu_L - \beta_R\mu_R) I_Q - (\beta_L - \beta_R) J_E \ge 0`.

        In nats per unit time (energy units, ħ = 1).

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
    @cached_property
    def _occupation(self) -> np.ndarray:
        return self._standard[2] + self._bound_sum(lambda e, n, m, i: n)

    @property
    def occupation(self) -> np.ndarray | float:
        r"""Dot occupation :math:`N = \int A f^{NE} d\omega` (+ bound states), eq. (10), in ``[0, 1]``.

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._occupation)

    @property
    def energy(self) -> np.ndarray | float:
        r"""Dot energy of the paper, :math:`E = \int \omega A f^{NE} d\omega` (+ bound states), eq. (11).

        Energy units. This is *not* :math:`\mathrm{Tr}\,\rho H = \varepsilon_{QB} N` of the common
        steady-state interface (that is :attr:`level_energy`): eq. (11) weighs each energy of the
        hybridised level, :math:`E - \varepsilon_{QB} N = \int (\omega - \varepsilon_{QB}) A f^{NE}`.

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._standard[3] + self._bound_sum(lambda e, n, m, i: e * n))

    @property
    def entropy(self) -> np.ndarray | float:
        r"""Dot entropy of the paper, :math:`S = \int A\, s(f^{NE}) d\omega` (+ bound states), eq. (12), in nats.

        Not the von Neumann entropy of :attr:`rho` (that is :attr:`reduced_state_entropy`,
        which is never smaller).

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._integrate(_kernel_entropy, (0,))[0]
                         + self._bound_sum(lambda e, n, m, i: _binary_entropy(n, m)))

    def _extra(self, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """``None`` if ``(mu, T)`` is a lead's (its Fermi edge already has break points), else ``(mu, T)``."""
        for m, t in ((self._mu_R, self._T_R), (self._mu_L, self._T_L)):
            if np.array_equal(mu, m) and np.array_equal(T, t):
                return None
        return mu, T

    def exergy(self, mu_eq: Any, T_eq: Any) -> np.ndarray | float:
        r"""Dimensionless exergy :math:`\beta W_{ext}`, eq. (13), with :math:`\beta = 1/T_{eq}`.

        :math:`\beta W_{ext} = \int A\,[f\ln(f/f^{eq}) + (1-f)\ln((1-f)/(1-f^{eq}))]\,d\omega \ge 0`,
        with :math:`f = f^{NE}` and :math:`f^{eq}` the Fermi function at ``(mu_eq, T_eq)``.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`,
            broadcastable to the sweep shape.
        T_eq : float or array_like
            Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.

        Returns
        -------
        float or ndarray
            :math:`\beta W_{ext}` in nats, of the sweep shape.

        Raises
        ------
        ValueError
            For ``T_eq = 0``, where :math:`\beta W_{ext}` diverges unless the state is the ground
            state (use :meth:`extractable_work`, whose ``T_eq -> 0`` limit is finite); for
            out-of-range or non-broadcastable input; out of equilibrium with a bound state and
            no ``bound_occupation``.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy beta*W_ext (it diverges as "
                             "T_eq -> 0); use extractable_work(mu_eq, T_eq), which allows T_eq = 0")
        cont = self._integrate(_exergy_kernel(mu, T), (0,), self._extra(mu, T))[0]

        def bound(e: float, n: Any, m: Any, i: int) -> Any:
            a, b = _log_fermi(np.array(e), mu[i], T[i])
            return _bernoulli_relative_entropy(n, m, a, b)

        return self._out(cont + self._bound_sum(bound))

    def extractable_work(self, mu_eq: Any, T_eq: Any) -> np.ndarray | float:
        r"""Exergy :math:`W_{ext} = \Lambda - \Lambda^{eq}` in energy units (``T_eq = 0`` allowed).

        For ``T_eq > 0`` this is ``T_eq * exergy(mu_eq, T_eq)``. At ``T_eq = 0`` it is the limit
        :math:`\int A(\omega)\,(\omega - \mu_{eq})\,[f^{NE}(\omega) - \Theta(\mu_{eq} - \omega)]\,d\omega`.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
        T_eq : float or array_like
            Its temperature: 0 or :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.

        Returns
        -------
        float or ndarray
            :math:`W_{ext} \ge 0` (energy units), of the sweep shape.

        Raises
        ------
        ValueError
            For out-of-range or non-broadcastable input; out of equilibrium with a bound state
            and no ``bound_occupation``.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        out = np.zeros(self._eps.size)
        hot = T > 0.0
        if np.any(hot):
            bw = np.asarray(self.exergy(np.where(hot, mu, mu[0]).reshape(self.shape),
                                        np.where(hot, T, 1.0).reshape(self.shape))).ravel()
            out = np.where(hot, T * bw, out)
        if np.any(~hot):
            cold = self._integrate(_cold_work_kernel(mu), (1,), self._extra(mu, np.zeros_like(T)))[0]
            cold = cold + self._bound_sum(lambda e, n, m, i: (e - mu[i]) * (n - float(e < mu[i])))
            out = np.where(hot, out, cold)
        return self._out(out)

    # ---- Appendix A: the approximate reduced density matrix
    @property
    def reduced_state_entropy(self) -> np.ndarray | float:
        r"""Entropy (A4) of the Appendix-A state :math:`\varrho = e^{-a d^\dagger d}/Z` with :math:`\langle n\rangle = N`.

        :math:`S_\varrho = -N\ln N - (1 - N)\ln(1 - N)` (nats) with :math:`N` = :attr:`occupation`:
        the von Neumann entropy of :attr:`rho`. By concavity of the binary entropy (Jensen)
        :math:`S_\varrho \ge` :attr:`entropy`.
        """
        N = np.clip(self._occupation, 0.0, 1.0)
        return self._out(_binary_entropy(N, 1.0 - N))

    def reduced_state_exergy(self, mu_eq: Any, T_eq: Any, reference: str = "isolated") -> np.ndarray | float:
        r"""Exergy (A5) of the Appendix-A state, :math:`N\ln(N/r) + (1-N)\ln((1-N)/(1-r))`.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
        T_eq : float or array_like
            Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.
        reference : {"isolated", "coupled"}
            The reference occupation :math:`r`. ``"isolated"`` (the literal reading of (A2)/(A5):
            the Gibbs state of the isolated level) uses :math:`r = f^{eq}(\varepsilon_{QB})`; it is
            *not* zero at equilibrium for finite coupling (an :math:`O(v^4)` offset, since
            :math:`N^{eq} - f^{eq}(\varepsilon_{QB}) = O(v^2)`).
            ``"coupled"`` uses the equilibrium occupation of the coupled dot,
            :math:`r = \int A f^{eq}`; it vanishes at equilibrium and, by joint convexity of the
            relative entropy, never exceeds :meth:`exergy`.

        Returns
        -------
        float or ndarray
            The dimensionless exergy (nats), of the sweep shape.

        Raises
        ------
        ValueError
            For ``T_eq = 0``, an unknown ``reference``, or out-of-range input.
        """
        V.choice(reference, "reference", ("isolated", "coupled"))
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy (A5)")
        N = np.clip(self._occupation, 0.0, 1.0)
        if reference == "isolated":
            lr, ls = _log_fermi(self._eps, mu, T)
        else:
            ref = NESS(self.dot, mu, mu, T, T, self._eps, None, self._n, self.tol)
            r = ref._occupation
            lr, ls = np.log(r), np.log1p(-r)
        return self._out(_bernoulli_relative_entropy(N, 1.0 - N, lr, ls))

    # ---- the common steady-state interface (qbcore.master.SteadyState)
    def _stack(self, x: np.ndarray, tail: tuple[int, ...]) -> np.ndarray:
        return np.asarray(x, dtype=float).reshape(self.shape + tail)

    @property
    def rho(self) -> np.ndarray:
        r"""Reduced state of the dot, :math:`\rho = \mathrm{diag}(1 - N, N)` (basis: empty, occupied).

        Exact for this non-interacting, number-conserving model (:math:`N` = :attr:`occupation`).
        Shape ``(2, 2)``, or ``shape + (2, 2)`` for a sweep.
        """
        N = self._occupation
        out = np.zeros((N.size, 2, 2))
        out[:, 0, 0], out[:, 1, 1] = 1.0 - N, N
        return self._stack(out, (2, 2))

    @property
    def H(self) -> np.ndarray:
        r"""Level Hamiltonian :math:`\mathrm{diag}(0, \varepsilon_{QB})` in the basis of :attr:`rho` (energy units)."""
        out = np.zeros((self._eps.size, 2, 2))
        out[:, 1, 1] = self._eps
        return self._stack(out, (2, 2))

    @property
    def energies(self) -> np.ndarray:
        r"""Eigenvalues of :attr:`H`, ascending: :math:`(\min(0, \varepsilon_{QB}), \max(0, \varepsilon_{QB}))`."""
        e = np.stack([np.minimum(0.0, self._eps), np.maximum(0.0, self._eps)], axis=1)
        return self._stack(e, (2,))

    @property
    def populations(self) -> np.ndarray:
        r"""Populations of the eigenstates of :attr:`H`, in ascending-energy order.

        ``(1 - N, N)`` for :math:`\varepsilon_{QB} \ge 0`, ``(N, 1 - N)`` for :math:`\varepsilon_{QB} < 0`.
        """
        N = self._occupation
        neg = self._eps < 0.0
        p = np.stack([np.where(neg, N, 1.0 - N), np.where(neg, 1.0 - N, N)], axis=1)
        return self._stack(p, (2,))

    @property
    def level_energy(self) -> np.ndarray | float:
        r""":math:`\mathrm{Tr}\,\rho H = \varepsilon_{QB} N` (energy units): the ``energy`` of the common interface.

        (:attr:`energy` keeps the paper's eq. (11).)
        """
        return self._out(self._eps * self._occupation)

    @property
    def stored_energy(self) -> np.ndarray | float:
        r""":math:`\mathrm{Tr}\,\rho H - E_0`, :math:`E_0 = \min(0, \varepsilon_{QB})`, the ground energy."""
        return self._out(self._eps * self._occupation - np.minimum(0.0, self._eps))

    @property
    def ergotropy(self) -> np.ndarray | float:
        r"""Ergotropy of :attr:`rho` with respect to :attr:`H` (energy units).

        :math:`\mathcal W = \varepsilon_{QB} N - \sum_k r^\downarrow_k e^\uparrow_k
        = \max\big(0, \varepsilon_{QB}(2N - 1)\big)`: zero unless the upper level of :attr:`H`
        holds more than half. Equals ``qbcore.thermo.ergotropy(rho, H)``, including its
        round-off clamp to exactly 0 (``|W| <= ROUNDOFF * |eps_qb|``).
        """
        N = self._occupation
        e_lo, e_hi = np.minimum(0.0, self._eps), np.maximum(0.0, self._eps)
        p_hi, p_lo = np.maximum(N, 1.0 - N), np.minimum(N, 1.0 - N)
        W = self._eps * N - (p_hi * e_lo + p_lo * e_hi)
        return self._out(roundoff_zero(W, np.abs(self._eps)))

    @property
    def kernel_dim(self) -> int:
        """Dimension of the steady-state manifold: 1 (bound-state occupations, if any, are fixed by the caller)."""
        return 1

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique (always ``True``, see :attr:`kernel_dim`)."""
        return True

    @property
    def min_eigenvalue(self) -> np.ndarray | float:
        """Smallest eigenvalue of :attr:`rho`, :math:`\\min(N, 1 - N)` (negative only by round-off)."""
        N = self._occupation
        return self._out(np.minimum(N, 1.0 - N))

    @property
    def is_positive(self) -> np.ndarray | bool:
        """Whether :attr:`rho` is positive semidefinite to 1e-10 (an array for a sweep)."""
        ok = np.minimum(self._occupation, 1.0 - self._occupation) >= -1e-10
        return bool(ok.all()) if not self.shape else ok.reshape(self.shape)

    # ---- distributions for plots
    def distribution(self, w: Any, which: str = "NE") -> np.ndarray:
        r"""Distribution at energies ``w``.

        Parameters
        ----------
        w : float or array_like
            Energies, :math:`|\omega| \le 10^6 h_{max}`.
        which : {"NE", "L", "R"}
            ``"NE"``: :math:`f^{NE}` (eq. 9); ``"L"``, ``"R"``: the Fermi function of that lead.

        Returns
        -------
        ndarray
            Occupations in ``[0, 1]``, same shape as ``w``. Outside both bands :math:`f^{NE}` is
            undefined and returned as NaN.

        Raises
        ------
        ValueError
            For a sweep (only a single steady state has one distribution), an unknown ``which``
            or bad energies.
        """
        V.choice(which, "which", ("NE", "L", "R"))
        if self.shape:
            raise ValueError("distribution() needs a single steady state, not a sweep")
        w = self.dot._energies(w)
        fL = _fermi_pair(w, self._mu_L[0], self._T_L[0])[0]
        fR = _fermi_pair(w, self._mu_R[0], self._T_R[0])[0]
        if which == "L":
            return fL
        if which == "R":
            return fR
        gL, gR = self.dot.gamma(w, "L"), self.dot.gamma(w, "R")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(gL + gR > 0.0, (gL * fL + gR * fR) / (gL + gR), np.nan)


def steady_state(dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, *, eps_qb: Any = None,
                 bound_occupation: float | None = None, n_nodes: int = N_NODES, tol: float = TOL) -> NESS:
    r"""The non-equilibrium steady state of ``dot`` between reservoirs ``(mu_L, T_L)`` and ``(mu_R, T_R)``.

    Parameters
    ----------
    dot : Dot
        The junction.
    mu_L, mu_R : float or array_like
        Chemical potentials, :math:`|\mu| \le 10^6 h_{max}` (arrays broadcast together with the
        other parameters: a vectorised sweep of any size; memory stays bounded).
    T_L, T_R : float or array_like
        Temperatures: 0 (exact step functions) or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    eps_qb : float or array_like, optional
        Level energy (energies) overriding ``dot.eps_qb``, for sweeps over the gate;
        :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.
    bound_occupation : float, optional
        Occupation in ``[0, 1]`` assigned to bound states out of equilibrium (they exist only
        far outside the paper's regime; see the module docstring). Default: raise if needed.
    n_nodes : int
        Gauss nodes per piece of the adaptive Gauss–Kronrod rule, in ``[8, 200]`` (default 16).
        Affects only the cost, not the accuracy, which ``tol`` controls.
    tol : float
        Target accuracy of every continuum integral, in :data:`TOL_RANGE` (default 1e-11):
        absolute in units of :math:`h_{max}` (``tol`` for :math:`N`, :math:`S`,
        :math:`\beta W_{ext}`; ``tol * h_max`` for :math:`I_Q`; ``tol * h_max**2`` for
        :math:`J_E`), or relative to :math:`\int|\text{integrand}|` where that is larger.

    Returns
    -------
    NESS
        Quantities are computed on first access (and currents and occupation cached).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot`, out-of-range or non-broadcastable
        parameters, or a bad ``n_nodes``, ``tol`` or ``bound_occupation``.

    Examples
    --------
    >>> ness = steady_state(Dot(eps_qb=0.4), mu_L=0.6, mu_R=0.1, T_L=0.1, T_R=0.1)
    >>> ness.charge_current > 0
    True
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    unit = dot.energy_scale
    mu_L = _as_param(mu_L, "mu_L", unit)
    mu_R = _as_param(mu_R, "mu_R", unit)
    T_L = _as_param(T_L, "T_L", unit, temperature=True)
    T_R = _as_param(T_R, "T_R", unit, temperature=True)
    eps = _as_param(dot.eps_qb if eps_qb is None else eps_qb, "eps_qb", unit)
    if bound_occupation is not None:
        bound_occupation = V.real_number(bound_occupation, "bound_occupation", lo=0.0, hi=1.0)
    n_nodes = _node_count(n_nodes)
    tol = _tolerance(tol)
    try:
        np.broadcast_shapes(mu_L.shape, mu_R.shape, T_L.shape, T_R.shape, eps.shape)
    except ValueError as exc:
        raise ValueError("mu_L, mu_R, T_L, T_R and eps_qb must broadcast to one shape") from exc
    return NESS(dot, mu_L, mu_R, T_L, T_R, eps, bound_occupation, n_nodes, tol)


def optimal_level(dot: Dot, mu_L: float, mu_R: float, T_L: float, T_R: float, mu_eq: float, T_eq: float,
                  bounds: tuple[float, float] | None = None, n_grid: int = 241,
                  tol: float = TOL) -> tuple[float, float]:
    r"""The gate setting :math:`\varepsilon_{QB}^*` that maximises :math:`\beta W_{ext}` at fixed reservoirs.

    A vectorised scan over ``n_grid`` levels finds the global maximum; a bounded Brent search
    refines it to ~1e-8.

    Parameters
    ----------
    dot : Dot
        Lead parameters (its ``eps_qb`` is ignored).
    mu_L, mu_R : float
        Chemical potentials of the reservoirs, :math:`|\mu| \le 10^6 h_{max}`.
    T_L, T_R : float
        Their temperatures: 0 or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    mu_eq : float
        Chemical potential of the reference for the exergy, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
    T_eq : float
        Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.
    bounds : (float, float), optional
        Search interval (``bounds[0] < bounds[1]``, within :math:`\pm 10^6 h_{max}`); default:
        the chemical potentials widened by ``1 + 10 max(T)`` on each side, clipped to the lead
        bands (where no bound state forms).
    n_grid : int
        Scan points (>= 11).
    tol : float
        Accuracy of the exergy integrals, see :func:`steady_state`.

    Returns
    -------
    (float, float)
        :math:`(\varepsilon_{QB}^*, \beta W_{ext}^*)` (energy units, nats).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot` or out-of-range parameters.
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    unit = dot.energy_scale
    vals = [_energy(x, n, unit) for x, n in ((mu_L, "mu_L"), (mu_R, "mu_R"), (mu_eq, "mu_eq"))]
    temps = [float(_temperature_array(x, n, unit)) for x, n in ((T_L, "T_L"), (T_R, "T_R"), (T_eq, "T_eq"))]
    if temps[2] == 0.0:
        raise ValueError("T_eq must be > 0 (the exergy beta*W_ext diverges as T_eq -> 0)")
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 11:
        raise ValueError(f"n_grid must be an integer >= 11; got {n_grid!r}")
    tol = _tolerance(tol)
    if bounds is None:
        pad = 1.0 + 10.0 * max(temps)
        lo, hi = min(vals) - pad, max(vals) + pad
        edge = dot.support
        lo, hi = max(lo, edge[0][0] + 0.05), min(hi, edge[-1][1] - 0.05)
    else:
        lo = _energy(bounds[0], "bounds[0]", unit)
        hi = _energy(bounds[1], "bounds[1]", unit)
        if not hi > lo:
            raise ValueError(f"bounds must satisfy bounds[0] < bounds[1]; got {tuple(bounds)}")

    def curve(e: Any) -> Any:
        return steady_state(dot, mu_L, mu_R, T_L, T_R, eps_qb=e, tol=tol).exergy(mu_eq, T_eq)

    grid = np.linspace(lo, hi, int(n_grid))
    bw = np.asarray(curve(grid))
    i = int(np.argmax(bw))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = minimize_scalar(lambda e: -float(curve(e)), bounds=(a, b), method="bounded",
                          options={"xatol": 1e-9})
    if -res.fun >= bw[i]:
        return float(res.x), float(-res.fun)
    return float(grid[i]), float(bw[i])
