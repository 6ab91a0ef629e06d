r"""A qubit battery at the hub of a star (or the end of a chain) of qubits, charged by fermionic reservoirs.

Model of Kamin, Salimi & Arjmandi, Phys. Rev. A **109**, 022226 (2024). Units :math:`\hbar = k_B = 1`.

.. math::
    H_S = \omega_0\sum_{i=1}^N \sigma^z_i + J\sum_{(a,b)\in E}(\sigma^+_a\sigma^-_b + \sigma^-_a\sigma^+_b),

with edges :math:`E = \{(1,i)\}_{i=2..N}` (``topology="star"``, the text and Fig. 1 of the paper) or
:math:`E = \{(i,i+1)\}` (``topology="chain"``, eq. 1 as printed). They coincide for ``N <= 2``; the
``N = 3`` star is the chain 2–1–3, i.e. it differs from eq. 1 only by where the battery sits.

Dissipation (Lindblad, standard form
:math:`\mathcal D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L,\rho\}`):

* ``dissipation="local"`` (eqs. 7–8): qubit :math:`i` has its own reservoir,
  :math:`\gamma[1-n_i]\,\mathcal D[\sigma^-_i] + \gamma n_i\,\mathcal D[\sigma^+_i]` with
  :math:`n_1 = f(\omega;\mu,T)` for the battery and :math:`n_{i\ge2} = f(\omega;\mu+\Delta\mu,T)`;
* ``dissipation="collective"`` (eqs. 4–6, one common reservoir): :math:`\gamma[1-n]\,\mathcal D[S^-] +
  \gamma n\,\mathcal D[S^+]`, :math:`S^- = \sum_i\sigma^-_i`, :math:`n = f(\omega;\mu,T)`; requires
  ``delta_mu = 0``.

:math:`f(\omega;\mu,T) = 1/(e^{(\omega-\mu)/T}+1)`. **Reading of the occupations.** The paper evaluates
every occupation at one frequency :math:`\omega` ("ω = 1") distinct from :math:`\omega_0 = 10`; we take
this literally (parameter ``omega``, default 1). It is the only reading that reproduces the paper's
statements (ergotropy zero for :math:`\mu \le \omega`, nearly full charge at :math:`\mu_1 = 8`); the
physical alternative, occupations at the qubit gap, is ``omega = 2*omega0`` (the gap of
:math:`\omega_0\sigma^z`) or ``omega = omega0`` (if :math:`\omega_0\sigma^z/2` was meant). In this model
:math:`\omega_0` drops out of the steady state (see below) and only sets the energy scale.

Conservation law and the solvers
--------------------------------
Every term commutes with the superoperator :math:`[\hat N,\cdot\,]`, :math:`\hat N = \sum_i\sigma^+_i\sigma^-_i`:
the generator preserves the "coherence order" :math:`q = n_\mathrm{left} - n_\mathrm{right}` of
:math:`|n_\mathrm{left}\rangle\langle n_\mathrm{right}|`. A unique steady state therefore lies in the
:math:`q = 0` sector, block-diagonal in the excitation number, where the :math:`\omega_0` term acts as
zero. Consequences: the battery's reduced state is diagonal, its ergotropy is
:math:`\mathcal E = 2\omega_0\max(0, 2p_1 - 1)` with :math:`p_1` its excited population, the maximum is
:math:`\mathcal E_{\max} = 2\omega_0` (the fully excited battery) and
:math:`\mathcal W = \mathcal E/\mathcal E_{\max} = \max(0, 2p_1-1)`, independent of :math:`\omega_0`.

* ``method="sector"`` (exact, any topology, ``N <= 10``): the :math:`q = 0` sector
  (:math:`\binom{2N}{N}` unknowns; 184 756 at ``N = 10``); sparse LU for ``N <= 6``, beyond that a
  matrix-free GMRES preconditioned by the exact in-block (Sylvester) inverse. Collective dissipation
  (degenerate kernels): dense kernel projection on the sector, ``N <= 6``.
* ``method="symmetric"`` (star, local; ``N <= 400``): the :math:`N-1` ancillas are permutation
  invariant, so :math:`\rho = \bigoplus_j \tilde\rho_j\otimes\mathbb 1_{d_j}/d_j` over the ancillas'
  total spin :math:`j`; inside each block the :math:`q = 0` sector pairs :math:`|e,m\rangle` with
  :math:`|g,m+1\rangle`. The local ancilla dissipators couple :math:`j \to j, j\pm1` with the
  Dicke-basis coefficients of Chase & Geremia (PRA 78, 052101, 2008), also used by QuTiP's PIQS
  (Shammah et al., PRA 98, 063815, 2018), evaluated here in double precision (PIQS stores them in
  single precision). :math:`O(N^2)` real unknowns: 7 600 at ``N = 100``.
* ``method="dense"``: the full :math:`4^N` Liouvillian from :mod:`qbcore.master` (``N <= 5``), a check.

Also here: a batched sweep path (:func:`sweep`), the collective dark-state analysis by ancilla spin
(:func:`collective_blocks`), and closed forms — ``N = 2`` (:func:`two_qubit_population`), the triplet
population of the dark-state blocks (:func:`triplet_population`) and the :math:`N\to\infty` plateau
(:func:`large_n_saturation`).

Conventions: QuTiP's basis (index 0 = excited, qubit 1 = leftmost factor; the battery is qubit 1, index
0 in code). The battery Hamiltonian is :math:`H_{QB} = \omega_0\sigma^z_1`.
"""
from __future__ import annotations

