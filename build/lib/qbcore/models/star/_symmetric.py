r"""Permutation-symmetric solver of the star with local dissipation (``N <= 400``).

The :math:`M = N - 1` ancillas are permutation invariant, so the steady state is
:math:`\bigoplus_j \tilde\rho_j\otimes\mathbb 1_{d_j}/d_j` over their total spin :math:`j`; inside each
block the :math:`q = 0` sector pairs :math:`|e,m\rangle` with :math:`|g,m+1\rangle`. Also the batched
block elimination over many parameter points used by :func:`~qbcore.models.star.sweep`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ...thermo import roundoff_zero
from ._model import N_MAX, Params, _int_N


# --------------------------------------------------------------------------- permutation-symmetric solver
def symmetric_dimension(N: int) -> int:
    r"""Number of real unknowns of the permutation-symmetric star solver.

    Parameters
    ----------
    N : int
        Number of qubits (battery + ``N - 1`` ancillas), an integer in ``[1, 400]``.

    Returns
    -------
    int
        Populations :math:`p_{e,m}, p_{g,m}` and coherences :math:`\mathrm{Im}\langle e,m|\rho_j|g,m+1\rangle`
        summed over the ancilla spins :math:`j`: :math:`O(N^2)`, 7 600 at ``N = 100``.

    Raises
    ------
    ValueError
        ``N`` not an integer in ``[1, 400]``.
    """
    return _Symmetric.build(_int_N(N, N_MAX["symmetric"])).dim


def _spins(M: int) -> np.ndarray:
    """Total spins j of M spin-1/2 ancillas, descending (M/2, M/2 - 1, ... >= 0)."""
    return np.arange(M / 2.0, -0.25, -1.0)


def _multiplicity(M: int, j: float) -> int:
    """Number d_j of spin-j irreps in M spins-1/2."""
    k = int(round(M / 2 - j))
    return math.comb(M, k) - (math.comb(M, k - 1) if k >= 1 else 0)


def _sqrt0(x: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(x, 0.0))


def _dicke_sandwich(M: int, J: float, m: np.ndarray, m1: np.ndarray, sign: int) -> dict[float, np.ndarray]:
    r"""Coefficients of :math:`\sum_i \sigma^\mp_i\,X\,\sigma^\pm_i` between normalised Dicke blocks.

    With :math:`F^J_{mm'} = |J,m\rangle\langle J,m'|\otimes\mathbb 1_{d_J}/d_J` (unit-trace multiplicity
    part, :math:`d_J` the number of spin-:math:`J` irreps of M spins-1/2),
    :math:`\sum_i\sigma^-_i F^J_{mm'}\sigma^+_i = \sum_{J'} c_{J'}\,F^{J'}_{m-1,m'-1}` (``sign = -1``) and
    likewise with :math:`\sigma^+` and :math:`m+1` (``sign = +1``). Returns ``{J': c}``; coefficients vanish
    exactly where a target index leaves its block. Checked against an explicit :math:`2^M` construction
    in the tests.
    """
    h = M / 2.0
    out = {}
    if sign < 0:
        same = _sqrt0((J + m) * (J - m + 1) * (J + m1) * (J - m1 + 1))
        down = _sqrt0((J + m) * (J + m - 1) * (J + m1) * (J + m1 - 1))
        up = _sqrt0((J - m + 1) * (J - m + 2) * (J - m1 + 1) * (J - m1 + 2))
    else:
        same = _sqrt0((J + m + 1) * (J - m) * (J + m1 + 1) * (J - m1))
        down = _sqrt0((J - m - 1) * (J - m) * (J - m1 - 1) * (J - m1))
        up = _sqrt0((J + m + 1) * (J + m + 2) * (J + m1 + 1) * (J + m1 + 2))
    if J > 0:
        out[J] = same * (h + 1) / (2 * J * (J + 1))
        out[J - 1] = down * (h + J + 1) / (2 * J * (2 * J + 1))
    out[J + 1] = up * (h - J) / (2 * (J + 1) * (2 * J + 1))
    return out


@dataclass(frozen=True)
class _Symmetric:
    """Real q = 0 unknowns of the permutation-symmetric star and its unit generator pieces.

    Per ancilla spin j (normalised blocks, trace = sum of all populations):
    ``pe[j, m] = <e,m|rho_j|e,m>``, ``pg[j, m] = <g,m|rho_j|g,m>`` (m = -j..j) and
    ``s[j, m] = Im <e,m|rho_j|g,m+1>`` (m = -j..j-1); the real parts of the coherences vanish.
    """

    M: int
    js: np.ndarray
    index: dict            # (kind, j) -> (first index, m values)
    dim: int
    pieces: dict           # unit generator pieces, rows/columns permuted by ``order``
    order: np.ndarray

    @staticmethod
    @lru_cache(maxsize=16)
    def build(N: int) -> "_Symmetric":
        """Index map and unit generator pieces for ``N`` qubits (cached)."""
        M = N - 1
        js = _spins(M)
        index, start = {}, 0
        for j in js:
            ms = np.arange(-j, j + 0.5)
            for kind, mm in (("pe", ms), ("pg", ms), ("s", ms[:-1])):
                index[(kind, float(j))] = (start, mm)
                start += mm.size
        dim = start

        def idx(kind: str, j: float, m: np.ndarray) -> np.ndarray:
            first, ms = index[(kind, float(j))]
            if ms.size == 0:
                return np.zeros(0, dtype=int)
            return first + np.rint(m - ms[0]).astype(int)

        acc: dict[str, list] = {k: [] for k in ("hop", "loss0", "gain0", "lossA", "gainA")}

        def add(name, rows, cols, vals):
            rows, cols, vals = np.broadcast_arrays(np.asarray(rows), np.asarray(cols), np.asarray(vals, float))
            acc[name].append((rows.ravel(), cols.ravel(), vals.ravel()))

        h = M / 2.0
        for j in js:
            j = float(j)
            ms = np.arange(-j, j + 0.5)
            mc = ms[:-1]                                    # coherence |e,m><g,m+1|
            pe, pg, sc = idx("pe", j, ms), idx("pg", j, ms), idx("s", j, mc)
            # flip-flop J(s+ J- + s- J+) pairs |e,m> and |g,m+1| with amplitude a(m)
            a = np.sqrt((j - mc) * (j + mc + 1))
            pe_c, pg_c = idx("pe", j, mc), idx("pg", j, mc + 1)
            add("hop", pe_c, sc, -2 * a)
            add("hop", pg_c, sc, 2 * a)
            add("hop", sc, pe_c, a)
            add("hop", sc, pg_c, -a)
            # battery loss / gain
            add("loss0", pe, pe, -1.0)
            add("loss0", pg, pe, 1.0)
            add("loss0", sc, sc, -0.5)
            add("gain0", pg, pg, -1.0)
            add("gain0", pe, pg, 1.0)
            add("gain0", sc, sc, -0.5)
            # ancilla anticommutators: sum_i n_i = J_z + M/2 and sum_i (1 - n_i) = M/2 - J_z
            for kind, mm in (("pe", ms), ("pg", ms)):
                ii = idx(kind, j, mm)
                add("lossA", ii, ii, -(mm + h))
                add("gainA", ii, ii, -(h - mm))
            add("lossA", sc, sc, -(mc + 0.5 + h))
            add("gainA", sc, sc, -(h - mc - 0.5))
            # ancilla sandwiches: F^j_{m m'} -> F^{j'}_{m-+1, m'-+1} (normalised blocks)
            for name, sgn in (("lossA", -1), ("gainA", +1)):
                for kind, mm, mm1 in (("pe", ms, ms), ("pg", ms, ms), ("s", mc, mc + 1)):
                    for jp, c in _dicke_sandwich(M, j, mm, mm1, sgn).items():
                        if (kind, float(jp)) not in index:
                            continue
                        keep = c != 0.0
                        if not np.any(keep):
                            continue
                        add(name, idx(kind, jp, mm[keep] + sgn), idx(kind, j, mm[keep]), c[keep])
        # Order the unknowns by total excitation number (then j): the generator is then banded
        # (dissipation changes the number by one), and sparse LU without reordering has little fill.
        ntot, jj = np.zeros(dim), np.zeros(dim)
        for (kind, j), (first, ms) in index.items():
            ntot[first:first + ms.size] = ms + M / 2 + (0 if kind == "pg" else 1)
            jj[first:first + ms.size] = j
        order = np.lexsort((-jj, ntot))
        pieces = {}
        for name, parts in acc.items():
            r = np.concatenate([q[0] for q in parts])
            c = np.concatenate([q[1] for q in parts])
            v = np.concatenate([q[2] for q in parts])
            pieces[name] = sp.csr_matrix((v, (r, c)), shape=(dim, dim))[order][:, order].tocsr()
        return _Symmetric(M, js, index, dim, pieces, order)

    def generator(self, J: float, e1: float, a1: float, eA: float, aA: float) -> sp.csr_matrix:
        """The generator in the banded (permuted) order; :meth:`solve` undoes the permutation."""
        P = self.pieces
        return (J * P["hop"] + e1 * P["loss0"] + a1 * P["gain0"] + eA * P["lossA"] + aA * P["gainA"]).tocsr()

    def trace_vector(self) -> np.ndarray:
        """Functional giving the trace (the sum of all populations)."""
        t = np.zeros(self.dim)
        for (kind, _j), (first, ms) in self.index.items():
            if kind in ("pe", "pg"):
                t[first:first + ms.size] = 1.0
        return t

    def battery_vector(self) -> np.ndarray:
        """Functional giving the battery's excited population."""
        f = np.zeros(self.dim)
        for (kind, _j), (first, ms) in self.index.items():
            if kind == "pe":
                f[first:first + ms.size] = 1.0
        return f

    def ancilla_vector(self) -> np.ndarray:
        """Functional giving the mean excited population per ancilla."""
        f = np.zeros(self.dim)
        if self.M == 0:
            return f
        for (kind, _j), (first, ms) in self.index.items():
            if kind in ("pe", "pg"):
                f[first:first + ms.size] = (ms + self.M / 2.0) / self.M
        return f

    def solve(self, L: sp.csr_matrix) -> np.ndarray:
        """Steady state from a (permuted) generator: the last row (the population of the fully
        excited network) is replaced by the trace; returns the unknowns in :attr:`index` order."""
        t = self.trace_vector()[self.order]
        A = sp.vstack([L.tocsr()[:-1], sp.csr_matrix(t)]).tocsc()
        b = np.zeros(self.dim)
        b[-1] = 1.0
        # The banded order needs no column permutation; diagonal pivots keep the fill at the band
        # (row pivoting can multiply the fill by ten). Fall back to partial pivoting if inaccurate.
        y = spla.splu(A, permc_spec="NATURAL", diag_pivot_thresh=0.0).solve(b)
        if not np.all(np.isfinite(y)) or np.max(np.abs(A @ y - b)) > 1e-11 * max(1.0, abs(A).max()):
            y = spla.splu(A, permc_spec="NATURAL").solve(b)
        x = np.empty_like(y)
        x[self.order] = y
        return x


_PIECE_NAMES = ("hop", "loss0", "gain0", "lossA", "gainA")
_BLOCK_BATCH_FLOATS = 4e6        # stored elimination factors per chunk of points (32 MB)


@lru_cache(maxsize=8)
def _block_pieces(N: int) -> tuple:
    """Dense sub-blocks of the symmetric generator pieces, by total excitation number.

    In the banded order every piece couples excitation number ``n`` only to ``n`` and ``n +- 1`` (the
    Hamiltonian conserves it, each jump changes it by one), so the generator is block tridiagonal
    with blocks ``n = 0..N``; the first (all ground) and last (all excited) blocks are single
    populations. Returns ``(slices, D, Lo, Up, trace)`` with ``D[n]`` of shape ``(5, b_n, b_n)``,
    ``Lo[n]`` the coupling to block ``n - 1`` and ``Up[n]`` to block ``n + 1`` (stacked over pieces).
    """
    sym = _Symmetric.build(N)
    ntot = np.zeros(sym.dim)
    for (kind, j), (first, ms) in sym.index.items():
        ntot[first:first + ms.size] = ms + sym.M / 2 + (0 if kind == "pg" else 1)
    sizes = np.bincount(np.rint(ntot[sym.order]).astype(int))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    sl = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
    P = [sym.pieces[k].tocsr() for k in _PIECE_NAMES]
    K = len(sl)
    D = [np.stack([p[s, s].toarray() for p in P]) for s in sl]
    Lo = [None] + [np.stack([p[sl[k], sl[k - 1]].toarray() for p in P]) for k in range(1, K)]
    Up = [np.stack([p[sl[k], sl[k + 1]].toarray() for p in P]) for k in range(K - 1)] + [None]
    nnz_in_band = sum(np.count_nonzero(a) for a in D + Lo[1:] + Up[:-1])
    if nnz_in_band != sum(p.count_nonzero() for p in P) or sizes[-1] != 1:  # pragma: no cover - invariant
        raise RuntimeError("symmetric generator is not block tridiagonal in the excitation number")
    return sl, D, Lo, Up, sym.trace_vector()[sym.order]


def _block_batch(N: int, C: np.ndarray) -> np.ndarray:
    """Steady states of the symmetric star for every row of ``C`` (rates ``J, e1, a1, eA, aA``).

    Block Gaussian elimination of the block-tridiagonal generator (:func:`_block_pieces`), batched over
    the points: forward, :math:`X_n = -(D_n + L_n X_{n-1})^{-1} U_n` expresses block ``n`` through block
    ``n + 1``; the last block (the all-excited population) is set to 1 — the Schur complement left there
    is 1 x 1 and vanishes, so this is the kernel — and back substitution gives the rest. Each block is
    rescaled to unit maximum as it is produced and the scales are kept as logarithms, so populations
    spanning hundreds of decades neither overflow nor spoil the dominant ones; the trace normalises.
    Cost ``O(points * N * b^3)`` with blocks ``b <= N + 1`` (pivoting inside blocks only).

    Returns the unknowns in :attr:`_Symmetric.index` order, shape ``(points, dim)``; rows whose
    elimination failed (a singular block) are NaN, for the caller to solve otherwise.
    """
    sl, D, Lo, Up, trace = _block_pieces(N)
    per_point = sum((s.stop - s.start) * (t.stop - t.start) for s, t in zip(sl[:-1], sl[1:]))
    chunk = max(1, int(_BLOCK_BATCH_FLOATS // per_point))          # bounds the memory of the X_n
    if C.shape[0] > chunk:
        return np.concatenate([_block_batch(N, C[i:i + chunk]) for i in range(0, C.shape[0], chunk)])
    sym = _Symmetric.build(N)
    npts, K = C.shape[0], len(sl)
    X: list = [None] * K
    bad = np.zeros(npts, bool)
    with np.errstate(all="ignore"):
        for n in range(K - 1):
            S = np.tensordot(C, D[n], axes=(1, 0))
            if n > 0:
                S = S + np.tensordot(C, Lo[n], axes=(1, 0)) @ X[n - 1]
            U = np.tensordot(C, Up[n], axes=(1, 0))
            try:
                X[n] = -np.linalg.solve(S, U)
            except np.linalg.LinAlgError:  # some point has a singular block: solve point by point
                X[n] = np.empty_like(U)
                for i in range(npts):
                    try:
                        X[n][i] = -np.linalg.solve(S[i], U[i])
                    except np.linalg.LinAlgError:
                        X[n][i], bad[i] = 0.0, True
        blocks = [np.ones((npts, 1))]
        logs = [np.zeros(npts)]
        for n in range(K - 2, -1, -1):
            v = np.einsum("pij,pj->pi", X[n], blocks[-1])
            scale = np.max(np.abs(v), axis=1)
            scale = np.where(scale > 0, scale, 1.0)
            blocks.append(v / scale[:, None])
            logs.append(logs[-1] + np.log(scale))
        blocks, logs = blocks[::-1], np.stack(logs[::-1])
        w = np.exp(logs - logs.max(axis=0))                       # relative block weights, max 1
        y = np.concatenate([b * w[n][:, None] for n, b in enumerate(blocks)], axis=1)
        y /= (y @ trace)[:, None]
    bad |= ~np.all(np.isfinite(y), axis=1)
    y[bad] = np.nan
    x = np.empty_like(y)
    x[:, sym.order] = y
    return x


def _symmetric_observables(sym: _Symmetric, x: np.ndarray, p: Params) -> dict:
    """Battery state, network energy and ergotropy (spectra with multiplicities) from a solution."""
    M = sym.M
    p1 = float(sym.battery_vector() @ x)
    energy = 0.0
    r_vals, e_vals, counts = [], [], []
    for j in sym.js:
        j = float(j)
        nj = _multiplicity(M, j)
        dj = float(nj)
        f_e, ms = sym.index[("pe", j)]
        f_g, _ = sym.index[("pg", j)]
        f_s, mc = sym.index[("s", j)]
        pe, pg, s = x[f_e:f_e + ms.size], x[f_g:f_g + ms.size], x[f_s:f_s + mc.size]
        energy += p.omega0 * float(np.sum((1 + 2 * ms) * pe + (-1 + 2 * ms) * pg))
        # isolated states |g,-j> and |e,j>
        r_vals += [pg[0] / dj, pe[-1] / dj]
        e_vals += [p.omega0 * (-1 - 2 * j), p.omega0 * (1 + 2 * j)]
        counts += [nj, nj]
        if mc.size:
            a = p.J * np.sqrt((j - mc) * (j + mc + 1))
            A, B = pe[:-1], pg[1:]
            mean, half = 0.5 * (A + B), np.sqrt(0.25 * (A - B) ** 2 + s ** 2)
            r_vals += list((mean + half) / dj) + list((mean - half) / dj)
            base = p.omega0 * (1 + 2 * mc)
            e_vals += list(base + a) + list(base - a)
            counts += [nj] * (2 * mc.size)
    r_vals, e_vals = np.asarray(r_vals), np.asarray(e_vals)
    passive = _weighted_passive_energy(r_vals, e_vals, counts)
    ergotropy = roundoff_zero(energy - passive, float(np.abs(e_vals).max()))
    return {"p1": p1, "energy": energy, "ergotropy": ergotropy, "ground_energy": float(e_vals.min()),
            "min_eigenvalue": float(r_vals.min()), "ancilla_population": float(sym.ancilla_vector() @ x)}


def _weighted_passive_energy(r: np.ndarray, e: np.ndarray, counts: list[int]) -> float:
    """Passive energy when eigenvalue ``r[k]`` and energy ``e[k]`` each occur ``counts[k]`` times.

    Sorts the eigenvalues down and the energies up and pairs them along the cumulative count, with
    exact integer counts (multiplicities reach ``2**N``).
    """
    ro, eo = np.argsort(-r, kind="stable"), np.argsort(e, kind="stable")
    i = k = 0
    left_r, left_e = counts[ro[0]], counts[eo[0]]
    total = 0.0
    while True:
        w = min(left_r, left_e)
        total += float(w) * float(r[ro[i]]) * float(e[eo[k]])
        left_r -= w
        left_e -= w
        if left_r == 0:
            i += 1
            if i == r.size:
                break
            left_r = counts[ro[i]]
        if left_e == 0:
            k += 1
            if k == e.size:
                break
            left_e = counts[eo[k]]
    return total


