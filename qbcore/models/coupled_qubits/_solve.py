"""The single-point steady state, with its relaxation rate and bath currents."""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from ... import master
from ._dynamics import _currents, _relaxation_rate
from ._model import Params, _basis_matrix, _half_angles, generator, hamiltonian, params


def _wrap(rho: np.ndarray, p: Params, kernel_dim: int = 1, *, secular: bool = False, **extra: Any) -> master.SteadyState:
    H = hamiltonian(p.omega1, p.omega2, p.lam)
    c, s = _half_angles(p.lam, p.detuning)
    U = _basis_matrix(np.asarray(c), np.asarray(s))
    rho_eps = U.T @ rho @ U
    return master.make_steady_state(rho, H, kernel_dim, rho_eps=rho_eps, coherence=complex(rho_eps[1, 2]),
                                    params=p, relaxation_rate=_relaxation_rate(p, secular),
                                    currents=_currents(rho, p, secular), **extra)


def steady_state(*, statistics: str = "boson", omega1: float = 10.0, omega2: float = 10.0, lam: float = 2.0,
                 T1: float = 1.0, T2: float = 1.0, mu1: float = 0.0, mu2: float = 0.0, J: float = 1.0,
                 secular: bool = False) -> master.SteadyState:
    r"""Steady state of the (non-secular by default) Bloch–Redfield equation, eqs. 8–12.

    The steady state is unique at every admissible point (module docstring), so no initial state
    is taken; points whose scales double precision cannot resolve are rejected up front.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
        Reservoir statistics.
    omega1, omega2 : float
        Qubit transition frequencies (energy), ``> 0``, with ``omega1 + omega2 <= 1e9 * J``.
    lam : float
        Exchange coupling (energy), :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` (strictly: such that
        :math:`\omega_- \ge 10^{-8}\max(1, \omega_1+\omega_2)`).
    T1, T2 : float
        Reservoir temperatures (energy), ``>= 0``; bosons also ``<= T_max`` (module docstring).
    mu1, mu2 : float
        Chemical potentials (energy); 0 for bosons, any real for fermions.
    J : float
        The paper's spectral density (rate, energy units), ``> 0``.
    secular : bool
        ``True``: global (secular) Lindblad limit instead of the non-secular Redfield equation.

    Returns
    -------
    qbcore.master.SteadyState
        ``rho`` (product basis), ``H`` (:func:`hamiltonian`), ``energy`` (:math:`\mathrm{Tr}\,\rho H`) and
        ``ergotropy`` (energy units; equal to ``qbcore.thermo.ergotropy(rho, H)``), ``populations``
        (energy basis, ascending), ``kernel_dim`` (1), ``min_eigenvalue`` and ``is_positive``
        (Redfield need not give a positive state); ``extra["rho_eps"]`` (eigenbasis of eq. 2),
        ``extra["coherence"]`` (:math:`\rho_{23}`), ``extra["params"]`` and ``extra["method"]``.
        ``relaxation_rate``: the gap of the generator on the invariant sector of the populations and
        :math:`\rho_{23}` (where the charging from :math:`|gg\rangle` happens; :func:`charging_curve`).
        ``energy_currents`` and ``particle_currents`` (keys ``"reservoir 1"``, ``"reservoir 2"``, into
        the system): :math:`\mathrm{Tr}[H_S\mathcal D_i\rho]` and :math:`\mathrm{Tr}[\hat N\mathcal D_i\rho]` with
        the excitation (particle) number :math:`\hat N` of :func:`number_operator` and :math:`\mathcal D_i`
        the part of the generator due to reservoir :math:`i`; ``entropy_production``
        :math:`-\sum_i (J_{E,i} - \mu_i J_{N,i})/T_i`.

    Raises
    ------
    ValueError
        A parameter outside its range or the point outside the admissible domain, naming the
        parameter and its valid range (see :func:`generator`).
    """
    p = params(omega1, omega2, lam, T1, T2, mu1, mu2, statistics, J)
    L = generator(secular, statistics=statistics, omega1=omega1, omega2=omega2, lam=lam, T1=T1, T2=T2,
                  mu1=mu1, mu2=mu2, J=J)
    try:
        ss = master.steady_state(L, hamiltonian(p.omega1, p.omega2, p.lam))
    except master.NonUniqueSteadyStateError as exc:      # not expected inside the admissible domain
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the generator's kernel is numerically degenerate (kernel dimension {m.group(1) if m else '> 1'}) "
            f"at {p}, although this model's steady state is unique at every admissible point (no initial "
            "state can select a physical one). closed_form() with the same arguments gives the steady state "
            "analytically") from None
    return _wrap(ss.rho, p, ss.kernel_dim, secular=bool(secular), method="redfield-secular" if secular else "redfield")
