r"""Ergotropy, passive states, entropy, free energy and exergy.

Units: :math:`\hbar = k_B = 1`; entropies in nats.

All functions accept numpy arrays or QuTiP ``Qobj`` and return plain numbers or numpy
arrays. Definitions (see the chapter *Ergotropy, passive states and exergy*):

* passive state :math:`\rho^\downarrow = \sum_k r_k^\downarrow |e_k\rangle\langle e_k|`, eigenvalues
  of :math:`\rho` in decreasing order placed on energies in increasing order;
* ergotropy :math:`\mathcal W = \mathrm{Tr}\,\rho H - \mathrm{Tr}\,\rho^\downarrow H`;
* exergy :math:`\mathcal B_T = F_T(\rho) - F_T(\gamma_T) = T\,S(\rho\,\|\,\gamma_T)` with
  :math:`F_T = \mathrm{Tr}\,\rho H - T S` and :math:`\gamma_T` the Gibbs state; at ``T = 0`` it is
  the energy above the ground state.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _validate as V

__all__ = [
    "energy", "passive_state", "ergotropy", "von_neumann_entropy", "gibbs_state",
    "free_energy", "exergy", "relative_entropy", "batch_ergotropy", "ROUNDOFF", "roundoff_zero",
]

#: Relative round-off tolerance of the quantities that vanish exactly for passive / Gibbs states.
#: A computed ergotropy, exergy or relative entropy whose magnitude is at most ``ROUNDOFF`` times
#: its natural scale (see each function) is returned as exactly ``0.0``, on both sides of zero, so
#: that "zero for a passive state" holds on every CPU and BLAS kernel, not just up to round-off.
ROUNDOFF = 1e-12


def roundoff_zero(values: Any, scale: Any) -> Any:
    """Two-sided round-off clamp: ``0.0`` where ``|values| <= ROUNDOFF * scale``, else ``values``.

    The one place where qbcore turns round-off into the exact zeros its docstrings promise
    (ergotropy of passive states, exergy of Gibbs states). Values further below zero are kept,
    so that a sign error shows instead of being hidden.

    Parameters
    ----------
    values : float or ndarray
        Computed quantities that vanish exactly in theory for the states of interest.
    scale : float or ndarray
        Their natural scale (broadcast against ``values``), e.g. ``max |E|`` of the spectrum.

    Returns
    -------
    float or ndarray
        ``values`` with round-off replaced by ``0.0`` (a float for scalar input).
    """
    v = np.asarray(values, dtype=float)
    out = np.where(np.abs(v) <= ROUNDOFF * np.asarray(scale, dtype=float), 0.0, v)
    return float(out) if out.ndim == 0 else out


def _rho_H(rho: Any, H: Any) -> tuple[np.ndarray, np.ndarray]:
    r = V.density_matrix(rho, "rho")
    h = V.hermitian(H, "H")
    V.same_shape(r, h, "rho", "H")
    return r, h


def energy(rho: Any, H: Any) -> float:
    r"""Mean energy :math:`\mathrm{Tr}\,\rho H`.

    Parameters
    ----------
    rho : array_like or Qobj
        Density matrix (Hermitian, unit trace, positive semidefinite).
    H : array_like or Qobj
        Hamiltonian of the same shape.

    Returns
    -------
    float
        The energy, in the units of ``H``.

    Raises
    ------
    ValueError
        If ``rho`` is not a density matrix, ``H`` not Hermitian, or the shapes differ.
    """
    r, h = _rho_H(rho, H)
    return float(np.real(np.trace(r @ h)))


def passive_state(rho: Any, H: Any) -> np.ndarray:
    r"""Passive state of ``rho`` with respect to ``H``.

    The eigenvalues of ``rho`` sorted in decreasing order are placed on the eigenvectors
    of ``H`` sorted by increasing energy. For degenerate ``H`` the passive state is not
    unique (any unitary inside a degenerate subspace gives another); its energy is, and
    this function returns the one diagonal in ``numpy.linalg.eigh``'s eigenbasis of ``H``.

    Parameters
    ----------
    rho : array_like or Qobj
        Density matrix.
    H : array_like or Qobj
        Hamiltonian of the same shape.

    Returns
    -------
    ndarray
        The passive state, in the same basis as the input.
    """
    r, h = _rho_H(rho, H)
    _, vecs = np.linalg.eigh(h)
    p = np.sort(np.linalg.eigvalsh(r))[::-1]
    return (vecs * p) @ vecs.conj().T


def ergotropy(rho: Any, H: Any) -> float:
    r"""Ergotropy :math:`\mathcal W(\rho, H) = \mathrm{Tr}\,\rho H - \sum_k r^\downarrow_k e^\uparrow_k`.

    The maximum work extractable from ``rho`` by a cyclic unitary. Always
    ``0 <= W <= Tr(rho H) - E_ground``.

    Exact zero: a value with ``|W| <= ROUNDOFF * max_k |e_k|`` (``ROUNDOFF = 1e-12``, ``e_k`` the
    eigenvalues of ``H``) is returned as ``0.0``, so a passive state (Gibbs states included) gives
    exactly ``0.0`` on every machine. A more negative value would be a bug and is returned as is.

    Parameters
    ----------
    rho : array_like or Qobj
        Density matrix (Hermitian, unit trace, positive semidefinite).
    H : array_like or Qobj
        Hamiltonian of the same shape.

    Returns
    -------
    float
        The ergotropy, in the energy units of ``H``.
    """
    r, h = _rho_H(rho, H)
    e = np.linalg.eigvalsh(h)
    p = np.sort(np.linalg.eigvalsh(r))[::-1]
    w = float(np.real(np.trace(r @ h)) - np.dot(p, e))
    return roundoff_zero(w, float(np.max(np.abs(e))))


def batch_ergotropy(rhos: np.ndarray, energies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Energy and ergotropy of a stack of states written in the energy eigenbasis.

    Fast path for parameter sweeps (no validation beyond shapes). The same two-sided round-off
    clamp as :func:`ergotropy`: ``|W| <= ROUNDOFF * max|energies|`` (per state) gives ``0.0``.

    Parameters
    ----------
    rhos : ndarray, shape (..., d, d)
        States, each in the eigenbasis of its Hamiltonian.
    energies : ndarray, shape (..., d) or (d,)
        Eigenenergies in increasing order, matching the basis of ``rhos``.

    Returns
    -------
    energy, ergotropy : ndarray, shape (...)
    """
    rhos = np.asarray(rhos)
    energies = np.broadcast_to(np.asarray(energies, dtype=float), rhos.shape[:-1])
    if rhos.shape[-1] != rhos.shape[-2] or energies.shape[-1] != rhos.shape[-1]:
        raise ValueError(f"rhos must have shape (..., d, d) and energies (..., d); got {rhos.shape}, {energies.shape}")
    diag = np.real(np.diagonal(rhos, axis1=-2, axis2=-1))
    E = np.sum(diag * energies, axis=-1)
    p = np.linalg.eigvalsh(rhos)[..., ::-1]
    W = E - np.sum(p * energies, axis=-1)
    return E, roundoff_zero(W, np.max(np.abs(energies), axis=-1))


