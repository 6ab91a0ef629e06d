"""Independent checks of qbcore.negf (single-level dot between tight-binding leads).

Every reference here is computed by a route that does not share code with negf's
vectorised quadrature: adaptive scipy quadrature after a substitution, Sancho–Rubio
decimation, Kramers–Kronig, exact diagonalisation and real-time evolution of a long
finite chain.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import quad

from qbcore import negf


PAPER = dict(v=0.12, h=1.0, eps_lead=0.0)
TOL_Q = 1e-10  # required absolute accuracy of every integral


# --------------------------------------------------------------------------- reference tools
def fermi(w, mu, T):
    """Fermi function with full relative accuracy in both tails (T = 0: step); scalar or array."""
    w = np.asarray(w, dtype=float)
    if T == 0:
        out = np.where(w < mu, 1.0, np.where(w > mu, 0.0, 0.5))
    else:
        x = (w - mu) / T
        e = np.exp(-np.abs(x))
        out = np.where(x > 0, e / (1.0 + e), 1.0 / (1.0 + e))
    return float(out) if out.ndim == 0 else out


def theta_quad(fun, dot, points=()):
    """Integral over the (common) band with w = eps + 2h cos(theta): removes the edge singularities."""
    eps, h = dot.eps_L, dot.h_L
    assert (dot.eps_R, dot.h_R) == (eps, h), "theta_quad needs identical leads"
    th = [math.acos((eps - p) / (2 * h)) for p in points if abs(p - eps) < 2 * h]
    val, err = quad(lambda t: fun(eps - 2 * h * math.cos(t)) * 2 * h * math.sin(t), 0.0, math.pi,
                    points=sorted(set(th)) or None, epsabs=1e-14, epsrel=1e-13, limit=2000)
    assert err < 1e-12
    return val


def f_ne(dot, w, muL, muR, TL, TR):
    gl, gr = float(dot.gamma(w, "L")), float(dot.gamma(w, "R"))
    return (gl * fermi(w, muL, TL) + gr * fermi(w, muR, TR)) / (gl + gr)


def kl(p, r):
    out = 0.0
    if p > 0:
        out += p * math.log(p / r)
    if p < 1:
        out += (1 - p) * math.log((1 - p) / (1 - r))
    return out


def s2(p):
    return -sum(x * math.log(x) for x in (p, 1 - p) if x > 0)


def reference(dot, muL, muR, TL, TR, mu_eq, T_eq):
    """All steady-state quantities by adaptive quadrature (identical leads, no bound states)."""
    A = lambda w: float(dot.spectral_function(w))  # noqa: E731
    tau = lambda w: float(dot.transmission(w))  # noqa: E731
    df = lambda w: fermi(w, muL, TL) - fermi(w, muR, TR)  # noqa: E731
    fne = lambda w: f_ne(dot, w, muL, muR, TL, TR)  # noqa: E731
    peak = dot.eps_qb + float(np.real(dot.self_energy(dot.eps_qb)))
    pts = (muL, muR, dot.eps_qb, mu_eq, peak)
    return {
        "I": theta_quad(lambda w: tau(w) * df(w) / (2 * math.pi), dot, pts),
        "J": theta_quad(lambda w: w * tau(w) * df(w) / (2 * math.pi), dot, pts),
        "N": theta_quad(lambda w: A(w) * fne(w), dot, pts),
        "E": theta_quad(lambda w: w * A(w) * fne(w), dot, pts),
        "S": theta_quad(lambda w: A(w) * s2(fne(w)), dot, pts),
        "X": theta_quad(lambda w: A(w) * kl(fne(w), fermi(w, mu_eq, T_eq)), dot, pts),
    }


CASES = [  # (eps_qb, v, mu_L, mu_R, T_L, T_R)
    (0.4, 0.12, 0.6, 0.1, 0.1, 0.1),
    (-0.2, 0.12, 0.1, 0.1, 0.6, 0.1),
    (0.1, 0.12, 0.35, 0.1, 0.05, 0.1),
    (0.3, 0.06, 0.8, 0.0, 0.1, 0.1),
    (1.5, 0.3, 1.2, -0.3, 0.02, 0.4),
    (1.9, 0.12, 1.95, 0.1, 0.1, 0.1),      # resonance close to the band edge
    (1.95, 0.12, 2.2, 0.1, 0.05, 0.1),
    (0.3, 0.01, 0.4, 0.1, 0.1, 0.1),       # very narrow resonance
]


@pytest.mark.parametrize("case", CASES)
def test_quadrature_matches_adaptive_reference(case):
    eps, v, muL, muR, TL, TR = case
    dot = negf.Dot(eps_qb=eps, v=v)
    ness = negf.steady_state(dot, muL, muR, TL, TR)
    ref = reference(dot, muL, muR, TL, TR, muR, TR)
    got = {"I": ness.charge_current, "J": ness.energy_current, "N": ness.occupation,
           "E": ness.energy, "S": ness.entropy, "X": ness.exergy(muR, TR)}
    for k in ref:
        assert got[k] == pytest.approx(ref[k], abs=TOL_Q), k


def test_exergy_with_separate_reference_reservoir():
    dot = negf.Dot(eps_qb=0.25, v=0.12)
    ness = negf.steady_state(dot, 0.5, 0.1, 0.15, 0.1)
    ref = reference(dot, 0.5, 0.1, 0.15, 0.1, -0.05, 0.07)
    assert ness.exergy(-0.05, 0.07) == pytest.approx(ref["X"], abs=TOL_Q)


def test_sweep_equals_pointwise():
    dot = negf.Dot(eps_qb=0.4, **PAPER)
    dmu = np.linspace(-0.3, 1.0, 7)
    sweep = negf.steady_state(dot, 0.1 + dmu, 0.1, 0.1, 0.1).exergy(0.1, 0.1)
    single = [negf.steady_state(dot, 0.1 + d, 0.1, 0.1, 0.1).exergy(0.1, 0.1) for d in dmu]
    np.testing.assert_allclose(sweep, single, atol=1e-13)
    eps = np.linspace(-0.5, 0.9, 5)
    s_eps = negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1, eps_qb=eps).entropy
    for e, s in zip(eps, s_eps):
        assert s == pytest.approx(negf.steady_state(dot.with_level(e), 0.6, 0.1, 0.1, 0.1).entropy, abs=1e-13)


def test_zero_temperature_leads_and_work_limit():
    dot = negf.Dot(eps_qb=0.3, **PAPER)
    ness = negf.steady_state(dot, 0.5, 0.0, 0.0, 0.0)
    ref = quad(lambda w: float(dot.transmission(w)) / (2 * math.pi), 0.0, 0.5, points=[0.3],
               epsabs=1e-14, epsrel=1e-13, limit=500)[0]
    assert ness.charge_current == pytest.approx(ref, abs=TOL_Q)
    w0 = ness.extractable_work(0.0, 0.0)
    assert w0 > 0
    # W(T_eq) = W(0) - T_eq S_NE + O(T_eq^2): the limit is approached linearly
    for T in (1e-3, 1e-4):
        assert ness.extractable_work(0.0, T) == pytest.approx(w0 - T * ness.entropy, abs=1e-6)
    with pytest.raises(ValueError, match="T_eq"):
        ness.exergy(0.0, 0.0)


# --------------------------------------------------------------------------- Green-function identities
W = np.linspace(-2.5, 2.5, 2001)


def test_surface_green_is_causal_and_solves_dyson():
    for eps, h in [(0.0, 1.0), (0.3, 0.7)]:
        g = negf.surface_green(W, eps, h)
        assert np.all(g.imag <= 0)
        assert np.all(np.abs(h * g) <= 1 + 1e-12)  # decaying branch
        np.testing.assert_allclose(g, 1.0 / (W - eps - h * h * g), atol=1e-12)
        outside = np.abs(W - eps) > 2 * h
        assert np.all(g.imag[outside] == 0)


def decimation(z, eps, h, tol=1e-15):
    """Sancho–Rubio decimation for the surface Green function of a semi-infinite chain."""
    es, e, a, b = eps, eps, -h + 0j, -h + 0j
    for _ in range(200):
        g = 1.0 / (z - e)
        es = es + a * g * b
        e = e + a * g * b + b * g * a
        a, b = a * g * a, b * g * b
        if abs(a) + abs(b) < tol:
            break
    return 1.0 / (z - es)


def test_surface_green_against_decimation():
    eta = 1e-9
    for w in [-3.1, -2.0001, -1.7, -0.3, 0.01, 0.45, 1.9, 2.05, 4.0]:  # (decimation is ill-conditioned at w = eps)
        ref = decimation(w + 1j * eta, 0.0, 1.0)
        assert negf.surface_green(w, 0.0, 1.0) == pytest.approx(ref, abs=1e-6)
        assert negf.decimation_surface_green(w, 0.0, 1.0, eta) == pytest.approx(ref, abs=1e-12)


def test_self_energy_kramers_kronig_and_printed_sign():
    dot = negf.Dot(eps_qb=0.0, v=0.3, h=1.0)
    for w in [-1.3, -0.4, 0.25, 1.1, 2.7]:
        pv = quad(lambda x: float(dot.gamma(x)) / (2 * math.pi), -2, 2, weight="cauchy", wvar=w,
                  epsabs=1e-13, limit=500)[0]
        assert float(np.real(dot.self_energy(w))) == pytest.approx(-pv, abs=1e-9)
    inside = np.linspace(-1.9, 1.9, 11)
    printed = negf.printed_self_energy(inside, 0.0, 1.0, 0.3)
    ours = dot.self_energy(inside, "L")
    np.testing.assert_allclose(printed.imag, ours.imag, atol=1e-14)  # same broadening
    np.testing.assert_allclose(printed.real, -ours.real, atol=1e-14)  # opposite real part


def test_spectral_identities_and_transmission_bound():
    for dot in [negf.Dot(eps_qb=0.4, **PAPER), negf.Dot(eps_qb=-0.3, v_L=0.2, v_R=0.05, h_L=1.0, h_R=0.6,
                                                          eps_L=0.1, eps_R=-0.2)]:
        G = dot.greens_function(W)
        A = dot.spectral_function(W)
        np.testing.assert_allclose(A, -G.imag / np.pi, atol=1e-12)
        np.testing.assert_allclose(A, np.abs(G) ** 2 * dot.gamma(W) / (2 * np.pi), atol=1e-12)
        tau = dot.transmission(W)
        assert np.all(tau <= 1 + 1e-12) and np.all(tau >= 0)
        assert np.all(dot.gamma(W, "L") >= 0) and np.all(dot.gamma(W, "R") >= 0)
    sym = negf.Dot(eps_qb=0.4, **PAPER)
    assert float(sym.transmission(0.4 + float(np.real(sym.self_energy(0.4))))) == pytest.approx(1.0, abs=1e-4)


def test_sum_rule_without_bound_states():
    for dot in [negf.Dot(eps_qb=e, **PAPER) for e in (-0.2, 0.1, 0.4)] + [
            negf.Dot(eps_qb=0.2, v_L=0.3, v_R=0.1, h_L=1.0, h_R=0.5, eps_L=0.0, eps_R=0.4)]:
        assert dot.bound_states() == []
        weight = dot.spectral_weight()
        assert weight["bound"] == 0.0
        assert weight["continuum"] == pytest.approx(1.0, abs=TOL_Q)
        if (dot.eps_L, dot.h_L) == (dot.eps_R, dot.h_R):
            assert theta_quad(lambda w: float(dot.spectral_function(w)), dot, (dot.eps_qb,)) == pytest.approx(
                1.0, abs=TOL_Q)
        # independent check of the normalisation: occupation at infinite bias/low level = 1
        full = negf.steady_state(dot, 50.0, 50.0, 0.1, 0.1)
        assert full.occupation == pytest.approx(1.0, abs=TOL_Q)


def test_no_bound_states_in_paper_regime():
    v, h = PAPER["v"], PAPER["h"]
    threshold = 2 * h - 2 * v * v / h  # F(band edge) = 0
    for e in np.linspace(-threshold + 1e-6, threshold - 1e-6, 41):
        assert negf.Dot(eps_qb=e, **PAPER).bound_states() == []
    assert len(negf.Dot(eps_qb=threshold + 1e-3, **PAPER).bound_states()) == 1
    assert len(negf.Dot(eps_qb=-threshold - 1e-3, **PAPER).bound_states()) == 1


# --------------------------------------------------------------------------- finite chain (exact diagonalisation)
def chain_hamiltonian(N, dot):
    """Sites: L_{N-1} ... L_0, dot, R_0 ... R_{N-1}; the dot is index N."""
    n = 2 * N + 1
    H = np.zeros((n, n))
    d = N
    for i in range(N):
        H[i, i] = dot.eps_L
        H[d + 1 + i, d + 1 + i] = dot.eps_R
    for i in range(N - 1):
        H[i, i + 1] = H[i + 1, i] = -dot.h_L
        H[d + 1 + i, d + 2 + i] = H[d + 2 + i, d + 1 + i] = -dot.h_R
    H[d, d] = dot.eps_qb
    H[d - 1, d] = H[d, d - 1] = -dot.v_L
    H[d, d + 1] = H[d + 1, d] = -dot.v_R
    return H


def lead_state(N, eps, h, mu, T):
    Hl = eps * np.eye(N) - h * (np.eye(N, k=1) + np.eye(N, k=-1))
    e, U = np.linalg.eigh(Hl)
    return (U * fermi(e, mu, T)) @ U.T


def test_bound_states_against_finite_chain_and_sum_rule():
    cases = [negf.Dot(eps_qb=2.5, v=0.5, h=1.0),
             negf.Dot(eps_qb=0.0, v=0.5, h_L=1.0, h_R=1.0, eps_L=-3.0, eps_R=3.0),  # state in a gap
             negf.Dot(eps_qb=-2.2, v_L=0.6, v_R=0.3, h_L=1.0, h_R=0.8, eps_L=0.0, eps_R=0.2)]
    for dot in cases:
        bs = dot.bound_states()
        assert len(bs) >= 1
        N = 120  # the bound state is localised: exponentially small finite-size error
        E, U = np.linalg.eigh(chain_hamiltonian(N, dot))
        for b in bs:
            k = int(np.argmin(np.abs(E - b.energy)))
            assert E[k] == pytest.approx(b.energy, abs=1e-10)
            assert U[N, k] ** 2 == pytest.approx(b.weight, abs=1e-10)
        assert dot.spectral_weight()["total"] == pytest.approx(1.0, abs=TOL_Q)
        ness = negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1)
        # equilibrium occupation includes the thermally occupied bound state
        n_chain = float(np.sum(U[N] ** 2 * fermi(E, 0.0, 0.1)))
        assert ness.occupation == pytest.approx(n_chain, abs=2e-3)


def test_bound_state_out_of_equilibrium_is_flagged():
    dot = negf.Dot(eps_qb=2.5, v=0.5)
    ness = negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1)
    assert ness.charge_current > 0  # currents never need the bound state
    with pytest.raises(ValueError, match="bound_occupation"):
        _ = ness.occupation
    z = dot.bound_states()[0].weight
    n0 = negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1, bound_occupation=0.0).occupation
    n1 = negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1, bound_occupation=1.0).occupation
    assert n1 - n0 == pytest.approx(z, abs=1e-12)


# --------------------------------------------------------------------------- real-time simulation
def evolve_column(H, rho0, d, t):
    """Column d of rho(t) = e^{-iHt} rho0 e^{iHt}, rho_ij = <c_j^dag c_i>."""
    E, U = np.linalg.eigh(H)
    rt = U.T @ rho0 @ U
    out = []
    for s in np.atleast_1d(t):
        ph = np.exp(-1j * E * s)
        out.append(U @ (ph * (rt @ (np.conj(ph) * U[d, :]))))
    return out


def rate(X, col, d):
    """<[X, rho]>-type rate i Tr(X rho) for X supported on row/column d only."""
    rest = X.copy()
    rest[d, :] = 0
    rest[:, d] = 0
    assert not np.any(rest)
    return float(np.real(1j * (X[d, :] @ col + X[:, d] @ np.conj(col))))


@pytest.mark.parametrize("eps,v,muL,muR,TL,TR,t", [
    (0.4, 0.12, 0.6, 0.1, 0.1, 0.1, 230.0),   # the paper's coupling, bias
    (-0.2, 0.2, 0.1, 0.1, 0.4, 0.1, 150.0),   # temperature gradient, hole-like current
])
def test_real_time_chain_reaches_negf_steady_state(eps, v, muL, muR, TL, TR, t):
    N = 300
    dot = negf.Dot(eps_qb=eps, v=v)
    H = chain_hamiltonian(N, dot)
    d = N
    rho0 = np.zeros_like(H)
    rho0[:N, :N] = lead_state(N, 0.0, 1.0, muL, TL)[::-1, ::-1]  # site L_0 is index N-1
    rho0[d + 1:, d + 1:] = lead_state(N, 0.0, 1.0, muR, TR)
    rho0[d, d] = 0.0  # empty dot: the initial state is forgotten (no bound state)
    col = evolve_column(H, rho0, d, t)[0]
    PL = np.diag(np.r_[np.ones(N), np.zeros(N + 1)])
    PR = np.diag(np.r_[np.zeros(N + 1), np.ones(N)])
    HL = H * np.outer(np.diag(PL), np.diag(PL))
    I_out_L = -rate(H @ PL - PL @ H, col, d)      # -dN_L/dt
    I_in_R = rate(H @ PR - PR @ H, col, d)        # +dN_R/dt
    J_out_L = -rate(H @ HL - HL @ H, col, d)      # -dH_L/dt
    n_dot = float(col[d].real)
    E_dot = eps * n_dot - v * float(col[d - 1].real + col[d + 1].real)   # eps n + <H_int>/2
    ness = negf.steady_state(dot, muL, muR, TL, TR)
    assert I_out_L == pytest.approx(ness.charge_current, abs=5e-6)
    assert I_in_R == pytest.approx(ness.charge_current, abs=5e-6)
    assert J_out_L == pytest.approx(ness.energy_current, abs=5e-6)
    assert n_dot == pytest.approx(ness.occupation, abs=2e-5)
    assert E_dot == pytest.approx(ness.energy, abs=2e-5)


def test_bound_state_remembers_initial_state():
    """Why the bound state's occupation is undefined out of equilibrium."""
    N = 150
    dot = negf.Dot(eps_qb=2.5, v=0.5)
    H = chain_hamiltonian(N, dot)
    rho0 = np.zeros_like(H)
    rho0[:N, :N] = lead_state(N, 0.0, 1.0, 0.6, 0.1)[::-1, ::-1]
    rho0[N + 1:, N + 1:] = lead_state(N, 0.0, 1.0, 0.1, 0.1)
    n_end = []
    for n0 in (0.0, 1.0):
        r = rho0.copy()
        r[N, N] = n0
        cols = evolve_column(H, r, N, [100.0, 120.0])  # before the reflection returns (t ~ N)
        n_end.append([float(c[N].real) for c in cols])
    z = dot.bound_states()[0].weight
    for k in range(2):
        assert n_end[1][k] - n_end[0][k] == pytest.approx(z * z, abs=2e-3)


