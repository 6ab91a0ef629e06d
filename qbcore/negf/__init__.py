r"""A single-level quantum dot between two semi-infinite tight-binding leads (NEGF / Landauer).

Model (units :math:`\hbar = k_B = e = 1`), following Kamin, Abuali, Ness and Salimi,
J. Phys. A 56, 275302 (2023):

.. math::

    H = \varepsilon_{QB}\, d^\dagger d
      + \sum_{\alpha=L,R}\sum_{k\ge 0}\Big[\varepsilon_\alpha c^\dagger_{\alpha k} c_{\alpha k}
      - h_\alpha\,(c^\dagger_{\alpha,k} c_{\alpha,k+1} + \mathrm{h.c.})\Big]
      - \sum_\alpha v_\alpha\,(c^\dagger_{\alpha 0} d + d^\dagger c_{\alpha 0}),

each lead initially in equilibrium at :math:`(\mu_\alpha, T_\alpha)`.

Lead surface Green function
    :math:`g_\alpha(\omega) = 1/(\omega - \varepsilon_\alpha - h_\alpha^2 g_\alpha(\omega))`, whose
    retarded solution (the root with :math:`|h_\alpha g_\alpha| \le 1`, i.e. decaying into the
    lead, and :math:`\mathrm{Im}\, g_\alpha \le 0`) is, with :math:`z = \omega - \varepsilon_\alpha`,

    * inside the band :math:`|z| < 2h`: :math:`g = \big(z - i\sqrt{4h^2 - z^2}\big)/(2h^2)
      = -e^{ik}/h` where :math:`\omega = \varepsilon_\alpha - 2h\cos k`, :math:`k\in(0,\pi)`;
    * outside the band: :math:`g = \big(z - \mathrm{sgn}(z)\sqrt{z^2 - 4h^2}\big)/(2h^2)`, real,
      :math:`|g| < 1/h`.

    The self-energy is :math:`\Sigma_\alpha = v_\alpha^2 g_\alpha` and the broadening
    :math:`\Gamma_\alpha = -2\,\mathrm{Im}\,\Sigma_\alpha = (v_\alpha^2/h_\alpha^2)\sqrt{4h_\alpha^2 - z^2}`.

Dot Green function, spectral function, transmission
    :math:`G = 1/(\omega - \varepsilon_{QB} - \Sigma_L - \Sigma_R)`,
    :math:`A = -\mathrm{Im}\,G/\pi = \Gamma |G|^2/(2\pi)` (continuum part),
    :math:`\tau = \Gamma_L \Gamma_R |G|^2 \le 1`.

Bound states
    Outside the union of the two bands :math:`F(\omega) = \omega - \varepsilon_{QB} - \Sigma(\omega)`
    is real and strictly increasing (:math:`\Sigma' < 0` there), so each interval outside the
    bands holds at most one pole of :math:`G`, with weight :math:`Z = 1/(1 - \Sigma'(\omega_b))`.
    The sum rule reads :math:`\int A\, d\omega + \sum_b Z_b = 1`. A bound state carries no
    current, and in a *strictly non-equilibrium* steady state its occupation is not fixed by the
    reservoirs: it remembers the initial state (it is a normalisable eigenstate of the full
    Hamiltonian). Treatment here: at equilibrium (:math:`\mu_L=\mu_R`, :math:`T_L=T_R`) a bound
    state is occupied thermally; out of equilibrium, quantities that need its occupation
    (occupation, energy, entropy, exergy) raise ``ValueError`` unless the caller supplies
    ``bound_occupation``. The paper's parameters (:math:`h = 1`, :math:`v = 0.12`,
    :math:`|\varepsilon_{QB}| < 2 - 2v^2/h`) have no bound state.

Steady state (non-interacting, so exact)
    :math:`f^{NE} = (\Gamma_L f_L + \Gamma_R f_R)/(\Gamma_L+\Gamma_R)`;
    :math:`I_Q = \frac{1}{2\pi}\int \tau (f_L - f_R)`, :math:`J_E = \frac{1}{2\pi}\int \omega\tau(f_L - f_R)`
    (both positive from left to right); heat :math:`J_H^\alpha = J_E - \mu_\alpha I_Q`;
    occupation, energy, entropy and exergy are eqs. (10)-(13) of the paper. Since the model is
    non-interacting and conserves particle number, the reduced state of the dot is exactly
    :math:`\rho = \mathrm{diag}(1 - N, N)` (basis: empty, occupied); :class:`NESS` exposes it with
    the steady-state interface shared by every qbcore model (``rho``, ``H``, ``ergotropy``, ...).

Real-time check
    :func:`quench` connects two *finite* chains, each in equilibrium at its own
    :math:`(\mu_\alpha, T_\alpha)`, to the dot and evolves the one-body correlation matrix exactly
    (one diagonalisation of the one-body Hamiltonian :func:`chain_hamiltonian`). Before the
    recurrence time :math:`\sim 2 n_{sites}/v_{max}` it relaxes to the steady state above; its
    reduced states (:func:`gaussian_reduced_state`) show that the dot's reduced state is
    :math:`\mathrm{diag}(1 - N, N)` at every coupling, with von Neumann entropy
    :math:`-N\ln N - (1-N)\ln(1-N)` (``NESS.reduced_state_entropy``), not the spectral entropy (12).

Relaxation and cost
    The dot has no Lindblad generator; it relaxes at the golden-rule width
    :math:`\Gamma(\varepsilon_{QB}) = -2\,\mathrm{Im}\,\Sigma(\varepsilon_{QB})` (:func:`golden_rule_width`,
    ``NESS.relaxation_rate``), exactly at :math:`-2\,\mathrm{Im}\,z_p` of the resonance pole
    (:func:`resonance`); :func:`charging_curve` gives the ergotropy after the leads are connected
    (:func:`quench`). ``NESS.energy_currents`` / ``particle_currents`` list the Landauer–Büttiker
    currents per lead, into the system, and ``NESS.entropy_production`` is
    :math:`-\sum_\alpha (J_{E,\alpha} - \mu_\alpha J_{N,\alpha})/T_\alpha`. Bound states never relax.

Numerics (error-controlled)
    Every integral over the continuum is computed by adaptive Gauss–Kronrod quadrature,
    vectorised over all sweep points at once. The continuum is first split at break points: the
    band edges, a geometric grading around each Fermi level on the scale :math:`T_\alpha`, a
    geometric grading around the renormalised resonance
    :math:`\tilde\varepsilon = \varepsilon_{QB} + \mathrm{Re}\,\Sigma(\tilde\varepsilon)` on the
    scale of its local half-width, and a geometric grading at each band edge on the scale
    :math:`s = |F(E)|^2/a^2` of the pole of :math:`G` nearest to the edge :math:`E` (a bound or
    virtual state; :math:`a = \sum_\alpha v_\alpha^2/h_\alpha^{3/2}` is the coefficient of the
    square-root term of :math:`\Sigma` at the edge). That pole makes :math:`A` vary on the scale
    :math:`s \ll h` next to the edge when :math:`\varepsilon_{QB}` is near a bound-state threshold
    :math:`\pm(2h - 2v^2/h)`; the earlier fixed 16-node rule missed it by up to ~1e-3. On each
    piece :math:`[a, b]` the substitution :math:`\omega = c - r\cos\theta` makes square-root
    end-point behaviour analytic, and an ``n``-node Gauss rule in :math:`\theta` (default
    ``n = 16``) is compared with its ``2n + 1``-node Kronrod extension. The Kronrod value is
    returned; :math:`|K - G|` (an error bound for the *Gauss* value, hence conservative) is the
    error estimate (not below the round-off floor ``50 eps int|integrand|``). Pieces are
    bisected, for each sweep point separately, until the estimated error of every integral is at
    most ``tol`` in units of the largest lead hopping :math:`h_{max}` (``tol`` for dimensionless
    integrals, ``tol * h_max`` for :math:`I_Q`, ``tol * h_max**2`` for :math:`J_E`), or ``tol``
    relative to :math:`\int |\text{integrand}|` where that is larger. Default ``tol = 1e-11``.
    In the paper's regime the initial pieces already meet it, so the cost is one vectorised
    pass. Nodes are held as (nearest band edge, offset), so that the distances to an edge that
    enter :math:`\sqrt{4h^2 - z^2}` carry no round-off of the absolute energy: near a threshold
    the feature of width :math:`s` can be far below the spacing of floating-point numbers at the
    edge (:math:`s \sim 10^{-18}` for :math:`\varepsilon_{QB}` 1e-9 from the threshold).
    Bound-state weights are found in the same spirit (see :meth:`Dot.bound_states`). Checked
    against independent adaptive quadrature, also within 1e-9 of the thresholds, in
    ``tests/test_negf.py`` (errors <= 3e-13). Evaluation runs in batches of at most
    :data:`CHUNK_NODES` nodes (:data:`CHUNK_POINTS` sweep points at a time, at most
    :data:`MAX_CHUNK_PIECES` pieces), so memory stays bounded (tens of MiB) for any sweep size.

Valid parameter range
    With :math:`h_{max} = \max(h_L, h_R)`: hoppings :math:`10^{-6} \le h_\alpha \le 10^6`
    (:data:`HOPPING_RANGE`), with :math:`h_{min}/h_{max} \ge 10^{-3}` (:data:`MIN_HOPPING_RATIO`);
    couplings :math:`10^{-3} \le v_\alpha/h_\alpha \le 10^2` (:data:`COUPLING_RANGE`);
    all energies (:math:`\varepsilon_{QB}`, :math:`\varepsilon_\alpha`, :math:`\mu_\alpha`,
    :math:`\mu_{eq}`, the energies ``w`` passed to the Green functions) within
    :math:`\pm 10^6 h_{max}` (:data:`ENERGY_LIMIT`); temperatures either 0 (exact step
    functions) or in :math:`[10^{-12}, 10^6]\, h_{max}` (:data:`T_FLOOR`). Values outside raise
    ``ValueError`` naming the parameter and its range (e.g. ``Dot(eps_qb=1e300)``). Inside it the
    integrals meet ``tol``; a sweep point where the adaptive rule cannot (not observed in the
    range) gives a ``RuntimeWarning`` with the estimated error.
"""
from __future__ import annotations

