"""Tests for the seeded toy data sets (`backproplab.data`)."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn import datasets as sklearn_datasets

from backproplab.data import (load_digits, make_circles, make_gaussians, make_moons, make_spiral, make_xor,
                              train_test_split)

# every seeded two-class generator (notebook 09's Playground offers them all)
GENERATORS = [make_moons, make_circles, make_xor, make_spiral, make_gaussians]


@pytest.mark.parametrize(
    "n_samples, noise, seed",
    [(100, 0.1, 1337), (7, 0.3, 0), (2, 0.0, 5), (251, 0.05, 42), (64, 0.2, 2**32 - 1)],
)
def test_make_moons_equals_scikit_learn(n_samples, noise, seed):
    X, y = make_moons(n_samples, noise, seed)
    X_sk, y_sk = sklearn_datasets.make_moons(
        n_samples=n_samples, noise=noise, random_state=seed
    )
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)


def test_make_moons_defaults_are_micrograds_demo():
    X, y = make_moons()
    X_sk, y_sk = sklearn_datasets.make_moons(n_samples=100, noise=0.1, random_state=1337)
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)


@pytest.mark.parametrize("n_samples, noise, seed", [(50, 0.05, 3), (9, 0.0, 0)])
def test_make_circles_equals_scikit_learn(n_samples, noise, seed):
    X, y = make_circles(n_samples, noise, seed, factor=0.5)
    X_sk, y_sk = sklearn_datasets.make_circles(
        n_samples=n_samples, noise=noise, random_state=seed, factor=0.5
    )
    np.testing.assert_array_equal(X, X_sk)
    np.testing.assert_array_equal(y, y_sk)


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n_samples", [2, 3, 100, 101])
def test_shapes_types_and_labels(make, n_samples):
    X, y = make(n_samples=n_samples)
    assert X.shape == (n_samples, 2)
    assert y.shape == (n_samples,)
    assert X.dtype == np.float64
    assert np.issubdtype(y.dtype, np.integer)
    assert set(y.tolist()) == {0, 1}
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", [make_moons, make_circles, make_spiral, make_gaussians])
@pytest.mark.parametrize("n_samples", [2, 3, 100, 101])
def test_two_classes_of_nearly_equal_size(make, n_samples):
    _, y = make(n_samples=n_samples)
    assert sorted(np.bincount(y).tolist()) == [n_samples // 2, n_samples - n_samples // 2]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(make):
    X1, y1 = make(n_samples=40, seed=4)
    X2, y2 = make(n_samples=40, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make(n_samples=40, seed=5)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("make", GENERATORS)
def test_noise_zero_and_noise_larger(make):
    X0, y0 = make(n_samples=40, noise=0.0, seed=1)
    X1, y1 = make(n_samples=40, noise=0.3, seed=1)
    np.testing.assert_array_equal(y0, y1)  # the same shuffle; only the jitter differs
    spread = np.abs(X1 - X0)
    assert 0.05 < spread.mean() < 0.5


def test_circles_radii_without_noise():
    X, y = make_circles(n_samples=60, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_xor_labels_follow_the_quadrants():
    X, y = make_xor(n_samples=200, noise=0.0)
    assert set(map(tuple, X.tolist())) == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.bincount(y).tolist() == [100, 100]


def test_moons_shape_without_noise():
    X, y = make_moons(n_samples=100, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 0.5 + 1e-12).all()


def test_numpy_integers_are_accepted():
    X, y = make_moons(n_samples=np.int64(10), seed=np.int64(3))
    X_ref, y_ref = make_moons(n_samples=10, seed=3)
    np.testing.assert_array_equal(X, X_ref)


BAD_ARGUMENTS = [
    (dict(n_samples="100"), TypeError, "'100'"),
    (dict(n_samples=10.0), TypeError, "10.0"),
    (dict(n_samples=True), TypeError, "True"),
    (dict(n_samples=None), TypeError, "None"),
    (dict(n_samples=1), ValueError, "got 1"),
    (dict(n_samples=0), ValueError, "got 0"),
    (dict(n_samples=-5), ValueError, "got -5"),
    (dict(noise=-0.1), ValueError, "-0.1"),
    (dict(noise=math.nan), ValueError, "nan"),
    (dict(noise=math.inf), ValueError, "inf"),
    (dict(noise="0.1"), TypeError, "'0.1'"),
    (dict(noise=None), TypeError, "None"),
    (dict(seed="x"), TypeError, "'x'"),
    (dict(seed=1.5), TypeError, "1.5"),
    (dict(seed=None), TypeError, "None"),
    (dict(seed=-1), ValueError, "-1"),
    (dict(seed=2**32), ValueError, "4294967296"),
]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("kwargs, error, given", BAD_ARGUMENTS)
def test_bad_arguments(make, kwargs, error, given):
    with pytest.raises(error) as info:
        make(**kwargs)
    message = str(info.value)
    assert given in message
    assert next(iter(kwargs)) in message  # names the argument


@pytest.mark.parametrize(
    "factor, error", [(0, ValueError), (1, ValueError), (1.5, ValueError), (-0.5, ValueError),
                      (math.nan, ValueError), ("0.5", TypeError), (None, TypeError)]
)
def test_circles_factor(factor, error):
    with pytest.raises(error) as info:
        make_circles(factor=factor)
    assert "factor" in str(info.value)
    assert repr(factor) in str(info.value)


# ------------------------------------------------------------ handwritten digits

def test_load_digits_shapes_labels_and_pixels():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    assert set(y.tolist()) == set(range(10))
    assert X.min() == 0 and X.max() == 16 and (X == np.round(X)).all()
    assert np.bincount(y).min() >= 170  # about 180 of each digit


def test_load_digits_is_scikit_learns_data():
    X, y = load_digits()
    digits = sklearn_datasets.load_digits()
    np.testing.assert_array_equal(X, digits.data)
    np.testing.assert_array_equal(y, digits.target)


def test_train_test_split_is_seeded_disjoint_and_complete():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.25, seed=0)
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert y_train.shape == (1348,) and y_test.shape == (449,)
    again = train_test_split(X, y, test_fraction=0.25, seed=0)
    for a, b in zip((X_train, X_test, y_train, y_test), again):
        np.testing.assert_array_equal(a, b)
    other = train_test_split(X, y, test_fraction=0.25, seed=1)
    assert not np.array_equal(other[1], X_test)
    # every sample lands in exactly one part, with its own label
    rows = np.vstack([X_train, X_test])
    labels = np.concatenate([y_train, y_test])
    keys = sorted(zip(map(bytes, rows), labels.tolist()))
    assert keys == sorted(zip(map(bytes, X), y.tolist()))


@pytest.mark.parametrize("kwargs, error, says", [
    ({"test_fraction": 0}, ValueError, "between 0 and 1"),
    ({"test_fraction": 1.5}, ValueError, "between 0 and 1"),
    ({"test_fraction": "0.2"}, TypeError, "test_fraction"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_train_test_split_bad_arguments(kwargs, error, says):
    X, y = make_moons(20)
    with pytest.raises(error, match=says):
        train_test_split(X, y, **kwargs)


def test_train_test_split_needs_one_label_per_row():
    X, y = make_moons(20)
    with pytest.raises(ValueError, match="20 rows.*19 labels"):
        train_test_split(X, y[:19])
    with pytest.raises(ValueError, match="empty"):
        train_test_split(X[:2], y[:2], test_fraction=0.1)


def test_train_test_split_by_default_holds_out_a_quarter_with_seed_0():
    X, y = make_moons(20)
    default = train_test_split(X, y)
    assert [len(part) for part in default] == [15, 5, 15, 5]
    for mine, theirs in zip(default, train_test_split(X, y, test_fraction=0.25, seed=0)):
        assert np.array_equal(mine, theirs)
    assert not np.array_equal(default[1], train_test_split(X, y, seed=1)[1])


def test_train_test_split_takes_lists_and_one_number_per_sample():
    X_train, X_test, y_train, y_test = train_test_split(list(range(10)), [0, 1] * 5, seed=3)
    assert isinstance(X_train, np.ndarray) and X_train.ndim == 1  # one number per sample
    assert sorted([*X_train, *X_test]) == list(range(10))
    assert [len(X_test), len(y_test)] == [2, 2]


@pytest.mark.parametrize("X, y", [(5.0, [1, 2]), (np.arange(4), 3)])
def test_train_test_split_needs_arrays_not_single_numbers(X, y):
    with pytest.raises(TypeError, match="X and y must be arrays with one row"):
        train_test_split(X, y)


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1])
def test_train_test_split_needs_a_fraction_strictly_between_0_and_1(fraction):
    X, y = make_moons(20)
    with pytest.raises(ValueError, match="test_fraction must be between 0 and 1"):
        train_test_split(X, y, test_fraction=fraction)


def test_train_test_split_seeds_are_32_bit():
    X, y = make_moons(20)
    for seed in (0, 64, 2**32 - 1):
        train_test_split(X, y, seed=seed)
    for seed in (-1, 2**32, 3**32):
        with pytest.raises(ValueError, match=r"seed must be between 0 and 2\*\*32 - 1"):
            train_test_split(X, y, seed=seed)


def test_train_test_split_leaves_no_part_empty():
    X, y = make_moons(4)
    assert [len(p) for p in train_test_split(X, y, test_fraction=0.25)] == [3, 1, 3, 1]
    assert [len(p) for p in train_test_split(X, y, test_fraction=0.75)] == [1, 3, 1, 3]
    with pytest.raises(ValueError, match="leaves one part empty"):
        train_test_split(X, y, test_fraction=0.9)  # 4 * 0.9 rounds to 4: no training set
