"""XXZ spin-chain battery (qbcore.models.spin_chain; Mojaveri et al., PRA 109, 042619).

Independent routes: hand-built eigen-operator collapse operators fed to qutip.steadystate,
the analytic eigenvectors of eqs. 2 and 21, the (corrected) closed form eqs. 13-14, the core's
thermodynamic functions, an explicit local-unitary symmetry, and the batched sweep against the
single-point Liouvillian path.
"""
import itertools

import numpy as np
import pytest
import qutip as qt

from qbcore import master, thermo
from qbcore.models import spin_chain as sc

B0 = {2: 2.0, 3: 5.0}
SETTINGS = [(0, True), (1, True), (1, False)]


def _sx(n, i):
    return master.spin_operators(n)["sx"][i].real


# --------------------------------------------------------------------------- spectrum
@pytest.mark.parametrize("n,J,Delta", [(2, 1.0, 0.5), (2, -1.0, -0.3), (2, 0.7, 1.0), (3, 1.0, 0.4),
                                       (3, -1.0, -0.7), (3, 1.0, 0.0)])
def test_paper_eigenstates_diagonalise_H(n, J, Delta):
    H = sc.hamiltonian(n, B0[n], J, Delta)
    E, Vp = sc.paper_eigenstates(n, B0[n], J, Delta)
    np.testing.assert_allclose(H @ Vp, Vp * E, atol=1e-12)
    np.testing.assert_allclose(Vp.T @ Vp, np.eye(2 ** n), atol=1e-12)
    Es, U, ups = sc.eigenbasis(n, B0[n], J, Delta)
    np.testing.assert_allclose(np.sort(E), Es, atol=1e-12)
    # sector-resolved eigenvectors: each has a definite number of up spins
    M = sum(master.spin_operators(n)["sz"]).real
    np.testing.assert_allclose(np.einsum("ij,ik,kj->j", U, M, U), 2 * ups - n, atol=1e-12)


def test_hamiltonian_matrix_eq3():
    """Eq. 3 in the bare basis |11>, |10>, |01>, |00> (paper's 1 = up = QuTiP state 0)."""
    Bz, J, D = 2.0, 0.8, 0.3
    ref = np.array([[(D + 2 * Bz) / 2, 0, 0, 0], [0, -D / 2, J, 0], [0, J, -D / 2, 0], [0, 0, 0, (D - 2 * Bz) / 2]])
    np.testing.assert_allclose(sc.hamiltonian(2, Bz, J, D), ref, atol=1e-14)


# --------------------------------------------------------------------------- independent qutip route
def _qutip_ness(n, Bz, J, Delta, T_L, T_R, eps, collective):
    """Eigen-operator collapse operators built here from numpy.linalg.eigh (no qbcore.master)."""
    H = sc.hamiltonian(n, Bz, J, Delta)
    E, U = np.linalg.eigh(H)
    left = [_sx(n, 0) + eps * _sx(n, n - 1)] if (collective or eps == 0) else [_sx(n, 0), _sx(n, n - 1)]
    ops = [(X, T_L) for X in left] + [(_sx(n, n - 1), T_R)]
    om = E[None, :] - E[:, None]                    # om[i, j] = E_j - E_i
    freqs = np.unique(np.round(om[om > 1e-7], 9))
    c_ops = []
    for X, T in ops:
        Xe = U.T @ X @ U
        for w in freqs:
            A = U @ np.where(np.abs(om - w) < 1e-7, Xe, 0.0) @ U.T
            if np.abs(A).max() < 1e-12:
                continue
            nb = 1.0 / np.expm1(w / T) if T > 0 else 0.0
            c_ops.append(np.sqrt(w * (1 + nb)) * qt.Qobj(A))
            if nb > 0:
                c_ops.append(np.sqrt(w * nb) * qt.Qobj(A.T))
    return qt.steadystate(qt.Qobj(H), c_ops).full()


@pytest.mark.parametrize("n,J,Delta,T_L,T_R", [(2, 1.0, 0.5, 4.0, 0.3), (2, -1.0, -0.5, 30.0, 10.0),
                                               (2, 1.0, -0.2, 0.5, 3.5), (3, 1.0, 0.4, 4.0, 0.5),
                                               (3, -1.0, -0.6, 1.0, 3.0), (3, 1.0, 0.9, 30.0, 10.0)])