# Layout: _model (parameters, graph, full-space operators), _sector (exact q = 0 solvers), _symmetric
# (permutation-symmetric solver, batched block elimination), _results (StarSteadyState, ergotropy),
# _solve (steady_state), _sweep (sweep), _limits (closed forms), _collective (dark states).
# The private helpers are re-exported for the tests, benchmarks and chapter (``star._bits`` ...);
# module-level settings such as ``_BLOCK_BATCH_FLOATS`` take effect on their submodule
# (``star._symmetric``), not on these re-exported copies.
from ._dynamics import _currents, _generator, _relaxation_rate, charging_curve  # noqa: F401
from ._collective import _block_steady_states, _extreme_battery_populations, _spin_ops, collective_blocks
from ._limits import (charging_threshold, gaussian_populations, large_n_saturation, triplet_population,
                      two_qubit_population, two_qubit_threshold)
from ._model import (COLLECTIVE_J_OVER_GAMMA, DISSIPATIONS, METHODS, N_MAX, RANGES, TOPOLOGIES, _FULL_STATE_MAX,
                     Params, _bits, _hopping, _int_N, _lowering, edges, excitation_numbers, hamiltonian, jumps,
                     liouvillian, params)
from ._results import (StarSteadyState, _battery_state, _from_full, battery_ergotropy, max_ergotropy,
                       normalized_ergotropy)
from ._sector import (_battery_vector, _block_ops, _collective_kernel, _from_sector, _gmres_sector, _restrict,
                      _Sector, _sector, _sector_generator, _solve_unique, _to_sector, _trace_vector,
                      sector_dimension)
from ._solve import _initial_matrix, _steady_symmetric, steady_state
from ._sweep import _SWEEP_KEYS, Sweep, _dense_batch, _fermi_vec, _rates_grid, _sweep_grid, sweep
from ._symmetric import (_BLOCK_BATCH_FLOATS, _PIECE_NAMES, _block_batch, _block_pieces, _dicke_sandwich,
                         _multiplicity, _spins, _sqrt0, _Symmetric, _symmetric_observables,
                         _weighted_passive_energy, symmetric_dimension)

__all__ = [
    "Params", "params", "edges", "hamiltonian", "jumps", "liouvillian", "StarSteadyState",
    "steady_state", "battery_ergotropy", "max_ergotropy", "normalized_ergotropy", "sweep", "Sweep",
    "sector_dimension", "symmetric_dimension", "two_qubit_population", "two_qubit_threshold",
    "collective_blocks", "triplet_population", "charging_threshold", "gaussian_populations",
    "large_n_saturation", "excitation_numbers", "TOPOLOGIES", "DISSIPATIONS", "N_MAX",
    "RANGES", "COLLECTIVE_J_OVER_GAMMA", "charging_curve",
]

# Documented here (sphinx reads these comments) so that the API page lists the constants under
# ``qbcore.models.star``; the values live in ``_model``.
#: Coupling graphs: ``"star"`` (battery at the hub, the paper's text) or ``"chain"`` (battery at one end, eq. 1).
TOPOLOGIES = TOPOLOGIES
#: Dissipation: ``"local"`` (one reservoir per qubit) or ``"collective"`` (one common reservoir).
DISSIPATIONS = DISSIPATIONS
#: Largest ``N`` each solver accepts.
N_MAX = N_MAX
#: Valid range ``(lo, hi)`` of each physical parameter (energy units of ``omega0``).
RANGES = RANGES
#: For collective dissipation ``|J| / gamma`` must be 0 or lie in this range.
COLLECTIVE_J_OVER_GAMMA = COLLECTIVE_J_OVER_GAMMA
