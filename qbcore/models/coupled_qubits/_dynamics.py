r"""Relaxation, charging and bath currents of the two qubits.

The generator conserves the excitation number (:math:`\sigma_-^{(i)}b_i^\dagger + h.c.`), so the
operators that are block-diagonal in it — the four populations of the energy basis and the coherence
:math:`\rho_{23}` (:data:`SECTOR`) — form an invariant sector. It holds the steady state and every
state that starts diagonal in the excitation number, the discharged battery :math:`|gg\rangle`
included. Its gap is the relaxation rate attached to :func:`steady_state`; coherences between
different excitation numbers (e.g. :math:`\langle gg|\rho|eg\rangle`) relax in other sectors, more slowly
at the paper's parameters, but no charging from :math:`|gg\rangle` ever creates them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import master
from ...thermo import batch_ergotropy
from ._model import Params, _admissible, _point, couplings, hamiltonian, number_operator, params
from ._sweep import _batch_generator


def _sector_generator(p: Params, secular: bool) -> tuple[np.ndarray, np.ndarray]:
    """The 6x6 block of the energy-basis generator on :data:`SECTOR` and the energies."""
    L, E, _ = _batch_generator(p.statistics, _point(p), bool(secular), sector=True)
    return L, E


def _relaxation_rate(p: Params, secular: bool) -> float:
    L6, _ = _sector_generator(p, secular)
    # the real part is the dissipator (rates), the imaginary part the Hamiltonian's -i[H, .] on rho_23
    scale = max(float(np.max(np.sum(np.abs(L6.real), axis=1))), 1e-300)
    return master.relaxation_rate(L6, scale=scale)


def _currents(rho: np.ndarray, p: Params, secular: bool) -> master.BathCurrents:
    """Currents from the two reservoirs (the same generator as :func:`steady_state`, split by coupling)."""
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    D = master.bath_dissipators(H, couplings(p), equation="global" if secular else "redfield", zero_frequency="drop")
    return master.bath_currents(rho, H, D, {"reservoir 1": p.T1, "reservoir 2": p.T2},
                                chemical_potentials={"reservoir 1": p.mu1, "reservoir 2": p.mu2},
                                number=number_operator())


def charging_curve(times: Any, *, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0,
                   lam: float = 2.0, T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0,
                   J: float = 1.0, secular: bool = False) -> np.ndarray:
    r"""Ergotropy :math:`\mathcal W(t)` of the two qubits charged from the discharged state :math:`|gg\rangle`.

    :math:`|gg\rangle = |\varepsilon_1\rangle` is the ground state of :math:`H_S`. The state evolves exactly
    (matrix exponential) under the same generator as :func:`steady_state`, restricted to the invariant
    sector of the populations and :math:`\rho_{23}` (the excitation number is conserved, so a state diagonal in
    it stays in this sector; coherences between different excitation numbers never arise; checked against
    ``qutip.mesolve`` on the full generator in the tests). The ergotropy is that of the two-qubit state
    with respect to :math:`H_S`, as in :func:`steady_state`.

    Parameters
    ----------
    times : float or array_like
        Times :math:`t \ge 0` (units of 1/J, :math:`\hbar = 1`).
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly:
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.
    secular : bool
        ``True``: the secular (global Lindblad) limit instead of the non-secular Redfield equation.

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal W(t)` (energy units) of the Hermitian part of the state (the Redfield
        evolution need not keep it positive; see :func:`steady_state`).

    Raises
    ------
    ValueError
        A parameter outside its range or the point outside the admissible domain, or negative times.
    """
    p = _admissible(params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J))
    L6, E = _sector_generator(p, secular)
    v0 = np.zeros(6)
    v0[0] = 1.0                                          # rho_11 = <eps_1|rho|eps_1> = |gg> population
    v = master.propagate(L6, v0, times)
    rho = np.zeros((v.shape[0], 4, 4), dtype=complex)
    rho[:, np.arange(4), np.arange(4)] = v[:, :4]
    rho[:, 1, 2], rho[:, 2, 1] = v[:, 4], v[:, 5]
    rho = 0.5 * (rho + rho.conj().transpose(0, 2, 1))
    return batch_ergotropy(rho, E)[1]
