"""qbcore: the small core package of *Open Quantum Batteries*.

Its modules:

* ``thermo``: ergotropy, passive states, entropy, free energy, exergy;
* ``baths``: Bose/Fermi occupations, bath descriptions;
* ``master``: global/local Lindblad, Bloch–Redfield, steady states;
* ``negf``: the single-level dot between tight-binding leads;
* ``viz``: interactive figures (live and static), style, ``about()``;
* ``models``: one module per chapter model (``coupled_qubits``, ``ising``, ``spin_chain``, ``star``).

``import qbcore`` makes every module available (``qbcore.negf``, ``qbcore.models.star``, ...).
Every model's ``steady_state(...)`` returns an object with ``rho``, ``H``, ``energy``,
``ergotropy`` (energy units, ``== qbcore.thermo.ergotropy(rho, H)``), ``populations``,
``kernel_dim``, ``min_eigenvalue`` and ``is_positive``. ``energy`` is ``Tr rho H`` except for the
dot (``qbcore.negf``), where it keeps the paper's spectral energy (eq. 11, which includes the
level's broadening) and ``Tr rho H`` is ``level_energy``.

Units throughout: :math:`\\hbar = k_B = 1`.
"""
__version__ = "0.1.0"

from . import baths, master, models, negf, thermo, viz  # noqa: E402
from .viz import about  # noqa: E402

__all__ = ["baths", "master", "models", "negf", "thermo", "viz", "about", "__version__"]
