r"""Relaxation, charging and bath currents of the chain, from the global (secular) generator.

The secular generator commutes with :math:`[H,\cdot\,]`, so the operators that commute with :math:`H`
(energy-basis populations and coherences between degenerate levels) form an invariant sector
(:func:`qbcore.master.secular_sector`). The ground state and the steady state lie in it; its gap is
the relaxation rate attached to :func:`steady_state` and :func:`charging_curve` evolves inside it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import master
from ...thermo import batch_ergotropy
from ._model import Params, _ops, bath_couplings, hamiltonian, validate


def _generator(p: Params) -> np.ndarray:
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    return master.global_lindblad(H, bath_couplings(p), zero_frequency=p.zero_frequency, secular_check=False)


def _number(n: int) -> np.ndarray:
    r"""Number of up spins :math:`\hat N = \sum_i (1 + \sigma^z_i)/2` (conserved by :math:`H`), product basis."""
    return np.diag(_ops(n)["ups"].astype(float))


def _relaxation_rate(L: np.ndarray, H: np.ndarray) -> float:
    G, _, _, _ = master.secular_sector(L, H)
    return master.relaxation_rate(G)


def _currents(rho: np.ndarray, p: Params) -> master.BathCurrents:
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    D = master.bath_dissipators(H, bath_couplings(p), equation="global", zero_frequency=p.zero_frequency)
    return master.bath_currents(rho, H, D, {"L": p.T_L, "R": p.T_R}, number=_number(p.n_spins))


def charging_curve(times: Any, n_spins: int = 2, B0: float = 2.0, J: float = 1.0, Delta: float = 0.5,
                   T_L: float = 1.0, T_R: float = 1.0, eps: int = 1, collective: bool = True, kappa: float = 0.01, *,
                   zero_frequency: str = "limit") -> np.ndarray:
    r"""Ergotropy :math:`\mathcal W(t)` of the chain charged from the ground state of :math:`H`.

    The global (secular) generator of :func:`steady_state`, restricted to the invariant sector of the
    operators commuting with :math:`H` (the secular generator commutes with :math:`[H,\cdot\,]`, so energy-diagonal
    states stay in it; :func:`qbcore.master.secular_sector`) and exponentiated exactly. The
    initial state is the ground state of :math:`H` (the uniform mixture over the ground level if it is
    degenerate: the discharged, passive battery); the ergotropy is that of the whole chain with respect
    to :math:`H`, as in :func:`steady_state`.

    Parameters
    ----------
    times : float or array_like
        Times :math:`t \ge 0` (units of :math:`1/|J|`, :math:`\hbar = 1`; the rates scale with ``kappa``).
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
        Ohmic coupling, ``> 0`` (dimensionless); it sets the time scale.
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels at exact level crossings.

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal W(t)` (energy units).

    Raises
    ------
    ValueError
        A parameter out of range (see :func:`validate`) or negative times.
    """
    p = validate(n_spins, B0, J, Delta, T_L, T_R, eps, collective, kappa, zero_frequency)
    H = hamiltonian(p.n_spins, p.B0, p.J, p.Delta)
    G, idx, E, _ = master.secular_sector(_generator(p), H)
    d = E.size
    ground = E - E[0] <= 1e-9 * max(1.0, E[-1] - E[0])
    r0 = np.diag(ground / ground.sum()).astype(complex)
    v = master.propagate(G, r0.flatten(order="F")[idx], times)
    full = np.zeros((v.shape[0], d * d), dtype=complex)
    full[:, idx] = v
    rho_e = full.reshape(-1, d, d).transpose(0, 2, 1)       # column stacking -> matrices
    rho_e = 0.5 * (rho_e + rho_e.conj().transpose(0, 2, 1))
    return batch_ergotropy(rho_e, E)[1]