# --------------------------------------------------------------------------- thermodynamics
def test_equilibrium_no_currents_no_exergy():
    dot = negf.Dot(eps_qb=0.1, **PAPER)
    mu = np.linspace(-0.5, 0.8, 9)
    ness = negf.steady_state(dot, mu, mu, 0.1, 0.1)
    assert np.all(np.abs(ness.charge_current) < 1e-15)
    assert np.all(np.abs(ness.energy_current) < 1e-15)
    np.testing.assert_allclose(ness.exergy(mu, 0.1), 0.0, atol=1e-14)
    np.testing.assert_allclose(ness.reduced_state_exergy(mu, 0.1, reference="coupled"), 0.0, atol=1e-14)
    assert np.all(ness.is_equilibrium)


def test_conservation_and_heat_bookkeeping():
    dot = negf.Dot(eps_qb=0.2, v_L=0.15, v_R=0.08, h=1.0)
    muL, muR, TL, TR = 0.5, 0.0, 0.2, 0.07
    ness = negf.steady_state(dot, muL, muR, TL, TR)
    # Meir-Wingreen current into the dot from each lead, by adaptive quadrature
    fne = lambda w: f_ne(dot, w, muL, muR, TL, TR)  # noqa: E731
    A = lambda w: float(dot.spectral_function(w))  # noqa: E731
    IL = theta_quad(lambda w: float(dot.gamma(w, "L")) * A(w) * (fermi(w, muL, TL) - fne(w)), dot, (muL, muR))
    IR = theta_quad(lambda w: float(dot.gamma(w, "R")) * A(w) * (fermi(w, muR, TR) - fne(w)), dot, (muL, muR))
    assert IL + IR == pytest.approx(0.0, abs=TOL_Q)
    assert IL == pytest.approx(ness.charge_current, abs=TOL_Q)
    joule = ness.heat_current("R") - ness.heat_current("L")
    assert joule == pytest.approx((muL - muR) * ness.charge_current, abs=1e-15)


