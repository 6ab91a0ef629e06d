"""The generic machinery of issue 19 in qbcore.master and qbcore.thermo: relaxation rates from the
generator's spectrum (checked against QuTiP), exact time evolution (checked against qutip.mesolve),
bath-resolved currents and the laws they obey, and the entropy production with zero-temperature baths."""
from __future__ import annotations

import math

import numpy as np
import pytest
import qutip as qt

from qbcore import master, thermo
from qbcore.baths import Bath, flat, ohmic


def _qobj_super(L: np.ndarray) -> qt.Qobj:
    d = int(round(math.sqrt(L.shape[0])))
    return qt.Qobj(L, dims=[[[d], [d]], [[d], [d]]], superrep="super")


def _gap_from_qutip(Lq: qt.Qobj, k: int = 1) -> float:
    ev = np.asarray(Lq.eigenenergies())
    ev = ev[np.argsort(np.abs(ev))][k:]
    return -float(ev.real.max())


def _two_qubits(T1=1.0, T2=2.0, w=(1.0, 1.3), g=0.2):
    s = master.spin_operators(2)
    H = 0.5 * w[0] * s["sz"][0] + 0.5 * w[1] * s["sz"][1] + g * (s["sp"][0] @ s["sm"][1] + s["sm"][0] @ s["sp"][1])
    cps = [master.Coupling(s["sx"][0], Bath("boson", T1, J=ohmic(0.05)), "1"),
           master.Coupling(s["sx"][1], Bath("boson", T2, J=ohmic(0.05)), "2")]
    return H, cps


# --------------------------------------------------------------------------- relaxation rate
def test_relaxation_rate_equals_the_gap_of_qutips_liouvillian():
    """g = -max Re lambda over the non-zero eigenvalues, for a Liouvillian built by QuTiP itself."""
    H = qt.rand_herm(4, seed=3)
    c_ops = [0.3 * qt.destroy(4), 0.1 * qt.create(4), 0.2 * qt.num(4)]
    Lq = qt.liouvillian(H, c_ops)
    g = master.relaxation_rate(Lq.full(), H.full())
    assert g == pytest.approx(_gap_from_qutip(Lq), rel=1e-10)
    # and for qbcore's own global generator, compared with QuTiP's spectrum of the same matrix
    H2, cps = _two_qubits()
    L = master.global_lindblad(H2, cps, secular_check=False)
    assert master.relaxation_rate(L, H2) == pytest.approx(_gap_from_qutip(_qobj_super(L)), rel=1e-10)


