"""One module per chapter model (each exposes ``steady_state(...)`` and batched sweeps).

coupled_qubits  two coupled qubits under Bloch–Redfield with boson or fermion baths
ising           the two-/three-cell Ising battery with three baths
spin_chain      XXZ spin chains with symmetric/asymmetric bath coupling
star            a qubit battery in a star (or chain) network with fermionic reservoirs
"""
from . import coupled_qubits, ising, spin_chain, star  # noqa: F401

__all__ = ["coupled_qubits", "ising", "spin_chain", "star"]
