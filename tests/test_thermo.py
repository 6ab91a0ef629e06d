"""qbcore.thermo against independent routes: brute-force unitaries, closed forms, limits."""
import numpy as np
import pytest
import qutip
from scipy.linalg import expm
from scipy.stats import unitary_group

from qbcore import thermo

RNG = np.random.default_rng(7)


def random_state(d, rank=None):
    rank = rank or d
    G = RNG.normal(size=(d, rank)) + 1j * RNG.normal(size=(d, rank))
    rho = G @ G.conj().T
    return rho / np.trace(rho).real


def random_hamiltonian(d):
    A = RNG.normal(size=(d, d)) + 1j * RNG.normal(size=(d, d))
    return 0.5 * (A + A.conj().T)


@pytest.mark.parametrize("d", [2, 3])
def test_ergotropy_equals_brute_force_maximum_over_unitaries(d):
    # Independent route: maximise Tr(rho H) - Tr(U rho U^dag H) over random unitaries, then refine
    # by local random-walk search. The maximum can only approach the exact value from below.
    rho, H = random_state(d), random_hamiltonian(d)
    W = thermo.ergotropy(rho, H)
    E = np.trace(rho @ H).real
    best, Ub = -np.inf, None
    for U in unitary_group.rvs(d, size=4000, random_state=1):
        w = E - np.trace(U @ rho @ U.conj().T @ H).real
        if w > best:
            best, Ub = w, U
    for step in [0.3, 0.1, 0.03, 0.01, 0.003, 0.001]:
        for _ in range(400):
            X = random_hamiltonian(d) * step
            U = expm(1j * X) @ Ub
            w = E - np.trace(U @ rho @ U.conj().T @ H).real
            if w > best:
                best, Ub = w, U
    assert best <= W + 1e-12
    assert best == pytest.approx(W, abs=1e-5)


def test_passive_state_properties_and_qubit_closed_form():
    # Qubit H = (w/2) sz (sz = +1 excited), Bloch vector r: W = (w/2)(r_z + |r|).
    w = 1.7
    H = 0.5 * w * np.diag([1.0, -1.0])
    r = np.array([0.3, -0.2, 0.5])
    rho = 0.5 * (np.eye(2) + r[0] * np.array([[0, 1], [1, 0]]) + r[1] * np.array([[0, -1j], [1j, 0]])
                 + r[2] * np.diag([1.0, -1.0]))
    W = thermo.ergotropy(rho, H)
    assert W == pytest.approx(0.5 * w * (r[2] + np.linalg.norm(r)), abs=1e-13)
    P = thermo.passive_state(rho, H)
    assert np.allclose(np.linalg.eigvalsh(P), np.linalg.eigvalsh(rho), atol=1e-13)
    assert thermo.ergotropy(P, H) == pytest.approx(0.0, abs=1e-13)
    assert np.allclose(P @ H, H @ P, atol=1e-13)


def test_ergotropy_accepts_qobj_and_matches_array():
    rho, H = random_state(4), random_hamiltonian(4)
    a = thermo.ergotropy(rho, H)
    b = thermo.ergotropy(qutip.Qobj(rho), qutip.Qobj(H))
    assert a == pytest.approx(b, abs=1e-14)
    assert a > 1e-3


@pytest.mark.parametrize("T", [0.0, 0.1, 1.0, 10.0])
def test_gibbs_states_are_passive_and_have_zero_exergy(T):
    H = random_hamiltonian(5)
    g = thermo.gibbs_state(H, T)
    assert thermo.ergotropy(g, H) == pytest.approx(0.0, abs=1e-12)
    assert thermo.exergy(g, H, T) == pytest.approx(0.0, abs=1e-12)
    # Complete passivity: n copies are passive for the sum Hamiltonian as well.
    H2 = np.kron(H, np.eye(5)) + np.kron(np.eye(5), H)
    assert thermo.ergotropy(np.kron(g, g), H2) == pytest.approx(0.0, abs=1e-11)


def test_gibbs_matches_qutip_thermal_state_and_zero_temperature_ground_space():
    w = 1.3
    H = qutip.num(6) * w
    g = thermo.gibbs_state(H, 0.8)
    ref = (-H / 0.8).expm()
    ref = ref / ref.tr()
    assert np.abs(g - ref.full()).max() < 1e-13
    Hd = np.diag([0.0, 0.0, 1.0])  # degenerate ground space: T = 0 gives the uniform mixture
    assert np.allclose(thermo.gibbs_state(Hd, 0.0), np.diag([0.5, 0.5, 0.0]))


