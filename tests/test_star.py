"""Star / chain network battery with fermionic reservoirs (qbcore.models.star).

Independent routes: qutip.steadystate with collapse operators built here from QuTiP's own spin
operators; the full 4^N Liouvillian of qbcore.master; an explicit 2^M construction of the Dicke
blocks (for the permutation-symmetric solver's coefficients); the grand-canonical state; the closed
forms (N = 2, collective blocks, N -> infinity); the sparse-LU vs matrix-free GMRES sector solvers.
"""
import inspect
import math

import numpy as np
import pytest
import qutip as qt

from qbcore import master, thermo
from qbcore.baths import fermi
from qbcore.models import star

RNG = np.random.default_rng(20240222)
CASES = [
    dict(mu=0.3, delta_mu=2.5, T=0.8, J=1.3, gamma=0.7),
    dict(mu=1.0, delta_mu=2.0, T=1.0, J=1.0, gamma=1.0),
    dict(mu=-1.0, delta_mu=6.0, T=0.4, J=0.4, gamma=1.6, omega=0.5),
    dict(mu=2.0, delta_mu=-1.5, T=2.5, J=-2.0, gamma=0.9),
]


# --------------------------------------------------------------------------- independent QuTiP model
def _qutip_model(N, topology, mu, delta_mu=0.0, T=1.0, J=1.0, gamma=1.0, omega=1.0, omega0=10.0,
                 collective=False):
    sm = [qt.tensor([qt.sigmam() if k == i else qt.qeye(2) for k in range(N)]) for i in range(N)]
    sz = [qt.tensor([qt.sigmaz() if k == i else qt.qeye(2) for k in range(N)]) for i in range(N)]
    pairs = [(0, i) for i in range(1, N)] if topology == "star" else [(i, i + 1) for i in range(N - 1)]
    H = omega0 * sum(sz)
    for a, b in pairs:
        H = H + J * (sm[a].dag() * sm[b] + sm[b].dag() * sm[a])

    def occ(m):
        return 1.0 / (math.exp((omega - m) / T) + 1.0)

    if collective:
        n, S = occ(mu), sum(sm)
        return H, [math.sqrt(gamma * (1 - n)) * S, math.sqrt(gamma * n) * S.dag()], sm
    c_ops = []
    for i in range(N):
        n = occ(mu if i == 0 else mu + delta_mu)
        c_ops += [math.sqrt(gamma * (1 - n)) * sm[i], math.sqrt(gamma * n) * sm[i].dag()]
    return H, c_ops, sm


@pytest.mark.parametrize("topology", ["star", "chain"])
@pytest.mark.parametrize("N", [1, 2, 3, 4, 5])
def test_sector_solver_matches_qutip_steadystate(N, topology):
    case = CASES[N % len(CASES)]
    H, c_ops, _ = _qutip_model(N, topology, **case)
    ref = qt.steadystate(H, c_ops).full()
    ss = star.steady_state(N=N, topology=topology, **case)
    np.testing.assert_allclose(ss.rho, ref, atol=1e-10)
    np.testing.assert_allclose(ss.H, H.full(), atol=1e-12)
    assert ss.is_unique and ss.battery_unique and ss.is_positive
    assert abs(ss.ergotropy - thermo.ergotropy(ref, H.full())) < 1e-9


def test_dense_core_liouvillian_route_and_excitation_blocks():
    """The full 4^N generator from qbcore.master gives the same state, with no coherence between
    different excitation numbers (the basis of the sector solver)."""
    for N, topology in ((2, "star"), (3, "chain"), (4, "star")):
        kw = dict(CASES[0], N=N, topology=topology)
        dense = star.steady_state(method="dense", **kw)
        sect = star.steady_state(method="sector", **kw)
        np.testing.assert_allclose(dense.rho, sect.rho, atol=1e-11)
        exc = (1 - star._bits(N)).sum(axis=1)
        off = exc[:, None] != exc[None, :]
        assert np.abs(dense.rho[off]).max() < 1e-12
        assert abs(dense.battery_state[0, 1]) < 1e-12


@pytest.mark.parametrize("topology", ["star", "chain"])
def test_gmres_sector_solver_equals_sparse_lu(topology):
    for N, case in ((5, CASES[2]), (6, CASES[0])):
        p = star.params(N=N, topology=topology, **case)
        X, info = star._gmres_sector(p)
        lu = star.steady_state(N=N, topology=topology, **case)
        for b, x in zip(star._sector(N, topology).blocks, X):
            np.testing.assert_allclose(x, lu.rho[np.ix_(b, b)], atol=1e-11)
        assert info["residual"] < 1e-12


