"""qbcore.models.ising against QuTiP, closed forms, symmetries and equilibrium limits."""
import itertools

import numpy as np
import pytest
import qutip

from qbcore import master, thermo
from qbcore.baths import bose
from qbcore.models import ising

TRI = {(0, 1): 0.1, (1, 2): 0.1, (0, 2): 0.1}


# --------------------------------------------------------------------------- independent references
def h_pauli(n, omega, lam):
    """H = sum w/2 sz + sum_{i<j} lam/2 sz sz, built from qutip operators (pairs counted once)."""
    ops = [qutip.tensor(*[qutip.sigmaz() if k == i else qutip.qeye(2) for k in range(n)]) for i in range(n)]
    w = np.broadcast_to(omega, (n,))
    H = sum(0.5 * w[i] * ops[i] for i in range(n))
    for (i, j), l in lam.items():
        H = H + 0.5 * l * ops[i] * ops[j]
    return H


def sx(n, i):
    return qutip.tensor(*[qutip.sigmax() if k == i else qutip.qeye(2) for k in range(n)])


def ohmic_spectrum(kappa, T):
    """QuTiP power spectrum: kappa w (1 + n) for w > 0, kappa |w| n(|w|) for w < 0, kappa T at 0."""
    def S(w):
        if w > 1e-12:
            return kappa * w * (1.0 + bose(w, T))
        if w < -1e-12:
            return kappa * (-w) * bose(-w, T)
        return kappa * T
    return S


def qutip_eigen_jumps(H, n, Ts, kappa):
    """Eigen-operator jumps built here from the (diagonal) H and qutip's sigma_x: an independent route."""
    E = np.real(np.diag(H.full()))
    c_ops = []
    for i, T in enumerate(Ts):
        X = sx(n, i).full()
        groups = {}
        for m, k in itertools.product(range(2 ** n), repeat=2):
            if abs(X[k, m]) > 0.5:
                w = round(E[m] - E[k], 9)          # m -> k lowers the energy by w
                groups.setdefault(w, np.zeros((2 ** n, 2 ** n), complex))[k, m] = X[k, m]
        for w, A in groups.items():
            if w > 0:
                rate = kappa * w * (1 + bose(w, T))
            elif w < 0:
                rate = kappa * (-w) * bose(-w, T)
            else:
                rate = kappa * T                # Hermitian X(0): the w -> 0+ limit, each direction
            if rate > 0:
                c_ops.append(np.sqrt(rate) * qutip.Qobj(A, dims=H.dims))
    return c_ops


def as_dict(lam, n):
    return {p: lam for p in itertools.combinations(range(n), 2)} if np.isscalar(lam) else lam


CASES = [
    ((1.0, 0.5, 0.0), 1.0, 0.1),
    ((0.3, 1.0, 0.2), 1.0, {(0, 1): 0.25, (1, 2): 0.4}),            # chain, unequal bonds
    ((2.0, 0.0, 0.7), (1.0, 1.3, 0.8), {(0, 1): 0.2, (0, 2): -0.3, (1, 2): 0.1}),
    ((1.0, 0.75, 0.0), 1.0, 0.7),                                   # beyond the crossing
    ((1.0, 0.5, 0.3), 1.0, 0.5),                                    # at the crossing: zero-frequency flips
    ((1.0, 0.25), 1.0, 0.1),
    ((0.0, 0.8), 1.0, 0.75),
    ((3.0, 0.4), (1.0, 0.6), 1.4),
]


@pytest.mark.parametrize("Ts, omega, lam", CASES)
def test_steady_state_vs_qutip_steadystate(Ts, omega, lam):
    n = len(Ts)
    H = h_pauli(n, omega, as_dict(lam, n))
    ref = qutip.steadystate(H, qutip_eigen_jumps(H, n, Ts, kappa=0.7)).full()
    ss = ising.steady_state(Ts, omega, lam, kappa=0.7)
    sw = ising.sweep(Ts, omega, lam, kappa=0.7)
    assert np.allclose(ss.H, H.full(), atol=1e-14)
    tol = 1e-10
    assert np.abs(ss.rho - ref).max() < 10 * tol
    assert np.abs(np.diag(sw.populations) - ref).max() < 10 * tol    # sweep state is diag(p)
    assert ss.kernel_dim == 1 and bool(sw.populations_unique)
    assert abs(ss.ergotropy - thermo.ergotropy(ref, H.full())) < 10 * tol
    assert abs(float(sw.ergotropy) - ss.ergotropy) < tol
    assert abs(float(sw.energy) - ss.energy) < tol


