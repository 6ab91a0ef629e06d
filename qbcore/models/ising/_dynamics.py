r"""Relaxation, charging and bath currents of the Ising battery, from the Pauli rate generator.

The generator of this model's dynamics from any diagonal state (the ground state included) is the
Pauli master equation of the product-basis populations, :math:`\dot p = Mp` with
:math:`M = W - \mathrm{diag}(\sum_i W_{ij})` (:func:`rate_generator`): diagonal states stay diagonal
(module docstring), so the coherences never enter. Its gap is the relaxation rate attached to
:func:`steady_state`, and the charging curve is :math:`e^{Mt}p_0` with :math:`p_0` the ground level.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ... import master
from ._model import (CELL_NAMES, _broadcast, _energies, _flip_freqs, _n_cells, _parse_kappa, _rates,
                     _zero_tol, configurations, hamiltonian)
from ._sweep import _ergotropy_diag


def _cell_rate_matrices(T: np.ndarray, w: np.ndarray, lamM: np.ndarray, kappa: float, n: int) -> np.ndarray:
    """``W_i[..., b', b]``: rate of ``b -> b'`` driven by bath ``i`` (stacked on axis -3)."""
    d = 2 ** n
    E = _energies(w, lamM, n)
    r = _rates(_flip_freqs(w, lamM, n), T[..., None, :], kappa, _zero_tol(E)[..., None, None])
    W = np.zeros(E.shape[:-1] + (n, d, d))
    b = np.arange(d)
    for i in range(n):
        W[..., i, b ^ (1 << (n - 1 - i)), b] = r[..., :, i]
    return W


def _single_point(temperatures: Sequence[Any], omega: Any, couplings: Any, kappa: float):
    n = _n_cells(temperatures)
    hamiltonian(omega, couplings, n)                 # validates: single numbers only
    T, w, lamM, _ = _broadcast(temperatures, omega, couplings, n)
    return n, T, w, lamM, _parse_kappa(kappa)


def rate_generator(temperatures: Sequence[float] = (1.0, 1.0, 0.0), omega: Any = 1.0, couplings: Any = 0.1,
                   kappa: float = 1.0) -> np.ndarray:
    r"""Generator :math:`M = W - \mathrm{diag}(\sum_i W_{ij})` of the Pauli master equation :math:`\dot p = Mp`.

    The model's dynamics from any diagonal state (module docstring): its gap is the relaxation rate
    of :func:`steady_state` and it gives :func:`charging_curve`.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 float
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``.
    omega : float or sequence of float
        Cell frequencies (energy), ``> 0``.
    couplings : float or dict
        Pair couplings :math:`\lambda_{ij}` (energy), as in :func:`steady_state`.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0``; :math:`M` is proportional to it.

    Returns
    -------
    ndarray, shape (2**n, 2**n)
        :math:`M` in the product basis (energy units; columns sum to zero).

    Raises
    ------
    ValueError
        A parameter out of range or given as an array.
    """
    n, T, w, lamM, kappa = _single_point(temperatures, omega, couplings, kappa)
    return master.pauli_generator(_cell_rate_matrices(T, w, lamM, kappa, n).sum(axis=-3))


#: Kernel threshold of the Pauli generator (as :func:`sweep`'s uniqueness test, 1e-10 of the largest rate).
_RTOL = 1e-10


def _relaxation_rate(M: np.ndarray) -> float:
    return master.relaxation_rate(M, rtol=_RTOL)


def _currents(temperatures: Sequence[float], omega: Any, couplings: Any, kappa: float,
              p: np.ndarray) -> master.BathCurrents:
    r"""Bath currents of the product-basis populations ``p`` (exact: :math:`\mathrm{Tr}[H\mathcal D_k\rho]` needs only them)."""
    n, T, w, lamM, kappa = _single_point(temperatures, omega, couplings, kappa)
    Wi = _cell_rate_matrices(T, w, lamM, kappa, n)
    E = _energies(w, lamM, n)
    ups = (configurations(n) > 0).sum(axis=1).astype(float)
    names = CELL_NAMES[n]
    flux = Wi * p[None, None, :]                                     # (cell, b', b): probability current b -> b'
    dE = E[:, None] - E[None, :]                                     # E_b' - E_b
    dN = ups[:, None] - ups[None, :]
    energy = {names[i]: float(np.sum(flux[i] * dE)) for i in range(n)}
    particle = {names[i]: float(np.sum(flux[i] * dN)) for i in range(n)}
    gross = float(np.max(np.sum(np.abs(flux * dE), axis=(-2, -1))))
    return master.BathCurrents(energy, particle, {names[i]: float(T[i]) for i in range(n)},
                               {k: 0.0 for k in names}, gross)


def charging_curve(times: Any, temperatures: Sequence[float] = (1.0, 1.0, 0.0), omega: Any = 1.0,
                   couplings: Any = 0.1, kappa: float = 1.0) -> np.ndarray:
    r"""Ergotropy :math:`\mathcal W(t)` of the battery charged from its ground state.

    :math:`p(t) = e^{Mt}p_0` with the Pauli generator :math:`M` (:func:`rate_generator`, exact for this
    model) and :math:`p_0` the ground level of :math:`H` (uniform over it if degenerate: the discharged,
    passive battery). The ergotropy is that of the whole system with respect to :math:`H`, as in
    :func:`steady_state`; :math:`\mathcal W(t)\to` ``steady_state(...).ergotropy`` when the steady
    state is unique.

    Parameters
    ----------
    times : float or array_like
        Times :math:`t \ge 0` (units of 1/energy, :math:`\hbar = 1`; the rates scale with ``kappa``).
    temperatures : sequence of 2 or 3 float
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``.
    omega : float or sequence of float
        Cell frequencies (energy), ``> 0``.
    couplings : float or dict
        Pair couplings :math:`\lambda_{ij}` (energy), as in :func:`steady_state`.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0``.

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal W(t)` (energy units).

    Raises
    ------
    ValueError
        A parameter out of range, arrays, or negative times.
    """
    n, T, w, lamM, kappa = _single_point(temperatures, omega, couplings, kappa)
    M = master.pauli_generator(_cell_rate_matrices(T, w, lamM, kappa, n).sum(axis=-3))
    E = _energies(w, lamM, n)
    ground = E - E.min() <= _zero_tol(E)
    p0 = ground / ground.sum()
    P = np.clip(master.propagate(M, p0, times).real, 0.0, None)
    return _ergotropy_diag(P / P.sum(axis=-1, keepdims=True), E)[1]
