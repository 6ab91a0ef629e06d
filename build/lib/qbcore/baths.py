r"""Bath occupations and bath descriptions.

Units: :math:`\hbar = k_B = 1`. Occupations are exact at ``T = 0`` (step functions) and
evaluated without overflow for any ratio :math:`\omega/T`.

Rate convention used throughout :mod:`qbcore`: a bath with spectral density :math:`J(\omega)`
and occupation :math:`n(\omega)` drives a transition that *lowers* the system energy by
:math:`\omega` at rate :math:`J(\omega)[1 \pm n(\omega)]` (``+`` bosons, ``-`` fermions) and the
reverse transition at rate :math:`J(\omega)\,n(\omega)`. In other words :math:`J` already contains
the :math:`2\pi` and coupling constants of Fermi's golden rule: an isolated qubit coupled through
:math:`\sigma^-` relaxes at rate :math:`J(\omega)[1 + 2n(\omega)]` for bosons.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.special import expit

from . import _validate as V

__all__ = ["bose", "fermi", "Bath", "ohmic", "flat"]


def bose(w, T):
    r"""Bose–Einstein occupation :math:`n(\omega) = 1/(e^{\omega/T} - 1)`.

    Parameters
    ----------
    w : float or array_like
        Mode frequency; must be ``> 0`` (the occupation diverges at 0).
    T : float
        Temperature, ``T >= 0``. ``T = 0`` gives exactly 0.

    Returns
    -------
    float or ndarray
        Occupation, same shape as ``w``.
    """
    T = V.temperature(T, "T")
    warr = V.real_array(w, "w")
    if np.any(warr <= 0):
        raise ValueError("w must be > 0 for Bose occupations (n diverges at w = 0)")
    if T == 0.0:
        out = np.zeros_like(warr)
    else:
        x = warr / T
        # expm1 is accurate for small x; exp(-x) form avoids overflow for large x.
        with np.errstate(over="ignore"):
            out = np.where(x < 30.0, 1.0 / np.expm1(np.minimum(x, 30.0)), np.exp(-x) / (-np.expm1(-x)))
    return out if out.ndim else float(out)


def fermi(w, mu, T):
    r"""Fermi–Dirac occupation :math:`f(\omega) = 1/(e^{(\omega-\mu)/T} + 1)`.

    Parameters
    ----------
    w : float or array_like
        Energy.
    mu : float
        Chemical potential.
    T : float
        Temperature, ``T >= 0``. At ``T = 0`` the occupation is a step with
        ``f(mu) = 1/2`` exactly.

    Returns
    -------
    float or ndarray
        Occupation, same shape as ``w``.
    """
    T = V.temperature(T, "T")
    mu = V.real_number(mu, "mu")
    warr = V.real_array(w, "w")
    if T == 0.0:
        out = np.where(warr < mu, 1.0, np.where(warr > mu, 0.0, 0.5))
    else:
        # expit(-x) = 1/(e^x + 1), overflow-free with full relative accuracy in both tails.
        out = expit(-(warr - mu) / T)
    out = np.asarray(out, dtype=float)
    return out if out.ndim else float(out)


def ohmic(kappa: float) -> Callable[[np.ndarray], np.ndarray]:
    r"""Ohmic spectral density :math:`J(\omega) = \kappa\,\omega` for :math:`\omega > 0`, zero otherwise.

    Parameters
    ----------
    kappa : float
        Dimensionless coupling strength, ``kappa >= 0``.

    Returns
    -------
    callable
        Vectorised ``J(w)`` with attributes ``kappa`` and ``kind = "ohmic"``.
    """
    kappa = V.real_number(kappa, "kappa", lo=0.0)

    def J(w):
        w = np.asarray(w, dtype=float)
        return np.where(w > 0, kappa * w, 0.0)

    J.kappa = kappa  # type: ignore[attr-defined]
    J.kind = "ohmic"  # type: ignore[attr-defined]
    return J


def flat(gamma: float) -> Callable[[np.ndarray], np.ndarray]:
    r"""Frequency-independent spectral density :math:`J(\omega) = \gamma` (all frequencies).

    Parameters
    ----------
    gamma : float
        Rate, ``gamma >= 0`` (energy units).

    Returns
    -------
    callable
        Vectorised ``J(w)`` with attributes ``gamma`` and ``kind = "flat"``.
    """
    gamma = V.real_number(gamma, "gamma", lo=0.0)

    def J(w):
        return np.full(np.shape(w), gamma, dtype=float)

    J.gamma = gamma  # type: ignore[attr-defined]
    J.kind = "flat"  # type: ignore[attr-defined]
    return J


@dataclass(frozen=True)
class Bath:
    r"""A thermal reservoir: statistics, temperature, chemical potential, spectral density.

    Parameters
    ----------
    statistics : {"boson", "fermion"}
    T : float
        Temperature, ``T >= 0``.
    mu : float, optional
        Chemical potential; must be 0 for bosons (particle number not conserved).
    J : callable, optional
        Spectral density :math:`J(\omega)` (vectorised). Defaults to ``flat(1.0)``.
        See the module docstring for the rate convention.

    Examples
    --------
    >>> b = Bath("boson", T=1.0, J=ohmic(0.1))
    >>> round(b.down_rate(1.0) - b.up_rate(1.0), 12)   # = J(1) = 0.1
    0.1
    """

    statistics: str
    T: float
    mu: float = 0.0
    J: Callable = field(default_factory=lambda: flat(1.0))

    def __post_init__(self):
        V.choice(self.statistics, "statistics", ("boson", "fermion"))
        object.__setattr__(self, "T", V.temperature(self.T, "T"))
        object.__setattr__(self, "mu", V.real_number(self.mu, "mu"))
        if self.statistics == "boson" and self.mu != 0.0:
            raise ValueError(f"mu must be 0 for a boson bath; got mu = {self.mu}")
        if not callable(self.J):
            raise ValueError("J must be a callable spectral density J(w)")

    @property
    def sign(self) -> int:
        """+1 for bosons (stimulated emission), -1 for fermions (Pauli blocking)."""
        return 1 if self.statistics == "boson" else -1

    def occupation(self, w):
        """Occupation of the bath mode at frequency ``w`` (Bose or Fermi)."""
        if self.statistics == "boson":
            return bose(w, self.T)
        return fermi(w, self.mu, self.T)

    def down_rate(self, w):
        r"""Rate of a system transition that gives energy ``w`` to the bath: :math:`J(1 \pm n)`.

        For bosons ``w`` must be > 0; the ``w -> 0`` limit is available via :meth:`rate_at_zero`.
        """
        w = V.real_array(w, "w")
        return self.J(w) * (1.0 + self.sign * self.occupation(w))

    def up_rate(self, w):
        r"""Rate of the reverse transition, taking energy ``w`` from the bath: :math:`J\,n`."""
        w = V.real_array(w, "w")
        return self.J(w) * self.occupation(w)

    def rate_at_zero(self) -> float:
        r"""One-sided limit :math:`S(0^+) = \lim_{\omega\to0^+} J(\omega)(1\pm n(\omega))` of the emission rate.

        The dephasing rate of a zero-frequency channel is not this but :meth:`spectrum_at_zero`
        (the mean of the limits from both sides).

        Fermions: :math:`J(0)(1 - f(0))`. Bosons: the one-sided limit, evaluated as
        :math:`\lim J(\omega)\,T/\omega` for ``T > 0`` (finite for an Ohmic density,
        :math:`\kappa T`) and :math:`J(0^+)` at ``T = 0``.

        Raises
        ------
        ValueError
            If the limit is infinite (e.g. a flat boson spectral density at ``T > 0``).
        """
        if self.statistics == "fermion":
            return float(self.J(np.array(0.0)) * (1.0 - fermi(0.0, self.mu, self.T)))
        if getattr(self.J, "kind", None) == "ohmic":  # exact limit: kappa*w*(1+n) -> kappa*T
            return float(self.J.kappa * self.T)
        if self.T == 0.0:
            return float(self.J(np.array(1e-12)))
        # One-sided limit: evaluate at two small frequencies; they agree iff the limit is finite.
        w1, w2 = 1e-6 * self.T, 1e-7 * self.T
        r1, r2 = (float(self.J(np.array(w)) * (1.0 + bose(w, self.T))) for w in (w1, w2))
        if not np.isclose(r1, r2, rtol=1e-4, atol=1e-300):
            raise ValueError("zero-frequency channel has an infinite rate for this boson spectral density "
                             "(J(0+) > 0 at T > 0); use zero_frequency='drop'")
        return r2

    def spectrum_at_zero(self) -> float:
        r"""Zero-frequency value of the bath spectrum for a Hermitian coupling, :math:`S(0)`.

        The spectrum :math:`S(\omega) = \int dt\, e^{i\omega t}\langle \tilde B(t)\tilde B(0)\rangle`
        of :math:`\tilde B = B + B^\dagger` is :math:`J(\omega)[1+n(\omega)]` for :math:`\omega > 0`
        and :math:`J(|\omega|)n(|\omega|)` for :math:`\omega < 0`. Its value at :math:`\omega = 0`,
        the dephasing rate of a zero-frequency channel, is the integral of the correlation
        function, i.e. the mean of the two one-sided limits (Fourier inversion at a jump):

        .. math::
            S(0) = \tfrac12\,[S(0^+) + S(0^-)] = \lim_{\omega\to0^+} J(\omega)\,[n(\omega) + \tfrac12]
            = \tfrac12\lim_{\omega\to0^+} J(\omega)\coth\frac{\omega}{2T}.

        The same limit, :math:`J\coth(\omega/2T)`, sets the long-time decay of the exactly solvable
        pure-dephasing (independent-boson) model. Ohmic :math:`J = \kappa\omega`: :math:`\kappa T` at any
        ``T`` (0 at ``T = 0``). Flat :math:`J = \gamma` at ``T = 0``: :math:`\gamma/2`, not
        :math:`\gamma` (:math:`S` jumps from 0 to :math:`\gamma` at :math:`\omega = 0`).

        Returns
        -------
        float
            :math:`S(0)` for bosons; for fermions, where the spectrum is continuous, the mean
            :math:`\tfrac12[J(0)(1-f(0)) + J(0)f(0)] = J(0)/2` of emission and absorption.

        Raises
        ------
        ValueError
            If the limit is infinite (a flat boson spectral density at ``T > 0``).
        """
        if self.statistics == "fermion":
            return 0.5 * float(self.J(np.array(0.0)))
        up = self.rate_at_zero() if self.T > 0 else 0.0  # lim J n: equals lim J(1+n) when finite at T > 0
        return 0.5 * (self.rate_at_zero() + up)