def test_entropy_production_nonnegative_and_pointwise_form():
    dot = negf.Dot(eps_qb=0.4, **PAPER)
    dmu, dT = np.meshgrid(np.linspace(-0.6, 0.9, 16), np.linspace(-0.09, 0.8, 12))
    ness = negf.steady_state(dot, 0.1 + dmu, 0.1, 0.1 + dT, 0.1)
    assert np.all(ness.entropy_production >= -1e-15)
    assert np.all(ness.exergy(0.1, 0.1) >= -1e-14)
    # sigma = (1/2pi) int tau (f_L - f_R)[beta_R(w - mu_R) - beta_L(w - mu_L)], integrand >= 0
    muL, TL = 0.5, 0.25
    ref = theta_quad(lambda w: float(dot.transmission(w)) * (fermi(w, muL, TL) - fermi(w, 0.1, 0.1))
                     * ((w - 0.1) / 0.1 - (w - muL) / TL) / (2 * math.pi), dot, (muL, 0.1))
    assert negf.steady_state(dot, muL, 0.1, TL, 0.1).entropy_production == pytest.approx(ref, abs=TOL_Q)


def test_left_heat_current_is_strictly_increasing_in_T_L():
    """dJ_H^L/dT_L = (1/2pi) int tau (w - mu_L)^2 f_L(1 - f_L)/T_L^2 > 0: curves at different dT never cross."""
    dot = negf.Dot(eps_qb=0.4, **PAPER)
    dmu = np.linspace(-0.4, 1.0, 57)
    curves = [negf.steady_state(dot, 0.1 + dmu, 0.1, 0.1 + dT, 0.1).heat_current("L") for dT in (-0.05, 0.0, 0.05)]
    assert np.all(np.diff(np.array(curves), axis=0) > 0)
    # whereas I_Q (and J_E) curves do cross near mu_L ~ eps_qb
    cur = [negf.steady_state(dot, 0.1 + dmu, 0.1, 0.1 + dT, 0.1).charge_current for dT in (-0.05, 0.05)]
    sign = np.sign(cur[1] - cur[0])
    assert sign[0] > 0 and sign[-1] < 0


