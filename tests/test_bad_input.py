"""Bad input raises ValueError naming the parameter (never NaN, never a hang)."""
import numpy as np
import pytest

from qbcore import master as M
from qbcore import thermo
from qbcore.baths import Bath, ohmic

H2 = np.diag([1.0, -1.0])
RHO = np.diag([0.3, 0.7])
SX = np.array([[0, 1], [1, 0]], complex)
BATH = Bath("boson", 1.0, J=ohmic(0.1))

CASES = {
    "negative temperature": (lambda: thermo.exergy(RHO, H2, -1.0), "T must lie in"),
    "NaN temperature": (lambda: thermo.free_energy(RHO, H2, float("nan")), "T must be finite"),
    "non-Hermitian H": (lambda: thermo.ergotropy(RHO, np.array([[0, 1], [0, 0]])), "H must be Hermitian"),
    "NaN in H": (lambda: thermo.ergotropy(RHO, np.array([[np.nan, 0], [0, 1]])), "H contains NaN"),
    "unnormalised rho": (lambda: thermo.ergotropy(2 * RHO, H2), "unit trace"),
    "negative rho": (lambda: thermo.ergotropy(np.diag([1.5, -0.5]), H2), "positive semidefinite"),
    "shape mismatch": (lambda: thermo.ergotropy(RHO, np.eye(3)), "same shape"),
    "not square": (lambda: thermo.von_neumann_entropy(np.ones((2, 3)) / 2), "square matrix"),
    "not numbers": (lambda: thermo.ergotropy("rho", H2), "square matrix"),
    "unknown statistics": (lambda: Bath("anyon", 1.0), "statistics must be one of"),
    "boson chemical potential": (lambda: Bath("boson", 1.0, mu=0.2), "mu must be 0"),
    "jump shape": (lambda: M.liouvillian(H2, [M.Jump(1.0, np.eye(3))]), "same shape"),
    "negative rate": (lambda: M.liouvillian(H2, [M.Jump(-1.0, SX)]), "rate must be finite"),
    "empty couplings": (lambda: M.global_jumps(H2, []), "at least one"),
    "coupling without bath": (lambda: M.global_jumps(H2, [(SX, 1.0)]), "Bath"),
    "zero_frequency option": (lambda: M.global_jumps(H2, [(SX, BATH)], zero_frequency="keep"),
                              "zero_frequency must be one of"),
    "L shape": (lambda: M.steady_state(np.eye(9), H2), "L must have shape"),
    "initial state shape": (lambda: M.steady_state(M.global_lindblad(np.zeros((2, 2)), [(np.eye(2), BATH)]),
                                                   np.zeros((2, 2)), initial=np.eye(3) / 3), "same shape"),
    "spin count": (lambda: M.spin_operators(0), "n must be an integer"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_raises_valueerror_naming_parameter(name):
    call, match = CASES[name]
    with pytest.raises(ValueError, match=match):
        call()
