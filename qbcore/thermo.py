r"""Ergotropy, passive states, entropy, free energy and exergy.

Units: :math:`\hbar = k_B = 1`; entropies in nats.

All functions accept numpy arrays or QuTiP ``Qobj`` and return plain numbers or numpy
arrays. Definitions (see the chapter *Ergotropy, passive states and exergy*):

* passive state :math:`\rho^\downarrow = \sum_k r_k^\downarrow |e_k\rangle\langle e_k|`, eigenvalues
  of :math:`\rho` in decreasing order placed on energies in increasing order;
* ergotropy :math:`\mathcal W = \mathrm{Tr}\,\rho H - \mathrm{Tr}\,\rho^\downarrow H`;
* exergy :math:`\mathcal B_T = F_T(\rho) - F_T(\gamma_T) = T\,S(\rho\,\|\,\gamma_T)` with
  :math:`F_T = \mathrm{Tr}\,\rho H - T S` and :math:`\gamma_T` the Gibbs state; at ``T = 0`` it is
  the energy above the ground state;
* entropy production rate of a steady state between baths,
  :math:`\sigma = -\sum_k (J_{E,k} - \mu_k J_{N,k})/T_k` (:func:`entropy_production`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _validate as V

__all__ = [
    "energy", "passive_state", "ergotropy", "von_neumann_entropy", "gibbs_state",
    "free_energy", "exergy", "relative_entropy", "batch_ergotropy", "batch_exergy", "ROUNDOFF", "roundoff_zero",
    "entropy_production",
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


def batch_exergy(rhos: np.ndarray, energies: np.ndarray, T: float) -> np.ndarray:
    r"""Exergy :math:`F_T(\rho) - F_T(\gamma_T)` of a stack of states written in the energy eigenbasis.

    Fast path for parameter sweeps, the stacked form of :func:`exergy` (same value, same
    two-sided round-off clamp: ``|B| <= ROUNDOFF * max(max_k |e_k|, T ln d)`` gives ``0.0``).
    :math:`F_T(\gamma_T) = -T\ln Z` is evaluated as :math:`e_0 - T\ln\sum_k e^{-(e_k - e_0)/T}`
    (no overflow at small ``T``); at ``T = 0`` it is the ground energy :math:`e_0`.

    Parameters
    ----------
    rhos : ndarray, shape (..., d, d)
        States, each in a basis in which its Hamiltonian is diagonal.
    energies : ndarray, shape (..., d) or (d,)
        The Hamiltonian's diagonal in that basis (any order).
    T : float
        Temperature of the bath, ``T >= 0``.

    Returns
    -------
    ndarray, shape (...)
        The exergies, in the units of ``energies``.
    """
    rhos = np.asarray(rhos)
    T = V.temperature(T, "T")
    energies = np.broadcast_to(np.asarray(energies, dtype=float), rhos.shape[:-1])
    if rhos.ndim < 2 or rhos.shape[-1] != rhos.shape[-2] or energies.shape[-1] != rhos.shape[-1]:
        raise ValueError(f"rhos must have shape (..., d, d) and energies (..., d); got {rhos.shape}, {energies.shape}")
    E = np.sum(np.real(np.diagonal(rhos, axis1=-2, axis2=-1)) * energies, axis=-1)
    e0 = np.min(energies, axis=-1)
    if T == 0.0:
        return roundoff_zero(E - e0, np.max(np.abs(energies), axis=-1))
    p = np.linalg.eigvalsh(rhos)
    plogp = np.where(p > 1e-300, p * np.log(np.where(p > 1e-300, p, 1.0)), 0.0)
    S = -np.sum(plogp, axis=-1)
    F_eq = e0 - T * np.log(np.sum(np.exp(-(energies - e0[..., None]) / T), axis=-1))
    scale = np.maximum(np.max(np.abs(energies), axis=-1), T * np.log(rhos.shape[-1]))
    return roundoff_zero(E - T * S - F_eq, scale)


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


def entropy_production(energy_currents: Any, particle_currents: Any, temperatures: Any,
                       chemical_potentials: Any = None, *, atol: float | None = None) -> float:
    r"""Entropy production rate :math:`\sigma = -\sum_k (J_{E,k} - \mu_k J_{N,k})/T_k` of a steady state.

    The currents flow *into the system* from bath :math:`k` (temperature :math:`T_k`, chemical
    potential :math:`\mu_k`), so :math:`-(J_{E,k} - \mu_k J_{N,k})` is the heat bath :math:`k` receives
    and :math:`\sigma` the rate at which the baths' entropy grows (the system's is constant in a steady
    state). The second law demands :math:`\sigma \ge 0`; a negative value is returned as is (it flags
    a thermodynamically inconsistent master equation).

    Zero temperature, explicitly: a bath with :math:`T_k = 0` contributes 0 when its heat current is
    below ``atol``; ``+inf`` when it receives heat (dumping heat into a zero-temperature bath produces
    infinite entropy); and a ``ValueError`` naming the bath when it *gives* heat, which no bath at
    :math:`T = 0` can do (the result would be :math:`-\infty`). No NaN is ever returned.

    Parameters
    ----------
    energy_currents : mapping of str to float, or sequence of float
        :math:`J_{E,k}` (energy per unit time); the keys name the baths.
    particle_currents : mapping or sequence, or None
        :math:`J_{N,k}` (particles per unit time); ``None``: no particle exchange (all 0).
    temperatures : mapping or sequence
        :math:`T_k \ge 0` (energy units, :math:`k_B = 1`).
    chemical_potentials : mapping or sequence, optional
        :math:`\mu_k` (default 0: bosonic baths).
    atol : float, optional
        Heat currents of zero-temperature baths with magnitude at most ``atol`` count as zero
        (default ``1e-12`` times the largest :math:`|J_{E,k}| + |\mu_k J_{N,k}|`).

    Returns
    -------
    float
        :math:`\sigma` in nats per unit time (energy units, :math:`\hbar = 1`), or ``inf``.

    Raises
    ------
    ValueError
        For non-finite currents, negative temperatures, mismatched baths, or heat flowing out of a
        zero-temperature bath.

    Examples
    --------
    >>> entropy_production({"hot": 0.5, "cold": -0.5}, None, {"hot": 2.0, "cold": 1.0})
    0.25
    """
    def as_dict(x: Any, name: str, default: float | None = None) -> dict:
        if x is None:
            return {k: default for k in keys}
        if isinstance(x, dict):
            return dict(x)
        vals = list(np.ravel(np.asarray(x, dtype=float)))
        if len(vals) != len(keys):
            raise ValueError(f"{name} must have one entry per bath ({len(keys)}); got {len(vals)}")
        return dict(zip(keys, vals))

    if isinstance(energy_currents, dict):
        keys = list(energy_currents)
    else:
        keys = list(range(len(np.ravel(np.asarray(energy_currents, dtype=float)))))
    JE = as_dict(energy_currents, "energy_currents")
    JN = as_dict(particle_currents, "particle_currents", 0.0)
    T = as_dict(temperatures, "temperatures")
    mu = as_dict(chemical_potentials, "chemical_potentials", 0.0)
    for name, d in (("particle_currents", JN), ("temperatures", T), ("chemical_potentials", mu)):
        if set(d) != set(keys):
            raise ValueError(f"{name} must name the same baths as energy_currents {keys}; got {list(d)}")
    heat, terms = {}, []
    for k in keys:
        je = V.real_number(JE[k], f"energy_currents[{k!r}]")
        jn = V.real_number(JN[k], f"particle_currents[{k!r}]")
        m = V.real_number(mu[k], f"chemical_potentials[{k!r}]")
        V.temperature(T[k], f"temperatures[{k!r}]")
        heat[k] = je - m * jn
        terms.append(abs(je) + abs(m * jn))
    tol = 1e-12 * max(terms + [1e-300]) if atol is None else V.real_number(atol, "atol", lo=0.0)
    sigma, infinite = 0.0, False
    for k in keys:
        q = heat[k]                                   # heat into the system from bath k
        Tk = float(T[k])
        if Tk > 0:
            sigma -= q / Tk
        elif abs(q) <= tol:
            continue
        elif q < 0:
            infinite = True                           # the T = 0 bath receives heat
        else:
            raise ValueError(f"bath {k!r} is at T = 0 but gives heat {q:.3g} to the system: impossible for a "
                             "zero-temperature bath (sigma would be -inf); the generator is not thermodynamically "
                             "consistent there")
    return float("inf") if infinite else float(sigma)