from ._dot import BoundState, Dot, steady_state
from ._dynamics import charging_curve, golden_rule_width, resonance
from ._leads import LEADS, decimation_surface_green, surface_green, surface_green_derivative
from ._ness import NESS
from ._optimal import optimal_level
from ._printed import printed_self_energy
from ._quench import MAX_CHAIN_SITES, MAX_REDUCED_MODES, Quench, chain_hamiltonian, gaussian_reduced_state, quench
from ._thermo import bernoulli_relative_entropy, binary_entropy

# Settings, ranges and helpers, importable as ``qbcore.negf.X`` as before the split into submodules.
# Read-only here: the code reads them from their submodule (patch e.g. ``qbcore.negf._quadrature``).
from ._leads import _surface_green  # noqa: F401
from ._nodes import (  # noqa: F401
    _cold_work_kernel, _exergy_kernel, _Kernel, _kernel_entropy, _kernel_standard, _kernel_weight, _Nodes, _Pieces,
)
from ._quadrature import (  # noqa: F401
    _EDGE_FLOOR, _EDGE_RATIO, _FERMI_GRADING, _LEVEL_GRADING, _ROUNDOFF_FLOOR, CHUNK_NODES, CHUNK_POINTS,
    MAX_CHUNK_PIECES, MAX_LEVELS, MAX_POINT_PIECES, _gauss_kronrod, _grading, _snap_to_edges, _theta_rule,
)
from ._ranges import (  # noqa: F401
    COUPLING_RANGE, ENERGY_LIMIT, HOPPING_RANGE, MIN_HOPPING_RATIO, N_NODES, N_NODES_RANGE, T_FLOOR, TOL, TOL_RANGE,
    _as_param, _check_energy_range, _coupling, _energy, _energy_array, _hopping, _node_count, _temperature_array,
    _tolerance,
)
from ._thermo import (  # noqa: F401
    _EXP_CAP, _TINY, _bernoulli_relative_entropy, _binary_entropy, _fermi_pair, _fermi_pair_hot, _log_fermi,
    _probabilities, _xlogx,
)

__all__ = [
    "LEADS", "surface_green", "surface_green_derivative", "decimation_surface_green", "printed_self_energy",
    "binary_entropy", "bernoulli_relative_entropy", "BoundState", "Dot", "NESS", "steady_state",
    "optimal_level", "quench", "Quench", "chain_hamiltonian", "gaussian_reduced_state",
    "golden_rule_width", "resonance", "charging_curve",
]

# Documented here (sphinx reads this comment) so that the API page lists it under ``qbcore.negf``.
#: Lead names accepted everywhere a lead is selected.
LEADS = LEADS
