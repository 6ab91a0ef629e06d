"""Collective dissipation on the star: dark states, block by block in the ancillas' total spin."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import brentq

from ... import master
from ._model import N_MAX, _check_collective_ratio, _int_N, params
from ._symmetric import _multiplicity, _spins


def _spin_ops(j: float) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Sparse J^- and J_z for spin j (basis m = j, j-1, ..., -j)."""
    ms = np.arange(j, -j - 0.5, -1.0)
    amp = np.sqrt((j + ms[:-1]) * (j - ms[:-1] + 1))
    d = ms.size
    Jm = sp.csr_matrix((amp, (np.arange(1, d), np.arange(d - 1))), shape=(d, d))
    return Jm, sp.diags(ms).tocsr()


def collective_blocks(N: int = 3, mu: float = 1.0, T: float = 1.0, J: float = 1.0, gamma: float = 1.0,
                      omega: float = 1.0) -> list[dict]:
    r"""Steady states of the star with collective dissipation, block by block in the ancillas' total spin.

    :math:`S^\pm = \sigma^\pm_1 + S_A^\pm` and :math:`H_S` commute with the ancillas' total spin
    :math:`\mathbf S_A^2` and with their permutations (strong symmetries), so the generator splits into
    blocks battery :math:`\otimes` spin-:math:`j`, each repeated :math:`d_j` times (steady states can also
    carry any operator on the multiplicity space). For each block this returns the kernel dimension on
    the excitation-conserving sector and the battery population of its steady states.

    Result for :math:`J \ne 0`: every block with :math:`j \ne 1/2` has a unique steady state, with
    battery population exactly :math:`n` (grand canonical); the :math:`j = 1/2` blocks (present for even
    ``N``) behave like ``N = 2`` and hold a dark singlet (battery population 1/2) besides the
    triplet state (:func:`triplet_population`). Hence the battery's state is the same for every initial
    state iff ``N`` is odd.

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 400]``.
    mu : float
        Chemical potential of the common reservoir (energy units), ``[-1e6, 1e6]``.
    T : float
        Temperature (energy units), ``[0, 1e6]``.
    J : float
        Flip-flop coupling (energy units), ``[-1e6, 1e6]``; for ``N >= 2`` also ``J = 0`` or
        ``1e-3 <= |J|/gamma <= 1e3``.
    gamma : float
        Reservoir rate (energy units), ``[1e-6, 1e6]``.
    omega : float
        Frequency of the occupation :math:`n = f(\omega;\mu,T)` (energy units), ``[-1e6, 1e6]``.

    Returns
    -------
    list of dict
        One per ancilla spin ``j`` (descending), keys ``j``, ``multiplicity`` (:math:`d_j`),
        ``kernel_dim``, ``populations`` (battery population of each extreme steady state of the
        block: one value, or ``[min, max]`` = sorted ``[p_T, 1/2]`` when degenerate).

    Raises
    ------
    ValueError
        A parameter outside its range (named; see :func:`params`) or an unresolvable ``|J|/gamma``.
    """
    N = _int_N(N, N_MAX["symmetric"])
    p = params(N, mu, 0.0, T, 10.0, omega, J, gamma, "star", "collective")
    _check_collective_ratio(p.N, p.J, p.gamma)
    M = N - 1
    out = []
    for j in _spins(M):
        kdim, pops = _block_steady_states(float(j), p.J, p.gamma, p.n_battery)
        out.append({"j": float(j), "multiplicity": _multiplicity(M, float(j)), "kernel_dim": kdim,
                    "populations": pops})
    return out


def _block_steady_states(j: float, J: float, gamma: float, n: float) -> tuple[int, list[float]]:
    """Kernel dimension and extreme battery populations of the battery x spin-j block."""
    sm = sp.csr_matrix(np.array([[0.0, 0.0], [1.0, 0.0]]))
    Jm, Jz = _spin_ops(j)
    d = Jm.shape[0]
    I2, Id = sp.identity(2, format="csr"), sp.identity(d, format="csr")
    Sm = (sp.kron(sm, Id) + sp.kron(I2, Jm)).tocsr()
    H = J * (sp.kron(sm.T, Jm) + sp.kron(sm, Jm.T))
    # excitation number of each basis state (battery excited = index 0)
    nb = np.kron(np.array([1.0, 0.0]), np.ones(d)) + np.kron(np.ones(2), np.diag(Jz.toarray()) + j)
    keep = np.flatnonzero((nb[:, None] == nb[None, :]).ravel())
    D = 2 * d
    eye = sp.identity(D, format="csr")

    def diss(Lo: sp.csr_matrix) -> sp.csr_matrix:
        K = (Lo.conj().T @ Lo).tocsr()
        return sp.kron(Lo, Lo.conj()) - 0.5 * (sp.kron(K, eye) + sp.kron(eye, K.T))

    Lsup = -1j * (sp.kron(H, eye) - sp.kron(eye, H.T)) + gamma * (1 - n) * diss(Sm) \
        + gamma * n * diss(Sm.T.tocsr())
    Lq = Lsup.tocsr()[keep][:, keep].toarray()
    R, _ = master.kernel(Lq, rtol=1e-10)
    tr = np.eye(D).ravel()[keep]
    fb = np.diag(np.kron(np.diag([1.0, 0.0]), np.eye(d))).astype(float)
    fbat = np.zeros(D * D)
    fbat[np.arange(D) * (D + 1)] = fb
    fbat = fbat[keep]
    if R.shape[1] == 1:
        return 1, [float(np.real(fbat @ R[:, 0] / (tr @ R[:, 0])))]
    return int(R.shape[1]), sorted(_extreme_battery_populations(R, tr, fbat, keep, D))


def _extreme_battery_populations(R: np.ndarray, tr: np.ndarray, fbat: np.ndarray, keep: np.ndarray,
                                 D: int) -> list[float]:
    r"""Min and max battery population over the density matrices in span(R) (2-dimensional kernels).

    The states form a segment :math:`A + sB` (:math:`\mathrm{Tr}A = 1`, :math:`\mathrm{Tr}B = 0`,
    Hermitian); its ends are where the (concave) smallest eigenvalue crosses zero.
    """
    from scipy.optimize import minimize_scalar

    herm = []
    for k in range(R.shape[1]):
        v = np.zeros(D * D, dtype=complex)
        v[keep] = R[:, k]
        X = v.reshape(D, D)
        herm += [0.5 * (X + X.conj().T), 0.5j * (X - X.conj().T)]
    traces = np.array([np.trace(X).real for X in herm])
    k0 = int(np.argmax(np.abs(traces)))
    A = herm[k0] / traces[k0]
    Bs = [X - np.trace(X).real * A for X in herm]
    B = max(Bs, key=np.linalg.norm)
    B = B / np.linalg.norm(B)

    def lmin(s: float) -> float:
        return float(np.linalg.eigvalsh(A + s * B)[0])

    best = minimize_scalar(lambda s: -lmin(s), bracket=(-1.0, 1.0))
    s0 = float(best.x)
    if lmin(s0) < -1e-9:
        raise ValueError("no positive state in the kernel (numerical kernel too inaccurate)")
    ends = []
    for direction in (-1.0, 1.0):
        step = 1.0
        while lmin(s0 + direction * step) > 0:
            step *= 2.0
        ends.append(brentq(lmin, s0, s0 + direction * step) if direction > 0 else brentq(lmin, s0 - step, s0))
    return [float(np.real(np.trace((A + s * B)[: D // 2, : D // 2]))) for s in ends]
