"""The single-point steady state (full Liouvillian, kernel checked), with its relaxation rate and currents."""
from __future__ import annotations

import re
from typing import Any, Sequence

import numpy as np

from ... import master
from ._dynamics import _currents, _relaxation_rate, rate_generator
from ._model import _scalar_temperatures, basis_labels, bath_couplings, hamiltonian


def steady_state(temperatures: Sequence[float] = (1.0, 1.0, 0.0), omega: Any = 1.0, couplings: Any = 0.1,
                 kappa: float = 1.0, *, initial: Any = None) -> master.SteadyState:
    r"""Steady state of the global Lindblad equation (full Liouvillian, kernel checked).

    Parameters
    ----------
    temperatures : (T_L, T_R) or (T_L, T_M, T_R)
        Bath temperatures, each ``>= 0``; the length fixes the number of cells.
    omega : float or sequence
        Cell frequencies (one number for all, or one per cell), ``> 0``.
    couplings : float or dict
        :math:`\lambda_{ij}`: one number for all pairs, or ``{(i, j): value}`` (indices or
        names ``"L", "M", "R"``); missing pairs are 0.
    kappa : float
        Ohmic coupling :math:`J(\omega)=\kappa\omega`, ``> 0``. The steady state does not
        depend on it (it scales the whole dissipator).
    initial : array_like, optional
        Initial state, needed only if the steady state is not unique (e.g. every bath at
        ``T = 0`` with a degenerate ground level).

    Returns
    -------
    qbcore.master.SteadyState
        ``rho, H, energy, ergotropy, populations`` (energy basis, ascending) and
        diagnostics (``kernel_dim``, ``min_eigenvalue``). ``extra`` holds ``labels``
        (product-basis kets), ``product_populations`` and ``level_energies`` in basis order.
        ``relaxation_rate`` is the gap of the Pauli generator :func:`rate_generator` (the dynamics of
        every diagonal state; energy units, proportional to ``kappa``); ``energy_currents`` and
        ``particle_currents`` (keys ``"L", ("M",) "R"``, into the system) count energy and up-spins
        (:math:`\hat N = \sum_i (1 + \sigma^z_i)/2`; each bath flips only its own cell, so these vanish in a
        steady state); ``entropy_production`` is :math:`-\sum_i J_{E,i}/T_i` (bosonic baths, ``inf`` if a
        bath at ``T = 0`` receives heat).

    Raises
    ------
    ValueError
        Bad parameters; :class:`qbcore.master.NonUniqueSteadyStateError` if the kernel is
        degenerate and ``initial`` is None.
    """
    Ts = _scalar_temperatures(temperatures)
    n = len(Ts)
    H = hamiltonian(omega, couplings, n)
    cps = bath_couplings(Ts, kappa)
    # The paper's global secular equation; its validity is discussed in the chapter.
    L = master.global_lindblad(H, cps, secular_check=False)
    try:
        ss = master.steady_state(L, H, initial=initial)
    except master.NonUniqueSteadyStateError as exc:
        m = re.search(r"kernel dimension (\d+)", str(exc))
        raise master.NonUniqueSteadyStateError(
            f"the steady state is not unique (kernel dimension {m.group(1) if m else '> 1'}); in this model "
            "that happens when every bath is at T = 0 and the ground level is degenerate, or at an exact level "
            "crossing where a cold bath has no zero-frequency channel or a hot one conserves a coherence "
            f"(temperatures={tuple(Ts)}). Pass initial=rho0 (a density matrix of shape ({2 ** n}, {2 ** n})) "
            "for the long-time limit from rho0") from None
    ss.extra.update(labels=basis_labels(n), product_populations=np.real(np.diag(ss.rho)).copy(),
                    level_energies=np.real(np.diag(H)).copy(), temperatures=tuple(Ts))
    ss.relaxation_rate = _relaxation_rate(rate_generator(Ts, omega, couplings, kappa))
    ss.currents = _currents(Ts, omega, couplings, kappa, ss.extra["product_populations"])
    return ss
