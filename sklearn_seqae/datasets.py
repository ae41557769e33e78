"""Generated sequence data sets, in the style of ``sklearn.datasets.make_*``.

Nothing is downloaded: every function draws from ``random_state``.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

__all__ = [
    "make_echo",
    "make_labelled_waves",
    "make_reversed_prefix",
    "make_sine_continuation",
    "make_synthetic_control",
    "make_two_patterns",
]

_WAVE_NAMES = ("sine", "square", "sawtooth")

# Shared by every generator: a bad count fails with scikit-learn's message
# rather than returning arrays of an unpromised shape.
_COUNTS = {
    "n_samples": [Interval(Integral, 1, None, closed="left")],
    "length": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}


def _wave(kind, phase):
    if kind == "sine":
        return np.sin(phase)
    if kind == "square":
        return np.sign(np.sin(phase))
    return 2.0 * ((phase / (2 * np.pi)) % 1.0) - 1.0


@validate_params(
    {**_COUNTS, "noise": [Interval(Real, 0, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
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
        Seeds the draw; an int gives the same data every time.

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


@validate_params(
    {
        **_COUNTS,
        "n_echo": [Interval(Integral, 1, None, closed="left"), None],
        "n_tokens": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
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
        Number of sequences.
    length : int, default=5
        Length of each input sequence.
    n_echo : int or None, default=None
        The target is the first ``n_echo`` integers of the input; None echoes
        the whole sequence.
    n_tokens : int, default=100
        Integers are drawn from ``0 .. n_tokens - 1``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data every time.

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
    if n_echo is not None and n_echo > length:
        raise ValueError(f"n_echo={n_echo} is longer than length={length}.")
    rng = check_random_state(random_state)
    X = rng.randint(0, n_tokens, size=(n_samples, length))
    n_echo = length if n_echo is None else n_echo
    return X, X[:, :n_echo].copy()


@validate_params(
    {
        **_COUNTS,
        "n_out": [Interval(Integral, 1, None, closed="left")],
        "n_tokens": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_reversed_prefix(
    n_samples=1000, *, length=6, n_out=3, n_tokens=50, random_state=None
):
    """Random integers from 1 to ``n_tokens``; the target: the first ``n_out`` reversed.

    Tutorial 002's problem (0 is left free, as the tutorial reserves it).

    Parameters
    ----------
    n_samples : int, default=1000
        Number of sequences.
    length : int, default=6
        Number of time steps of each sequence.
    n_out : int, default=3
        Number of leading tokens the target keeps (reversed).
    n_tokens : int, default=50
        Integers are drawn from ``1 .. n_tokens``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data every time.

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
    if n_out > length:
        raise ValueError(f"n_out={n_out} is longer than length={length}.")
    rng = check_random_state(random_state)
    X = rng.randint(1, n_tokens + 1, size=(n_samples, length))
    return X, X[:, :n_out][:, ::-1].copy()


