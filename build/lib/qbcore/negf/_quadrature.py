"""Adaptive Gauss–Kronrod quadrature over the continuum: the rule, break points, bisection and chunking."""
from __future__ import annotations

import math
import warnings
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np
from numpy.polynomial import legendre as _legendre

from ._leads import _surface_green
from ._nodes import _Kernel, _Nodes, _Pieces

#: Quadrature nodes evaluated together in one vectorised batch (bounds the temporaries: each
#: node-wise array of a batch takes ``8 * CHUNK_NODES`` bytes).
CHUNK_NODES = 1 << 16
#: Sweep points whose initial break points are built together.
CHUNK_POINTS = 2048
#: Maximal number of bisection rounds of the adaptive quadrature.
MAX_LEVELS = 60
#: At most this many quadrature pieces per sweep point ...
MAX_POINT_PIECES = 1 << 12
#: ... and per chunk of :data:`CHUNK_POINTS` points (bounds the memory of the adaptive rule).
MAX_CHUNK_PIECES = 1 << 19
#: Error estimates are not taken below this multiple of ``int |integrand|`` (round-off of the sums).
_ROUNDOFF_FLOOR = 50.0 * np.finfo(float).eps

#: Grading of break points around a Fermi level, in units of the temperature (beyond 27 T the
#: Fermi function is within 2e-12 of 0 or 1; the adaptive rule refines where needed).
_FERMI_GRADING = np.array([0.0, -3.0, 3.0, -27.0, 27.0])
#: Grading of break points around the resonance, in units of its local half-width (x4 steps
#: reach across the band even for a resonance pinned near a band edge).
_LEVEL_GRADING = np.concatenate([[0.0], np.outer([-1.0, 1.0], 0.5 * 4.0 ** np.arange(9)).T.ravel()])
#: Ratio of successive break points graded towards a band edge (see :meth:`NESS._edge_breaks`).
_EDGE_RATIO = 4.0
#: Pole scales below ``_EDGE_FLOOR * h`` are not graded (their feature has weight < ~1e-13).
_EDGE_FLOOR = 1e-26