def test_exergy_equals_T_times_relative_entropy_and_is_positive():
    for _ in range(20):
        d = RNG.integers(2, 5)
        rho, H, T = random_state(d), random_hamiltonian(d), RNG.uniform(0.1, 3.0)
        B = thermo.exergy(rho, H, T)
        S = thermo.relative_entropy(rho, thermo.gibbs_state(H, T))
        assert B == pytest.approx(T * S, rel=1e-10, abs=1e-12)
        assert B > 0
        assert B >= thermo.ergotropy(rho, H) - 1e-12
    # Exergy >= ergotropy (ergotropy is the unitary part of the extractable work).
    rho, H = random_state(3), random_hamiltonian(3)
    assert thermo.exergy(rho, H, 0.5) >= thermo.ergotropy(rho, H) - 1e-12


def test_exergy_zero_temperature_is_energy_above_ground():
    rho, H = random_state(4), random_hamiltonian(4)
    E0 = np.linalg.eigvalsh(H)[0]
    assert thermo.exergy(rho, H, 0.0) == pytest.approx(np.trace(rho @ H).real - E0, abs=1e-12)


def test_entropy_and_relative_entropy_closed_forms():
    p = np.array([0.5, 0.3, 0.2])
    assert thermo.von_neumann_entropy(np.diag(p)) == pytest.approx(-np.sum(p * np.log(p)), abs=1e-14)
    assert thermo.von_neumann_entropy(np.diag([1.0, 0, 0])) == pytest.approx(0.0, abs=1e-14)
    q = np.array([0.2, 0.2, 0.6])
    assert thermo.relative_entropy(np.diag(p), np.diag(q)) == pytest.approx(np.sum(p * np.log(p / q)), abs=1e-14)
    assert thermo.relative_entropy(np.diag(p), np.diag([0.5, 0.5, 0.0])) == np.inf
    rho, sig = random_state(3), random_state(3)
    ref = qutip.entropy_relative(qutip.Qobj(rho), qutip.Qobj(sig))
    assert thermo.relative_entropy(rho, sig) == pytest.approx(ref, abs=1e-10)


def test_free_energy_minimised_by_gibbs():
    H, T = random_hamiltonian(3), 0.7
    Fg = thermo.free_energy(thermo.gibbs_state(H, T), H, T)
    assert Fg == pytest.approx(-T * np.log(np.sum(np.exp(-np.linalg.eigvalsh(H) / T))), abs=1e-12)
    for _ in range(10):
        assert thermo.free_energy(random_state(3), H, T) > Fg


def test_batch_ergotropy_matches_single():
    E = np.array([-1.0, 0.2, 0.5, 2.0])
    rhos = np.array([random_state(4) for _ in range(6)])
    en, W = thermo.batch_ergotropy(rhos, E)
    for r, e1, w1 in zip(rhos, en, W):
        assert w1 == pytest.approx(thermo.ergotropy(r, np.diag(E)), abs=1e-13)
        assert e1 == pytest.approx(np.trace(r @ np.diag(E)).real, abs=1e-13)



@pytest.mark.parametrize("T", [0.0, 1e-3, 0.4, 3.0, 50.0])
def test_batch_exergy_is_the_relative_entropy_of_each_state(T):
    """B = T S(rho||gamma_T) (at T = 0: Tr rho H - E_0), state by state, for random states and energies in any order."""
    E = np.array([0.5, -1.0, 2.0, 0.2])                     # not sorted: the basis order is the caller's
    rhos = np.array([random_state(4) for _ in range(7)])
    B = thermo.batch_exergy(rhos, E, T)
    assert B.shape == (7,)
    for r, b in zip(rhos, B):
        assert b == pytest.approx(thermo.exergy(r, np.diag(E), T), abs=1e-12)
        if T == 0.0:
            assert b == pytest.approx(np.trace(r @ np.diag(E)).real - E.min(), abs=1e-13)
        elif T >= 0.1:  # below, gamma_T's excited populations underflow and S(rho||gamma_T) is inf in floats
            assert b == pytest.approx(T * thermo.relative_entropy(r, thermo.gibbs_state(np.diag(E), T)), abs=1e-10)