@validate_params(
    {
        **_COUNTS,
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "noise": [Interval(Real, 0, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_sine_continuation(
    n_samples=500, *, length=30, horizon=10, noise=0.0, random_state=None
):
    """Sine waves of random phase and frequency; target: the next steps.

    Parameters
    ----------
    n_samples : int, default=500
        Number of sequences.
    length : int, default=30
        Observed steps.
    horizon : int, default=10
        Steps to forecast.
    noise : float, default=0.0
        Noise added to the observed part.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data every time.

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


_CONTROL_CLASSES = (
    "normal",
    "cyclic",
    "increasing_trend",
    "decreasing_trend",
    "upward_shift",
    "downward_shift",
)


@validate_params(_COUNTS, prefer_skip_nested_validation=True)
def make_synthetic_control(n_samples=600, *, length=60, random_state=None):
    """Synthetic control charts: six kinds of process behaviour.

    The generator of Alcock and Manolopoulos (1999), after Pham and Chan
    (1998), behind the UCR archive's SyntheticControl set (300 training and
    300 test series of length 60; published 1-NN accuracy 0.880 Euclidean,
    0.993 DTW). Every series is ``m + r(t) s`` with ``m = 30``, ``s = 2``
    and ``r(t)`` uniform in ``[-3, 3]`` at each step ``t = 1 .. length``,
    plus one of:

    - ``"normal"``: nothing;
    - ``"cyclic"``: ``a sin(2 pi t / T)``, ``a`` in ``[10, 15]``, ``T`` in
      ``[10, 15]``;
    - ``"increasing_trend"`` / ``"decreasing_trend"``: ``+/- g t``, ``g`` in
      ``[0.2, 0.5]``;
    - ``"upward_shift"`` / ``"downward_shift"``: ``+/- x`` from a step
      ``t_3`` in ``[length / 3, 2 length / 3]`` on, ``x`` in ``[7.5, 20]``.

    Parameters
    ----------
    n_samples : int, default=600
        Number of series, split evenly between the six classes.
    length : int, default=60
        Number of time steps of each sequence.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data every time.

    Returns
    -------
    X : ndarray of shape (n_samples, length)
    y : ndarray of shape (n_samples,) of str

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_synthetic_control
    >>> X, y = make_synthetic_control(12, random_state=0)
    >>> X.shape, len(set(y.tolist()))
    ((12, 60), 6)
    """
    rng = check_random_state(random_state)
    y = np.array(_CONTROL_CLASSES)[np.arange(n_samples) % len(_CONTROL_CLASSES)]
    rng.shuffle(y)
    t = np.arange(1, length + 1, dtype=float)
    X = 30.0 + 2.0 * rng.uniform(-3, 3, size=(n_samples, length))
    for i, label in enumerate(y):
        if label == "cyclic":
            amplitude, period = rng.uniform(10, 15), rng.uniform(10, 15)
            X[i] += amplitude * np.sin(2 * np.pi * t / period)
        elif label.endswith("trend"):
            sign = 1.0 if label.startswith("increasing") else -1.0
            X[i] += sign * rng.uniform(0.2, 0.5) * t
        elif label.endswith("shift"):
            sign = 1.0 if label.startswith("upward") else -1.0
            start = rng.uniform(length / 3, 2 * length / 3)
            X[i] += sign * rng.uniform(7.5, 20) * (t >= start)
    return X, y


# Shorter series cannot hold both patterns: the second would be cut off.
@validate_params(
    {**_COUNTS, "length": [Interval(Integral, 5, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def make_two_patterns(n_samples=5000, *, length=128, random_state=None):
    """Two step patterns in noise; the class is which two, in which order.

    After Geurts (2001), the generator behind the UCR archive's TwoPatterns
    set (1,000 training and 4,000 test series of length 128; published
    1-NN accuracy 0.907 Euclidean, 1.000 DTW). Each series is standard
    Gaussian noise in which two patterns occur one after the other, each an
    upward step (``-5`` for its first half, ``+5`` for the second) or a
    downward step (the reverse); the four classes are ``"UU"``, ``"UD"``,
    ``"DU"`` and ``"DD"``. Both patterns' lengths and positions are random:
    each is ``length / 8`` to ``length / 4`` steps long, the first starts in
    the first half of the series and the second after it. (These ranges are
    ours; the published description fixes the patterns and the noise, not
    the ranges.)

    Parameters
    ----------
    n_samples : int, default=5000
        Number of series, split evenly between the four classes.
    length : int, default=128
        Number of time steps of each sequence; at least 5, so that both
        patterns fit whole.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw; an int gives the same data every time.

    Returns
    -------
    X : ndarray of shape (n_samples, length)
    y : ndarray of shape (n_samples,) of str

    Examples
    --------
    >>> from sklearn_seqae.datasets import make_two_patterns
    >>> X, y = make_two_patterns(8, random_state=0)
    >>> X.shape, sorted(set(y.tolist()))
    ((8, 128), ['DD', 'DU', 'UD', 'UU'])
    """
    rng = check_random_state(random_state)
    classes = np.array(["UU", "UD", "DU", "DD"])
    y = classes[np.arange(n_samples) % 4]
    rng.shuffle(y)
    X = rng.normal(size=(n_samples, length))
    shortest, longest = max(2, length // 8), max(2, length // 4)
    for i, label in enumerate(y):
        sizes = rng.randint(shortest, longest + 1, size=2)
        first = rng.randint(0, max(1, length // 2 - sizes[0]) + 1)
        second = rng.randint(
            first + sizes[0], max(first + sizes[0], length - sizes[1]) + 1
        )
        for start, size, kind in zip((first, second), sizes, label, strict=True):
            half = size // 2
            sign = 1.0 if kind == "U" else -1.0
            X[i, start : start + half] = -5.0 * sign
            X[i, start + half : start + size] = 5.0 * sign
    return X, y
