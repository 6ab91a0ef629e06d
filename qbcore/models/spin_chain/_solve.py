"""The single-point steady state (full global Liouvillian, kernel checked), its relaxation rate and currents."""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from ... import _validate as V
from ... import master
from ...thermo import batch_ergotropy
from ._dynamics import _currents, _relaxation_rate
from ._model import Params, bath_couplings, eigenbasis, hamiltonian, paper_eigenstates, validate


# --------------------------------------------------------------------------- single point
def _wrap(rho: np.ndarray, p: Params, kernel_dim: int, L: np.ndarray, **extra: Any) -> master.SteadyState:
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    E, U, ups = eigenbasis(p.n_spins, p.B0, p.J, p.Delta)
    rho_e = U.T @ rho @ U
    en, W = batch_ergotropy(rho_e, E)
    extra.update(params=p, basis=U, up_spins=ups, E_gs=float(E[0]), E_max=float(E[-1]),
                 coherence=float(np.max(np.abs(rho_e - np.diag(np.diag(rho_e))))))
    if p.n_spins in (2, 3) and p.J != 0.0:
        extra["paper_populations"] = paper_populations(rho, p)
    return master.SteadyState(rho=rho, H=H, energies=E, populations=np.real(np.diag(rho_e)).copy(),
                              energy=float(en), ergotropy=float(W), kernel_dim=int(kernel_dim),
                              min_eigenvalue=float(np.linalg.eigvalsh(rho)[0]), extra=extra,
                              relaxation_rate=_relaxation_rate(L, H), currents=_currents(rho, p))


def steady_state(n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5, T_L: float = 1.0,
                 T_R: float = 1.0, eps: int = 1, collective: bool = True, kappa: float = 0.01, *,
                 zero_frequency: str = "limit", initial: Any = None) -> master.SteadyState:
    r"""Steady state from the full global Liouvillian (kernel checked), via :mod:`qbcore.master`.

    Parameters
    ----------
    n_spins : int
        Chain length :math:`N \in [2, 4]`.
    B0, J, Delta : float
        Field, exchange and anisotropy of eq. 1 (energies; any finite reals).
    T_L, T_R : float
        Bath temperatures (energy), ``>= 0``.
    eps : {0, 1}
        Switch of the coupling :math:`\sigma^x_N` to the left bath.
    collective : bool
        Left bath collective on spins 1 and N (paper) or two independent baths.
    kappa : float
        Ohmic coupling, ``> 0`` (dimensionless; the steady state does not depend on it).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at exact level crossings.
    initial : array_like, "ground" or None
        Initial state: a density matrix, or ``"ground"`` for the all-down state the paper starts
        from. Needed only when the steady state is not unique (both baths at ``T = 0`` and a
        degenerate ground level); the result is then the long-time limit from it.

    Returns
    -------
    qbcore.master.SteadyState
        ``rho`` (product basis), ``H``, ``energies`` (ascending), ``populations`` (in the
        sector-resolved eigenbasis of :func:`eigenbasis`), ``energy``, ``ergotropy``,
        ``kernel_dim``, ``min_eigenvalue``; ``extra`` holds ``params``, ``basis``,
        ``E_gs``, ``E_max``, ``coherence`` (largest off-diagonal element in the eigenbasis) and,
        for N = 2, 3, ``paper_populations`` (the paper's labels Φ1..Φ4 / Ψ1..Ψ8). ``relaxation_rate``:
        the gap of the generator on the operators commuting with :math:`H` (the invariant sector of the
        secular equation, where :func:`charging_curve` runs; energy units, proportional to ``kappa``).
        ``energy_currents`` and ``particle_currents`` (keys ``"L"``, ``"R"``, into the chain):
        :math:`\mathrm{Tr}[H\mathcal D_\nu\rho]` and :math:`\mathrm{Tr}[\hat N\mathcal D_\nu\rho]` with
        :math:`\hat N` the number of up spins (conserved by :math:`H`, exchanged with the baths through
        :math:`\sigma^x`; with ``collective=False`` the two independent left baths are one entry);
        ``entropy_production`` :math:`-\sum_\nu J_{E,\nu}/T_\nu` (bosonic baths, ``inf`` if a bath at
        ``T = 0`` receives heat).

    Raises
    ------
    ValueError
        Bad parameters; :class:`qbcore.master.NonUniqueSteadyStateError` for a degenerate
        kernel without ``initial``.
    """
    p = validate(n_spins, B0, J, Delta, T_L, T_R, eps, collective, kappa, zero_frequency)
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    # The paper's global secular equation (its eq. 7); its validity is discussed in the chapter.
    L = master.global_lindblad(H, bath_couplings(p), zero_frequency=p.zero_frequency, secular_check=False)
    if isinstance(initial, str):
        V.choice(initial, "initial", ("ground",))
        initial = np.zeros_like(H)
        initial[-1, -1] = 1.0
    try:
        ss = master.steady_state(L, H, initial=initial)
    except master.NonUniqueSteadyStateError as exc:
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the steady state is not unique (kernel dimension {m.group(1) if m else '> 1'}); here "
            f"T_L={p.T_L}, T_R={p.T_R} leave degenerate levels unconnected. Pass initial='ground' (the paper's "
            "initial state) or a density matrix for the long-time limit from it") from None
    return _wrap(ss.rho, p, ss.kernel_dim, L)


def paper_populations(rho: np.ndarray, p: Params) -> np.ndarray:
    r"""Populations :math:`\langle\Phi_k|\rho|\Phi_k\rangle` in the paper's label order (N = 2, 3).

    Parameters
    ----------
    rho : ndarray, shape (2**N, 2**N)
        Density matrix in the QuTiP product basis (e.g. ``steady_state(...).rho``).
    p : Params
        The point (from :func:`validate`) whose eigenstates label the populations; N = 2 or 3,
        and ``J != 0`` for N = 3.

    Returns
    -------
    ndarray, shape (2**N,)
        :math:`\langle\Phi_k|\rho|\Phi_k\rangle` (N = 2) or :math:`\langle\Psi_k|\rho|\Psi_k\rangle` (N = 3),
        ``k = 1..2**N``.

    Raises
    ------
    ValueError
        As :func:`paper_eigenstates` (N = 4, or J = 0 with N = 3).
    """
    _, Vp = paper_eigenstates(p.n_spins, p.B0, p.J, p.Delta)
    return np.real(np.einsum("ik,ij,jk->k", Vp, rho, Vp))