def test_heat_can_flow_from_cold_to_hot_under_bias():
    """Peltier cooling: with T_L < T_R, heat still leaves the colder left reservoir."""
    ness = negf.steady_state(negf.Dot(eps_qb=0.4, **PAPER), 0.3, 0.1, 0.05, 0.1)
    assert ness.T_L < ness.T_R and ness.heat_current("L") > 0 and ness.heat_current("R") > 0


def test_appendix_a_weak_coupling_limit_and_inequalities():
    diffs = []
    for v in (0.04, 0.02, 0.01):
        ness = negf.steady_state(negf.Dot(eps_qb=0.3, v=v), 0.4, 0.0, 0.1, 0.1)
        x, xa = ness.exergy(0.0, 0.1), ness.reduced_state_exergy(0.0, 0.1)
        s, sa = ness.entropy, ness.reduced_state_entropy
        diffs.append((abs(x - xa), abs(s - sa)))
        assert sa >= s                                              # Jensen (concave binary entropy)
        assert x >= ness.reduced_state_exergy(0.0, 0.1, reference="coupled")  # joint convexity
    diffs = np.array(diffs)
    assert diffs[-1, 0] < 5e-3 and diffs[-1, 1] < 5e-3
    np.testing.assert_allclose(diffs[:-1] / diffs[1:], 4.0, rtol=0.1)  # O(v^2) convergence
    # at equilibrium the literal (isolated-level) reference leaves an O(v^4) offset
    off = [negf.steady_state(negf.Dot(eps_qb=0.3, v=v), 0.0, 0.0, 0.1, 0.1).reduced_state_exergy(0.0, 0.1)
           for v in (0.06, 0.03)]
    assert off[0] > 1e-4 and off[0] / off[1] == pytest.approx(16.0, rel=0.1)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs,match", [
    (dict(h=0.0), "h"), (dict(h=-1.0), "h"), (dict(v=0.0), "v"), (dict(v_L=-0.1), "v_L"),
    (dict(eps_qb=float("nan")), "eps_qb"), (dict(h_R=float("inf")), "h_R"), (dict(eps_lead="x"), "eps_lead"),
])
def test_bad_dot_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        negf.Dot(**kwargs)


