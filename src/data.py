"""Seeded two-dimensional toy data sets, made locally with numpy.

`make_moons` gives exactly the points scikit-learn's `make_moons` gives for the same
seed (it follows the same steps with the same random generator), so results can be
compared with micrograd's demo without installing scikit-learn.

Each function returns `(X, y)`: `X` is an (n, 2) float array of points, `y` an (n,)
int array of class labels 0 and 1. For a margin loss, turn labels into -1 and +1 with
`y * 2 - 1`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["make_moons", "make_circles", "make_xor"]


def _check_args(n_samples: object, noise: object, seed: object) -> np.random.RandomState:
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise TypeError(f"n_samples must be a whole number, got {n_samples!r}")
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2 (one per class), got {n_samples}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise TypeError(f"noise must be a number (a standard deviation), got {noise!r}")
    if not 0 <= noise < math.inf:  # also rejects nan
        raise ValueError(f"noise must be a finite number >= 0 (a standard deviation), got {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number, got {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed!r}")
    # the legacy RandomState generator: the one scikit-learn uses for an integer seed
    return np.random.RandomState(int(seed))


def _shuffle_and_jitter(
    X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.RandomState
) -> tuple[np.ndarray, np.ndarray]:
    order = np.arange(len(y))
    rng.shuffle(order)
    X, y = X[order], y[order]
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int = 1337
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: the data set of micrograd's demo."""
    rng = _check_args(n_samples, noise, seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer = np.linspace(0, np.pi, n_out)
    inner = np.linspace(0, np.pi, n_in)
    X = np.vstack(
        [
            np.append(np.cos(outer), 1 - np.cos(inner)),
            np.append(np.sin(outer), 1 - np.sin(inner) - 0.5),
        ]
    ).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_jitter(X, y, float(noise), rng)


def make_circles(
    n_samples: int = 100, noise: float = 0.05, seed: int = 0, factor: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (label 1) inside a large one (label 0)."""
    rng = _check_args(n_samples, noise, seed)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
        raise TypeError(f"factor (inner radius / outer radius) must be a number, got {factor!r}")
    if not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be between 0 and 1, got {factor!r}")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack(
        [
            np.append(np.cos(t_out), factor * np.cos(t_in)),
            np.append(np.sin(t_out), factor * np.sin(t_in)),
        ]
    ).T
    y = np.hstack([np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)])
    return _shuffle_and_jitter(X, y, float(noise), rng)


def make_xor(
    n_samples: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Four clusters at the corners of a square; label 1 where exactly one coordinate is positive."""
    rng = _check_args(n_samples, noise, seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n_samples) % 4
    X = corners[which]
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int)
    return _shuffle_and_jitter(X, y, float(noise), rng)