def test_relaxation_rate_drops_a_degenerate_kernel_and_flags_undamped_modes():
    # two uncoupled decaying qubits at T = 0 on a degenerate pair: a kernel of dimension 1, rates 1 and 2
    M = master.pauli_generator(np.array([[0, 1.0, 0], [0, 0, 0], [0, 0, 0]]))   # 1 -> 0 only; state 2 isolated
    assert master.relaxation_rate(M) == pytest.approx(1.0)          # kernel = span{p0, p2} (dimension 2)
    # a purely Hamiltonian generator: every non-zero eigenvalue imaginary -> g = 0 (no relaxation)
    h = np.diag([0.0, 1.0])
    L = -1j * (np.kron(np.eye(2), h) - np.kron(h.T, np.eye(2)))
    assert master.relaxation_rate(L) == 0.0
    with pytest.raises(ValueError, match="positive real part"):
        master.relaxation_rate(np.array([[0.0, 0.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="no steady state"):
        master.relaxation_rate(-np.eye(3))
    with pytest.raises(ValueError, match="square"):
        master.relaxation_rate(np.zeros((2, 3)))


def test_pauli_generator_is_the_population_block_of_the_secular_generator():
    """For a non-degenerate spectrum the secular sector is the Pauli generator of the populations."""
    H, cps = _two_qubits()
    L = master.global_lindblad(H, cps, secular_check=False)
    G, idx, E, U = master.secular_sector(L, H)
    assert G.shape == (4, 4)
    M = master.pauli_generator(master.pauli_rates(H, master.global_jumps(H, cps, secular_check=False)))
    np.testing.assert_allclose(G.real, M, atol=1e-12)
    assert master.relaxation_rate(G) == pytest.approx(master.relaxation_rate(M), rel=1e-12)
    # its eigenvalues are eigenvalues of the full generator
    full = np.linalg.eigvals(L)
    for lam in np.linalg.eigvals(G):
        assert np.min(np.abs(full - lam)) < 1e-10


def test_secular_sector_refuses_a_non_secular_generator():
    H, cps = _two_qubits(w=(1.0, 1.05), g=0.02)
    with pytest.raises(ValueError, match="not a secular generator"):
        master.secular_sector(master.redfield(H, cps), H)


# --------------------------------------------------------------------------- time evolution
def test_evolve_and_ergotropy_curve_agree_with_qutip_mesolve():
    H, cps = _two_qubits(T1=0.3, T2=3.0)
    L = master.redfield(H, cps)                                     # non-secular: coherences matter
    rho0 = np.diag([0.0, 0.0, 0.0, 1.0]).astype(complex)            # |gg>, the ground state
    times = np.array([0.0, 3.0, 17.0, 60.0])
    res = qt.mesolve(_qobj_super(L), qt.Qobj(rho0), times, options={"atol": 1e-13, "rtol": 1e-11})
    ours = master.evolve(L, rho0, times)
    for s, r in zip(res.states, ours):
        np.testing.assert_allclose(r, s.full(), atol=1e-9)
    W = master.ergotropy_curve(L, rho0, times, H)
    np.testing.assert_allclose(W, [thermo.ergotropy(0.5 * (s.full() + s.full().conj().T), H) for s in res.states],
                               atol=1e-9)
    # unordered times and a uniform grid give the same states
    np.testing.assert_allclose(master.evolve(L, rho0, times[::-1])[::-1], ours, atol=1e-12)
    grid = np.linspace(0, 60.0, 61)
    np.testing.assert_allclose(master.evolve(L, rho0, grid)[[0, 3, 17, 60]], ours, atol=1e-10)


def test_relaxation_modes_and_decay_rate():
    """f(t) = f_inf + sum_k a_k exp(lambda_k t); the fitted late-time rate is the slowest excited mode."""
    H, cps = _two_qubits()
    L = master.global_lindblad(H, cps, secular_check=False)
    rho0 = np.diag([0.0, 0.0, 0.0, 1.0]).astype(complex)
    f = H.T.flatten(order="F")                                      # Tr(rho H) as a functional of vec(rho)
    lam, amp = master.relaxation_modes(L, rho0.flatten(order="F"), f, H=H)
    ss = master.steady_state(L, H)
    t = np.linspace(0, 200, 201)
    E_t = np.real([np.trace(r @ H) for r in master.evolve(L, rho0, t)])
    np.testing.assert_allclose(ss.energy + np.real(np.exp(np.outer(t, lam)) @ amp), E_t, atol=1e-10)
    # from |gg> the energy sees only population modes; the slowest mode (a coherence) is not excited
    excited = -lam.real[np.abs(amp) > 1e-10 * np.abs(amp).max()]
    g = master.relaxation_rate(L, H)
    assert excited.min() > 1.2 * g
    g_fit = master.decay_rate(t, E_t, ss.energy, where=(t > 120) & (t < 200))
    assert g_fit == pytest.approx(excited.min(), rel=1e-3)
    with pytest.raises(ValueError, match="three points"):
        master.decay_rate([0, 1], [1.0, 0.5], 0.0)


def test_propagate_rejects_bad_input():
    with pytest.raises(ValueError, match=">= 0"):
        master.propagate(-np.eye(2), [1.0, 0.0], [-1.0])
    with pytest.raises(ValueError, match="entries"):
        master.propagate(-np.eye(2), [1.0, 0.0, 0.0], [1.0])


# --------------------------------------------------------------------------- currents and the laws
@pytest.mark.parametrize("equation", ["global", "redfield"])
def test_first_law_holds_to_round_off_for_every_generator_of_lindblad_or_redfield_form(equation):
    H, cps = _two_qubits(T1=0.5, T2=4.0)
    L = master.global_lindblad(H, cps, secular_check=False) if equation == "global" else master.redfield(H, cps)
    D = master.bath_dissipators(H, cps, equation=equation)
    s = master.spin_operators(2)
    np.testing.assert_allclose(sum(D.values()) - 1j * (np.kron(np.eye(4), H) - np.kron(H.T, np.eye(4))), L,
                               atol=1e-13)
    ss = master.steady_state(L, H)
    N = sum(0.5 * (np.eye(4) + z) for z in s["sz"])
    bc = master.bath_currents(ss.rho, H, D, {"1": 0.5, "2": 4.0}, number=N)
    assert abs(bc.first_law_residual) < 1e-13 * max(abs(v) for v in bc.energy.values()) + 1e-15
    assert bc.energy["2"] > 0 > bc.energy["1"]                     # heat flows from hot to cold
    assert bc.entropy_production() > 0


def test_global_equation_obeys_the_second_law_and_vanishes_at_equilibrium():
    """Spohn: sigma >= 0 for the secular equation of independent thermal baths; 0 when they agree."""
    rng = np.random.default_rng(7)
    for _ in range(12):
        T1, T2 = rng.uniform(0.05, 5.0, 2)
        H, cps = _two_qubits(T1, T2, w=tuple(rng.uniform(0.5, 2.0, 2)), g=rng.uniform(0.0, 0.4))
        L = master.global_lindblad(H, cps, secular_check=False)
        ss = master.steady_state(L, H)
        bc = master.bath_currents(ss.rho, H, master.bath_dissipators(H, cps), {"1": T1, "2": T2})
        assert bc.entropy_production() >= -1e-14
    H, cps = _two_qubits(1.3, 1.3)
    ss = master.steady_state(master.global_lindblad(H, cps, secular_check=False), H)
    bc = master.bath_currents(ss.rho, H, master.bath_dissipators(H, cps), {"1": 1.3, "2": 1.3})
    assert abs(bc.entropy_production()) < 1e-14 and max(abs(v) for v in bc.energy.values()) < 1e-14


def test_local_equation_of_detuned_qubits_violates_the_second_law_with_global_energy_currents():
    """The textbook failure of the local approach (Levy & Kosloff 2014): detuned qubits, local baths.

    Energy currents Tr[H_S D_k rho] then run from the colder to the hotter bath (sigma < 0); the same
    dissipators with the local Hamiltonian give sigma >= 0 but break the first law."""
    s = master.spin_operators(2)
    w1, w2, g, T1, T2 = 1.0, 2.0, 0.3, 1.0, 1.6
    Hloc = 0.5 * w1 * s["sz"][0] + 0.5 * w2 * s["sz"][1]
    H = Hloc + g * (s["sp"][0] @ s["sm"][1] + s["sm"][0] @ s["sp"][1])
    js = (master.local_jumps([s["sm"][0]], Bath("boson", T1, J=flat(0.1)), w1, name="1")
          + master.local_jumps([s["sm"][1]], Bath("boson", T2, J=flat(0.1)), w2, name="2"))
    ss = master.steady_state(master.liouvillian(H, js), H)
    D = master.jump_dissipators(js, 4)
    glob = master.bath_currents(ss.rho, H, D, {"1": T1, "2": T2})
    loc = master.bath_currents(ss.rho, Hloc, D, {"1": T1, "2": T2})
    assert abs(glob.first_law_residual) < 1e-14
    assert glob.energy["1"] > 0 and glob.entropy_production() < -1e-4      # cold bath 1 gives energy
    assert loc.entropy_production() > 0 and abs(loc.first_law_residual) > 1e-4


# --------------------------------------------------------------------------- entropy production
def test_entropy_production_sign_convention_and_zero_temperature_baths():
    assert thermo.entropy_production({"hot": 0.5, "cold": -0.5}, None, {"hot": 2.0, "cold": 1.0}) == pytest.approx(0.25)
    # chemical work: particles flowing down a chemical-potential drop at one temperature
    s = thermo.entropy_production([2.0, -2.0], [1.0, -1.0], [1.0, 1.0], [3.0, 1.0])
    assert s == pytest.approx(2.0)
    # T = 0: no heat -> finite; receiving heat -> inf; giving heat -> ValueError naming the bath
    assert thermo.entropy_production({"a": 1.0, "b": -1.0, "c": 1e-18}, None, {"a": 2.0, "b": 1.0, "c": 0.0}) \
        == pytest.approx(0.5)
    assert thermo.entropy_production({"a": 1.0, "b": -1.0}, None, {"a": 1.0, "b": 0.0}) == math.inf
    with pytest.raises(ValueError, match="'b' is at T = 0 but gives heat"):
        thermo.entropy_production({"a": -1.0, "b": 1.0}, None, {"a": 1.0, "b": 0.0})
    with pytest.raises(ValueError, match="same baths"):
        thermo.entropy_production({"a": 1.0}, None, {"b": 1.0})
    with pytest.raises(ValueError):
        thermo.entropy_production({"a": float("nan")}, None, {"a": 1.0})
    with pytest.raises(ValueError):
        thermo.entropy_production({"a": 1.0}, None, {"a": -1.0})


def test_steady_state_of_the_generic_solver_has_no_currents():
    H, cps = _two_qubits()
    ss = master.steady_state(master.global_lindblad(H, cps, secular_check=False), H)
    assert ss.relaxation_rate is None and ss.currents is None
    with pytest.raises(ValueError, match="bath_currents"):
        ss.energy_currents
    with pytest.raises(ValueError, match="relaxation_rate"):
        ss.relaxation_time


def test_decay_rate_of_an_oscillating_signal_from_its_envelope():
    t = np.linspace(0.0, 20.0, 2001)
    f = 2.0 + np.exp(-0.7 * t) * (1.0 + 1.5 * np.cos(5.0 * t))       # zero crossings: log|f - 2| has spikes
    naive = master.decay_rate(t, f, 2.0, where=t > 5)
    envelope = master.decay_rate(t, f, 2.0, where=t > 5, segments=8)
    assert abs(envelope - 0.7) < 2e-3 < abs(naive - 0.7)
    with pytest.raises(ValueError, match="segments"):
        master.decay_rate(t, f, 2.0, segments=2)
