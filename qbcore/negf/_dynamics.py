r"""How fast the dot charges: the golden-rule width, the resonance pole, and the charging curve.

The dot has no Lindblad generator: its relaxation follows from the retarded Green function. To
lowest order in the tunnelling (Fermi's golden rule) the level decays at the width
:math:`\Gamma(\varepsilon) = -2\,\mathrm{Im}\,\Sigma(\varepsilon) = \Gamma_L + \Gamma_R` at the level energy
(:func:`golden_rule_width`). Exactly, :math:`G(t) = \int\frac{d\omega}{2\pi}e^{-i\omega t}G(\omega)` is
dominated at late times by the pole :math:`z_p` of :math:`G` continued through the band into the lower
half-plane (:func:`resonance`): :math:`|G(t)|^2 \propto e^{2\,\mathrm{Im}\,z_p\,t}`. With a local expansion,
:math:`-2\,\mathrm{Im}\,z_p \approx Z\,\Gamma(\tilde\varepsilon)` with :math:`Z = 1/(1 - \mathrm{Re}\,\Sigma')`, so the
golden rule is correct to :math:`O(v^2/h^2)`.

After a quench (:func:`quench`, the dot in a number state) the occupation relaxes as
:math:`N(t) - N_\infty \propto e^{2\,\mathrm{Im}\,z_p\,t}` once the cross terms between the dot's initial
amplitude and the leads have decayed (on the thermal time :math:`1/\pi T`; at :math:`T \to 0` the Fermi
edges leave slow power-law tails). A bound state outside the bands (:meth:`Dot.bound_states`) is an
eigenstate of the whole system: its share of the initial amplitude never decays, so :math:`N(t)` keeps
a memory :math:`\sum_b Z_b^2` of the initial occupation and, with two bound states, oscillates for ever
at their energy difference.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..thermo import roundoff_zero
from ._leads import LEADS
from ._quench import quench
from ._ranges import _energy

if TYPE_CHECKING:
    from ._dot import Dot


def _check(dot: Any) -> None:
    from ._dot import Dot

    if not isinstance(dot, Dot):
        raise ValueError(f"dot must be a negf.Dot; got {type(dot).__name__}")


def golden_rule_width(dot: "Dot", eps_qb: Any = None) -> np.ndarray | float:
    r"""Golden-rule decay rate of the level, :math:`\Gamma(\varepsilon) = -2\,\mathrm{Im}\,\Sigma(\varepsilon)`.

    The sum of both leads' broadenings at the bare level energy, :math:`\Gamma_L(\varepsilon) + \Gamma_R(\varepsilon)`
    (:meth:`Dot.gamma`); zero outside both bands (a level there cannot decay into the leads).

    Parameters
    ----------
    dot : Dot
        The junction.
    eps_qb : float or array_like, optional
        Level energies (default ``dot.eps_qb``), :math:`|\varepsilon| \le 10^6 h_{max}`.

    Returns
    -------
    float or ndarray
        :math:`\Gamma` (energy units, :math:`\hbar = 1`; the occupation decays as :math:`e^{-\Gamma t}`).

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot` or out-of-range energies.
    """
    _check(dot)
    e = dot.eps_qb if eps_qb is None else eps_qb
    out = np.asarray(dot.gamma(e), dtype=float)
    return float(out) if out.ndim == 0 else out


def _sigma_second_sheet(dot: "Dot", z: complex) -> tuple[complex, complex]:
    """Self-energy continued from above the band into the lower half-plane, and its derivative."""
    s, ds = 0j, 0j
    for name in LEADS:
        eps, h, v = dot.lead(name)
        x = z - eps
        r = np.sqrt(4.0 * h * h - x * x + 0j)          # principal branch: continuous across the band
        g = (x - 1j * r) / (2.0 * h * h)
        dg = (1.0 + 1j * x / r) / (2.0 * h * h)
        s += v * v * g
        ds += v * v * dg
    return complex(s), complex(ds)


def resonance(dot: "Dot", eps_qb: float | None = None, *, tol: float = 1e-14) -> complex:
    r"""The resonance: the pole :math:`z_p` of :math:`G` continued through the band into the lower half-plane.

    Solves :math:`z - \varepsilon_{QB} - \Sigma_{II}(z) = 0` by Newton's method from the golden-rule
    estimate :math:`\varepsilon_{QB} + \Sigma(\varepsilon_{QB})`, with each lead's self-energy continued across
    its band (principal square root of :math:`4h^2 - (z - \varepsilon_\alpha)^2`). The occupation after a
    quench relaxes as :math:`e^{-\gamma t}` with :math:`\gamma = -2\,\mathrm{Im}\,z_p` (module docstring).

    Parameters
    ----------
    dot : Dot
        The junction.
    eps_qb : float, optional
        Level energy (default ``dot.eps_qb``), :math:`|\varepsilon| \le 10^6 h_{max}`.
    tol : float
        Convergence tolerance on :math:`|\Delta z|` relative to the largest hopping (default 1e-14).

    Returns
    -------
    complex
        :math:`z_p` (energy units): :math:`\mathrm{Re}\,z_p` the renormalised level, :math:`-2\,\mathrm{Im}\,z_p`
        the exact decay rate of the occupation.

    Raises
    ------
    ValueError
        For a ``dot`` that is not a :class:`Dot`, an out-of-range level, or when the continued pole does
        not lie inside both bands (e.g. a level outside the continuum, or so strongly coupled that the
        resonance has dissolved); then no exponential decay law applies.
    """
    _check(dot)
    unit = dot.energy_scale
    e0 = dot.eps_qb if eps_qb is None else _energy(eps_qb, "eps_qb", unit)
    z = complex(e0 + complex(dot.self_energy(e0)))
    for _ in range(100):
        s, ds = _sigma_second_sheet(dot, z)
        step = (z - e0 - s) / (1.0 - ds)
        z -= step
        if abs(step) <= tol * unit:
            break
    else:
        raise ValueError(f"the resonance pole did not converge for eps_qb = {e0} (no resonance inside the bands)")
    inside = all(abs(z.real - dot.lead(a)[0]) < 2.0 * dot.lead(a)[1] for a in LEADS)
    if not (inside and z.imag < 0.0):
        raise ValueError(f"the continued pole z = {z:.6g} of eps_qb = {e0} is not a resonance inside both bands; "
                         "the occupation does not decay exponentially (see Dot.bound_states)")
    return z


def charging_curve(times: Any, dot: "Dot", mu_L: float, mu_R: float, T_L: float, T_R: float, *,
                   eps_qb: float | None = None, n_sites: int = 600) -> np.ndarray:
    r"""Ergotropy :math:`\mathcal W(t) = \max\big(0, \varepsilon_{QB}(2N(t) - 1)\big)` of the dot after it is connected.

    The dot starts in the ground state of its Hamiltonian :math:`\varepsilon_{QB}d^\dagger d` (empty for
    :math:`\varepsilon_{QB} \ge 0`, occupied below), the leads in equilibrium at their own
    :math:`(\mu_\alpha, T_\alpha)`; :math:`N(t)` is exact (:func:`quench`, two chains of ``n_sites`` sites).
    The ergotropy is that of the reduced state :math:`\mathrm{diag}(1 - N, N)`, as in
    :attr:`NESS.ergotropy`. Times beyond ``Quench.recurrence_time`` (:math:`n_{sites}/h_{max}`) see the
    ends of the finite chains and are rejected.

    Parameters
    ----------
    times : float or array_like
        Times :math:`0 \le t <` the recurrence time (units of 1/h, :math:`\hbar = 1`).
    dot : Dot
        The junction.
    mu_L, mu_R : float
        Chemical potentials of the leads, :math:`|\mu| \le 10^6 h_{max}`.
    T_L, T_R : float
        Temperatures: 0 or :math:`10^{-12} h_{max} \le T \le 10^6 h_{max}`.
    eps_qb : float, optional
        Level energy overriding ``dot.eps_qb``.
    n_sites : int
        Sites per chain (default 600; cost :math:`O(n_{sites}^3)`, about a second).

    Returns
    -------
    ndarray, shape (len(times),)
        :math:`\mathcal W(t)` (energy units).

    Raises
    ------
    ValueError
        For bad parameters, negative times or times beyond the recurrence time.
    """
    _check(dot)
    d = dot if eps_qb is None else dot.with_level(eps_qb)
    eps = d.eps_qb
    q = quench(d, mu_L, mu_R, T_L, T_R, times, n_sites=n_sites, dot_occupation=1.0 if eps < 0 else 0.0)
    if not np.all(q.before_recurrence):
        raise ValueError(f"times must lie before the recurrence time {q.recurrence_time:g} of chains with "
                         f"{q.n_sites} sites (pass a larger n_sites)")
    N = np.clip(q.occupation, 0.0, 1.0)
    W = np.maximum(0.0, eps * (2.0 * N - 1.0))
    return np.asarray(roundoff_zero(W, abs(eps)), dtype=float).reshape(N.shape)