# --------------------------------------------------------------------------- permutation-symmetric solver
def _dicke_blocks(M):
    """F^j_{mm'} built explicitly in the 2^M space from total-spin projectors and ladders."""
    s = master.spin_operators(M)
    Jm = sum(s["sm"])
    Jp = Jm.conj().T
    Jz = 0.5 * sum(s["sz"])
    w, U = np.linalg.eigh(Jp @ Jm + Jz @ Jz - Jz)
    out = {}
    for j in star._spins(M):
        P = U[:, np.abs(w - j * (j + 1)) < 1e-6]
        Q = (P @ P.conj().T) @ np.diag((np.abs(np.diag(Jz).real - j) < 1e-9).astype(float))
        d = star._multiplicity(M, j)

        def F(m, m1, j=j, Q=Q, d=d):
            k, k1 = int(round(j - m)), int(round(j - m1))
            nk = math.factorial(k) * math.factorial(int(2 * j)) / math.factorial(int(2 * j) - k)
            nk1 = math.factorial(k1) * math.factorial(int(2 * j)) / math.factorial(int(2 * j) - k1)
            return (np.linalg.matrix_power(Jm, k) @ Q @ np.linalg.matrix_power(Jp, k1)) / np.sqrt(nk * nk1) / d
        out[float(j)] = F
    return out, s


@pytest.mark.parametrize("M", [1, 2, 3, 4, 5])
def test_dicke_sandwich_coefficients_against_explicit_construction(M):
    blocks, s = _dicke_blocks(M)
    for j, F in blocks.items():
        assert abs(np.trace(F(j, j)) - 1.0) < 1e-12
        for sign, ops in ((-1, s["sm"]), (1, s["sp"])):
            for m in np.arange(-j, j + 0.5):
                for m1 in (m, m + 1):
                    if m1 > j:
                        continue
                    Y = sum(o @ F(m, m1) @ o.conj().T for o in ops)
                    coef = star._dicke_sandwich(M, j, np.array([m]), np.array([m1]), sign)
                    recon = np.zeros_like(Y)
                    for jp, c in coef.items():
                        if float(jp) in blocks and c[0] != 0.0:
                            recon = recon + c[0] * blocks[float(jp)](m + sign, m1 + sign)
                    np.testing.assert_allclose(recon, Y, atol=1e-12)


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 6, 7, 8])
def test_symmetric_solver_matches_exact_solver(N):
    for case in (CASES[0], CASES[3]):
        ex = star.steady_state(N=N, method="sector", **case)
        sy = star.steady_state(N=N, method="symmetric", **case)
        assert sy.rho is None and sy.method == "symmetric"
        assert abs(sy.battery_population - ex.battery_population) < 1e-10
        assert abs(sy.extra["ancilla_population"] - ex.extra["ancilla_population"]) < 1e-10
        # network energy and ergotropy (the latter from spectra with multiplicities up to 2^N)
        assert abs(sy.energy - ex.energy) < 1e-10 * max(1.0, abs(ex.energy))
        assert abs(sy.ergotropy - ex.ergotropy) < 1e-10 * max(1.0, ex.ergotropy)
        assert abs(sy.stored_energy - ex.stored_energy) < 1e-9
        assert abs(sy.min_eigenvalue - ex.min_eigenvalue) < 1e-10


def test_symmetric_solver_at_zero_temperature_and_extreme_rates():
    for kw in (dict(mu=0.5, delta_mu=1.0, T=0.0), dict(mu=1.0, delta_mu=0.0, T=0.0),
               dict(mu=0.2, delta_mu=3.0, T=0.5, gamma=300.0, J=0.01)):
        ex = star.steady_state(N=6, method="sector", **kw)
        sy = star.steady_state(N=6, method="symmetric", **kw)
        assert abs(sy.battery_population - ex.battery_population) < 1e-10
        assert abs(sy.extra["ancilla_population"] - ex.extra["ancilla_population"]) < 1e-10


def test_symmetric_solver_reaches_large_N():
    ss = star.steady_state(N=100, mu=0.0, delta_mu=3.0, T=1.0)
    assert ss.method == "symmetric" and ss.extra["unknowns"] == star.symmetric_dimension(100) == 7600
    assert 0.5 < ss.battery_population < ss.extra["ancilla_population"] < fermi(1.0, 3.0, 1.0)
    assert 0.0 <= ss.battery_ergotropy <= ss.battery_energy + 10.0
    assert 0.0 <= ss.ergotropy <= ss.stored_energy
    assert ss.min_eigenvalue > -1e-12


# --------------------------------------------------------------------------- equilibrium and readings
@pytest.mark.parametrize("topology", ["star", "chain"])
def test_equilibrium_local_is_grand_canonical(topology):
    """Delta mu = 0: every qubit at the reservoir occupation n(omega); rho = x^N / Z."""
    for N in (2, 3, 5):
        for mu, T in ((-0.5, 0.7), (1.0, 1.0), (3.0, 2.0)):
            ss = star.steady_state(N=N, mu=mu, T=T, J=1.7, topology=topology)
            n = fermi(1.0, mu, T)
            exc = (1 - star._bits(N)).sum(axis=1)
            gc = np.diag(n ** exc * (1 - n) ** (N - exc))
            np.testing.assert_allclose(ss.rho, gc, atol=1e-11)
            assert abs(star.battery_ergotropy(ss) - max(0.0, math.tanh((mu - 1.0) / (2 * T)))) < 1e-11
    big = star.steady_state(N=60, mu=2.0, T=0.5)
    n = fermi(1.0, 2.0, 0.5)
    assert abs(big.battery_population - n) < 1e-12 and abs(big.extra["ancilla_population"] - n) < 1e-12


