"""Generated sequence data sets, in the style of ``sklearn.datasets.make_*``.

Nothing is downloaded: every function draws from ``random_state``.
"""

import numpy as np
from sklearn.utils import check_random_state

__all__ = [
    "make_echo",
    "make_labelled_waves",
    "make_reversed_prefix",
    "make_sine_continuation",
]

_WAVE_NAMES = ("sine", "square", "sawtooth")


def _wave(kind, phase):
    if kind == "sine":
        return np.sin(phase)
    if kind == "square":
        return np.sign(np.sin(phase))
    return 2.0 * ((phase / (2 * np.pi)) % 1.0) - 1.0


def make_labelled_waves(
    n_samples=300,
    *,
    length=30,
    min_length=None,
    noise=0.1,
    periods=(2.0, 3.0),
    amplitude=(1.0, 1.0),
    n_features=1,
    shapes=_WAVE_NAMES,
    random_state=None,
):
    """Noisy sine, square and sawtooth sequences, labelled by their shape.

    Each sequence has a random number of periods over ``length`` steps, a
    random phase and amplitude, plus Gaussian noise.

    Parameters
    ----------
    n_samples : int, default=300
        Number of sequences, split evenly between the shapes.
    length : int, default=30
        Length of the sequences, or the longest length with ``min_length``.
    min_length : int or None, default=None
        When set, lengths are drawn uniformly from ``[min_length, length]`` and
        ``X`` is a list of arrays.
    noise : float, default=0.1
        Standard deviation of the added noise.
    periods : (float, float), default=(2.0, 3.0)
        Range of the number of periods over ``length`` steps.
    amplitude : (float, float), default=(1.0, 1.0)
        Range of the amplitude.
    n_features : int, default=1
        Features per step; each feature has its own phase. With 1, sequences
        are 1-D (``X`` is 2-D when the lengths are equal).
    shapes : sequence of {"sine", "square", "sawtooth"}, \
            default=("sine", "square", "sawtooth")
        The classes to draw; ``("sine", "square")`` gives the two-class
        problem of the feature benchmark.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, length[, n_features]) or list of arrays
    y : ndarray of shape (n_samples,) of str
        The shape of each sequence.

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_labelled_waves
    >>> X, y = make_labelled_waves(6, length=10, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((6, 10), ['sawtooth', 'sine', 'square'])
    """
    unknown = set(shapes) - set(_WAVE_NAMES)
    if unknown or not len(shapes):
        raise ValueError(f"shapes must be a non-empty subset of {_WAVE_NAMES}.")
    rng = check_random_state(random_state)
    y = np.array(shapes)[np.arange(n_samples) % len(shapes)]
    rng.shuffle(y)
    if min_length is None:
        lengths = np.full(n_samples, length)
    else:
        if not 1 <= min_length <= length:
            raise ValueError(f"min_length must be in [1, {length}], got {min_length}.")
        lengths = rng.randint(min_length, length + 1, size=n_samples)
    sequences = []
    for label, n in zip(y, lengths, strict=True):
        n_periods = rng.uniform(*periods)
        t = np.arange(n)[:, None] / length * 2 * np.pi * n_periods
        phase = t + rng.uniform(0, 2 * np.pi, size=(1, n_features))
        scale = rng.uniform(*amplitude)
        wave = scale * _wave(label, phase) + noise * rng.normal(size=phase.shape)
        sequences.append(wave[:, 0] if n_features == 1 else wave)
    X = sequences if min_length is not None else np.stack(sequences)
    return X, y


def make_echo(
    n_samples=1000,
    *,
    length=5,
    n_echo=None,
    n_tokens=100,
    random_state=None,
):
    """Random integer sequences and their echo (tutorial 001's problem).

    Parameters
    ----------
    n_samples : int, default=1000
    length : int, default=5
        Length of each input sequence.
    n_echo : int or None, default=None
        The target is the first ``n_echo`` integers of the input; None echoes
        the whole sequence.
    n_tokens : int, default=100
        Integers are drawn from ``0 .. n_tokens - 1``.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, length) of int
    y : ndarray of shape (n_samples, n_echo) of int

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_echo
    >>> X, y = make_echo(3, length=5, n_echo=2, random_state=0)
    >>> bool((X[:, :2] == y).all())
    True
    """
    rng = check_random_state(random_state)
    X = rng.randint(0, n_tokens, size=(n_samples, length))
    n_echo = length if n_echo is None else n_echo
    return X, X[:, :n_echo].copy()


def make_reversed_prefix(
    n_samples=1000, *, length=6, n_out=3, n_tokens=50, random_state=None
):
    """Random integers from 1 to ``n_tokens``; the target: the first ``n_out`` reversed.

    Tutorial 002's problem (0 is left free, as the tutorial reserves it).

    Parameters
    ----------
    n_samples : int, default=1000
    length : int, default=6
    n_out : int, default=3
    n_tokens : int, default=50
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, length) of int
    y : ndarray of shape (n_samples, n_out) of int

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_reversed_prefix
    >>> X, y = make_reversed_prefix(2, random_state=0)
    >>> bool((y == X[:, 2::-1]).all())
    True
    """
    rng = check_random_state(random_state)
    X = rng.randint(1, n_tokens + 1, size=(n_samples, length))
    return X, X[:, :n_out][:, ::-1].copy()


def make_sine_continuation(
    n_samples=500, *, length=30, horizon=10, noise=0.0, random_state=None
):
    """Sine waves of random phase and frequency; target: the next steps.

    Parameters
    ----------
    n_samples : int, default=500
    length : int, default=30
        Observed steps.
    horizon : int, default=10
        Steps to forecast.
    noise : float, default=0.0
        Noise added to the observed part.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    X : ndarray of shape (n_samples, length)
    y : ndarray of shape (n_samples, horizon)

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_sine_continuation
    >>> X, y = make_sine_continuation(4, length=20, horizon=5, random_state=0)
    >>> X.shape, y.shape
    ((4, 20), (4, 5))
    """
    rng = check_random_state(random_state)
    t = np.arange(length + horizon)[None, :]
    freq = rng.uniform(0.1, 0.3, size=(n_samples, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_samples, 1))
    waves = np.sin(freq * t + phase)
    X = waves[:, :length] + noise * rng.normal(size=(n_samples, length))
    return X, waves[:, length:]
