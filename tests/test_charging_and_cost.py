"""Issue 19 for every model: relaxation rates (QuTiP spectra), charging curves (qutip.mesolve on the
same generator), late-time decay against the rate, and the currents' laws (first law, particle
conservation, sigma >= 0, sigma = 0 when the baths agree)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import qutip as qt

from qbcore import master, negf, thermo
from qbcore.models import coupled_qubits as cq
from qbcore.models import ising, spin_chain as sc, star

MESOLVE = {"atol": 1e-13, "rtol": 1e-11}


def _super(L: np.ndarray) -> qt.Qobj:
    d = int(round(math.sqrt(L.shape[0])))
    return qt.Qobj(L, dims=[[[d], [d]], [[d], [d]]], superrep="super")


def _subset(sub: np.ndarray, full: np.ndarray, tol: float = 1e-9) -> bool:
    scale = max(1.0, float(np.max(np.abs(full))))
    return all(np.min(np.abs(full - lam)) <= tol * scale for lam in sub)


def _mesolve_states(L: np.ndarray, rho0: np.ndarray, times) -> list[np.ndarray]:
    res = qt.mesolve(_super(L), qt.Qobj(rho0), list(times), options=MESOLVE)
    return [0.5 * (s.full() + s.full().conj().T) for s in res.states]


def _erg(rho: np.ndarray, H: np.ndarray) -> float:
    """Ergotropy without the density-matrix check (Redfield transients can leave the state space)."""
    E, U = np.linalg.eigh(H)
    return float(thermo.batch_ergotropy(U.conj().T @ rho @ U, E)[1])


def _laws(bc: master.BathCurrents, scale: float = 1.0) -> None:
    big = max(max(abs(v) for v in bc.energy.values()), 1e-300)
    assert abs(bc.first_law_residual) <= 1e-12 * max(big, scale)
    assert abs(bc.particle_residual) <= 1e-12 * max(big, scale)


# --------------------------------------------------------------------------- coupled qubits
CQ_POINTS = [dict(statistics="boson", T1=1.0, T2=6.0), dict(statistics="boson", T1=0.5, T2=3.0, lam=6.0),
             dict(statistics="fermion", T1=1.0, T2=1.0, mu1=8.0, mu2=14.0),
             dict(statistics="fermion", T1=1.5, T2=0.7, mu1=11.0, mu2=6.0, omega1=9.0, omega2=12.0, lam=4.0)]


@pytest.mark.parametrize("secular", [False, True])
@pytest.mark.parametrize("kw", CQ_POINTS)
def test_coupled_qubits_rate_curve_and_currents(kw, secular):
    ss = cq.steady_state(secular=secular, **kw)
    L = cq.generator(secular, **kw)
    full = np.asarray(_super(L).eigenenergies())
    L6, _ = cq._sector_generator(ss.extra["params"], secular)
    assert _subset(np.linalg.eigvals(L6), full)                     # the sector's spectrum is part of L's
    gap_full = -np.sort(full.real)[-2]
    assert ss.relaxation_rate >= gap_full - 1e-9                     # the sector excludes slower coherences
    # charging from |gg> (product-basis index 3): the model's curve equals mesolve on the full generator
    times = [0.0, 0.4, 1.5, 5.0]
    rho0 = np.zeros((4, 4))
    rho0[3, 3] = 1.0
    W_ref = [_erg(r, ss.H) for r in _mesolve_states(L, rho0, times)]
    np.testing.assert_allclose(cq.charging_curve(times, secular=secular, **kw), W_ref, atol=1e-8)
    assert cq.charging_curve([40.0], secular=secular, **kw)[0] == pytest.approx(ss.ergotropy, abs=1e-10)
    # currents: first law, particle conservation, second law; agree with the generic machinery
    _laws(ss.currents)
    assert ss.entropy_production >= -1e-12
    assert set(ss.energy_currents) == {"reservoir 1", "reservoir 2"}


def test_coupled_qubits_late_time_decay_is_the_relaxation_rate():
    kw = dict(statistics="fermion", T1=1.0, T2=1.0, mu1=8.0, mu2=14.0)
    ss = cq.steady_state(**kw)
    t = np.linspace(0.0, 14.0, 141)
    W = cq.charging_curve(t, **kw)
    g_fit = master.decay_rate(t, W, ss.ergotropy, where=(t > 4) & (t < 12), segments=5)   # modes -2 +- 2i
    assert g_fit == pytest.approx(ss.relaxation_rate, rel=2e-2)


@pytest.mark.parametrize("kw", [dict(statistics="boson", T1=2.0, T2=2.0),
                                dict(statistics="fermion", T1=1.5, T2=1.5, mu1=12.0, mu2=12.0)])
def test_coupled_qubits_no_current_and_no_entropy_production_when_the_reservoirs_agree(kw):
    for secular in (False, True):
        ss = cq.steady_state(secular=secular, **kw)
        assert max(abs(v) for v in ss.energy_currents.values()) < 1e-12
        assert abs(ss.entropy_production) < 1e-12


# --------------------------------------------------------------------------- Ising
ISING_POINTS = [((1.0, 0.5, 0.0), 0.1), ((1.0, 0.5, 0.1), 0.1), ((2.0, 0.3), 0.7), ((0.4, 1.5, 0.9), 0.45)]


@pytest.mark.parametrize("Ts, lam", ISING_POINTS)
def test_ising_pauli_rate_curve_and_currents(Ts, lam):
    n = len(Ts)
    ss = ising.steady_state(Ts, 1.0, lam, kappa=0.7)
    M = ising.rate_generator(Ts, 1.0, lam, kappa=0.7)
    np.testing.assert_allclose(M, master.pauli_generator(ising.rate_matrix(Ts, 1.0, lam, kappa=0.7)), atol=0)
    L = master.global_lindblad(ss.H, ising.bath_couplings(Ts, 0.7), secular_check=False)
    assert _subset(np.linalg.eigvals(M), np.asarray(_super(L).eigenenergies()))
    assert ss.relaxation_rate == pytest.approx(master.relaxation_rate(M, rtol=1e-10), rel=1e-12)
    E = np.real(np.diag(ss.H))
    rho0 = np.diag((E == E.min()).astype(float) / (E == E.min()).sum())
    times = [0.0, 0.3, 2.0, 7.0]
    W_ref = [thermo.ergotropy(r, ss.H) for r in _mesolve_states(L, rho0, times)]
    np.testing.assert_allclose(ising.charging_curve(times, Ts, 1.0, lam, kappa=0.7), W_ref, atol=1e-9)
    # currents: the Pauli formula equals Tr[H D_k rho] of the full generator
    D = master.bath_dissipators(ss.H, ising.bath_couplings(Ts, 0.7))
    Nup = np.diag((ising.configurations(n) > 0).sum(axis=1).astype(float))
    ref = master.bath_currents(ss.rho, ss.H, D, dict(zip(ising.CELL_NAMES[n], Ts)), number=Nup)
    for k in ref.energy:
        assert ss.energy_currents[k] == pytest.approx(ref.energy[k], abs=1e-14)
        assert abs(ss.particle_currents[k]) < 1e-13               # each bath flips only its own cell
    _laws(ss.currents)
    assert ss.entropy_production >= -1e-14


def test_ising_zero_temperature_bath_finite_below_the_crossing_infinite_beyond():
    """T_R = 0: the cold cell is a spectator (no heat, sigma finite) until omega - 2 lambda < 0 lets the
    T = 0 bath fill the hole: then it receives heat and sigma = inf (never NaN)."""
    below = ising.steady_state((1.0, 0.5, 0.0), 1.0, 0.3)
    assert abs(below.energy_currents["R"]) < 1e-14 and math.isfinite(below.entropy_production)
    beyond = ising.steady_state((1.0, 0.5, 0.0), 1.0, 0.7)
    assert beyond.energy_currents["R"] < -1e-3 and beyond.entropy_production == math.inf
    eq = ising.steady_state((0.8, 0.8, 0.8), 1.0, 0.3)
    assert abs(eq.entropy_production) < 1e-14 and max(abs(v) for v in eq.energy_currents.values()) < 1e-14


def test_ising_late_time_decay_is_the_slowest_mode_the_ground_state_excites():
    """From the ground state the slowest Pauli mode can carry almost no weight; the late-time rate is then
    that of the slowest *excited* mode, never below g."""
    Ts, lam = (1.0, 0.5, 0.1), 0.1
    M = ising.rate_generator(Ts, 1.0, lam)
    E = ising.level_energies(1.0, lam, 3)
    p0 = (E == E.min()).astype(float)
    lam_k, amp = master.relaxation_modes(M, p0, E)
    excited = -lam_k.real[np.abs(amp) > 1e-3 * np.abs(amp).max()]
    ss = ising.steady_state(Ts, 1.0, lam)
    t = np.linspace(0, 14, 141)
    P = master.propagate(M, p0, t).real
    g_fit = master.decay_rate(t, P @ E, ss.energy, where=(t > 8) & (t < 14))
    assert excited.min() >= ss.relaxation_rate - 1e-12
    assert g_fit == pytest.approx(excited.min(), rel=2e-2)


# --------------------------------------------------------------------------- spin chain
SC_POINTS = [dict(n_spins=2, T_L=3.0, T_R=1.0), dict(n_spins=2, J=-1.0, Delta=-0.5, T_L=4.0, T_R=0.5, eps=0),
             dict(n_spins=3, B0=5.0, T_L=3.0, T_R=1.0), dict(n_spins=2, T_L=2.0, T_R=0.7, collective=False)]


@pytest.mark.parametrize("kw", SC_POINTS)
def test_spin_chain_rate_curve_and_currents(kw):
    ss = sc.steady_state(**kw, kappa=0.05)
    p = ss.extra["params"]
    L = sc._generator(p)
    G, idx, E, U = master.secular_sector(L, ss.H)
    assert _subset(np.linalg.eigvals(G), np.asarray(_super(L).eigenenergies()))
    assert ss.relaxation_rate == pytest.approx(master.relaxation_rate(G), rel=1e-12)
    rho0 = np.outer(U[:, 0], U[:, 0])
    times = [0.0, 5.0, 40.0, 200.0]
    W_ref = [thermo.ergotropy(r, ss.H) for r in _mesolve_states(L, rho0, times)]
    np.testing.assert_allclose(sc.charging_curve(times, **kw, kappa=0.05), W_ref, atol=1e-9)
    _laws(ss.currents)
    assert ss.entropy_production >= -1e-14
    assert set(ss.energy_currents) == {"L", "R"}


def test_spin_chain_equal_baths_and_late_time_decay():
    eq = sc.steady_state(2, T_L=1.5, T_R=1.5)
    assert abs(eq.entropy_production) < 1e-14 and max(abs(v) for v in eq.energy_currents.values()) < 1e-14
    ss = sc.steady_state(2, T_L=3.0, T_R=1.0)
    t = np.linspace(0, 2000, 201)
    W = sc.charging_curve(t, 2, T_L=3.0, T_R=1.0)
    g_fit = master.decay_rate(t, W, ss.ergotropy, where=(t > 600) & (t < 1600))
    assert g_fit == pytest.approx(ss.relaxation_rate, rel=1e-3)


# --------------------------------------------------------------------------- star
STAR_POINTS = [dict(N=3, mu=1.0, delta_mu=4.0), dict(N=3, mu=0.3, delta_mu=2.5, T=0.8, topology="chain"),
               dict(N=2, mu=-1.0, delta_mu=6.0, J=2.0, gamma=0.5), dict(N=4, mu=1.0, delta_mu=3.0)]


@pytest.mark.parametrize("kw", STAR_POINTS)
def test_star_rate_curve_and_currents(kw):
    ss = star.steady_state(**kw, method="dense")
    p = ss.params
    L = star.liouvillian(**kw)
    G, _, _ = star._generator(p)
    full = np.linalg.eigvals(L)
    assert _subset(np.linalg.eigvals(G.toarray()), full)
    assert ss.relaxation_rate >= -np.sort(full.real)[-2] - 1e-9
    d = 2 ** p.N
    rho0 = np.zeros((d, d))
    rho0[-1, -1] = 1.0
    times = [0.0, 0.5, 2.0, 6.0]
    states = _mesolve_states(L, rho0, times)
    p1 = [np.real(np.einsum("aibi->ab", r.reshape(2, d // 2, 2, d // 2))[0, 0]) for r in states]
    W_ref = [2 * p.omega0 * max(0.0, 2 * x - 1) for x in p1]
    np.testing.assert_allclose(star.charging_curve(times, **kw), W_ref, atol=1e-8)
    # the reservoir currents: closed forms equal Tr[H D_k rho] with the dense dissipators
    D = master.jump_dissipators(star.jumps(p), d)
    ref = {k: master.bath_currents(ss.rho, ss.H, {k: v}, {k: p.T}).energy[k] for k, v in D.items()}
    assert ss.energy_currents["battery"] == pytest.approx(ref["battery"], abs=1e-12)
    assert sum(v for k, v in ss.energy_currents.items() if k != "battery") == pytest.approx(ref["ancillas"], abs=1e-12)
    _laws(ss.currents, scale=p.omega0)
    assert ss.entropy_production >= -1e-12
    assert ss.currents.chemical_potential["battery"] == pytest.approx(p.mu + 2 * p.omega0 - p.omega)
    # the symmetric solver (no full state) gives the same currents for the star
    if p.topology == "star":
        sy = star.steady_state(**kw, method="symmetric")
        for k, v in ss.energy_currents.items():
            assert sy.energy_currents[k] == pytest.approx(v, abs=1e-10)


def test_star_equilibrium_collective_and_late_time_decay():
    eq = star.steady_state(4, mu=2.0, delta_mu=0.0)
    assert abs(eq.entropy_production) < 1e-12 and max(abs(v) for v in eq.particle_currents.values()) < 1e-12
    co = star.steady_state(3, mu=2.0, dissipation="collective", initial="ground")
    assert abs(co.energy_currents["common reservoir"]) < 1e-12 and abs(co.entropy_production) < 1e-12
    assert star.charging_curve([200.0], 3, mu=2.0, dissipation="collective")[0] == pytest.approx(
        co.battery_ergotropy, abs=1e-8)
    ss = star.steady_state(3, mu=1.0, delta_mu=4.0)
    t = np.linspace(0, 20, 201)
    W = star.charging_curve(t, 3, mu=1.0, delta_mu=4.0)
    g_fit = master.decay_rate(t, W, ss.battery_ergotropy, where=(t > 6) & (t < 18), segments=5)
    assert g_fit == pytest.approx(ss.relaxation_rate, rel=5e-3)
    big = star.steady_state(30, mu=1.0, delta_mu=4.0)
    assert big.method == "symmetric" and 0 < big.relaxation_rate <= 1.0 + 1e-12
    with pytest.raises(ValueError, match="N <= 56"):
        star.steady_state(80, mu=1.0, delta_mu=4.0).relaxation_rate


# --------------------------------------------------------------------------- the dot
def test_dot_landauer_currents_and_entropy_production():
    dot = negf.Dot(eps_qb=0.4)
    ness = negf.steady_state(dot, 0.1 + np.linspace(0.0, 1.0, 11), 0.1, 0.1, 0.1)
    JE, JN = ness.energy_currents, ness.particle_currents
    np.testing.assert_allclose(JE["L"] + JE["R"], 0.0, atol=0)
    sig = [thermo.entropy_production({"L": JE["L"][i], "R": JE["R"][i]}, {"L": JN["L"][i], "R": JN["R"][i]},
                                     {"L": 0.1, "R": 0.1}, {"L": float(ness.mu_L[i]), "R": 0.1})
           for i in range(11)]
    np.testing.assert_allclose(sig, ness.entropy_production, rtol=1e-12, atol=1e-15)
    assert sig[0] == 0.0 and min(sig[1:]) > 0
    one = negf.steady_state(dot, 1.0, 0.1, 0.2, 0.1)
    assert one.currents.entropy_production() == pytest.approx(one.entropy_production, rel=1e-12)
    np.testing.assert_allclose(ness.relaxation_rate, negf.golden_rule_width(dot), rtol=0)


def test_dot_quench_decays_at_the_resonance_pole_and_golden_rule_is_order_v2():
    dot = negf.Dot(eps_qb=0.4)
    z = negf.resonance(dot)
    gamma = negf.golden_rule_width(dot)
    sig, dsig = negf._dynamics._sigma_second_sheet(dot, z)
    assert abs(z - dot.eps_qb - sig) < 1e-13
    t = np.linspace(0, 200, 401)
    q = negf.quench(dot, 1.0, 0.1, 0.1, 0.1, t, n_sites=300)
    N_inf = negf.steady_state(dot, 1.0, 0.1, 0.1, 0.1).occupation
    rate = master.decay_rate(t, q.occupation, N_inf, where=(t > 40) & (t < 150))
    assert rate == pytest.approx(-2 * z.imag, rel=1e-4)
    assert abs(rate / gamma - 1) < 3 * 2 * 0.12 ** 2                 # golden rule off by O(v^2 / h^2)
    W = negf.charging_curve([0.0, 280.0], dot, 1.0, 0.1, 0.1, 0.1, n_sites=300)
    assert W[0] == 0.0 and W[1] == pytest.approx(negf.steady_state(dot, 1.0, 0.1, 0.1, 0.1).ergotropy, abs=1e-6)
    with pytest.raises(ValueError, match="recurrence"):
        negf.charging_curve([500.0], dot, 1.0, 0.1, 0.1, 0.1, n_sites=100)
    with pytest.raises(ValueError, match="not a resonance"):
        negf.resonance(negf.Dot(eps_qb=2.5))


def test_dot_bound_states_keep_a_memory_of_the_initial_occupation():
    """With bound states the occupation never relaxes: N(t) from a full and an empty dot differ by
    sum_b Z_b^2 on average, oscillating with amplitude 2 Z_1 Z_2 at the bound states' energy difference."""
    dot = negf.Dot(eps_qb=0.4, v=1.2)
    bs = dot.bound_states()
    assert len(bs) == 2
    t = np.linspace(100, 200, 801)
    full = negf.quench(dot, 0.1, 0.1, 0.1, 0.1, t, n_sites=400, dot_occupation=1.0).occupation
    empty = negf.quench(dot, 0.1, 0.1, 0.1, 0.1, t, n_sites=400, dot_occupation=0.0).occupation
    diff = full - empty
    Z1, Z2 = bs[0].weight, bs[1].weight
    assert diff.mean() == pytest.approx(Z1 ** 2 + Z2 ** 2, abs=5e-3)
    assert 0.5 * (diff.max() - diff.min()) == pytest.approx(2 * Z1 * Z2, rel=2e-2)