@pytest.mark.parametrize("omega", [1.0, 10.0, 20.0])
def test_zero_ergotropy_iff_mu_at_most_omega(omega):
    """Readings of n(omega): the charging edge sits at mu = omega (1: the paper's statement; 2*omega0 = 20
    or omega0 = 10: the physical readings)."""
    for mu in (omega - 3.0, omega - 0.1, omega):
        assert star.battery_ergotropy(star.steady_state(N=3, mu=mu, omega=omega, T=0.5)) < 1e-12
    for mu in (omega + 0.1, omega + 4.0):
        assert star.battery_ergotropy(star.steady_state(N=3, mu=mu, omega=omega, T=0.5)) > 1e-3


def test_omega0_only_sets_the_scale_and_wmax():
    a = star.steady_state(N=4, omega0=10.0, **CASES[1])
    b = star.steady_state(N=4, omega0=3.0, **CASES[1])
    np.testing.assert_allclose(a.rho, b.rho, atol=1e-12)
    assert star.max_ergotropy(10.0) == 20.0
    # W_max is the ergotropy of the fully excited battery
    assert abs(thermo.ergotropy(np.diag([1.0, 0.0]), a.battery_H) - star.max_ergotropy(10.0)) < 1e-12
    assert abs(star.battery_ergotropy(a) - star.battery_ergotropy(b)) < 1e-12
    ratio = star.battery_ergotropy(a, normalized=False) / star.battery_ergotropy(b, normalized=False)
    assert abs(ratio - 10 / 3) < 1e-9
    assert abs(star.battery_ergotropy(a) - star.normalized_ergotropy(a.battery_population)) < 1e-12


def test_sign_of_J_is_irrelevant_and_bloch_vector():
    a = star.steady_state(N=5, J=1.3, **{k: v for k, v in CASES[0].items() if k != "J"})
    b = star.steady_state(N=5, J=-1.3, **{k: v for k, v in CASES[0].items() if k != "J"})
    assert abs(a.battery_population - b.battery_population) < 1e-12
    bx, by, bz = a.bloch_vector
    assert abs(bx) < 1e-12 and abs(by) < 1e-12 and abs(bz - (2 * a.battery_population - 1)) < 1e-12


# --------------------------------------------------------------------------- closed forms
def test_two_qubit_closed_form_and_threshold():
    for case in CASES:
        for topology in ("star", "chain"):
            ss = star.steady_state(N=2, topology=topology, **case)
            p = star.params(N=2, **case)
            closed = star.two_qubit_population(p.n_battery, p.n_ancilla, p.J, p.gamma)
            assert abs(ss.battery_population - closed) < 1e-12
    thr = star.two_qubit_threshold(mu=0.0, T=1.0)
    assert abs(thr - star.charging_threshold(N=2, mu=0.0, T=1.0)) < 1e-8
    assert abs(star.steady_state(N=2, mu=0.0, delta_mu=thr).battery_population - 0.5) < 1e-12
    # weak coupling: no bias is enough (needs kappa > 1 - 2 n1 ... here kappa = 0.02)
    assert star.two_qubit_threshold(mu=0.0, J=0.1) == math.inf
    assert star.charging_threshold(N=2, mu=0.0, J=0.1) == math.inf
    assert star.two_qubit_threshold(mu=3.0) == -math.inf


def test_star_and_chain_coincide_only_for_N_at_most_2():
    for N in (1, 2):
        assert abs(star.steady_state(N=N, topology="star", **CASES[0]).battery_population
                   - star.steady_state(N=N, topology="chain", **CASES[0]).battery_population) < 1e-12
    for N in (3, 4):
        d = (star.steady_state(N=N, topology="star", **CASES[0]).battery_population
             - star.steady_state(N=N, topology="chain", **CASES[0]).battery_population)
        assert abs(d) > 1e-3


def test_free_fermion_shortcut_fails_beyond_two_qubits():
    for topology in ("star", "chain"):
        for N in (1, 2):
            g = star.gaussian_populations(N=N, topology=topology, **CASES[0])
            assert abs(g[0] - star.steady_state(N=N, topology=topology, **CASES[0]).battery_population) < 1e-12
        for N in (3, 4):
            g = star.gaussian_populations(N=N, topology=topology, **CASES[0])
            assert abs(g[0] - star.steady_state(N=N, topology=topology, **CASES[0]).battery_population) > 1e-3


