"""The non-equilibrium steady state of a dot: currents, thermodynamics (eqs. 7-13), the reduced state."""
from __future__ import annotations

import math
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .. import _validate as V
from ..thermo import roundoff_zero
from ._leads import LEADS
from ._nodes import _cold_work_kernel, _exergy_kernel, _kernel_entropy, _kernel_standard
from ._quadrature import _AdaptiveQuadrature
from ._ranges import N_NODES, TOL, _as_param
from ._thermo import _bernoulli_relative_entropy, _binary_entropy, _fermi_pair, _log_fermi

if TYPE_CHECKING:
    from ._dot import BoundState, Dot


# ----------------------------------------------------------------------------- steady state
class NESS(_AdaptiveQuadrature):
    r"""Non-equilibrium steady state of a :class:`Dot`; build it with :func:`steady_state`.

    Parameters may be arrays (a sweep): every property is then an array of the broadcast
    shape, computed in one vectorised, memory-bounded pass. Sign conventions:
    :attr:`charge_current` and :attr:`energy_current` are positive from left to right;
    ``heat_current("L")`` is the heat leaving the left reservoir and ``heat_current("R")`` the
    heat entering the right one (:math:`J_H^\alpha = J_E - \mu_\alpha I_Q`), so
    :math:`J_H^R - J_H^L = \Delta\mu\, I_Q`.

    Common steady-state interface (as :class:`qbcore.master.SteadyState`): :attr:`rho`,
    :attr:`H`, :attr:`energies`, :attr:`populations`, :attr:`ergotropy`, :attr:`kernel_dim`,
    :attr:`min_eigenvalue`, :attr:`is_positive`, :attr:`is_unique`, :attr:`stored_energy` and
    :attr:`level_energy` (:math:`\mathrm{Tr}\,\rho H`). Two names keep the meaning they had
    before that interface was added, and differ from it:

    * :attr:`energy` is the paper's eq. (11), :math:`\int \omega A f^{NE} d\omega`, which
      includes the dot's share of the hybridisation; :math:`\mathrm{Tr}\,\rho H =
      \varepsilon_{QB} N` is :attr:`level_energy`.
    * :attr:`entropy` is the paper's eq. (12), :math:`\int A\, s(f^{NE})\,d\omega`; the von
      Neumann entropy of :attr:`rho` is :attr:`reduced_state_entropy`.

    Relaxation and cost (as the models' steady states): :attr:`relaxation_rate` (the golden-rule
    width, :func:`golden_rule_width`), :attr:`energy_currents` and :attr:`particle_currents` (one entry
    per lead, into the system, from the Landauer–Büttiker currents) and :attr:`entropy_production`.

    Parameters
    ----------
    dot : Dot
        The junction.
    mu_L, mu_R, T_L, T_R, eps_qb : ndarray
        Validated reservoir parameters and level energies, broadcastable together.
    bound_occupation : float or None
        Occupation assigned to bound states out of equilibrium (see :func:`steady_state`).
    n_nodes : int
        Gauss nodes per piece of the adaptive rule.
    tol : float
        Target accuracy of every continuum integral (see the module docstring).

    Attributes
    ----------
    dot : Dot
        The junction.
    shape : tuple of int
        Sweep shape (``()`` for a single state).
    tol : float
        Target accuracy of the integrals.
    """

    def __init__(self, dot: Dot, mu_L: Any, mu_R: Any, T_L: Any, T_R: Any, eps_qb: Any,
                 bound_occupation: Any, n_nodes: int = N_NODES, tol: float = TOL):
        self.dot = dot
        arrs = np.broadcast_arrays(mu_L, mu_R, T_L, T_R, eps_qb)
        self.shape = arrs[0].shape
        self._mu_L, self._mu_R, self._T_L, self._T_R, self._eps = (np.array(a, dtype=float).ravel() for a in arrs)
        self._bound_occupation = bound_occupation
        self._n = n_nodes
        self.tol = tol
        self._lo, self._hi = dot.support[0][0], dot.support[-1][1]

    # ---- helpers
    def _out(self, x: np.ndarray) -> np.ndarray | float:
        x = np.asarray(x, dtype=float).reshape(self.shape)
        return float(x) if x.ndim == 0 else x

    def _ref(self, x: Any, name: str, temperature: bool = False) -> np.ndarray:
        arr = _as_param(x, name, self.dot.energy_scale, temperature=temperature)
        try:
            return np.broadcast_to(arr, self.shape).ravel()
        except ValueError as exc:
            raise ValueError(f"{name} must broadcast to the sweep shape {self.shape}; got {arr.shape}") from exc

    @property
    def mu_L(self) -> np.ndarray | float:
        """Left chemical potential(s) (energy units)."""
        return self._out(self._mu_L)

    @property
    def mu_R(self) -> np.ndarray | float:
        """Right chemical potential(s) (energy units)."""
        return self._out(self._mu_R)

    @property
    def T_L(self) -> np.ndarray | float:
        """Left temperature(s) (energy units, k_B = 1)."""
        return self._out(self._T_L)

    @property
    def T_R(self) -> np.ndarray | float:
        """Right temperature(s) (energy units, k_B = 1)."""
        return self._out(self._T_R)

    @property
    def eps_qb(self) -> np.ndarray | float:
        """Level energy (energies)."""
        return self._out(self._eps)

    @property
    def is_equilibrium(self) -> np.ndarray | bool:
        """``True`` where ``mu_L == mu_R`` and ``T_L == T_R``."""
        eq = (self._mu_L == self._mu_R) & (self._T_L == self._T_R)
        return bool(eq.all()) if not self.shape else eq.reshape(self.shape)

    # ---- bound states
    @cached_property
    def _bound(self) -> list[list[BoundState]]:
        """Bound states per sweep point (root search only for levels where one can exist).

        In a gap ``(a, b)`` a pole exists iff ``F(a) < 0 < F(b)`` with
        ``F(w) = w - eps_qb - Re Sigma(w)``, i.e. iff ``a - Re Sigma(a) < eps_qb < b - Re Sigma(b)``.
        """
        d = self.dot
        uniq, inv = np.unique(self._eps, return_inverse=True)
        may = np.zeros(uniq.size, dtype=bool)
        for a, b in d._gaps():
            lo = -math.inf if not math.isfinite(a) else a - d._sigma_real(a)
            hi = math.inf if not math.isfinite(b) else b - d._sigma_real(b)
            may |= (uniq > lo) & (uniq < hi)
        per_level = [d.bound_states(e) if m else [] for e, m in zip(uniq, may)]
        return [per_level[i] for i in inv.ravel()]

    @property
    def bound_states(self) -> list[BoundState] | list[list[BoundState]]:
        """Bound states (a list per sweep point for a sweep)."""
        return self._bound[0] if not self.shape else self._bound

    def _bound_sum(self, fn: Callable[[float, Any, Any, int], Any]) -> np.ndarray:
        """``sum_b Z_b fn(omega_b, n_b, 1 - n_b, point)`` per sweep point."""
        out = np.zeros(self._eps.size)
        if not any(self._bound):
            return out
        eq = (self._mu_L == self._mu_R) & (self._T_L == self._T_R)
        for i, states in enumerate(self._bound):
            for bs in states:
                if eq[i]:
                    n, m = _fermi_pair(np.array(bs.energy), self._mu_L[i], self._T_L[i])
                elif self._bound_occupation is None:
                    raise ValueError(
                        f"bound state at omega = {bs.energy:.6g} (weight {bs.weight:.3g}) outside the bands: in a "
                        "non-equilibrium steady state its occupation is not set by the reservoirs (it remembers "
                        "the initial state); pass bound_occupation in [0, 1] to steady_state")
                else:
                    n = np.asarray(self._bound_occupation, dtype=float)
                    m = 1.0 - n
                out[i] += bs.weight * float(fn(bs.energy, n, m, i))
        return out

    # ---- currents
    @cached_property
    def _standard(self) -> np.ndarray:
        """Continuum parts of ``(I_Q, J_E, N, E)``, computed in one pass (rows)."""
        return self._integrate(_kernel_standard, (1, 2, 0, 1))

    @property
    def _currents(self) -> tuple[np.ndarray, np.ndarray]:
        return self._standard[0], self._standard[1]

    @property
    def charge_current(self) -> np.ndarray | float:
        r"""Particle (charge, e = 1) current :math:`I_Q`, eq. (7), positive left to right (energy units; ħ = 1)."""
        return self._out(self._currents[0])

    @property
    def energy_current(self) -> np.ndarray | float:
        r"""Energy current :math:`J_E`, eq. (8), positive from left to right (energy²; ħ = 1)."""
        return self._out(self._currents[1])

    def heat_current(self, lead: str) -> np.ndarray | float:
        r"""Heat current :math:`J_H^\alpha = J_E - \mu_\alpha I_Q`.

        Parameters
        ----------
        lead : {"L", "R"}
            ``"L"``: heat per unit time leaving the left reservoir; ``"R"``: heat entering the right one.

        Returns
        -------
        float or ndarray
            :math:`J_H^\alpha` (energy²; ħ = 1), of the sweep shape.

        Raises
        ------
        ValueError
            For another lead name.
        """
        V.choice(lead, "lead", LEADS)
        mu = self._mu_L if lead == "L" else self._mu_R
        I, J = self._currents
        return self._out(J - mu * I)

    @property
    def entropy_production(self) -> np.ndarray | float:
        r"""Entropy production rate :math:`\sigma = (\beta_L\mu_L - \beta_R\mu_R) I_Q - (\beta_L - \beta_R) J_E \ge 0`.

        In nats per unit time (energy units, ħ = 1).

        Raises
        ------
        ValueError
            If a reservoir is at ``T = 0`` (``sigma`` is then infinite out of equilibrium).
        """
        if np.any(self._T_L <= 0.0) or np.any(self._T_R <= 0.0):
            raise ValueError("entropy_production needs T_L > 0 and T_R > 0 (it diverges as a reservoir "
                             "temperature goes to 0 while a current flows)")
        I, J = self._currents
        bL, bR = 1.0 / self._T_L, 1.0 / self._T_R
        return self._out((bL * self._mu_L - bR * self._mu_R) * I - (bL - bR) * J)

    # ---- the common relaxation / cost interface (qbcore.master.SteadyState)
    @property
    def energy_currents(self) -> dict:
        r"""Energy current into the dot's system from each lead (Landauer–Büttiker), ``{"L": J_E, "R": -J_E}``.

        :math:`J_E` of eq. (8) enters from the left lead and leaves into the right one; floats, or
        arrays of the sweep shape (energy², ħ = 1).
        """
        J = self.energy_current
        return {"L": J, "R": -J}

    @property
    def particle_currents(self) -> dict:
        r"""Particle current into the system from each lead, ``{"L": I_Q, "R": -I_Q}`` (particles per unit time)."""
        I = self.charge_current
        return {"L": I, "R": -I}

    @property
    def currents(self) -> Any:
        r"""The currents of a single steady state as a :class:`qbcore.master.BathCurrents`.

        Raises
        ------
        ValueError
            For a sweep (use :attr:`energy_currents` and :attr:`particle_currents`, which are arrays).
        """
        from ..master import BathCurrents

        if self.shape:
            raise ValueError("currents needs a single steady state, not a sweep (energy_currents and "
                             "particle_currents give arrays)")
        return BathCurrents(self.energy_currents, self.particle_currents, {"L": self.T_L, "R": self.T_R},
                            {"L": self.mu_L, "R": self.mu_R})

    @property
    def relaxation_rate(self) -> np.ndarray | float:
        r"""Golden-rule decay rate :math:`\Gamma(\varepsilon_{QB}) = -2\,\mathrm{Im}\,\Sigma(\varepsilon_{QB})` (energy units).

        The rate at which the occupation relaxes after the leads are connected, to lowest order in
        the tunnelling; the exact rate is :math:`-2\,\mathrm{Im}\,z_p` of :func:`resonance` (they differ
        at :math:`O(v^2/h^2)`). A level outside both bands has :math:`\Gamma = 0` (no decay); with a bound
        state (:attr:`bound_states`) part of the occupation never relaxes whatever :math:`\Gamma`.
        """
        return self._out(self.dot.gamma(self._eps))

    @property
    def relaxation_time(self) -> np.ndarray | float:
        """``1 / relaxation_rate`` (units of 1/energy; ``inf`` where the rate is 0)."""
        g = np.asarray(self.dot.gamma(self._eps), dtype=float)
        with np.errstate(divide="ignore"):
            return self._out(np.where(g > 0, 1.0 / np.where(g > 0, g, 1.0), np.inf))

    # ---- dot thermodynamics (eqs. 10-13)
    @cached_property
    def _occupation(self) -> np.ndarray:
        return self._standard[2] + self._bound_sum(lambda e, n, m, i: n)

    @property
    def occupation(self) -> np.ndarray | float:
        r"""Dot occupation :math:`N = \int A f^{NE} d\omega` (+ bound states), eq. (10), in ``[0, 1]``.

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._occupation)

    @property
    def energy(self) -> np.ndarray | float:
        r"""Dot energy of the paper, :math:`E = \int \omega A f^{NE} d\omega` (+ bound states), eq. (11).

        Energy units. This is *not* :math:`\mathrm{Tr}\,\rho H = \varepsilon_{QB} N` of the common
        steady-state interface (that is :attr:`level_energy`): eq. (11) weighs each energy of the
        hybridised level, :math:`E - \varepsilon_{QB} N = \int (\omega - \varepsilon_{QB}) A f^{NE}`.

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._standard[3] + self._bound_sum(lambda e, n, m, i: e * n))

    @property
    def entropy(self) -> np.ndarray | float:
        r"""Dot entropy of the paper, :math:`S = \int A\, s(f^{NE}) d\omega` (+ bound states), eq. (12), in nats.

        Not the von Neumann entropy of :attr:`rho` (that is :attr:`reduced_state_entropy`,
        which is never smaller).

        Raises
        ------
        ValueError
            Out of equilibrium with a bound state and no ``bound_occupation``.
        """
        return self._out(self._integrate(_kernel_entropy, (0,))[0]
                         + self._bound_sum(lambda e, n, m, i: _binary_entropy(n, m)))

    def _extra(self, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """``None`` if ``(mu, T)`` is a lead's (its Fermi edge already has break points), else ``(mu, T)``."""
        for m, t in ((self._mu_R, self._T_R), (self._mu_L, self._T_L)):
            if np.array_equal(mu, m) and np.array_equal(T, t):
                return None
        return mu, T

    def exergy(self, mu_eq: Any, T_eq: Any) -> np.ndarray | float:
        r"""Dimensionless exergy :math:`\beta W_{ext}`, eq. (13), with :math:`\beta = 1/T_{eq}`.

        :math:`\beta W_{ext} = \int A\,[f\ln(f/f^{eq}) + (1-f)\ln((1-f)/(1-f^{eq}))]\,d\omega \ge 0`,
        with :math:`f = f^{NE}` and :math:`f^{eq}` the Fermi function at ``(mu_eq, T_eq)``.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`,
            broadcastable to the sweep shape.
        T_eq : float or array_like
            Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.

        Returns
        -------
        float or ndarray
            :math:`\beta W_{ext}` in nats, of the sweep shape.

        Raises
        ------
        ValueError
            For ``T_eq = 0``, where :math:`\beta W_{ext}` diverges unless the state is the ground
            state (use :meth:`extractable_work`, whose ``T_eq -> 0`` limit is finite); for
            out-of-range or non-broadcastable input; out of equilibrium with a bound state and
            no ``bound_occupation``.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy beta*W_ext (it diverges as "
                             "T_eq -> 0); use extractable_work(mu_eq, T_eq), which allows T_eq = 0")
        cont = self._integrate(_exergy_kernel(mu, T), (0,), self._extra(mu, T))[0]

        def bound(e: float, n: Any, m: Any, i: int) -> Any:
            a, b = _log_fermi(np.array(e), mu[i], T[i])
            return _bernoulli_relative_entropy(n, m, a, b)

        return self._out(cont + self._bound_sum(bound))

    def extractable_work(self, mu_eq: Any, T_eq: Any) -> np.ndarray | float:
        r"""Exergy :math:`W_{ext} = \Lambda - \Lambda^{eq}` in energy units (``T_eq = 0`` allowed).

        For ``T_eq > 0`` this is ``T_eq * exergy(mu_eq, T_eq)``. At ``T_eq = 0`` it is the limit
        :math:`\int A(\omega)\,(\omega - \mu_{eq})\,[f^{NE}(\omega) - \Theta(\mu_{eq} - \omega)]\,d\omega`.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
        T_eq : float or array_like
            Its temperature: 0 or :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.

        Returns
        -------
        float or ndarray
            :math:`W_{ext} \ge 0` (energy units), of the sweep shape.

        Raises
        ------
        ValueError
            For out-of-range or non-broadcastable input; out of equilibrium with a bound state
            and no ``bound_occupation``.
        """
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        out = np.zeros(self._eps.size)
        hot = T > 0.0
        if np.any(hot):
            bw = np.asarray(self.exergy(np.where(hot, mu, mu[0]).reshape(self.shape),
                                        np.where(hot, T, 1.0).reshape(self.shape))).ravel()
            out = np.where(hot, T * bw, out)
        if np.any(~hot):
            cold = self._integrate(_cold_work_kernel(mu), (1,), self._extra(mu, np.zeros_like(T)))[0]
            cold = cold + self._bound_sum(lambda e, n, m, i: (e - mu[i]) * (n - float(e < mu[i])))
            out = np.where(hot, out, cold)
        return self._out(out)

    # ---- Appendix A: the reduced density matrix (exact for this model; the paper calls it approximate)
    @property
    def reduced_state_entropy(self) -> np.ndarray | float:
        r"""Entropy (A4) of the Appendix-A state :math:`\varrho = e^{-a d^\dagger d}/Z` with :math:`\langle n\rangle = N`.

        :math:`S_\varrho = -N\ln N - (1 - N)\ln(1 - N)` (nats) with :math:`N` = :attr:`occupation`:
        the von Neumann entropy of :attr:`rho`, which is the *exact* reduced state of the dot at any
        coupling (non-interacting, number-conserving; checked in real time with :func:`quench`). By
        concavity of the binary entropy (Jensen) :math:`S_\varrho \ge` :attr:`entropy`.
        """
        N = np.clip(self._occupation, 0.0, 1.0)
        return self._out(_binary_entropy(N, 1.0 - N))

    def reduced_state_exergy(self, mu_eq: Any, T_eq: Any, reference: str = "isolated") -> np.ndarray | float:
        r"""Exergy (A5) of the Appendix-A state, :math:`N\ln(N/r) + (1-N)\ln((1-N)/(1-r))`.

        Parameters
        ----------
        mu_eq : float or array_like
            Chemical potential of the reference reservoir, :math:`|\mu_{eq}| \le 10^6 h_{max}`.
        T_eq : float or array_like
            Its temperature, :math:`10^{-12} h_{max} \le T_{eq} \le 10^6 h_{max}`.
        reference : {"isolated", "coupled"}
            The reference occupation :math:`r`. ``"isolated"`` (the literal reading of (A2)/(A5):
            the Gibbs state of the isolated level) uses :math:`r = f^{eq}(\varepsilon_{QB})`; it is
            *not* zero at equilibrium for finite coupling (an :math:`O(v^4)` offset, since
            :math:`N^{eq} - f^{eq}(\varepsilon_{QB}) = O(v^2)`).
            ``"coupled"`` uses the equilibrium occupation of the coupled dot,
            :math:`r = \int A f^{eq}`; it vanishes at equilibrium and, by joint convexity of the
            relative entropy, never exceeds :meth:`exergy`. With it the result is the relative entropy
            :math:`S(\rho\Vert\rho^{eq})` of the exact reduced states of the dot out of and in equilibrium.

        Returns
        -------
        float or ndarray
            The dimensionless exergy (nats), of the sweep shape.

        Raises
        ------
        ValueError
            For ``T_eq = 0``, an unknown ``reference``, or out-of-range input.
        """
        V.choice(reference, "reference", ("isolated", "coupled"))
        mu = self._ref(mu_eq, "mu_eq")
        T = self._ref(T_eq, "T_eq", temperature=True)
        if np.any(T == 0.0):
            raise ValueError("T_eq must be > 0 for the dimensionless exergy (A5)")
        N = np.clip(self._occupation, 0.0, 1.0)
        if reference == "isolated":
            lr, ls = _log_fermi(self._eps, mu, T)
        else:
            ref = NESS(self.dot, mu, mu, T, T, self._eps, None, self._n, self.tol)
            r = ref._occupation
            lr, ls = np.log(r), np.log1p(-r)
        return self._out(_bernoulli_relative_entropy(N, 1.0 - N, lr, ls))

    # ---- the common steady-state interface (qbcore.master.SteadyState)
    def _stack(self, x: np.ndarray, tail: tuple[int, ...]) -> np.ndarray:
        return np.asarray(x, dtype=float).reshape(self.shape + tail)

    @property
    def rho(self) -> np.ndarray:
        r"""Reduced state of the dot, :math:`\rho = \mathrm{diag}(1 - N, N)` (basis: empty, occupied).

        Exact for this non-interacting, number-conserving model (:math:`N` = :attr:`occupation`).
        Shape ``(2, 2)``, or ``shape + (2, 2)`` for a sweep.
        """
        N = self._occupation
        out = np.zeros((N.size, 2, 2))
        out[:, 0, 0], out[:, 1, 1] = 1.0 - N, N
        return self._stack(out, (2, 2))

    @property
    def H(self) -> np.ndarray:
        r"""Level Hamiltonian :math:`\mathrm{diag}(0, \varepsilon_{QB})` in the basis of :attr:`rho` (energy units)."""
        out = np.zeros((self._eps.size, 2, 2))
        out[:, 1, 1] = self._eps
        return self._stack(out, (2, 2))

    @property
    def energies(self) -> np.ndarray:
        r"""Eigenvalues of :attr:`H`, ascending: :math:`(\min(0, \varepsilon_{QB}), \max(0, \varepsilon_{QB}))`."""
        e = np.stack([np.minimum(0.0, self._eps), np.maximum(0.0, self._eps)], axis=1)
        return self._stack(e, (2,))

    @property
    def populations(self) -> np.ndarray:
        r"""Populations of the eigenstates of :attr:`H`, in ascending-energy order.

        ``(1 - N, N)`` for :math:`\varepsilon_{QB} \ge 0`, ``(N, 1 - N)`` for :math:`\varepsilon_{QB} < 0`.
        """
        N = self._occupation
        neg = self._eps < 0.0
        p = np.stack([np.where(neg, N, 1.0 - N), np.where(neg, 1.0 - N, N)], axis=1)
        return self._stack(p, (2,))

    @property
    def level_energy(self) -> np.ndarray | float:
        r""":math:`\mathrm{Tr}\,\rho H = \varepsilon_{QB} N` (energy units): the ``energy`` of the common interface.

        (:attr:`energy` keeps the paper's eq. (11).)
        """
        return self._out(self._eps * self._occupation)

    @property
    def stored_energy(self) -> np.ndarray | float:
        r""":math:`\mathrm{Tr}\,\rho H - E_0`, :math:`E_0 = \min(0, \varepsilon_{QB})`, the ground energy."""
        return self._out(self._eps * self._occupation - np.minimum(0.0, self._eps))

    @property
    def ergotropy(self) -> np.ndarray | float:
        r"""Ergotropy of :attr:`rho` with respect to :attr:`H` (energy units).

        :math:`\mathcal W = \varepsilon_{QB} N - \sum_k r^\downarrow_k e^\uparrow_k
        = \max\big(0, \varepsilon_{QB}(2N - 1)\big)`: zero unless the upper level of :attr:`H`
        holds more than half. Equals ``qbcore.thermo.ergotropy(rho, H)``, including its
        round-off clamp to exactly 0 (``|W| <= ROUNDOFF * |eps_qb|``).
        """
        N = self._occupation
        e_lo, e_hi = np.minimum(0.0, self._eps), np.maximum(0.0, self._eps)
        p_hi, p_lo = np.maximum(N, 1.0 - N), np.minimum(N, 1.0 - N)
        W = self._eps * N - (p_hi * e_lo + p_lo * e_hi)
        return self._out(roundoff_zero(W, np.abs(self._eps)))

    @property
    def kernel_dim(self) -> int:
        """Dimension of the steady-state manifold: 1 (bound-state occupations, if any, are fixed by the caller)."""
        return 1

    @property
    def is_unique(self) -> bool:
        """Whether the steady state is unique (always ``True``, see :attr:`kernel_dim`)."""
        return True

    @property
    def min_eigenvalue(self) -> np.ndarray | float:
        """Smallest eigenvalue of :attr:`rho`, :math:`\\min(N, 1 - N)` (negative only by round-off)."""
        N = self._occupation
        return self._out(np.minimum(N, 1.0 - N))

    @property
    def is_positive(self) -> np.ndarray | bool:
        """Whether :attr:`rho` is positive semidefinite to 1e-10 (an array for a sweep)."""
        ok = np.minimum(self._occupation, 1.0 - self._occupation) >= -1e-10
        return bool(ok.all()) if not self.shape else ok.reshape(self.shape)

    # ---- distributions for plots
    def distribution(self, w: Any, which: str = "NE") -> np.ndarray:
        r"""Distribution at energies ``w``.

        Parameters
        ----------
        w : float or array_like
            Energies, :math:`|\omega| \le 10^6 h_{max}`.
        which : {"NE", "L", "R"}
            ``"NE"``: :math:`f^{NE}` (eq. 9); ``"L"``, ``"R"``: the Fermi function of that lead.

        Returns
        -------
        ndarray
            Occupations in ``[0, 1]``, same shape as ``w``. Outside both bands :math:`f^{NE}` is
            undefined and returned as NaN.

        Raises
        ------
        ValueError
            For a sweep (only a single steady state has one distribution), an unknown ``which``
            or bad energies.
        """
        V.choice(which, "which", ("NE", "L", "R"))
        if self.shape:
            raise ValueError("distribution() needs a single steady state, not a sweep")
        w = self.dot._energies(w)
        fL = _fermi_pair(w, self._mu_L[0], self._T_L[0])[0]
        fR = _fermi_pair(w, self._mu_R[0], self._T_R[0])[0]
        if which == "L":
            return fL
        if which == "R":
            return fR
        gL, gR = self.dot.gamma(w, "L"), self.dot.gamma(w, "R")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(gL + gR > 0.0, (gL * fL + gR * fR) / (gL + gR), np.nan)