@pytest.mark.parametrize("Ts, omega, lam", CASES[:6])
def test_populations_equal_nonsecular_bloch_redfield(Ts, omega, lam):
    n = len(Ts)
    H = h_pauli(n, omega, as_dict(lam, n))
    a_ops = [(sx(n, i), ohmic_spectrum(1.0, T)) for i, T in enumerate(Ts)]
    R = qutip.bloch_redfield_tensor(H, a_ops, sec_cutoff=-1, fock_basis=True)
    rho = qutip.steadystate(R).full()
    sw = ising.sweep(Ts, omega, lam)
    assert np.abs(np.real(np.diag(rho)) - sw.populations).max() < 1e-9
    # the Redfield steady state has no coherences either (they close on themselves and decay)
    assert np.abs(rho - np.diag(np.diag(rho))).max() < 1e-9


def test_rates_equal_core_eigen_operator_rates_and_frequency_grouping():
    Ts, lam = (1.0, 0.5, 0.2), 0.1
    H = ising.hamiltonian(1.0, lam, 3)
    jumps = master.global_jumps(H, ising.bath_couplings(Ts))
    W = np.zeros((8, 8))
    for j in jumps:
        W += j.rate * np.abs(j.op) ** 2
    np.fill_diagonal(W, 0.0)
    assert np.abs(W - ising.rate_matrix(Ts, 1.0, lam)).max() < 1e-12
    # identical cells in a triangle: each bath sees exactly three Bohr frequencies w + 2 lam s
    for name in "LMR":
        ws = sorted({round(j.omega, 9) for j in jumps if j.name == name and j.omega > 0})
        assert ws == [0.8, 1.0, 1.2]
    # the degenerate frequency w = 1 groups two transitions into one operator
    A = [j.op for j in jumps if j.name == "L" and abs(j.omega - 1.0) < 1e-9][0]
    assert np.count_nonzero(np.abs(A) > 0.5) == 2


@pytest.mark.parametrize("Ts", [(0.7, 0.7, 0.7), (2.0, 2.0), (0.0, 0.0, 0.0), (0.3, 0.3)])
@pytest.mark.parametrize("lam", [0.1, 0.35, -0.4])
def test_equal_temperatures_give_gibbs_and_zero_ergotropy(Ts, lam):
    n = len(Ts)
    ss = ising.steady_state(Ts, 1.0, lam)
    gibbs = thermo.gibbs_state(ss.H, Ts[0])
    assert np.abs(ss.rho - gibbs).max() < 1e-10
    assert ss.ergotropy == pytest.approx(0.0, abs=1e-12)
    sw = ising.sweep(Ts, 1.0, lam)
    assert np.abs(sw.populations - np.real(np.diag(gibbs))).max() < 1e-12
    assert float(sw.ergotropy) == pytest.approx(0.0, abs=1e-12)
    assert n in (2, 3)


def test_triangle_is_permutation_symmetric_chain_is_not():
    T = (1.0, 0.5, 0.0)
    ref = ising.sweep(T, 1.0, 0.3)
    cfg = ising.configurations(3)
    for perm in itertools.permutations(range(3)):
        Tp = tuple(T[perm.index(i)] for i in range(3))      # cell perm[k] gets the bath of cell k
        sw = ising.sweep(Tp, 1.0, 0.3)
        assert float(sw.ergotropy) == pytest.approx(float(ref.ergotropy), abs=1e-13)
        # populations permute with the cells
        idx = [int(np.flatnonzero((cfg[:, list(perm)] == cfg[b]).all(1))[0]) for b in range(8)]
        assert np.abs(sw.populations[idx] - ref.populations).max() < 1e-13
    chain = {(0, 1): 0.3, (1, 2): 0.3}
    a = ising.sweep((1.0, 0.5, 0.0), 1.0, chain).ergotropy
    b = ising.sweep((0.5, 1.0, 0.0), 1.0, chain).ergotropy
    assert abs(float(a) - float(b)) > 1e-3
    # mirror symmetry L <-> R survives in the chain (Fig. 4a == Fig. 4b)
    TL = np.linspace(0, 1, 11)
    fa = ising.sweep((TL, 0.75, 0.0), 1.0, chain).ergotropy
    fb = ising.sweep((0.0, 0.75, TL), 1.0, chain).ergotropy
    assert np.abs(fa - fb).max() < 1e-13