def test_large_N_saturation_closed_form():
    """n_A -> 1, N -> infinity: birth-death chain of JC-like doublets, O(1/N) corrections, J-independent."""
    for mu, T, J in ((0.0, 1.0, 1.0), (2.0, 2.0, 3.0)):
        p = [star.steady_state(N=N, mu=mu, delta_mu=200.0, T=T, J=J).battery_population for N in (100, 200)]
        rich = 2 * p[1] - p[0]
        limit = star.large_n_saturation(fermi(1.0, mu, T))
        assert abs(rich - limit) < 1e-5
        assert abs(p[1] - limit) < 0.5 * abs(p[0] - limit)      # 1/N approach (from below for J = 1,
        assert (p[0] < limit) == (J < 2)                         # from above for J = 3)


def test_threshold_decreases_with_N_towards_omega_minus_mu():
    thr = [star.charging_threshold(N=N, mu=0.0, xtol=1e-8) for N in (2, 3, 5, 10, 40)]
    assert all(a > b for a, b in zip(thr, thr[1:]))
    assert 1.0 < thr[-1] < 1.2
    # at n_A = 1/2 the battery tends to 1/2 from below
    p = [star.steady_state(N=N, mu=0.0, delta_mu=1.0).battery_population for N in (10, 40, 160)]
    assert p[0] < p[1] < p[2] < 0.5


# --------------------------------------------------------------------------- collective dissipation
def test_collective_requires_initial_state_and_detects_dark_states():
    for N, kdim, unique in ((2, 2, False), (3, 2, True), (4, 9, False), (5, 14, True)):
        with pytest.raises(master.NonUniqueSteadyStateError):
            star.steady_state(N=N, mu=2.0, dissipation="collective")
        ss = star.steady_state(N=N, mu=2.0, dissipation="collective", initial="ground")
        assert ss.kernel_dim == kdim and ss.battery_unique == unique and not ss.is_unique
    assert star.steady_state(N=1, mu=2.0, dissipation="collective").is_unique
    ch = star.steady_state(N=3, mu=2.0, dissipation="collective", topology="chain", initial="ground")
    assert ch.kernel_dim == 2 and not ch.battery_unique


def test_collective_kernel_lives_in_the_excitation_conserving_sector():
    """Full 4^N kernel (qbcore.master) has the same dimension; projections agree."""
    for N in (2, 3, 4):
        L = star.liouvillian(N=N, mu=2.0, dissipation="collective")
        R, _ = master.kernel(L, rtol=1e-10)
        r0 = _random_state(N)
        sect = star.steady_state(N=N, mu=2.0, dissipation="collective", initial=r0)
        assert R.shape[1] == sect.kernel_dim
        dense = star.steady_state(N=N, mu=2.0, dissipation="collective", initial=r0, method="dense")
        np.testing.assert_allclose(dense.rho, sect.rho, atol=1e-9)


def _random_state(N):
    A = RNG.normal(size=(2 ** N, 2 ** N)) + 1j * RNG.normal(size=(2 ** N, 2 ** N))
    r = A @ A.conj().T
    return r / np.trace(r)


def test_collective_battery_is_grand_canonical_for_odd_N_any_initial_state():
    for N in (3, 5):
        for mu, T in ((2.0, 1.0), (0.0, 0.5)):
            n = fermi(1.0, mu, T)
            for _ in range(3):
                ss = star.steady_state(N=N, mu=mu, T=T, dissipation="collective", initial=_random_state(N))
                assert abs(ss.battery_population - n) < 1e-10
    # QuTiP's steadystate on the paper's N = 3 collective model returns the same battery state
    H, c_ops, sm = _qutip_model(3, "star", mu=2.0, collective=True)
    r = qt.steadystate(H, c_ops)
    assert abs(qt.expect(sm[0].dag() * sm[0], r) - fermi(1.0, 2.0, 1.0)) < 1e-9


def test_collective_even_N_dark_singlet_and_triplet():
    n = fermi(1.0, 2.0, 1.0)
    # N = 2: singlet is dark (battery maximally mixed, W = 0); |ee> ends in the triplet state
    singlet = np.zeros(4)
    singlet[1], singlet[2] = 1 / math.sqrt(2), -1 / math.sqrt(2)
    ss = star.steady_state(N=2, mu=2.0, dissipation="collective", initial=np.outer(singlet, singlet))
    np.testing.assert_allclose(ss.rho, np.outer(singlet, singlet), atol=1e-10)
    assert abs(ss.battery_population - 0.5) < 1e-10 and star.battery_ergotropy(ss) < 1e-10
    ss = star.steady_state(N=2, mu=2.0, dissipation="collective", initial="excited")
    assert abs(ss.battery_population - star.triplet_population(n)) < 1e-10
    # N = 4: battery in a singlet with the ancillas' collective spin-1/2 (j_A = 1/2) is dark too
    up = np.zeros(8)
    up[1], up[2] = 1 / math.sqrt(2), -1 / math.sqrt(2)          # |e e g> - |e g e>  (m = +1/2)
    down = np.zeros(8)
    down[5], down[6] = 1 / math.sqrt(2), -1 / math.sqrt(2)      # |g e g> - |g g e>  (m = -1/2)
    psi = (np.kron([1, 0], down) - np.kron([0, 1], up)) / math.sqrt(2)
    ss = star.steady_state(N=4, mu=2.0, dissipation="collective", initial=np.outer(psi, psi))
    np.testing.assert_allclose(ss.rho, np.outer(psi, psi), atol=1e-10)
    assert abs(ss.battery_population - 0.5) < 1e-10


