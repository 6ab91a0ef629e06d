r"""Exact solver on the :math:`q = 0` (excitation-conserving) sector: sparse LU and matrix-free GMRES.

A sector vector stacks, for each excitation number :math:`n = 0..N`, the row-major vectorisation of
the block :math:`\rho_n` of the density matrix restricted to the states with :math:`n` excitations.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ... import master
from ._model import Params, _bits, _hopping, _int_N, _lowering


@dataclass(frozen=True)
class _Sector:
    """Excitation-number blocks of N qubits and the unit pieces of the q = 0 sector generator."""

    N: int
    blocks: tuple          # basis-state indices of each excitation number n = 0..N
    offsets: np.ndarray    # start of block n in the stacked vector (row-major vec of each block)
    dim: int
    pieces: dict           # name -> sparse (dim x dim) generator per unit rate / unit J


def sector_dimension(N: int) -> int:
    r"""Size :math:`\binom{2N}{N}` of the :math:`q = 0` sector (unknowns of the exact solver).

    Parameters
    ----------
    N : int
        Number of qubits, an integer in ``[1, 60]``.

    Returns
    -------
    int
        :math:`\binom{2N}{N} = \sum_n \binom{N}{n}^2` (184 756 at ``N = 10``).

    Raises
    ------
    ValueError
        ``N`` not an integer in ``[1, 60]``.
    """
    N = _int_N(N, 60)
    return math.comb(2 * N, N)


def _restrict(A: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> sp.csr_matrix:
    return A[rows][:, cols].tocsr()


def _excitation_blocks(N: int) -> list[np.ndarray]:
    """Basis-state indices with n = 0..N excitations."""
    exc = N - _bits(N).sum(axis=1)
    return [np.flatnonzero(exc == n) for n in range(N + 1)]


def _place(mats: list[tuple[int, int, sp.spmatrix]], offsets: np.ndarray, dim: int) -> sp.csr_matrix:
    """Assemble sparse (block m, block n) pieces into one sector matrix."""
    rows, cols, vals = [], [], []
    for r, c, m in mats:
        m = sp.coo_matrix(m)
        rows.append(m.row + offsets[r])
        cols.append(m.col + offsets[c])
        vals.append(m.data)
    if not rows:
        return sp.csr_matrix((dim, dim))
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(dim, dim))


def _coherent(Hf: sp.csr_matrix, blocks: tuple, offsets: np.ndarray, dim: int) -> sp.csr_matrix:
    """-i[H, .] on the sector (row-major vec)."""
    mats = []
    for n, b in enumerate(blocks):
        h = _restrict(Hf, b, b)
        eye = sp.identity(b.size, format="csr")
        mats.append((n, n, -1j * (sp.kron(h, eye) - sp.kron(eye, h.T))))
    return _place(mats, offsets, dim)


def _dissipator(Lf: sp.csr_matrix, shift: int, blocks: tuple, offsets: np.ndarray, dim: int) -> sp.csr_matrix:
    """D[L] on the sector, L changing the excitation number by ``shift`` (row-major vec)."""
    K = (Lf.conj().T @ Lf).tocsr()
    N = len(blocks) - 1
    mats = []
    for n, b in enumerate(blocks):
        eye = sp.identity(b.size, format="csr")
        k = _restrict(K, b, b)
        mats.append((n, n, -0.5 * (sp.kron(k, eye) + sp.kron(eye, k.T))))
        m = n + shift
        if 0 <= m <= N:
            l_mn = _restrict(Lf, blocks[m], b)
            mats.append((m, n, sp.kron(l_mn, l_mn.conj())))
    return _place(mats, offsets, dim)


@lru_cache(maxsize=8)
def _sector(N: int, topology: str) -> _Sector:
    """Blocks and unit generator pieces (``hop``, battery / ancilla / collective loss and gain)."""
    blocks = tuple(_excitation_blocks(N))
    dims = np.array([b.size for b in blocks])
    offsets = np.concatenate([[0], np.cumsum(dims ** 2)])
    dim = int(offsets[-1])
    low = [_lowering(N, i) for i in range(N)]
    coll = sum(low[1:], low[0]).tocsr()

    def diss(Lf: sp.csr_matrix, shift: int) -> sp.csr_matrix:
        return _dissipator(Lf, shift, blocks, offsets, dim)

    pieces = {"hop": _coherent(_hopping(N, topology), blocks, offsets, dim),
              "loss0": diss(low[0], -1), "gain0": diss(low[0].T.tocsr(), +1),
              "closs": diss(coll, -1), "cgain": diss(coll.T.tocsr(), +1)}
    lossA = sp.csr_matrix((dim, dim), dtype=complex)
    gainA = sp.csr_matrix((dim, dim), dtype=complex)
    for i in range(1, N):
        lossA = lossA + diss(low[i], -1)
        gainA = gainA + diss(low[i].T.tocsr(), +1)
    pieces["lossA"], pieces["gainA"] = lossA.tocsr(), gainA.tocsr()
    return _Sector(N, blocks, offsets, dim, pieces)


def _sector_generator(p: Params) -> sp.csr_matrix:
    """The q = 0 sector generator at one parameter point (sparse, energy units)."""
    s = _sector(p.N, p.topology)
    P = s.pieces
    if p.dissipation == "collective":
        n = p.n_battery
        return (p.J * P["hop"] + p.gamma * (1 - n) * P["closs"] + p.gamma * n * P["cgain"]).tocsr()
    e1, a1, eA, aA = p.rates()
    return (p.J * P["hop"] + e1 * P["loss0"] + a1 * P["gain0"] + eA * P["lossA"] + aA * P["gainA"]).tocsr()


def _trace_vector(s: _Sector) -> np.ndarray:
    """Linear functional giving the trace of a sector vector."""
    t = np.zeros(s.dim)
    for n, b in enumerate(s.blocks):
        t[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = 1.0
    return t


def _battery_vector(s: _Sector) -> np.ndarray:
    """Linear functional giving the battery's excited population from a sector vector."""
    f = np.zeros(s.dim)
    bits = _bits(s.N)
    for n, b in enumerate(s.blocks):
        f[s.offsets[n] + np.arange(b.size) * (b.size + 1)] = 1.0 - bits[b, 0]
    return f


