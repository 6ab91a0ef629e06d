"""The dot between two leads (Green functions, transmission, bound states, spectral weight) and steady_state."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq

from .. import _validate as V
from ._leads import LEADS, _surface_green
from ._ness import NESS
from ._nodes import _kernel_weight
from ._ranges import (MIN_HOPPING_RATIO, N_NODES, TOL, _as_param, _coupling, _energy, _energy_array, _hopping,
                      _node_count, _tolerance)


# ----------------------------------------------------------------------------- the dot
@dataclass(frozen=True)
class BoundState:
    """A pole of the dot Green function outside the lead bands.

    Parameters
    ----------
    energy : float
        Pole position :math:`\\omega_b` (energy units), outside the continuum.
    weight : float
        Spectral weight :math:`Z = 1/(1 - \\Sigma'(\\omega_b))`, in ``(0, 1)``.

    Attributes
    ----------
    energy : float
        Pole position :math:`\\omega_b`.
    weight : float
        Spectral weight :math:`Z`.
    """

    energy: float
    weight: float


class Dot:
    r"""A single level between two semi-infinite tight-binding leads.

    Parameters
    ----------
    eps_qb : float
        Level energy :math:`\varepsilon_{QB}`, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.
    v : float
        Tunnelling amplitude for both leads (default 0.12, the paper's), with
        :math:`10^{-3} \le v/h \le 10^2` (:data:`COUPLING_RANGE`).
    h : float
        Lead hopping for both leads, in :data:`HOPPING_RANGE` (``[1e-6, 1e6]``); it sets the
        energy unit: the band of a lead is :math:`[\varepsilon_\alpha - 2h, \varepsilon_\alpha + 2h]`.
    eps_lead : float
        Lead band centre for both leads, :math:`|\varepsilon_\alpha| \le 10^6 h_{max}`.
    v_L, v_R, h_L, h_R, eps_L, eps_R : float, optional
        Per-lead values overriding ``v``, ``h``, ``eps_lead`` (same ranges; in addition
        :math:`\min(h_L, h_R) \ge 10^{-3} \max(h_L, h_R)`, :data:`MIN_HOPPING_RATIO`).

    Attributes
    ----------
    eps_qb, v_L, v_R, h_L, h_R, eps_L, eps_R : float
        The validated parameters.

    Raises
    ------
    ValueError
        For non-finite values or values outside the ranges above (the message names the
        parameter and its range). :math:`h_{max} = \max(h_L, h_R)`.

    Examples
    --------
    >>> dot = Dot(eps_qb=0.4, v=0.12, h=1.0)
    >>> round(float(dot.transmission(0.4)), 4)   # just below the peak at 0.4 + Re Sigma
    0.96
    >>> dot.bound_states()                         # none in the paper's regime
    []
    """

    def __init__(self, eps_qb: float = 0.0, v: float = 0.12, h: float = 1.0, eps_lead: float = 0.0, *,
                 v_L: float | None = None, v_R: float | None = None, h_L: float | None = None,
                 h_R: float | None = None, eps_L: float | None = None, eps_R: float | None = None):
        self.h_L = _hopping(h if h_L is None else h_L, "h_L" if h_L is not None else "h")
        self.h_R = _hopping(h if h_R is None else h_R, "h_R" if h_R is not None else "h")
        if min(self.h_L, self.h_R) < MIN_HOPPING_RATIO * max(self.h_L, self.h_R):
            raise ValueError(f"h_L and h_R must satisfy min(h_L, h_R) >= {MIN_HOPPING_RATIO:g} max(h_L, h_R); "
                             f"got h_L = {self.h_L:g}, h_R = {self.h_R:g}")
        self.v_L = _coupling(v if v_L is None else v_L, "v_L" if v_L is not None else "v", self.h_L,
                             "h_L" if h_L is not None else "h")
        self.v_R = _coupling(v if v_R is None else v_R, "v_R" if v_R is not None else "v", self.h_R,
                             "h_R" if h_R is not None else "h")
        unit = self.energy_scale
        self.eps_qb = _energy(eps_qb, "eps_qb", unit)
        self.eps_L = _energy(eps_lead if eps_L is None else eps_L, "eps_L" if eps_L is not None else "eps_lead", unit)
        self.eps_R = _energy(eps_lead if eps_R is None else eps_R, "eps_R" if eps_R is not None else "eps_lead", unit)

    def __repr__(self) -> str:
        return (f"Dot(eps_qb={self.eps_qb}, v_L={self.v_L}, v_R={self.v_R}, h_L={self.h_L}, "
                f"h_R={self.h_R}, eps_L={self.eps_L}, eps_R={self.eps_R})")

    def with_level(self, eps_qb: float) -> "Dot":
        r"""A copy with another level energy.

        Parameters
        ----------
        eps_qb : float
            The new level energy, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.

        Returns
        -------
        Dot
            Same leads, level ``eps_qb``.

        Raises
        ------
        ValueError
            If ``eps_qb`` is not finite or out of range.
        """
        return Dot(eps_qb, v_L=self.v_L, v_R=self.v_R, h_L=self.h_L, h_R=self.h_R,
                   eps_L=self.eps_L, eps_R=self.eps_R)

    # ---- leads
    @property
    def energy_scale(self) -> float:
        r""":math:`h_{max} = \max(h_L, h_R)`: the unit of the parameter ranges and of ``tol``."""
        return max(self.h_L, self.h_R)

    def lead(self, name: str) -> tuple[float, float, float]:
        """Parameters of one lead.

        Parameters
        ----------
        name : {"L", "R"}
            The lead.

        Returns
        -------
        (float, float, float)
            ``(eps, h, v)``: band centre, hopping and tunnelling amplitude of the lead.

        Raises
        ------
        ValueError
            For another lead name.
        """
        V.choice(name, "lead", LEADS)
        return (self.eps_L, self.h_L, self.v_L) if name == "L" else (self.eps_R, self.h_R, self.v_R)

    @property
    def band_edges(self) -> np.ndarray:
        """The four band edges ``[eps_L - 2h_L, eps_L + 2h_L, eps_R - 2h_R, eps_R + 2h_R]`` (energy units)."""
        return np.array([self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L,
                         self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R])

    @property
    def support(self) -> list[tuple[float, float]]:
        """The continuum: the union of the two bands as disjoint sorted intervals (energy units)."""
        bands = sorted([(self.eps_L - 2 * self.h_L, self.eps_L + 2 * self.h_L),
                        (self.eps_R - 2 * self.h_R, self.eps_R + 2 * self.h_R)])
        if bands[1][0] <= bands[0][1]:
            return [(bands[0][0], max(bands[0][1], bands[1][1]))]
        return bands

    @property
    def width_scale(self) -> float:
        r"""Resonance width scale :math:`v_L^2/h_L + v_R^2/h_R` (:math:`= \max\Gamma/2`, energy units)."""
        return self.v_L ** 2 / self.h_L + self.v_R ** 2 / self.h_R

    def _energies(self, w: Any) -> np.ndarray:
        return _energy_array(w, "w", self.energy_scale)

    # ---- Green functions
    def self_energy(self, w: Any, lead: str | None = None) -> np.ndarray | complex:
        r"""Retarded self-energy :math:`\Sigma_\alpha = v_\alpha^2 g_\alpha(\omega)`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.
        lead : {"L", "R"}, optional
            One lead; default ``None``: the sum over both leads.

        Returns
        -------
        complex or ndarray of complex
            :math:`\Sigma(\omega)` (energy units), same shape as ``w``.

        Raises
        ------
        ValueError
            For bad energies or an unknown lead.
        """
        if lead is None:
            return np.asarray(self.self_energy(w, "L")) + np.asarray(self.self_energy(w, "R"))
        eps, h, v = self.lead(lead)
        g = _surface_green(self._energies(w), eps, h)
        out = v * v * g
        return out if out.ndim else complex(out)

    def gamma(self, w: Any, lead: str | None = None) -> np.ndarray:
        r"""Broadening :math:`\Gamma_\alpha = -2\,\mathrm{Im}\,\Sigma_\alpha`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.
        lead : {"L", "R"}, optional
            One lead; default ``None``: the sum over both leads.

        Returns
        -------
        ndarray
            :math:`\Gamma(\omega) \ge 0` (energy units), same shape as ``w`` (0-d for a scalar).

        Raises
        ------
        ValueError
            For bad energies or an unknown lead.
        """
        return -2.0 * np.imag(self.self_energy(w, lead))

    def _G(self, w: np.ndarray, eps_qb: Any) -> np.ndarray:
        return 1.0 / (w - eps_qb - np.asarray(self.self_energy(w)))

    def greens_function(self, w: Any) -> np.ndarray:
        r"""Retarded dot Green function :math:`G(\omega + i0^+)` on the real axis.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}` (not exactly at a bound state).

        Returns
        -------
        ndarray of complex
            :math:`G(\omega)` (units of 1/energy), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        return self._G(self._energies(w), self.eps_qb)

    def spectral_function(self, w: Any) -> np.ndarray:
        r"""Continuum spectral function :math:`A = \Gamma|G|^2/(2\pi) = -\mathrm{Im}\,G/\pi`.

        Bound states (delta peaks outside the bands) are not included: see :meth:`bound_states`.

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.

        Returns
        -------
        ndarray
            :math:`A(\omega) \ge 0` (units of 1/energy), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        w = self._energies(w)
        return self.gamma(w) * np.abs(self._G(w, self.eps_qb)) ** 2 / (2.0 * np.pi)

    def transmission(self, w: Any) -> np.ndarray:
        r"""Transmission :math:`\tau = \Gamma_L\Gamma_R|G|^2` (:math:`0 \le \tau \le 1`).

        Parameters
        ----------
        w : float or array_like
            Real energies, :math:`|\omega| \le 10^6 h_{max}`.

        Returns
        -------
        ndarray
            :math:`\tau(\omega)` (dimensionless), same shape as ``w``.

        Raises
        ------
        ValueError
            For non-finite or out-of-range energies.
        """
        w = self._energies(w)
        return self.gamma(w, "L") * self.gamma(w, "R") * np.abs(self._G(w, self.eps_qb)) ** 2

    # ---- bound states
    def _sigma_real(self, w: float) -> float:
        return float(sum(self.lead(a)[2] ** 2 * np.real(_surface_green(np.asarray(w), *self.lead(a)[:2]))
                         for a in LEADS))

    def _gaps(self) -> list[tuple[float, float]]:
        """Intervals outside the continuum (open ends as +-inf)."""
        sup = self.support
        out = [(-math.inf, sup[0][0])]
        out += [(sup[i][1], sup[i + 1][0]) for i in range(len(sup) - 1)]
        return out + [(sup[-1][1], math.inf)]

    def bound_states(self, eps_qb: float | None = None) -> list[BoundState]:
        r"""Poles of :math:`G` outside the bands (at most one per gap).

        The root of :math:`F(\omega) = \omega - \varepsilon_{QB} - \mathrm{Re}\,\Sigma(\omega)` is found
        in the variable :math:`y = \sqrt{|\omega - E|}` measured from the nearer gap end :math:`E` (a
        band edge), with the self-energy of a lead ending at :math:`E` written through
        :math:`\kappa = 2\,\mathrm{asinh}(y/2\sqrt{h})` (:math:`g = \pm e^{-\kappa}/h`). This keeps the
        weight accurate for a pole arbitrarily close to the edge (near a threshold), where
        :math:`Z \propto y` is not resolved by :math:`\omega` in floating point.

        Parameters
        ----------
        eps_qb : float, optional
            Level energy, :math:`|\varepsilon_{QB}| \le 10^6 h_{max}` (default: this dot's).

        Returns
        -------
        list of BoundState
            Sorted by energy; empty in the paper's regime. States with weight below 1e-12
            (a pole on a band edge, at a threshold) are omitted.

        Raises
        ------
        ValueError
            If ``eps_qb`` is not finite or out of range.
        """
        e0 = self.eps_qb if eps_qb is None else _energy(eps_qb, "eps_qb", self.energy_scale)
        span = abs(e0) + float(np.max(np.abs(self.band_edges))) + self.width_scale + self.energy_scale
        out = []
        for a, b in self._gaps():
            for E, sign, room in self._gap_sides(a, b, e0, span):
                state = self._bound_state_near(E, sign, room, e0)
                if state is not None:
                    out.append(state)
        return sorted(out, key=lambda s: s.energy)

    def _gap_sides(self, a: float, b: float, e0: float, span: float) -> list[tuple[float, float, float]]:
        """Where to search a gap ``(a, b)``: ``[(E, sign, room)]``, ``omega = E + sign * y**2``, ``y**2 <= room``."""
        if not math.isfinite(a):
            return [(b, -1.0, span)]
        if not math.isfinite(b):
            return [(a, 1.0, span)]
        mid = 0.5 * (a + b)  # search from the end nearer to the root (where the accuracy matters)
        F_mid = mid - e0 - self._sigma_real(mid)
        return [(a, 1.0, b - a)] if F_mid > 0.0 else [(b, -1.0, b - a)]

    def _edge_terms(self, E: float, sign: float, y: float) -> tuple[float, float]:
        """``(const, smooth)`` with ``F(omega) = (E - eps_qb + const) + sign * smooth`` at ``omega = E + sign * y**2``.

        For ``omega`` outside the bands. Leads with an edge at ``E`` are written in the
        cancellation-free form of :meth:`bound_states`; ``const`` does not depend on ``y`` for them.
        """
        w = E + sign * y * y
        const, smooth = 0.0, y * y
        for name in LEADS:
            eps, h, v = self.lead(name)
            if E in (eps - 2.0 * h, eps + 2.0 * h):
                const -= sign * v * v / h
                smooth -= v * v / h * math.expm1(-2.0 * math.asinh(y / (2.0 * math.sqrt(h))))
            else:
                const -= v * v * float(np.real(_surface_green(np.asarray(w), eps, h)))
        return const, smooth

    def _edge_slope(self, E: float, sign: float, y: float) -> float:
        r""":math:`\Sigma'(\omega) < 0` at ``omega = E + sign * y**2`` outside the bands (``-inf`` on an edge)."""
        w = E + sign * y * y
        slope = 0.0
        for name in LEADS:
            eps, h, v = self.lead(name)
            if E in (eps - 2.0 * h, eps + 2.0 * h):
                kappa = 2.0 * math.asinh(y / (2.0 * math.sqrt(h)))
                if kappa == 0.0:
                    return -math.inf
                slope -= v * v * math.exp(-kappa) / (2.0 * h * h * math.sinh(kappa))
            else:
                g = float(np.real(_surface_green(np.asarray(w), eps, h)))
                denom = 1.0 - h * h * g * g
                if denom <= 0.0:
                    return -math.inf
                slope -= v * v * g * g / denom
        return slope

    def _bound_state_near(self, E: float, sign: float, room: float, e0: float) -> BoundState | None:
        """The pole at ``omega = E + sign * y**2`` with ``0 < y**2 <= room``, if any."""
        def F(y: float) -> float:
            const, smooth = self._edge_terms(E, sign, y)
            return sign * ((E - e0 + const) + sign * smooth)  # increasing in y

        y_max = math.sqrt(room)
        if not (F(0.0) < 0.0 < F(y_max)):
            return None
        y = brentq(F, 0.0, y_max, xtol=1e-300, rtol=4.0 * np.finfo(float).eps, maxiter=500)
        weight = 1.0 / (1.0 - self._edge_slope(E, sign, y))
        if not weight > 1e-12:  # a root on the band edge (threshold) has no weight
            return None
        return BoundState(float(E + sign * y * y), float(weight))

    def spectral_weight(self, tol: float = TOL, n_nodes: int = N_NODES) -> dict[str, float]:
        r"""Sum rule :math:`\int A\,d\omega + \sum_b Z_b = 1`, term by term.

        Parameters
        ----------
        tol : float
            Target absolute accuracy of the continuum integral, in :data:`TOL_RANGE`
            (default 1e-11).
        n_nodes : int
            Gauss nodes per piece of the adaptive Gauss–Kronrod rule, in ``[8, 200]`` (default 16).

        Returns
        -------
        dict
            ``{"continuum": int A dw, "bound": sum_b Z_b, "total": ...}`` (dimensionless; the
            total is 1 up to ``tol``).

        Raises
        ------
        ValueError
            For ``tol`` or ``n_nodes`` out of range.
        """
        ness = steady_state(self, 0.0, 0.0, 0.0, 0.0, tol=tol, n_nodes=n_nodes)
        cont = float(ness._integrate(_kernel_weight, (0,))[0, 0])
        bound = float(sum(b.weight for b in self.bound_states()))
        return {"continuum": cont, "bound": bound, "total": cont + bound}

    def _edge_poles(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        r"""Per distinct band edge :math:`E`: ``(E, c, a, h)`` with :math:`F(E) = c - \varepsilon_{QB}`.

        Near :math:`E`, :math:`F(\omega) \approx F(E) + i a \sqrt{\omega - E}` on the band side
        (:math:`a = \sum v_\alpha^2 / h_\alpha^{3/2}` over the leads with an edge at :math:`E`;
        the other lead contributes its complex :math:`\Sigma(E)` to ``c``), so :math:`G` has a pole
        (bound or virtual state) at distance :math:`|F(E)|^2/a^2` from :math:`E`. ``h`` is the
        smallest hopping of those leads (the scale up to which the grading reaches).
        """
        rows = []
        for E in np.unique(self.band_edges):
            c, a, hs = complex(E), 0.0, []
            for name in LEADS:
                eps, h, v = self.lead(name)
                if E in (eps - 2 * h, eps + 2 * h):
                    c -= v * v * (1.0 if E > eps else -1.0) / h
                    a += v * v / h ** 1.5
                    hs.append(h)
                else:
                    c -= v * v * complex(_surface_green(np.asarray(E), eps, h))
            rows.append((E, c, a, min(hs)))
        E, c, a, h = (np.array(x) for x in zip(*rows))
        return E, c, a, h


def steady_state(dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, *, eps_qb: Any = None,
                 bound_occupation: float | None = None, n_nodes: int = N_NODES, tol: float = TOL) -> NESS:
    r"""The non-equilibrium steady state of ``dot`` between reservoirs ``(mu_L, T_L)`` and ``(mu_R, T_R)``.

    Parameters
    ----------
    dot : Dot
        The junction.
    mu_L, mu_R : float or array_like
        Chemical potentials, :math:`|\mu| \le 10^6 h_{max}` (arrays broadcast together with the
        other parameters: a vectorised sweep of any size; memory stays bounded).
    T_L, T_R : float or array_like
        Temperatures: 0 (exact step functions) or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    eps_qb : float or array_like, optional
        Level energy (energies) overriding ``dot.eps_qb``, for sweeps over the gate;
        :math:`|\varepsilon_{QB}| \le 10^6 h_{max}`.
    bound_occupation : float, optional
        Occupation in ``[0, 1]`` assigned to bound states out of equilibrium (they exist only
        far outside the paper's regime; see the module docstring). Default: raise if needed.
    n_nodes : int
        Gauss nodes per piece of the adaptive Gauss–Kronrod rule, in ``[8, 200]`` (default 16).
        Affects only the cost, not the accuracy, which ``tol`` controls.
    tol : float
        Target accuracy of every continuum integral, in :data:`TOL_RANGE` (default 1e-11):
        absolute in units of :math:`h_{max}` (``tol`` for :math:`N`, :math:`S`,
        :math:`\beta W_{ext}`; ``tol * h_max`` for :math:`I_Q`; ``tol * h_max**2`` for
        :math:`J_E`), or relative to :math:`\int|\text{integrand}|` where that is larger.

    Returns
    -------
    NESS
        Quantities are computed on first access (and currents and occupation cached).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot`, out-of-range or non-broadcastable
        parameters, or a bad ``n_nodes``, ``tol`` or ``bound_occupation``.

    Examples
    --------
    >>> ness = steady_state(Dot(eps_qb=0.4), mu_L=0.6, mu_R=0.1, T_L=0.1, T_R=0.1)
    >>> ness.charge_current > 0
    True
    """
    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")
    unit = dot.energy_scale
    mu_L = _as_param(mu_L, "mu_L", unit)
    mu_R = _as_param(mu_R, "mu_R", unit)
    T_L = _as_param(T_L, "T_L", unit, temperature=True)
    T_R = _as_param(T_R, "T_R", unit, temperature=True)
    eps = _as_param(dot.eps_qb if eps_qb is None else eps_qb, "eps_qb", unit)
    if bound_occupation is not None:
        bound_occupation = V.real_number(bound_occupation, "bound_occupation", lo=0.0, hi=1.0)
    n_nodes = _node_count(n_nodes)
    tol = _tolerance(tol)
    try:
        np.broadcast_shapes(mu_L.shape, mu_R.shape, T_L.shape, T_R.shape, eps.shape)
    except ValueError as exc:
        raise ValueError("mu_L, mu_R, T_L, T_R and eps_qb must broadcast to one shape") from exc
    return NESS(dot, mu_L, mu_R, T_L, T_R, eps, bound_occupation, n_nodes, tol)
