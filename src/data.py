"""Seeded two-dimensional toy data sets, made locally with numpy.

`make_moons` gives exactly the points scikit-learn's `make_moons` gives for the same
seed (it follows the same steps with the same random generator), so results can be
compared with micrograd's demo without installing scikit-learn.

Each function returns `(X, y)`: `X` is an (n, 2) float array of points, `y` an (n,)
int array of class labels 0 and 1. For a margin loss, turn labels into -1 and +1 with
`y * 2 - 1`.

`load_digits` reads the 8x8 handwritten digits that ship with the course (a copy of the
one scikit-learn bundles; `datasets/README.md` gives its source and licence), and
`train_test_split` splits any data set into a training and a test part, by a seed.
"""

from __future__ import annotations

import gzip
import math
import numbers
from importlib import resources

import numpy as np

__all__ = ["make_moons", "make_circles", "make_xor", "make_spiral", "make_gaussians",
           "load_digits", "train_test_split"]


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


def make_spiral(
    n_samples: int = 200, noise: float = 0.1, seed: int = 0, turns: float = 1.75
) -> tuple[np.ndarray, np.ndarray]:
    """Two arms that wind around each other `turns` times (label 0 and label 1).

    TensorFlow Playground's hardest data set: each arm starts at the centre and winds
    outwards to radius 1 (noise is added to every point, as a standard deviation).
    """
    rng = _check_args(n_samples, noise, seed)
    if isinstance(turns, bool) or not isinstance(turns, numbers.Real):
        raise TypeError(f"turns (how often each arm winds round) must be a number, got {turns!r}")
    if not 0 < turns <= 5:
        raise ValueError(f"turns (how often each arm winds round) must be between 0 and 5, got {turns!r}")
    n_0 = n_samples // 2
    n_1 = n_samples - n_0
    arms = []
    for count, offset in ((n_0, 0.0), (n_1, np.pi)):
        r = np.linspace(0.05, 1.0, count)  # from near the centre outwards
        t = 2 * np.pi * turns * r + offset
        arms.append(np.column_stack([r * np.cos(t), r * np.sin(t)]))
    X = np.vstack(arms)
    y = np.hstack([np.zeros(n_0, dtype=int), np.ones(n_1, dtype=int)])
    return _shuffle_and_jitter(X, y, float(noise), rng)


def make_gaussians(
    n_samples: int = 100, noise: float = 0.3, seed: int = 0, distance: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two round clouds of points (Gaussians), centred at (-distance/2, -distance/2)
    (label 0) and (distance/2, distance/2) (label 1); `noise` is their spread."""
    rng = _check_args(n_samples, noise, seed)
    if isinstance(distance, bool) or not isinstance(distance, numbers.Real):
        raise TypeError(f"distance (between the two centres) must be a number, got {distance!r}")
    if not 0 <= distance < math.inf:
        raise ValueError(f"distance (between the two centres) must be a finite number >= 0, "
                         f"got {distance!r}")
    n_0 = n_samples // 2
    n_1 = n_samples - n_0
    half = float(distance) / 2
    X = np.vstack([np.full((n_0, 2), -half), np.full((n_1, 2), half)])
    y = np.hstack([np.zeros(n_0, dtype=int), np.ones(n_1, dtype=int)])
    return _shuffle_and_jitter(X, y, float(noise), rng)


# ------------------------------------------------------------ handwritten digits

DIGITS_FILE = "digits.csv.gz"  # in the package's datasets/ folder


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits: `X` (1797, 64) pixel values 0-16, `y` (1797,) digits 0-9.

    Each row of `X` is an 8x8 image read row by row (`X[i].reshape(8, 8)` draws it);
    0 is white paper, 16 a fully inked square. The file ships with the course, so
    nothing is downloaded.
    """
    source = resources.files(__package__).joinpath("datasets", DIGITS_FILE)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="ascii") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    X = table[:, :-1]
    y = table[:, -1].astype(np.int64)
    return X, y


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the samples by `seed` and hold out `test_fraction` of them for testing.

    Returns `X_train, X_test, y_train, y_test` (scikit-learn's order). The same seed
    always gives the same split.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise TypeError("X and y must be arrays with one row (or label) per sample")
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per sample each: X has {len(X)} rows, "
                         f"y has {len(y)} labels")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real):
        raise TypeError(f"test_fraction must be a number between 0 and 1, got {test_fraction!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (e.g. 0.25), got {test_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number, got {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed!r}")
    n_test = int(round(len(y) * test_fraction))
    if not 0 < n_test < len(y):
        raise ValueError(f"splitting {len(y)} samples with test_fraction {test_fraction} leaves "
                         "one part empty; use more samples or another fraction")
    order = np.random.default_rng(int(seed)).permutation(len(y))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