def _to_sector(s: _Sector, rho: np.ndarray) -> np.ndarray:
    return np.concatenate([rho[np.ix_(b, b)].ravel() for b in s.blocks])


def _from_sector(s: _Sector, v: np.ndarray) -> np.ndarray:
    rho = np.zeros((2 ** s.N, 2 ** s.N), dtype=complex)
    for n, b in enumerate(s.blocks):
        rho[np.ix_(b, b)] = v[s.offsets[n]:s.offsets[n + 1]].reshape(b.size, b.size)
    return 0.5 * (rho + rho.conj().T)


def _solve_unique(L: sp.csr_matrix, t: np.ndarray) -> np.ndarray:
    """Solve L v = 0 with t.v = 1 by sparse LU, the vacuum row (a diagonal element) replaced by the trace."""
    A = sp.vstack([sp.csr_matrix(t.astype(complex)), L.tocsr()[1:]]).tocsc()
    b = np.zeros(L.shape[0], dtype=complex)
    b[0] = 1.0
    return spla.splu(A, permc_spec="MMD_AT_PLUS_A").solve(b)


# --------------------------------------------------------------------------- matrix-free GMRES
@lru_cache(maxsize=4)
def _block_ops(N: int, topology: str) -> dict:
    """Excitation blocks and index maps for the matrix-free sector solver.

    ``pairs[i][n] = (src, tgt)``: positions in block ``n`` of the states with qubit ``i`` excited and
    positions in block ``n-1`` of the same states with qubit ``i`` lowered (sigma^-_i is a partial
    permutation, so sandwiches are index gathers).
    """
    bits = _bits(N)
    blocks = _excitation_blocks(N)
    where = np.empty(2 ** N, dtype=int)
    for b in blocks:
        where[b] = np.arange(b.size)
    pairs = []
    for i in range(N):
        flag = 1 << (N - 1 - i)
        row = [None]
        for n in range(1, N + 1):
            src_states = blocks[n][bits[blocks[n], i] == 0]
            row.append((where[src_states], where[src_states | flag]))
        pairs.append(row)
    hop = _hopping(N, topology)
    return {"blocks": blocks, "hop": [_restrict(hop, b, b).toarray() for b in blocks], "pairs": pairs,
            "occ": [[1.0 - bits[b, i] for b in blocks] for i in range(N)]}