# --------------------------------------------------------------------------- two cells
@pytest.mark.parametrize("lam", [0.0, 0.1, 0.5, 0.9, -0.3])
@pytest.mark.parametrize("TR", [0.0, 0.25, 1.0, 7.0])
def test_two_cell_one_bath_at_zero_temperature_is_passive(lam, TR):
    """T_L = 0, |lam| < w: L frozen in its ground state, R thermal at w - lam: passive (W = 0)."""
    ss = ising.steady_state((0.0, TR), 1.0, lam)
    p = ss.extra["product_populations"]            # order ↑↑, ↑↓, ↓↑, ↓↓
    w = 1.0 - lam
    boltz = np.exp(-w / TR) if TR > 0 else 0.0
    assert p[0] == pytest.approx(0.0, abs=1e-12) and p[1] == pytest.approx(0.0, abs=1e-12)
    assert p[2] == pytest.approx(boltz / (1 + boltz), abs=1e-12)
    assert ss.ergotropy == pytest.approx(0.0, abs=1e-12)


def test_two_cell_closed_form_matches_sweep():
    rng = np.random.default_rng(7)
    TL, TR = rng.uniform(0, 5, 200), rng.uniform(0, 5, 200)
    lam = rng.uniform(-0.95, 0.95, 200)
    TL[:5] = 0.0
    TR[5:10] = 0.0
    ref = ising.two_cell_closed_form(TL, TR, 1.0, lam)
    assert np.abs(ising.sweep((TL, TR), 1.0, lam).populations - ref).max() < 1e-12


def test_two_cell_passive_up_to_half_omega_active_beyond():
    T = np.concatenate([[0.0], np.geomspace(1e-2, 1e5, 240)])
    grid = (T[:, None], T[None, :])
    for lam in (0.1, 0.3, 0.5):
        assert ising.sweep(grid, 1.0, lam).ergotropy.max() < 1e-13
    for lam in (0.6, 0.9):
        sw = ising.sweep(grid, 1.0, lam)
        assert sw.ergotropy.max() > 1e-4
        # active only where a hot bath is much hotter than the other (never on the diagonal)
        assert np.abs(np.diag(sw.ergotropy)).max() < 1e-13
        assert sw.ergotropy[0, :].max() < 1e-13 and sw.ergotropy[:, 0].max() < 1e-13
    # the paper's Fig. 2 point (T_L, T_R) = (0, 0.25) is passive for every lam in [-w, 3w]
    lam = np.linspace(-1, 3, 401)
    assert ising.sweep((0.0, 0.25), 1.0, lam).ergotropy.max() < 1e-12
    # ... but not for strong ferromagnetic coupling lam < -w (tiny ergotropy there)
    assert 1e-6 < ising.sweep((0.0, 0.25), 1.0, -1.08).ergotropy < 1e-4


# --------------------------------------------------------------------------- three cells, paper claims
def test_zero_coupling_ergotropy_is_product_formula():
    """lam = 0, T_R = 0: cells independent; W = w p_L p_M (doubly excited level above an empty one)."""
    TL, TM = np.linspace(0.05, 3, 30), 0.6
    sw = ising.sweep((TL, TM, 0.0), 1.0, 0.0)
    pL, pM = 1 / (np.exp(1 / TL) + 1), 1 / (np.exp(1 / TM) + 1)
    assert np.abs(sw.ergotropy - pL * pM).max() < 1e-13


def test_uncoupled_closed_form_and_activity_criterion():
    rng = np.random.default_rng(3)
    Ts = [rng.uniform(0, 3, 300) for _ in range(3)]
    Ts[0][:20] = 0.0
    W = ising.sweep(tuple(Ts), 1.0, 0.0).ergotropy
    assert np.abs(W - ising.uncoupled_ergotropy(tuple(Ts))).max() < 1e-13
    T = np.sort(np.stack(Ts), 0)
    with np.errstate(divide="ignore"):
        active = 1 / T[0] > 1 / T[1] + 1 / T[2]
    Wc = ising.uncoupled_ergotropy(tuple(Ts))
    assert np.array_equal(Wc > 0, active)
    assert np.all(W[active & (Wc > 1e-6)] > 1e-7) and np.all(W[~active] < 1e-14)
    assert np.all(ising.sweep((Ts[0], Ts[1]), 1.0, 0.0).ergotropy < 1e-14)


