"""Two coupled qubits with local boson/fermion reservoirs (qbcore.models.coupled_qubits).

Independent routes: QuTiP's Bloch–Redfield (brcrossterm and bloch_redfield_tensor with an
equivalent Hermitian decomposition), qutip.steadystate with hand-built collapse operators,
Gibbs / grand-canonical states, the corrected closed forms, and the batched sweep.
"""
import re

import numpy as np
import pytest
import qutip as qt

from qbcore import master, thermo
from qbcore.baths import Bath, flat
from qbcore.models import coupled_qubits as cq

DIMS = [[2, 2], [2, 2]]

# A grid covering symmetric/asymmetric, boson/fermion, equilibrium/not.
CASES = [
    dict(statistics="boson", omega1=10, omega2=10, lam=2, T1=1, T2=3),
    dict(statistics="boson", omega1=10, omega2=10, lam=6, T1=2, T2=2),
    dict(statistics="boson", omega1=11, omega2=9, lam=6, T1=4, T2=1.5),
    dict(statistics="boson", omega1=8.5, omega2=12, lam=3, T1=0.7, T2=5, J=0.3),
    dict(statistics="boson", omega1=9, omega2=11, lam=6, T1=0.0, T2=2.5, J=2.0),
    dict(statistics="fermion", omega1=10, omega2=10, lam=2, T1=1, T2=1, mu1=8, mu2=12),
    dict(statistics="fermion", omega1=10, omega2=10, lam=2, T1=1.5, T2=1.5, mu1=11, mu2=11),
    dict(statistics="fermion", omega1=11, omega2=9, lam=6, T1=1.5, T2=1.5, mu1=2, mu2=6),
    dict(statistics="fermion", omega1=9, omega2=12, lam=4, T1=0.8, T2=2.5, mu1=13, mu2=-3, J=0.5),
    dict(statistics="fermion", omega1=10, omega2=10, lam=2, T1=0.5, T2=0.5, mu1=10, mu2=0),
]


def _q(a):
    return qt.Qobj(a, dims=DIMS)


def _spectra(statistics, T, mu, J):
    """Independent emission e(w) and absorption a(w) rates (core convention, J_core = 2 J)."""
    sign = 1.0 if statistics == "boson" else -1.0

    def occ(w):
        if statistics == "boson":
            return 1.0 / np.expm1(w / T) if T > 0 else 0.0
        return 1.0 / (np.exp((w - mu) / T) + 1.0)

    def e(w):  # single-argument callables: QuTiP treats two-argument ones as time coefficients
        if statistics == "boson" and w <= 0:
            return 0.0
        return float(2 * J * (1 + sign * occ(w)))

    def a(w):
        if statistics == "boson" and w <= 0:
            return 0.0
        return float(2 * J * occ(w))

    return e, a


def _one_arg(f):
    """Wrap f as a strictly one-argument callable (QuTiP reads more parameters as time dependence)."""
    def spectrum(w):
        return f(w)
    return spectrum


def _full(case):
    kw = dict(mu1=0.0, mu2=0.0, J=1.0)
    kw.update(case)
    return kw


# --------------------------------------------------------------------------- generator
@pytest.mark.parametrize("case", [CASES[2], CASES[3], CASES[7], CASES[8]])
def test_generator_matches_qutip_brcrossterm(case):
    """sigma_- b^dag + h.c.: QuTiP cross terms (S, S^dag) with absorption and (S^dag, S) with emission."""
    p = cq.params(**case)
    H = _q(cq.hamiltonian(p.omega1, p.omega2, p.lam))
    L = qt.liouvillian(H)
    for i, (T, mu) in enumerate(((p.T1, p.mu1), (p.T2, p.mu2))):
        e, a = _spectra(p.statistics, T, mu, p.J)
        S = _q(master.spin_operators(2)["sm"][i])
        L = L + qt.brcrossterm(H, S, S.dag(), _one_arg(lambda w: a(-w)), -1, fock_basis=True)
        L = L + qt.brcrossterm(H, S.dag(), S, _one_arg(e), -1, fock_basis=True)
    np.testing.assert_allclose(cq.generator(**case), L.full(), atol=1e-12)