def test_collective_blocks_closed_form_up_to_large_N():
    for N in (2, 3, 4, 7, 20, 41):
        n = fermi(1.0, 1.5, 0.8)
        blocks = star.collective_blocks(N, mu=1.5, T=0.8, J=0.9)
        assert sum(b["multiplicity"] * (2 * b["j"] + 1) for b in blocks) == 2 ** (N - 1)
        for b in blocks:
            if b["j"] == 0.5:
                assert b["kernel_dim"] == 2
                np.testing.assert_allclose(b["populations"], sorted([0.5, star.triplet_population(n)]), atol=1e-9)
            else:
                assert b["kernel_dim"] == 1 and abs(b["populations"][0] - n) < 1e-10
    kd = sum(b["multiplicity"] ** 2 * b["kernel_dim"] for b in star.collective_blocks(4, mu=2.0))
    assert kd == 9


# --------------------------------------------------------------------------- sweeps
def test_sweep_matches_point_solver():
    d = np.linspace(-1.0, 8.0, 7)
    for N, topology in ((3, "star"), (12, "star"), (3, "chain"), (4, "chain"), (5, "chain")):
        sw = star.sweep(N, topology=topology, mu=0.5, delta_mu=d, T=0.9, J=0.8)
        ref = [star.steady_state(N=N, mu=0.5, delta_mu=x, T=0.9, J=0.8, topology=topology) for x in d]
        np.testing.assert_allclose(sw.p1, [r.battery_population for r in ref], atol=1e-12)
        np.testing.assert_allclose(sw.ancilla, [r.extra["ancilla_population"] for r in ref], atol=1e-12)
        np.testing.assert_allclose(sw.W, [star.battery_ergotropy(r) for r in ref], atol=1e-12)
    mu, T = np.meshgrid(np.linspace(-1, 4, 5), np.array([0.0, 0.5, 2.0]))
    sw = star.sweep(3, dissipation="collective", initial="mixed", mu=mu, T=T)
    np.testing.assert_allclose(sw.p1, star._fermi_vec(1.0, mu, T), atol=1e-10)
    big = star.sweep(60, mu=0.0, delta_mu=np.array([1.0, 4.0]))
    assert big.shape == (2,) and big.p1[0] < big.p1[1]