@dataclass
class _BlockGenerator:
    r"""The local sector generator :math:`\mathcal L = \mathcal A + \mathcal J` on excitation blocks.

    ``G[n]`` is the in-block non-Hermitian generator (:math:`\mathcal A X_n = G_n X_n + X_n G_n^\dagger`),
    ``V, Vinv, den`` its eigen-decomposition for the Sylvester inverse of :math:`\mathcal A` (``den``
    regularised where a block has no outflow; ``regular`` is False then), ``e, a`` the loss and gain
    rate of each qubit.
    """

    ops: dict
    e: np.ndarray
    a: np.ndarray
    G: list
    V: list
    Vinv: list
    den: list
    regular: bool

    @staticmethod
    def build(ops: dict, e: np.ndarray, a: np.ndarray, J: float, gamma: float) -> "_BlockGenerator":
        occ, N = ops["occ"], e.size
        G, Vs, Vinv, den = [], [], [], []
        regular = True
        for n in range(len(ops["blocks"])):
            K = sum(e[i] * occ[i][n] + a[i] * (1.0 - occ[i][n]) for i in range(N))
            g = -1j * J * ops["hop"][n] - 0.5 * np.diag(K)
            lam, Vn = np.linalg.eig(g)
            G.append(g)
            Vs.append(Vn)
            Vinv.append(np.linalg.inv(Vn))
            d = lam[:, None] + lam.conj()[None, :]
            # A block without any outflow (e.g. T = 0 with all reservoirs full) has G_n = 0: regularise
            # the preconditioner only (GMRES still solves the exact equation).
            small = np.abs(d) < 1e-6 * gamma
            regular = regular and not np.any(small)
            den.append(np.where(small, -gamma, d))
        return _BlockGenerator(ops, e, a, G, Vs, Vinv, den, regular)

    @property
    def dims(self) -> list[int]:
        return [b.size for b in self.ops["blocks"]]

    def jumps_part(self, X: list) -> list:
        """The sandwich terms: sigma^-_i X_n sigma^+_i -> block n-1 and sigma^+_i X_{n-1} sigma^-_i -> n."""
        out = [np.zeros((d, d), dtype=complex) for d in self.dims]
        pairs, e, a = self.ops["pairs"], self.e, self.a
        for i in range(e.size):
            for n in range(1, len(out)):
                src, tgt = pairs[i][n]
                if e[i] > 0:
                    out[n - 1][np.ix_(tgt, tgt)] += e[i] * X[n][np.ix_(src, src)]
                if a[i] > 0:
                    out[n][np.ix_(src, src)] += a[i] * X[n - 1][np.ix_(tgt, tgt)]
        return out

    def A_inv(self, Y: list) -> list:
        """Sylvester inverse of the in-block part, block by block."""
        Vs, Vinv, den = self.V, self.Vinv, self.den
        return [Vs[n] @ ((Vinv[n] @ Y[n] @ Vinv[n].conj().T) / den[n]) @ Vs[n].conj().T for n in range(len(Y))]

    def apply(self, X: list) -> list:
        """The full generator on a list of blocks."""
        JX = self.jumps_part(X)
        return [self.G[n] @ X[n] + X[n] @ self.G[n].conj().T + JX[n] for n in range(len(X))]