def test_bad_steady_state_inputs():
    dot = negf.Dot(eps_qb=0.4)
    with pytest.raises(ValueError, match="T_L"):
        negf.steady_state(dot, 0.6, 0.1, -0.1, 0.1)
    with pytest.raises(ValueError, match="mu_R"):
        negf.steady_state(dot, 0.6, float("nan"), 0.1, 0.1)
    with pytest.raises(ValueError, match="broadcast"):
        negf.steady_state(dot, np.zeros(3), np.zeros(4), 0.1, 0.1)
    with pytest.raises(ValueError, match="dot"):
        negf.steady_state("dot", 0.6, 0.1, 0.1, 0.1)
    with pytest.raises(ValueError, match="n_nodes"):
        negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1, n_nodes=2)
    with pytest.raises(ValueError, match="bound_occupation"):
        negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1, bound_occupation=1.5)
    ness = negf.steady_state(dot, 0.6, 0.1, 0.1, 0.1)
    with pytest.raises(ValueError, match="lead"):
        ness.heat_current("X")
    with pytest.raises(ValueError, match="lead"):
        dot.gamma(0.0, "middle")
    with pytest.raises(ValueError, match="T_eq"):
        ness.exergy(0.1, -0.1)
    with pytest.raises(ValueError, match="reference"):
        ness.reduced_state_exergy(0.1, 0.1, reference="other")
    with pytest.raises(ValueError, match="T_L"):
        negf.steady_state(dot, 0.6, 0.1, 0.0, 0.1).entropy_production
    with pytest.raises(ValueError, match="w"):
        dot.spectral_function([0.1, float("nan")])
    with pytest.raises(ValueError, match="band"):
        negf.printed_self_energy(3.0, 0.0, 1.0, 0.1)


# --------------------------------------------------------------------------- error control near bound-state thresholds
def threshold_reference(eps, v, h, weight=lambda w: 1.0, points=()):
    """int weight(w) A(w) dw over the band + sum_b Z_b weight(w_b), independent of negf (identical leads, eps_L = 0).

    Band in the lead momentum: w = -2h cos t (lower half) and w = 2h cos t (upper half), t in
    [0, pi/2]; G^{-1} = w - eps + v_tot^2 e^{ik}/h is written relative to the nearer edge with
    1 - cos t = 2 sin^2(t/2), so nothing cancels there, and quad gets break points graded (x4)
    on the scale |F(edge)| h / v_tot^2 of the near-edge pole. Bound states from the quadratic
    (V^2/h - h) u^2 - eps u - h = 0 for u = e^{ik}, |u| < 1, with Z = h^2 (1-u^2) / (h^2 (1-u^2) + V^2 u^2).
    """
    V2 = 2 * v * v
    total = 0.0
    for upper in (False, True):
        sgn = 1.0 if upper else -1.0
        delta = sgn * 2 * h - eps - sgn * V2 / h          # F at the edge

        def f(t, delta=delta, sgn=sgn):
            one_m = 2 * math.sin(0.5 * t) ** 2
            F = complex(delta - sgn * (2 * h - V2 / h) * one_m, V2 / h * math.sin(t))
            w = sgn * 2 * h * (1 - one_m)
            return -(1 / F).imag / math.pi * 2 * h * math.sin(t) * weight(w)

        th0 = abs(delta) * h / V2 / math.sqrt(h)
        pts = [th0 * 4.0 ** k for k in range(-3, 200) if 0 < th0 * 4.0 ** k < math.pi / 2]
        pts += [math.acos(-sgn * p / (2 * h)) for p in points if abs(p) < 2 * h]
        pts = sorted({p for p in pts if 0 < p < math.pi / 2})
        val, err = quad(f, 0, math.pi / 2, points=pts or None, epsabs=1e-14, epsrel=1e-13, limit=5000)
        assert err < 1e-12
        total += val
    a, b, c = V2 / h - h, -eps, -h
    disc = b * b - 4 * a * c
    roots = []
    if a == 0:
        roots = [-c / b]
    elif disc >= 0:
        q = -0.5 * (b + math.copysign(math.sqrt(disc), b))
        roots = [q / a, c / q]
    bound = [(-h * (u + 1 / u), h * h * (1 - u * u) / (h * h * (1 - u * u) + V2 * u * u)) for u in roots if abs(u) < 1]
    return total, bound