@pytest.mark.parametrize("case", [CASES[0], CASES[2], CASES[7], CASES[8]])
def test_generator_matches_bloch_redfield_tensor_hermitian_equivalent(case):
    """Equivalent Hermitian couplings: sigma_x and sigma_y of each qubit to two independent baths
    with the same spectrum S(w) = e(w)/2 (w > 0), a(-w)/2 (w < 0). The sigma_- sigma_- cross terms
    of the two cancel and the sigma_- . sigma_+ terms add up to those of sigma_- b^dag + h.c."""
    p = cq.params(**case)
    H = _q(cq.hamiltonian(p.omega1, p.omega2, p.lam))
    ops = master.spin_operators(2)
    a_ops = []
    for i, (T, mu) in enumerate(((p.T1, p.mu1), (p.T2, p.mu2))):
        e, a = _spectra(p.statistics, T, mu, p.J)
        spec = _one_arg(lambda w, e=e, a=a: 0.5 * e(w) if w > 0 else (0.5 * a(-w) if w < 0 else 0.0))
        a_ops += [(_q(ops["sx"][i]), spec), (_q(ops["sy"][i]), spec)]
    R = qt.bloch_redfield_tensor(H, a_ops, sec_cutoff=-1, fock_basis=True)
    R = R[0] if isinstance(R, tuple) else R
    np.testing.assert_allclose(cq.generator(**case), R.full(), atol=1e-12)


def test_batched_generator_equals_core_redfield_in_energy_basis():
    """The numpy-built energy-basis generator (eq. 5 operators) equals master.redfield rotated."""
    for case in CASES[:4] + CASES[7:9]:
        kw = _full(case)
        stats = kw.pop("statistics")
        g = cq._grid(stats, kw)
        for secular in (False, True):
            L, E, _ = cq._batch_generator(stats, g, secular)
            _, U = cq.eigenbasis(kw["omega1"], kw["omega2"], kw["lam"])
            Ue = np.kron(U, U)  # vec(U^T rho U) = (U^T kron U^T) vec(rho) for real U
            Lcore = cq.generator(secular=secular, **case)
            np.testing.assert_allclose(L, Ue.T @ Lcore @ Ue, atol=1e-12)
            # excitation-number conservation: the 6-element sector decouples (used by sweep)
            other = np.setdiff1d(np.arange(16), cq.SECTOR)
            assert np.abs(L[np.ix_(cq.SECTOR, other)]).max() < 1e-14
            assert np.abs(L[np.ix_(other, cq.SECTOR)]).max() < 1e-14


def test_eigenbasis_and_printed_eigenvector_typo():
    for w1, w2, lam in ((10, 10, 2), (11, 9, 6), (9, 11, 6), (8, 12.5, 1)):
        E, U = cq.eigenbasis(w1, w2, lam)
        H = cq.hamiltonian(w1, w2, lam)
        np.testing.assert_allclose(H @ U, U * E, atol=1e-12)
        np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-14)
        assert np.all(np.diff(E) > 0)
        # the printed |eps_3> = c|eg> - s|ge> is not orthogonal to |eps_2> (overlap -sin(theta))
        c, s = U[1, 2], U[2, 2]
        printed3 = np.zeros(4)
        printed3[1], printed3[2] = c, -s
        assert abs(U[:, 1] @ printed3 + np.sin(np.arctan2(lam, w1 - w2))) < 1e-12


# --------------------------------------------------------------------------- secular limit
@pytest.mark.parametrize("case", CASES)
def test_secular_limit_matches_qutip_steadystate(case):
    """Global Lindblad with the paper's eq.-5 jump operators built here by hand."""
    p = cq.params(**case)
    th = np.arctan2(p.lam, p.detuning)
    c, s = np.cos(th / 2), np.sin(th / 2)
    ket = {"gg": qt.basis(4, 3), "ee": qt.basis(4, 0),
           "e2": -s * qt.basis(4, 1) + c * qt.basis(4, 2), "e3": c * qt.basis(4, 1) + s * qt.basis(4, 2)}
    e = [ket["gg"], ket["e2"], ket["e3"], ket["ee"]]

    def op(i, j):
        return e[i] * e[j].dag()

    A = [s * (op(2, 3) - op(0, 1)), c * (op(2, 3) + op(0, 1))]
    B = [c * (op(0, 2) + op(1, 3)), s * (op(0, 2) - op(1, 3))]
    wm, wp = p.energies[1], p.energies[2]
    c_ops = []
    for i, (T, mu) in enumerate(((p.T1, p.mu1), (p.T2, p.mu2))):
        em, am = _spectra(p.statistics, T, mu, p.J)
        for X, w in ((A[i], wm), (B[i], wp)):
            c_ops += [np.sqrt(em(w)) * X, np.sqrt(am(w)) * X.dag()]
    H = qt.Qobj(cq.hamiltonian(p.omega1, p.omega2, p.lam))
    ref = qt.steadystate(H, [x for x in c_ops if x.norm() > 0]).full()
    ss = cq.steady_state(secular=True, **case)
    np.testing.assert_allclose(ss.rho, ref, atol=1e-10)
    # and the core's global Lindblad built from the couplings
    Lg = master.global_lindblad(cq.hamiltonian(p.omega1, p.omega2, p.lam), cq.couplings(p), zero_frequency="drop")
    np.testing.assert_allclose(master.steady_state(Lg, ss.H).rho, ref, atol=1e-10)
    assert ss.min_eigenvalue > -1e-12          # Lindblad: always a state


