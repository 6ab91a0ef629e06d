"""Occupations: closed forms, exact T = 0 limits, no overflow warnings, rate detailed balance."""
import warnings

import numpy as np
import pytest

from qbcore.baths import Bath, bose, fermi, flat, ohmic


def test_bose_closed_form_and_limits():
    w = np.array([0.01, 0.5, 1.0, 3.0])
    assert np.allclose(bose(w, 0.7), 1 / (np.exp(w / 0.7) - 1), rtol=1e-13)
    assert np.all(bose(w, 0.0) == 0.0)
    assert bose(1e-6, 1.0) == pytest.approx(1e6 - 0.5, rel=1e-9)  # n ~ T/w - 1/2


def test_fermi_closed_form_limits_and_symmetry():
    w = np.linspace(-2, 2, 41)
    assert np.allclose(fermi(w, 0.3, 0.25), 1 / (np.exp((w - 0.3) / 0.25) + 1), rtol=1e-12, atol=1e-300)
    step = fermi(np.array([-1.0, 0.3, 1.0]), 0.3, 0.0)
    assert step.tolist() == [1.0, 0.5, 0.0]
    assert np.allclose(fermi(0.3 + w, 0.3, 0.4) + fermi(0.3 - w, 0.3, 0.4), 1.0, atol=1e-15)


def test_no_overflow_warnings_for_extreme_ratios():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = bose(np.array([1e3, 1e5]), 1e-3)
        f = fermi(np.array([-1e5, 1e5]), 0.0, 1e-3)
    assert np.all(b == 0.0) and f[0] == 1.0 and f[1] == 0.0
    assert fermi(50.0, 0.0, 1.0) == pytest.approx(np.exp(-50.0) / (1 + np.exp(-50.0)), rel=1e-12)


def test_detailed_balance_of_rates():
    for stat, mu in (("boson", 0.0), ("fermion", 0.4)):
        b = Bath(stat, T=0.8, mu=mu, J=ohmic(0.3) if stat == "boson" else flat(0.3))
        w = np.array([0.5, 1.0, 2.0])
        ratio = b.up_rate(w) / b.down_rate(w)
        assert np.allclose(ratio, np.exp(-(w - mu) / 0.8), rtol=1e-12)


def test_zero_frequency_rate_ohmic_limit_and_flat_error():
    assert Bath("boson", 0.6, J=ohmic(0.2)).rate_at_zero() == 0.2 * 0.6  # exact Ohmic limit
    assert Bath("boson", 0.6, J=lambda w: 0.2 * np.asarray(w)).rate_at_zero() == pytest.approx(0.12, rel=1e-5)
    assert Bath("boson", 0.0, J=ohmic(0.2)).rate_at_zero() == pytest.approx(0.0, abs=1e-10)
    with pytest.raises(ValueError, match="zero_frequency"):
        Bath("boson", 0.6, J=flat(0.2)).rate_at_zero()


@pytest.mark.parametrize("call, match", [
    (lambda: bose(1.0, -0.1), "T must lie"),
    (lambda: bose(0.0, 1.0), "w must be > 0"),
    (lambda: fermi(1.0, float("nan"), 1.0), "mu must be finite"),
    (lambda: fermi([1.0, np.inf], 0.0, 1.0), "w contains NaN"),
    (lambda: Bath("phonon", 1.0), "statistics must be one of"),
    (lambda: Bath("boson", 1.0, mu=0.5), "mu must be 0 for a boson"),
    (lambda: Bath("fermion", -1.0), "T must lie"),
    (lambda: ohmic(-1.0), "kappa must lie"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_fermi_relative_accuracy_in_the_tail():
    # Independent route: exact rational arithmetic via the identity f = e^{-x}/(1+e^{-x}).
    x = np.array([5.0, 12.0, 19.5, 40.0, 300.0])
    exact = np.exp(-x) / (1.0 + np.exp(-x))
    assert np.allclose(fermi(x, 0.0, 1.0), exact, rtol=1e-14, atol=0)
