"""qbcore: the small core package of *Open Quantum Batteries*.

Modules
-------
thermo   ergotropy, passive states, entropy, free energy, exergy
baths    Bose/Fermi occupations, bath descriptions
master   global/local Lindblad, Bloch–Redfield, steady states
viz      interactive figures (live and static), style, about()
negf     the single-level dot between tight-binding leads
models   one module per chapter model

Units throughout: hbar = k_B = 1.
"""
__version__ = "0.1.0"

from . import baths, thermo  # noqa: E402,F401
from .viz import about  # noqa: E402,F401