def von_neumann_entropy(rho: Any) -> float:
    r"""Von Neumann entropy :math:`S(\rho) = -\mathrm{Tr}\,\rho\ln\rho` in nats (``0 ln 0 = 0``).

    Parameters
    ----------
    rho : array_like or Qobj
        Density matrix.

    Returns
    -------
    float
        Entropy in nats, between 0 and ``ln d``.
    """
    r = V.density_matrix(rho, "rho")
    p = np.linalg.eigvalsh(r)
    p = p[p > 1e-300]
    return float(-np.sum(p * np.log(p)) + 0.0)


def gibbs_state(H: Any, T: float, N: Any = None, mu: float = 0.0) -> np.ndarray:
    r"""Gibbs (or grand-canonical) state :math:`e^{-(H-\mu N)/T}/Z`.

    Parameters
    ----------
    H : array_like or Qobj
        Hamiltonian.
    T : float
        Temperature ``T >= 0``. At ``T = 0`` the result is the uniform mixture over the
        (possibly degenerate) ground space of :math:`H - \mu N`.
    N : array_like or Qobj, optional
        Number operator commuting with ``H`` (grand-canonical ensemble).
    mu : float
        Chemical potential (used only with ``N``).

    Returns
    -------
    ndarray
        The state, in the basis of ``H``.

    Raises
    ------
    ValueError
        For ``T < 0``, a non-Hermitian ``H`` or an ``N`` that does not commute with ``H``.
    """
    h = V.hermitian(H, "H")
    T = V.temperature(T, "T")
    mu = V.real_number(mu, "mu")
    K = h
    if N is not None:
        n = V.hermitian(N, "N")
        V.same_shape(h, n, "H", "N")
        if np.max(np.abs(h @ n - n @ h)) > 1e-9 * max(1.0, np.max(np.abs(h))):
            raise ValueError("N must commute with H for a grand-canonical state")
        K = h - mu * n
    e, vecs = np.linalg.eigh(K)
    if T == 0.0:
        tol = 1e-9 * max(1.0, float(np.max(np.abs(e))))
        w = (e - e[0] <= tol).astype(float)
    else:
        w = np.exp(-(e - e[0]) / T)
    w /= w.sum()
    return (vecs * w) @ vecs.conj().T


