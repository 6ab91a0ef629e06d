r"""Master equations and steady states.

Units :math:`\hbar = k_B = 1`. Superoperators act on column-stacked density matrices
(``vec(rho) = rho.flatten(order="F")``), the convention of QuTiP, so that
``vec(A rho B) = kron(B.T, A) @ vec(rho)`` and our matrices can be compared entry by entry
with ``qutip.liouvillian(...).full()``.

System–bath coupling
--------------------
A coupling is a system operator :math:`S` and a :class:`~qbcore.baths.Bath`, meaning
:math:`H_I = S\otimes B^\dagger + S^\dagger\otimes B`. For Hermitian :math:`S = X` this is the
familiar :math:`X\otimes(B + B^\dagger)`; for :math:`S = \sigma^-` it is the exchange
(rotating-wave) coupling :math:`\sigma^- b^\dagger + \sigma^+ b`. Every coupling has its own,
independent bath (two couplings to equal ``Bath`` objects are two independent baths with the
same temperature); put the operators into one :math:`S` for a *collective* coupling.

Decompose :math:`S = \sum_\omega S(\omega)`, where :math:`S(\omega)` collects the matrix elements
:math:`|i\rangle\langle i|S|j\rangle\langle j|` with :math:`E_j - E_i = \omega` (it lowers the energy
by :math:`\omega`). Bohr frequencies closer than ``tol`` (default ``1e-9 × max(1, E_max − E_min)``)
are grouped into one channel. Each component gives an *emission* channel :math:`S(\omega)` with rate
:math:`e(\omega) = J(\omega)[1\pm n(\omega)]` and an *absorption* channel :math:`S(\omega)^\dagger`
with rate :math:`a(\omega) = J(\omega)\,n(\omega)` (see :func:`channel_rates`). Boson baths have modes
only at :math:`\omega > 0`; fermion baths at every energy.

Zero-frequency channels (``zero_frequency="limit"``, the default): for a Hermitian :math:`X` the
dephasing term is :math:`\gamma(0)\,\mathcal D[X(0)]` with :math:`\gamma(0) = S(0) =
\tfrac12[S(0^+) + S(0^-)] = \lim_{\omega\to0^+}J(\omega)[n(\omega)+\tfrac12]`, the bath spectrum at
zero frequency (:meth:`~qbcore.baths.Bath.spectrum_at_zero`: the integral of the bath correlation
function, which at a jump of :math:`S` is the mean of the one-sided limits). It is :math:`\kappa T` for
an Ohmic bath and :math:`\gamma/2` for a flat density :math:`J = \gamma` at :math:`T = 0`, where
:math:`S(0^-) = 0 \ne S(0^+) = \gamma`. Emission and absorption each carry
:math:`\tfrac12 S(0^\pm)`, so a non-Hermitian coupling splits the rate the same way.
``zero_frequency="drop"`` omits these channels. Lamb shifts are neglected throughout.

Relaxation and charging
-----------------------
:func:`relaxation_rate` gives the gap :math:`g = -\max\mathrm{Re}\,\lambda` of a generator over its
non-zero eigenvalues (kernel found with the scale-aware test of :func:`steady_state`); every state
relaxes at least as fast as :math:`e^{-gt}`. :func:`secular_sector` restricts a secular generator to
the operators commuting with :math:`H` (where every energy-diagonal state evolves),
:func:`pauli_generator` builds the rate generator of the populations, :func:`propagate` and
:func:`evolve` integrate exactly (matrix exponentials), :func:`ergotropy_curve` gives
:math:`\mathcal W(t)`, and :func:`relaxation_modes` / :func:`decay_rate` say which modes an initial
state excites and at what rate it relaxes.

Currents and the laws of thermodynamics
---------------------------------------
:func:`bath_dissipators` (or :func:`jump_dissipators`) splits a generator into one dissipator per bath,
:func:`bath_currents` gives :math:`J_{E,k} = \mathrm{Tr}[H\mathcal D_k(\rho)]` and
:math:`J_{N,k} = \mathrm{Tr}[\hat N\mathcal D_k(\rho)]` (into the system) as a :class:`BathCurrents`, whose
:meth:`~BathCurrents.entropy_production` is :func:`qbcore.thermo.entropy_production`. The model modules
attach these to their steady states (``relaxation_rate``, ``energy_currents``, ``particle_currents``,
``entropy_production``).
"""
# Layout: _operators (records, spin operators, eigh), _channels (Bohr components, rates, jumps),
# _generators (Lindblad, global, Redfield), _steady (kernels, SteadyState, solvers), _dynamics
# (relaxation rate, sectors, time evolution), _currents (bath-resolved currents).
from ._channels import _as_couplings, _clusters, _tol, bohr_components, channel_rates, global_jumps, local_jumps  # noqa: F401
from ._currents import BathCurrents, bath_currents, bath_dissipators, jump_dissipators
from ._dynamics import (DENSE_SPECTRUM_MAX, decay_rate, ergotropy_curve, evolve, pauli_generator, propagate,
                        relaxation_modes, relaxation_rate, secular_sector)
from ._generators import _kron, _spost, _spre, dissipator, global_lindblad, liouvillian, redfield  # noqa: F401
from ._operators import (Coupling, Jump, NonUniqueSteadyStateError, SecularApproximationWarning, eigh,
                         spin_operators)
from ._steady import (SteadyState, _dissipative_scale, kernel, lindblad_steady_batch,  # noqa: F401
                      make_steady_state, pauli_rates, pauli_steady_batch, steady_state)

__all__ = [
    "Coupling", "Jump", "spin_operators", "eigh", "bohr_components", "channel_rates",
    "global_jumps", "local_jumps", "liouvillian", "dissipator", "global_lindblad", "redfield",
    "SteadyState", "steady_state", "kernel", "lindblad_steady_batch", "pauli_rates",
    "pauli_steady_batch", "NonUniqueSteadyStateError", "SecularApproximationWarning",
    "pauli_generator", "relaxation_rate", "relaxation_modes", "secular_sector",
    "propagate", "evolve", "ergotropy_curve", "decay_rate", "BathCurrents", "bath_dissipators",
    "jump_dissipators", "bath_currents",
]

# Documented here (sphinx reads this comment) so that the API page lists it under ``qbcore.master``.
#: Largest generator (rows) whose spectrum :func:`relaxation_rate` computes densely.
DENSE_SPECTRUM_MAX = DENSE_SPECTRUM_MAX
