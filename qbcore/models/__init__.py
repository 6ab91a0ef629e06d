"""One module per chapter model: coupled_qubits, spin_chain, star, ising."""
