"""The generators return the shapes they document, and refuse bad sizes."""

import numpy as np
import pytest

from sklearn_seqae import datasets

pytestmark = pytest.mark.no_model


@pytest.mark.parametrize(
    "make, params, y_shape",
    [
        ("make_labelled_waves", dict(length=12), (7,)),
        ("make_echo", dict(length=5, n_echo=2), (7, 2)),
        ("make_echo", dict(length=5), (7, 5)),
        ("make_reversed_prefix", dict(length=6, n_out=3), (7, 3)),
        ("make_sine_continuation", dict(length=12, horizon=4), (7, 4)),
        ("make_synthetic_control", dict(length=60), (7,)),
        ("make_two_patterns", dict(length=128), (7,)),
    ],
)
def test_generators_return_the_documented_shapes(make, params, y_shape):
    X, y = getattr(datasets, make)(7, random_state=0, **params)
    assert np.shape(X) == (7, params["length"])
    assert y.shape == y_shape
    again = getattr(datasets, make)(7, random_state=0, **params)
    np.testing.assert_array_equal(again[0], X)


@pytest.mark.parametrize(
    "make, params, message",
    [
        ("make_echo", dict(length=5, n_echo=8), "n_echo=8 is longer than length=5"),
        ("make_echo", dict(n_echo=-2), "'n_echo' parameter"),
        ("make_reversed_prefix", dict(length=6, n_out=9), "n_out=9 is longer"),
        ("make_reversed_prefix", dict(n_out=-1), "'n_out' parameter"),
        ("make_sine_continuation", dict(horizon=0), "'horizon' parameter"),
        ("make_labelled_waves", dict(length=0), "'length' parameter"),
        ("make_synthetic_control", dict(n_samples=0), "'n_samples' parameter"),
        ("make_two_patterns", dict(n_samples=2.5), "'n_samples' parameter"),
        ("make_two_patterns", dict(length=4), "'length' parameter"),
    ],
)
def test_generators_refuse_sizes_they_cannot_honour(make, params, message):
    params = {"n_samples": 3, **params}
    with pytest.raises(ValueError, match=message):
        getattr(datasets, make)(**params)


@pytest.mark.parametrize("length", [5, 6, 9, 17, 128])
def test_two_patterns_fit_whole_in_the_shortest_series(length):
    # The patterns overwrite the noise with exactly -5 or +5: a series ends on
    # the second half of its second pattern only when that pattern is whole.
    X, y = datasets.make_two_patterns(200, length=length, random_state=0)
    for row, label in zip(X, y, strict=True):
        steps = row[np.abs(row) == 5.0]
        assert steps[0] == (-5.0 if label[0] == "U" else 5.0)
        assert steps[-1] == (5.0 if label[1] == "U" else -5.0)