# ----------------------------------------------------------------------------- quadrature rule
@lru_cache(maxsize=8)
def _gauss_kronrod(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The ``n``-point Gauss rule and its ``2n+1``-point Kronrod extension on ``[-1, 1]``.

    The ``n + 1`` new nodes are the zeros of the Stieltjes polynomial :math:`E_{n+1}`, defined by
    :math:`\int_{-1}^1 P_n(x) E_{n+1}(x) P_k(x)\,dx = 0` for :math:`k \le n`; its Legendre
    coefficients solve a small linear system of triple-product integrals (computed exactly by
    a Gauss rule). The Kronrod weights make the rule exact up to degree :math:`3n + 1`.

    Returns
    -------
    x, w_kronrod, w_gauss : ndarray, shape (2n+1,)
        Ascending nodes, Kronrod weights and Gauss weights (zero at the Kronrod-only nodes).
    """
    xg, wg = _legendre.leggauss(n)
    xq, wq = _legendre.leggauss(2 * n + 2)
    P = _legendre.legvander(xq, n + 1)
    js = [j for j in range(n + 1) if (n + 1 - j) % 2 == 0]   # E_{n+1} has the parity of n + 1
    ks = list(range(1, n + 1, 2))                           # only these conditions are not trivially zero
    wPn = wq * P[:, n]
    M = np.array([[np.sum(wPn * P[:, j] * P[:, k]) for j in js] for k in ks])
    rhs = -np.array([np.sum(wPn * P[:, n + 1] * P[:, k]) for k in ks])
    coef = np.zeros(n + 2)
    coef[n + 1] = 1.0
    coef[js] = np.linalg.solve(M, rhs)
    x = np.sort(np.concatenate([xg, np.real(_legendre.legroots(coef))]))
    x = 0.5 * (x - x[::-1])  # exactly symmetric
    moments = np.zeros(2 * n + 1)
    moments[0] = 2.0
    wk = np.linalg.solve(_legendre.legvander(x, 2 * n).T, moments)
    wk = 0.5 * (wk + wk[::-1])
    w_gauss = np.zeros_like(x)
    w_gauss[1::2] = wg  # Gauss and Kronrod nodes interlace
    if not np.allclose(x[1::2], xg, atol=1e-13, rtol=0.0):
        raise RuntimeError(f"Gauss-Kronrod construction failed for n = {n}")
    x[1::2] = xg
    return x, wk, w_gauss


@lru_cache(maxsize=8)
def _theta_rule(n: int) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    r"""The rule in :math:`\theta \in [0, \pi]` for a piece :math:`[a, b]`, :math:`\omega = c - r\cos\theta`.

    Returns ``(1 - cos(theta), 1 + cos(theta), k, W)``: node ``j < k`` lies at
    :math:`a + r(1 - \cos\theta_j)`, node ``j >= k`` at :math:`b - r(1 + \cos\theta_j)` (each
    measured from its nearer end, so that nodes close to an end keep full relative accuracy), and
    :math:`\int_a^b f\,d\omega \approx r \sum_j f_j W_{j,0}` (Kronrod) or :math:`r \sum_j f_j W_{j,1}`
    (Gauss), the weights including the Jacobian :math:`\sin\theta`.
    """
    x, wk, wg = _gauss_kronrod(n)
    theta = 0.5 * np.pi * (x + 1.0)
    jac = 0.5 * np.pi * np.sin(theta)
    one_minus, one_plus = 2.0 * np.sin(0.5 * theta) ** 2, 2.0 * np.cos(0.5 * theta) ** 2
    return one_minus, one_plus, (x.size + 1) // 2, np.stack([jac * wk, jac * wg], axis=1)


def _grading(center: np.ndarray, scale: np.ndarray, steps: np.ndarray) -> np.ndarray:
    return center[:, None] + scale[:, None] * steps[None, :]


def _snap_to_edges(b: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Move a break point much closer to a band edge than to its other neighbour onto the edge.

    ``b`` holds sorted break points per row (first and last column: the ends). No long piece
    then ends just short of a square-root branch point, which would slow convergence.
    """
    if b.shape[1] <= 2:
        return b
    on_edge = np.isin(b, edges)
    gap_l, gap_r = b[:, 1:-1] - b[:, :-2], b[:, 2:] - b[:, 1:-1]
    free = ~on_edge[:, 1:-1]
    snap_l = free & on_edge[:, :-2] & (gap_l < 0.25 * gap_r)
    snap_r = free & on_edge[:, 2:] & (gap_r < 0.25 * gap_l) & ~snap_l
    b = b.copy()
    b[:, 1:-1] = np.where(snap_l, b[:, :-2], np.where(snap_r, b[:, 2:], b[:, 1:-1]))
    return b


# ----------------------------------------------------------------------------- adaptive integration
class _AdaptiveQuadrature:
    """The continuum integrals of :class:`NESS` (a mixin: uses its ``dot``, sweep arrays, ``tol`` and ``_n``)."""

    # ---- adaptive quadrature
    def _integrate(self, kernel: _Kernel, powers: Sequence[int],
                   extra: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Integrals ``(m, P)`` of the ``m`` node-wise outputs of ``kernel`` over the continuum.

        ``powers[j]``: output ``j`` is an energy to that power times a density, so its absolute
        tolerance is ``tol * h_max**powers[j]``. ``extra``: a further ``(mu, T)`` per point whose
        Fermi edge needs break points. Points are processed :data:`CHUNK_POINTS` at a time.
        """
        P = self._eps.size
        out = np.empty((len(powers), P))
        unit = np.array([self.dot.energy_scale ** p for p in powers], dtype=float)[:, None]
        if P <= CHUNK_POINTS and extra is None:   # one chunk: its initial pieces serve every integral
            out[:] = self._adaptive(np.arange(P), self._base_pieces, kernel, unit)
            return out
        for start in range(0, P, CHUNK_POINTS):
            pts = np.arange(start, min(P, start + CHUNK_POINTS))
            out[:, pts] = self._adaptive(pts, self._initial_pieces(pts, extra), kernel, unit)
        return out

    @cached_property
    def _base_pieces(self) -> "_Pieces":
        return self._initial_pieces(np.arange(self._eps.size), None)

    def _adaptive(self, pts: np.ndarray, pieces: "_Pieces", kernel: _Kernel, unit: np.ndarray) -> np.ndarray:
        """Bisect pieces of each point until its estimated errors meet the tolerance; the integrals ``(m, n_pts)``."""
        n_pts, m = pts.size, unit.shape[0]
        pid, anc, ao, bo = pieces
        cap = max(MAX_CHUNK_PIECES, 2 * pid.size)
        val, err, l1 = self._quad(pts[pid], anc, ao, bo, kernel, m)
        for _ in range(MAX_LEVELS):
            total, bad, bound = self._assess(pid, val, err, l1, unit, n_pts)
            if not bad.any():
                return total
            split = self._to_split(pid, ao, bo, err, l1, bad, bound, n_pts, cap)
            if not split.any():
                break
            keep = ~split
            mid = 0.5 * (ao[split] + bo[split])
            new = (np.concatenate([pid[split]] * 2), np.concatenate([anc[split]] * 2),
                   np.concatenate([ao[split], mid]), np.concatenate([mid, bo[split]]))
            nval, nerr, nl1 = self._quad(pts[new[0]], *new[1:], kernel, m)
            pid, anc, ao, bo = (np.concatenate([old[keep], fresh]) for old, fresh in zip((pid, anc, ao, bo), new))
            val, err, l1 = (np.concatenate([old[:, keep], fresh], axis=1)
                            for old, fresh in zip((val, err, l1), (nval, nerr, nl1)))
        total, bad, bound = self._assess(pid, val, err, l1, unit, n_pts)
        if bad.any():
            worst = float(np.max(self._sum(pid, err, n_pts) / bound))
            warnings.warn(f"negf: adaptive quadrature did not reach tol = {self.tol:g} at {int(bad.sum())} sweep "
                          f"point(s) (estimated error up to {worst:.2g} x tol)", RuntimeWarning, stacklevel=4)
        return total

    @staticmethod
    def _to_split(pid: np.ndarray, ao: np.ndarray, bo: np.ndarray, err: np.ndarray, l1: np.ndarray, bad: np.ndarray,
                  bound: np.ndarray, n_pts: int, cap: int) -> np.ndarray:
        """Pieces to bisect: of points that miss the tolerance, those with more than half their share of it.

        Pieces at the round-off floor of the error estimate or too narrow to halve are left alone;
        at most :data:`MAX_POINT_PIECES` pieces per point and ``cap`` (:data:`MAX_CHUNK_PIECES`, or
        twice the initial number) in all, the worst first, so memory stays bounded whatever the integrand.
        """
        eps = np.finfo(float).eps
        count = np.bincount(pid, minlength=n_pts)
        share = np.max(err / bound[:, pid], axis=0) * count[pid]
        halvable = (bo - ao > 8.0 * eps * np.maximum(np.abs(ao), np.abs(bo))) & (bo - ao > 1e-280)
        improvable = np.any(err > 100.0 * eps * l1, axis=0)
        split = bad[pid] & (share > 0.5) & halvable & improvable & (count[pid] < MAX_POINT_PIECES)
        budget = max(0, cap - pid.size)
        if np.count_nonzero(split) > budget:
            cand = np.flatnonzero(split)
            split[:] = False
            split[cand[np.argsort(-share[cand], kind="stable")[:budget]]] = True
        return split

    @staticmethod
    def _sum(pid: np.ndarray, x: np.ndarray, n_pts: int) -> np.ndarray:
        return np.stack([np.bincount(pid, weights=row, minlength=n_pts) for row in x])

    def _assess(self, pid: np.ndarray, val: np.ndarray, err: np.ndarray, l1: np.ndarray, unit: np.ndarray,
                n_pts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per point: integrals, which points miss the tolerance, and their error budgets."""
        total = self._sum(pid, val, n_pts)
        bound = self.tol * np.maximum(unit, self._sum(pid, l1, n_pts))
        bad = np.any(self._sum(pid, err, n_pts) > bound, axis=0)
        return total, bad, bound

    def _quad(self, idx: np.ndarray, anc: np.ndarray, ao: np.ndarray, bo: np.ndarray, kernel: _Kernel,
              m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kronrod values, error estimates ``|Kronrod - Gauss|`` and Kronrod values of ``|integrand|`` per piece.

        Piece ``r`` is ``[anc + ao, anc + bo]``; batches of at most :data:`CHUNK_NODES` nodes.
        """
        one_minus, one_plus, k, W = _theta_rule(self._n)
        R, N = ao.size, one_minus.size
        val, err, l1 = np.empty((m, R)), np.empty((m, R)), np.empty((m, R))
        rows = max(1, CHUNK_NODES // N)
        for s in range(0, R, rows):
            sl = slice(s, min(R, s + rows))
            a, b = ao[sl, None], bo[sl, None]
            rad = 0.5 * (b - a)
            t = np.empty((a.shape[0], N))
            t[:, :k] = a + rad * one_minus[:k]
            t[:, k:] = b - rad * one_plus[k:]
            q = _Nodes(self, idx[sl], anc[sl], t)
            rad = rad[:, 0]
            for j, f in enumerate(kernel(q)):
                kg = np.einsum("ij,jk->ik", f, W)
                val[j, sl] = rad * kg[:, 0]
                l1[j, sl] = rad * np.einsum("ij,j->i", np.abs(f), W[:, 0])
                # |K - G|, but not below the round-off floor of the sum (as QUADPACK)
                err[j, sl] = np.maximum(rad * np.abs(kg[:, 0] - kg[:, 1]), _ROUNDOFF_FLOOR * l1[j, sl])
        return val, err, l1

    # ---- initial pieces
    def _initial_pieces(self, pts: np.ndarray, extra: tuple[np.ndarray, np.ndarray] | None) -> "_Pieces":
        """Initial pieces ``(point, anchor, a, b)`` of the points ``pts`` (point index local to ``pts``).

        Break points are held as ``(cell, offset)``: ``cell`` indexes the band edge nearest to the
        point (``edges[cell]``) and ``offset`` is the distance from it, so break points graded
        towards an edge may lie closer to it than the spacing of floating-point numbers there.
        """
        d = self.dot
        lo, hi = self._lo, self._hi
        edges = np.unique(d.band_edges)
        inner = edges[(edges > lo) & (edges < hi)]  # edges strictly inside: extra break points
        parts = [np.broadcast_to(inner, (pts.size, inner.size)),
                 _grading(*self._resonance(self._eps[pts]), _LEVEL_GRADING),
                 _grading(self._mu_L[pts], self._T_L[pts], _FERMI_GRADING),
                 _grading(self._mu_R[pts], self._T_R[pts], _FERMI_GRADING)]
        if extra is not None:
            parts.append(_grading(extra[0][pts], extra[1][pts], _FERMI_GRADING))
        ends = np.ones((pts.size, 1))
        br = np.sort(np.concatenate([lo * ends, np.clip(np.concatenate(parts, axis=1), lo, hi), hi * ends], axis=1),
                     axis=1)
        br = _snap_to_edges(br, d.band_edges)
        cell = np.searchsorted(0.5 * (edges[1:] + edges[:-1]), br)
        off = br - edges[cell]
        e_cell, e_off = self._edge_breaks(self._eps[pts], edges)
        cell, off = np.concatenate([cell, e_cell], axis=1), np.concatenate([off, e_off], axis=1)
        order = np.argsort(off, axis=1, kind="stable")
        order = np.take_along_axis(order, np.argsort(np.take_along_axis(cell, order, axis=1), axis=1, kind="stable"),
                                   axis=1)
        cell, off = np.take_along_axis(cell, order, axis=1), np.take_along_axis(off, order, axis=1)
        anc = edges[cell[:, :-1]]
        ao, bo = off[:, :-1], (edges[cell[:, 1:]] - anc) + off[:, 1:]
        keep = bo > ao
        pid = np.broadcast_to(np.arange(pts.size)[:, None], ao.shape)[keep]
        return pid, anc[keep], ao[keep], bo[keep]

    def _resonance(self, eps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Renormalised peak ``w = eps + Re Sigma(w)`` (clipped to the continuum) and its half-width.

        Only break points depend on this: a poor estimate costs accuracy, never correctness.
        """
        d = self.dot
        w = eps.copy()
        for _ in range(4):
            w = np.clip(eps + np.real(d.v_L ** 2 * _surface_green(w, d.eps_L, d.h_L)
                                      + d.v_R ** 2 * _surface_green(w, d.eps_R, d.h_R)), self._lo, self._hi)
        half = 0.5 * np.asarray(d.gamma(w))
        return w, np.maximum(half, 1e-3 * d.width_scale)

    def _edge_breaks(self, eps: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r"""Break points ``(cell, offset)`` graded towards each band edge on the scale of its nearest pole.

        The pole at distance :math:`s = |F(E)|^2/a^2` (see :meth:`Dot._edge_poles`) makes
        :math:`A` vary on the scale :math:`s` next to the edge; offsets :math:`\pm s\,4^j`
        (:math:`s\,4^j < h`, inside the continuum and nearer to this edge than to the next) resolve
        it. Only points near a bound-state threshold get any; unused slots are ``(0, 0.0)``, a
        copy of the lower end of the continuum.
        """
        E, c, a, h = self.dot._edge_poles()
        s = np.maximum(np.abs(c[None, :] - eps[:, None]) ** 2 / (a * a)[None, :], _EDGE_FLOOR * h[None, :])
        count = np.maximum(np.ceil(np.log(h[None, :] / s) / math.log(_EDGE_RATIO)), 0.0)
        n_max = int(np.max(count, initial=0.0))
        if n_max == 0:
            return np.zeros((eps.size, 0), dtype=int), np.zeros((eps.size, 0))
        room_lo, room_hi = self._edge_rooms(edges)
        dist = s[:, :, None] * _EDGE_RATIO ** np.arange(n_max)[None, None, :]      # (P, n_edges, n_max)
        used = np.arange(n_max)[None, None, :] < count[:, :, None]
        lower = np.where(used & (dist <= room_lo[None, :, None]), -dist, np.nan)
        upper = np.where(used & (dist <= room_hi[None, :, None]), dist, np.nan)
        off = np.concatenate([lower, upper], axis=2).reshape(eps.size, -1)
        cell = np.broadcast_to(np.arange(E.size)[None, :, None], lower.shape[:2] + (2 * n_max,)).reshape(eps.size, -1)
        unused = np.isnan(off)
        return np.where(unused, 0, cell), np.where(unused, 0.0, off)

    def _edge_rooms(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per edge: how far below / above it graded break points may go (half-way to the next edge, in the bands)."""
        half = 0.5 * np.diff(edges)
        mids = 0.5 * (edges[1:] + edges[:-1])
        in_support = np.array([any(lo < x < hi for lo, hi in self.dot.support) for x in mids], dtype=bool)
        half = np.where(in_support, half, 0.0)
        return np.concatenate([[0.0], half]), np.concatenate([half, [0.0]])