#: Offsets from the thresholds +-(2h - 2v^2/h): the old fixed rule was worst at ~ -2e-4 (v = 0.6),
#: -2e-3 (v = 0.8), -6e-3 (v = 1.0); round-off of energies near a band edge used to matter at ~1e-9.
THRESHOLD_OFFSETS = (-5.97e-3, -1.95e-3, -2.08e-4, -1e-6, -1e-9, 0.0, 1e-9, 1e-6, 2.08e-4, 1.95e-3)


@pytest.mark.parametrize("v", [0.6, 0.8, 1.0])
def test_sum_rule_and_equilibrium_occupation_near_thresholds(v):
    h = 1.0
    thr = 2 * h - 2 * v * v / h
    worst = 0.0
    for side in (1.0, -1.0):
        for off in THRESHOLD_OFFSETS:
            eps = side * (thr + off)
            dot = negf.Dot(eps_qb=eps, v=v, h=h)
            cont, bound = threshold_reference(eps, v, h)
            got = dot.spectral_weight()
            assert len(dot.bound_states()) == len(bound)
            for b, (wb, zb) in zip(dot.bound_states(), bound):
                assert b.energy == pytest.approx(wb, abs=1e-12)
                assert b.weight == pytest.approx(zb, abs=1e-12)   # also for Z ~ 1e-9 (pole on the edge)
            assert got["total"] == pytest.approx(1.0, abs=1e-10)
            assert got["continuum"] == pytest.approx(cont, abs=1e-10)
            for mu, T in [(0.0, 0.1), (side * 1.9, 0.1), (-0.5, 0.02)]:
                ness = negf.steady_state(dot, mu, mu, T, T)
                c_n, b_n = threshold_reference(eps, v, h, lambda w: fermi(w, mu, T), (mu, mu - T, mu + T))
                ref = c_n + sum(z * fermi(wb, mu, T) for wb, z in b_n)
                worst = max(worst, abs(ness.occupation - ref))
    assert worst < 1e-10


def test_threshold_sweep_in_the_papers_regime():
    """v = 0.12: a gate sweep straddling +-(2 - 2v^2) in one vectorised call, against the reference."""
    v, h = 0.12, 1.0
    thr = 2 * h - 2 * v * v / h
    eps = np.concatenate([thr + np.array([-3e-4, -1e-7, 1e-9, 1e-5]), -thr + np.array([-1e-6, 2e-8, 3e-4])])
    dot = negf.Dot(eps_qb=0.0, v=v, h=h)
    N = negf.steady_state(dot, 1.9, 1.9, 0.1, 0.1, eps_qb=eps).occupation
    for e, n in zip(eps, N):
        c, b = threshold_reference(e, v, h, lambda w: fermi(w, 1.9, 0.1), (1.8, 1.9, 2.0))
        assert n == pytest.approx(c + sum(z * fermi(wb, 1.9, 0.1) for wb, z in b), abs=1e-10)


def test_gauss_kronrod_rule_exactness():
    for n in (4, 7, 16, 31):
        x, wk, wg = negf._gauss_kronrod(n)
        assert x.size == 2 * n + 1 and np.all(np.diff(x) > 0) and np.all(wk > 0)
        for k in range(3 * n + 2):   # Kronrod: exact to degree 3n+1; Gauss: to 2n-1
            exact = (1 - (-1) ** (k + 1)) / (k + 1)
            assert np.dot(wk, x ** k) == pytest.approx(exact, abs=1e-13)
            if k < 2 * n:
                assert np.dot(wg, x ** k) == pytest.approx(exact, abs=1e-13)
    x, wk, _ = negf._gauss_kronrod(7)   # the classical 15-point rule
    assert x[-1] == pytest.approx(0.991455371120812639, abs=1e-15)
    assert wk[7] == pytest.approx(0.209482141084727828, abs=1e-15)


def test_tolerance_argument():
    dot = negf.Dot(eps_qb=0.718, v=0.8)
    strict = negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, tol=1e-13).occupation
    for tol in (1e-6, 1e-9):
        loose = negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, tol=tol).occupation
        assert loose == pytest.approx(strict, abs=tol)
        assert dot.spectral_weight(tol=tol)["total"] == pytest.approx(1.0, abs=tol)
    for bad in (0.0, 1e-16, 0.5, float("nan"), "x"):
        with pytest.raises(ValueError, match="tol"):
            negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, tol=bad)
        with pytest.raises(ValueError, match="tol"):
            dot.spectral_weight(tol=bad)


