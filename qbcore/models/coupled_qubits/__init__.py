r"""Two coupled qubits, each exchanging excitations with its own reservoir.

Model of Hadipour & Haseli (arXiv:2406.09580), units :math:`\hbar = k_B = 1`:

.. math::
    H_S = \omega_1 |e\rangle\langle e|_1 + \omega_2 |e\rangle\langle e|_2
          + \tfrac{\lambda}{2}\,(\sigma_+^{(1)}\sigma_-^{(2)} + \sigma_-^{(1)}\sigma_+^{(2)}),

qubit :math:`i` coupled to reservoir :math:`i` through :math:`\sigma_-^{(i)} b_i^\dagger + h.c.`
(bosons: energy exchange, :math:`\mu_i = 0`; fermions: particle exchange at chemical potential
:math:`\mu_i`). In :mod:`qbcore.master` terms each qubit is a
``Coupling(op=sigma_minus_i, bath=Bath(statistics, T_i, mu_i, J=flat(2 J)))``.

Conventions
-----------
* :math:`\delta = \omega_1 + \omega_2`, detuning :math:`\Delta = \omega_1 - \omega_2`,
  :math:`\Omega = \sqrt{\Delta^2 + \lambda^2}`, mixing angle :math:`\theta = \mathrm{atan2}(\lambda, \Delta)
  \in (0, \pi)`, :math:`\Delta T = T_2 - T_1`, :math:`\Delta\mu = \mu_2 - \mu_1`.
* Energies :math:`\varepsilon_{1..4} = 0, (\delta-\Omega)/2, (\delta+\Omega)/2, \delta`, eigenvectors
  :math:`|\varepsilon_1\rangle = |gg\rangle`, :math:`|\varepsilon_2\rangle = -s|eg\rangle + c|ge\rangle`,
  :math:`|\varepsilon_3\rangle = c|eg\rangle + s|ge\rangle` (the paper prints a minus sign here, which
  makes :math:`|\varepsilon_3\rangle` non-orthogonal to :math:`|\varepsilon_2\rangle`),
  :math:`|\varepsilon_4\rangle = |ee\rangle`, with :math:`c = \cos\theta/2`, :math:`s = \sin\theta/2`.
  ``rho_eps`` matrices are written in this basis, :math:`(\rho_\varepsilon)_{ij} = \langle\varepsilon_i|\rho|\varepsilon_j\rangle`.
* Rate normalisation. The paper's dissipators (its eqs. 9–10) are written as
  :math:`\Gamma^\pm[2B\rho B^\dagger - \dots]` with :math:`\Gamma(\omega) = J[1 \pm N(\omega)]`, so the
  emission rate in the standard form :math:`\mathcal D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L,\rho\}`
  is :math:`2J(1\pm N)`. The parameter ``J`` of this module is the paper's :math:`J`; the core bath
  therefore gets ``flat(2 * J)``. With this choice the paper's closed forms (which contain
  :math:`\Omega/J`) agree with the generator to round-off.
* Validity (the paper's rotating-wave condition): :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}`, which
  gives :math:`0 < \varepsilon_2 < \varepsilon_3 < \varepsilon_4`.

The non-secular Bloch–Redfield generator is :func:`qbcore.master.redfield` (Lamb shift neglected);
``secular=True`` gives the global Lindblad limit. Redfield is not completely positive: check
``min_eigenvalue`` (fermions with one chemical potential between the two Bohr frequencies and the
other below them give a negative :math:`\rho_{44}`).

Admissible domain
-----------------
For :math:`J > 0` and :math:`0 < \lambda < 2\sqrt{\omega_1\omega_2}` the mixing angle lies strictly in
:math:`(0, \pi)`, so each reservoir connects all four levels (eq. 5: :math:`A_i, B_i` carry the factors
:math:`c, s > 0`) and every channel has a non-zero total rate (emission + absorption is
:math:`2J(1 + 2N)` for bosons, :math:`2J` for fermions, times :math:`c^2` or :math:`s^2`). The rate graph
is connected and the steady state is unique at every admissible point (for the secular generator
this follows from the connectivity; for the non-secular one the kernel is one-dimensional at every
point of the tests). There is no family of steady states for an initial state to choose from, so
:func:`steady_state` takes none: a numerically degenerate kernel only means that the scales of the
generator are too far apart for double precision. Every function that builds rates
(:func:`generator`, :func:`steady_state`, :func:`closed_form`, :func:`printed_closed_form`, :func:`sweep`,
:func:`printed_populations`, :func:`printed_equilibrium`) therefore rejects such points up front with a
``ValueError`` naming the parameter and its valid range:

* ``omega1 + omega2 <= 1e9 * J``. Frequencies further above the reservoir coupling make the
  generator too stiff: the error of its steady state grows like :math:`10^{-16}\,\delta/J` and its
  kernel eventually turns numerically degenerate (``omega1 = omega2 = 1e12`` with ``J = 1``).
* ``lam`` up to the :math:`\lambda` at which :math:`\omega_- = (\delta-\Omega)/2 = 10^{-8}\max(1, \delta)`,
  slightly below :math:`2\sqrt{\omega_1\omega_2}`: the paper's rotating-wave condition :math:`\omega_- > 0`
  at ten times the Bohr-frequency resolution of :mod:`qbcore.master`, which treats a smaller
  :math:`\omega_-` as a zero frequency (and drops it).
* Bosons: ``T1, T2 <= T_max``, where :math:`N(\omega_-, T_{max}) = (10^9/2 - 1)/2 \approx 2.5\times10^8`,
  i.e. thermal rates :math:`2J(1 + 2N)` of at most :math:`10^9 J` (``T_max`` :math:`\approx 2.5\times10^8\,\omega_-`).
  Hotter reservoirs drive the qubits faster than every Bohr frequency of the system (by the first
  rule), so the weak-coupling (Born–Markov) derivation of the master equation fails outright, and
  their emission and absorption rates agree to round-off (``T1 = 1e300``).
"""
from __future__ import annotations

# Layout: _domain (occupations, admissible domain), _model (parameters, operators, generator),
# _solve (steady_state), _sweep (energy-basis generators, sweep, grid closed forms), _closed_forms
# (closed_form and the printed text), _dynamics (relaxation rate, charging curve, currents).
# Private helpers are re-exported for the tests and benchmarks (``cq._grid`` ...).
from ... import master  # noqa: F401
from ._closed_forms import closed_form, printed_closed_form, printed_equilibrium, printed_populations
from ._domain import (_DEFAULTS, _KEYS, _MAX_OCC, _MAX_SCALE, _MIN_BOHR, _STATS, _bose, _check_domain,  # noqa: F401
                      _fermi, _grid, occupations)
from ._dynamics import _currents, _relaxation_rate, _sector_generator, charging_curve  # noqa: F401
from ._model import (_SIGMA, Params, _admissible, _basis_matrix, _half_angles, _point, couplings,  # noqa: F401
                     eigenbasis, generator, hamiltonian, number_operator, params)
from ._solve import _wrap, steady_state  # noqa: F401
from ._sweep import (_FIXED, _LADDER, SECTOR, SweepResult, _batch_generator, _closed_form_eps,  # noqa: F401
                     _effective, _fixed_superoperators, _frequencies, _rates, _result, _solve_sector, sweep)

__all__ = [
    "Params", "params", "hamiltonian", "number_operator", "eigenbasis", "couplings", "generator",
    "steady_state", "closed_form", "sweep", "SweepResult", "occupations",
    "printed_closed_form", "printed_populations", "printed_equilibrium", "charging_curve",
]
