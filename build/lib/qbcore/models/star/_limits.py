r"""Closed forms and limits: ``N = 2``, the charging threshold, the triplet and :math:`N\to\infty` plateaus.

Units: :math:`\hbar = k_B = 1`; energies, rates and temperatures share the unit of ``omega0``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq

from ... import _validate as V
from ...baths import fermi
from ._model import _real, _real_array, edges, params
from ._solve import steady_state
from ._symmetric import _Symmetric


def _occupation_array(n: Any, name: str, hi_open: bool = False) -> np.ndarray:
    """``n`` as a float array in ``[0, 1]`` (``[0, 1)`` if ``hi_open``) or ``ValueError``."""
    arr = V.real_array(n, name)
    if np.any((arr < 0) | ((arr >= 1) if hi_open else (arr > 1))):
        raise ValueError(f"{name} must lie in [0, 1{')' if hi_open else ']'}")
    return arr


def two_qubit_population(n1: Any, n2: Any, J: Any = 1.0, gamma: Any = 1.0) -> np.ndarray | float:
    r"""Battery population for ``N = 2`` with local reservoirs (exact, any parameters).

    The two-point function closes for two qubits: with :math:`c = \langle\sigma^+_1\sigma^-_2\rangle`,
    :math:`\dot c = iJ(p_2-p_1) - \gamma c` (each fermionic reservoir damps coherences at
    :math:`\gamma/2`) and :math:`\dot p_1 = -\gamma(p_1-n_1) + 2J\,\mathrm{Im}\,c`, so

    .. math:: p_1 = n_1 + \frac{\kappa}{1+2\kappa}(n_2-n_1),\qquad \kappa = 2J^2/\gamma^2.

    Parameters
    ----------
    n1 : float or array_like
        Occupation of the battery's reservoir, in ``[0, 1]``.
    n2 : float or array_like
        Occupation of the ancilla's reservoir, in ``[0, 1]``.
    J : float or array_like
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float or array_like
        Reservoir rate (energy units), ``[1e-6, 1e6]``.

    Returns
    -------
    float or ndarray
        :math:`p_1` in ``[0, 1]``, broadcast over the inputs (a float for scalar input).

    Raises
    ------
    ValueError
        An occupation outside ``[0, 1]``, or ``J`` / ``gamma`` outside its range.
    """
    n1, n2 = _occupation_array(n1, "n1"), _occupation_array(n2, "n2")
    J, gamma = _real_array(J, "J"), _real_array(gamma, "gamma")
    k = 2 * J ** 2 / gamma ** 2
    out = n1 + k / (1 + 2 * k) * (n2 - n1)
    return out if np.ndim(out) else float(out)


def two_qubit_threshold(mu: float = 0.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                        omega: float = 1.0) -> float:
    r"""Smallest :math:`\Delta\mu` that charges the ``N = 2`` battery (:math:`p_1 = 1/2`), closed form.

    :math:`n_2^* = n_1 + (\tfrac12 - n_1)(1+2\kappa)/\kappa`;
    :math:`\Delta\mu^* = \omega - \mu + T\ln[n_2^*/(1-n_2^*)]`.
    The signed root: negative when the battery is charged already at :math:`\Delta\mu = 0`
    (:math:`n_1 > 1/2`); ``-inf`` if it stays charged for every bias (:math:`n_2^* \le 0`) and ``inf``
    if no bias suffices (:math:`n_2^* \ge 1`, i.e. :math:`\kappa \le (1/2 - n_1)/n_1`).

    Parameters
    ----------
    mu : float
        Chemical potential of the battery's reservoir (energy units), ``[-1e6, 1e6]``.
    T : float
        Temperature (energy units), ``(0, 1e6]`` (the closed form needs ``T > 0``).
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency of the occupations (energy units), ``[-1e6, 1e6]``.

    Returns
    -------
    float
        :math:`\Delta\mu^*` (energy units), or ``inf`` / ``-inf`` as above.

    Raises
    ------
    ValueError
        A parameter outside its range (named), including ``T = 0``.
    """
    T = V.real_number(T, "T", lo=0.0, hi=1e6, lo_open=True)
    mu, omega = _real(mu, "mu"), _real(omega, "omega")
    k = 2 * _real(J, "J") ** 2 / _real(gamma, "gamma") ** 2
    n1 = float(fermi(omega, mu, T))
    if k == 0:
        return -math.inf if n1 >= 0.5 else math.inf
    n2 = n1 + (0.5 - n1) * (1 + 2 * k) / k
    if n2 >= 1.0:
        return math.inf
    if n2 <= 0.0:
        return -math.inf
    return float(omega - mu + T * math.log(n2 / (1 - n2)))


def triplet_population(n: Any) -> np.ndarray | float:
    r"""Battery population in the symmetric (triplet) steady state of a battery + spin-1/2 pair.

    For collective dissipation the grand-canonical weights :math:`x^{\hat N}`, :math:`x = n/(1-n)`,
    restricted to the triplet :math:`\{|ee\rangle, |T_0\rangle, |gg\rangle\}` give
    :math:`p_T = (x^2 + x/2)/(1 + x + x^2)`; the singlet (a dark state) gives :math:`1/2`.

    Parameters
    ----------
    n : float or array_like
        Occupation of the common reservoir, in ``[0, 1]``.

    Returns
    -------
    float or ndarray
        :math:`p_T` in ``[0, 1]``, same shape as ``n`` (a float for scalar input).

    Raises
    ------
    ValueError
        ``n`` outside ``[0, 1]``.
    """
    n = _occupation_array(n, "n")
    # written with n to stay finite at n = 1: x^2 + x/2 over 1 + x + x^2, times (1-n)^2
    num = n ** 2 + 0.5 * n * (1 - n)
    den = (1 - n) ** 2 + n * (1 - n) + n ** 2
    out = num / den
    return out if np.ndim(out) else float(out)


def large_n_saturation(n1: Any) -> np.ndarray | float:
    r"""Battery population of the star for :math:`N\to\infty` with fully inverted ancillas (:math:`n_A = 1`).

    With :math:`n_A = 1` the ancillas are a reservoir of holes; a hole created by the flip-flop is refilled
    at rate :math:`\gamma` and, for :math:`N\to\infty`, stays in the symmetric (Dicke) manifold, so the
    holes form one damped bosonic mode coupled to the battery with strength :math:`J\sqrt{N-1}\to\infty`.
    The doublets :math:`\{|g,k\rangle, |e,k+1\rangle\}` (:math:`k` holes) are then equally populated and,
    with the isolated :math:`|e,0\rangle`, form a birth–death chain whose solution is

    .. math:: p_1^\infty = \frac{A + \tfrac12 F}{A + F},\quad A = \frac{1+n_1}{2(1-n_1)},\quad
              F = {}_1F_1\!\left(1; \tfrac{3+n_1}{2}; \tfrac{1-n_1}{2}\right),

    independent of :math:`J \ne 0`, :math:`\gamma` and :math:`T` except through :math:`n_1`.
    Corrections are :math:`O(1/N)` (checked against the symmetric solver in the tests).

    Parameters
    ----------
    n1 : float or array_like
        Occupation of the battery's reservoir, in ``[0, 1)``.

    Returns
    -------
    float or ndarray
        :math:`p_1^\infty` in ``[1/2, 1)``, same shape as ``n1`` (a float for scalar input).

    Raises
    ------
    ValueError
        ``n1`` outside ``[0, 1)``.
    """
    from scipy.special import hyp1f1

    n1 = _occupation_array(n1, "n1", hi_open=True)
    A = (1 + n1) / (2 * (1 - n1))
    F = hyp1f1(1.0, 0.5 * (3 + n1), 0.5 * (1 - n1))
    out = (A + 0.5 * F) / (A + F)
    return out if np.ndim(out) else float(out)


def charging_threshold(N: int = 3, mu: float = 0.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                       omega: float = 1.0, topology: str = "star", hi: float = 60.0, xtol: float = 1e-10) -> float:
    r"""Smallest :math:`\Delta\mu \in [0, \mathrm{hi}]` at which the battery charges (:math:`p_1 = 1/2`).

    Root of :math:`p_1(\Delta\mu) - 1/2` by Brent's method (:math:`p_1` grows monotonically with
    :math:`\Delta\mu`), on the permutation-symmetric solver (star) or the exact sector solver (chain);
    local dissipation.

    Parameters
    ----------
    N : int
        Number of qubits: ``[1, 400]`` (star) or ``[1, 10]`` (chain).
    mu : float
        Chemical potential of the battery's reservoir (energy units), ``[-1e6, 1e6]``.
    T : float
        Temperature of every reservoir (energy units), ``[0, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency of the reservoir occupations (energy units), ``[-1e6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).
    hi : float
        Upper end of the bias bracket (energy units), ``(0, 1e4]``.
    xtol : float
        Absolute tolerance of the root (energy units), ``(0, 1]``.

    Returns
    -------
    float
        :math:`\Delta\mu^*` (energy units); ``0.0`` if already charged at :math:`\Delta\mu = 0` and
        ``inf`` if not charged at ``hi``.

    Raises
    ------
    ValueError
        A parameter outside its range (named), or ``N`` beyond the solver's limit.
    """
    hi = V.real_number(hi, "hi", lo=0.0, hi=1e4, lo_open=True)
    xtol = V.real_number(xtol, "xtol", lo=0.0, hi=1.0, lo_open=True)
    params(N, mu, 0.0, T, 10.0, omega, J, gamma, topology, "local")          # validate once
    method = "symmetric" if topology == "star" else "sector"
    if topology == "star":
        sym = _Symmetric.build(N)
        fb = sym.battery_vector()

        def f(d: float) -> float:
            p = params(N, mu, d, T, 10.0, omega, J, gamma, topology, "local")
            return float(fb @ sym.solve(sym.generator(p.J, *p.rates()))) - 0.5
    else:
        def f(d: float) -> float:
            return steady_state(N, mu, d, T, 10.0, omega, J, gamma, topology, method=method).battery_population - 0.5

    if f(0.0) >= 0:
        return 0.0
    if f(hi) <= 0:
        return math.inf
    return float(brentq(f, 0.0, hi, xtol=xtol))


def gaussian_populations(N: int = 3, mu: float = 1.0, delta_mu: float = 0.0, T: float = 1.0, J: float = 1.0,
                         gamma: float = 1.0, omega: float = 1.0, topology: str = "star") -> np.ndarray:
    r"""Site populations of the *free-fermion* model with the same graph (a tempting shortcut, not this model).

    Replaces each :math:`\sigma^\pm_i` by a fermion :math:`c_i^{(\dagger)}` without Jordan–Wigner strings and
    solves the Lyapunov equation for :math:`C_{ij} = \langle c^\dagger_i c_j\rangle`,
    :math:`(iJh - \tfrac\gamma2)C + C(-iJh - \tfrac\gamma2) = -\gamma\,\mathrm{diag}(n)`. It equals the spin
    model for ``N <= 2`` only: the strings of a bath acting between two coupled sites make the spin
    model's dissipators quartic in fermions (chain), and the star's hub–spoke hopping is itself
    non-quadratic for ``N >= 4``. Kept to show that failure (chapter and tests).

    Parameters
    ----------
    N : int
        Number of sites, ``[1, 400]``.
    mu : float
        Chemical potential of the battery's reservoir (energy units), ``[-1e6, 1e6]``.
    delta_mu : float
        Excess chemical potential of the ancillas' reservoirs (energy units), ``[-1e6, 1e6]``.
    T : float
        Temperature of every reservoir (energy units), ``[0, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``.
    gamma : float
        Reservoir rate (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency of the reservoir occupations (energy units), ``[-1e6, 1e6]``.
    topology : {"star", "chain"}
        Coupling graph (see :func:`edges`).

    Returns
    -------
    ndarray, shape (N,)
        Free-fermion site populations :math:`C_{ii}`, battery first.

    Raises
    ------
    ValueError
        A parameter outside its range (named; see :func:`params`).
    """
    from scipy.linalg import solve_sylvester

    p = params(N, mu, delta_mu, T, 10.0, omega, J, gamma, topology, "local")
    h = np.zeros((p.N, p.N))
    for a, b in edges(p.N, p.topology):
        h[a, b] = h[b, a] = 1.0
    n = np.array([p.n_battery] + [p.n_ancilla] * (p.N - 1))
    A = 1j * p.J * h - 0.5 * p.gamma * np.eye(p.N)
    C = solve_sylvester(A, A.conj().T, -np.diag(p.gamma * n))
    return np.real(np.diag(C))
