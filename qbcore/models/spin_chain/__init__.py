r"""XXZ spin-chain battery between two Ohmic boson baths (Mojaveri *et al.*, PRA 109, 042619).

Model (units :math:`\hbar = k_B = 1`; :cite:`mojaveri2024xxz`, eqs. 1, 5, 20, 22)

.. math::
    H = \tfrac12\Big[B_0\sum_{i=1}^{N}\sigma^z_i
        + \sum_{i=1}^{N-1}\big(J\sigma^x_i\sigma^x_{i+1} + J\sigma^y_i\sigma^y_{i+1}
        + \Delta\,\sigma^z_i\sigma^z_{i+1}\big)\Big],

the left bath (temperature :math:`T_L`) couples through :math:`\sigma^x_1 + \varepsilon\,\sigma^x_N`
(one bath seen by both end spins: *collective* coupling, the paper's
:math:`\mathcal L^{(1,N)}_L` cross terms included), the right bath (:math:`T_R`) through
:math:`\sigma^x_N`. ``collective=False`` replaces the collective left coupling by two
independent baths at :math:`T_L` on spins 1 and :math:`N` (no cross terms; the paper's
eq. 18 setting). Both baths are Ohmic, :math:`\mathcal J(\omega) = \kappa\omega`; the dynamics
is the global (eigen-operator, secular) Lindblad equation (paper eq. 7) built by
:func:`qbcore.master.global_lindblad`. Rates follow :mod:`qbcore.baths`: a transition
:math:`|j\rangle\to|i\rangle` lowering the energy by :math:`\omega` and allowed by the coupling
operator :math:`X` has rate :math:`\kappa\omega[1+n(\omega)]\,|\langle i|X|j\rangle|^2`, the reverse
:math:`\kappa\omega\,n(\omega)\,|\langle i|X|j\rangle|^2` — the paper's normalisation (its eq. 12 with
:math:`|\langle\Phi_1|\sigma^x_2|\Phi_3\rangle|^2 = 1/2`).

Basis: QuTiP's (state 0 of a qubit is :math:`|\uparrow\rangle = ` the paper's ``1``, spin 1 is the
leftmost factor). :math:`H` conserves the number of up spins; eigenvectors are computed sector
by sector, so every eigenvector has a definite magnetisation even at level crossings.

Why a rate equation is exact (the fast path)
--------------------------------------------
In an eigenbasis :math:`\{|i\rangle\}`, the eigen-operator :math:`A(\omega)` has entries
:math:`X_{ij}` with :math:`E_j - E_i = \omega`. Two entries in one column (or row) need two
*degenerate levels* with a common neighbour; equal Bohr frequencies of distinct pairs put their
entries in distinct rows and columns. So if no two degenerate levels share a neighbour under
any coupling operator, every :math:`A(\omega)` is a partial permutation, diagonal states stay
diagonal, and the populations obey the classical rate equation
:math:`W_{ij} = \sum_c \gamma_c(E_j - E_i)\,|\langle i|X_c|j\rangle|^2`
(:func:`qbcore.master.pauli_rates`). Degenerate levels in adjacent magnetisation sectors
(the level crossings at :math:`|\Delta| = 1` for :math:`B_0 = 2`, :math:`|J| = 1`) cannot share a
neighbour, because :math:`\sigma^x` changes the number of up spins by one. :func:`sweep` checks
the condition point by point and falls back to a batched Liouvillian where it fails.

Zero-frequency channels (exact level crossings) follow :mod:`qbcore.master`:
``zero_frequency="limit"`` (default) gives the dephasing-type channel the continuous
:math:`\omega\to0^+` rate :math:`\gamma(0)=\kappa T`; ``"drop"`` omits it.

The local unitary :math:`U = \prod_{i\ \mathrm{even}}\sigma^z_i` maps :math:`J\to-J` and
:math:`\sigma^x_i\to(-1)^{i+1}\sigma^x_i` (spins counted from 1). For odd :math:`N` both end spins
are odd, so the whole model is invariant: ferro- and antiferromagnetic chains give identical
steady-state populations, energies and ergotropy at equal :math:`\Delta` for every setting. For
even :math:`N` one end flips sign: the settings :math:`\varepsilon = 0` and ``collective=False``
are still invariant (the sign of a coupling operator does not enter the dissipator), but the
collective coupling :math:`\sigma^x_1 + \sigma^x_N` becomes :math:`\sigma^x_1 - \sigma^x_N`.
"""
from __future__ import annotations

# Layout: _model (parameters, operators, eigenbasis), _solve (steady_state), _merit (stored energy,
# exergies), _sweep (rates, sweep, maps, batched Liouvillians, transitions), _paper (the paper's
# formulas), _dynamics (relaxation rate, charging curve, currents). Private helpers are re-exported
# for the tests and benchmarks (``sc._rates`` ...).
from ... import master  # noqa: F401
from ._dynamics import _currents, _generator, _number, _relaxation_rate, charging_curve  # noqa: F401
from ._merit import _fields, _passive_exergy, exergy, stored_energy, total_exergy  # noqa: F401
from ._model import (_KERNEL_RTOL, _OPS, N_SPINS_RANGE, Params, _collective, _eig_batch, _eps,  # noqa: F401
                     _n_spins, _ops, bath_couplings, coupling_operators, eigenbasis, hamiltonian, level_crossings,
                     paper_eigenstates, symmetry_unitary, validate)
from ._paper import (_PRINTED_3, _occ, closed_form_two_spin, eigen_rates_two_spin,  # noqa: F401
                     printed_closed_form_two_spin, printed_rates_three_spin, printed_rates_two_spin,
                     printed_steady_three_spin)
from ._solve import _wrap, paper_populations, steady_state  # noqa: F401
from ._sweep import (Sweep, _batch_setup, _bose_ratio, _broadcast_inputs, _liouvillian_chunk,  # noqa: F401
                     _pauli_unique, _point_data, _rates, _shared_neighbour, _tol, _zero_rate, delta_dT_map,
                     kernel_dimensions, liouvillian_batch, sweep, transitions)

__all__ = [
    "N_SPINS_RANGE", "validate", "hamiltonian", "coupling_operators", "bath_couplings",
    "eigenbasis", "paper_eigenstates", "steady_state", "stored_energy", "exergy",
    "total_exergy", "paper_populations", "Sweep", "sweep", "delta_dT_map", "liouvillian_batch",
    "kernel_dimensions", "transitions", "level_crossings", "symmetry_unitary",
    "closed_form_two_spin", "eigen_rates_two_spin", "printed_rates_two_spin",
    "printed_closed_form_two_spin", "printed_rates_three_spin", "printed_steady_three_spin",
    "charging_curve",
]

# Documented here (sphinx reads this comment) so that the API page lists it under ``qbcore.models.spin_chain``.
#: Supported chain lengths (the dense single-point solver works on 4**N x 4**N generators).
N_SPINS_RANGE = N_SPINS_RANGE