def free_energy(rho: Any, H: Any, T: float) -> float:
    r"""Non-equilibrium free energy :math:`F_T(\rho) = \mathrm{Tr}\,\rho H - T S(\rho)`.

    Parameters
    ----------
    rho, H : array_like or Qobj
        State and Hamiltonian.
    T : float
        Temperature, ``T >= 0``.

    Returns
    -------
    float
        Free energy in the units of ``H``.
    """
    r, h = _rho_H(rho, H)
    T = V.temperature(T, "T")
    return float(np.real(np.trace(r @ h))) - T * von_neumann_entropy(r)


def exergy(rho: Any, H: Any, T: float) -> float:
    r"""Exergy :math:`F_T(\rho) - F_T(\gamma_T)`, work extractable with a bath at temperature ``T``.

    Equals :math:`T\,S(\rho\|\gamma_T) \ge 0`, zero only for the Gibbs state. At ``T = 0`` it is
    :math:`\mathrm{Tr}\,\rho H - E_0`.

    Exact zero: a value with ``|B| <= ROUNDOFF * max(max_k |e_k|, T ln d)`` (``ROUNDOFF = 1e-12``,
    ``d`` the dimension) is returned as ``0.0``, so the Gibbs state gives exactly ``0.0`` on every
    machine.

    Parameters
    ----------
    rho, H : array_like or Qobj
        State and Hamiltonian.
    T : float
        Temperature of the bath, ``T >= 0``.

    Returns
    -------
    float
        The exergy, in the energy units of ``H``.
    """
    r, h = _rho_H(rho, H)
    T = V.temperature(T, "T")
    g = gibbs_state(h, T)
    val = free_energy(r, h, T) - free_energy(g, h, T)
    scale = max(float(np.max(np.abs(np.linalg.eigvalsh(h)))), T * float(np.log(h.shape[0])))
    return roundoff_zero(val, scale)


def relative_entropy(rho: Any, sigma: Any) -> float:
    r"""Quantum relative entropy :math:`S(\rho\|\sigma) = \mathrm{Tr}\,\rho(\ln\rho - \ln\sigma)` in nats.

    Parameters
    ----------
    rho, sigma : array_like or Qobj
        Density matrices of the same shape.

    Returns
    -------
    float
        In nats; ``inf`` when the support of ``rho`` is not contained in that of ``sigma``.

    Notes
    -----
    Exact zero: ``|S| <= ROUNDOFF * max(1, max |ln sigma_j|)`` over the support of ``sigma`` is
    returned as ``0.0`` (so ``S(rho || rho) = 0.0`` on every machine).
    """
    r = V.density_matrix(rho, "rho")
    s = V.density_matrix(sigma, "sigma")
    V.same_shape(r, s, "rho", "sigma")
    pr, vr = np.linalg.eigh(r)
    ps, vs = np.linalg.eigh(s)
    overlap = np.abs(vr.conj().T @ vs) ** 2  # |<r_i|s_j>|^2
    tol = 1e-14
    mask_r = pr > tol
    # Support check: weight of rho on the kernel of sigma.
    if np.any((overlap[np.ix_(mask_r, ps <= tol)] * pr[mask_r, None]).sum() > 1e-12):
        return float("inf")
    lr = np.log(pr[mask_r])
    ls = np.log(np.where(ps > tol, ps, 1.0))
    cross = overlap[mask_r][:, ps > tol] @ ls[ps > tol]
    val = float(np.sum(pr[mask_r] * (lr - cross)))
    return roundoff_zero(val, max(1.0, float(np.max(np.abs(ls[ps > tol]))) if np.any(ps > tol) else 1.0))