# --------------------------------------------------------------------------- equilibrium
@pytest.mark.parametrize("secular", [False, True])
@pytest.mark.parametrize("w1,w2,lam", [(10, 10, 2), (10, 10, 6), (11.5, 8, 5)])
def test_equilibrium_is_gibbs(secular, w1, w2, lam):
    H = cq.hamiltonian(w1, w2, lam)
    N = cq.number_operator()
    for T in (0.3, 1.5, 6.0):
        ss = cq.steady_state(statistics="boson", omega1=w1, omega2=w2, lam=lam, T1=T, T2=T, secular=secular)
        np.testing.assert_allclose(ss.rho, thermo.gibbs_state(H, T), atol=1e-10)
        assert abs(ss.ergotropy) < 1e-10
        for mu in (-3.0, 6.0, 9.5, 14.0):
            ss = cq.steady_state(statistics="fermion", omega1=w1, omega2=w2, lam=lam, T1=T, T2=T,
                                 mu1=mu, mu2=mu, secular=secular)
            gc = thermo.gibbs_state(H, T, N=N, mu=mu)
            np.testing.assert_allclose(ss.rho, gc, atol=1e-10)
            np.testing.assert_allclose(ss.ergotropy, thermo.ergotropy(gc, H), atol=1e-10)


def test_grand_canonical_state_is_active_above_lower_bohr_frequency():
    """Zero ergotropy iff mu <= omega_- (populations ordered); positive above, -> delta at large mu."""
    wm = 10 - 1.0
    for mu, active in ((8.9, False), (9.0, False), (9.3, True), (12.0, True)):
        ss = cq.steady_state(statistics="fermion", lam=2, T1=1.5, T2=1.5, mu1=mu, mu2=mu)
        assert (ss.ergotropy > 1e-9) == active, (mu, wm, ss.ergotropy)
    ss = cq.steady_state(statistics="fermion", lam=2, T1=1.5, T2=1.5, mu1=60.0, mu2=60.0)
    assert abs(ss.ergotropy - 20.0) < 1e-6


# --------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("secular", [False, True])
@pytest.mark.parametrize("case", CASES)
def test_closed_forms_match_numerics(case, secular):
    num = cq.steady_state(secular=secular, **case)
    cf = cq.closed_form(secular=secular, **case)
    np.testing.assert_allclose(cf.rho, num.rho, atol=1e-12)
    np.testing.assert_allclose(cf.extra["rho_eps"], num.extra["rho_eps"], atol=1e-12)
    assert abs(cf.ergotropy - num.ergotropy) < 1e-10 and abs(cf.energy - num.energy) < 1e-10


def test_printed_formulas_and_their_corrections():
    """Each printed typo, shown against the generator."""
    # bosons: populations right, coherence = -conj(true); fermions: coherence = conj(true), rho_44 wrong
    for case in (CASES[0], CASES[2], CASES[3]):
        true = cq.steady_state(**case).extra["rho_eps"]
        pr = cq.printed_closed_form(**case)
        np.testing.assert_allclose(np.diag(pr), np.diag(true), atol=1e-12)
        np.testing.assert_allclose(pr[1, 2], -np.conj(true[1, 2]), atol=1e-12)
        assert abs(true[1, 2].real) > 1e-4          # so the sign difference is visible
    for case in (CASES[5], CASES[7], CASES[8]):
        true = cq.steady_state(**case).extra["rho_eps"]
        pr = cq.printed_closed_form(**case)
        np.testing.assert_allclose(np.diag(pr)[:3], np.diag(true)[:3], atol=1e-12)
        np.testing.assert_allclose(pr[1, 2], np.conj(true[1, 2]), atol=1e-12)
        assert abs(np.trace(pr).real - 1.0) > 1e-4   # the printed rho_44 breaks the trace
    # eq. 18: printed populations are the true secular ones permuted (rho_22, rho_44, rho_33, rho_11)
    for case in CASES:
        kw = _full(case)
        stats = kw.pop("statistics")
        true = cq.steady_state(secular=True, statistics=stats, **kw).populations
        np.testing.assert_allclose(cq.printed_populations(statistics=stats, **kw), true[[1, 3, 2, 0]], atol=1e-12)