def test_triangle_cold_cell_frozen_below_crossing_and_drop_above():
    lam = np.array([0.3, 0.45, 0.499, 0.5, 0.501, 0.55, 0.6])
    sw = ising.sweep((1.0, 0.5, 0.0), 1.0, lam)
    R_up = ising.configurations(3)[:, 2] > 0
    pRup = sw.populations[:, R_up].sum(-1)
    assert np.all(pRup[:4] < 1e-12) and np.all(pRup[4:] > 1e-5)
    W = sw.ergotropy
    assert np.all(np.diff(W[:4]) > 0)                         # rises up to lam = w/2
    assert W[5] < 0.3 * W[3]                                  # sudden drop just past the crossing
    assert abs(W[2] - W[3]) < 1e-3 and abs(W[4] - W[3]) < 2e-3   # continuous through it (T_M > 0)
    assert ising.zero_crossings(1.0, {(0, 1): 1, (1, 2): 1, (0, 2): 1}, 3) == [0.5]
    assert ising.zero_crossings(1.0, TRI, 3) == [5.0]          # pattern is relative: lam_ij = c_ij lam
    assert ising.zero_crossings(1.0, {(0, 1): 1, (1, 2): 1}, 3) == [0.5, 1.0]


def test_fig4_monotone_in_middle_temperature():
    TL = np.linspace(0.1, 1.0, 10)
    W = [ising.sweep((TL, TM, 0.0), 1.0, 0.1).ergotropy for TM in (0.5, 0.75, 1.0)]
    assert np.all(W[1] > W[0]) and np.all(W[2] > W[1])


# --------------------------------------------------------------------------- uniqueness, degeneracies
def test_kernel_dimension_over_grid():
    """Full Liouvillian kernel is 1-D iff the rate equation is, except at exact crossings."""
    for topo, lam, Ts in itertools.product(("triangle", "chain"), (0.0, 0.1, 0.5, 0.7, 1.0),
                                           itertools.product((0.0, 0.4, 1.0), repeat=3)):
        cp = {k: float(v) for k, v in ising.topology_couplings(topo, lam).items()}
        H = ising.hamiltonian(1.0, cp, 3)
        R, _ = master.kernel(master.global_lindblad(H, ising.bath_couplings(Ts)))
        sw = ising.sweep(Ts, 1.0, cp)
        if not sw.at_crossing:
            assert (R.shape[1] == 1) == bool(sw.populations_unique), (topo, lam, Ts)
        if R.shape[1] == 1:
            assert sw.populations_unique
        if any(T > 0 for T in Ts) and not sw.at_crossing:
            assert R.shape[1] == 1, (topo, lam, Ts)


def test_nonunique_when_all_baths_cold_and_ground_level_degenerate():
    # the message's advice (initial=rho0) is what the next lines do
    with pytest.raises(master.NonUniqueSteadyStateError, match=r"kernel dimension 9\);.*Pass initial=rho0"):
        ising.steady_state((0.0, 0.0, 0.0), 1.0, 0.7)
    sw = ising.sweep((0.0, 0.0, 0.0), 1.0, 0.7)
    assert not sw.populations_unique
    ss = ising.steady_state((0.0, 0.0, 0.0), 1.0, 0.7, initial=np.eye(8) / 8)
    assert np.abs(np.diag(ss.rho) - sw.populations).max() < 1e-10
    assert abs(ss.ergotropy - float(sw.ergotropy)) < 1e-10
    # the three degenerate single-excitation ground states share the weight
    g = np.argsort(sw.level_energies)[:3]
    assert sw.populations[g].sum() == pytest.approx(1.0, abs=1e-12)
    # below the crossing all-cold is unique: the all-down ground state
    assert ising.steady_state((0.0, 0.0, 0.0), 1.0, 0.3).populations[0] == pytest.approx(1.0)


def test_exact_crossing_has_a_conserved_coherence_but_unique_populations():
    Ts = (1.0, 0.0, 0.0)
    with pytest.raises(master.NonUniqueSteadyStateError):
        ising.steady_state(Ts, 1.0, 0.5)
    sw = ising.sweep(Ts, 1.0, 0.5)
    assert sw.at_crossing and sw.populations_unique
    ss = ising.steady_state(Ts, 1.0, 0.5, initial=np.eye(8) / 8)
    assert np.abs(ss.rho - np.diag(sw.populations)).max() < 1e-10
    # continuity in lam across the crossing (zero-frequency limit gamma(0) = kappa T)
    side = ising.sweep(Ts, 1.0, np.array([0.5 - 1e-7, 0.5 + 1e-7]))
    assert np.abs(side.populations - sw.populations).max() < 1e-5