@pytest.mark.parametrize("eps,collective", SETTINGS)
def test_steady_state_matches_qutip_steadystate(n, J, Delta, T_L, T_R, eps, collective):
    rho_q = _qutip_ness(n, B0[n], J, Delta, T_L, T_R, eps, collective)
    ss = sc.steady_state(n, B0[n], J, Delta, T_L, T_R, eps, collective, kappa=1.0)
    np.testing.assert_allclose(ss.rho, rho_q, atol=1e-9)
    assert ss.kernel_dim == 1 and ss.is_positive
    assert ss.extra["coherence"] < 1e-12          # diagonal in the eigenbasis (Appendix C)


def test_kappa_does_not_change_the_steady_state():
    a = sc.steady_state(3, 5.0, 1.0, 0.3, 6.0, 1.0, 1, True, kappa=1e-3)
    b = sc.steady_state(3, 5.0, 1.0, 0.3, 6.0, 1.0, 1, True, kappa=0.7)
    np.testing.assert_allclose(a.rho, b.rho, atol=1e-12)


# --------------------------------------------------------------------------- closed form (eqs. 13-14)
@pytest.mark.parametrize("eps,collective", SETTINGS)
def test_corrected_closed_form_matches_numerics(eps, collective):
    for J, D, TL, TR in itertools.product((1.0, -1.0), (-0.9, -0.4, 0.0, 0.35, 0.95), (0.0, 1.0, 7.0), (0.2, 3.0)):
        pf = sc.closed_form_two_spin(2.0, J, D, TL, TR, eps, collective)
        ss = sc.steady_state(2, 2.0, J, D, TL, TR, eps, collective)
        np.testing.assert_allclose(pf, ss.extra["paper_populations"], atol=1e-12)


def test_printed_rate_factor_departs_only_for_the_phi4_ground_channel():
    """Eq. 12's (eps + (-1)^j)^2 read with the labels A41, E41 of eq. 14 gives (eps-1)^2 for
    Phi1 <-> Phi4; the eigen-operators give (eps+1)^2. Equal at eps = 0."""
    args = (2.0, 1.0, 0.4, 5.0, 1.0)
    for eps in (0, 1):
        pr, ei = sc.printed_rates_two_spin(*args, eps), sc.eigen_rates_two_spin(*args, eps)
        for k in ("31", "23", "24"):
            np.testing.assert_allclose(pr[k], ei[k], rtol=1e-14)
        assert np.allclose(pr["41"], ei["41"], rtol=1e-14) == (eps == 0)
    printed = sc.printed_closed_form_two_spin(sc.printed_rates_two_spin(*args, 1))
    assert np.abs(printed - sc.closed_form_two_spin(*args, 1)).max() > 0.05
    # eq. 18 (no collective term): printed 2*kappa*omega on the left, eigen-operators kappa*omega
    pr, ei = sc.printed_rates_two_spin(*args, 1, False), sc.eigen_rates_two_spin(*args, 1, False)
    w = 2.0 + 0.4 + 1.0                              # omega_23 = B0 + Delta + J
    n_l = 1.0 / np.expm1(w / 5.0)
    assert np.isclose(pr["23"][0] - ei["23"][0], 0.01 * w * n_l, rtol=1e-12)


# --------------------------------------------------------------------------- passivity (Appendix A, Sec. IV)
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("J", [1.0, -1.0])
def test_passive_without_collective_dissipation(n, J):
    for T_M in (0.5, 2.0, 20.0):
        for eps, coll in ((0, True), (1, False)):
            _, _, sw = sc.delta_dT_map(n, B0[n], J, T_M, eps, coll, n_delta=41, n_dT=41)
            assert sw.unique.all()
            assert sw.ergotropy.max() < 1e-12
            # passive: populations non-increasing with energy
            assert np.all(np.diff(sw.spectrum, axis=-1) <= 1e-12) or \
                np.all(np.diff(sw.populations, axis=-1) <= 1e-12)


@pytest.mark.parametrize("n", [2, 3])
def test_collective_dissipation_activates(n):
    _, dT, sw = sc.delta_dT_map(n, B0[n], 1.0, 2.0, 1, True, n_delta=41, n_dT=41)
    assert sw.ergotropy[-1].max() > 0.1                  # Delta T = 2 T_M
    assert sw.ergotropy[dT == 0].max() < 1e-12           # equilibrium: Gibbs, passive