def test_rate_normalisation_paper_J_is_half_core_J():
    """The closed forms (with Omega/J) hold for core rates 2J(1±N); with core rates J(1±N) they hold for J/2."""
    case = dict(statistics="boson", omega1=10, omega2=10, lam=2, T1=1, T2=3, J=1.0)
    p = cq.params(**case)
    H = cq.hamiltonian(p.omega1, p.omega2, p.lam)
    sm = master.spin_operators(2)["sm"]
    cpl = [master.Coupling(sm[0], Bath("boson", p.T1, J=flat(1.0))), master.Coupling(sm[1], Bath("boson", p.T2, J=flat(1.0)))]
    rho = master.steady_state(master.redfield(H, cpl, zero_frequency="drop"), H).rho
    assert np.abs(rho - cq.closed_form(**case).rho).max() > 1e-3
    np.testing.assert_allclose(rho, cq.closed_form(**dict(case, J=0.5)).rho, atol=1e-12)


# --------------------------------------------------------------------------- positivity
def test_redfield_non_positivity_detected_and_explained():
    # fermions: mu_1 between the Bohr frequencies, mu_2 far below -> rho_44 = L+L- - R < 0
    kw = dict(statistics="fermion", lam=2, T1=0.5, T2=0.5, mu1=10.0, mu2=0.0)
    ss = cq.steady_state(**kw)
    assert ss.min_eigenvalue < -1e-3 and not ss.is_positive
    assert ss.populations[3] < -1e-3
    g = cq._grid("fermion", {k: v for k, v in kw.items() if k != "statistics"})
    Lp, Lm, Mp, Mm, _, Om = cq._effective("fermion", g)
    np.testing.assert_allclose(ss.populations[3], Lp * Lm - (Mp + Mm) ** 2 / (4 + Om ** 2), atol=1e-12)
    assert cq.steady_state(secular=True, **kw).min_eigenvalue > 0
    # bosons too (small, at a cold bath): T1 = 0, T2 = 1, lambda = 6
    ssb = cq.steady_state(statistics="boson", lam=6, T1=0.0, T2=1.0)
    assert ssb.min_eigenvalue < -1e-6
    assert cq.steady_state(statistics="boson", lam=6, T1=0.0, T2=1.0, secular=True).min_eigenvalue > 0


def test_symmetric_secular_boson_state_is_passive():
    """All boson ergotropy of symmetric qubits is carried by the non-secular coherence."""
    T1 = np.linspace(0.2, 4, 7)[:, None]
    dT = np.linspace(0, 10, 9)[None, :]
    sec = cq.sweep(statistics="boson", T1=T1, T2=T1 + dT, lam=2, secular=True)
    non = cq.sweep(statistics="boson", T1=T1, T2=T1 + dT, lam=2)
    assert np.abs(sec.ergotropy).max() < 1e-12
    assert non.ergotropy[:, 1:].min() > 1e-6 and np.abs(non.ergotropy[:, 0]).max() < 1e-12


# --------------------------------------------------------------------------- sweep
@pytest.mark.parametrize("secular", [False, True])
@pytest.mark.parametrize("statistics", ["boson", "fermion"])
def test_sweep_equals_single_point(statistics, secular):
    rng = np.random.default_rng(7)
    n = 6
    w1, w2 = rng.uniform(7, 13, n), rng.uniform(7, 13, n)
    lam = rng.uniform(0.3, 0.9, n) * 2 * np.sqrt(w1 * w2)
    T1, T2 = rng.uniform(0.2, 5, n), rng.uniform(0.2, 5, n)
    mu1, mu2 = (rng.uniform(-2, 22, n), rng.uniform(-2, 22, n)) if statistics == "fermion" else (0 * w1, 0 * w1)
    J = rng.uniform(0.2, 3, n)
    kw = dict(omega1=w1, omega2=w2, lam=lam, T1=T1, T2=T2, mu1=mu1, mu2=mu2, J=J)
    res = {m: cq.sweep(statistics=statistics, secular=secular, method=m, **kw)
           for m in ("generator", "full", "closed_form")}
    for i in range(n):
        ss = cq.steady_state(statistics=statistics, secular=secular, **{k: v[i] for k, v in kw.items()})
        for r in res.values():
            np.testing.assert_allclose(r.rho_eps[i], ss.extra["rho_eps"], atol=1e-12)
            assert abs(r.ergotropy[i] - ss.ergotropy) < 1e-10
            assert abs(r.energy[i] - ss.energy) < 1e-10
            assert abs(r.min_eigenvalue[i] - ss.min_eigenvalue) < 1e-10