def test_bisection_converges_and_unconverged_integral_warns(monkeypatch):
    dot = negf.Dot(eps_qb=0.0, v=0.5)
    ref = negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1).occupation
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a crude rule converges by bisection
        assert negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, n_nodes=8).occupation == pytest.approx(ref, abs=1e-11)
    monkeypatch.setattr(negf._quadrature, "MAX_LEVELS", 0)   # no bisection at all
    with pytest.warns(RuntimeWarning, match="did not reach tol"):
        negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, n_nodes=8).occupation
    monkeypatch.setattr(negf._quadrature, "MAX_LEVELS", 60)
    monkeypatch.setattr(negf._quadrature, "MAX_CHUNK_PIECES", 40)   # memory cap reached first: warns, does not grow
    with pytest.warns(RuntimeWarning, match="did not reach tol"):
        negf.steady_state(dot, 0.0, 0.0, 0.1, 0.1, n_nodes=8).occupation


# --------------------------------------------------------------------------- memory-bounded sweeps
def _sweep_values(dot):
    eps = np.array([[-1.2, 0.1, 0.4, 1.28 - 2.08e-4], [1.28 + 1e-9, 0.3, -0.5, 2.5]])
    ness = negf.steady_state(dot, 0.1 + np.array([[0.5], [-0.2]]), 0.1, np.array([0.15, 0.0, 0.1, 0.1]), 0.1,
                             eps_qb=eps, bound_occupation=0.3)
    return [ness.charge_current, ness.energy_current, ness.occupation, ness.energy, ness.entropy,
            ness.exergy(0.1, 0.1), ness.exergy(-0.2, 0.07), ness.extractable_work(0.0, 0.0), ness.rho]


def test_chunked_sweep_is_identical_to_unchunked(monkeypatch):
    dot = negf.Dot(v=0.6)
    whole = _sweep_values(dot)
    monkeypatch.setattr(negf._quadrature, "CHUNK_POINTS", 3)    # 8 points: 3 chunks
    monkeypatch.setattr(negf._quadrature, "CHUNK_NODES", 100)   # 3 pieces per vectorised batch
    chunked = _sweep_values(dot)
    for a, b in zip(whole, chunked):
        assert np.array_equal(a, b)


def test_sweep_memory_is_bounded():
    import tracemalloc
    dot = negf.Dot(eps_qb=0.4, **PAPER)
    mu = 0.1 + np.linspace(-0.4, 1.0, 20000)
    tracemalloc.start()
    try:
        negf.steady_state(dot, mu, 0.1, 0.15, 0.1).exergy(0.1, 0.1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2 ** 20   # the unchunked grid took ~1 GB here


# --------------------------------------------------------------------------- common steady-state interface
def test_common_steady_state_interface():
    from qbcore import thermo
    dot = negf.Dot(eps_qb=0.4, **PAPER)
    mu = np.array([-0.3, 0.1, 0.4, 0.6, 1.0])   # empty ... nearly full level
    ness = negf.steady_state(dot, mu, mu, 0.1, 0.1)
    N = ness.occupation
    assert N[0] < 0.5 < N[-1]
    assert ness.rho.shape == (5, 2, 2) and ness.H.shape == (5, 2, 2)
    for i in range(5):
        rho, H = ness.rho[i], ness.H[i]
        np.testing.assert_array_equal(rho, np.diag([1 - N[i], N[i]]))
        np.testing.assert_array_equal(H, np.diag([0.0, 0.4]))
        assert ness.ergotropy[i] == pytest.approx(thermo.ergotropy(rho, H), abs=1e-15)
        expected = 0.4 * (2 * N[i] - 1) if N[i] > 0.5 else 0.0
        assert ness.ergotropy[i] == pytest.approx(expected, abs=1e-15)
        if N[i] <= 0.5:
            assert ness.ergotropy[i] == 0.0
        assert ness.level_energy[i] == pytest.approx(np.trace(rho @ H), abs=1e-15)
    np.testing.assert_array_equal(ness.energies, np.tile([0.0, 0.4], (5, 1)))
    np.testing.assert_array_equal(ness.populations, np.stack([1 - N, N], axis=1))
    np.testing.assert_array_equal(ness.min_eigenvalue, np.minimum(N, 1 - N))
    assert ness.kernel_dim == 1 and ness.is_unique and np.all(ness.is_positive)
    # `energy` keeps the paper's eq. (11): it is not Tr(rho H) = eps N
    assert np.all(np.abs(ness.energy - ness.level_energy) > 1e-4)
    # a single point gives plain matrices and floats; a negative level orders the basis by energy,
    # and its ergotropy is |eps| (1 - 2N) when the (lower) occupied level holds less than half
    for mu in (0.1, -0.5):
        one = negf.steady_state(negf.Dot(eps_qb=-0.2, **PAPER), mu, mu, 0.1, 0.1)
        n = one.occupation
        assert isinstance(one.ergotropy, float) and isinstance(one.is_positive, bool)
        np.testing.assert_array_equal(one.energies, [-0.2, 0.0])
        np.testing.assert_array_equal(one.populations, [n, 1 - n])
        assert one.ergotropy == pytest.approx(thermo.ergotropy(one.rho, one.H), abs=1e-15)
        assert one.ergotropy == pytest.approx(max(0.0, 0.2 * (1 - 2 * n)), abs=1e-15)
        assert (one.ergotropy > 0) == (n < 0.5)
        assert one.stored_energy == pytest.approx(-0.2 * n + 0.2, abs=1e-15)
        assert one.reduced_state_entropy == pytest.approx(thermo.von_neumann_entropy(one.rho), abs=1e-12)


# --------------------------------------------------------------------------- valid parameter range
RANGE_CASES = [
    (lambda: negf.Dot(eps_qb=1e300), "eps_qb"),
    (lambda: negf.Dot(eps_qb=-2e6), r"eps_qb must lie in \[-1e\+06 h, 1e\+06 h\]"),
    (lambda: negf.Dot(eps_lead=1e300), "eps_lead"),
    (lambda: negf.Dot(eps_R=-1e7), "eps_R"),
    (lambda: negf.Dot(v=1e300), r"v must lie in \[0.001 h, 100 h\]"),
    (lambda: negf.Dot(v=1e-5), "v must lie in"),
    (lambda: negf.Dot(v_R=200.0), "v_R"),
    (lambda: negf.Dot(h=1e300), r"h must lie in \[1e-06, 1e\+06\]"),
    (lambda: negf.Dot(h=1e-300, v=1e-301), "h must lie in"),
    (lambda: negf.Dot(h_L=1.0, h_R=1e-4, v_R=1e-5), "h_L and h_R"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 0.1, 0.1, eps_qb=1e300), "eps_qb"),
    (lambda: negf.steady_state(negf.Dot(), 1e300, 0.1, 0.1, 0.1), "mu_L"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, [0.0, -1e7], 0.1, 0.1), "mu_R"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 1e300, 0.1), r"T_L must be 0 or lie in \[1e-12 h, 1e\+06 h\]"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 0.1, 1e-300), "T_R must be 0 or lie in"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 0.1, 0.1).exergy(1e300, 0.1), "mu_eq"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 0.1, 0.1).exergy(0.1, 1e300), "T_eq"),
    (lambda: negf.steady_state(negf.Dot(), 0.1, 0.1, 0.1, 0.1).extractable_work(0.1, 1e-20), "T_eq"),
    (lambda: negf.optimal_level(negf.Dot(), 1e300, 0.1, 0.1, 0.1, 0.1, 0.1), "mu_L"),
    (lambda: negf.Dot().spectral_function(1e300), "w must lie in"),
    (lambda: negf.Dot().bound_states(1e300), "eps_qb"),
    (lambda: negf.surface_green(1e300, 0.0, 1.0), "w"),
    (lambda: negf.surface_green(0.0, 0.0, 1e300), "h"),
    (lambda: negf.decimation_surface_green(1e300, 0.0, 1.0), "w"),
    (lambda: negf.binary_entropy(1.5), r"p must lie in \[0, 1\]"),
    (lambda: negf.bernoulli_relative_entropy(0.5, 0.5, 0.1, -1.0), "log_r"),
]