# --------------------------------------------------------------------------- thermodynamic invariants
@pytest.mark.parametrize("n,J,D,TL,TR,eps,coll", [(2, 1.0, 0.5, 4.0, 0.0, 1, True), (2, -1.0, -0.2, 38.0, 2.0, 1, True),
                                                  (2, 1.0, 0.3, 1.0, 3.0, 0, True), (3, 1.0, 0.2, 9.0, 1.0, 1, True),
                                                  (3, -1.0, 0.7, 2.0, 2.0, 1, False)])
def test_energy_ergotropy_exergy_invariants(n, J, D, TL, TR, eps, coll):
    ss = sc.steady_state(n, B0[n], J, D, TL, TR, eps, coll)
    stored = sc.stored_energy(ss, normalized=False)
    assert np.isclose(np.trace(ss.rho).real, 1.0, atol=1e-12) and ss.min_eigenvalue > -1e-12
    assert -1e-12 <= ss.ergotropy <= stored + 1e-12
    assert 0.0 <= sc.stored_energy(ss) <= 1.0
    assert np.isclose(sc.stored_energy(ss), stored / (ss.energies[-1] - ss.energies[0]))
    for T in (0.0, TR, 1.7):
        ex, tot = sc.exergy(ss, T), sc.total_exergy(ss, T)
        assert ex >= -1e-12 and tot >= ss.ergotropy - 1e-12
        assert np.isclose(tot, thermo.exergy(ss.rho, ss.H, T), atol=1e-10)
        assert np.isclose(ex, thermo.exergy(thermo.passive_state(ss.rho, ss.H), ss.H, T), atol=1e-10)
    assert np.isclose(sc.exergy(ss, 0.0), stored - ss.ergotropy, atol=1e-12)


def test_equilibrium_is_gibbs_with_zero_exergy():
    for n in (2, 3):
        ss = sc.steady_state(n, B0[n], 1.0, 0.3, 2.5, 2.5, 1, True)
        np.testing.assert_allclose(ss.rho, thermo.gibbs_state(ss.H, 2.5), atol=1e-12)
        assert abs(sc.exergy(ss, 2.5)) < 1e-12 and ss.ergotropy < 1e-12
        assert sc.exergy(ss, 1.0) > 1e-3


# --------------------------------------------------------------------------- J -> -J
@pytest.mark.parametrize("n", [2, 3])
def test_local_unitary_maps_J_to_minus_J(n):
    U = sc.symmetry_unitary(n)
    np.testing.assert_allclose(U @ sc.hamiltonian(n, 2.0, 0.7, 0.3) @ U.T, sc.hamiltonian(n, 2.0, -0.7, 0.3), atol=1e-14)
    np.testing.assert_allclose(U @ _sx(n, 0) @ U.T, _sx(n, 0), atol=1e-14)
    sign = 1.0 if n % 2 else -1.0
    np.testing.assert_allclose(U @ _sx(n, n - 1) @ U.T, sign * _sx(n, n - 1), atol=1e-14)


@pytest.mark.parametrize("n,eps,coll", [(2, 0, True), (2, 1, False), (3, 0, True), (3, 1, True), (3, 1, False)])
def test_ferro_equals_antiferro_where_symmetric(n, eps, coll):
    a = sc.delta_dT_map(n, B0[n], 1.0, 2.0, eps, coll, n_delta=21, n_dT=21)[2]
    b = sc.delta_dT_map(n, B0[n], -1.0, 2.0, eps, coll, n_delta=21, n_dT=21)[2]
    np.testing.assert_allclose(a.populations, b.populations, atol=1e-13)
    np.testing.assert_allclose(a.ergotropy, b.ergotropy, atol=1e-13)


def test_two_spin_collective_J_sign_equals_relative_coupling_sign():
    """J -> -J with sigma_x1 + sigma_x2 equals J with sigma_x1 - sigma_x2 (built here through the core)."""
    from qbcore.baths import Bath, ohmic
    a = sc.steady_state(2, 2.0, -1.0, 0.4, 4.0, 0.5, 1, True)
    H = sc.hamiltonian(2, 2.0, 1.0, 0.4)
    cps = [master.Coupling(_sx(2, 0) - _sx(2, 1), Bath("boson", 4.0, J=ohmic(0.01))),
           master.Coupling(_sx(2, 1), Bath("boson", 0.5, J=ohmic(0.01)))]
    b = master.steady_state(master.global_lindblad(H, cps), H)
    assert np.isclose(a.energy, b.energy, atol=1e-12) and np.isclose(a.ergotropy, b.ergotropy, atol=1e-12)
    c = sc.steady_state(2, 2.0, 1.0, 0.4, 4.0, 0.5, 1, True)
    assert abs(c.ergotropy - a.ergotropy) > 1e-3        # the sign of J matters here


