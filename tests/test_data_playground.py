"""The Playground's data sets: the spiral and the two Gaussians (`backproplab.data`),
checked the way tests/test_data.py checks moons, circles and xor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backproplab.data import make_gaussians, make_spiral

GENERATORS = [make_spiral, make_gaussians]


# shapes, types, balanced labels, seeds and noise: tests/test_data.py, for every generator


def test_spiral_arms_wind_outwards_and_are_point_symmetric():
    X, y = make_spiral(n_samples=200, noise=0.0, turns=1.75)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() == pytest.approx(0.05) and radius.max() == pytest.approx(1.0)
    # arm 1 is arm 0 turned half way round: the same radii, the points mirrored through 0
    arm0, arm1 = X[y == 0], X[y == 1]
    key = lambda a: a[np.argsort(np.hypot(a[:, 0], a[:, 1]))]
    np.testing.assert_allclose(key(arm1), -key(arm0), atol=1e-12)
    # the angle grows with the radius: each arm winds 1.75 times round the centre
    ordered = key(arm0)
    angle = np.unwrap(np.arctan2(ordered[:, 1], ordered[:, 0]))
    assert (np.diff(angle) > 0).all()
    assert (angle[-1] - angle[0]) / (2 * np.pi) == pytest.approx(1.75 * 0.95, rel=1e-9)


def test_spiral_is_not_linearly_separable_but_gaussians_are():
    # a least-squares line through the data: near chance on the spiral, near perfect on
    # two well separated Gaussians
    def line_accuracy(X, y):
        A = np.column_stack([X, np.ones(len(X))])
        w = np.linalg.lstsq(A, y * 2 - 1.0, rcond=None)[0]
        return ((A @ w > 0) == (y == 1)).mean()

    assert line_accuracy(*make_spiral(400, noise=0.0)) < 0.7
    assert line_accuracy(*make_gaussians(400, noise=0.3, distance=3.0)) > 0.97


def test_gaussians_centres_and_spread():
    X, y = make_gaussians(n_samples=4000, noise=0.5, distance=2.0, seed=3)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-1.0, -1.0], atol=0.05)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [1.0, 1.0], atol=0.05)
    np.testing.assert_allclose(X[y == 1].std(axis=0), [0.5, 0.5], atol=0.03)


BAD_ARGUMENTS = [
    (dict(n_samples="100"), TypeError, "'100'"),
    (dict(n_samples=10.0), TypeError, "10.0"),
    (dict(n_samples=True), TypeError, "True"),
    (dict(n_samples=1), ValueError, "got 1"),
    (dict(noise=-0.1), ValueError, "-0.1"),
    (dict(noise=math.nan), ValueError, "nan"),
    (dict(noise="0.1"), TypeError, "'0.1'"),
    (dict(seed=1.5), TypeError, "1.5"),
    (dict(seed=-1), ValueError, "-1"),
    (dict(seed=2**32), ValueError, "4294967296"),
]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("kwargs, error, given", BAD_ARGUMENTS)
def test_bad_arguments(make, kwargs, error, given):
    with pytest.raises(error) as info:
        make(**kwargs)
    assert given in str(info.value)
    assert next(iter(kwargs)) in str(info.value)  # names the argument


@pytest.mark.parametrize("make, name, value, error", [
    (make_spiral, "turns", 0, ValueError), (make_spiral, "turns", 6, ValueError),
    (make_spiral, "turns", math.nan, ValueError), (make_spiral, "turns", "2", TypeError),
    (make_gaussians, "distance", -1.0, ValueError), (make_gaussians, "distance", math.inf, ValueError),
    (make_gaussians, "distance", None, TypeError),
])
def test_shape_arguments(make, name, value, error):
    with pytest.raises(error) as info:
        make(**{name: value})
    assert name in str(info.value) and repr(value) in str(info.value)


def test_defaults_are_the_documented_ones():
    X, y = make_spiral()
    X_ref, y_ref = make_spiral(200, noise=0.1, seed=0, turns=1.75)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    X, y = make_gaussians()
    X_ref, y_ref = make_gaussians(100, noise=0.3, seed=0, distance=1.0)
    np.testing.assert_array_equal(X, X_ref)
    assert X.shape == (100, 2)


def test_the_ends_of_the_shape_ranges_are_allowed():
    X, _ = make_spiral(50, noise=0.0, turns=5)
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)
    X, y = make_gaussians(50, noise=0.0, distance=0.0)  # both clouds on the same spot
    assert (X == 0).all() and set(y.tolist()) == {0, 1}
    X, _ = make_gaussians(50, noise=0.0, distance=3.0)
    assert sorted(set(X.ravel().tolist())) == [-1.5, 1.5]
