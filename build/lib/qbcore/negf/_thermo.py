"""Binary information (entropy, Bernoulli relative entropy) and overflow-free Fermi functions."""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import xlogy

from .. import _validate as V


# ----------------------------------------------------------------------------- binary information
def _probabilities(p: Any, name: str) -> np.ndarray:
    arr = V.real_array(p, name)
    if arr.size and (np.min(arr) < 0.0 or np.max(arr) > 1.0):
        raise ValueError(f"{name} must lie in [0, 1] (a probability); got values in "
                         f"[{float(np.min(arr)):g}, {float(np.max(arr)):g}]")
    return arr


def binary_entropy(p: Any, q: Any | None = None) -> np.ndarray | float:
    r"""Binary (Shannon) entropy :math:`-p\ln p - q\ln q` with :math:`q = 1 - p`, in nats.

    Parameters
    ----------
    p : float or array_like
        Probabilities in ``[0, 1]``.
    q : float or array_like, optional
        The complements :math:`1 - p`, in ``[0, 1]``, broadcastable with ``p``; pass them when
        they are known more accurately than ``1 - p`` (for ``p`` near 1). Default ``1 - p``.

    Returns
    -------
    float or ndarray
        The entropy in ``[0, ln 2]`` (nats), of the broadcast shape.

    Raises
    ------
    ValueError
        For non-finite input or values outside ``[0, 1]``.
    """
    p = _probabilities(p, "p")
    q = 1.0 - p if q is None else _probabilities(q, "q")
    out = _binary_entropy(p, q)
    return out if out.ndim else float(out)


def _binary_entropy(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """:func:`binary_entropy` without input checks."""
    return -xlogy(p, p) - xlogy(q, q)


def bernoulli_relative_entropy(p: Any, q: Any, log_r: Any, log_s: Any) -> np.ndarray | float:
    r"""Relative entropy :math:`p\ln(p/r) + q\ln(q/s)` of Bernoulli distributions from logarithms.

    Parameters
    ----------
    p, q : float or array_like
        Occupation and its complement (:math:`q = 1 - p`, passed separately for accuracy), in ``[0, 1]``.
    log_r, log_s : float or array_like
        :math:`\ln r` and :math:`\ln s = \ln(1 - r)` of the reference occupation ``r``: finite and
        ``<= 0``. All four arguments broadcast together.

    Returns
    -------
    float or ndarray
        :math:`D(p\,\|\,r) \ge 0` in nats, of the broadcast shape.

    Raises
    ------
    ValueError
        For non-finite input, ``p`` or ``q`` outside ``[0, 1]``, or a positive logarithm.
    """
    p = _probabilities(p, "p")
    q = _probabilities(q, "q")
    logs = []
    for x, name in ((log_r, "log_r"), (log_s, "log_s")):
        arr = V.real_array(x, name)
        if arr.size and np.max(arr) > 0.0:
            raise ValueError(f"{name} must be <= 0 (the logarithm of a probability); got {float(np.max(arr)):g}")
        logs.append(arr)
    out = _bernoulli_relative_entropy(p, q, *logs)
    return out if out.ndim else float(out)


def _bernoulli_relative_entropy(p: np.ndarray, q: np.ndarray, log_r: np.ndarray, log_s: np.ndarray) -> np.ndarray:
    """:func:`bernoulli_relative_entropy` without input checks."""
    return xlogy(p, p) - p * log_r + xlogy(q, q) - q * log_s


#: Below this a probability is treated as 0 in ``p ln p`` (the difference is < 1e-297).
_TINY = 1e-300
#: ``exp`` arguments are capped here (``exp(709) < max float``): ``f < 1e-307`` is then kept as is.
_EXP_CAP = 709.0


def _xlogx(p: np.ndarray) -> np.ndarray:
    """``p ln p`` (0 at ``p = 0``) with vectorised ``log`` (hot path; ``p >= 0``)."""
    return p * np.log(np.maximum(p, _TINY))


def _log_fermi(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(ln f, ln(1-f))`` of the Fermi function for ``T > 0``, without overflow.

    ``ln f = -(max(x, 0) + ln(1 + e^{-|x|}))``, ``ln(1 - f) = -(max(-x, 0) + ln(1 + e^{-|x|}))``:
    absolute accuracy ~1e-16 (what the exergy integrand needs), no ``inf - inf``.
    """
    x = (w - mu) / T
    soft = np.log(1.0 + np.exp(-np.abs(x)))
    return -(np.maximum(x, 0.0) + soft), -(np.maximum(-x, 0.0) + soft)


def _fermi_pair(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(f, 1-f)`` each with full relative accuracy in its own tail (``T = 0`` allowed per element).

    ``f = 1/(1 + e^x)`` and ``1 - f = e^x f``: vectorised ``exp`` only, no cancellation.
    """
    T = np.asarray(T, dtype=float)
    if np.all(T > 0.0):
        return _fermi_pair_hot(w, mu, T)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, g = _fermi_pair_hot(w, mu, np.where(T > 0.0, T, 1.0))
    step = np.where(w < mu, 1.0, np.where(w > mu, 0.0, 0.5))
    return np.where(T > 0.0, f, step), np.where(T > 0.0, g, 1.0 - step)


def _fermi_pair_hot(w: np.ndarray, mu: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ex = np.exp(np.minimum((w - mu) / T, _EXP_CAP))
    f = 1.0 / (1.0 + ex)
    return f, ex * f