# --------------------------------------------------------------------------- sweep == single point
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("J", [1.0, -1.0])
@pytest.mark.parametrize("zf", ["limit", "drop"])
def test_sweep_equals_single_point(n, J, zf):
    for eps, coll in SETTINGS:
        D, dT, sw = sc.delta_dT_map(n, B0[n], J, 2.0, eps, coll, n_delta=5, n_dT=5, zero_frequency=zf)
        for i, j in [(0, 0), (4, 4), (0, 4), (4, 0), (2, 2), (1, 3)]:
            ss = sc.steady_state(n, B0[n], J, D[j], sw.params["T_L"][i, 0], sw.params["T_R"][i, 0], eps, coll,
                                 zero_frequency=zf)
            assert abs(ss.energy - sw.energy[i, j]) < 1e-10
            assert abs(ss.ergotropy - sw.ergotropy[i, j]) < 1e-10
            np.testing.assert_allclose(ss.populations, sw.populations[i, j], atol=1e-10)
            np.testing.assert_allclose(ss.extra["paper_populations"], sw.paper_populations[i, j], atol=1e-10)


def test_batched_liouvillian_equals_core_in_eigenbasis():
    for n, D in ((2, 1.0), (2, -1.0), (2, 0.0), (3, 0.0), (3, 0.37)):
        p = sc.validate(n, B0[n], 1.0, D, 3.0, 0.5, 1, True)
        H = sc.hamiltonian(n, p.B0, p.J, p.Delta)
        L = master.global_lindblad(H, sc.bath_couplings(p))
        _, U, _ = sc.eigenbasis(n, p.B0, p.J, p.Delta)
        S = np.kron(U.T, U.T)
        np.testing.assert_allclose(sc.liouvillian_batch(n, p.B0, p.J, p.Delta, 3.0, 0.5)[0], S @ L @ S.T, atol=1e-12)


def test_sweep_fallback_for_degenerate_levels_with_a_common_neighbour():
    """Three spins at B0 = (3 Delta + alpha)/4: |000> crosses Psi_6, both neighbours of Psi_5."""
    D = 0.5
    Bz = (3 * D + np.sqrt(D * D + 8)) / 4
    assert len(sc.level_crossings(3, Bz, 1.0, D)) == 1
    for TL, TR in ((4.0, 1.0), (0.3, 2.0)):
        sw = sc.sweep(3, Bz, 1.0, D, TL, TR, 1, True)
        assert sw.method == "liouvillian" and sw.unique
        ss = sc.steady_state(3, Bz, 1.0, D, TL, TR, 1, True)
        assert abs(ss.energy - sw.energy) < 1e-10 and abs(ss.ergotropy - sw.ergotropy) < 1e-10
        # the rate equation alone would not be exact here: populations feed a coherence
        assert ss.extra["coherence"] > 1e-6
    # J = 0: the middle spin never relaxes, the kernel is degenerate -> flagged, paper's initial state used
    sw0 = sc.sweep(3, 5.0, 0.0, 0.3, 4.0, 1.0, 1, True, paper_labels=False)
    assert sw0.method == "liouvillian" and not sw0.unique
    ss0 = sc.steady_state(3, 5.0, 0.0, 0.3, 4.0, 1.0, 1, True, initial="ground")
    assert abs(ss0.energy - sw0.energy) < 1e-10


# --------------------------------------------------------------------------- crossings and uniqueness
def test_corners_are_level_crossings_and_limit_is_continuous():
    for J, D in itertools.product((1.0, -1.0), (1.0, -1.0)):
        assert len(sc.level_crossings(2, 2.0, J, D)) == 1
        for TL, TR in ((3.0, 1.0), (0.5, 3.5)):
            at = sc.sweep(2, 2.0, J, D, TL, TR, 1, True)
            near = sc.sweep(2, 2.0, J, D * (1 - 1e-7), TL, TR, 1, True)
            assert abs(at.energy - near.energy) < 1e-5 and abs(at.ergotropy - near.ergotropy) < 1e-5
    drop = sc.sweep(2, 2.0, 1.0, -1.0, 4.0, 0.0, 1, True, zero_frequency="drop")
    lim = sc.sweep(2, 2.0, 1.0, -1.0, 4.0, 0.0, 1, True)
    assert drop.ergotropy - lim.ergotropy > 0.1          # "drop": a jump at the crossing


