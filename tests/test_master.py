"""qbcore.master against QuTiP's solvers and equilibrium limits."""
import numpy as np
import pytest
import qutip

from qbcore import master as M
from qbcore import thermo
from qbcore.baths import Bath, flat, ohmic

OPS = M.spin_operators(2)
SX, SY, SZ, SM = OPS["sx"], OPS["sy"], OPS["sz"], OPS["sm"]


def xxz(w1=1.0, w2=1.3, J=0.2, D=0.1):
    return 0.5 * (w1 * SZ[0] + w2 * SZ[1]) + J * (SX[0] @ SX[1] + SY[0] @ SY[1]) + D * SZ[0] @ SZ[1]


def q(op):
    return qutip.Qobj(op, dims=[[2, 2], [2, 2]])


def qutip_spectrum(bath):
    """QuTiP power spectrum equivalent to a Hermitian coupling X (B + B^dag) to `bath`."""
    def S(w):
        if w > 1e-12:
            return float(bath.down_rate(w))
        if w < -1e-12:
            return float(bath.up_rate(-w))
        return bath.spectrum_at_zero()
    return S


def test_spin_operators_match_qutip_convention():
    assert np.allclose(SM[0], qutip.tensor(qutip.sigmam(), qutip.qeye(2)).full())
    assert np.allclose(SZ[1], qutip.tensor(qutip.qeye(2), qutip.sigmaz()).full())


def test_bohr_components_sum_to_operator_and_lower_energy():
    H = xxz()
    comps = M.bohr_components(H, SX[0])
    assert np.allclose(sum(c for _, c in comps), SX[0], atol=1e-13)
    for w, c in comps:  # [H, S(w)] = -w S(w)
        assert np.allclose(H @ c - c @ H, -w * c, atol=1e-12)


def test_liouvillian_equals_qutip_liouvillian():
    H = xxz()
    bath = Bath("boson", 0.6, J=ohmic(0.1))
    jumps = M.global_jumps(H, [(SX[0], bath)])
    Lq = qutip.liouvillian(q(H), [np.sqrt(j.rate) * q(j.op) for j in jumps]).full()
    assert np.abs(M.liouvillian(H, jumps) - Lq).max() < 1e-13


@pytest.mark.parametrize("TL, TR", [(1.0, 0.2), (0.0, 0.5), (2.0, 2.0), (0.0, 0.0)])
def test_global_lindblad_steady_state_vs_qutip_steadystate(TL, TR):
    H = xxz()
    cpl = [(SX[0], Bath("boson", TL, J=ohmic(0.05))), (SX[1], Bath("boson", TR, J=ohmic(0.08)))]
    jumps = M.global_jumps(H, cpl)
    ss = M.steady_state(M.liouvillian(H, jumps), H)
    ref = qutip.steadystate(q(H), [np.sqrt(j.rate) * q(j.op) for j in jumps]).full()
    assert np.abs(ss.rho - ref).max() < 1e-10
    assert ss.is_unique and ss.is_positive
    assert 0.0 <= ss.ergotropy <= ss.stored_energy + 1e-12


def test_global_lindblad_equals_qutip_secular_bloch_redfield():
    H = xxz()
    cpl = [(SX[0], Bath("boson", 0.9, J=ohmic(0.05))), (SX[1], Bath("boson", 0.3, J=ohmic(0.08)))]
    R = qutip.bloch_redfield_tensor(q(H), [(q(c[0]), qutip_spectrum(c[1])) for c in cpl],
                                    sec_cutoff=1e-6, fock_basis=True)
    assert np.abs(M.global_lindblad(H, cpl) - R.full()).max() < 1e-12


def test_redfield_hermitian_equals_qutip_nonsecular():
    H = xxz()
    cpl = [(SX[0], Bath("boson", 0.9, J=ohmic(0.05))), (SX[1], Bath("boson", 0.3, J=ohmic(0.08)))]
    R = qutip.bloch_redfield_tensor(q(H), [(q(c[0]), qutip_spectrum(c[1])) for c in cpl],
                                    sec_cutoff=-1, fock_basis=True)
    assert np.abs(M.redfield(H, cpl) - R.full()).max() < 1e-12


