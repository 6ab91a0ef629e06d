"""Node-wise physics on batches of quadrature pieces, and the integrands (kernels) built from it."""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from ._thermo import _fermi_pair, _log_fermi, _xlogx

if TYPE_CHECKING:
    from ._ness import NESS


# ----------------------------------------------------------------------------- node-wise physics
class _Nodes:
    """Node-wise quantities on a batch of quadrature pieces (one row per piece), computed on first use.

    A node is stored as ``anchor + t``: ``anchor`` is the band edge nearest to its piece and ``t`` the
    offset from it, so distances to that edge (which enter square roots) carry no round-off of
    the absolute energy.
    """

    def __init__(self, ness: "NESS", idx: np.ndarray, anchor: np.ndarray, t: np.ndarray):
        self.ness = ness
        self.idx = idx        # sweep point of each row
        self.anchor = anchor  # (rows,)
        self.t = t            # (rows, nodes)

    def col(self, per_point: np.ndarray) -> np.ndarray:
        """A per-sweep-point array as a column matching the rows."""
        return per_point[self.idx][:, None]

    @cached_property
    def w(self) -> np.ndarray:
        """Absolute energies of the nodes."""
        return self.anchor[:, None] + self.t

    def _distances(self, eps: float, h: float) -> tuple[np.ndarray, np.ndarray]:
        """``(w - (eps - 2h), (eps + 2h) - w)``: distances to the two edges of a band."""
        return (self.anchor - (eps - 2.0 * h))[:, None] + self.t, ((eps + 2.0 * h) - self.anchor)[:, None] - self.t

    @cached_property
    def _leads(self) -> tuple[np.ndarray, np.ndarray, Any, np.ndarray]:
        """``(F, Gamma, Gamma_L/Gamma, Gamma_L Gamma_R)`` with ``F = w - eps_qb - Re Sigma``."""
        d = self.ness.dot
        vL2, vR2 = d.v_L ** 2, d.v_R ** 2
        if (d.eps_R, d.h_R) == (d.eps_L, d.h_L):  # identical bands: every node is inside the band
            eps, h, V2 = d.eps_L, d.h_L, vL2 + vR2
            x_lo, x_hi = self._distances(eps, h)
            gam = V2 * np.sqrt(x_lo * x_hi) / (h * h)
            # Re Sigma = V2 (w - eps) / (2 h^2) is linear: F from its value at the anchor, cancellation-free
            F0 = (self.anchor - self.col(self.ness._eps)[:, 0]) - V2 * (self.anchor - eps) / (2.0 * h * h)
            F = F0[:, None] + self.t * (1.0 - V2 / (2.0 * h * h))
            xL = vL2 / V2
            return F, gam, xL, xL * (1.0 - xL) * gam * gam
        re_L, im_L = self._lead_parts(d.eps_L, d.h_L)
        re_R, im_R = self._lead_parts(d.eps_R, d.h_R)
        gam_L, gam_R = -2.0 * vL2 * im_L, -2.0 * vR2 * im_R
        gam = gam_L + gam_R
        with np.errstate(invalid="ignore", divide="ignore"):
            xL = np.where(gam > 0.0, gam_L / np.where(gam > 0.0, gam, 1.0), 0.5)
        F = self.w - self.col(self.ness._eps) - (vL2 * re_L + vR2 * re_R)
        return F, gam, xL, gam_L * gam_R

    def _lead_parts(self, eps: float, h: float) -> tuple[np.ndarray, np.ndarray]:
        """``(Re g, Im g)`` of one lead at the nodes (square roots from exact edge distances)."""
        x_lo, x_hi = self._distances(eps, h)
        inside = (x_lo > 0.0) & (x_hi > 0.0)
        root = np.sqrt(np.abs(x_lo * x_hi))
        z = self.w - eps
        with np.errstate(divide="ignore", invalid="ignore"):
            outside = 2.0 / (z + np.where(z >= 0.0, root, -root))
        return np.where(inside, z / (2.0 * h * h), outside), np.where(inside, -root / (2.0 * h * h), 0.0)

    @cached_property
    def G2(self) -> np.ndarray:
        """:math:`|G|^2`."""
        F, gam = self._leads[0], self._leads[1]
        return 1.0 / (F * F + 0.25 * gam * gam)

    @cached_property
    def A(self) -> np.ndarray:
        """Spectral function."""
        return self._leads[1] * self.G2 / (2.0 * np.pi)

    @cached_property
    def tau(self) -> np.ndarray:
        """Transmission."""
        return self._leads[3] * self.G2

    @cached_property
    def _fermi_L(self) -> tuple[np.ndarray, np.ndarray]:
        return _fermi_pair(self.w, self.col(self.ness._mu_L), self.col(self.ness._T_L))

    @cached_property
    def _fermi_R(self) -> tuple[np.ndarray, np.ndarray]:
        return _fermi_pair(self.w, self.col(self.ness._mu_R), self.col(self.ness._T_R))

    @cached_property
    def df(self) -> np.ndarray:
        """:math:`f_L - f_R`."""
        return self._fermi_L[0] - self._fermi_R[0]

    @cached_property
    def fNE(self) -> np.ndarray:
        """Non-equilibrium distribution :math:`f^{NE}`."""
        xL = self._leads[2]
        return xL * self._fermi_L[0] + (1.0 - xL) * self._fermi_R[0]

    @cached_property
    def gNE(self) -> np.ndarray:
        """:math:`1 - f^{NE}`, accurate where :math:`f^{NE} \\to 1`."""
        xL = self._leads[2]
        return xL * self._fermi_L[1] + (1.0 - xL) * self._fermi_R[1]


#: An integrand: node-wise values (one array per integral) from the node-wise physics.
_Kernel = Callable[[_Nodes], Sequence[np.ndarray]]
#: Quadrature pieces ``(point, anchor, a, b)``: piece ``[anchor + a, anchor + b]`` of a sweep point.
_Pieces = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _kernel_weight(q: _Nodes) -> tuple[np.ndarray]:
    return (q.A,)


def _kernel_standard(q: _Nodes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Integrands of ``I_Q``, ``J_E``, ``N`` and ``E`` (continuum parts): they share all node-wise physics."""
    k = q.tau * q.df / (2.0 * np.pi)
    n = q.A * q.fNE
    return k, k * q.w, n, n * q.w


def _kernel_entropy(q: _Nodes) -> tuple[np.ndarray]:
    return (-q.A * (_xlogx(q.fNE) + _xlogx(q.gNE)),)


def _exergy_kernel(mu: np.ndarray, T: np.ndarray) -> _Kernel:
    def kernel(q: _Nodes) -> tuple[np.ndarray]:
        lf, lg = _log_fermi(q.w, q.col(mu), q.col(T))
        p, r = q.fNE, q.gNE
        return (q.A * ((_xlogx(p) - p * lf) + (_xlogx(r) - r * lg)),)
    return kernel


def _cold_work_kernel(mu: np.ndarray) -> _Kernel:
    def kernel(q: _Nodes) -> tuple[np.ndarray]:
        m = q.col(mu)
        step = np.where(q.w < m, 1.0, np.where(q.w > m, 0.0, 0.5))
        return (q.A * (q.w - m) * (q.fNE - step),)
    return kernel
