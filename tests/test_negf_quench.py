"""qbcore.negf.quench: the exact real-time evolution of the dot between finite chains, and
gaussian_reduced_state, against the NEGF steady state and against many-body (Fock-space) evolution.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from qbcore import negf, thermo


# --------------------------------------------------------------------------- independent Fock-space tools
def annihilators(m):
    """Jordan–Wigner c_j on m modes, basis |n_1 ... n_m> with index sum n_i 2^(m-i) (mode 1 most significant)."""
    a = np.array([[0.0, 1.0], [0.0, 0.0]])
    z = np.diag([1.0, -1.0])
    out = []
    for j in range(m):
        ops = [z] * j + [a] + [np.eye(2)] * (m - j - 1)
        op = ops[0]
        for o in ops[1:]:
            op = np.kron(op, o)
        out.append(op)
    return out


def many_body(h, c):
    return sum(h[i, j] * c[i].T @ c[j] for i in range(len(c)) for j in range(len(c)) if h[i, j] != 0)


def partial_trace(rho, m, keep):
    """Reduced state of the modes ``keep`` (sorted) of an m-mode Fock-space density matrix.

    The qubit partial trace; it is the fermionic reduced state for a contiguous block ``keep`` of an even
    (parity-conserving) state, since the Jordan-Wigner strings of c_i^dag c_j then stay inside the block.
    """
    r = rho.reshape([2] * (2 * m))
    drop = [i for i in range(m) if i not in keep]
    for k, i in enumerate(sorted(drop, reverse=True)):
        r = np.trace(r, axis1=i, axis2=i + r.ndim // 2)
    d = 2 ** len(keep)
    return r.reshape(d, d)


# --------------------------------------------------------------------------- against the NEGF steady state
def test_quench_reaches_the_negf_steady_state():
    """The referee's check (issue 16): dot between two 600-site chains, mu_L = 0.5, mu_R = 0, T = 0.1."""
    dot = negf.Dot(eps_qb=0.3, v=0.12)
    ness = negf.steady_state(dot, 0.5, 0.0, 0.1, 0.1)
    q = negf.quench(dot, 0.5, 0.0, 0.1, 0.1, [200.0, 250.0], n_sites=600)
    assert q.recurrence_time == pytest.approx(600.0) and q.before_recurrence.all()
    np.testing.assert_allclose(q.occupation, ness.occupation, atol=1e-5)
    np.testing.assert_allclose(q.current_L, ness.charge_current, atol=1e-6)
    np.testing.assert_allclose(q.current_R, ness.charge_current, atol=1e-6)
    # the reduced state of the dot is diag(1 - N, N): its entropy is h(N), the NESS's reduced_state_entropy,
    # not the paper's eq. (12)
    rho = q.reduced_state(250.0)
    np.testing.assert_allclose(rho, np.diag([1 - q.occupation[1], q.occupation[1]]), atol=1e-14)
    assert thermo.von_neumann_entropy(rho) == pytest.approx(q.entropy(250.0), abs=1e-12)
    assert q.entropy(250.0) == pytest.approx(ness.reduced_state_entropy, abs=1e-5)
    assert ness.entropy < ness.reduced_state_entropy - 0.03


def test_quench_forgets_the_initial_dot_occupation_and_works_for_other_leads():
    dot = negf.Dot(eps_qb=-0.2, v_L=0.2, v_R=0.15, h_L=1.0, h_R=0.8, eps_L=0.0, eps_R=0.1)
    assert dot.bound_states() == []
    ness = negf.steady_state(dot, 0.1, 0.1, 0.4, 0.1)
    for n0 in (0.0, 1.0):
        q = negf.quench(dot, 0.1, 0.1, 0.4, 0.1, 120.0, n_sites=300, dot_occupation=n0)
        assert q.occupation[0] == pytest.approx(ness.occupation, abs=1e-4)
        assert q.current_R[0] == pytest.approx(ness.charge_current, abs=1e-5)


def test_quench_at_zero_temperature_and_time_zero():
    dot = negf.Dot(eps_qb=0.3, v=0.12)
    q = negf.quench(dot, 0.5, 0.0, 0.0, 0.0, [0.0, 150.0], n_sites=300)
    assert abs(q.occupation[0]) < 1e-12 and abs(q.current_L[0]) < 1e-12
    assert q.occupation[1] == pytest.approx(negf.steady_state(dot, 0.5, 0.0, 0.0, 0.0).occupation, abs=2e-3)


