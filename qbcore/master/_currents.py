r"""Bath-resolved energy and particle currents of a steady state, and the laws they obey.

For :math:`\dot\rho = -i[H,\rho] + \sum_k\mathcal D_k(\rho)` the energy and particle currents *into the
system* from bath :math:`k` are :math:`J_{E,k} = \mathrm{Tr}[H\,\mathcal D_k(\rho)]` and
:math:`J_{N,k} = \mathrm{Tr}[\hat N\,\mathcal D_k(\rho)]`. In a steady state
:math:`\sum_k J_{E,k} = \mathrm{Tr}[H\dot\rho] = 0` (first law; exact for every generator of this form,
Redfield included) and, if :math:`[H, \hat N] = 0`, :math:`\sum_k J_{N,k} = 0`. The entropy
production rate :math:`\sigma = -\sum_k (J_{E,k} - \mu_k J_{N,k})/T_k`
(:func:`qbcore.thermo.entropy_production`) is :math:`\ge 0` for the global (secular) equation of
independent thermal baths (Spohn's inequality); local and non-secular equations need not obey it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from .. import _validate as V
from ._channels import _as_couplings, global_jumps
from ._generators import _spost, _spre, liouvillian, redfield
from ._operators import Jump


@dataclass(frozen=True)
class BathCurrents:
    r"""Steady-state currents from each bath into the system, with the baths' parameters.

    Parameters
    ----------
    energy, particle, temperature, chemical_potential : dict of str to float
        The attributes below (one key per bath, the same keys in each).
    scale : float, optional
        Round-off scale of the currents (see below; default 0).

    Attributes
    ----------
    energy : dict of str to float
        :math:`J_{E,k}` (energy per unit time, :math:`\hbar = 1`), positive when bath ``k`` gives energy.
    particle : dict of str to float
        :math:`J_{N,k}` (particles per unit time), positive when bath ``k`` gives particles.
    temperature : dict of str to float
        :math:`T_k \ge 0` (energy units, :math:`k_B = 1`).
    chemical_potential : dict of str to float
        :math:`\mu_k` (energy units; 0 for bosonic baths).
    scale : float
        Size of the gross terms whose sum makes each current (e.g. :math:`\sum_{ij}|H_{ji}\,\mathcal D_k(\rho)_{ij}|`):
        the round-off floor below which a zero-temperature bath's heat current counts as zero (0: use the
        currents themselves).
    heat : dict of str to float
        :math:`J_{E,k} - \mu_k J_{N,k}`, the heat current into the system from bath ``k`` (property).
    first_law_residual : float
        :math:`\sum_k J_{E,k}` (0 in a steady state; property).
    particle_residual : float
        :math:`\sum_k J_{N,k}` (0 in a steady state when :math:`\hat N` is conserved by :math:`H`; property).
    """

    energy: dict
    particle: dict
    temperature: dict
    chemical_potential: dict
    scale: float = 0.0

    @property
    def heat(self) -> dict:
        """Heat current :math:`J_{E,k} - \\mu_k J_{N,k}` into the system from each bath."""
        return {k: self.energy[k] - self.chemical_potential[k] * self.particle[k] for k in self.energy}

    @property
    def first_law_residual(self) -> float:
        """:math:`\\sum_k J_{E,k}` (energy per unit time)."""
        return float(sum(self.energy.values()))

    @property
    def particle_residual(self) -> float:
        """:math:`\\sum_k J_{N,k}` (particles per unit time)."""
        return float(sum(self.particle.values()))

    def entropy_production(self, atol: float | None = None) -> float:
        r"""Entropy production rate :math:`\sigma` (nats per unit time), see :func:`qbcore.thermo.entropy_production`.

        Parameters
        ----------
        atol : float, optional
            Heat currents of zero-temperature baths below ``atol`` count as zero (default: ``1e-12``
            times the larger of ``scale`` and the largest current term).

        Returns
        -------
        float
            :math:`\sigma`; ``inf`` when a zero-temperature bath receives heat.

        Raises
        ------
        ValueError
            When a zero-temperature bath gives heat (named in the message).
        """
        from ..thermo import entropy_production

        if atol is None:
            terms = [abs(self.energy[k]) + abs(self.chemical_potential[k] * self.particle[k]) for k in self.energy]
            atol = 1e-12 * max([float(self.scale)] + terms + [1e-300])
        return entropy_production(self.energy, self.particle, self.temperature, self.chemical_potential, atol=atol)


def _group(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def bath_dissipators(H: Any, couplings: Iterable, *, equation: str = "global", zero_frequency: str = "limit",
                     tol: float | None = None) -> dict[str, np.ndarray]:
    r"""The dissipator :math:`\mathcal D_k` of each bath as a superoperator, so that
    :math:`\mathcal L = -i[H,\cdot\,] + \sum_k \mathcal D_k`.

    Couplings with the same ``name`` are summed into one entry (e.g. two independent baths at the
    same temperature that the model reports as one).

    Parameters
    ----------
    H : array_like or Qobj
        System Hamiltonian.
    couplings : iterable of Coupling or (op, bath[, name])
        The couplings, as for :func:`global_lindblad` / :func:`redfield`.
    equation : {"global", "redfield"}
        ``"global"``: the secular global Lindblad equation (:func:`global_lindblad`); ``"redfield"``:
        the non-secular Bloch–Redfield equation (:func:`redfield`).
    zero_frequency : {"limit", "drop"}
        Treatment of zero-frequency channels.
    tol : float, optional
        Bohr-frequency grouping tolerance.

    Returns
    -------
    dict of str to ndarray, shape (d*d, d*d)
        One superoperator per bath name (column stacking), in the order the names first appear.

    Raises
    ------
    ValueError
        For an unknown ``equation`` or bad couplings.
    """
    V.choice(equation, "equation", ("global", "redfield"))
    h = V.hermitian(H, "H")
    cps = _as_couplings(couplings)
    out: dict[str, np.ndarray] = {}
    zero = np.zeros_like(h)
    for c in cps:
        if equation == "global":
            D = liouvillian(zero, global_jumps(h, [c], zero_frequency=zero_frequency, tol=tol, secular_check=False))
        else:
            D = redfield(h, [c], zero_frequency=zero_frequency, tol=tol, secular_check=False) \
                + 1j * (_spre(h) - _spost(h))
        out[c.name] = out[c.name] + D if c.name in out else D
    return out


def jump_dissipators(jumps: Iterable[Jump], d: int) -> dict[str, np.ndarray]:
    r"""The dissipator :math:`\sum_{j\in k}\gamma_j\mathcal D[L_j]` of each bath name, from Lindblad jumps.

    Parameters
    ----------
    jumps : iterable of Jump
        Channels (e.g. from :func:`local_jumps`); those with the same ``name`` form one bath.
    d : int
        Hilbert-space dimension.

    Returns
    -------
    dict of str to ndarray, shape (d*d, d*d)
        One superoperator per bath name, in the order the names first appear.

    Raises
    ------
    ValueError
        For a jump of another dimension or a negative rate.
    """
    js = list(jumps)
    zero = np.zeros((int(d), int(d)))
    return {n: liouvillian(zero, [j for j in js if j.name == n]) for n in _group(j.name for j in js)}


def bath_currents(rho: Any, H: Any, dissipators: Mapping[str, Any], temperatures: Mapping[str, float], *,
                  chemical_potentials: Mapping[str, float] | None = None, number: Any = None) -> BathCurrents:
    r"""Energy and particle currents :math:`J_{E,k} = \mathrm{Tr}[H\mathcal D_k(\rho)]`, :math:`J_{N,k} = \mathrm{Tr}[\hat N\mathcal D_k(\rho)]`.

    Parameters
    ----------
    rho : array_like or Qobj, shape (d, d)
        The (steady) state.
    H : array_like or Qobj, shape (d, d)
        The Hamiltonian whose energy is counted (the system Hamiltonian of the generator).
    dissipators : mapping of str to ndarray, shape (d*d, d*d)
        One superoperator per bath (:func:`bath_dissipators`, :func:`jump_dissipators`).
    temperatures : mapping of str to float
        :math:`T_k \ge 0` of every bath in ``dissipators``.
    chemical_potentials : mapping of str to float, optional
        :math:`\mu_k` (default 0 for every bath).
    number : array_like, shape (d, d), optional
        The particle number operator :math:`\hat N` (default: none; particle currents are then 0).

    Returns
    -------
    BathCurrents
        Currents into the system, keyed by bath.

    Raises
    ------
    ValueError
        For mismatched shapes, a bath without temperature, or a negative temperature.
    """
    r = V.hermitian(rho, "rho", atol=1e-8)
    h = V.hermitian(H, "H")
    V.same_shape(r, h, "rho", "H")
    d = h.shape[0]
    n = None if number is None else V.hermitian(number, "number")
    if n is not None:
        V.same_shape(n, h, "number", "H")
    v = r.flatten(order="F")
    mus = {} if chemical_potentials is None else dict(chemical_potentials)
    E, N, T, M, gross = {}, {}, {}, {}, 0.0
    for k, D in dissipators.items():
        D = np.asarray(D, dtype=complex)
        if D.shape != (d * d, d * d):
            raise ValueError(f"dissipator of bath {k!r} must have shape {(d * d, d * d)}; got {D.shape}")
        if k not in temperatures:
            raise ValueError(f"bath {k!r} has no temperature in temperatures")
        dr = (D @ v).reshape(d, d, order="F")
        E[k] = float(np.real(np.trace(h @ dr)))
        N[k] = 0.0 if n is None else float(np.real(np.trace(n @ dr)))
        T[k] = V.temperature(temperatures[k], f"temperatures[{k!r}]")
        M[k] = V.real_number(mus.get(k, 0.0), f"chemical_potentials[{k!r}]")
        gross = max(gross, float(np.sum(np.abs(h.T * dr))) + (0.0 if n is None else abs(M[k]) * float(np.sum(np.abs(n.T * dr)))))
    return BathCurrents(E, N, T, M, gross)
