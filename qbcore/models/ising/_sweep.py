"""Vectorised steady states (Pauli rate equation) and the transitions of one point."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ... import master
from ...thermo import roundoff_zero
from ._model import (_RTOL_KERNEL, _broadcast, _energies, _flip_freqs, _n_cells, _parse_kappa, _rate_matrix,
                     _scalar_temperatures, _zero_tol, hamiltonian)


# --------------------------------------------------------------------------- sweeps
@dataclass
class Sweep:
    """Result of :func:`sweep` (arrays over the broadcast parameter shape ``S``).

    Attributes
    ----------
    energy, ergotropy, stored_energy : ndarray, shape S
        :math:`\\mathrm{Tr}\\rho H`, ergotropy, energy above the ground level.
    populations : ndarray, shape S + (2**n,)
        Product-basis populations (basis order, see :func:`basis_labels`); the state is
        ``diag(populations)``.
    level_energies : ndarray, shape S + (2**n,)
        Product-basis energies.
    populations_unique : ndarray of bool, shape S
        Whether the rate equation has a single stationary distribution (one closed class of
        states). Where not (e.g. every bath at ``T = 0`` and a degenerate ground level),
        ``populations`` is the long-time limit from the maximally mixed state.
    at_crossing : ndarray of bool, shape S
        Some spin flip has zero Bohr frequency (two levels cross). There, and in the all-cold
        cases with a degenerate ground level, the full Liouvillian can keep a stationary
        *coherence* between degenerate levels (its kernel is larger than the rate equation's);
        ``populations`` is then the state reached from any initial state without coherences.
    rates : ndarray, shape S + (2**n, 2**n)
        Rate matrix ``W[b', b]`` (rate of ``b → b'``).
    """

    energy: np.ndarray
    ergotropy: np.ndarray
    stored_energy: np.ndarray
    populations: np.ndarray
    level_energies: np.ndarray
    populations_unique: np.ndarray
    at_crossing: np.ndarray
    rates: np.ndarray = field(repr=False)


def _generator(W: np.ndarray) -> np.ndarray:
    d = W.shape[-1]
    return W - np.eye(d) * W.sum(axis=-2)[..., None, :]


def _single_closed_class(W: np.ndarray) -> np.ndarray:
    """Whether each rate matrix has exactly one closed communicating class.

    That is the condition for a one-dimensional kernel of the rate generator (a unique
    stationary distribution). Rates below ``1e-10 ×`` the largest rate of the same matrix
    count as absent, the threshold :func:`qbcore.master.kernel` applies to singular values:
    classes connected only by such rates relax on no practical time scale.
    """
    d = W.shape[-1]
    thr = _RTOL_KERNEL * W.max(axis=(-2, -1), keepdims=True)
    R = ((W > thr) | np.eye(d, dtype=bool)).astype(np.float32)      # R[j, i]: i -> j in one step
    for _ in range(int(np.ceil(np.log2(d))) + 1):                    # paths of length >= d - 1
        R = (R @ R > 0).astype(np.float32)
    reach = R > 0
    escapes = reach & ~np.swapaxes(reach, -1, -2)                    # i -> j but not j -> i
    recurrent = ~escapes.any(axis=-2)                                # state i: no escape
    both = recurrent[..., :, None] & recurrent[..., None, :]
    return ~np.any(both & ~reach, axis=(-2, -1))


def _stationary(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stationary populations of stacked rate matrices and a uniqueness mask."""
    d = W.shape[-1]
    flat = W.reshape(-1, d, d)
    unique = _single_closed_class(flat)
    M = _generator(flat)
    p = np.empty((flat.shape[0], d))
    if np.any(unique):
        A = M[unique]
        A[:, 0, :] = 1.0
        b = np.zeros((A.shape[0], d, 1))
        b[:, 0, 0] = 1.0
        p[unique] = np.linalg.solve(A, b)[..., 0]
    for k in np.flatnonzero(~unique):
        p[k] = _limit_from_mixed(M[k])
    p = np.clip(p, 0.0, None)
    p /= p.sum(-1, keepdims=True)
    return p.reshape(W.shape[:-1]), unique.reshape(W.shape[:-2])


def _limit_from_mixed(M: np.ndarray) -> np.ndarray:
    """``lim exp(M t) p0`` for the uniform ``p0`` (kernel projection; degenerate kernels)."""
    d = M.shape[0]
    R, _ = master.kernel(M.astype(complex), rtol=_RTOL_KERNEL)
    Lf, _ = master.kernel(M.T.astype(complex), rtol=_RTOL_KERNEL)
    P = R @ np.linalg.solve(Lf.conj().T @ R, Lf.conj().T)
    return np.real(P @ np.full(d, 1.0 / d))


def _ergotropy_diag(p: np.ndarray, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energy and ergotropy of states diagonal in the (product) eigenbasis."""
    energy = np.sum(p * E, -1)
    passive = np.sum(np.sort(p, -1)[..., ::-1] * np.sort(E, -1), -1)
    return energy, roundoff_zero(energy - passive, np.max(np.abs(E), -1))


def sweep(temperatures: Sequence[Any], omega: Any = 1.0, couplings: Any = 0.1, kappa: float = 1.0) -> Sweep:
    r"""Vectorised steady states over broadcast parameter arrays (Pauli rate equation).

    Exact for this model (see the module docstring): populations in the product basis close
    on themselves and the steady state is diagonal there. No QuTiP objects are built.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 array_like
        :math:`T_L, (T_M,) T_R` (energy, :math:`k_B = 1`), ``>= 0``, broadcast together with the other
        parameters; the length fixes the number of cells.
    omega : float, array_like, or list/tuple of one array_like per cell
        Cell frequencies (energy), ``> 0``. A list/tuple of length ``n`` is read as one value per
        cell; anything else is the common frequency (an array sweeps it).
    couplings : array_like or dict of array_like
        Pair couplings :math:`\lambda_{ij}` (energy, finite), as in :func:`steady_state`; values may be arrays.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0`` (does not affect the steady state).

    Returns
    -------
    Sweep
        Arrays over the broadcast shape of the parameters.

    Raises
    ------
    ValueError
        A parameter out of range (naming it), arrays that do not broadcast, or a malformed
        ``couplings`` dict.
    """
    n = _n_cells(temperatures)
    T, w, lamM, shape = _broadcast(temperatures, omega, couplings, n)
    W = _rate_matrix(T, w, lamM, _parse_kappa(kappa), n)
    E = _energies(w, lamM, n)
    p, unique = _stationary(W)
    energy, erg = _ergotropy_diag(p, E)
    crossing = np.any(np.abs(_flip_freqs(w, lamM, n)) <= _zero_tol(E)[..., None, None], axis=(-2, -1))
    return Sweep(energy=energy, ergotropy=erg, stored_energy=energy - E.min(-1), populations=p,
                 level_energies=E, populations_unique=unique, at_crossing=crossing, rates=W)


def transitions(temperatures: Sequence[float], omega: Any = 1.0, couplings: Any = 0.1,
                kappa: float = 1.0) -> list[dict]:
    r"""Every bath-driven transition at one parameter point, with its steady-state net flux.

    Parameters
    ----------
    temperatures : sequence of 2 or 3 float
        :math:`T_L, (T_M,) T_R` (energy), ``>= 0``.
    omega : float or sequence of float
        Cell frequencies (energy), ``> 0`` (single numbers).
    couplings : float or dict
        Pair couplings :math:`\lambda_{ij}` (energy, single numbers), as in :func:`steady_state`.
    kappa : float
        Ohmic coupling (dimensionless), ``> 0``; rates and fluxes are proportional to it.

    Returns
    -------
    list of dict
        One per unordered pair of states connected by a flip: keys ``upper, lower`` (basis
        indices, ``upper`` has the higher energy), ``cell`` (index), ``frequency``
        (:math:`\ge 0`), ``down_rate, up_rate`` and ``flux`` (net probability current
        upper → lower in the steady state; negative = pumped upward). Rates and fluxes in energy
        units (:math:`\hbar = 1`).

    Raises
    ------
    ValueError
        A parameter out of range or given as an array.
    """
    Ts = _scalar_temperatures(temperatures)
    n = len(Ts)
    hamiltonian(omega, couplings, n)  # validates: single numbers only
    sw = sweep(Ts, omega, couplings, kappa)
    W, p, E = sw.rates, sw.populations, sw.level_energies
    out = []
    for b in range(2 ** n):
        for i in range(n):
            c = b ^ (1 << (n - 1 - i))
            if c < b:
                continue
            hi, lo = (b, c) if E[b] >= E[c] else (c, b)
            out.append(dict(upper=hi, lower=lo, cell=i, frequency=float(E[hi] - E[lo]),
                            down_rate=float(W[lo, hi]), up_rate=float(W[hi, lo]),
                            flux=float(W[lo, hi] * p[hi] - W[hi, lo] * p[lo])))
    return out