def test_batch_exergy_zero_for_gibbs_states_and_bad_input_refused():
    rng = np.random.default_rng(5)
    for _ in range(30):
        E = rng.normal(size=3) * 10.0 ** rng.uniform(-3, 3)
        T = 10.0 ** rng.uniform(-2, 1) * np.ptp(E)
        g = np.diag(np.exp(-(E - E.min()) / T) / np.sum(np.exp(-(E - E.min()) / T)))
        assert thermo.batch_exergy(g[None], E, T)[0] == 0.0
    E = np.array([0.0, 1.0])
    # stacks of Hamiltonians (one per state) and extreme temperatures: finite, no overflow
    Es = np.array([[0.0, 1.0], [0.0, 3.0]])
    rhos = np.array([np.diag([0.3, 0.7]), np.diag([0.9, 0.1])])
    assert np.all(np.isfinite(thermo.batch_exergy(rhos, Es, 1e-4)))
    assert thermo.batch_exergy(rhos, Es, 1e-4) == pytest.approx([0.7, 0.3], abs=1e-3)
    with pytest.raises(ValueError, match="T"):
        thermo.batch_exergy(rhos, E, -0.1)
    with pytest.raises(ValueError, match="shape"):
        thermo.batch_exergy(rhos, np.zeros(3), 0.5)


def test_grand_canonical_state():
    # Single fermionic level eps with N = |1><1|: occupation = Fermi function.
    eps, mu, T = 0.4, 0.1, 0.2
    H = np.diag([0.0, eps])
    N = np.diag([0.0, 1.0])
    g = thermo.gibbs_state(H, T, N=N, mu=mu)
    assert g[1, 1].real == pytest.approx(1 / (np.exp((eps - mu) / T) + 1), abs=1e-14)


def test_exact_zeros_are_exact_on_every_machine():
    """Passive and Gibbs states give exactly 0.0 (two-sided clamp at ROUNDOFF x energy scale)."""
    H3 = np.diag([0.0, 1.0, 3.0])
    # Tr(rho H) is 0.9000000000000001 on some BLAS kernels and 0.9 on others: either way W = 0.0.
    assert thermo.ergotropy(np.diag([0.5, 0.3, 0.2]), H3) == 0.0
    for T in (0.0, 0.3, 1.0, 7.0):
        g = thermo.gibbs_state(H3, T)
        assert thermo.ergotropy(g, H3) == 0.0
        assert thermo.exergy(g, H3, T) == 0.0
    rng = np.random.default_rng(3)
    for _ in range(50):  # random spectra and Gibbs states: zeros hold at any scale
        E = np.sort(rng.normal(size=4)) * 10.0 ** rng.uniform(-3, 3)
        U = np.linalg.qr(rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4)))[0]
        H = U @ np.diag(E) @ U.conj().T
        T = 10.0 ** rng.uniform(-2, 1) * np.ptp(E)
        g = thermo.gibbs_state(H, T)
        assert thermo.ergotropy(g, H) == 0.0 and thermo.exergy(g, H, T) == 0.0
        assert thermo.relative_entropy(g, g) == 0.0
        _, W = thermo.batch_ergotropy(np.diag(np.sort(rng.dirichlet(np.ones(4)))[::-1])[None], E[None])
        assert W[0] == 0.0


def test_roundoff_clamp_keeps_physics_and_sign_errors():
    """The clamp removes only round-off: a tiny real ergotropy above the tolerance survives."""
    assert thermo.roundoff_zero(5e-13, 1.0) == 0.0 and thermo.roundoff_zero(-5e-13, 1.0) == 0.0
    assert thermo.roundoff_zero(2e-12, 1.0) == 2e-12
    assert thermo.roundoff_zero(-2e-12, 1.0) == -2e-12  # a sign error is not hidden
    np.testing.assert_array_equal(thermo.roundoff_zero(np.array([1e-13, 1e-9]), np.array([1.0, 1e4])), [0.0, 0.0])
    # A weakly active state: W = 1e-6 of the scale is physics, not round-off.
    H = np.diag([0.0, 1.0])
    eps = 1e-6
    rho = np.diag([0.5 - eps, 0.5 + eps])
    assert thermo.ergotropy(rho, H) == pytest.approx(2 * eps, rel=1e-9)