# --------------------------------------------------------------------------- against many-body evolution
@pytest.mark.parametrize("t", [0.0, 0.7, 3.1])
def test_quench_equals_fock_space_evolution(t):
    """Three sites per chain (7 modes, 128 states): exact many-body evolution of the same initial state."""
    dot = negf.Dot(eps_qb=0.3, v_L=0.5, v_R=0.3, h=1.0)
    n = 3
    muL, muR, TL, TR = 0.6, -0.2, 0.3, 0.8
    q = negf.quench(dot, muL, muR, TL, TR, [t], n_sites=n)
    h = negf.chain_hamiltonian(dot, n)
    m = h.shape[0]
    c = annihilators(m)
    H = many_body(h, c)
    d = n
    left, right = list(range(n)), list(range(d + 1, m))
    K = np.zeros_like(h)
    K[np.ix_(left, left)] = (h[np.ix_(left, left)] - muL * np.eye(n)) / TL
    K[np.ix_(right, right)] = (h[np.ix_(right, right)] - muR * np.eye(n)) / TR
    empty_dot = np.eye(2 ** m) - c[d].T @ c[d]
    rho0 = expm(-many_body(K, c)) @ empty_dot
    rho0 /= np.trace(rho0)
    Ut = expm(-1j * H * t)
    rho_t = Ut @ rho0 @ Ut.conj().T
    C = np.array([[np.trace(rho_t @ c[i].T @ c[j]) for j in range(m)] for i in range(m)])
    np.testing.assert_allclose(q.correlation_matrix(t, range(m)), C, atol=1e-12)
    assert q.occupation[0] == pytest.approx(C[d, d].real, abs=1e-12)
    # dot alone: diag(1 - N, N); dot and its left neighbour: a Gaussian two-mode state with a coherence
    np.testing.assert_allclose(q.reduced_state(t), partial_trace(rho_t, m, [d]), atol=1e-12)
    pair = partial_trace(rho_t, m, [d - 1, d])
    np.testing.assert_allclose(q.reduced_state(t, [d - 1, d]), pair, atol=1e-12)
    if t > 0:
        assert abs(pair[1, 2]) > 1e-3
    # the currents are -dN_L/dt and dN_R/dt
    NL = lambda s: sum(np.trace((expm(-1j * H * s) @ rho0 @ expm(1j * H * s)) @ c[i].T @ c[i]).real for i in left)
    NR = lambda s: sum(np.trace((expm(-1j * H * s) @ rho0 @ expm(1j * H * s)) @ c[i].T @ c[i]).real for i in right)
    e = 1e-4
    assert q.current_L[0] == pytest.approx(-(NL(t + e) - NL(t - e)) / (2 * e) if t > 0 else q.current_L[0], abs=1e-7)
    assert q.current_R[0] == pytest.approx((NR(t + e) - NR(t - e)) / (2 * e) if t > 0 else q.current_R[0], abs=1e-7)


def test_gaussian_reduced_state_of_a_random_quasi_free_state():
    rng = np.random.default_rng(3)
    m = 4
    A = rng.normal(size=(m, m)) + 1j * rng.normal(size=(m, m))
    K = A + A.conj().T
    c = annihilators(m)
    rho = expm(-many_body(K, c))
    rho /= np.trace(rho)
    C = np.array([[np.trace(rho @ c[i].conj().T @ c[j]) for j in range(m)] for i in range(m)])
    np.testing.assert_allclose(negf.gaussian_reduced_state(C), rho, atol=1e-12)
    # contiguous blocks: there the qubit partial trace of the Jordan-Wigner state is the fermionic one
    for keep in ([0], [2], [1, 2], [0, 1, 2], [1, 2, 3]):
        np.testing.assert_allclose(negf.gaussian_reduced_state(C[np.ix_(keep, keep)]),
                                   partial_trace(rho, m, keep), atol=1e-12)
    np.testing.assert_allclose(negf.gaussian_reduced_state([[0.3]]), np.diag([0.7, 0.3]), atol=1e-15)
    np.testing.assert_allclose(negf.gaussian_reduced_state([[1.0]]), np.diag([0.0, 1.0]), atol=1e-15)


# --------------------------------------------------------------------------- bad input
def test_quench_bad_input():
    dot = negf.Dot(eps_qb=0.3)
    with pytest.raises(ValueError, match="dot"):
        negf.quench("dot", 0.5, 0.0, 0.1, 0.1, 1.0)
    with pytest.raises(ValueError, match="n_sites"):
        negf.quench(dot, 0.5, 0.0, 0.1, 0.1, 1.0, n_sites=0)
    with pytest.raises(ValueError, match="n_sites"):
        negf.quench(dot, 0.5, 0.0, 0.1, 0.1, 1.0, n_sites=negf.MAX_CHAIN_SITES + 1)
    with pytest.raises(ValueError, match="times"):
        negf.quench(dot, 0.5, 0.0, 0.1, 0.1, [-1.0], n_sites=10)
    with pytest.raises(ValueError, match="T_L"):
        negf.quench(dot, 0.5, 0.0, -0.1, 0.1, 1.0, n_sites=10)
    with pytest.raises(ValueError, match="dot_occupation"):
        negf.quench(dot, 0.5, 0.0, 0.1, 0.1, 1.0, n_sites=10, dot_occupation=0.5)
    q = negf.quench(dot, 0.5, 0.0, 0.1, 0.1, 1.0, n_sites=10)
    with pytest.raises(ValueError, match="modes"):
        q.correlation_matrix(1.0, [21])
    with pytest.raises(ValueError, match="modes"):
        q.correlation_matrix(1.0, [3, 3])
    with pytest.raises(ValueError, match="at most"):
        q.reduced_state(1.0, range(negf.MAX_REDUCED_MODES + 1))
    with pytest.raises(ValueError, match="eigenvalues"):
        negf.gaussian_reduced_state([[1.5]])
    with pytest.raises(ValueError, match="Hermitian"):
        negf.gaussian_reduced_state([[0.5, 0.1], [0.3, 0.5]])