@pytest.mark.parametrize("stat", ["boson", "fermion"])
def test_redfield_exchange_coupling_equals_qutip_crossterms(stat):
    # Exchange coupling S b^dag + S^dag b is equivalent, in QuTiP, to the cross-correlated pair
    # (S, S^dag) with spectrum a(-w) plus (S^dag, S) with spectrum e(w): qutip.brcrossterm.
    H = xxz(w1=2.0, w2=2.4)
    mk = (lambda T, mu, g: Bath("fermion", T, mu, J=flat(g))) if stat == "fermion" else \
         (lambda T, mu, g: Bath("boson", T, J=flat(g)))
    cpl = [(SM[0], mk(0.7, 0.3, 0.05)), (SM[1], mk(0.4, -0.2, 0.08))]
    def spectra(b):  # QuTiP needs one-argument callables (more arguments mean a time coefficient)
        pos = (lambda w: True) if stat == "fermion" else (lambda w: w > 0)
        return (lambda w: float(b.up_rate(-w)) if pos(-w) else 0.0,
                lambda w: float(b.down_rate(w)) if pos(w) else 0.0)

    R = qutip.liouvillian(q(H))
    for S, b in cpl:
        a_minus, e_plus = spectra(b)
        R += qutip.brcrossterm(q(H), q(S), q(S).dag(), a_minus, -1, fock_basis=True)
        R += qutip.brcrossterm(q(H), q(S).dag(), q(S), e_plus, -1, fock_basis=True)
    assert np.abs(M.redfield(H, cpl) - R.full()).max() < 1e-12


@pytest.mark.parametrize("T", [0.0, 0.3, 1.5])
def test_single_bath_gives_gibbs(T):
    H = xxz()
    bath = Bath("boson", T, J=ohmic(0.1))
    for L in (M.global_lindblad(H, [(SX[0], bath), (SX[1], bath)]), M.redfield(H, [(SX[0], bath)])):
        ss = M.steady_state(L, H)
        assert np.abs(ss.rho - thermo.gibbs_state(H, T)).max() < 1e-10
        assert ss.ergotropy == pytest.approx(0.0, abs=1e-10)


@pytest.mark.parametrize("T, mu", [(0.5, 0.8), (1.0, -0.3), (0.0, 1.1)])
def test_single_fermion_bath_gives_grand_canonical(T, mu):
    H = xxz(D=0.0)  # flip-flop conserves N
    N = sum(OPS["sp"][i] @ SM[i] for i in range(2))
    bath = Bath("fermion", T, mu, J=flat(0.1))
    for L in (M.global_lindblad(H, [(SM[0], bath), (SM[1], bath)]), M.redfield(H, [(SM[0], bath), (SM[1], bath)])):
        ss = M.steady_state(L, H)
        assert np.abs(ss.rho - thermo.gibbs_state(H, T, N=N, mu=mu)).max() < 1e-10


def test_degenerate_bohr_frequencies_identical_qubits_independent_baths():
    H = 0.5 * (SZ[0] + SZ[1])  # degenerate single-excitation manifold, degenerate Bohr frequencies
    bath = Bath("boson", 0.7, J=ohmic(0.2))
    ss = M.steady_state(M.global_lindblad(H, [(SX[0], bath), (SX[1], bath)]), H)
    assert ss.is_unique
    assert np.abs(ss.rho - thermo.gibbs_state(H, 0.7)).max() < 1e-12


def test_collective_dark_state_detected_and_initial_state_projection():
    H = 0.5 * (SZ[0] + SZ[1])
    bath = Bath("boson", 0.0, J=ohmic(0.2))
    L = M.global_lindblad(H, [(SX[0] + SX[1], bath)])
    with pytest.raises(M.NonUniqueSteadyStateError, match="not unique"):
        M.steady_state(L, H)
    rho0 = np.zeros((4, 4), complex)
    rho0[1, 1] = 1.0  # |e g>: half in the dark singlet, half decays
    ss = M.steady_state(L, H, initial=rho0)
    assert ss.kernel_dim > 1
    jumps = M.global_jumps(H, [(SX[0] + SX[1], bath)])
    res = qutip.mesolve(q(H), q(rho0), [0, 400.0], [np.sqrt(j.rate) * q(j.op) for j in jumps],
                         options={"atol": 1e-12, "rtol": 1e-10})
    assert np.abs(ss.rho - res.states[-1].full()).max() < 1e-8
    singlet = np.array([0, 1, -1, 0]) / np.sqrt(2)
    assert singlet @ ss.rho @ singlet == pytest.approx(0.5, abs=1e-10)


def test_zero_frequency_channel_limit_and_drop():
    # Ising-like diagonal H with an exact degeneracy: sz-coupling gives only zero frequency.
    H = np.diag([1.0, 0.0, 0.0, -1.0])
    bath = Bath("boson", 0.5, J=ohmic(0.2))
    jl = M.global_jumps(H, [(SZ[0], bath)])
    assert len(jl) == 1 and jl[0].rate == pytest.approx(0.2 * 0.5, rel=1e-5)
    assert M.global_jumps(H, [(SZ[0], bath)], zero_frequency="drop") == []