def test_both_baths_at_zero_with_degenerate_ground_is_not_unique():
    # the message's advice (initial='ground') is what the next line does
    with pytest.raises(master.NonUniqueSteadyStateError, match=r"kernel dimension 4\);.*Pass initial='ground'"):
        sc.steady_state(2, 2.0, 1.0, 1.0, 0.0, 0.0, 1, True)
    ss = sc.steady_state(2, 2.0, 1.0, 1.0, 0.0, 0.0, 1, True, initial="ground")
    assert ss.kernel_dim == 4 and abs(sc.stored_energy(ss)) < 1e-12   # all states on the ground doublet
    sw = sc.sweep(2, 2.0, 1.0, 1.0, 0.0, 0.0, 1, True)
    assert not sw.unique and abs(sw.energy - ss.energy) < 1e-10


@pytest.mark.parametrize("n,N", [(2, 101), (3, 17)])
def test_liouvillian_kernel_is_one_dimensional_on_paper_grids(n, N):
    for J, (eps, coll), T_M in itertools.product((1.0, -1.0), SETTINGS, (2.0, 20.0)):
        D = np.linspace(-1, 1, N)
        dT = np.linspace(-2 * T_M, 2 * T_M, N)
        Ls = sc.liouvillian_batch(n, B0[n], J, D[None, :], (T_M + dT / 2)[:, None], (T_M - dT / 2)[:, None], eps, coll)
        assert np.all(sc.kernel_dimensions(Ls) == 1)


# --------------------------------------------------------------------------- three-spin appendix B
def test_three_spin_printed_rates_against_eigen_operators():
    Bz, J, D, TL, TR = 5.0, 1.0, 0.4, 6.0, 1.0
    E, Vp = sc.paper_eigenstates(3, Bz, J, D)
    X1, X3 = _sx(3, 0), _sx(3, 2)
    XL, XR = Vp.T @ (X1 + X3) @ Vp, Vp.T @ X3 @ Vp
    pr = sc.printed_rates_three_spin(Bz, J, D, TL, TR, eps=1, kappa=1.0)
    wrong = set()
    for key, (w, em, _) in pr.items():
        i, j = int(key[0]) - 1, int(key[1]) - 1
        ref = w * (XL[i, j] ** 2 * (1 + 1 / np.expm1(w / TL)) + XR[i, j] ** 2 * (1 + 1 / np.expm1(w / TR)))
        if not np.isclose(em, ref, rtol=1e-10):
            wrong.add(key)
    # eq. 27 gives 1/2 to every right-bath channel; only 1<->3 and 2<->4 really have |<|sx3|>|^2 = 1/2
    assert wrong == set(pr) - {"13", "42"}
    # allowed channels the paper never lists (Psi_3 = |000> to Psi_5, Psi_7)
    assert XL[4, 2] ** 2 > 0.1 and XL[6, 2] ** 2 > 0.1
    # B9 prints x^2; the eigen-operators give x^4
    a = (D + np.sqrt(D * D + 8)) / J
    x2 = 1 / (a * a + 8)
    assert np.isclose(XL[5, 4] ** 2, 16 * 4 * a * a * x2 ** 2, rtol=1e-12)
    # left-bath part alone (printed emission minus eq. 27's right part): only B9 (and B3's
    # n_L(omega_61) typo, visible at eps = 0) depart from the eigen-operators
    for eps, expect in ((1, {"65"}), (0, {"65", "81"})):
        XLe = Vp.T @ (X1 + eps * X3) @ Vp
        pr = sc.printed_rates_three_spin(Bz, J, D, TL, TR, eps=eps, kappa=1.0)
        bad = set()
        for key, (w, em, _) in pr.items():
            i, j = int(key[0]) - 1, int(key[1]) - 1
            left = em - 0.5 * w * (1 + 1 / np.expm1(w / TR))
            if not np.isclose(left, w * XLe[i, j] ** 2 * (1 + 1 / np.expm1(w / TL)), rtol=1e-10, atol=1e-14):
                bad.add(key)
        assert bad == expect