def test_sweep_broadcasts_a_map():
    D = np.linspace(-6, 6, 5)[:, None]
    dT = np.linspace(-5, 5, 4)[None, :]
    r = cq.sweep(statistics="boson", T1=3 - dT / 2, T2=3 + dT / 2, lam=6, omega1=10 + D / 2, omega2=10 - D / 2)
    assert r.ergotropy.shape == (5, 4) and r.rho_eps.shape == (5, 4, 4, 4)
    np.testing.assert_allclose(np.trace(r.rho_eps, axis1=-2, axis2=-1), 1.0, atol=1e-12)
    ss = cq.steady_state(statistics="boson", T1=3 - dT[0, 1] / 2, T2=3 + dT[0, 1] / 2, lam=6,
                         omega1=10 + D[3, 0] / 2, omega2=10 - D[3, 0] / 2)
    assert abs(r.ergotropy[3, 1] - ss.ergotropy) < 1e-12


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", [
    dict(lam=20.0), dict(lam=25.0), dict(lam=0.0), dict(lam=-1.0), dict(T1=-0.1), dict(T2=-2.0),
    dict(mu1=1.0), dict(mu2=-0.5), dict(statistics="anyon"), dict(T1=float("nan")), dict(lam=float("nan")),
    dict(omega1=float("nan")), dict(J=0.0), dict(J=-1.0), dict(omega2=0.0), dict(omega1=float("inf")),
])
def test_bad_input_raises(bad):
    kw = dict(omega1=10.0, omega2=10.0, lam=2.0, T1=1.0, T2=3.0, statistics="boson")
    kw.update(bad)
    for fn in (cq.steady_state, cq.closed_form):
        with pytest.raises(ValueError):
            fn(**kw)
    with pytest.raises(ValueError):
        cq.sweep(**kw)


def test_bad_input_in_sweep_arrays():
    with pytest.raises(ValueError, match="lam"):
        cq.sweep(statistics="boson", omega1=np.array([10.0, 3.0]), omega2=10.0, lam=12.0)
    with pytest.raises(ValueError, match="T2"):
        cq.sweep(statistics="boson", T2=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="mu"):
        cq.sweep(statistics="boson", mu1=np.array([0.0, 1.0]))
    with pytest.raises(ValueError):
        cq.sweep(statistics="fermion", mu1=np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="method"):
        cq.sweep(method="magic")
    with pytest.raises(TypeError, match="Temperature"):   # explicit signature: a misspelt keyword
        cq.sweep(Temperature=1.0)
    # fermions accept any real chemical potential
    assert cq.steady_state(statistics="fermion", mu1=-5.0, mu2=30.0).is_unique


# --------------------------------------------------------------------------- admissible domain
# The steady state is unique at every admissible point (each reservoir connects all four levels),
# so points the double-precision generator cannot resolve are rejected up front, naming the
# parameter and its valid range, instead of reporting a spurious "not unique ... pass initial=".
UNRESOLVABLE = [
    (dict(statistics="boson", T1=1e300), r"T1 must lie in \[0, ([^\]]+)\]"),                   # rates overflow
    (dict(statistics="boson", omega1=1e12, omega2=1e12), r"omega1 \+ omega2 must be <= .*limit ([0-9.e+]+)\)"),
    (dict(statistics="boson", lam=20.0 * (1 - 1e-9)), r"lam must lie in \(0, ([^\]]+)\]"),   # omega_- ~ 1e-8
    (dict(statistics="fermion", omega1=10.0, omega2=1e-9, lam=1e-5), r"min\(omega1, omega2\) must exceed"),
]


