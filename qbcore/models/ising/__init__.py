r"""Two- and three-cell Ising quantum battery between independent thermal baths.

Model (units :math:`\hbar = k_B = 1`; :cite:`hadipour2025ising`)

.. math::
    H = \sum_i \frac{\omega_i}{2}\sigma^z_i + \sum_{i<j} \frac{\lambda_{ij}}{2}\sigma^z_i\sigma^z_j ,

each pair counted **once**. Cell :math:`i` couples through :math:`\sigma^x_i` to its own bosonic
bath with Ohmic spectral density :math:`J(\omega)=\kappa\omega` and temperature :math:`T_i\ge 0`.
The dynamics is the global (eigen-operator, secular) Lindblad equation of :mod:`qbcore.master`.

Cells are numbered left to right: ``0, 1`` = ``L, R`` for two cells and ``0, 1, 2`` =
``L, M, R`` for three. Basis states follow QuTiP's convention (state 0 of a qubit is
:math:`|\uparrow\rangle`, :math:`\sigma^z=+1`; qubit 0 is the leftmost factor), so the product
basis index ``b`` runs from :math:`|\uparrow\uparrow\uparrow\rangle` (``b = 0``) to
:math:`|\downarrow\downarrow\downarrow\rangle` (``b = 7``), the order of the paper's labels 1–8.

Why a rate equation is exact here
---------------------------------
:math:`H` is diagonal in the product basis and :math:`\sigma^x_i` permutes that basis (it flips
spin :math:`i`). Every eigen-operator :math:`A_i(\omega)` is therefore a *partial permutation*:
each column and each row holds at most one non-zero entry, whatever the degeneracies of
:math:`H` or of its Bohr frequencies. Consequently :math:`A^\dagger A` is diagonal and
:math:`\langle k|A\rho A^\dagger|k\rangle = |A_{km}|^2\rho_{mm}` with a single :math:`m`, so the
product-basis populations obey a closed classical (Pauli) rate equation and the diagonal
matrices form an invariant subspace. The same holds for the non-secular Bloch–Redfield
equation (only one operator per bath). When the rate matrix has a single stationary
distribution and the Liouvillian kernel is one-dimensional, the steady state is
``diag(p)`` in the product basis. :func:`sweep` uses this; :func:`steady_state` builds the
full Liouvillian and checks the kernel.

The transition that flips spin :math:`i` out of configuration :math:`s` lowers the energy by

.. math::
    \Delta_i(s) = s_i\Big(\omega_i + \sum_{j\ne i}\lambda_{ij}s_j\Big),

and bath :math:`i` drives it at rate :math:`\kappa\Delta[1+n_i(\Delta)]` if :math:`\Delta>0`,
:math:`\kappa|\Delta|n_i(|\Delta|)` if :math:`\Delta<0`, and :math:`\kappa T_i` (the
:math:`\Delta\to0^+` limit, as in :mod:`qbcore.master`) if :math:`\Delta=0`.
"""
from __future__ import annotations

# Layout: _model (parameters, spectrum, rates, couplings), _solve (steady_state), _sweep (sweep,
# transitions), _closed_forms (two cells, uncoupled), _dynamics (rate generator, charging, currents).
# Private helpers are re-exported for the tests, benchmarks and chapter (``ising._rate_matrix`` ...).
from ... import master  # noqa: F401
from ._closed_forms import two_cell_closed_form, uncoupled_ergotropy
from ._dynamics import _cell_rate_matrices, _currents, charging_curve, rate_generator  # noqa: F401
from ._model import (CELL_NAMES, _RTOL_KERNEL, _broadcast, _energies, _flip_freqs, _lam_matrix,  # noqa: F401
                     _n_cells, _parse_kappa, _rate_matrix, _rates, _zero_tol, basis_labels, bath_couplings,
                     configurations, flip_frequencies, hamiltonian, level_energies, parse_couplings, rate_matrix,
                     topology_couplings, zero_crossings)
from ._solve import steady_state
from ._sweep import (Sweep, _ergotropy_diag, _generator, _limit_from_mixed, _single_closed_class,  # noqa: F401
                     _stationary, sweep, transitions)

__all__ = [
    "CELL_NAMES", "parse_couplings", "topology_couplings", "configurations", "basis_labels",
    "hamiltonian", "level_energies", "flip_frequencies", "rate_matrix", "bath_couplings",
    "steady_state", "sweep", "Sweep", "transitions", "zero_crossings", "two_cell_closed_form",
    "uncoupled_ergotropy", "rate_generator", "charging_curve",
]

# Documented here (sphinx reads this comment) so that the API page lists it under ``qbcore.models.ising``.
#: Cell names for two and three cells.
CELL_NAMES = CELL_NAMES