def test_sweep_equals_single_point_on_grid():
    TL, lam = np.array([0.0, 0.4, 1.3]), np.array([0.05, 0.3, 0.8])
    sw = ising.sweep((TL[:, None], 0.75, 0.0), 1.0, lam[None, :])
    for (i, t), (j, l) in itertools.product(enumerate(TL), enumerate(lam)):
        ss = ising.steady_state((t, 0.75, 0.0), 1.0, l)
        assert abs(ss.ergotropy - sw.ergotropy[i, j]) < 1e-10
        assert abs(ss.energy - sw.energy[i, j]) < 1e-10
        assert np.abs(np.diag(ss.rho) - sw.populations[i, j]).max() < 1e-10
        assert 0 <= ss.ergotropy <= ss.stored_energy + 1e-12


def test_transitions_flux_is_conserved():
    tr = ising.transitions((1.0, 0.5, 0.0), 1.0, 0.1)
    net = np.zeros(8)
    for t in tr:
        net[t["upper"]] -= t["flux"]
        net[t["lower"]] += t["flux"]
    assert np.abs(net).max() < 1e-12
    assert len(tr) == 12 and max(abs(t["flux"]) for t in tr) > 1e-3


# --------------------------------------------------------------------------- common SteadyState interface
@pytest.mark.parametrize("Ts, lam", [((1.0, 0.5, 0.0), 0.1), ((100.0, 0.8), 0.75)])
def test_steady_state_has_the_common_fields_and_thermo_ergotropy(Ts, lam):
    """Charging points (three cells: Fig. 3; two cells beyond lam = omega/2): rho, H, energy, ergotropy,
    populations, kernel_dim, min_eigenvalue, is_positive, with ergotropy == thermo.ergotropy(rho, H)."""
    ss = ising.steady_state(Ts, 1.0, lam)
    d = 2 ** len(Ts)
    assert ss.rho.shape == ss.H.shape == (d, d)
    np.testing.assert_allclose(ss.H, ising.hamiltonian(1.0, lam, len(Ts)))
    assert ss.kernel_dim == 1 and ss.is_positive and ss.min_eigenvalue >= -1e-12
    assert ss.populations.shape == (d,) and abs(ss.populations.sum() - 1) < 1e-12
    assert ss.energy == pytest.approx(thermo.energy(ss.rho, ss.H), abs=1e-12)
    assert ss.ergotropy > 1e-5
    assert ss.ergotropy == pytest.approx(thermo.ergotropy(ss.rho, ss.H), abs=1e-12)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call", [
    lambda: ising.steady_state((-0.1, 1.0, 0.0)),
    lambda: ising.steady_state((1.0, float("nan"), 0.0)),
    lambda: ising.steady_state((1.0,)),
    lambda: ising.steady_state((1.0, 1.0, 1.0, 1.0)),
    lambda: ising.steady_state((1.0, 0.5, 0.0), omega=(1.0, 1.0)),
    lambda: ising.steady_state((1.0, 0.5, 0.0), omega=-1.0),
    lambda: ising.steady_state((1.0, 0.5, 0.0), omega=float("nan")),
    lambda: ising.steady_state((1.0, 0.5, 0.0), couplings=float("nan")),
    lambda: ising.steady_state((1.0, 0.5, 0.0), couplings={(0, 3): 0.1}),
    lambda: ising.steady_state((1.0, 0.5, 0.0), couplings={("L", "X"): 0.1}),
    lambda: ising.steady_state((1.0, 0.5, 0.0), couplings={(1, 1): 0.1}),
    lambda: ising.steady_state((1.0, 0.5, 0.0), couplings={(0, 1): 0.1, (1, 0): 0.2}),
    lambda: ising.steady_state((1.0, 0.5), couplings={("L", "M"): 0.1}),
    lambda: ising.steady_state((1.0, 0.5, 0.0), kappa=0.0),
    lambda: ising.steady_state(([1.0, 2.0], 0.5, 0.0)),
    lambda: ising.steady_state(1.0),
    lambda: ising.sweep((np.array([0.1, -1.0]), 0.5, 0.0)),
    lambda: ising.sweep((np.array([0.1, 0.2]), 0.5, np.array([0.0, 0.1, 0.2]))),
    lambda: ising.sweep((1.0, 0.5, 0.0), couplings=np.array([0.1, np.inf])),
    lambda: ising.two_cell_closed_form(1.0, 0.5, 1.0, 1.2),
    lambda: ising.topology_couplings("ring", 0.1),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()
