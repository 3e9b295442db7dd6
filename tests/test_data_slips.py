"""The data sets' documented defaults: the same points every time they are called bare."""

import numpy as np

from backproplab.data import make_circles, make_xor


def test_make_circles_defaults():
    X, y = make_circles()
    X_ref, y_ref = make_circles(n_samples=100, noise=0.05, seed=0, factor=0.5)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_make_xor_defaults():
    X, y = make_xor()
    X_ref, y_ref = make_xor(n_samples=100, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