def test_printed_three_spin_set_cannot_give_fig12():
    """With the printed channels the ground state Psi_3 is a trap at T_R = 0 (eps = 1) and the
    symmetric setting is active: the opposite of Fig. 12(b)."""
    p, unique = sc.printed_steady_three_spin(5.0, 1.0, 0.3, 4.0, 0.0, eps=1)
    assert unique and p[2] > 1 - 1e-12
    p0, _ = sc.printed_steady_three_spin(5.0, 1.0, 0.3, 4.0, 0.0, eps=0)
    E, _ = sc.paper_eigenstates(3, 5.0, 1.0, 0.3)
    assert p0 @ E - np.sort(p0)[::-1] @ np.sort(E) > 0.01
    ours = sc.steady_state(3, 5.0, 1.0, 0.3, 4.0, 0.0, 1, True)
    assert ours.ergotropy > 0.1


# --------------------------------------------------------------------------- common SteadyState interface
@pytest.mark.parametrize("args", [(2, 2.0, 1.0, 0.5, 4.0, 0.0, 1, True), (2, 2.0, -1.0, 0.4, 4.0, 0.5, 1, True),
                                  (3, 5.0, 1.0, 0.5, 4.0, 0.0, 1, True)])
def test_steady_state_has_the_common_fields_and_thermo_ergotropy(args):
    """Collective charging points (hot left bath): rho, H, energy, ergotropy, populations, kernel_dim,
    min_eigenvalue, is_positive, with ergotropy == thermo.ergotropy(rho, H)."""
    ss = sc.steady_state(*args)
    d = 2 ** args[0]
    assert ss.rho.shape == ss.H.shape == (d, d)
    np.testing.assert_allclose(ss.H, sc.hamiltonian(*args[:4]))
    assert ss.kernel_dim == 1 and ss.is_positive and ss.min_eigenvalue >= -1e-12
    assert ss.populations.shape == (d,) and abs(ss.populations.sum() - 1) < 1e-12
    assert ss.energy == pytest.approx(thermo.energy(ss.rho, ss.H), abs=1e-12)
    assert ss.ergotropy > 1e-3
    assert ss.ergotropy == pytest.approx(thermo.ergotropy(ss.rho, ss.H), abs=1e-12)


def test_delta_dT_map_keywords_reach_sweep():
    """delta_dT_map's explicit keywords (kappa, zero_frequency, paper_labels) are those of sweep."""
    D, dT, sw = sc.delta_dT_map(2, 2.0, 1.0, 2.0, 1, True, n_delta=5, n_dT=3, kappa=0.5, zero_frequency="drop",
                                paper_labels=False)
    assert sw.paper_populations is None and sw.params["kappa"] == 0.5 and sw.params["zero_frequency"] == "drop"
    ref = sc.sweep(2, 2.0, 1.0, D[None, :], (2.0 + dT / 2)[:, None], (2.0 - dT / 2)[:, None], 1, True, 0.5,
                   zero_frequency="drop")
    np.testing.assert_allclose(sw.ergotropy, ref.ergotropy, atol=1e-14)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kw", [dict(n_spins=1), dict(n_spins=5), dict(n_spins=2.0), dict(n_spins=True),
                                dict(eps=0.5), dict(eps=2), dict(eps=True), dict(T_L=-1.0), dict(T_R=float("nan")),
                                dict(Delta=float("nan")), dict(J=float("inf")), dict(B0="x"), dict(kappa=0.0),
                                dict(collective=1), dict(zero_frequency="keep")])
def test_bad_input_raises_value_error(kw):
    base = dict(n_spins=2, B0=2.0, J=1.0, Delta=0.5, T_L=4.0, T_R=0.0, eps=1, collective=True)
    base.update(kw)
    with pytest.raises(ValueError):
        sc.steady_state(**base)
    with pytest.raises(ValueError):
        sc.sweep(**base)


def test_bad_input_other_entry_points():
    ss = sc.steady_state(2, 2.0, 1.0, 0.5, 4.0, 0.0)
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError):
            sc.exergy(ss, bad)
    with pytest.raises(ValueError):
        sc.stored_energy(np.eye(4))
    with pytest.raises(ValueError):
        sc.sweep(2, 2.0, 1.0, [0.1, float("nan")], 1.0, 1.0)
    with pytest.raises(ValueError):
        sc.sweep(2, 2.0, 1.0, np.zeros(3), np.ones(4), 1.0)
    with pytest.raises(ValueError):
        sc.delta_dT_map(2, T_M=0.0)
    with pytest.raises(ValueError):
        sc.paper_eigenstates(4, 2.0, 1.0, 0.5)