@pytest.mark.parametrize("kw, match", UNRESOLVABLE)
def test_unresolvable_points_rejected_up_front_naming_the_parameter(kw, match):
    for fn in (cq.steady_state, cq.closed_form, cq.generator, cq.printed_closed_form, cq.sweep,
               cq.printed_populations, cq.printed_equilibrium):
        with pytest.raises(ValueError, match=match):
            fn(**kw)
    # on a grid: the worst point is reported
    grid = {k: v if k == "statistics" else np.array([10.0 if k.startswith("omega") else 1.0, v])
            for k, v in kw.items()}
    with pytest.raises(ValueError, match=match.split(" ")[0]):
        cq.sweep(**grid)


def _bound(kw, match):
    with pytest.raises(ValueError, match=match) as info:
        cq.steady_state(**kw)
    return float(re.search(match, str(info.value)).group(1))


@pytest.mark.parametrize("secular", [False, True])
def test_error_messages_give_a_range_that_works(secular):
    """Just inside each reported bound the generator's steady state is unique and equals the closed form."""
    T_max = _bound(*UNRESOLVABLE[0])
    w_sum = _bound(*UNRESOLVABLE[1])
    lam_max = _bound(*UNRESOLVABLE[2])
    inside = [dict(statistics="boson", T1=0.99999 * T_max, T2=2.0),
              dict(statistics="boson", omega1=0.49999 * w_sum, omega2=0.49999 * w_sum, T1=1e8, T2=1e7),
              dict(statistics="boson", lam=lam_max * (1 - 1e-9)),
              dict(statistics="fermion", lam=lam_max * (1 - 1e-9), mu1=5.0, mu2=9.0)]
    for kw in inside:
        ss = cq.steady_state(secular=secular, **kw)
        assert ss.kernel_dim == 1
        np.testing.assert_allclose(ss.rho, cq.closed_form(secular=secular, **kw).rho, atol=1e-7)
        np.testing.assert_allclose(cq.sweep(secular=secular, **kw).rho_eps, ss.extra["rho_eps"], atol=1e-7)


def test_steady_state_takes_no_initial_and_a_degenerate_kernel_points_to_closed_form(monkeypatch):
    """No initial state to pass (the steady state is unique); should the kernel ever be numerically
    degenerate, the message points to closed_form, which works at that point."""
    with pytest.raises(TypeError, match="initial"):
        cq.steady_state(statistics="boson", T1=1.0, T2=3.0, initial=np.eye(4) / 4)

    def degenerate(L, H, **kw):
        raise master.NonUniqueSteadyStateError("the steady state is not unique (kernel dimension 2); pass initial=rho0")

    kw = dict(statistics="boson", T1=1.0, T2=3.0)
    with monkeypatch.context() as m:
        m.setattr(cq.master, "steady_state", degenerate)
        with pytest.raises(master.NonUniqueSteadyStateError) as info:
            cq.steady_state(**kw)
    assert "closed_form()" in str(info.value) and "initial=" not in str(info.value)
    np.testing.assert_allclose(cq.closed_form(**kw).rho, cq.steady_state(**kw).rho, atol=1e-12)


# --------------------------------------------------------------------------- common SteadyState interface
def test_steady_state_has_the_common_fields_and_thermo_ergotropy():
    """A charging point (hot reservoir 2): rho, H, energy, ergotropy, populations, kernel_dim,
    min_eigenvalue, is_positive, with ergotropy == thermo.ergotropy(rho, H)."""
    for secular in (False, True):
        for kw in (dict(statistics="boson", T1=1.0, T2=6.0, lam=2.0),
                   dict(statistics="fermion", T1=1.0, T2=1.0, mu1=8.0, mu2=12.0, lam=2.0)):
            ss = cq.steady_state(secular=secular, **kw)
            assert ss.rho.shape == ss.H.shape == (4, 4)
            np.testing.assert_allclose(ss.H, cq.hamiltonian(10.0, 10.0, 2.0))
            assert ss.is_positive and ss.min_eigenvalue >= 0 and ss.kernel_dim == 1
            assert ss.populations.shape == (4,) and abs(ss.populations.sum() - 1) < 1e-12
            assert ss.energy == pytest.approx(thermo.energy(ss.rho, ss.H), abs=1e-12)
            if kw["statistics"] == "fermion" or not secular:   # symmetric secular bosons are passive
                assert ss.ergotropy > 1e-3
            assert ss.ergotropy == pytest.approx(thermo.ergotropy(ss.rho, ss.H), abs=1e-12)