def _gmres_sector(p: Params, rtol: float = 1e-12) -> tuple[list[np.ndarray], dict]:
    r"""Matrix-free exact solver on the :math:`q = 0` sector (local dissipation, any topology).

    Writes the generator as :math:`\mathcal L = \mathcal A + \mathcal J`, with
    :math:`\mathcal A X_n = G_n X_n + X_n G_n^\dagger`, :math:`G_n = -iJH_n - \tfrac12\sum_i(e_i n_i + a_i(1-n_i))`
    inside each excitation block and :math:`\mathcal J` the jump (sandwich) terms between neighbouring
    blocks. :math:`\mathcal A^{-1}` (a Sylvester solve by eigen-decomposition of :math:`G_n`) is the left
    preconditioner, so GMRES works on :math:`1 - T` with :math:`T = -\mathcal A^{-1}\mathcal J` the
    embedded jump chain; the trace condition enters as a rank-one term. The generator is divided by
    :math:`\gamma` first (the steady state does not change): :math:`\mathcal A^{-1}` is then of order
    one and so is the rank-one term, for every rate scale; the tolerances are relative to the largest
    scaled rate :math:`\max(1, |J|/\gamma)`.

    Returns the blocks of the state and ``{"residual": max |L rho| (energy units), "blocks": sizes}``.
    """
    unit = p.gamma                                          # time unit of the scaled generator
    size = max(1.0, abs(p.J) / unit)                        # its largest rate
    e1, a1, eA, aA = (r / unit for r in p.rates())
    e = np.array([e1] + [eA] * (p.N - 1))
    a = np.array([a1] + [aA] * (p.N - 1))
    gen = _BlockGenerator.build(_block_ops(p.N, p.topology), e, a, p.J / unit, 1.0)
    dims = gen.dims
    offs = np.concatenate([[0], np.cumsum(np.square(dims))])

    def split(v: np.ndarray) -> list:
        return [v[offs[n]:offs[n + 1]].reshape(dims[n], dims[n]) for n in range(len(dims))]

    def flat(Xs: list) -> np.ndarray:
        return np.concatenate([x.ravel() for x in Xs])

    t = np.concatenate([np.eye(d).ravel() for d in dims])
    u = t / t.sum()                                        # the maximally mixed state (t.u = 1)
    Au = flat(gen.A_inv(split(u)))

    def matvec(v: np.ndarray) -> np.ndarray:
        X = split(v)
        if gen.regular:                   # A^-1 (A + J) = 1 + A^-1 J
            return v + flat(gen.A_inv(gen.jumps_part(X))) + Au * (t @ v)
        return flat(gen.A_inv(gen.apply(X))) + Au * (t @ v)

    op = spla.LinearOperator((offs[-1], offs[-1]), matvec=matvec, dtype=complex)
    rhs = u.astype(complex)                # solve (L + u t^T) v = u, then refine on the true residual
    atol = 1e-14 * float(np.linalg.norm(flat(gen.A_inv(split(rhs)))))
    v = np.zeros_like(rhs)
    for _ in range(4):
        dv, info = spla.gmres(op, flat(gen.A_inv(split(rhs))), rtol=rtol, atol=atol, restart=100, maxiter=10)
        if info != 0 and not np.any(v):
            raise ValueError(f"the sector GMRES solver did not converge (info = {info}); N = {p.N}")
        v = v + dv
        rhs = u - flat(gen.apply(split(v))) - u * (t @ v)
        if np.max(np.abs(rhs)) <= 1e-13 * size:
            break
    X = split(v / (t @ v))
    res = max(float(np.max(np.abs(Y))) for Y in gen.apply(X))   # unpreconditioned residual of L rho = 0
    if res > 1e-9 * size:
        raise ValueError(f"the sector GMRES solver stalled (residual {res * unit:.1e}); N = {p.N}")
    return X, {"residual": res * unit, "blocks": dims}


def _collective_kernel(L: np.ndarray, s: _Sector, rtol: float = 1e-10):
    """Right/left kernels of the dense sector generator and whether the battery state is unique on it."""
    R, _ = master.kernel(L, rtol=rtol)
    Lft, _ = master.kernel(L.conj().T, rtol=rtol)
    if R.shape[1] != Lft.shape[1] or R.shape[1] == 0:
        raise ValueError("could not separate the kernel of the collective generator (try a generic omega0, J)")
    if R.shape[1] == 1:
        return R, Lft, True
    # the battery state is the same in every steady state iff p1(r) and tr(r) are proportional on the kernel
    F = np.vstack([_battery_vector(s) @ R, _trace_vector(s) @ R])
    sv = np.linalg.svd(F, compute_uv=False)
    return R, Lft, bool(sv[1] <= 1e-9 * max(sv[0], 1e-300))