def _pivoted_symmetric_solve(N, c):
    """Independent route for the block solver: sparse LU with partial pivoting on the whole generator."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla
    sym = star._Symmetric.build(N)
    L = sym.generator(*c).tocsr()
    A = sp.vstack([L[:-1], sp.csr_matrix(sym.trace_vector()[sym.order])]).tocsc()
    b = np.zeros(sym.dim)
    b[-1] = 1.0
    y = spla.spsolve(A, b)
    x = np.empty_like(y)
    x[sym.order] = y
    return x


@pytest.mark.parametrize("N", [2, 7, 20])
def test_block_elimination_matches_pivoted_sparse_solve(N):
    rng = np.random.default_rng(N)
    # random points plus corners of the widget ranges (T = 0.1: rates down to e^-90)
    mu = np.r_[rng.uniform(-2, 8, 12), -2, 8, -2, 8, 0.0]
    dmu = np.r_[rng.uniform(0, 10, 12), 0, 0, 10, 10, 10]
    T = np.r_[rng.uniform(0.1, 5, 12), 0.1, 0.1, 0.1, 0.1, 0.1]
    J = np.r_[rng.uniform(0, 4, 12), 4, 0, 4, 0.0, 1e-3]
    C = star._rates_grid(star._sweep_grid(dict(mu=mu, delta_mu=dmu, T=T, J=J)))
    x = star._block_batch(N, C)
    ref = np.array([_pivoted_symmetric_solve(N, c) for c in C])
    assert np.all(np.isfinite(x))
    np.testing.assert_allclose(x, ref, atol=1e-13)
    np.testing.assert_allclose(x @ star._Symmetric.build(N).trace_vector(), 1.0, atol=1e-13)


def test_block_elimination_chunks_and_zero_temperature(monkeypatch):
    d = np.linspace(0.0, 10.0, 9)
    whole = star.sweep(9, mu=0.5, delta_mu=d, T=0.7)
    monkeypatch.setattr(star._symmetric, "_BLOCK_BATCH_FLOATS", 1.0)   # one point per chunk
    np.testing.assert_allclose(star.sweep(9, mu=0.5, delta_mu=d, T=0.7).p1, whole.p1, atol=1e-14)
    # T = 0: with no gain anywhere (mu, mu + delta_mu < omega) the all-ground block is singular; that
    # point is flagged (NaN) and the sweep solves it separately
    mu, dmu = np.array([0.0, 0.5, 2.0]), np.array([3.0, 0.0, 3.0])
    C = star._rates_grid(star._sweep_grid(dict(mu=mu, delta_mu=dmu, T=0.0)))
    assert np.isnan(star._block_batch(9, C)).any(axis=1).tolist() == [False, True, False]
    sw = star.sweep(9, mu=mu, delta_mu=dmu, T=0.0)
    ref = [star.steady_state(N=9, mu=m, delta_mu=d, T=0.0, method="sector").battery_population
           for m, d in zip(mu, dmu)]
    np.testing.assert_allclose(sw.p1, ref, atol=1e-10)
    assert sw.p1[1] == pytest.approx(0.0, abs=1e-12)


def test_zero_temperature_and_bounds():
    for mu in (0.5, 1.0, 1.5):
        ss = star.steady_state(N=4, mu=mu, delta_mu=1.0, T=0.0)
        assert ss.is_positive and -1e-12 <= ss.battery_ergotropy <= ss.battery_energy + ss.params.omega0 + 1e-12
        assert 0.0 <= ss.ergotropy <= ss.stored_energy + 1e-9
    ss = star.steady_state(N=4, mu=1.0, delta_mu=0.0, T=0.0)        # half filling exactly at T = 0
    assert abs(ss.battery_population - 0.5) < 1e-12
    # all reservoirs full at T = 0: the fully excited network, also through the GMRES route (N = 7)
    for N in (4, 7):
        ss = star.steady_state(N=N, mu=2.0, T=0.0, topology="chain")
        assert abs(ss.rho[0, 0] - 1.0) < 1e-12 and ss.method.startswith("sector")


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kw", [
    dict(N=0), dict(N=2.5), dict(N=True), dict(N=401), dict(topology="ring"), dict(dissipation="global"),
    dict(gamma=0.0), dict(T=-1.0), dict(omega0=0.0), dict(mu=float("nan")), dict(J=float("inf")),
    dict(dissipation="collective", delta_mu=1.0), dict(method="qutip"),
    dict(method="symmetric", topology="chain"), dict(N=11, topology="chain"),
    dict(N=7, dissipation="collective", initial="ground"), dict(N=3, dissipation="collective", initial="hot"),
    dict(N=3, dissipation="collective", initial=np.eye(4) / 4),
    dict(N=2, dissipation="collective", initial=np.diag([1.0, 1.0, 0.0, 0.0])),
    dict(N=6, method="dense"),
])
def test_bad_input_raises_value_error(kw):
    with pytest.raises(ValueError):
        star.steady_state(**kw)


def test_bad_input_other_functions():
    with pytest.raises(ValueError):
        star.sweep(3, mu=np.ones(3), delta_mu=np.ones(4))
    with pytest.raises(TypeError):                      # explicit keywords: unknown names are a TypeError
        star.sweep(3, temperature=1.0)
    with pytest.raises(ValueError, match="unknown sweep parameter"):
        star._sweep_grid(dict(temperature=1.0))
    with pytest.raises(ValueError):
        star.sweep(3, T=np.array([1.0, -1.0]))
    with pytest.raises(ValueError):
        star.sweep(3, dissipation="collective", delta_mu=1.0, initial="ground")
    with pytest.raises(ValueError):
        star.normalized_ergotropy(1.5)
    with pytest.raises(ValueError):
        star.battery_ergotropy(object())
    with pytest.raises(ValueError):
        star.large_n_saturation(1.0)
    with pytest.raises(ValueError):
        star.triplet_population(-0.1)
    with pytest.raises(ValueError):
        star.hamiltonian(N=11)
    with pytest.raises(ValueError):
        star.two_qubit_threshold(T=0.0)


def test_two_qubit_threshold_is_a_signed_root():
    """For n1 > 1/2 the N = 2 battery stays charged down to a negative bias given by the closed form."""
    thr = star.two_qubit_threshold(mu=1.5, T=1.0, J=1.0)
    assert -10 < thr < 0
    assert abs(star.steady_state(N=2, mu=1.5, delta_mu=thr).battery_population - 0.5) < 1e-12
    assert star.charging_threshold(N=2, mu=1.5) == 0.0


# --------------------------------------------------------------------------- package, signatures, docstrings
def test_public_api_signatures_and_numpy_docstrings():
    assert hasattr(star, "__path__") and star.__name__ == "qbcore.models.star"     # a package
    for name in star.__all__:
        assert hasattr(star, name), name
    model_keys = list(inspect.signature(star.params).parameters)
    sig = inspect.signature(star.liouvillian).parameters
    assert list(sig) == model_keys
    assert all(sig[k].default == inspect.signature(star.params).parameters[k].default for k in model_keys)
    sw = inspect.signature(star.sweep).parameters
    assert set(model_keys) <= set(sw) and "initial" in sw
    for f in (star.liouvillian, star.sweep):
        kinds = {p.kind for p in inspect.signature(f).parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds and inspect.Parameter.VAR_POSITIONAL not in kinds
    for name in star.__all__:
        obj = getattr(star, name)
        if not callable(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        assert doc.split("\n")[0].strip(), name
        if inspect.isclass(obj):
            assert "Attributes\n----------" in doc, name
        if inspect.signature(obj).parameters:
            assert "Parameters\n----------" in doc, name
        if not inspect.isclass(obj):
            assert "Returns\n-------" in doc, name


def _fmt_range(x):
    return "0" if x == 0 else f"{x:.0e}".replace("e+0", "e").replace("e-0", "e-")


def test_every_parameter_range_is_documented():
    for fn in (star.params, star.steady_state, star.sweep, star.liouvillian, star.charging_threshold,
               star.gaussian_populations, star.collective_blocks, star.hamiltonian):
        for name, (lo, hi) in star.RANGES.items():
            if name not in inspect.signature(fn).parameters:
                continue
            rng = f"[{_fmt_range(lo)}, {_fmt_range(hi)}]"
            # inspect.getdoc: Python 3.13 dedents __doc__ itself, older versions do not.
            block = inspect.getdoc(fn).split(f"\n{name} : ")[1].split("\n")[0:3]
            assert rng in " ".join(block), (fn.__name__, name, rng)


# --------------------------------------------------------------------------- result type
@pytest.mark.parametrize("kw", [
    dict(N=3, method="dense", **CASES[0]),
    dict(N=4, method="sector", **CASES[3]),
    dict(N=3, topology="chain", **CASES[2]),
    dict(N=7, method="sector", **CASES[1]),
    dict(N=3, mu=2.0, dissipation="collective", initial="ground"),
    dict(N=3, mu=3.0, T=0.5, J=0.0),
])
def test_network_ergotropy_is_thermo_ergotropy_and_normalised_names_agree(kw):
    ss = star.steady_state(**kw)
    assert ss.rho is not None and ss.H is not None
    assert ss.ergotropy == pytest.approx(thermo.ergotropy(ss.rho, ss.H), abs=1e-12)
    assert ss.energy == pytest.approx(float(np.real(np.trace(ss.rho @ ss.H))), abs=1e-12)
    assert ss.populations.shape == (2 ** ss.params.N,) and ss.kernel_dim >= 1 and ss.is_positive
    assert ss.min_eigenvalue == pytest.approx(np.linalg.eigvalsh(ss.rho)[0], abs=1e-12)
    assert ss.battery_ergotropy == thermo.ergotropy(ss.battery_state, ss.battery_H)
    assert ss.battery_ergotropy_normalized == ss.battery_ergotropy / (2 * ss.params.omega0)
    assert star.battery_ergotropy(ss) == ss.battery_ergotropy_normalized
    assert star.battery_ergotropy(ss, normalized=True) == ss.battery_ergotropy_normalized
    assert star.battery_ergotropy(ss, normalized=False) == ss.battery_ergotropy
    assert ss.battery_ergotropy_normalized == pytest.approx(star.normalized_ergotropy(ss.battery_population),
                                                            abs=1e-12)


def test_symmetric_result_has_no_full_state_but_the_same_names():
    ss = star.steady_state(N=12, **CASES[3])
    assert ss.rho is None and ss.H is None and ss.populations is None and ss.kernel_dim == 1
    assert star.battery_ergotropy(ss) == ss.battery_ergotropy_normalized == ss.battery_ergotropy / 20.0
    assert ss.is_positive and ss.ergotropy >= 0.0


# --------------------------------------------------------------------------- exact zero at J = 0
@pytest.mark.parametrize("N, topology, method", [
    (1, "star", "auto"), (2, "star", "auto"), (3, "star", "auto"), (3, "chain", "auto"), (4, "star", "dense"),
    (7, "star", "sector"), (7, "chain", "auto"), (12, "star", "auto"),
])
def test_zero_coupling_battery_is_thermal_with_its_own_reservoir(N, topology, method):
    """J = 0: the battery only sees its own reservoir, p1 = n1 = f(omega; mu, T) and W = max(0, 2 n1 - 1):
    exactly 0.0 for n1 <= 1/2 (mu <= omega), including n1 = 1/2 exactly (mu = omega)."""
    for mu, dmu, T in ((0.0, 3.0, 1.0), (1.0, 0.0, 1.0), (1.0, 2.0, 0.0), (-1.0, 4.0, 0.5), (3.0, -2.0, 1.0),
                       (3.0, 0.0, 1.0), (2.0, 1.0, 0.0)):
        ss = star.steady_state(N=N, mu=mu, delta_mu=dmu, T=T, J=0.0, topology=topology, method=method)
        n1 = fermi(1.0, mu, T)
        assert abs(ss.battery_population - n1) <= 1e-14
        W = star.normalized_ergotropy(ss.battery_population)
        sw = star.sweep(N, mu=mu, delta_mu=dmu, T=T, J=0.0, topology=topology).W
        if n1 <= 0.5:
            assert ss.battery_ergotropy == 0.0 and ss.battery_ergotropy_normalized == 0.0
            assert star.battery_ergotropy(ss) == 0.0 and W == 0.0 and sw == 0.0
        else:
            for w in (ss.battery_ergotropy_normalized, W, sw):
                assert w == pytest.approx(2 * n1 - 1, abs=1e-14)


def test_normalized_ergotropy_is_exactly_zero_at_half_filling():
    assert star.normalized_ergotropy(0.5 + 4e-16) == 0.0
    assert star.normalized_ergotropy(0.5 - 4e-16) == 0.0
    np.testing.assert_array_equal(star.normalized_ergotropy([0.2, 0.5 + 1e-15, 0.75]), [0.0, 0.0, 0.5])


# --------------------------------------------------------------------------- ranges
@pytest.mark.parametrize("kw, match", [
    (dict(T=-1.0), r"T must lie in \[0\.0, 1000000\.0\]"),
    (dict(T=1e300), r"T must lie in \[0\.0, 1000000\.0\]"),
    (dict(gamma=0.0), r"gamma must lie in \[1e-06, 1000000\.0\]"),
    (dict(gamma=-1.0), r"gamma must lie in \[1e-06, 1000000\.0\]"),
    (dict(gamma=1e300), r"gamma must lie in \[1e-06, 1000000\.0\]"),
    (dict(omega0=1e300), r"omega0 must lie in \[1e-06, 1000000\.0\]"),
    (dict(omega0=-10.0), r"omega0 must lie in"),
    (dict(mu=1e300), r"mu must lie in \[-1000000\.0, 1000000\.0\]"),
    (dict(delta_mu=-1e7), r"delta_mu must lie in"),
    (dict(omega=1e300), r"omega must lie in"),
    (dict(J=-1e300), r"J must lie in"),
    (dict(N=0), r"N must be an integer in \[1, 400\]"),
    (dict(N=401), r"N must be an integer in \[1, 400\]"),
    (dict(N=11, topology="chain"), r"N <= 10"),
    (dict(N=6, method="dense"), r"N must be an integer in \[1, 5\]"),
    (dict(N=7, dissipation="collective", initial="ground"), r"N <= 6"),
    (dict(topology="ring"), r"topology must be one of"),
    (dict(N=3, mu=2.0, J=1e-6, dissipation="collective", initial="ground"), r"\|J\|/gamma"),
    (dict(N=3, mu=2.0, J=1e4, dissipation="collective", initial="ground"), r"\|J\|/gamma"),
])
def test_out_of_range_raises_value_error_naming_parameter_and_range(kw, match):
    with pytest.raises(ValueError, match=match):
        star.steady_state(**kw)


def test_ranges_enforced_by_the_other_entry_points():
    for kw in (dict(T=np.array([1.0, 1e300])), dict(gamma=np.array([1.0, 1e300])), dict(gamma=0.0),
               dict(omega0=1e300), dict(J=np.array([1e7])), dict(mu=-1e300)):
        with pytest.raises(ValueError, match=next(iter(kw)) + " must lie in"):
            star.sweep(3, **kw)
    with pytest.raises(ValueError, match="omega0 must lie in"):
        star.liouvillian(N=2, omega0=1e300)
    with pytest.raises(ValueError, match="omega0 must lie in"):
        star.hamiltonian(N=2, omega0=1e300)
    with pytest.raises(ValueError, match="omega0 must lie in"):
        star.max_ergotropy(0.0)
    with pytest.raises(ValueError, match="gamma must lie in"):
        star.two_qubit_population(0.2, 0.9, J=1.0, gamma=1e300)
    with pytest.raises(ValueError, match="n2 must lie in"):
        star.two_qubit_population(0.2, 1.5)
    with pytest.raises(ValueError, match="J must lie in"):
        star.two_qubit_threshold(J=1e200)
    with pytest.raises(ValueError, match="T must lie in"):
        star.charging_threshold(N=3, T=1e300)
    with pytest.raises(ValueError, match=r"\|J\|/gamma"):
        star.collective_blocks(4, J=1e-5)


def test_range_edges_give_finite_exact_results():
    """The ends of the documented ranges stay solvable: the GMRES sector solver at gamma = 1e6 (its
    trace term is scaled with the rates) and the symmetric solver agree; T = 1e6 gives half filling."""
    for kw in (dict(gamma=1e6, J=1.0), dict(gamma=1e-6, J=1.0), dict(gamma=2.2, J=0.19)):
        ex = star.steady_state(N=7, mu=0.5, delta_mu=3.0, method="sector", **kw)
        sy = star.steady_state(N=7, mu=0.5, delta_mu=3.0, method="symmetric", **kw)
        assert abs(ex.battery_population - sy.battery_population) < 1e-10
    hot = star.steady_state(N=3, mu=0.0, delta_mu=0.0, T=1e6, omega0=1e6)
    assert abs(hot.battery_population - 0.5) < 1e-6 and np.isfinite(hot.ergotropy)
    sw = star.sweep(12, mu=np.array([-1e6, 1e6]), delta_mu=1e6, T=0.0, gamma=1e6, J=1e6)
    assert np.all(np.isfinite(sw.p1)) and np.all((sw.p1 >= 0) & (sw.p1 <= 1))