# --------------------------------------------------------------------------- the common interface
@pytest.mark.parametrize("mod", [cq, ising, sc, star, negf], ids=lambda m: m.__name__)
def test_every_model_has_a_charging_curve_with_the_parameters_of_its_steady_state(mod):
    import inspect

    cc = inspect.signature(mod.charging_curve).parameters
    st = inspect.signature(mod.steady_state).parameters
    assert list(cc)[0] == "times"
    not_dynamics = {"initial", "method", "bound_occupation", "n_nodes", "tol"}   # solver options
    assert set(st) - not_dynamics <= set(cc)
    for name in set(st) & set(cc):
        assert cc[name].default == st[name].default, name


@pytest.mark.parametrize("ss", [cq.steady_state(), cq.closed_form(statistics="fermion", mu1=8.0, mu2=12.0),
                                ising.steady_state(), sc.steady_state(), star.steady_state(),
                                star.steady_state(12, mu=1.0, delta_mu=2.0),
                                negf.steady_state(negf.Dot(0.4), 0.6, 0.1, 0.1, 0.1)],
                         ids=["cq", "cq-closed-form", "ising", "spin_chain", "star", "star-symmetric", "dot"])
def test_every_steady_state_carries_rate_currents_and_entropy_production(ss):
    g = ss.relaxation_rate
    assert np.isfinite(g) and g > 0
    JE, JN = ss.energy_currents, ss.particle_currents
    assert set(JE) == set(JN) and len(JE) >= 1
    assert abs(sum(JE.values())) <= 1e-12 * max(1.0, max(abs(v) for v in JE.values()))
    assert ss.entropy_production >= -1e-12