def test_local_jumps_rates_and_collective():
    bath = Bath("fermion", 0.5, 0.2, J=flat(0.3))
    js = M.local_jumps([SM[0], SM[1]], bath, 1.0)
    f = 1 / (np.exp((1.0 - 0.2) / 0.5) + 1)
    assert [j.rate for j in js] == pytest.approx([0.3 * (1 - f), 0.3 * f] * 2)
    jc = M.local_jumps([SM[0], SM[1]], bath, 1.0, collective=True)
    assert len(jc) == 2 and np.allclose(jc[0].op, SM[0] + SM[1])


def test_batch_solvers_match_single_point():
    H = xxz()
    Ls, refs = [], []
    for TL in (0.2, 0.8, 1.6):
        cpl = [(SX[0], Bath("boson", TL, J=ohmic(0.05))), (SX[1], Bath("boson", 0.1, J=ohmic(0.08)))]
        L = M.global_lindblad(H, cpl)
        Ls.append(L)
        refs.append(M.steady_state(L, H))
    rhos = M.lindblad_steady_batch(np.array(Ls))
    for r, ss in zip(rhos, refs):
        assert np.abs(r - ss.rho).max() < 1e-12
    # Non-degenerate Bohr frequencies: populations decouple; Pauli rate equation is exact.
    W = np.array([M.pauli_rates(H, M.global_jumps(H, [(SX[0], Bath("boson", TL, J=ohmic(0.05))),
                                                      (SX[1], Bath("boson", 0.1, J=ohmic(0.08)))]))
                  for TL in (0.2, 0.8, 1.6)])
    p = M.pauli_steady_batch(W)
    for pk, ss in zip(p, refs):
        assert np.abs(pk - ss.populations).max() < 1e-12


def test_zero_frequency_dephasing_at_T0_is_half_the_flat_density():
    """S(0) = [S(0+) + S(0-)]/2: a flat J = g at T = 0 dephases at g/2 (S jumps from 0 to g at 0)."""
    g = 0.07
    cold = Bath("boson", 0.0, J=flat(g))
    assert cold.spectrum_at_zero() == pytest.approx(0.5 * g, rel=1e-12)
    assert Bath("boson", 0.4, J=ohmic(0.2)).spectrum_at_zero() == pytest.approx(0.2 * 0.4, rel=1e-6)
    H = np.diag([1.0, 0.0, 0.0, -1.0]).astype(complex)
    [j] = M.global_jumps(H, [(SZ[0], cold)])
    assert j.rate == pytest.approx(0.5 * g, rel=1e-12)


def test_zero_frequency_channels_equal_qutip_bloch_redfield_with_same_S0():
    """Flat bath at T = 0 on a coupling with diagonal (zero-frequency) elements, against QuTiP."""
    H = xxz()
    cpl = [(SX[0] + 0.6 * SZ[0], Bath("boson", 0.0, J=flat(0.04))),
           (SZ[1] + 0.3 * SX[1], Bath("boson", 0.0, J=flat(0.02)))]
    for sec, cut in ((False, -1), (True, 1e-6)):
        R = qutip.bloch_redfield_tensor(q(H), [(q(c[0]), qutip_spectrum(c[1])) for c in cpl],
                                        sec_cutoff=cut, fock_basis=True)
        ours = M.global_lindblad(H, cpl) if sec else M.redfield(H, cpl)
        assert np.abs(ours - R.full()).max() < 1e-12


def test_stiff_unique_system_is_unique():
    """omega = 1e4 with rates 1e-9: uniqueness is judged against the rates, not the frequencies."""
    H = 0.5e4 * np.diag([1.0, -1.0]).astype(complex)
    sx = np.array([[0, 1], [1, 0]], complex)
    bath = Bath("boson", 0.5e4, J=flat(1e-9))
    L = M.global_lindblad(H, [(sx, bath)])
    ss = M.steady_state(L, H)
    assert ss.kernel_dim == 1
    np.testing.assert_allclose(ss.rho, thermo.gibbs_state(H, 0.5e4), atol=1e-12)
    # A genuinely degenerate kernel still is, and the message names both remedies.
    with pytest.raises(M.NonUniqueSteadyStateError, match="initial=rho0.*smaller rtol"):
        M.steady_state(np.zeros((4, 4), complex) + 0 * L, H)


def test_secular_warning_when_bohr_frequencies_closer_than_rates():
    """Two qubits detuned by 1e-3 with rates 0.05: the secular equation is not justified."""
    H = 0.5 * (1.0 * SZ[0] + 1.001 * SZ[1])
    hot = Bath("boson", 1.0, J=ohmic(0.05))
    with pytest.warns(M.SecularApproximationWarning, match="redfield"):
        M.global_jumps(H, [(SX[0] + SX[1], hot)])
    # Well separated frequencies, or one transition merged with tol: no warning.
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        M.global_jumps(0.5 * (SZ[0] + 1.5 * SZ[1]), [(SX[0] + SX[1], hot)])
        M.global_jumps(H, [(SX[0] + SX[1], hot)], tol=1e-2)