@pytest.mark.parametrize("k", range(len(RANGE_CASES)))
def test_out_of_range_input_raises_before_any_overflow(k):
    call, match = RANGE_CASES[k]
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no overflow warning first, no silent 0.0
        with pytest.raises(ValueError, match=match):
            call()


def test_edges_of_the_valid_range_are_accurate():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for kw in [dict(eps_qb=1e6), dict(eps_qb=-1e6, v=100.0), dict(eps_qb=0.3, v=1e-3),
                   dict(eps_qb=3e-7, v=1.2e-7, h=1e-6), dict(eps_qb=3e5, v=1.2e5, h=1e6),
                   dict(eps_qb=0.0, v_L=0.5, v_R=1e-3, h_L=1.0, h_R=1e-3, eps_L=0.0, eps_R=0.5),
                   dict(eps_qb=0.0, v=0.5, eps_L=-1e6, eps_R=1e6)]:
            dot = negf.Dot(**kw)
            h = dot.energy_scale
            assert dot.spectral_weight()["total"] == pytest.approx(1.0, abs=1e-10)
            for mu, T in [(0.0, 0.1 * h), (0.3 * h, 1e-12 * h), (0.0, 1e6 * h), (-1e6 * h, 0.0)]:
                n = negf.steady_state(dot, mu, mu, T, T).occupation
                assert -1e-10 <= n <= 1 + 1e-10
            ness = negf.steady_state(dot, 0.5 * h, -0.2 * h, 1e-12 * h, 0.3 * h, bound_occupation=0.5)
            assert np.isfinite([ness.charge_current, ness.energy_current, ness.entropy, ness.exergy(0.0, 0.1 * h),
                                ness.entropy_production]).all()


def test_scale_invariance():
    """Energies in other units: every quantity scales with its power of h."""
    a = negf.steady_state(negf.Dot(eps_qb=0.4, **PAPER), 0.6, 0.1, 0.15, 0.1)
    s = 1e3
    b = negf.steady_state(negf.Dot(eps_qb=0.4 * s, v=0.12 * s, h=s), 0.6 * s, 0.1 * s, 0.15 * s, 0.1 * s)
    assert b.charge_current == pytest.approx(s * a.charge_current, rel=1e-10)
    assert b.energy_current == pytest.approx(s * s * a.energy_current, rel=1e-10)
    assert b.occupation == pytest.approx(a.occupation, rel=1e-10)
    assert b.exergy(0.1 * s, 0.1 * s) == pytest.approx(a.exergy(0.1, 0.1), rel=1e-10)


# --------------------------------------------------------------------------- documentation
def test_public_names_and_methods_have_numpy_docstrings():
    import inspect
    missing = []
    for name in negf.__all__:
        obj = getattr(negf, name)
        members = [(name, obj)]
        if inspect.isclass(obj):
            members += [(f"{name}.{m}", v) for m, v in vars(obj).items() if not m.startswith("_")]
        for label, member in members:
            if isinstance(member, property):
                if not (member.__doc__ or "").strip():
                    missing.append(f"{label}: no docstring")
                continue
            if not (inspect.isfunction(member) or inspect.isclass(member)):
                continue
            doc = inspect.getdoc(member) or ""
            params = [p for p in inspect.signature(member).parameters if p not in ("self", "cls")]
            if params and "Parameters" not in doc:
                missing.append(f"{label}: no Parameters")
            if inspect.isfunction(member):
                if inspect.signature(member).return_annotation not in (None, "None", inspect.Signature.empty) \
                        and "Returns" not in doc:
                    missing.append(f"{label}: no Returns")
                if "raise ValueError" in inspect.getsource(member) and "Raises" not in doc:
                    missing.append(f"{label}: no Raises")
    assert not missing, "; ".join(missing)
